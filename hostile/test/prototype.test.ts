/**
 * Images named like Object.prototype's members are ordinary images on every input path, and no
 * input can add to or change Object.prototype.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DefaultImages, ImageConfig } from '@imgcfg/core'
import { type ConfigError, formatConfigError as formatError, imageConfigFromFile, loadConfigFile, parseConfigText, patchImageConfig } from '@imgcfg/config-file'
import { removeTempDirs, runCli, tempDir } from '../lib/run.mjs'

const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'] as const
/** The reference each name gets: distinct, so a mix-up between entries shows. */
const ref = (name: string) => `ghcr.io/org/${name.replace(/_/g, '').toLowerCase()}:1`

const prototypeKeys = () => Reflect.ownKeys(Object.prototype).map(String).sort()
const before = prototypeKeys()

const expectPrototypeUntouched = () => {
  expect(prototypeKeys()).toEqual(before)
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  expect(Object.prototype.toString.call([])).toBe('[object Array]')
  expect(typeof Object.prototype.hasOwnProperty).toBe('function')
}

const right = <A>(r: E.Either<ConfigError, A>): A => {
  if (E.isLeft(r)) throw new Error(formatError(r.left))
  return r.right
}

/** Every name resolves, through findImage and getImage, to its own reference. */
const expectOrdinary = (config: ImageConfig.ImageConfig, names: ReadonlyArray<string> = NAMES) => {
  for (const name of names) {
    const found = ImageConfig.findImage(config, name)
    expect(O.isSome(found) && `${found.value.fqn}:${found.value.tag}`, name).toBe(ref(name))
    expect(E.isRight(ImageConfig.getImage(config, name)), name).toBe(true)
  }
  expect(ImageConfig.names(config)).toEqual(expect.arrayContaining([...names]))
}

beforeEach(expectPrototypeUntouched)
afterEach(expectPrototypeUntouched)
afterAll(() => removeTempDirs())

describe('names that are Object.prototype members are ordinary images', () => {
  it('from --image flags', () => {
    const config = right(ImageConfig.validateImage(NAMES.map((n) => `${n}=${ref(n)}`), { defaultImage: 'ghcr.io/org/base:1' }))
    expectOrdinary(config)
    expect(ImageConfig.toDict(config).images.map((i) => i.name)).toEqual(['default', ...NAMES])
  })

  it('from a repeated flag name: __proto__ twice is a duplicate, not a merge', () => {
    const r = ImageConfig.validateImage(['__proto__=ghcr.io/org/a:1', '__proto__=ghcr.io/org/b:1'], { defaultImage: 'x:1' })
    expect(E.isLeft(r) && formatError(r.left)).toBe(
      'Image name "__proto__" is given twice for --image (values 1 and 2); image names must be unique.',
    )
  })

  it('from YAML, including a __proto__ brought in by a << merge', () => {
    const text = `images:\n${NAMES.map((n) => `  ${n}: ${ref(n)}\n`).join('')}`
    expectOrdinary(right(imageConfigFromFile(right(parseConfigText(text, { format: 'yaml' })))))
    const merged = `base: &b {__proto__: ${ref('__proto__')}, polluted: ghcr.io/org/p:1}\nimages:\n  <<: *b\n  constructor: ${ref('constructor')}\n`
    expectOrdinary(right(imageConfigFromFile(right(parseConfigText(merged, { format: 'yaml' })))), ['__proto__', 'constructor'])
  })

  it('from YAML keys outside images that name the prototype', () => {
    const text = `__proto__:\n  polluted: yes\nconstructor:\n  prototype:\n    polluted: yes\nimages:\n  a: ghcr.io/org/a:1\n`
    expect(right(parseConfigText(text, { format: 'yaml' })).images.map((i) => i.name)).toEqual(['a'])
  })

  it('from INI, where configparser lowercases names (toString becomes tostring)', () => {
    const text = `[images]\n${NAMES.map((n) => `${n} = ${ref(n)}\n`).join('')}`
    const config = right(imageConfigFromFile(right(parseConfigText(text, { format: 'ini' }))))
    expectOrdinary(config, ['__proto__', 'constructor'])
    expect(ImageConfig.names(config)).toEqual(['__proto__', 'constructor', 'tostring', 'hasownproperty'])
    expect(O.isNone(ImageConfig.findImage(config, 'toString'))).toBe(true)
  })

  it('from INI [DEFAULT] and section names, interpolated', () => {
    const text = `[DEFAULT]\n__proto__ = ${ref('__proto__')}\n[constructor]\nprototype = x\n[images]\nconstructor = %(__proto__)s\n`
    const images = right(parseConfigText(text, { format: 'ini' })).images.map((i) => [i.name, i.identifier])
    expect(images).toEqual([
      ['constructor', ref('__proto__')],
      ['__proto__', ref('__proto__')],
    ])
  })

  it('from JSON (fromJson), with __proto__ keys at every level', () => {
    // Written out: an object literal's __proto__ would set a prototype, not write a key.
    const images = NAMES.map((n) => `{"name": "${n}", "fqn": "${ref(n).slice(0, -2)}", "tag": "1", "__proto__": {"polluted": 1}}`)
    const text = `{"__proto__": {"polluted": true}, "default_image": null, "images": [${images.join(', ')}]}`
    expectOrdinary(right(ImageConfig.fromJson(text)))
  })

  it('from fromDict on a value whose own __proto__ key JSON.parse made', () => {
    const u = JSON.parse(`{"__proto__": {"images": [{"name": "injected", "fqn": "evil", "tag": "1"}]}, "images": []}`)
    expect(right(ImageConfig.fromDict(u)).images).toEqual([])
  })

  it('from a fromImages map, built by JSON.parse or as pairs', () => {
    const map = JSON.parse(`{${NAMES.map((n) => `"${n}": "${ref(n)}"`).join(', ')}}`)
    expectOrdinary(right(ImageConfig.fromImages('ghcr.io/org/base:1', map)))
    expectOrdinary(right(ImageConfig.fromImages('ghcr.io/org/base:1', NAMES.map((n) => [n, ref(n)] as const))))
  })

  it('in findImage and getImage, an absent name is absent, not an inherited member', () => {
    const empty = ImageConfig.createFrom()
    for (const name of NAMES) {
      expect(O.isNone(ImageConfig.findImage(empty, name)), name).toBe(true)
      const r = ImageConfig.getImage(empty, name)
      expect(E.isLeft(r) && formatError(r.left)).toBe(`No image named "${name}": the configuration has no images.`)
    }
  })

  it('in the pyflyte run merge: the config keeps its own __proto__, the file adds the rest', () => {
    const dir = tempDir()
    const file = join(dir, 'config.yaml')
    writeFileSync(file, `images:\n${NAMES.map((n) => `  ${n}: ghcr.io/org/from-file:1\n`).join('')}`)
    const config = right(ImageConfig.validateImage([`__proto__=${ref('__proto__')}`], { defaultImage: 'ghcr.io/org/base:1' }))
    const patched = right(patchImageConfig(file, config))
    expect(patched.images.map((i) => [i.name, `${i.fqn}:${i.tag}`])).toEqual([
      ['default', 'ghcr.io/org/base:1'],
      ['__proto__', ref('__proto__')],
      ['constructor', 'ghcr.io/org/from-file:1'],
      ['toString', 'ghcr.io/org/from-file:1'],
      ['hasOwnProperty', 'ghcr.io/org/from-file:1'],
    ])
    expect(right(loadConfigFile(file)).images.map((i) => i.name)).toEqual([...NAMES])
  })

  it('in an environment whose own __proto__ key names FLYTE_INTERNAL_IMAGE', () => {
    const env = JSON.parse('{"__proto__": {"FLYTE_INTERNAL_IMAGE": "ghcr.io/evil/image:1"}}')
    expect(right(DefaultImages.findImageFor({ pythonVersion: '3.11', flytekitVersion: '1.15.0', env }))).toBe(
      'cr.flyte.org/flyteorg/flytekit:py3.11-1.15.0',
    )
  })
})

