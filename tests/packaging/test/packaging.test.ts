/**
 * The packages as a user outside the repository gets them: packed, installed by npm from the
 * tarballs into fresh projects in a temporary directory, and used from ESM, CommonJS, TypeScript
 * (`node16` and `bundler`) and three bundlers; the CLI tarball installed alone, as a global
 * command and through npx.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build as esbuild } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundle, bundlers } from './bundle.js'
import {
  cleanEnv,
  node,
  npmInstall,
  packAll,
  project,
  published,
  readmeExample,
  repoRoot,
  run,
  tsc,
  type Published,
} from './support.js'

const libraries = ['core', 'config-file', 'registry'] as const

// One program, four ways to load it. Its body is JavaScript that is also valid TypeScript.
const body = `
const gpu = Image.lookUpImageInfo('gpu', 'ghcr.io/mycorp/gpu:1.0')
const bad = Image.lookUpImageInfo('gpu', 'ubuntu')
const file = parseConfigText('images:\\n  spark: ghcr.io/mycorp/spark:3.5.1\\n', { format: 'yaml', origin: 'config.yaml' })
const ini = parseText('[images]\\nspark = ghcr.io/mycorp/spark:3.5.1\\n', { format: 'ini', origin: 'flytekit.config' })
console.log(JSON.stringify({
  gpu: E.isRight(gpu) ? ImageNs.full(gpu.right) : null,
  bad: E.isLeft(bad) ? formatError(bad.left) : null,
  file: E.isRight(file) ? specifiedImages(file.right) : null,
  ini: E.isRight(ini) ? specifiedImages(ini.right) : null,
  challenge: parseChallenges('Bearer realm="https://ghcr.io/token",service="ghcr.io"')[0]?.scheme,
}))
`
const esmImports = `
import * as E from 'fp-ts/lib/Either.js'
import { Image, formatError } from '@imgcfg/core'
import * as ImageNs from '@imgcfg/core/Image'
import { parseConfigText, specifiedImages } from '@imgcfg/config-file'
import { parseConfigText as parseText } from '@imgcfg/config-file/text'
import { parseChallenges } from '@imgcfg/registry'
`
const cjsImports = `
const E = require('fp-ts/lib/Either.js')
const { Image, formatError } = require('@imgcfg/core')
const ImageNs = require('@imgcfg/core/Image')
const { parseConfigText, specifiedImages } = require('@imgcfg/config-file')
const { parseConfigText: parseText } = require('@imgcfg/config-file/text')
const { parseChallenges } = require('@imgcfg/registry')
`
// In TypeScript, the types must be there (not \`any\`): a typed binding and an expected error.
const typed = `
import type { ImgcfgError } from '@imgcfg/core'
const checked: E.Either<ImgcfgError, Image.Image> = gpu
void checked
// @ts-expect-error: the name must be a string
Image.lookUpImageInfo(1, 'x:1')
`
const expected = {
  gpu: 'ghcr.io/mycorp/gpu:1.0',
  bad: 'Incorrectly formatted image ubuntu, missing tag or digest. Add a tag (ubuntu:1.0) or a digest (ubuntu@sha256:…).',
  file: [['spark', 'ghcr.io/mycorp/spark:3.5.1']],
  ini: [['spark', 'ghcr.io/mycorp/spark:3.5.1']],
  challenge: 'bearer',
}

// A Node project has @types/node (registry's options name \`typeof globalThis.fetch\`): this
// workspace's, as the only type root.
const typeRoots = [join(dirname(fileURLToPath(import.meta.url)), '../node_modules/@types')]
const tsconfig = (compilerOptions: Record<string, unknown>) =>
  JSON.stringify({
    compilerOptions: { strict: true, target: 'ES2022', lib: ['ES2022'], types: ['node'], typeRoots, skipLibCheck: false, ...compilerOptions },
    files: ['main.ts'],
  })

// The consumers the bundle sizes are about: one function of Image, from the root and the subpath.
// The arguments come from the command line, so no bundler can compute the answer at build time.
const consumers = {
  root: "import { Image } from '@imgcfg/core'\nconsole.log(JSON.stringify(Image.lookUpImageInfo(process.argv[2], process.argv[3])))\n",
  subpath: "import * as Image from '@imgcfg/core/Image'\nconsole.log(JSON.stringify(Image.lookUpImageInfo(process.argv[2], process.argv[3])))\n",
}
const sizeBudget = 8 * 1024

// A consumer of the ImageSpec module, and a piece of its Python 3.11 Unicode tables to look for:
// the start of the str.isprintable table, read from the generated source.
const imageSpecConsumer = "import * as ImageSpec from '@imgcfg/core/ImageSpec'\nconsole.log(JSON.stringify(ImageSpec.pythonRepr(process.argv[2])))\n"
const unicodeSource = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../../packages/core/src/internal/unicode311.ts'), 'utf8')
const unicodeMarker = /NOT_PRINTABLE = '([^']{48})/.exec(unicodeSource)![1]!

let tmp: string
let tarballs: Record<Published, string>
let esm: string
let cjs: string
let node16: string
let bundlerTs: string
/** The two type-checks, started as soon as the packages are installed: they run alongside the rest. */
let typeChecks: { node16: ReturnType<typeof node>; bundler: ReturnType<typeof node> }

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'imgcfg-packaging-'))
  tarballs = await packAll(join(tmp, 'packs'))
  const libs = libraries.map((l) => tarballs[l])
  esm = project(join(tmp, 'esm'), 'module', {
    'main.mjs': esmImports + body,
    ...Object.fromEntries(Object.entries(consumers).map(([k, v]) => [`${k}.js`, v])),
    'imagespec.js': imageSpecConsumer,
  })
  cjs = project(join(tmp, 'cjs'), 'commonjs', { 'main.cjs': cjsImports + body })
  node16 = project(join(tmp, 'ts-node16'), 'module', {
    'main.ts': esmImports + body + typed,
    'tsconfig.json': tsconfig({ module: 'node16', moduleResolution: 'node16', outDir: 'out' }),
  })
  bundlerTs = project(join(tmp, 'ts-bundler'), 'module', {
    'main.ts': esmImports + body + typed,
    'tsconfig.json': tsconfig({ module: 'esnext', moduleResolution: 'bundler', noEmit: true }),
  })
  // npm installs the tarballs once, into the ESM project; the other projects get that
  // node_modules by a symlink (Node and TypeScript follow it to the same installed files), each
  // with its own package.json and tsconfig.json. Four installs would take four times as long.
  await npmInstall(esm, libs)
  for (const dir of [cjs, node16, bundlerTs]) symlinkSync(join(esm, 'node_modules'), join(dir, 'node_modules'), 'dir')
  typeChecks = { node16: node([tsc, '-p', 'tsconfig.json'], node16), bundler: node([tsc, '-p', 'tsconfig.json'], bundlerTs) }
})

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

