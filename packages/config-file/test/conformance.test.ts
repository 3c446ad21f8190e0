import { mkdirSync, mkdtempSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { describe, expect, it } from 'vitest'
import { formatConfigError as formatError } from '../src/errors.js'
import type { ImgcfgError } from '@imgcfg/core/errors'
import * as ImageConfig from '@imgcfg/core/ImageConfig'
import {
  auto,
  autoDefaultImage,
  formatFromPath,
  getConfigFile,
  loadConfigFile,
  parseConfigText,
  patchImageConfig,
  type ConfigFile,
} from '../src/index.js'
import {
  buildRecipe,
  configView,
  expectVector,
  loadFlytekit,
  type Vector,
} from '../../core/test/support/vectors.js'

const { groups } = loadFlytekit()

interface Prepared {
  readonly env: Record<string, string>
  readonly cwd: string
  readonly home: string
  readonly fill: (s: string) => string
  readonly root: string
}

/** Lays out a vector's files in a fresh temporary directory and fills the placeholders. */
const prepare = (call: any): Prepared => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'imgcfg-conf-')))
  const placeholder = call.root ? '$ROOT' : '$DIR'
  const fill = (s: string) => s.split(placeholder).join(base)
  let cwd: string
  let home: string
  if (call.root) {
    for (const d of ['cwd', 'home', 'other']) mkdirSync(join(base, d))
    cwd = join(base, 'cwd')
    home = join(base, 'home')
  } else {
    cwd = mkdtempSync(join(tmpdir(), 'imgcfg-cwd-'))
    home = mkdtempSync(join(tmpdir(), 'imgcfg-home-'))
  }
  for (const f of call.files ?? []) {
    const target = join(base, f.path ?? f.name)
    mkdirSync(dirname(target), { recursive: true })
    if (f.directory) mkdirSync(target, { recursive: true })
    else writeFileSync(target, f.text)
  }
  const env = Object.fromEntries(Object.entries(call.env ?? {}).map(([k, v]) => [k, fill(String(v))]))
  return { env, cwd, home, fill, root: base }
}

const fillArgs = (u: any, fill: (s: string) => string): any =>
  typeof u === 'string' ? fill(u) : Array.isArray(u) ? u.map((x) => fillArgs(x, fill)) : u && typeof u === 'object'
    ? Object.fromEntries(Object.entries(u).map(([k, v]) => [k, fillArgs(v, fill)]))
    : u

const isReadableFile = (p: string): boolean => {
  try {
    return statSync(p).isFile()
  } catch {
    return false
  }
}

const run = (v: Vector): void => {
  const call = v.imgcfg.call!
  const p = prepare(call)
  const ctx = { env: p.env, cwd: p.cwd, home: p.home }
  const args = fillArgs(call.args, p.fill)
  switch (call.fn) {
    case 'auto': {
      const { configFile, imgName } = args[0]
      const opts = { ...ctx, ...(configFile !== undefined ? { configFile } : {}), ...(imgName !== undefined ? { imgName } : {}) }
      const direct = auto(opts)
      expectVector(v, direct, configView, formatError)
      if (typeof configFile === 'string' && configFile !== '') {
        const viaLoad = E.chain((cfg: ConfigFile) => auto({ ...opts, configFile: cfg }))(loadConfigFile(configFile))
        expectVector(v, viaLoad, configView, formatError)
        if (isReadableFile(configFile)) {
          const text = readFileSync(configFile, 'utf8')
          const viaText = E.chain((cfg: ConfigFile) => auto({ ...opts, configFile: cfg }))(
            parseConfigText(text, { format: formatFromPath(configFile), origin: configFile }),
          )
          expectVector(v, viaText, configView, formatError)
        }
      }
      return
    }
    case 'autoDefaultImage':
      return expectVector(v, autoDefaultImage({ ...args[0], ...ctx }), configView, formatError)
    case 'discover': {
      const result = E.chain((found: O.Option<ConfigFile>) =>
        E.map((ic: ImageConfig.ImageConfig) => ({
          config_file: O.isSome(found)
            ? { format: found.value.format, location: realpathSync(found.value.path!) }
            : null,
          image_config: configView(ic),
        }))(auto({ ...ctx, ...(args[0]?.imgName !== undefined ? { imgName: args[0].imgName } : {}) })),
      )(getConfigFile(undefined, ctx))
      const expected = v.imgcfg.ok as any
      if (expected?.config_file?.location) {
        expected.config_file.location = realpathSync(p.fill(expected.config_file.location))
      }
      return expectVector(v, result as E.Either<ImgcfgError, unknown>, (x) => x, formatError)
    }
    case 'patchImageConfig': {
      const [file, recipe] = args
      const result = E.chain((config: ImageConfig.ImageConfig) => patchImageConfig(file ?? undefined, config, ctx))(
        buildRecipe(recipe),
      )
      return expectVector(v, result, configView, formatError)
    }
    default:
      throw new Error(`${v.id}: no runner for ${call.fn}`)
  }
}

const vectorsOf = (group: string, pick: (v: Vector) => boolean = () => true) => (groups[group] ?? []).filter(pick)

const table = (title: string, vectors: ReadonlyArray<Vector>) =>
  describe(title, () => {
    it('has vectors', () => expect(vectors.length).toBeGreaterThan(0))
    for (const v of vectors) {
      if (v.imgcfg.skip !== undefined) {
        it.skip(`${v.id} (skipped: ${v.imgcfg.skip})`, () => {})
        continue
      }
      it(`${v.id}${v.rule ? ` [${v.rule}]` : ''}`, () => run(structuredClone(v)))
    }
  })

table('flytekit vectors: auto', vectorsOf('auto'))
table('flytekit vectors: discovery', vectorsOf('discovery'))
table('flytekit vectors: patch', vectorsOf('patch'))
table(
  'flytekit vectors: default_images (autoDefaultImage)',
  vectorsOf('default_images', (v) => v.imgcfg.call?.fn === 'autoDefaultImage'),
)