describe('through the imgcfg binary', () => {
  const dir = tempDir()
  const yaml = join(dir, 'config.yaml')
  const ini = join(dir, 'flytekit.config')
  writeFileSync(yaml, `images:\n${NAMES.map((n) => `  ${n}: ${ref(n)}\n`).join('')}`)
  writeFileSync(ini, `[DEFAULT]\n__proto__ = ${ref('__proto__')}\n[images]\nconstructor = %(__proto__)s\n`)
  const expectClean = (r: { code: number | null; stderr: string; killed: boolean }) => {
    expect(r.killed).toBe(false)
    expect(r.stderr).not.toMatch(/^\s+at /m)
  }

  it.concurrent('resolve -i __proto__=… -i constructor=… with a YAML file of the four names', async () => {
    const r = await runCli(['resolve', '--format', 'json', '-i', 'ghcr.io/org/base:1', '-i', `__proto__=ghcr.io/org/flag:1`, '-i', 'constructor=ghcr.io/org/flag:2', '-c', yaml])
    expectClean(r)
    expect(r.code).toBe(0)
    const images = (JSON.parse(r.stdout) as { images: Array<{ name: string; fqn: string; tag: string }> }).images
    expect(images.map((i) => [i.name, `${i.fqn}:${i.tag}`])).toEqual([
      ['default', 'ghcr.io/org/base:1'],
      ['__proto__', 'ghcr.io/org/flag:1'],
      ['constructor', 'ghcr.io/org/flag:2'],
      ['toString', ref('toString')],
      ['hasOwnProperty', ref('hasOwnProperty')],
    ])
  })

  it.concurrent.each(NAMES)('find %s', async (name) => {
    const r = await runCli(['find', name, '-i', 'ghcr.io/org/base:1', '-c', yaml])
    expectClean(r)
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: `${ref(name)}\n` })
  })

  it.concurrent('find constructor when no image has that name', async () => {
    const r = await runCli(['find', 'constructor', '-i', 'ghcr.io/org/base:1', '-c', ''])
    expectClean(r)
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: 'imgcfg: No image named "constructor". Available: default.\n' })
  })

  it.concurrent('resolve an INI file whose [DEFAULT] has __proto__', async () => {
    const r = await runCli(['resolve', '--format', 'json', '-i', 'ghcr.io/org/base:1', '-c', ini])
    expectClean(r)
    const images = (JSON.parse(r.stdout) as { images: Array<{ name: string; fqn: string; tag: string }> }).images
    expect(images.map((i) => [i.name, `${i.fqn}:${i.tag}`])).toEqual([
      ['default', 'ghcr.io/org/base:1'],
      ['constructor', ref('__proto__')],
      ['__proto__', ref('__proto__')],
    ])
  })

  it.concurrent('lint a YAML file of the four names', async () => {
    const r = await runCli(['lint', '-c', yaml])
    expectClean(r)
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: `${yaml}: 4 images, no problems\n` })
  })
})
