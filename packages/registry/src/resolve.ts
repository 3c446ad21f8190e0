/**
 * Asking registries about images with the OCI distribution API: which digest a tag points at
 * (`resolveDigest`) and whether every image of a configuration exists (`verifyImages`).
 *
 * @since 0.1.0
 */
import { createHash } from 'node:crypto'
import * as Image from '@imgcfg/core/Image'
import type { ImageConfig } from '@imgcfg/core/ImageConfig'
import { editDistance, quote } from '@imgcfg/core/errors'
import { shortVisible } from './text.js'
import * as E from 'fp-ts/lib/Either.js'
import type * as T from 'fp-ts/lib/Task.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { RegistryError, ResolveError } from './errors.js'
import { classify, discard, readBody, readError } from './http.js'
import type { RegistryOptions } from './options.js'
import { makeSession, request, type Reply, type Session } from './Session.js'
import * as Target from './Target.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * What a registry says about an image.
 *
 * @since 0.1.0
 */
export interface ResolvedDigest {
  /** The manifest's digest (`sha256:…`): what a pull of this reference gets today. */
  readonly digest: string
  /** The manifest's media type (an OCI index, a Docker manifest list, …). */
  readonly mediaType: string
  /** The name as the user wrote it, pinned: `fqn@digest`. */
  readonly pinned: string
  readonly registry: string
  readonly repository: string
}

/**
 * One image of `verifyImages` and what the registry said about it.
 *
 * @since 0.1.0
 */
export interface ImageCheck {
  readonly image: Image.Image
  readonly result: E.Either<ResolveError, ResolvedDigest>
}

/**
 * The manifest media types asked for, most specific first: a multi-platform index is what a pull
 * starts from, so its digest is the one to pin.
 *
 * @since 0.1.0
 */
export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const

const ACCEPT = Object.values(MEDIA_TYPES).join(', ')

/** The distribution spec's limit on what a registry must accept as a manifest. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024

/** A tag list larger than this is not read (it only decorates a "tag not found" message). */
const MAX_TAGS_BYTES = 1024 * 1024

// -------------------------------------------------------------------------------------
// resolving
// -------------------------------------------------------------------------------------

/**
 * The digest and media type of the manifest a reference points at: `HEAD` on the manifest with
 * the OCI and Docker v2 media types accepted, reading `Docker-Content-Digest`; when a registry
 * does not send that header, `GET` and the SHA-256 of the body. A digest reference is checked the
 * same way. `ubuntu` means `docker.io/library/ubuntu:latest`.
 *
 * @example
 * import { resolveDigest } from '@imgcfg/registry'
 * const result = await resolveDigest('localhost:5000/app:1.0', { timeoutMs: 5_000 })()
 * // Right({ digest: 'sha256:…', mediaType: 'application/vnd.oci.image.index.v1+json', pinned: 'localhost:5000/app@sha256:…', … })
 *
 * @since 0.1.0
 */
export const resolveDigest =
  (reference: string | Image.Image, options: RegistryOptions = {}): TE.TaskEither<ResolveError, ResolvedDigest> =>
  () =>
    resolveWith(makeSession(options), reference)

/**
 * Checks every image of a configuration (or a list of images), at most `concurrency` at a time,
 * each distinct reference once. Never fails as a whole: each image has its own result, in order.
 *
 * @example
 * import { verifyImages, formatRegistryError } from '@imgcfg/registry'
 * import type { ImageConfig } from '@imgcfg/core/ImageConfig'
 * import * as E from 'fp-ts/lib/Either.js'
 * const config: ImageConfig = { images: [] } // the configuration to check, e.g. from resolve
 * const checks = await verifyImages(config, { concurrency: 4 })()
 * for (const { image, result } of checks) if (E.isLeft(result)) console.error(image.name, formatRegistryError(result.left))
 *
 * @since 0.1.0
 */