describe('the tarballs', () => {
  it('each holds the LICENSE (the root one), a README, a CHANGELOG, and names its repository', () => {
    const license = readFileSync(join(repoRoot, 'LICENSE'), 'utf8')
    expect(license).toContain('Apache License\n                           Version 2.0, January 2004')
    for (const name of published) {
      const dir = join(esm, 'node_modules', '@imgcfg', name)
      const pkg = JSON.parse(readFileSync(join(repoRoot, 'packages', name, 'package.json'), 'utf8'))
      expect(readFileSync(join(repoRoot, 'packages', name, 'LICENSE'), 'utf8'), name).toBe(license)
      expect(pkg.license).toBe('Apache-2.0')
      expect(pkg.repository).toMatchObject({ type: 'git', directory: `packages/${name}` })
      expect(pkg.homepage).toMatch(/^https:\/\//)
      expect(pkg.bugs.url).toMatch(/^https:\/\//)
      expect(pkg.keywords.length).toBeGreaterThan(2)
      for (const file of ['LICENSE', 'README.md', 'CHANGELOG.md']) expect(pkg.files, `${name} ${file}`).toContain(file)
      if (name === 'cli') continue
      for (const file of ['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json']) {
        expect(readFileSync(join(dir, file), 'utf8').length, `${name}/${file}`).toBeGreaterThan(0)
      }
    }
  })
  it('the CLI needs nothing at run time: what it bundles is a build-time dependency', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'packages', 'cli', 'package.json'), 'utf8'))
    expect(pkg.dependencies ?? {}).toStrictEqual({})
  })
})

describe('a fresh project installs the library tarballs and uses them', () => {
  it('from ESM', async () => {
    const r = await node(['main.mjs'], esm)
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout)).toStrictEqual(expected)
  })
  it('from CommonJS', async () => {
    const r = await node(['main.cjs'], cjs)
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout)).toStrictEqual(expected)
  })
  it('from TypeScript with module node16: type-checks (with the types, not any) and runs', async () => {
    const check = await typeChecks.node16
    expect(check.stdout + check.stderr).toBe('')
    const r = await node(['out/main.js'], node16)
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout)).toStrictEqual(expected)
  })
  it('from TypeScript with moduleResolution bundler: type-checks, bundles and runs', async () => {
    const check = await typeChecks.bundler
    expect(check.stdout + check.stderr).toBe('')
    await esbuild({ entryPoints: [join(bundlerTs, 'main.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: join(bundlerTs, 'out.cjs'), logLevel: 'silent' })
    const r = await node(['out.cjs'], bundlerTs)
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout)).toStrictEqual(expected)
  })
  it.each(libraries)("@imgcfg/%s's README example prints what it says", async (name) => {
    const { code, output } = readmeExample(readFileSync(join(esm, 'node_modules', '@imgcfg', name, 'README.md'), 'utf8'))
    writeFileSync(join(esm, `readme-${name}.mjs`), code)
    const r = await node([`readme-${name}.mjs`], esm)
    expect(r.stderr).toBe('')
    expect(r.stdout.trimEnd()).toBe(output)
  })
})

