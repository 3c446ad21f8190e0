import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { describe, expect, it } from 'vitest'
import * as DefaultImages from '../src/DefaultImages.js'
import { formatError } from '../src/errors.js'
import * as Image from '../src/Image.js'
import * as ImageConfig from '../src/ImageConfig.js'
import { conformance, expectVector, loadFlytekit, type Vector } from '@imgcfg/test-utils/vectors'

const { buildRecipe, configView, fields, imageView, mustImage } = conformance({ DefaultImages, Image, ImageConfig })

const { groups } = loadFlytekit()

const run = (v: Vector): void => {
  const call = v.imgcfg.call!
  const args = call.args
  const nn = (a: any) => (a === null ? undefined : a)
  switch (call.fn) {
    case 'Image.parseIdentifier':
      return expectVector(v, { plain: Image.parseIdentifier(args[0]) }, (id) => ({ tag: null, digest: null, ...id }), formatError)
    case 'Image.lookUpImageInfo':
      return expectVector(v, Image.lookUpImageInfo(args[0], args[1], args[2]), imageView, formatError)
    case 'Image.make':
      return expectVector(v, Image.make(fields(args[0])), imageView, formatError)
    case 'Image.equal':
      return expectVector(v, { plain: Image.equals(mustImage(args[0]), mustImage(args[1])) }, (x) => x, formatError)
    case 'Image.toDict':
      return expectVector(v, { plain: Image.toDict(mustImage(args[0])) }, (x) => x, formatError)
    case 'ImageConfig.createFrom':
    case 'ImageConfig.fromImages':
    case 'ImageConfig.validateImage': {
      const recipe = { [call.fn.slice('ImageConfig.'.length)]: args }
      return expectVector(v, buildRecipe(recipe), configView, formatError)
    }
    case 'ImageConfig.findImage': {
      const result = E.map((c: ImageConfig.ImageConfig) => O.toNullable(ImageConfig.findImage(c, args[1])))(
        buildRecipe(args[0]),
      )
      return expectVector(v, result, imageView, formatError)
    }
    case 'ImageConfig.toDict':
      return expectVector(v, E.map(ImageConfig.toDict)(buildRecipe(args[0])), (x) => x, formatError)
    case 'ImageConfig.toJson':
      return expectVector(v, E.map((c: ImageConfig.ImageConfig) => ImageConfig.toJson(c))(buildRecipe(args[0])), (x) => x, formatError)
    case 'ImageConfig.fromDict':
    case 'ImageConfig.fromJson': {
      const decoded =
        call.fn === 'ImageConfig.fromDict' ? ImageConfig.fromDict(args[0], args[1]) : ImageConfig.fromJson(args[0], args[1])
      const select = call.select === 'images[0]' ? (c: ImageConfig.ImageConfig) => imageView(c.images[0]!) : configView
      return expectVector(v, decoded, select, formatError)
    }
    case 'DefaultImages.findImageFor':
      return expectVector(v, DefaultImages.findImageFor(args[0]), (x) => x, formatError)
    case 'DefaultImages.versionSuffix':
      return expectVector(v, { plain: DefaultImages.versionSuffix(...(args as [string?])) }, (x) => x, formatError)
    case 'DefaultImages.defaultImage': {
      const { plugin, ...options } = args[0]
      const value = nn(plugin?.getDefaultImage)
      return expectVector(
        v,
        DefaultImages.defaultImage({ ...options, plugin: { getDefaultImage: () => value } }),
        (x) => x,
        formatError,
      )
    }
    default:
      throw new Error(`${v.id}: no runner for ${call.fn}`)
  }
}

// autoDefaultImage belongs to @imgcfg/config-file and is run there.
const CORE_GROUPS = [
  'parse',
  'parse_identifier',
  'image',
  'validate_image',
  'create_from',
  'from_images',
  'find_image',
  'default_images',
  'serialize',
] as const

for (const group of CORE_GROUPS) {
  describe(`flytekit vectors: ${group}`, () => {
    const vectors = groups[group] ?? []
    it('has vectors', () => expect(vectors.length).toBeGreaterThan(0))
    for (const v of vectors) {
      if (v.imgcfg.skip !== undefined) {
        it.skip(`${v.id} (skipped: ${v.imgcfg.skip})`, () => {})
        continue
      }
      if (v.imgcfg.call?.fn === 'autoDefaultImage') continue
      it(`${v.id}${v.rule ? ` [${v.rule}]` : ''}`, () => run(v))
    }
  })
}

describe('DefaultImages.pythonVersions', () => {
  it('lists the versions flytekit publishes images for', () => {
    expect(DefaultImages.pythonVersions).toStrictEqual(['3.8', '3.9', '3.10', '3.11', '3.12'])
  })
})

describe('roundtrip vectors', () => {
  it('every serializable recipe decodes back to itself', () => {
    for (const group of CORE_GROUPS) {
      for (const v of groups[group] ?? []) {
        const call = v.imgcfg.call
        if (!call || v.imgcfg.skip || !['ImageConfig.toDict', 'ImageConfig.toJson'].includes(call.fn)) continue
        const built = buildRecipe(call.args[0])
        if (E.isLeft(built)) continue
        const back = ImageConfig.fromJson(ImageConfig.toJson(built.right))
        expect(E.map(configView)(back)).toStrictEqual(E.right(configView(built.right)))
      }
    }
  })
})

