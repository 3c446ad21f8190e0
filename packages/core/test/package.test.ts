import { spawnSync } from 'node:child_process'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { publint } from 'publint'
import { describe, expect, it } from 'vitest'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

const bundle = async (source: string) => {
  const result = await build({
    stdin: { contents: source, resolveDir: root, loader: 'ts' },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'browser',
    metafile: true,
    logLevel: 'silent',
    // Resolve fp-ts to its ES modules, as the playground's Vite alias does.
    alias: { 'fp-ts/lib': 'fp-ts/es6' },
  })
  return { inputs: Object.keys(result.metafile.inputs), bytes: result.outputFiles[0]!.contents.length }
}

describe('the built package runs in a browser', () => {
  it.each([
    ['a one-import consumer of Image', "import { lookUpImageInfo } from './dist/Image.js'; console.log(lookUpImageInfo)"],
    ['a consumer of all of core', "import * as core from './dist/index.js'; console.log(core)"],
  ])('%s bundles for the browser with no Node built-in', async (_, source) => {
    const { inputs } = await bundle(source)
    expect(inputs.filter((i) => i.startsWith('node:') || /(^|\/)(fs|path|os|process)$/.test(i))).toStrictEqual([])
  })
  it('a consumer of Image does not pull in the codecs or io-ts', async () => {
    const { inputs } = await bundle("import { lookUpImageInfo } from './dist/Image.js'; console.log(lookUpImageInfo)")
    expect(inputs.some((i) => i.includes('io-ts'))).toBe(false)
  })
})

describe('the package is publishable', () => {
  it('publint finds nothing to fix', async () => {
    const { messages } = await publint({ pkgDir: root, strict: true, level: 'warning' })
    expect(messages).toStrictEqual([])
  })
  it('arethetypeswrong finds no problem for node16 and bundlers', () => {
    // attw exits non-zero on any problem outside the ignored node10 resolution.
    const run = spawnSync('attw', ['--pack', '.', '--profile', 'node16', '--format', 'ascii'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${resolve(root, 'node_modules/.bin')}:${resolve(root, '../../node_modules/.bin')}:${process.env.PATH}` },
    })
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0)
    expect(run.stdout).toContain('node16 (from ESM): 🟢 (ESM)')
  }, 120_000)
})
