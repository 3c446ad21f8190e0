/**
 * What can go wrong when asking a registry about an image: a tagged union, like core's
 * `ImgcfgError`, with one `formatRegistryError` that turns any of them (core's included) into
 * the sentence a user reads. Every message names the image and the registry.
 *
 * @since 0.1.0
 */
import { formatError, quote, type ImgcfgError } from '@imgcfg/core/errors'
import { redactUrl, said, shortVisible } from './text.js'

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
  /** Some of the tags the repository does have, when the registry listed them (sorted as versions). */
  readonly tags?: ReadonlyArray<string>
  /** A tag there that is one typo away from the one asked for. */
  readonly suggestion?: string
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
  /** The credential helper the credentials came from (or that had none for this registry). */
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
  /** The image being checked when the file was needed (absent when read on its own). */
  readonly image?: string
  readonly registry?: string
}

/** A redirect that is not followed: to plain HTTP from HTTPS, to a URL with credentials, or too many. */
export interface UnsafeRedirect extends About {
  readonly _tag: 'UnsafeRedirect'
  readonly url: string
  readonly location: string
  readonly reason: 'downgrade' | 'credentials' | 'scheme' | 'too-many' | 'invalid'
}

/** An answer that is not a manifest (an HTML page, JSON of another shape, no manifest media type). */
export interface ManifestInvalid extends About {
  readonly _tag: 'ManifestInvalid'
  readonly url: string
  readonly problem: string
}

/**
 * The manifest's bytes do not hash to the digest they should: the one the registry announced
 * (`Docker-Content-Digest`) or the one the reference asked for.
 */
export interface DigestMismatch extends About {
  readonly _tag: 'DigestMismatch'
  readonly url: string
  /** What the bytes hash to. */
  readonly actual: string
  /** What was claimed or asked for. */
  readonly expected: string
  readonly source: 'header' | 'reference'
}

/** A credential helper (`docker-credential-NAME get`) that is missing, fails or answers nonsense. */
export interface CredentialHelperFailure extends About {
  readonly _tag: 'CredentialHelperFailure'
  readonly helper: string
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
  | UnsafeRedirect
  | ManifestInvalid
  | DigestMismatch
  | CredentialHelperFailure

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
  'UnsafeRedirect',
  'ManifestInvalid',
  'DigestMismatch',
  'CredentialHelperFailure',
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
  // The image is the user's (core has checked it); everything else may come from the registry.
  const image = 'image' in e && typeof e.image === 'string' ? shortVisible(e.image, 200) : ''
  const registry = 'registry' in e && typeof e.registry === 'string' ? shortVisible(e.registry) : ''
  switch (e._tag) {
    case 'ManifestUnknown': {
      const what = e.reference.includes(':') ? `manifest ${shortVisible(e.reference, 140)}` : `tag ${quote(e.reference)}`
      const tags =
        e.tags === undefined
          ? ''
          : e.tags.length === 0
            ? ' The repository has no tags.'
            : ` Tags there: ${e.tags.slice(0, MAX_TAGS_SHOWN).map((t) => shortVisible(t, 40)).join(', ')}${e.tags.length > MAX_TAGS_SHOWN ? `, … (${e.tags.length} in all)` : ''}.`
      const near = e.suggestion !== undefined ? ` Did you mean ${quote(e.suggestion)}?` : ''
      return `${image}: ${what} not found in repository ${quote(e.repository)} on registry ${registry}.${near}${tags}`
    }
    case 'RepositoryUnknown':
      return `${image}: repository ${quote(e.repository)} does not exist on registry ${registry}.`
    case 'RegistryDenied': {
      const status = e.status === 401 ? '401 Unauthorized' : '403 Forbidden'
      const sent =
        e.credentials !== undefined
          ? `with the credentials from ${e.helper !== undefined ? `the credential helper docker-credential-${shortVisible(e.helper)}` : shortVisible(e.credentials, 200)}`
          : 'without credentials'
      const words = e.detail ? ` (${quote(said(e.detail))})` : ''
      const hint =
        e.credentials === undefined
          ? e.helper !== undefined
            ? ` The credential helper docker-credential-${shortVisible(e.helper)} has no credentials for it; log in (docker login ${registry}).`
            : ` Log in (docker login ${registry}) or point --docker-config at a config.json with credentials; some registries also answer this way for a repository that does not exist.`
          : ''
      return `${image}: registry ${registry} denied access ${sent}: ${status}${words}.${hint}`
    }
    case 'RegistryUnreachable': {
      const reason = e.reason === 'timeout' && e.timeoutMs !== undefined ? `no answer within ${seconds(e.timeoutMs)}` : UNREACHABLE[e.reason]
      return `${image}: cannot reach registry ${registry} (${redactUrl(e.url)}): ${reason}${e.detail && e.reason === 'other' ? ` (${said(e.detail)})` : ''}.`
    }
    case 'RegistryResponseError': {
      const words =
        e.code !== undefined || e.message !== undefined
          ? ` (${[e.code !== undefined ? shortVisible(e.code, 40) : undefined, e.message !== undefined ? said(e.message) : undefined].filter(Boolean).join(': ')})`
          : ''
      const attempts = e.attempts > 1 ? ` after ${e.attempts} attempts` : ''
      return `${image}: registry ${registry} answered HTTP ${e.status}${words}${attempts} for ${redactUrl(e.url)}.`
    }
    case 'TokenFailure':
      return `${image}: could not get a token for registry ${registry} from ${redactUrl(e.realm)}: ${said(e.detail)}.`
    case 'DockerConfigUnreadable': {
      const file = `the Docker config file ${quote(e.path)}`
      return image !== ''
        ? `${image}: cannot use ${file} (registry ${registry} asked for credentials): ${e.detail}.`
        : `Cannot use ${file}: ${e.detail}.`
    }
    case 'UnsafeRedirect':
      return `${image}: registry ${registry} redirected ${redactUrl(e.url)} to ${redactUrl(e.location)}, which was not followed: ${REDIRECT[e.reason]}.`
    case 'ManifestInvalid':
      return `${image}: registry ${registry} answered ${redactUrl(e.url)} with something that is not an image manifest: ${e.problem}.`
    case 'DigestMismatch':
      return e.source === 'header'
        ? `${image}: registry ${registry} says the manifest's digest is ${shortVisible(e.expected, 140)}, but its bytes hash to ${e.actual}; not trusted.`
        : `${image}: the manifest registry ${registry} answered for ${shortVisible(e.expected, 140)} hashes to ${e.actual}; not trusted.`
    case 'CredentialHelperFailure':
      return `${image}: could not get the credentials for registry ${registry} from the credential helper docker-credential-${shortVisible(e.helper)}: ${e.detail}.`
  }
}

const REDIRECT: Readonly<Record<UnsafeRedirect['reason'], string>> = {
  downgrade: 'it leaves HTTPS for plain HTTP (allowed only to loopback hosts and --insecure-registry ones)',
  credentials: 'the new URL has credentials in it',
  scheme: 'it is neither HTTPS nor HTTP',
  'too-many': 'too many redirects',
  invalid: 'the new location is not a URL',
}