describe('bundle size with default bundler settings, from the installed package', () => {
  const sizes: string[] = []
  afterAll(() => console.log(`bundle sizes (minified bytes, budget ${sizeBudget}):\n${sizes.join('\n')}`))
  it.each(bundlers.flatMap((b) => Object.keys(consumers).map((c) => [b, c] as const)))(
    '%s, the %s import of Image.lookUpImageInfo: at most 8 KB, and it runs',
    async (bundler, consumer) => {
      const code = await bundle(bundler, join(esm, `${consumer}.js`), esm)
      sizes.push(`${bundler} ${consumer}: ${code.length}`)
      // The bundle is the real thing: it parses an identifier and reports a missing tag.
      const file = join(esm, `${bundler}-${consumer}.bundle.mjs`)
      writeFileSync(file, code)
      const ok = await node([file, 'gpu', 'ghcr.io/mycorp/gpu:1.0'], esm)
      expect(JSON.parse(ok.stdout)).toStrictEqual({ _tag: 'Right', right: { name: 'gpu', fqn: 'ghcr.io/mycorp/gpu', tag: '1.0' } })
      const missing = await node([file, 'gpu', 'ubuntu'], esm)
      expect(JSON.parse(missing.stdout)).toMatchObject({ _tag: 'Left', left: { _tag: 'MissingTagOrDigest' } })
      expect(code.length).toBeLessThanOrEqual(sizeBudget)
    },
  )
})

describe('the Python 3.11 Unicode tables are bundled only with the ImageSpec module', () => {
  it.each(bundlers)('%s: not in a root @imgcfg/core import of Image, in an import of ImageSpec (which runs)', async (bundler) => {
    expect(unicodeMarker).toMatch(/^[0-9a-z,]{48}$/)
    expect((await bundle(bundler, join(esm, 'root.js'), esm)).includes(unicodeMarker)).toBe(false)
    const code = await bundle(bundler, join(esm, 'imagespec.js'), esm)
    expect(code.includes(unicodeMarker)).toBe(true)
    const file = join(esm, `${bundler}-imagespec.bundle.mjs`)
    writeFileSync(file, code)
    // U+0378 is unassigned in Unicode 14, so not printable (escaped); U+00E9 is printable.
    const r = await node([file, '\u00e9\u0378'], esm)
    expect(JSON.parse(r.stdout)).toStrictEqual({ _tag: 'Right', right: "'\u00e9\\u0378'" })
  })
})

describe('the CLI tarball alone', () => {
  const config = 'images:\n  gpu: ghcr.io/mycorp/gpu:1.0\n'
  it('installs globally in an empty directory (npm install -g) and imgcfg resolve runs', async () => {
    const dir = project(join(tmp, 'cli-global'), 'commonjs', { 'config.yaml': config })
    const prefix = join(tmp, 'cli-prefix')
    await run('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarballs.cli], dir).then((r) =>
      expect(r.code, r.stderr).toBe(0),
    )
    const env = cleanEnv({ HOME: join(tmp, 'home'), PATH: `${join(prefix, 'bin')}:${process.env.PATH}` })
    const r = await run('imgcfg', ['resolve', '-c', 'config.yaml', '-i', 'ghcr.io/mycorp/base:2.0', '--format', 'json'], dir, env)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).images.map((i: { name: string }) => i.name)).toStrictEqual(['default', 'gpu'])
    const version = await run('imgcfg', ['--version'], dir, env)
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(repoRoot, 'packages/cli/package.json'), 'utf8')).version)
  })
  it('runs through npx from the tarball', async () => {
    const dir = project(join(tmp, 'cli-npx'), 'commonjs', { 'config.yaml': config })
    const env = cleanEnv({ HOME: join(tmp, 'home') })
    const r = await run('npx', ['--yes', '--offline', '--package', tarballs.cli, '--', 'imgcfg', 'resolve', '-c', 'config.yaml', '-i', 'base:1', '--format', 'json'], dir, env)
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout).default_image).toStrictEqual({ name: 'default', fqn: 'base', tag: '1', digest: null })
  })
})
