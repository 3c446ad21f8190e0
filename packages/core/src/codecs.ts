/**
 * io-ts codecs of flytekit's wire format (`ImageConfig.to_dict()` / `to_json()`), and the drawing
 * of decode errors into readable problems with JSON paths.
 *
 * @example
 * import { ImageConfigJson } from '@imgcfg/core/codecs'
 * ImageConfigJson.is({ default_image: null, images: [] }) // true
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import type { DecodeFailure, DecodeProblem, ImgcfgError } from './errors.js'
import { describeValue } from './errors.js'
import type { Image } from './Image.js'
import * as I from './Image.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

const IMAGE_OBJECT = 'an image object { name, fqn, tag?, digest? }'

const OptionalString = /* @__PURE__ */ t.union([t.string, t.null, t.undefined], 'a string or null')

/**
 * One image on the wire: `name` and `fqn` are required, `tag` and `digest` may be absent or null.
 * Extra keys are ignored, as dataclasses_json does.
 *
 * @since 0.1.0
 */
export const ImageJson = /* @__PURE__ */ t.intersection(
  [
    /* @__PURE__ */ t.type({ name: t.string, fqn: t.string }, IMAGE_OBJECT),
    /* @__PURE__ */ t.partial({ tag: OptionalString, digest: OptionalString }, IMAGE_OBJECT),
  ],
  IMAGE_OBJECT,
)

/** @since 0.1.0 */
export type ImageJsonInput = t.TypeOf<typeof ImageJson>

const ImagesJson = /* @__PURE__ */ t.array(ImageJson, 'a list of image objects')

/**
 * A whole configuration on the wire; both keys may be absent or null.
 *
 * @since 0.1.0
 */
export const ImageConfigJson = /* @__PURE__ */ t.partial(
  {
    default_image: /* @__PURE__ */ t.union([ImageJson, t.null, t.undefined], 'an image object or null'),
    images: /* @__PURE__ */ t.union([ImagesJson, t.null, t.undefined], 'a list of image objects or null'),
  },
  'ImageConfig',
)

/** @since 0.1.0 */
export type ImageConfigJsonInput = t.TypeOf<typeof ImageConfigJson>

/**
 * The configuration model (see `ImageConfig`): the default image, and all images, default first.
 *
 * @since 0.1.0
 */
export interface ImageConfigModel {
  readonly defaultImage?: Image
  readonly images: ReadonlyArray<Image>
}

/**
 * The wire shape `toDict` writes.
 *
 * @since 0.1.0
 */
export interface ImageConfigWire {
  readonly default_image: I.ImageJson | null
  readonly images: ReadonlyArray<I.ImageJson> | null
}

// -------------------------------------------------------------------------------------
// codecs
// -------------------------------------------------------------------------------------

const decodeImage = (u: I.ImageJson | ImageJsonInput, c: t.Context): t.Validation<Image> => {
  const made = I.make({ name: u.name, fqn: u.fqn, tag: u.tag ?? null, digest: u.digest ?? null })
  return E.isRight(made) ? t.success(made.right) : t.failure(u, c, imageProblem(made.left))
}

const imageProblem = (e: ImgcfgError): string =>
  e._tag === 'TagAndDigest' ? 'an image with a tag or a digest, not both' : 'a valid image'

/**
 * Decodes the wire format into the model (and encodes it back). Images are built with
 * `Image.make`, so a tag and a digest together fail here too.
 *
 * @example
 * import { ImageConfigCodec } from '@imgcfg/core/codecs'
 * ImageConfigCodec.decode({ images: [{ name: 'a', fqn: 'x', tag: '1' }] })
 *
 * @since 0.1.0
 */
export const ImageConfigCodec = /* @__PURE__ */ new t.Type<ImageConfigModel, ImageConfigWire, unknown>(
  'ImageConfig',
  (u): u is ImageConfigModel =>
    typeof u === 'object' && u !== null && Array.isArray((u as { images?: unknown }).images),
  (u, c) => {
    const wire = ImageConfigJson.validate(u, c)
    if (E.isLeft(wire)) return wire
    const errors: t.Errors = []
    let defaultImage: Image | undefined
    const dflt = wire.right.default_image
    if (dflt !== null && dflt !== undefined) {
      const d = decodeImage(dflt, t.appendContext(c, 'default_image', ImageJson, dflt))
      if (E.isLeft(d)) errors.push(...d.left)
      else defaultImage = d.right
    }
    const images: Image[] = []
    ;(wire.right.images ?? []).forEach((img, i) => {
      const ctx = t.appendContext(t.appendContext(c, 'images', ImagesJson, wire.right.images), String(i), ImageJson, img)
      const d = decodeImage(img, ctx)
      if (E.isLeft(d)) errors.push(...d.left)
      else images.push(d.right)
    })
    if (errors.length > 0) return t.failures(errors)
    return t.success(defaultImage ? { defaultImage, images } : { images })
  },
  (config) => ({
    default_image: config.defaultImage ? I.toDict(config.defaultImage) : null,
    images: config.images.map(I.toDict),
  }),
)

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/

// io-ts also records union and intersection members in the context; only object keys and
// array indices are part of the JSON path.
const pathOf = (context: t.Context): string => {
  let path = '$'
  for (let i = 1; i < context.length; i++) {
    const parent = (context[i - 1]!.type as { _tag?: string })._tag
    const key = context[i]!.key
    if (parent === 'UnionType' || parent === 'IntersectionType') continue
    if (parent === 'ArrayType') path += `[${key}]`
    else path += IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`
  }
  return path
}

// The name of the outermost union or intersection that failed at this path, not its members'.
const expectedAt = (context: t.Context): string => {
  let i = context.length - 1
  while (i > 0 && COMBINATORS.has((context[i - 1]!.type as { _tag?: string })._tag ?? '')) i--
  return context[i]?.type.name ?? 'a valid value'
}

const COMBINATORS = new Set(['UnionType', 'IntersectionType'])

/**
 * Turns io-ts errors into one problem per JSON path, with what was expected there.
 *
 * @example
 * import { ImageConfigCodec, drawErrors } from '@imgcfg/core/codecs'
 * import * as E from 'fp-ts/lib/Either.js'
 * const r = ImageConfigCodec.decode({ images: [{ name: 'a' }] })
 * E.isLeft(r) && drawErrors(r.left) // { _tag: 'DecodeFailure', problems: [{ path: '$.images[0].fqn', ... }] }
 *
 * @since 0.1.0
 */
export const drawErrors = (errors: t.Errors): DecodeFailure => {
  const byPath = new Map<string, { expected: Set<string>; actual: unknown }>()
  for (const error of errors) {
    const path = pathOf(error.context)
    const expected = error.message ?? expectedAt(error.context)
    const entry = byPath.get(path) ?? { expected: new Set<string>(), actual: error.value }
    entry.expected.add(expected)
    byPath.set(path, entry)
  }
  // A union reports every member; the deepest path is the one that explains the problem.
  // Every proper prefix of a path that ends before a `.` or `[` is an ancestor; linear in the paths' length.
  const ancestors = new Set<string>()
  for (const path of byPath.keys()) {
    for (let i = 1; i < path.length; i++) if (path[i] === '.' || path[i] === '[') ancestors.add(path.slice(0, i))
  }
  const deepest = [...byPath.keys()].filter((path) => !ancestors.has(path))
  const problems: DecodeProblem[] = deepest.map((path) => [path, byPath.get(path)!] as const).map(([path, { expected, actual }]) => ({
    path,
    expected: [...expected].join(' or '),
    actual: describeValue(actual),
  }))
  return { _tag: 'DecodeFailure', problems }
}
