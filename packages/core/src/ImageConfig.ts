/**
 * flytekit's `ImageConfig`: a default image and the named images tasks may ask for. `images`
 * always begins with the default image when there is one.
 *
 * @example
 * import * as ImageConfig from '@imgcfg/core/ImageConfig'
 * ImageConfig.validateImage(['gpu=ghcr.io/org/gpu:1'], { defaultImage: 'ghcr.io/org/base:1' })
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { ImageConfigCodec, drawErrors, type ImageConfigModel, type ImageConfigWire } from './codecs.js'
import type { ImageNotFound, ImgcfgError } from './errors.js'
import { describeValue } from './errors.js'
import type { Image } from './Image.js'
import * as I from './Image.js'
import * as ImageFlag from './ImageFlag.js'
import { jsonErrorOffset } from './internal/jsonSyntax.js'
import { toPythonJson } from './internal/pythonJson.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A resolved image configuration.
 *
 * @since 0.1.0
 */
export type ImageConfig = ImageConfigModel

/**
 * The flytekit wire shape (`ImageConfig.to_dict()`).
 *
 * @since 0.1.0
 */
export type ImageConfigJson = ImageConfigWire

/** A JSON Schema document. */
export type JsonSchema = { readonly [key: string]: unknown }

/** Options of `validateImage`. */
export interface ValidateImageOptions {
  /** The identifier used when no value sets the default (see `DefaultImages.defaultImage`). */
  readonly defaultImage: string
  /** The flag's name, for messages (flytekit's click parameter name). Default: `image`. */
  readonly param?: string
  /** Also check every identifier against the OCI grammar (`Reference.parse`). */
  readonly strict?: boolean
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * A configuration whose images are the default (if any) followed by the others, as flytekit's
 * `ImageConfig.create_from`. Names are not checked or changed.
 *
 * @example
 * import * as ImageConfig from '@imgcfg/core/ImageConfig'
 * ImageConfig.createFrom({ name: 'default', fqn: 'x', tag: '1' }, [{ name: 'a', fqn: 'y', tag: '2' }]).images.length // 2
 *
 * @since 0.1.0
 */
export const createFrom = (defaultImage?: Image, otherImages: ReadonlyArray<Image> = []): ImageConfig => {
  const others = Array.isArray(otherImages) ? otherImages.filter(isImageLike) : []
  return isImageLike(defaultImage) ? { defaultImage, images: [defaultImage, ...others] } : { images: others }
}

const isImageLike = (u: unknown): u is Image =>
  typeof u === 'object' && u !== null && typeof (u as Image).name === 'string' && typeof (u as Image).fqn === 'string'

/**
 * Builds a configuration from a default identifier (tag or digest required) and a map of
 * name → identifier (tags optional), keeping the map's order. An empty default means none.
 *
 * @example
 * import * as ImageConfig from '@imgcfg/core/ImageConfig'
 * ImageConfig.fromImages('x:1', { a: 'y' }) // Right: default x:1, images [default, a]
 *
 * @since 0.1.0
 */
export const fromImages = (
  defaultImage?: string,
  m?: Readonly<Record<string, string>> | ReadonlyArray<readonly [string, string]>,
): E.Either<ImgcfgError, ImageConfig> => {
  let dflt: Image | undefined
  if (defaultImage !== undefined && defaultImage !== null && defaultImage !== '') {
    const looked = I.lookUpImageInfo(ImageFlag.DEFAULT_NAME, defaultImage, false)
    if (E.isLeft(looked)) return looked
    dflt = looked.right
  }
  const pairs = entriesOf(m)
  if (E.isLeft(pairs)) return pairs
  const others: Image[] = []
  for (const [name, identifier] of pairs.right) {
    // Say which entry is wrong; lookUpImageInfo alone would name neither the map nor the entry.
    if (typeof name !== 'string' || typeof identifier !== 'string') {
      return E.left({
        _tag: 'InvalidArgument',
        fn: 'ImageConfig.fromImages',
        message:
          typeof name !== 'string'
            ? `image names must be strings, got ${describeValue(name)}`
            : `image ${JSON.stringify(name)} must map to an identifier string, got ${describeValue(identifier)}`,
      })
    }
    const looked = I.lookUpImageInfo(name, identifier, true)
    if (E.isLeft(looked)) return looked
    others.push(looked.right)
  }
  return E.right(createFrom(dflt, others))
}

const entriesOf = (
  m: unknown,
): E.Either<ImgcfgError, ReadonlyArray<readonly [string, string]>> => {
  if (m === undefined || m === null) return E.right([])
  if (Array.isArray(m)) {
    const ok = m.every((p) => Array.isArray(p) && p.length === 2)
    return ok
      ? E.right(m as ReadonlyArray<readonly [string, string]>)
      : E.left({ _tag: 'InvalidArgument', fn: 'ImageConfig.fromImages', message: 'expected [name, identifier] pairs' })
  }
  if (typeof m === 'object') return E.right(Object.entries(m as Record<string, string>))
  return E.left({
    _tag: 'InvalidArgument',
    fn: 'ImageConfig.fromImages',
    message: `expected a map of name to identifier, got ${describeValue(m)}`,
  })
}

/**
 * What `pyflyte run --image …` resolves: each value is `name=identifier` or a bare identifier for
 * the default; tags are required; at most one default; names unique and non-empty. Without a
 * default value, `options.defaultImage` is used.
 *
 * @example
 * import * as ImageConfig from '@imgcfg/core/ImageConfig'
 * ImageConfig.validateImage(['x:1', 'y:2'], { defaultImage: 'z:3' })
 * // Left: Only one default image can be specified. Received multiple x:1 & y:2 for image
 *
 * @since 0.1.0
 */
export const validateImage = (
  values: ReadonlyArray<string>,
  options: ValidateImageOptions,
): E.Either<ImgcfgError, ImageConfig> => {
  if (!Array.isArray(values)) {
    return E.left({
      _tag: 'InvalidArgument',
      fn: 'ImageConfig.validateImage',
      message: `expected an array of --image values, got ${describeValue(values)}`,
    })
  }
  const param = typeof options?.param === 'string' ? options.param : 'image'
  const strict = { strict: options?.strict === true }
  let dflt: { image: Image; index: number; value: string } | undefined
  const named: Image[] = []
  const seen = new Map<string, number>()
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!
    if (typeof value !== 'string') {
      return E.left({
        _tag: 'InvalidArgument',
        fn: 'ImageConfig.validateImage',
        message: `${param} value ${index + 1} must be a string, got ${describeValue(value)}`,
      })
    }
    const flag = ImageFlag.parse(value)
    if (!flag.isDefault && flag.name === '') {
      return E.left({ _tag: 'EmptyImageName', value, param, index })
    }
    const looked = I.lookUpImageInfo(flag.name, flag.identifier, false, strict)
    if (E.isLeft(looked)) return E.left({ _tag: 'InvalidImageFlag', value, param, index, cause: looked.left })
    if (flag.isDefault) {
      if (dflt !== undefined) {
        return E.left({
          _tag: 'MultipleDefaultImages',
          first: I.full(dflt.image),
          second: I.full(looked.right),
          param,
          index,
        })
      }
      dflt = { image: looked.right, index, value }
      continue
    }
    const firstIndex = seen.get(flag.name)
    if (firstIndex !== undefined) {
      return E.left({ _tag: 'DuplicateImageName', name: flag.name, param, index, firstIndex })
    }
    seen.set(flag.name, index)
    named.push(looked.right)
  }
  if (dflt !== undefined) return E.right(createFrom(dflt.image, named))
  const fallback = I.lookUpImageInfo(ImageFlag.DEFAULT_NAME, options?.defaultImage, false, strict)
  if (E.isLeft(fallback)) {
    return E.left({ _tag: 'InvalidDefaultImage', identifier: String(options?.defaultImage), cause: fallback.left })
  }
  return E.right(createFrom(fallback.right, named))
}

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

