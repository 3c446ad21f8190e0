/**
 * @imgcfg/registry: asks OCI registries about imgcfg images with the distribution API. Does a
 * tag exist, which digest does it point at today, does every image of a configuration exist.
 * Node only (it uses `fetch`, `node:crypto`, reads the Docker config file and runs credential helpers).
 *
 * @example
 * import { resolveDigest, verifyImages, formatRegistryError } from '@imgcfg/registry'
 *
 * @since 0.1.0
 */
export { compareVersions, describeMediaType, MEDIA_TYPES, resolveDigest, verifyImages, type ImageCheck, type ResolvedDigest } from './resolve.js'
export {
  formatRegistryError,
  isMissing,
  isRegistryError,
  type DockerConfigUnreadable,
  type ManifestUnknown,
  type RegistryDenied,
  type RegistryError,
  type RegistryResponseError,
  type RegistryUnreachable,
  type RepositoryUnknown,
  type ResolveError,
  type TokenFailure,
  type UnsafeRedirect,
  type ManifestInvalid,
  type DigestMismatch,
  type CredentialHelperFailure,
} from './errors.js'
export { DEFAULTS, MAX_TIMEOUT_MS, type RegistryOptions } from './options.js'
export { runHelper } from './CredentialHelper.js'
export { credentialsFor, helperFor, parseDockerConfig, readDockerConfig, type Credentials, type DockerConfig } from './DockerConfig.js'
export { parseChallenges, type Challenge } from './Challenge.js'
export * as Target from './Target.js'
