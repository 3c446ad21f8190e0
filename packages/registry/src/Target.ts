/**
 * Where to ask about an image: the image reference normalised (`ubuntu` → `docker.io/library/ubuntu`)
 * and turned into the registry's API endpoint, scheme included. Pure.
 *
 * @example
 * import { Target } from '@imgcfg/registry'
 * Target.fromReference('ubuntu:22.04')
 * // Right({ registry: 'docker.io', base: 'https://registry-1.docker.io', repository: 'library/ubuntu', reference: '22.04', … })
 *
 * @since 0.1.0
 */
import type { InvalidReference } from '@imgcfg/core/errors'
import * as Image from '@imgcfg/core/Image'
import * as Reference from '@imgcfg/core/Reference'
import * as E from 'fp-ts/lib/Either.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * One manifest to ask a registry about.
 *
 * @since 0.1.0
 */
export interface Target {
  /** The image as the user wrote it, for messages. */
  readonly image: string
  /** The fqn as the user wrote it: what a pinned identifier keeps (`fqn@digest`). */
  readonly fqn: string
  /** The registry's name as references spell it (`docker.io`, `ghcr.io`, `localhost:5000`). */
  readonly registry: string
  /** `scheme://host[:port]` of the registry's API (Docker Hub's is registry-1.docker.io). */
  readonly base: string
  /** The repository path inside the registry (`library/ubuntu`). */
  readonly repository: string
  /** A tag, or a digest (`sha256:…`) when the reference has one. */
  readonly reference: string
  /** Whether `reference` is a digest. */
  readonly byDigest: boolean
  /** The tag as written, when there is one (also beside a digest: `app:1.0@sha256:…`). */
  readonly tag?: string
}

/** What decides the scheme. */
export interface TargetOptions {
  /** `host[:port]` of registries to reach over plain HTTP (loopback ones always are). */
  readonly insecureRegistries?: ReadonlyArray<string>
}

/** The tag a reference with neither tag nor digest means, as for `docker pull`. */
export const DEFAULT_TAG = 'latest'

/** Where Docker Hub's registry API answers (`docker.io` is only the name). */
export const DOCKER_HUB_API = 'registry-1.docker.io'

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * The target of an identifier (a string as in a config file, or an `Image`). Normalised as Go's
 * `ParseNormalizedNamed`; no tag and no digest means `latest`; with both, the digest wins.
 *
 * @example
 * import { Target } from '@imgcfg/registry'
 * Target.fromReference('localhost:5000/app@sha256:' + 'a'.repeat(64))
 * // Right({ base: 'http://localhost:5000', repository: 'app', reference: 'sha256:aaa…', byDigest: true, … })
 *
 * @since 0.1.0
 */
export const fromReference = (input: string | Image.Image, options: TargetOptions = {}): E.Either<InvalidReference, Target> => {
  const image = typeof input === 'string' ? input : Image.full(input)
  const fqn = typeof input === 'string' ? Image.parseIdentifier(input).fqn : typeof input?.fqn === 'string' ? input.fqn : ''
  const parsed = Reference.parseNormalizedNamed(image)
  if (E.isLeft(parsed)) return parsed
  const ref = parsed.right
  // Go's corner where the whole name is a path (`foo_bar.com/x`): there is no registry to ask.
  if (ref.domain === undefined) return E.left({ _tag: 'InvalidReference', reason: 'ReferenceInvalidFormat', input: image })
  const registry = ref.domain
  const host = registry === Reference.defaultDomain ? DOCKER_HUB_API : registry
  const scheme = isPlainHttp(registry, options?.insecureRegistries ?? []) ? 'http' : 'https'
  const reference = ref.digest ?? ref.tag ?? DEFAULT_TAG
  return E.right({
    image,
    fqn,
    registry,
    base: `${scheme}://${host}`,
    repository: ref.path,
    reference,
    byDigest: ref.digest !== undefined,
    ...(ref.tag !== undefined ? { tag: ref.tag } : {}),
  })
}

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/**
 * The URL of the target's manifest.
 *
 * @example
 * import { Target } from '@imgcfg/registry'
 * import * as E from 'fp-ts/lib/Either.js'
 * const t = Target.fromReference('ubuntu')
 * E.isRight(t) && Target.manifestUrl(t.right) // 'https://registry-1.docker.io/v2/library/ubuntu/manifests/latest'
 *
 * @since 0.1.0
 */
export const manifestUrl = (target: Target, reference: string = target.reference): string =>
  `${target.base}/v2/${target.repository}/manifests/${reference}`

/**
 * The URL of the target repository's tag list.
 *
 * @since 0.1.0
 */
export const tagsUrl = (target: Target): string => `${target.base}/v2/${target.repository}/tags/list`

/**
 * The scope a pull token needs (`repository:library/ubuntu:pull`).
 *
 * @since 0.1.0
 */
export const pullScope = (target: Target): string => `repository:${target.repository}:pull`

/**
 * `name:tag@digest` as the user wrote the name and tag (`name@digest` when no tag was written):
 * what `imgcfg pin` writes. The digest pins the image for docker, containerd and flytekit alike;
 * the tag stays for people, and lets `verify` notice that it has moved.
 *
 * @example
 * import { Target } from '@imgcfg/registry'
 * import * as E from 'fp-ts/lib/Either.js'
 * const t = Target.fromReference('ubuntu:22.04')
 * E.isRight(t) && Target.pinned(t.right, 'sha256:' + 'a'.repeat(64)) // 'ubuntu:22.04@sha256:aaa…'
 *
 * @since 0.1.0
 */
export const pinned = (target: Target, digest: string): string => `${target.fqn}${target.tag !== undefined ? `:${target.tag}` : ''}@${digest}`

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/**
 * Whether a registry is spoken to over plain HTTP: `localhost`, `127.0.0.0/8` and `[::1]`
 * (with any port), or a `host[:port]` listed as insecure, exactly as written.
 *
 * @example
 * import { Target } from '@imgcfg/registry'
 * Target.isPlainHttp('127.0.0.1:5000', [])                      // true
 * Target.isPlainHttp('registry.lan:5000', ['registry.lan:5000']) // true
 * Target.isPlainHttp('ghcr.io', [])                              // false
 *
 * @since 0.1.0
 */
export const isPlainHttp = (registry: string, insecure: ReadonlyArray<string>): boolean => {
  if (Array.isArray(insecure) && insecure.some((entry) => typeof entry === 'string' && entry.toLowerCase() === registry.toLowerCase())) return true
  return isLoopback(hostOf(registry))
}

/** The host part of `host[:port]`, brackets kept for IPv6 (`[::1]`). */
const hostOf = (registry: string): string => {
  if (registry.startsWith('[')) {
    const close = registry.indexOf(']')
    return close === -1 ? registry : registry.slice(0, close + 1)
  }
  const colon = registry.lastIndexOf(':')
  return colon === -1 ? registry : registry.slice(0, colon)
}

const isLoopback = (host: string): boolean => {
  const h = host.toLowerCase()
  if (h === 'localhost' || h === '[::1]') return true
  const octets = h.split('.')
  return (
    octets.length === 4 &&
    octets[0] === '127' &&
    octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255)
  )
}
