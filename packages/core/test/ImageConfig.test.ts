import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { describe, expect, it } from 'vitest'
import { formatError } from '../src/errors.js'
import * as ImageConfig from '../src/ImageConfig.js'

const message = (r: E.Either<any, unknown>) => (E.isLeft(r) ? formatError(r.left) : 'no error')
const opts = { defaultImage: 'cr.flyte.org/flyteorg/flytekit:py3.11-latest' }

describe('validateImage: the --image flag', () => {
  it('puts the default first whatever the flag order', () => {
    const r = ImageConfig.validateImage(['a=x:1', 'z:9'], opts)
    expect(E.map((c: ImageConfig.ImageConfig) => c.images.map((i) => i.name))(r)).toStrictEqual(E.right(['default', 'a']))
  })
  it('rejects a second default with both references and the flag position', () => {
    expect(message(ImageConfig.validateImage(['x:1', 'default=y:2'], opts))).toBe(
      'Only one default image can be specified. Received multiple x:1 & y:2 for image (value 2).',
    )
  })
  it('rejects a duplicate name, naming both positions', () => {
    expect(message(ImageConfig.validateImage(['a=x:1', 'b=y:1', 'a=y:2'], opts))).toBe(
      'Image name "a" is given twice for --image (values 1 and 3); image names must be unique.',
    )
  })
  it('rejects an empty name', () => {
    expect(message(ImageConfig.validateImage(['=x:1'], opts))).toBe(
      'Image name is empty in "=x:1" for --image (value 1); write name=identifier or a bare identifier for the default image.',
    )
  })
  it('points at the flag whose identifier lacks a tag', () => {
    expect(message(ImageConfig.validateImage(['a=x:1', 'b=ubuntu'], { ...opts, param: 'image' }))).toBe(
      '--image value 2 ("b=ubuntu"): Incorrectly formatted image ubuntu, missing tag or digest. Add a tag (ubuntu:1.0) or a digest (ubuntu@sha256:…).',
    )
  })
  it('never throws on values that are not strings', () => {
    expect(message(ImageConfig.validateImage([1 as unknown as string], opts))).toBe(
      'ImageConfig.validateImage: image value 1 must be a string, got number 1',
    )
    expect(E.isLeft(ImageConfig.validateImage(null as never, opts))).toBe(true)
  })
})

describe('findImage: first match, default first, indexed once', () => {
  const config = ImageConfig.createFrom({ name: 'd', fqn: 'dd', tag: '1' }, [
    { name: 'd', fqn: 'other', tag: '2' },
    { name: 'e', fqn: 'ee', tag: '3' },
    { name: 'e', fqn: 'ignored', tag: '4' },
  ])
  it('returns the first image with the name', () => {
    expect(ImageConfig.findImage(config, 'e')).toStrictEqual(O.some({ name: 'e', fqn: 'ee', tag: '3' }))
    expect(ImageConfig.findImage(config, 'd')).toStrictEqual(O.some({ name: 'd', fqn: 'dd', tag: '1' }))
  })
  it('treats prototype names as ordinary names', () => {
    const c = ImageConfig.createFrom(undefined, [{ name: '__proto__', fqn: 'p', tag: '1' }])
    expect(ImageConfig.findImage(c, '__proto__')).toStrictEqual(O.some({ name: '__proto__', fqn: 'p', tag: '1' }))
    expect(ImageConfig.findImage(c, 'constructor')).toStrictEqual(O.none)
    expect(ImageConfig.findImage(c, 'toString')).toStrictEqual(O.none)
  })
  it('getImage lists the names that exist', () => {
    expect(message(ImageConfig.getImage(config, 'gpu'))).toBe('No image named "gpu". Available: d, e.')
  })
  it('reads the images once per config, not once per lookup', () => {
    const images = Array.from({ length: 1000 }, (_, i) => ({ name: `n${i}`, fqn: `f${i}`, tag: '1' }))
    let reads = 0
    const config = {
      get images() {
        reads += 1
        return images
      },
    }
    for (let i = 0; i < 1000; i++) expect(O.isSome(ImageConfig.findImage(config, `n${i}`))).toBe(true)
    expect(reads).toBe(1)
  })
})

describe('serialization', () => {
  const config = ImageConfig.createFrom({ name: 'default', fqn: 'x', tag: '1' }, [{ name: 'é', fqn: 'y', digest: 'sha256:a' }])
  it('toJson with no options is Python json.dumps', () => {
    expect(ImageConfig.toJson(config)).toBe(
      '{"default_image": {"name": "default", "fqn": "x", "tag": "1", "digest": null}, "images": [{"name": "default", "fqn": "x", "tag": "1", "digest": null}, {"name": "\\u00e9", "fqn": "y", "tag": null, "digest": "sha256:a"}]}',
    )
  })
  it('indent and sortKeys follow Python', () => {
    expect(ImageConfig.toJson(ImageConfig.createFrom(), { indent: 2, sortKeys: true })).toBe(
      '{\n  "default_image": null,\n  "images": []\n}',
    )
  })
  it('fromDict reports every problem with its JSON path', () => {
    expect(message(ImageConfig.fromDict({ images: [{ name: 'a' }, { name: 'b', fqn: 'x', tag: 5 }] }))).toBe(
      'Not an image configuration:\n  $.images[0].fqn: expected string, got nothing\n  $.images[1].tag: expected a string or null, got number 5',
    )
  })
  it('fromDict rejects tag and digest together', () => {
    expect(message(ImageConfig.fromDict({ images: [{ name: 'a', fqn: 'x', tag: '1', digest: 'sha256:a' }] }))).toBe(
      'Not an image configuration:\n  $.images[0]: expected an image with a tag or a digest, not both, got an object',
    )
  })
  it('fromJson reports invalid JSON', () => {
    expect(message(ImageConfig.fromJson('{"images": ['))).toMatch(/^Invalid JSON/)
  })
  it('fromJson keeps __proto__ keys as data', () => {
    const r = ImageConfig.fromJson('{"images": [{"name": "__proto__", "fqn": "x", "__proto__": {"polluted": true}}]}')
    expect(E.isRight(r)).toBe(true)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('schema', () => {
  it('is a draft 2020-12 schema of the wire shape', () => {
    const s = ImageConfig.schema() as any
    expect(s.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
    expect(Object.keys(s.properties)).toStrictEqual(['default_image', 'images'])
    expect(s.$defs.Image.required).toStrictEqual(['name', 'fqn'])
  })
})

describe('validateImage: a bad fallback default says where it came from', () => {
  it('wraps the cause', () => {
    expect(message(ImageConfig.validateImage(['a=x:1'], { defaultImage: 'ubuntu' }))).toBe(
      "The default image (used because no --image value sets one; it comes from FLYTE_INTERNAL_IMAGE, a plugin or flytekit's published images) is invalid: Incorrectly formatted image ubuntu, missing tag or digest. Add a tag (ubuntu:1.0) or a digest (ubuntu@sha256:…).",
    )
  })
})

describe('fromDict: many problems stay cheap and readable', () => {
  it('100 000 invalid images decode in linear time and the message lists the first 50', () => {
    const images = Array.from({ length: 100_000 }, () => 1)
    const r = ImageConfig.fromDict({ images })
    expect(E.isLeft(r) && r.left._tag === 'DecodeFailure' && r.left.problems.length).toBe(100_000)
    const text = message(r)
    expect(text.split('\n')).toHaveLength(52)
    expect(text.endsWith('  …and 99950 more problems')).toBe(true)
  })
})
