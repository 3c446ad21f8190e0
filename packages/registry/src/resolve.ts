/**
 * Asking registries about images with the OCI distribution API: which digest a tag points at
 * (`resolveDigest`) and whether every image of a configuration exists (`verifyImages`).
 *
 * @since 0.1.0
 */
import { createHash } from 'node:crypto'
import * as Image from '@imgcfg/core/Image'
import type { ImageConfig } from '@imgcfg/core/ImageConfig'
import * as Reference from '@imgcfg/core/Reference'
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
 * import * as E from 'fp-ts/lib/Either.js'
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
      return mediaType || 'unknown type'
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
  const head = await request(session, target, 'HEAD', url, ACCEPT)
  if (E.isLeft(head)) return head
  const { response } = head.right
  if (response.status === 200) {
    const digest = validDigest(response.headers.get('docker-content-digest'))
    if (digest !== undefined) return E.right(resolved(target, target.byDigest ? target.reference : digest, mediaTypeOf(response)))
  } else if (response.status !== 405) {
    return failure(session, target, head.right, url)
  }
  // No digest header (or no HEAD): the digest is the hash of the manifest's bytes.
  const get = await request(session, target, 'GET', url, ACCEPT)
  if (E.isLeft(get)) return get
  if (get.right.response.status !== 200) return failure(session, target, get.right, url)
  const body = await readBody(get.right.response, MAX_MANIFEST_BYTES)
  if (body === undefined) {
    return E.left(responseError(target, url, get.right, { message: 'the manifest is larger than 4 MiB' }))
  }
  const header = validDigest(get.right.response.headers.get('docker-content-digest'))
  const digest = target.byDigest ? target.reference : (header ?? `sha256:${createHash('sha256').update(body).digest('hex')}`)
  return E.right(resolved(target, digest, mediaTypeOf(get.right.response) || mediaTypeInBody(body)))
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
  return list === undefined ? missingManifest : { ...missingManifest, tags: list }
}

const parseTags = (body: Uint8Array): ReadonlyArray<string> | undefined => {
  try {
    const json = JSON.parse(new TextDecoder().decode(body)) as { tags?: unknown }
    if (json.tags === null) return []
    return Array.isArray(json.tags) ? json.tags.filter((t): t is string => typeof t === 'string').sort() : undefined
  } catch {
    return undefined
  }
}

const validDigest = (header: string | null): string | undefined => {
  const value = header?.trim()
  return value !== undefined && E.isRight(Reference.parseDigest(value)) ? value : undefined
}

const mediaTypeOf = (response: Response): string => (response.headers.get('content-type') ?? '').split(';')[0]!.trim()

const mediaTypeInBody = (body: Uint8Array): string => {
  try {
    const json = JSON.parse(new TextDecoder().decode(body)) as { mediaType?: unknown }
    return typeof json.mediaType === 'string' ? json.mediaType : ''
  } catch {
    return ''
  }
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
