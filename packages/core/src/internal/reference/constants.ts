/** The lengths and names distribution/reference and go-digest fix. */

/** The longest repository path (the domain does not count): Go's `NameTotalLengthMax`. */
export const nameTotalLengthMax = 255

/** A tag is at most this long (`[\w][\w.-]{0,127}`). */
export const maxTagLength = 128

/** The reference grammar's digest has at least this many hex digits (`[0-9a-fA-F]{32,}`). */
export const minDigestHex = 32

/** The registry Docker Hub names default to. */
export const defaultDomain = 'docker.io'

/** The name Docker Hub's registry once had; normalizing makes it `docker.io`. */
export const legacyDefaultDomain = 'index.docker.io'

/** The namespace of Docker Hub's official images, before a single component. */
export const officialRepoPrefix = 'library/'
