import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { bundleForBrowser, describePublishable } from '@imgcfg/test-utils/package-checks'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const imageOnly = "import { lookUpImageInfo } from '@imgcfg/core/Image'; console.log(lookUpImageInfo)"

describe('the built package runs in a browser', () => {
  it.each([
    ['a one-import consumer of Image', imageOnly],
    ['a consumer of all of core', "import * as core from '@imgcfg/core'; console.log(core)"],
  ])('%s bundles for the browser with no Node built-in', async (_, source) => {
    expect((await bundleForBrowser(root, source)).nodeBuiltins).toStrictEqual([])
  })
  it.each([
    ['Image.lookUpImageInfo', imageOnly],
    ['ImageConfig.validateImage', "import { validateImage } from '@imgcfg/core/ImageConfig'; console.log(validateImage)"],
  ])('a consumer of %s leaves io-ts out (the codecs are pure)', async (_, source) => {
    const { contributing } = await bundleForBrowser(root, source)
    expect(contributing.filter((i) => i.includes('io-ts'))).toStrictEqual([])
    expect(contributing.length).toBeGreaterThan(0)
  })
  it('a consumer of all of core does include io-ts', async () => {
    const { contributing } = await bundleForBrowser(root, "import * as core from '@imgcfg/core'; console.log(core)")
    expect(contributing.some((i) => i.includes('io-ts'))).toBe(true)
  })
})

describe('the Python 3.11 Unicode tables ship with ImageSpec alone', () => {
  it('a consumer of ImageSpec bundles for the browser, tables included', async () => {
    const { nodeBuiltins, contributing } = await bundleForBrowser(root, "import { id } from './dist/ImageSpec.js'; console.log(id)")
    expect(nodeBuiltins).toStrictEqual([])
    expect(contributing.some((i) => i.includes('@noble/hashes'))).toBe(true)
  })
  it('a consumer of Image or ImageConfig does not carry them (nor the hashes)', async () => {
    for (const source of [imageOnly, "import { validateImage } from './dist/ImageConfig.js'; console.log(validateImage)"]) {
      const { contributing } = await bundleForBrowser(root, source)
      expect(contributing.filter((i) => i.includes('ImageSpec') || i.includes('noble'))).toStrictEqual([])
    }
  })
})

// What a bundler gets (the `module` condition: dist/es, on fp-ts's ES modules) against what Node
// gets (the `import` condition): the same names and the same answers. Both run in a child Node.
const program = `
import * as core from '@imgcfg/core'
const { Image, ImageConfig, Reference, DefaultImages, formatError } = core
const names = Object.fromEntries(Object.entries(core).map(([k, v]) => [k, typeof v === 'object' ? Object.keys(v).sort() : typeof v]))
const bad = Image.lookUpImageInfo('gpu', 'ubuntu')
const answers = [
  Image.lookUpImageInfo('gpu', 'ghcr.io/mycorp/gpu:1.0'),
  bad._tag === 'Left' ? formatError(bad.left) : bad,
  Image.make({ name: 'a', fqn: 'x', tag: '1', digest: 'sha256:abc' }),
  ImageConfig.validateImage(['ghcr.io/mycorp/base:1', 'gpu=ghcr.io/mycorp/gpu:1.0'], {}),
  ImageConfig.fromJson('{"images": {"default": "a:1"}}'),
  Reference.parse('localhost:5000/a/b:1@sha256:' + 'a'.repeat(64)),
  Reference.parse('UPPER/case'),
  DefaultImages.defaultImage('3.11'),
]
console.log(JSON.stringify({ names, answers }))
`

const runNode = (file: string) => {
  const run = spawnSync(process.execPath, [file], { encoding: 'utf8' })
  expect(run.stderr).toBe('')
  expect(run.status).toBe(0)
  return JSON.parse(run.stdout) as { names: Record<string, unknown>; answers: unknown[] }
}

describe('the bundler build (the module condition)', () => {
  it('exports the names the Node build does and gives the same answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imgcfg-core-es-'))
    // Inside the package, so `@imgcfg/core` resolves to itself (the exports map) from Node too.
    const viaNode = join(root, `.condition-test-${process.pid}.mjs`)
    try {
      const bundled = await build({
        stdin: { contents: program, resolveDir: root, loader: 'js' },
        bundle: true,
        write: false,
        format: 'esm',
        logLevel: 'silent',
        metafile: true,
        outfile: join(dir, 'bundle.mjs'),
      })
      const inputs = Object.keys(bundled.metafile.inputs)
      expect(inputs.filter((i) => i.includes('/fp-ts/') && !i.includes('/fp-ts/es6/'))).toStrictEqual([])
      expect(inputs.some((i) => i.endsWith('dist/es/index.js'))).toBe(true)
      writeFileSync(join(dir, 'bundle.mjs'), bundled.outputFiles[0]!.contents)
      writeFileSync(viaNode, program)
      const fromBundle = runNode(join(dir, 'bundle.mjs'))
      const fromNode = runNode(viaNode)
      expect(Object.keys(fromNode.names)).toContain('Image')
      expect(fromBundle).toStrictEqual(fromNode)
    } finally {
      rmSync(dir, { recursive: true, force: true })
      rmSync(viaNode, { force: true })
    }
  })
})

describePublishable(root)
