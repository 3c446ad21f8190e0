import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  chooseDefaultImage,
  describeOrigin,
  formatResolutionError,
  parseConfigText,
  resolve,
  type DefaultImageChoice,
  type ResolveInput,
} from '../src/browser.js'
import * as ImageConfig from '@imgcfg/core/ImageConfig'

const dflt: DefaultImageChoice = {
  image: 'cr.flyte.org/flyteorg/flytekit:py3.12-latest',
  reason: { kind: 'python', pythonVersion: '3.12' },
}

const SAMPLE = `images:
  xyz: docker.io/xyz:latest
  abc: docker.io/abc
  bcd: docker.io/bcd@sha256:26c68657ccce2cb0a31b330cb0hu3b5e108d467f641c62e13ab40cbec258c68d
`
const file = (text: string) => {
  const parsed = parseConfigText(text, { format: 'yaml', origin: 'sample.yaml' })
  if (E.isLeft(parsed)) throw new Error('fixture does not parse')
  return parsed.right
}

const UP = '--image value 1 ("a=x.io/Up:1"): Invalid image reference "x.io/Up:1": repository name must be lowercase (offset 5: \'U\').'
const BCD = 'Invalid image reference "docker.io/bcd@sha256:26c68657ccce2cb0a31b330cb0hu3b5e108d467f641c62e13ab40cbec258c68d": unexpected \'h\' at offset 47. A digest is algorithm:hex with at least 32 hex digits (sha256 takes 64).'

const run = (input: Partial<ResolveInput>) =>
  resolve({ flags: [], defaultImage: dflt, ...input })

const summary = (input: Partial<ResolveInput>) => {
  const r = run(input)
  return E.isLeft(r)
    ? { error: formatResolutionError(r.left) }
    : {
        json: ImageConfig.toDict(r.right.config),
        origins: r.right.origins.map(describeOrigin),
        warnings: r.right.warnings.map((w) => `${w.code}: ${w.message}`),
      }
}

describe('resolve', () => {
  it('sample.yaml without strict: the result, with the grammar and tagless warnings', () => {
    const s = summary({ file: file(SAMPLE) })
    expect(s).toEqual({
      json: {
        default_image: { name: 'default', fqn: 'cr.flyte.org/flyteorg/flytekit', tag: 'py3.12-latest', digest: null },
        images: [
          { name: 'default', fqn: 'cr.flyte.org/flyteorg/flytekit', tag: 'py3.12-latest', digest: null },
          { name: 'xyz', fqn: 'docker.io/xyz', tag: 'latest', digest: null },
          { name: 'abc', fqn: 'docker.io/abc', tag: null, digest: null },
          { name: 'bcd', fqn: 'docker.io/bcd', tag: null, digest: 'sha256:26c68657ccce2cb0a31b330cb0hu3b5e108d467f641c62e13ab40cbec258c68d' },
        ],
      },
      origins: ['default for Python 3.12', 'sample.yaml:2:3', 'sample.yaml:3:3', 'sample.yaml:4:3'],
      warnings: [
        'tagless: sample.yaml:3:3: image "abc" ("docker.io/abc") has no tag or digest, so it floats: each run may get a different image.',
        'grammar: sample.yaml:4:3: image "bcd": ' + BCD,
      ],
    })
  })

  it('sample.yaml under strict: the bcd digest is an error at its line', () => {
    const s = summary({ file: file(SAMPLE), strict: true })
    expect(s).toEqual({ error: 'sample.yaml:4:3: image "bcd": ' + BCD })
  })

  it('a config image shadowed by a flag is not checked under strict', () => {
    const s = summary({ file: file(SAMPLE), strict: true, flags: ['bcd=docker.io/bcd:1', 'abc=x/abc:2'] })
    expect(s).toMatchObject({
      origins: ['default for Python 3.12', '--image value 1', '--image value 2', 'sample.yaml:2:3'],
      warnings: [
        'shadowed: sample.yaml:3:3: image "abc" is replaced by --image value 2.',
        'shadowed: sample.yaml:4:3: image "bcd" is replaced by --image value 1.',
      ],
    })
  })

  it('an uppercase repository in the config is an error under strict, a warning without', () => {
    const f = file('images:\n  up: docker.io/Org/img:1\n')
    expect(summary({ file: f, strict: true })).toEqual({
      error: 'sample.yaml:2:3: image "up": Invalid image reference "docker.io/Org/img:1": repository name must be lowercase (offset 10: \'O\').',
    })
    const loose = summary({ file: f })
    expect(loose).toMatchObject({ warnings: ['grammar: sample.yaml:2:3: image "up": Invalid image reference "docker.io/Org/img:1": repository name must be lowercase (offset 10: \'O\').'] })
  })

  it('an invalid flag is an error naming its index; a bare flag replaces the default', () => {
    expect(summary({ flags: ['a=x:1', '=y:1'] })).toEqual({ error: 'Image name is empty in "=y:1" for --image (value 2); write name=identifier or a bare identifier for the default image.' })
    expect(summary({ flags: ['a=x:1', 'base:7'] })).toMatchObject({
      origins: ['--image value 2', '--image value 1'],
      warnings: [],
    })
    expect(summary({ flags: ['a=x.io/Up:1'], strict: true })).toEqual({ error: UP })
    expect(summary({ flags: ['a=x.io/Up:1'] })).toMatchObject({
      warnings: ['grammar: ' + UP],
    })
  })

  it('a flag naming an ImageSpec resolves to its image name, with an imagespec origin', () => {
    const imageSpecs = new Map([['spec.yaml', { path: 'spec.yaml', imageName: 'ghcr.io/org/spec:abc123' }]])
    const r = resolve({ flags: ['gpu=spec.yaml', 'spec.yaml'], defaultImage: dflt, imageSpecs })
    expect(E.isRight(r) && r.right.origins).toEqual([
      { kind: 'imagespec', path: 'spec.yaml', index: 1 },
      { kind: 'imagespec', path: 'spec.yaml', index: 0 },
    ])
    expect(E.isRight(r) && r.right.config.images.map((i) => `${i.name} ${i.fqn}:${i.tag}`)).toEqual([
      'default ghcr.io/org/spec:abc123',
      'gpu ghcr.io/org/spec:abc123',
    ])
  })

  it('no default image and no default flag is an error, not a guess', () => {
    const r = resolve({ flags: ['a=x:1'] })
    expect(E.isLeft(r) && formatResolutionError(r.left)).toBe('resolve: no --image value sets the default image, and no default image was given')
  })

  it('chooseDefaultImage says why', () => {
    expect(chooseDefaultImage({ pythonVersion: '3.11', flytekitVersion: '1.10.0' })).toEqual(
      E.right({ image: 'cr.flyte.org/flyteorg/flytekit:py3.11-1.10.0', reason: { kind: 'python', pythonVersion: '3.11', flytekitVersion: '1.10.0' } }),
    )
    expect(chooseDefaultImage({ pythonVersion: '3.11', env: { FLYTE_INTERNAL_IMAGE: 'me/img:2' } })).toEqual(
      E.right({ image: 'me/img:2', reason: { kind: 'FLYTE_INTERNAL_IMAGE' } }),
    )
    expect(chooseDefaultImage({ pythonVersion: '3.11', plugin: { getDefaultImage: () => 'p/img:3' } })).toEqual(
      E.right({ image: 'p/img:3', reason: { kind: 'plugin' } }),
    )
  })
})