export const verifyImages =
  (images: ImageConfig | ReadonlyArray<Image.Image>, options: RegistryOptions = {}): T.Task<ReadonlyArray<ImageCheck>> =>
  async () => {
    const list: ReadonlyArray<Image.Image> = isImageList(images) ? images : Array.isArray(images?.images) ? images.images : []
    const session = makeSession(options)
    const limit = limiter(session.settings.concurrency)
    const byReference = new Map<string, Promise<E.Either<ResolveError, ResolvedDigest>>>()
    let done = 0
    return Promise.all(
      list.map(async (image): Promise<ImageCheck> => {
        const key = Image.full(image)
        let pending = byReference.get(key)
        if (pending === undefined) {
          pending = limit(() => resolveWith(session, image))
          byReference.set(key, pending)
        }
        const result = await pending
        done += 1
        options?.onProgress?.(done, list.length)
        return { image, result }
      }),
    )
  }

/**
 * A human name for a manifest media type.
 *
 * @example
 * import { describeMediaType } from '@imgcfg/registry'
 * describeMediaType('application/vnd.oci.image.index.v1+json') // 'OCI index'
 *
 * @since 0.1.0
 */
export const describeMediaType = (mediaType: string): string => {
  switch (mediaType) {
    case MEDIA_TYPES.ociIndex:
      return 'OCI index'
    case MEDIA_TYPES.ociManifest:
      return 'OCI manifest'
    case MEDIA_TYPES.dockerManifestList:
      return 'Docker manifest list'
    case MEDIA_TYPES.dockerManifest:
      return 'Docker manifest'
    default:
      return mediaType ? shortVisible(mediaType, 80) : 'unknown type'
  }
}

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

const isImageList = (u: ImageConfig | ReadonlyArray<Image.Image>): u is ReadonlyArray<Image.Image> => Array.isArray(u)

const resolveWith = async (session: Session, reference: string | Image.Image): Promise<E.Either<ResolveError, ResolvedDigest>> => {
  const target = Target.fromReference(reference, { insecureRegistries: session.settings.insecureRegistries })
  if (E.isLeft(target)) return target
  try {
    return await resolveTarget(session, target.right)
  } catch (e) {
    // A body cut off mid-read (a timeout, a reset): `send` maps the failures before the answer.
    return E.left({
      _tag: 'RegistryUnreachable',
      image: target.right.image,
      registry: target.right.registry,
      url: Target.manifestUrl(target.right),
      ...classify(e, session.settings.timeoutMs),
    })
  }
}

const resolveTarget = async (session: Session, target: Target.Target): Promise<E.Either<RegistryError, ResolvedDigest>> => {
  const url = Target.manifestUrl(target)
  // The manifest itself, not only a HEAD: a digest is always the hash of bytes that were read and
  // checked to be a manifest, never a header taken on trust.
  const get = await request(session, target, 'GET', url, ACCEPT)
  if (E.isLeft(get)) return get
  if (get.right.response.status !== 200) return failure(session, target, get.right, url)
  const { response } = get.right
  const body = await readBody(response, MAX_MANIFEST_BYTES)
  const about = { image: target.image, registry: target.registry, url }
  if (body === undefined) return E.left({ _tag: 'ManifestInvalid', ...about, problem: 'it is larger than 4 MiB' })
  const header = response.headers.get('docker-content-digest')?.trim()
  // The algorithm is the one the reference (or the header) names; sha256 otherwise.
  const algorithm = (target.byDigest ? target.reference : (header ?? '')).split(':')[0] === 'sha512' ? 'sha512' : 'sha256'
  const digest = `${algorithm}:${createHash(algorithm).update(body).digest('hex')}`
  if (target.byDigest && digest !== target.reference) {
    return E.left({ _tag: 'DigestMismatch', ...about, expected: target.reference, actual: digest, source: 'reference' })
  }
  if (header !== undefined && header !== '' && header !== digest) {
    return E.left({ _tag: 'DigestMismatch', ...about, expected: header, actual: digest, source: 'header' })
  }
  const manifest = checkManifest(mediaTypeOf(response), body)
  if (E.isLeft(manifest)) return E.left({ _tag: 'ManifestInvalid', ...about, problem: manifest.left })
  return E.right(resolved(target, digest, manifest.right))
}