// Configurations are immutable, so the name index is built once per config object.
const indexes = new WeakMap<object, ReadonlyMap<string, Image>>()

const indexOf = (config: ImageConfig): ReadonlyMap<string, Image> => {
  const cached = indexes.get(config)
  if (cached !== undefined) return cached
  const index = new Map<string, Image>()
  const images: unknown = config.images
  const candidates = [config.defaultImage, ...(Array.isArray(images) ? images : [])]
  for (const image of candidates) {
    if (isImageLike(image) && !index.has(image.name)) index.set(image.name, image)
  }
  indexes.set(config, index)
  return index
}

/**
 * The first image with that name, looking at the default image first, then `images`.
 * Names are case-sensitive.
 *
 * @example
 * import * as ImageConfig from '@imgcfg/core/ImageConfig'
 * import * as O from 'fp-ts/lib/Option.js'
 * O.isSome(ImageConfig.findImage(ImageConfig.createFrom(), 'default')) // false
 *
 * @since 0.1.0
 */
export const findImage = (config: ImageConfig, name: string): O.Option<Image> => {
  if (typeof config !== 'object' || config === null || typeof name !== 'string') return O.none
  return O.fromNullable(indexOf(config).get(name))
}

/**
 * The names a configuration defines, in order, each once.
 *
 * @example
 * import * as ImageConfig from '@imgcfg/core/ImageConfig'
 * ImageConfig.names(ImageConfig.createFrom({ name: 'default', fqn: 'x', tag: '1' })) // ['default']
 *
 * @since 0.1.0
 */
