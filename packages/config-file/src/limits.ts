/**
 * The sizes config-file refuses past, in one place: the readers enforce them and the error
 * messages name them.
 *
 * @since 0.2.0
 */

/** A config file larger than this is refused before it is read. */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024

/** `MAX_CONFIG_BYTES` in words, for messages. */
export const MAX_CONFIG_SIZE = '16 MiB'