const KNOWN_TYPES: ReadonlySet<string> = new Set(Object.values(MEDIA_TYPES))
const INDEX_TYPES: ReadonlySet<string> = new Set([MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerManifestList])

/**
 * The media type of a manifest, or why the bytes are not one: a JSON object with
 * `schemaVersion` 2, of a manifest media type (the `Content-Type`, else the body's `mediaType`;
 * they agree when both are given), with `manifests` for an index and `config` for a manifest.
 */
const checkManifest = (contentType: string, body: Uint8Array): E.Either<string, string> => {
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body))
  } catch {
    return E.left(body.byteLength === 0 ? 'the body is empty' : `the body is not JSON${contentType !== '' ? ` (content type ${quote(contentType.slice(0, 80))})` : ''}`)
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return E.left('the body is not a JSON object')
  const manifest = json as { schemaVersion?: unknown; mediaType?: unknown; manifests?: unknown; config?: unknown }
  const inBody = typeof manifest.mediaType === 'string' ? manifest.mediaType : undefined
  const mediaType = KNOWN_TYPES.has(contentType) ? contentType : inBody
  if (mediaType === undefined || !KNOWN_TYPES.has(mediaType)) {
    const named = inBody ?? contentType
    return E.left(named !== '' ? `its media type ${quote(named.slice(0, 80))} is not a manifest's` : 'it has no manifest media type')
  }
  if (inBody !== undefined && inBody !== mediaType) {
    return E.left(`its content type ${quote(contentType.slice(0, 80))} and its mediaType ${quote(inBody.slice(0, 80))} disagree`)
  }
  if (manifest.schemaVersion !== 2) return E.left('its schemaVersion is not 2')
  if (INDEX_TYPES.has(mediaType) ? !Array.isArray(manifest.manifests) : typeof manifest.config !== 'object' || manifest.config === null) {
    return E.left(INDEX_TYPES.has(mediaType) ? 'an index without a manifests list' : 'a manifest without a config')
  }
  return E.right(mediaType)
}

const resolved = (target: Target.Target, digest: string, mediaType: string): ResolvedDigest => ({
  digest,
  mediaType,
  pinned: Target.pinned(target, digest),
  registry: target.registry,
  repository: target.repository,
})

/** An answer that is not the manifest, as an error that names the image and the registry. */
const failure = async (session: Session, target: Target.Target, reply: Reply, url: string): Promise<E.Either<RegistryError, never>> => {
  const about = { image: target.image, registry: target.registry }
  const { response } = reply
  const said = reply.response.status >= 400 ? await readError(response) : (await discard(response), {})
  if (response.status === 404) return E.left(await whichIsMissing(session, target, said.code))
  if (response.status === 401 || response.status === 403) {
    return E.left({
      _tag: 'RegistryDenied',
      ...about,
      status: response.status,
      ...(reply.credentials !== undefined ? { credentials: reply.credentials } : {}),
      ...(reply.helper !== undefined ? { helper: reply.helper } : {}),
      ...(said.message !== undefined ? { detail: said.message } : {}),
    })
  }
  return E.left(responseError(target, url, reply, said))
}

const responseError = (target: Target.Target, url: string, reply: Reply, said: { code?: string; message?: string }): RegistryError => ({
  _tag: 'RegistryResponseError',
  image: target.image,
  registry: target.registry,
  url,
  status: reply.response.status,
  attempts: reply.attempts,
  ...said,
})

/**
 * A manifest 404: the tag (or digest) is missing, or the whole repository. A registry says which
 * with NAME_UNKNOWN, but not every registry says it on the manifest (and a HEAD has no body), so
 * the repository's tag list decides: it exists when the list can be read.
 */