export const names = (config: ImageConfig): ReadonlyArray<string> =>
  typeof config === 'object' && config !== null ? [...indexOf(config).keys()] : []

/**
 * `findImage` for a user: a missing name is an error that lists the names that exist.
 *
 * @example
 * import * as ImageConfig from '@imgcfg/core/ImageConfig'
 * ImageConfig.getImage(ImageConfig.createFrom(), 'gpu') // Left({ _tag: 'ImageNotFound', name: 'gpu', available: [] })
 *
 * @since 0.1.0
 */
export const getImage = (config: ImageConfig, name: string): E.Either<ImageNotFound, Image> =>
  E.fromOption((): ImageNotFound => ({ _tag: 'ImageNotFound', name: String(name), available: names(config) }))(
    findImage(config, name),
  )

/**
 * The flytekit wire shape: `{ default_image, images }` with absent values as `null`.
 *
 * @example
 * import * as ImageConfig from '@imgcfg/core/ImageConfig'
 * ImageConfig.toDict(ImageConfig.createFrom()) // { default_image: null, images: [] }
 *
 * @since 0.1.0
 */
export const toDict = (config: ImageConfig): ImageConfigJson => ({
  default_image: isImageLike(config?.defaultImage) ? I.toDict(config.defaultImage) : null,
  images: Array.isArray(config?.images) ? config.images.filter(isImageLike).map(I.toDict) : [],
})

/**
 * JSON text. With no options the bytes equal Python's `json.dumps(config.to_dict())`:
 * `", "`/`": "` separators and non-ASCII escaped as `\uXXXX`.
 *
 * @example
 * import * as ImageConfig from '@imgcfg/core/ImageConfig'
 * ImageConfig.toJson(ImageConfig.createFrom()) // '{"default_image": null, "images": []}'
 *
 * @since 0.1.0
 */
export const toJson = (
  config: ImageConfig,
  options: { readonly indent?: number; readonly sortKeys?: boolean } = {},
): string => toPythonJson(toDict(config), { indent: options?.indent, sortKeys: options?.sortKeys === true })

