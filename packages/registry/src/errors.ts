/**
 * What can go wrong when asking a registry about an image: a tagged union, like core's
 * `ImgcfgError`, with one `formatRegistryError` that turns any of them (core's included) into
 * the sentence a user reads. Every message names the image and the registry.
 *
 * @since 0.1.0
 */
import { formatError, type ImgcfgError } from '@imgcfg/core/errors'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Where a failure happened: the image as the user wrote it and the registry it lives on. */
interface About {
  /** The image reference as written (`ghcr.io/org/app:1.0`). */
  readonly image: string
  /** The registry's name (`ghcr.io`, `docker.io`, `localhost:5000`). */
  readonly registry: string
}

/** The repository exists but has no manifest for the tag (or digest). */
export interface ManifestUnknown extends About {
  readonly _tag: 'ManifestUnknown'
  readonly repository: string
  /** The tag or digest that was asked for. */
  readonly reference: string
  /** Some of the tags the repository does have, when the registry listed them. */
  readonly tags?: ReadonlyArray<string>
}

/** The registry does not know the repository at all. */
export interface RepositoryUnknown extends About {
  readonly _tag: 'RepositoryUnknown'
  readonly repository: string
}

/** 401 or 403: the registry wants (other) credentials. */
export interface RegistryDenied extends About {
  readonly _tag: 'RegistryDenied'
  readonly status: 401 | 403
  /** Where the credentials that were sent came from; absent when none were. */
  readonly credentials?: string
  /** A credential helper configured for this registry, which imgcfg does not run. */
  readonly helper?: string
  /** The registry's own words, when it said something. */
  readonly detail?: string
}

/** No HTTP answer: refused, unknown host, TLS failure, timeout. */
export interface RegistryUnreachable extends About {
  readonly _tag: 'RegistryUnreachable'
  readonly url: string
  readonly reason: 'refused' | 'dns' | 'timeout' | 'tls' | 'reset' | 'other'
  readonly detail?: string
  /** The timeout that ran out, for `reason: 'timeout'`. */
  readonly timeoutMs?: number
}

/** An HTTP answer that is none of the above (5xx or 429 after the retries, 400, …). */
export interface RegistryResponseError extends About {
  readonly _tag: 'RegistryResponseError'
  readonly url: string
  readonly status: number
  readonly attempts: number
  /** The distribution error code and message, when the body had one. */
  readonly code?: string
  readonly message?: string
}

/** The token service named by a `WWW-Authenticate: Bearer` challenge did not give a token. */
export interface TokenFailure extends About {
  readonly _tag: 'TokenFailure'
  readonly realm: string
  readonly detail: string
}

/** A Docker config file (`~/.docker/config.json`) that exists but cannot be used. */
export interface DockerConfigUnreadable {
  readonly _tag: 'DockerConfigUnreadable'
  readonly path: string
  readonly detail: string
}

/**
 * Every error of `@imgcfg/registry` that core does not have.
 *
 * @since 0.1.0
 */
export type RegistryError =
  | ManifestUnknown
  | RepositoryUnknown
  | RegistryDenied
  | RegistryUnreachable
  | RegistryResponseError
  | TokenFailure
  | DockerConfigUnreadable

/** What the functions of this package fail with: a core error (an invalid reference) or a registry one. */
export type ResolveError = ImgcfgError | RegistryError

const REGISTRY_TAGS: ReadonlySet<string> = new Set<RegistryError['_tag']>([
  'ManifestUnknown',
  'RepositoryUnknown',
  'RegistryDenied',
  'RegistryUnreachable',
  'RegistryResponseError',
  'TokenFailure',
  'DockerConfigUnreadable',
])

// -------------------------------------------------------------------------------------
// refinements
// -------------------------------------------------------------------------------------

/**
 * Whether an error is one of this package's (rather than core's).
 *
 * @example
 * import { isRegistryError } from '@imgcfg/registry'
 * isRegistryError({ _tag: 'RepositoryUnknown', image: 'x:1', registry: 'docker.io', repository: 'library/x' }) // true
 *
 * @since 0.1.0
 */
export const isRegistryError = (e: ResolveError): e is RegistryError => REGISTRY_TAGS.has(e._tag)

