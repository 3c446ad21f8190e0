/**
 * A container image as flytekit models it: a user-given `name`, the repository path `fqn` as
 * written, and at most one of `tag` and `digest`.
 *
 * @example
 * import * as Image from '@imgcfg/core/Image'
 * const img = Image.lookUpImageInfo('app', 'ghcr.io/org/app:1.0')
 * // Right({ name: 'app', fqn: 'ghcr.io/org/app', tag: '1.0' })
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { ImgcfgError, InvalidArgument } from './errors.js'
import { describeValue } from './errors.js'
import * as Reference from './Reference.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * An image. `tag` and `digest` are never both present and never empty strings.
 *
 * @since 0.1.0
 */
export interface Image {
  readonly name: string
  readonly fqn: string
  readonly tag?: string
  readonly digest?: string
}

/**
 * The flytekit wire shape of an image (`Image.to_dict()`): absent values are `null`.
 *
 * @since 0.1.0
 */
export interface ImageJson {
  readonly name: string
  readonly fqn: string
  readonly tag: string | null
  readonly digest: string | null
}

/**
 * The parts of an identifier, as `parseIdentifier` splits it.
 *
 * @since 0.1.0
 */
export interface Identifier {
  readonly fqn: string
  readonly tag?: string
  readonly digest?: string
}