/**
 * Decodes the wire shape, reporting every problem with its JSON path. `inferMissing` is accepted
 * for flytekit parity: absent optional fields are null either way; required ones stay required.
 *
 * @example
 * import * as ImageConfig from '@imgcfg/core/ImageConfig'
 * ImageConfig.fromDict({ images: [{ name: 'a' }] })
 * // Left({ _tag: 'DecodeFailure', problems: [{ path: '$.images[0].fqn', expected: 'string', actual: 'nothing' }] })
 *
 * @since 0.1.0
 */
export const fromDict = (
  u: unknown,
  _options: { readonly inferMissing?: boolean } = {},
): E.Either<ImgcfgError, ImageConfig> => E.mapLeft(drawErrors)(ImageConfigCodec.decode(u))

/**
 * Parses JSON text, then `fromDict`.
 *
 * @example
 * import * as ImageConfig from '@imgcfg/core/ImageConfig'
 * ImageConfig.fromJson('{"images": []}') // Right({ images: [] })
 *
 * @since 0.1.0
 */
export const fromJson = (
  s: string,
  options: { readonly inferMissing?: boolean } = {},
): E.Either<ImgcfgError, ImageConfig> => {
  if (typeof s !== 'string') {
    return E.left({ _tag: 'InvalidArgument', fn: 'ImageConfig.fromJson', message: `expected JSON text, got ${describeValue(s)}` })
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(s)
  } catch (e) {
    return E.left(invalidJson(s, e))
  }
  return fromDict(parsed, options)
}

const invalidJson = (text: string, e: unknown): ImgcfgError => {
  const raw = e instanceof Error ? e.message : 'not valid JSON'
  const position = /position (\d+)/.exec(raw)
  // V8 names no position for an unexpected token or end of input (it quotes the text instead).
  const offset = position !== null ? Number(position[1]) : jsonErrorOffset(text)
  const message = raw
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/ at position \d+.*$/s, '')
    .replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, '')
  if (offset < 0) return { _tag: 'InvalidJson', message }
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  const column = offset - before.lastIndexOf('\n')
  return { _tag: 'InvalidJson', message, line, column }
}

/**
 * The io-ts codec between the model and the wire shape.
 *
 * @since 0.1.0
 */
export const codec = ImageConfigCodec

// -------------------------------------------------------------------------------------
// schema
// -------------------------------------------------------------------------------------

const IMAGE_SCHEMA = {
  type: 'object',
  description: 'A container image: a name tasks refer to, the repository path, and a tag or a digest.',
  required: ['name', 'fqn'],
  properties: {
    name: { type: 'string', description: 'The name tasks use to ask for this image.' },
    fqn: { type: 'string', description: 'Registry and repository path, e.g. ghcr.io/org/app.' },
    tag: { type: ['string', 'null'], description: 'The tag; null when the image is pinned by digest or floats.' },
    digest: { type: ['string', 'null'], description: 'The digest, e.g. sha256:…; null when absent.' },
  },
  not: {
    required: ['tag', 'digest'],
    properties: { tag: { type: 'string', minLength: 1 }, digest: { type: 'string', minLength: 1 } },
  },
} as const

/**
 * A JSON Schema (draft 2020-12) of the wire shape, for editors and other tools.
 *
 * @example
 * import * as ImageConfig from '@imgcfg/core/ImageConfig'
 * ImageConfig.schema().$schema // 'https://json-schema.org/draft/2020-12/schema'
 *
 * @since 0.1.0
 */
export const schema = (): JsonSchema => ({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://imgcfg.dev/schema/image-config.json',
  title: 'ImageConfig',
  description: "flytekit's ImageConfig.to_dict(): the default image and all images, default first.",
  type: 'object',
  properties: {
    default_image: { anyOf: [{ $ref: '#/$defs/Image' }, { type: 'null' }] },
    images: { anyOf: [{ type: 'array', items: { $ref: '#/$defs/Image' } }, { type: 'null' }] },
  },
  $defs: { Image: IMAGE_SCHEMA },
})