const whichIsMissing = async (session: Session, target: Target.Target, code: string | undefined): Promise<RegistryError> => {
  const about = { image: target.image, registry: target.registry, repository: target.repository }
  if (code === 'NAME_UNKNOWN') return { _tag: 'RepositoryUnknown', ...about }
  const missingManifest: RegistryError = { _tag: 'ManifestUnknown', ...about, reference: target.reference }
  const tags = await request(session, target, 'GET', Target.tagsUrl(target), 'application/json')
  if (E.isLeft(tags)) return missingManifest
  const { response } = tags.right
  if (response.status === 404) {
    const said = await readError(response)
    return said.code === 'NAME_UNKNOWN' ? { _tag: 'RepositoryUnknown', ...about } : missingManifest
  }
  if (response.status !== 200) {
    await discard(response)
    return missingManifest
  }
  const body = await readBody(response, MAX_TAGS_BYTES)
  const list = body === undefined ? undefined : parseTags(body)
  if (list === undefined) return missingManifest
  const suggestion = target.byDigest ? undefined : nearest(target.reference, list)
  return { ...missingManifest, tags: list, ...(suggestion !== undefined ? { suggestion } : {}) }
}

const parseTags = (body: Uint8Array): ReadonlyArray<string> | undefined => {
  try {
    const json = JSON.parse(new TextDecoder().decode(body)) as { tags?: unknown }
    if (json.tags === null) return []
    return Array.isArray(json.tags) ? json.tags.filter((t): t is string => typeof t === 'string').sort(compareVersions) : undefined
  } catch {
    return undefined
  }
}

const mediaTypeOf = (response: Response): string => (response.headers.get('content-type') ?? '').split(';')[0]!.trim()

/**
 * Tags in the order people read versions: runs of digits compare as numbers (`1.9` before
 * `1.10`), the rest as text; ties by plain comparison so the order is total.
 *
 * @example
 * ['1.10', '1.9', '2', 'latest'].sort(compareVersions) // ['1.9', '1.10', '2', 'latest']
 */
export const compareVersions = (a: string, b: string): number => {
  const pa = a.match(/\d+|\D+/g) ?? []
  const pb = b.match(/\d+|\D+/g) ?? []
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!
    const y = pb[i]!
    const nx = /^\d/.test(x)
    const ny = /^\d/.test(y)
    if (nx && ny) {
      const d = x.replace(/^0+/, '').length - y.replace(/^0+/, '').length || (x.replace(/^0+/, '') < y.replace(/^0+/, '') ? -1 : x.replace(/^0+/, '') > y.replace(/^0+/, '') ? 1 : 0)
      if (d !== 0) return d
    } else if (nx !== ny) {
      // A number sorts before text (`1.0` before `1.0-rc`, `2` before `latest`).
      return nx ? -1 : 1
    } else if (x !== y) return x < y ? -1 : 1
  }
  return pa.length - pb.length || (a < b ? -1 : a > b ? 1 : 0)
}

/** The one tag a typo away from `wanted` (edit distance 1 for short tags, 2 for long), if exactly one is. */
const nearest = (wanted: string, tags: ReadonlyArray<string>): string | undefined => {
  if (wanted.length < 2 || wanted.length > 64 || tags.length > 10_000) return undefined
  const limit = wanted.length >= 8 ? 2 : 1
  // Another version (2.0 for 1.0) is not a typo: tags that differ only in their numbers are not suggested.
  const skeleton = (t: string) => t.replace(/\d+/g, '#')
  const close = tags.filter(
    (t) => t !== wanted && Math.abs(t.length - wanted.length) <= limit && skeleton(t) !== skeleton(wanted) && editDistance(wanted, t) <= limit,
  )
  return close.length === 1 ? close[0] : undefined
}


/** Runs at most `n` tasks at a time, in the order they were asked for. */
const limiter = (n: number) => {
  let active = 0
  const waiting: Array<() => void> = []
  return async <A>(task: () => Promise<A>): Promise<A> => {
    // A finishing task hands its slot straight to the next waiting one.
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve))
    else active += 1
    try {
      return await task()
    } finally {
      const next = waiting.shift()
      if (next !== undefined) next()
      else active -= 1
    }
  }
}
