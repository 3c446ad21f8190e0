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

/**
 * An ImageSpec YAML document nested deeper than this is refused. PyYAML's recursive composer
 * and Python's `repr` fail near 490 levels (RecursionError, sooner with flytekit's own frames
 * on the stack), and the yaml package's composer near 800.
 */
export const MAX_YAML_DEPTH = 200

/**
 * An ImageSpec YAML document whose values, aliases expanded, number more than this is refused:
 * PyYAML shares an aliased value, but flytekit's `repr` writes every copy into the text it
 * hashes ("billion laughs": nine aliases of nine aliases of … hang it).
 */
export const MAX_EXPANDED_VALUES = 1_000_000

/** Likewise for the characters of its strings, aliases expanded (no alias-free file reaches it). */
export const MAX_EXPANDED_CHARACTERS = MAX_CONFIG_BYTES