/** The fields `make` accepts; `null`, `undefined` and `''` all mean "absent" for tag and digest. */
export interface ImageFields {
  readonly name: string
  readonly fqn: string
  readonly tag?: string | null
  readonly digest?: string | null
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

const invalidField = (field: string, actual: unknown): ImgcfgError => ({
  _tag: 'InvalidImageField',
  field,
  actual: describeValue(actual),
})

const optionalField = (
  fields: Record<string, unknown>,
  field: 'tag' | 'digest',
): E.Either<ImgcfgError, string | undefined> => {
  const value = fields[field]
  if (value === undefined || value === null || value === '') return E.right(undefined)
  return typeof value === 'string' ? E.right(value) : E.left(invalidField(field, value))
}

/**
 * Builds an image, checking the field types and that tag and digest are not both given.
 * An empty tag or digest counts as absent (flytekit would render `x:`).
 *
 * @example
 * import * as Image from '@imgcfg/core/Image'
 * Image.make({ name: 'a', fqn: 'x', tag: '1', digest: 'sha256:abc' })
 * // Left({ _tag: 'TagAndDigest', tag: '1', digest: 'sha256:abc' })
 *
 * @since 0.1.0
 */
export const make = (fields: ImageFields): E.Either<ImgcfgError, Image> => {
  if (typeof fields !== 'object' || fields === null) {
    return E.left(invalidArgument('Image.make', `expected an object with name and fqn, got ${describeValue(fields)}`))
  }
  const record = fields as unknown as Record<string, unknown>
  const { name, fqn } = record
  if (typeof name !== 'string') return E.left(invalidField('name', name))
  if (typeof fqn !== 'string') return E.left(invalidField('fqn', fqn))
  const tag = optionalField(record, 'tag')
  if (E.isLeft(tag)) return tag
  const digest = optionalField(record, 'digest')
  if (E.isLeft(digest)) return digest
  if (tag.right !== undefined && digest.right !== undefined) {
    return E.left({ _tag: 'TagAndDigest', tag: tag.right, digest: digest.right })
  }
  return E.right(build(name, { fqn, tag: tag.right, digest: digest.right }))
}

const build = (name: string, id: { fqn: string; tag?: string | undefined; digest?: string | undefined }): Image =>
  id.digest !== undefined
    ? { name, fqn: id.fqn, digest: id.digest }
    : id.tag !== undefined
      ? { name, fqn: id.fqn, tag: id.tag }
      : { name, fqn: id.fqn }

const invalidArgument = (fn: string, message: string): InvalidArgument => ({
  _tag: 'InvalidArgument',
  fn,
  message,
})

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/**
 * The reference a container runtime pulls: `fqn@digest`, `fqn:tag` or just `fqn`.
 *
 * @example
 * import * as Image from '@imgcfg/core/Image'
 * Image.full({ name: 'a', fqn: 'x' }) // 'x' (flytekit prints 'x:None')
 *
 * @since 0.1.0
 */
export const full = (image: Image): string => {
  const fqn = typeof image?.fqn === 'string' ? image.fqn : ''
  if (typeof image?.digest === 'string' && image.digest !== '') return `${fqn}@${image.digest}`
  if (typeof image?.tag === 'string' && image.tag !== '') return `${fqn}:${image.tag}`
  return fqn
}

/**
 * The digest if there is one, else the tag.
 *
 * @example
 * import * as Image from '@imgcfg/core/Image'
 * Image.version({ name: 'a', fqn: 'x', tag: '1' }) // '1'
 *
 * @since 0.1.0
 */
export const version = (image: Image): string | undefined => {
  if (typeof image?.digest === 'string' && image.digest !== '') return image.digest
  if (typeof image?.tag === 'string' && image.tag !== '') return image.tag
  return undefined
}

/**
 * The flytekit wire shape, with `null` for absent values and flytekit's key order.
 *
 * @example
 * import * as Image from '@imgcfg/core/Image'
 * Image.toDict({ name: 'n', fqn: 'f' }) // { name: 'n', fqn: 'f', tag: null, digest: null }
 *
 * @since 0.1.0
 */
export const toDict = (image: Image): ImageJson => ({
  name: typeof image?.name === 'string' ? image.name : '',
  fqn: typeof image?.fqn === 'string' ? image.fqn : '',
  tag: typeof image?.tag === 'string' && image.tag !== '' ? image.tag : null,
  digest: typeof image?.digest === 'string' && image.digest !== '' ? image.digest : null,
})

/**
 * Whether two images have the same four fields (flytekit's dataclass `==`).
 *
 * @example
 * import * as Image from '@imgcfg/core/Image'
 * Image.equals({ name: 'a', fqn: 'x' }, { name: 'a', fqn: 'x' }) // true
 *
 * @since 0.1.0
 */
export const equals = (a: Image, b: Image): boolean => {
  const x = toDict(a)
  const y = toDict(b)
  return x.name === y.name && x.fqn === y.fqn && x.tag === y.tag && x.digest === y.digest
}

// -------------------------------------------------------------------------------------
// parsing
// -------------------------------------------------------------------------------------

/** Splits `s` at the last `:` when what follows has no `/` (so a registry port is not a tag). */
const splitTag = (s: string): Identifier => {
  const colon = s.lastIndexOf(':')
  if (colon === -1 || s.includes('/', colon + 1)) return { fqn: s }
  const tag = s.slice(colon + 1)
  return tag === '' ? { fqn: s.slice(0, colon) } : { fqn: s.slice(0, colon), tag }
}

/**
 * Splits an identifier the lenient way flytekit does; never fails.
 *
 * 1. At the last `@`: left is the fqn, right the digest. A tag before it (`repo:tag@sha256:…`)
 *    is dropped, since the digest pins the image.
 * 2. Else at the last `:` when the right side has no `/`: the tag.
 * 3. Else the whole string is the fqn.
 *
 * An empty tag or digest (`x:`, `x@`) counts as absent.
 *
 * @example
 * import * as Image from '@imgcfg/core/Image'
 * Image.parseIdentifier('localhost:5000/xyz:1.0') // { fqn: 'localhost:5000/xyz', tag: '1.0' }
 *
 * @since 0.1.0
 */
export const parseIdentifier = (identifier: string): Identifier => {
  const s = typeof identifier === 'string' ? identifier : ''
  const at = s.lastIndexOf('@')
  if (at === -1) return splitTag(s)
  const left = s.slice(0, at)
  const digest = s.slice(at + 1)
  if (digest === '') return { fqn: left }
  return { fqn: splitTag(left).fqn, digest }
}

/**
 * Looks up an image by name and identifier, as flytekit's `Image.look_up_image_info`. Unless
 * `allowNoTagOrDigest`, an identifier with neither tag nor digest is an error. With
 * `{ strict: true }` the identifier must also be a valid OCI reference (`Reference.parse`).
 *
 * @example
 * import * as Image from '@imgcfg/core/Image'
 * Image.lookUpImageInfo('img', 'ubuntu')
 * // Left({ _tag: 'MissingTagOrDigest', identifier: 'ubuntu', name: 'img' })
 *
 * @since 0.1.0
 */
export const lookUpImageInfo = (
  name: string,
  identifier: string,
  allowNoTagOrDigest = false,
  options?: { readonly strict?: boolean },
): E.Either<ImgcfgError, Image> => {
  if (typeof name !== 'string') {
    return E.left(invalidArgument('Image.lookUpImageInfo', `the image name must be a string, got ${describeValue(name)}`))
  }
  if (typeof identifier !== 'string') {
    return E.left(
      invalidArgument('Image.lookUpImageInfo', `the identifier must be a string, got ${describeValue(identifier)}`),
    )
  }
  if (options?.strict === true) {
    const checked = Reference.parse(identifier)
    if (E.isLeft(checked)) return checked
  }
  const id = parseIdentifier(identifier)
  if (id.tag === undefined && id.digest === undefined && allowNoTagOrDigest !== true) {
    return E.left({ _tag: 'MissingTagOrDigest', identifier, name })
  }
  return E.right(build(name, id))
}
