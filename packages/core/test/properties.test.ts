import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as DefaultImages from '../src/DefaultImages.js'
import { formatError, type ImgcfgError } from '../src/errors.js'
import * as Image from '../src/Image.js'
import * as ImageConfig from '../src/ImageConfig.js'
import * as ImageFlag from '../src/ImageFlag.js'

const runs = { numRuns: 2000 }

// Path components and tags as people write them (no '@', and no ':' or '/' inside a tag).
const component = fc.stringMatching(/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/)
const fqn = fc
  .tuple(fc.option(fc.constantFrom('ghcr.io', 'localhost:5000', 'cr.flyte.org', '[::1]:5000'), { nil: undefined }), fc.array(component, { minLength: 1, maxLength: 4 }))
  .map(([domain, path]) => [domain, ...path].filter((p) => p !== undefined).join('/'))
  .filter((f) => f.length < 200)
const tag = fc.stringMatching(/^[\w][\w.-]{0,20}$/)
const digest = fc.stringMatching(/^[a-f0-9]{64}$/).map((hex) => `sha256:${hex}`)
const image: fc.Arbitrary<Image.Image> = fc
  .tuple(fc.string(), fqn, fc.oneof(tag.map((t) => ({ tag: t })), digest.map((d) => ({ digest: d })), fc.constant({})))
  .map(([name, f, version]) => ({ name, fqn: f, ...version }))

describe('law: parseIdentifier is total', () => {
  it('returns an fqn for any string and never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const id = Image.parseIdentifier(s)
        expect(typeof id.fqn).toBe('string')
        expect(id.tag).not.toBe('')
        expect(id.digest).not.toBe('')
      }),
      runs,
    )
  })
})

describe('law: lookUpImageInfo(name, full(img), true) == img', () => {
  it('round-trips generated images', () => {
    fc.assert(
      fc.property(image, (img) => {
        expect(Image.lookUpImageInfo(img.name, Image.full(img), true)).toStrictEqual(E.right(img))
      }),
      runs,
    )
  })
  it('strict mode accepts every generated image with a version', () => {
    fc.assert(
      fc.property(image.filter((i) => Image.version(i) !== undefined), (img) => {
        expect(Image.lookUpImageInfo(img.name, Image.full(img), false, { strict: true })).toStrictEqual(E.right(img))
      }),
      runs,
    )
  })
})

describe('law: fromDict(toDict(c)) == c and fromJson(toJson(c)) == c', () => {
  const config = fc.tuple(fc.option(image, { nil: undefined }), fc.array(image, { maxLength: 8 })).map(([d, others]) =>
    ImageConfig.createFrom(d, others),
  )
  it('round-trips through the wire shape', () => {
    fc.assert(
      fc.property(config, (c) => {
        expect(ImageConfig.fromDict(ImageConfig.toDict(c))).toStrictEqual(E.right(c))
        expect(ImageConfig.fromJson(ImageConfig.toJson(c))).toStrictEqual(E.right(c))
        expect(ImageConfig.fromJson(ImageConfig.toJson(c, { indent: 2, sortKeys: true }))).toStrictEqual(E.right(c))
      }),
      runs,
    )
  })
  it('toJson is pure ASCII', () => {
    fc.assert(
      fc.property(config, (c) => {
        expect(/^[\x20-\x7e\n]*$/.test(ImageConfig.toJson(c))).toBe(true)
      }),
      runs,
    )
  })
})

describe('law: ImageFlag.format(parse(v)) keeps the meaning of v', () => {
  it('parses back to the same flag', () => {
    fc.assert(
      fc.property(fc.string(), (v) => {
        const flag = ImageFlag.parse(v)
        expect(ImageFlag.parse(ImageFlag.format(flag))).toStrictEqual(flag)
      }),
      runs,
    )
  })
})

describe('law: no public function throws, whatever it is handed', () => {
  const anything = fc.anything({ withBigInt: true, withNullPrototype: true, withObjectString: true, withMap: true })
  const isError = (e: unknown): e is ImgcfgError => typeof e === 'object' && e !== null && '_tag' in e
  const settle = (f: () => unknown) => {
    const r = f()
    if (r && typeof r === 'object' && '_tag' in r && (r as E.Either<unknown, unknown>)._tag === 'Left') {
      const left = (r as E.Left<unknown>).left
      if (isError(left)) expect(typeof formatError(left)).toBe('string')
    }
  }
  it('for arbitrary JavaScript values', () => {
    fc.assert(
      fc.property(anything, anything, anything, (a, b, c) => {
        settle(() => Image.make(a as never))
        settle(() => Image.full(a as never))
        settle(() => Image.version(a as never))
        settle(() => Image.toDict(a as never))
        settle(() => Image.parseIdentifier(a as never))
        settle(() => Image.lookUpImageInfo(a as never, b as never, c as never, a as never))
        settle(() => ImageConfig.createFrom(a as never, b as never))
        settle(() => ImageConfig.fromImages(a as never, b as never))
        settle(() => ImageConfig.findImage(a as never, b as never))
        settle(() => ImageConfig.validateImage(a as never, b as never))
        settle(() => ImageConfig.toDict(a as never))
        settle(() => ImageConfig.toJson(a as never, b as never))
        settle(() => ImageConfig.fromDict(a))
        settle(() => ImageConfig.fromJson(a as never))
        settle(() => DefaultImages.findImageFor(a as never))
        settle(() => DefaultImages.defaultImage(a as never))
        settle(() => DefaultImages.versionSuffix(a as never))
        settle(() => ImageFlag.parse(a as never))
      }),
      { numRuns: 3000 },
    )
  })
  it('for arbitrary strings in every string position', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.array(fc.string({ unit: 'binary' })), (s, list) => {
        settle(() => ImageConfig.validateImage(list, { defaultImage: s, strict: true }))
        settle(() => ImageConfig.fromJson(s))
        settle(() => ImageConfig.fromImages(s, list.map((v) => [v, s] as const)))
        settle(() => DefaultImages.findImageFor({ pythonVersion: s, flytekitVersion: s, env: { FLYTE_INTERNAL_IMAGE: s } }))
      }),
      runs,
    )
  })
})