describe('resolve properties', () => {
  const name = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/).filter((n) => n !== 'default')
  const ref = fc.tuple(fc.stringMatching(/^[a-z]{1,6}$/), fc.stringMatching(/^[a-z0-9]{1,5}$/)).map(([r, t]) => `x.io/${r}:${t}`)
  it('one origin per image; flags first; a flag name always wins over the file', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(name, ref), { selector: ([n]) => n, maxLength: 5 }), fc.uniqueArray(fc.tuple(name, ref), { selector: ([n]) => n, maxLength: 5 }), fc.boolean(), (flags, images, strict) => {
        const text = images.length === 0 ? 'images: {}\n' : `images:\n${images.map(([n, r]) => `  ${n}: ${r}\n`).join('')}`
        const r = resolve({ flags: flags.map(([n, r]) => `${n}=${r}`), file: file(text), defaultImage: dflt, strict })
        if (E.isLeft(r)) return false
        const { config, origins } = r.right
        const flagNames = new Set(flags.map(([n]) => n))
        expect(origins.length).toBe(config.images.length)
        config.images.forEach((image, i) => {
          const o = origins[i]!
          if (flagNames.has(image.name)) expect(o.kind).toBe('flag')
          else if (image.name === 'default') expect(o.kind).toBe('default')
          else expect(o.kind).toBe('config')
        })
        expect(r.right.warnings.filter((w) => w.code === 'shadowed').length).toBe(images.filter(([n]) => flagNames.has(n)).length)
        return true
      }),
    )
  })
  it('strict and loose agree on valid inputs, and loose never fails where strict succeeds', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 12 }), { maxLength: 3 }), (ids) => {
        const flags = ids.map((id, i) => `n${i}=${id}`)
        const strict = resolve({ flags, defaultImage: dflt, strict: true })
        const loose = resolve({ flags, defaultImage: dflt })
        if (E.isRight(strict)) {
          expect(loose).toEqual(strict)
        }
        if (E.isRight(loose) && E.isLeft(strict)) expect(loose.right.warnings.some((w) => w.code === 'grammar')).toBe(true)
      }),
    )
  })
})