/**
 * Whether the error means "the image does not exist" (as opposed to "could not find out").
 *
 * @example
 * import { isMissing } from '@imgcfg/registry'
 * isMissing({ _tag: 'ManifestUnknown', image: 'x:2', registry: 'docker.io', repository: 'library/x', reference: '2' }) // true
 *
 * @since 0.1.0
 */
export const isMissing = (e: ResolveError): boolean => e._tag === 'ManifestUnknown' || e._tag === 'RepositoryUnknown'

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

const UNREACHABLE: Readonly<Record<RegistryUnreachable['reason'], string>> = {
  refused: 'connection refused (is it running, and on that port?)',
  dns: 'no such host',
  timeout: 'no answer in time',
  tls: 'the TLS handshake failed (if it serves plain HTTP, list it as an insecure registry: --insecure-registry host:port)',
  reset: 'the connection was closed before an answer',
  other: 'the request failed',
}

const MAX_TAGS_SHOWN = 10

const seconds = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`)

/**
 * The sentence a user reads, for this package's errors and core's alike.
 *
 * @example
 * import { formatRegistryError } from '@imgcfg/registry'
 * formatRegistryError({ _tag: 'RepositoryUnknown', image: 'localhost:5000/nope:1', registry: 'localhost:5000', repository: 'nope' })
 * // 'localhost:5000/nope:1: repository "nope" does not exist on registry localhost:5000.'
 *
 * @since 0.1.0
 */
export const formatRegistryError = (e: ResolveError): string => {
  if (!isRegistryError(e)) return formatError(e)
  switch (e._tag) {
    case 'ManifestUnknown': {
      const what = e.reference.includes(':') ? `manifest ${e.reference}` : `tag ${JSON.stringify(e.reference)}`
      const tags =
        e.tags === undefined
          ? ''
          : e.tags.length === 0
            ? ' The repository has no tags.'
            : ` Tags there: ${e.tags.slice(0, MAX_TAGS_SHOWN).join(', ')}${e.tags.length > MAX_TAGS_SHOWN ? `, … (${e.tags.length} in all)` : ''}.`
      return `${e.image}: ${what} not found in repository ${JSON.stringify(e.repository)} on registry ${e.registry}.${tags}`
    }
    case 'RepositoryUnknown':
      return `${e.image}: repository ${JSON.stringify(e.repository)} does not exist on registry ${e.registry}.`
    case 'RegistryDenied': {
      const status = e.status === 401 ? '401 Unauthorized' : '403 Forbidden'
      const sent = e.credentials !== undefined ? `with the credentials from ${e.credentials}` : 'without credentials'
      const said = e.detail ? ` (${JSON.stringify(e.detail)})` : ''
      const hint =
        e.helper !== undefined
          ? ` Its credentials are kept by the credential helper docker-credential-${e.helper}, which imgcfg does not run; put them in the auths of a Docker config file instead (--docker-config).`
          : e.credentials === undefined
            ? ` Log in (docker login ${e.registry}) or point --docker-config at a config.json with credentials; some registries also answer this way for a repository that does not exist.`
            : ''
      return `${e.image}: registry ${e.registry} denied access ${sent}: ${status}${said}.${hint}`
    }
    case 'RegistryUnreachable': {
      const reason = e.reason === 'timeout' && e.timeoutMs !== undefined ? `no answer within ${seconds(e.timeoutMs)}` : UNREACHABLE[e.reason]
      return `${e.image}: cannot reach registry ${e.registry} (${e.url}): ${reason}${e.detail && e.reason === 'other' ? ` (${e.detail})` : ''}.`
    }
    case 'RegistryResponseError': {
      const said = e.code !== undefined || e.message !== undefined ? ` (${[e.code, e.message].filter(Boolean).join(': ')})` : ''
      const attempts = e.attempts > 1 ? ` after ${e.attempts} attempts` : ''
      return `${e.image}: registry ${e.registry} answered HTTP ${e.status}${said}${attempts} for ${e.url}.`
    }
    case 'TokenFailure':
      return `${e.image}: could not get a token for registry ${e.registry} from ${e.realm}: ${e.detail}.`
    case 'DockerConfigUnreadable':
      return `Cannot use the Docker config file ${JSON.stringify(e.path)}: ${e.detail}.`
  }
}
