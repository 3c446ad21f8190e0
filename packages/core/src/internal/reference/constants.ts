/** The lengths and names distribution/reference and go-digest fix. */

/**
 * Go's `NameTotalLengthMax`: the longest repository path `parse` accepts (the domain does not count).
 *
 * @example
 * import { nameTotalLengthMax } from '@imgcfg/core/Reference'
 * nameTotalLengthMax // 255
 *
 * @since 0.1.0
 */
export const nameTotalLengthMax = 255

/** A tag is at most this long (`[\w][\w.-]{0,127}`). */
export const maxTagLength = 128

/** The reference grammar's digest has at least this many hex digits (`[0-9a-fA-F]{32,}`). */
export const minDigestHex = 32

/**
 * The registry Docker Hub names default to.
 *
 * @example
 * import { defaultDomain } from '@imgcfg/core/Reference'
 * defaultDomain // 'docker.io'
 *
 * @since 0.1.0
 */
export const defaultDomain = 'docker.io'

/** The name Docker Hub's registry once had; normalizing makes it `docker.io`. */
export const legacyDefaultDomain = 'index.docker.io'

/** The namespace of Docker Hub's official images, before a single component. */
export const officialRepoPrefix = 'library/'
