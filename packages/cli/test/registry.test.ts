/**
 * `imgcfg verify` and `imgcfg pin` against a real registry: Debian's docker-registry started on
 * 127.0.0.1 at a free port (by @imgcfg/registry's test support), images pushed with plain HTTP
 * calls. Every image here names that registry, so no request leaves the machine.
 */
import { lstatSync, readFileSync, readlinkSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { auto, loadImageSpec, nodeFileSystem, parseConfigText } from '@imgcfg/config-file'
import * as ImageConfig from '@imgcfg/core/ImageConfig'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  basicAuth,
  dockerConfigDir,
  freePort,
  MEDIA,
  pushImage,
  registryAvailable,
  registrySkipReason,
  removeTempDirs,
  requireRegistry,
  startRegistry,
  tempDir,
  type LocalRegistry,
} from '@imgcfg/test-utils/registry'
import { applyEdits, pinEdit, unifiedDiff } from '../src/commands/pin.js'
import { shortDigest } from '../src/commands/verify.js'
import { run, type Capabilities } from '../src/run.js'
import { expectFailure, expectSuccess, spawnCli, withFiles, type Result } from './support.js'

const SKIP = registrySkipReason()
if (SKIP !== undefined) console.warn(SKIP)

afterAll(removeTempDirs)

/** `run` in-process; stderr may claim to be a terminal (for the progress line). */
const cli = async (
  argv: ReadonlyArray<string>,
  options: { cwd?: string; env?: Record<string, string>; stderrTTY?: boolean; columns?: number } = {},
): Promise<Result> => {
  let stdout = ''
  let stderr = ''
  const caps: Capabilities = {
    stdout: { write: (s) => void (stdout += s), isTTY: options.columns !== undefined, ...(options.columns !== undefined ? { columns: options.columns } : {}) },
    stderr: { write: (s) => void (stderr += s), isTTY: options.stderrTTY === true },
    env: { NO_COLOR: '1', ...options.env },
    cwd: options.cwd ?? tempDir('imgcfg-cli-'),
    home: tempDir('imgcfg-home-'),
    readStdin: async () => '',
    fs: nodeFileSystem,
    probePython: async () => ({ pythonVersion: '3.11' }),
  }
  const code = await run(argv, caps)
  return { code, stdout, stderr }
}

const imagesOf = (path: string) => {
  const config = auto({ configFile: path, env: {}, cwd: '/', home: '/' })
  if (E.isLeft(config)) throw new Error(`${path} does not resolve`)
  return ImageConfig.toDict(config.right).images
}

describe('pin edits only the tag of a value, wherever it is written', () => {
  const D = `sha256:${'b'.repeat(64)}`
  it.each([
    ['images:\n  a: ghcr.io/org/a:1.0 # moves\n', 'yaml', 'images:\n  a: ghcr.io/org/a:1.0@' + D + ' # moves\n'],
    ['images:\n  a: "ghcr.io/org/a:1.0"\n', 'yaml', `images:\n  a: "ghcr.io/org/a:1.0@${D}"\n`],
    ["images: {a: 'ghcr.io/org/a:1.0', b: x}\n", 'yaml', `images: {a: 'ghcr.io/org/a:1.0@${D}', b: x}\n`],
    ['images:\n  a: >-\n    ghcr.io/org/a:1.0\n', 'yaml', `images:\n  a: >-\n    ghcr.io/org/a:1.0@${D}\n`],
    ['images:\n  a: &x ghcr.io/org/a:1.0\n', 'yaml', `images:\n  a: &x ghcr.io/org/a:1.0@${D}\n`],
    ['\uFEFF[images]\r\na   =  ghcr.io/org/a:1.0  \r\n', 'ini', `\uFEFF[images]\r\na   =  ghcr.io/org/a:1.0@${D}  \r\n`],
    ['[DEFAULT]\nr = ghcr.io/org\n[images]\na: %(r)s/a:1.0\n', 'ini', `[DEFAULT]\nr = ghcr.io/org\n[images]\na: %(r)s/a:1.0@${D}\n`],
  ] as const)('%j', (text, format, expected) => {
    const file = parseConfigText(text, { format })
    if (E.isLeft(file)) throw new Error('does not parse')
    const entry = file.right.images.find((i) => i.name === 'a')!
    const edit = pinEdit(text, entry.valueRange!, '1.0', D)
    expect(applyEdits(text, edit ? [edit] : [])).toBe(expected)
  })

  it('has no place to edit for a YAML alias or an INI value over several lines, and no edit for an interpolated tag', () => {
    const yaml = parseConfigText('images:\n  a: &x g/a:1\n  b: *x\n', { format: 'yaml' })
    expect(E.isRight(yaml) && yaml.right.images.map((i) => i.valueRange !== undefined)).toStrictEqual([true, false])
    const ini = parseConfigText('[images]\na = g/a:1\n  continued\n', { format: 'ini' })
    expect(E.isRight(ini) && ini.right.images[0]!.valueRange).toBeUndefined()
    const text = '[DEFAULT]\nv = 1\n[images]\na = g/a:%(v)s\n'
    const interpolated = parseConfigText(text, { format: 'ini' })
    expect(E.isRight(interpolated) && pinEdit(text, interpolated.right.images.find((i) => i.name === 'a')!.valueRange!, '1', 'sha256:x')).toBeUndefined()
  })

  it('prints a unified diff with context, patch -p0 compatible', () => {
    const before = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join('\n')
    const after = before.replace('line 2', 'LINE 2').replace('line 12', 'LINE 12')
    expect(unifiedDiff('f.yaml', `${before}\n`, `${after}\n`)).toBe(
      '--- f.yaml\n+++ f.yaml\n@@ -1,5 +1,5 @@\n line 1\n-line 2\n+LINE 2\n line 3\n line 4\n line 5\n@@ -9,4 +9,4 @@\n line 9\n line 10\n line 11\n-line 12\n+LINE 12\n',
    )
    expect(unifiedDiff('f', 'a', 'b')).toBe('--- f\n+++ f\n@@ -1,1 +1,1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n')
  })
})

describe('help', () => {
  it.each(['verify', 'pin'])('%s --help shows the registry options and examples, exit 0', async (command) => {
    const r = await cli([command, '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`Usage: imgcfg ${command}`)
    expect(r.stdout).toContain('--insecure-registry HOST:PORT')
    expect(r.stdout).toContain(`Examples:\n  imgcfg ${command}`)
  })
})

describe('usage errors exit 2', () => {
  it.each([
    [['verify', '--timeout', 'soon'], "--timeout must be a positive number of seconds (10, 2.5s) or milliseconds (500ms), not 'soon'"],
    [['verify', '--timeout', '0'], '--timeout must be a positive number'],
    [['verify', '--timeout', '99999999999'], "--timeout must be between 1ms and 3600s (one hour), not '99999999999'"],
    [['pin', '-c', 'x.yaml', '--timeout', '0.5ms'], "--timeout must be between 1ms and 3600s (one hour), not '0.5ms'"],
    [['verify', '--insecure-registry', 'http://registry.lan:5000'], "--insecure-registry takes host[:port] (localhost:5000), not 'http://registry.lan:5000'"],
    [['pin'], 'pin needs the config file to pin: -c FILE'],
    [['pin', '-c', '-', '--write'], "--write needs a file to write, not '-' (stdin)"],
    [['pin', '-c', 'x.yaml', '--wirte'], "unknown option '--wirte' (did you mean '--write'?)"],
  ])('%j', async (argv, message) => {
    expectFailure(await cli(argv), 2, message, `Run 'imgcfg ${argv[0]} --help' for usage.`)
  })
})

describe.skipIf(SKIP !== undefined)('verify and pin against a real registry', () => {
  let registry: LocalRegistry
  let host: string
  const digest: Record<string, string> = {}

  beforeAll(async () => {
    if (!registryAvailable()) return
    registry = await startRegistry()
    host = registry.host
    digest['app:1.0'] = (await pushImage(registry, 'app', '1.0', 'oci-manifest')).digest
    digest['app:multi'] = (await pushImage(registry, 'app', 'multi', 'oci-index')).digest
    digest['team/legacy:1.0'] = (await pushImage(registry, 'team/legacy', '1.0', 'docker-manifest')).digest
    digest['team/legacy:list'] = (await pushImage(registry, 'team/legacy', 'list', 'docker-list')).digest
    digest['tools:3.5.1'] = (await pushImage(registry, 'tools', '3.5.1', 'docker-manifest')).digest
    digest['tools:latest'] = (await pushImage(registry, 'tools', 'latest', 'oci-manifest')).digest
  })

  afterAll(async () => {
    await registry?.stop()
  })

  // Thrown here rather than in beforeAll so that every test counts as failed, not skipped.
  beforeEach(requireRegistry)

  describe('verify', () => {
    it('prints the digest of every image resolve resolves', async () => {
      const cwd = withFiles(tempDir('imgcfg-cli-'), { 'config.yaml': `images:\n  gpu: ${host}/app:multi\n  old: ${host}/team/legacy:list\n` })
      const r = await cli(['verify', '-c', 'config.yaml', '-i', `${host}/app:1.0`, '-i', `tools=${host}/tools:3.5.1`, '--format', 'table'], { cwd })
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
      // Digests are short in the table (the JSON has them whole).
      const rows = [
        ['default', `${host}/app:1.0`, shortDigest(digest['app:1.0']!), 'OCI manifest'],
        ['tools', `${host}/tools:3.5.1`, shortDigest(digest['tools:3.5.1']!), 'Docker manifest'],
        ['gpu', `${host}/app:multi`, shortDigest(digest['app:multi']!), 'OCI index'],
        ['old', `${host}/team/legacy:list`, shortDigest(digest['team/legacy:list']!), 'Docker manifest list'],
      ]
      expect(r.stdout.split('\n').map((line) => line.split(/\s{2,}/))).toStrictEqual([['NAME', 'REFERENCE', 'DIGEST', 'TYPE'], ...rows, ['']])
    })

    it('checks a digest-pinned image by reading the manifest of its digest', async () => {
      const ok = await cli(['verify', '-c', '', '-i', `${host}/team/legacy@${digest['team/legacy:1.0']}`, '--format', 'table'])
      expect(ok.code).toBe(0)
      expect(ok.stdout).toContain(`Docker manifest`)
      const zero = `sha256:${'0'.repeat(64)}`
      expectFailure(await cli(['verify', '-c', '', '-i', `${host}/team/legacy@${zero}`, '--format', 'table']), 1, `manifest ${zero} not found in repository "team/legacy"`)
    })

    it('exits 1 listing the missing images, telling a missing tag from a missing repository', async () => {
      const cwd = withFiles(tempDir('imgcfg-cli-'), {
        'flytekit.config': `[images]\ngood = ${host}/app:1.0\ngone = ${host}/app:2.0\nnope = ${host}/nope:1\n`,
      })
      const r = await cli(['verify', '-c', 'flytekit.config', '-i', `${host}/app:multi`, '--format', 'table'], { cwd })
      expect(r).toStrictEqual({
        code: 1,
        stdout: '',
        stderr:
          `imgcfg: 2 of 4 images do not exist:\n` +
          `  gone  ${host}/app:2.0: tag "2.0" not found in repository "app" on registry ${host}. Tags there: 1.0, multi.\n` +
          `  nope  ${host}/nope:1: repository "nope" does not exist on registry ${host}.\n`,
      })
    })

    it('a registry that is down is named, with the image', async () => {
      const port = await freePort()
      const r = await cli(['verify', '-c', '', '-i', `127.0.0.1:${port}/app:1.0`, '--format', 'table'])
      expectFailure(r, 1, 'imgcfg: The image could not be verified:', `default  127.0.0.1:${port}/app:1.0: cannot reach registry 127.0.0.1:${port}`, 'connection refused')
    })

    it('shows a progress line on a terminal, when there are more than a few images', async () => {
      const flags = ['1.0', 'multi', '1.0', 'multi'].flatMap((tag, i) => ['-i', `i${i}=${host}/app:${tag}`])
      const tty = await cli(['verify', '-c', '', '-i', `${host}/app:1.0`, ...flags], { stderrTTY: true })
      expect(tty.code).toBe(0)
      expect(tty.stderr).toMatch(/^\rimgcfg: checking images 1\/5(\rimgcfg: checking images \d\/5)*\r\u001b\[K$/)
      const pipe = await cli(['verify', '-c', '', '-i', `${host}/app:1.0`, ...flags])
      expect(pipe.stderr).toBe('')
      const few = await cli(['verify', '-c', '', '-i', `${host}/app:1.0`], { stderrTTY: true })
      expect(few.stderr).toBe('')
    })

    it('an ImageSpec image the registry does not have is not built yet, which pyflyte would do: exit 3; once pushed, ok', async () => {
      const cwd = withFiles(tempDir('imgcfg-cli-'), { 'spec.yaml': `name: specapp\nregistry: ${host}\n` })
      const loaded = loadImageSpec('spec.yaml', { cwd })
      if (E.isLeft(loaded)) throw new Error('the spec does not load')
      const name = loaded.right.imageName
      expect(name).toBe(`${host}/specapp:${loaded.right.tag}`)
      expect(await cli(['verify', '-c', '', '-i', 'spec.yaml', '--format', 'table'], { cwd })).toStrictEqual({
        code: 3,
        stdout: '',
        stderr: `imgcfg: The image is not built yet:\n  default  ${name}: not built yet (the registry has no such image); pyflyte builds it from the ImageSpec file spec.yaml when it runs or registers a task with it.\n`,
      })
      // A broken reference beside it decides the exit code.
      const both = await cli(['verify', '-c', '', '-i', 'spec.yaml', '-i', `gone=${host}/app:2.0`, '--format', 'json'], { cwd })
      expect(both.code).toBe(1)
      expect((JSON.parse(both.stdout) as Array<{ status: string }>).map((i) => i.status)).toStrictEqual(['not-built', 'missing'])
      await pushImage(registry, 'specapp', loaded.right.tag, 'oci-manifest')
      const built = await cli(['verify', '-c', '', '-i', 'spec.yaml', '--format', 'json'], { cwd })
      expect(built.code, built.stderr).toBe(0)
      expect((JSON.parse(built.stdout) as Array<{ status: string; reference: string }>)[0]).toMatchObject({ status: 'ok', reference: name })
    })
  })

  describe('verify against an htpasswd-protected registry', () => {
    let secure: LocalRegistry
    let image: string

    beforeAll(async () => {
      if (!registryAvailable()) return
      secure = await startRegistry({ htpasswd: { username: 'flyte', password: 'pw' } })
      await pushImage(secure, 'private/app', '1.0', 'docker-list')
      image = `${secure.host}/private/app:1.0`
    })

    afterAll(async () => {
      await secure?.stop()
    })

    it('uses the credentials of --docker-config or $DOCKER_CONFIG, and says 401 without them', async () => {
      const dir = dockerConfigDir({ auths: { [secure.host]: { auth: basicAuth('flyte', 'pw') } } })
      const withFlag = await cli(['verify', '-c', '', '-i', image, '--docker-config', join(dir, 'config.json')])
      expect(withFlag.code, withFlag.stderr).toBe(0)
      const withEnv = await cli(['verify', '-c', '', '-i', image], { env: { DOCKER_CONFIG: dir } })
      expect(withEnv.code, withEnv.stderr).toBe(0)
      expectFailure(
        await cli(['verify', '-c', '', '-i', image, '--format', 'table']),
        1,
        `default  ${image}: registry ${secure.host} denied access without credentials: 401 Unauthorized ("authentication required"). Log in (docker login ${secure.host})`,
      )
    })
  })

  describe('pin', () => {
    const yamlConfig = (h: string) => `# Images for the ml team
admin:
  endpoint: dns:///flyte.example.com   # not an image

images:
  # the training image, rebuilt every release
  train: ${h}/app:1.0        # moves!
  gpu:   "${h}/app:multi"
  legacy: '${h}/team/legacy:list'
  tools: ${h}/tools
  fixed: ${h}/app@${digest['app:multi']}
`

    const iniConfig = (h: string) => `# legacy flytekit config
[DEFAULT]
team = ${h}/team

[images]
; training
train = ${h}/app:1.0
gpu: ${h}/app:multi
legacy   =   %(team)s/legacy:1.0
tagless = ${h}/tools
`

    it('prints a diff and leaves the file alone', async () => {
      const cwd = withFiles(tempDir('imgcfg-cli-'), { 'config.yaml': yamlConfig(host) })
      const r = await cli(['pin', '-c', 'config.yaml'], { cwd })
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toBe(
        `--- config.yaml
+++ config.yaml
@@ -4,8 +4,8 @@
 
 images:
   # the training image, rebuilt every release
-  train: ${host}/app:1.0        # moves!
-  gpu:   "${host}/app:multi"
-  legacy: '${host}/team/legacy:list'
+  train: ${host}/app:1.0@${digest['app:1.0']}        # moves!
+  gpu:   "${host}/app:multi@${digest['app:multi']}"
+  legacy: '${host}/team/legacy:list@${digest['team/legacy:list']}'
   tools: ${host}/tools
   fixed: ${host}/app@${digest['app:multi']}
`,
      )
      expect(r.stderr).toBe(`imgcfg: note: config.yaml:10:3: image "tools" ("${host}/tools") has no tag, so there is nothing to pin; give it a tag or a digest.\n`)
      expect(readFileSync(join(cwd, 'config.yaml'), 'utf8')).toBe(yamlConfig(host))
    })

    it('--write edits a YAML file in place, keeping comments and formatting; it resolves to the same images, pinned', async () => {
      const cwd = withFiles(tempDir('imgcfg-cli-'), { 'config.yaml': yamlConfig(host) })
      const path = join(cwd, 'config.yaml')
      const before = imagesOf(path)
      const r = await cli(['pin', '-c', 'config.yaml', '--write'], { cwd })
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toBe('')
      expect(r.stderr).toContain('imgcfg: note: pinned 3 images in config.yaml.\n')
      expect(readFileSync(path, 'utf8')).toBe(
        yamlConfig(host)
          .replace(`app:1.0`, `app:1.0@${digest['app:1.0']}`)
          .replace(`app:multi`, `app:multi@${digest['app:multi']}`)
          .replace(`legacy:list`, `legacy:list@${digest['team/legacy:list']}`),
      )
      const pinnedDigests: Record<string, string> = { train: digest['app:1.0']!, gpu: digest['app:multi']!, legacy: digest['team/legacy:list']! }
      expect(imagesOf(path)).toStrictEqual(
        before!.map((i) => (pinnedDigests[i.name] ? { ...i, tag: null, digest: pinnedDigests[i.name]! } : i)),
      )
      // No temporary file is left behind, and the pinned file verifies.
      expect(readdirSync(cwd)).toStrictEqual(['config.yaml'])
      const verified = await cli(['verify', '-c', 'config.yaml', '-i', `${host}/tools:3.5.1`], { cwd })
      expect(verified.code, verified.stderr).toBe(0)
      // Pinning again finds nothing left to do.
      const again = await cli(['pin', '-c', 'config.yaml', '--write'], { cwd })
      expect(again.code).toBe(0)
      expect(again.stderr).toContain('imgcfg: note: config.yaml: nothing to pin (5 images).')
    })

    it('--write edits an INI file in place, interpolation and comments kept', async () => {
      const cwd = withFiles(tempDir('imgcfg-cli-'), { 'flytekit.config': iniConfig(host) })
      const path = join(cwd, 'flytekit.config')
      const before = imagesOf(path)
      const r = await cli(['pin', '-c', 'flytekit.config', '--write'], { cwd })
      expect(r.code, r.stderr).toBe(0)
      expect(readFileSync(path, 'utf8')).toBe(`# legacy flytekit config
[DEFAULT]
team = ${host}/team

[images]
; training
train = ${host}/app:1.0@${digest['app:1.0']}
gpu: ${host}/app:multi@${digest['app:multi']}
legacy   =   %(team)s/legacy:1.0@${digest['team/legacy:1.0']}
tagless = ${host}/tools
`)
      const pinnedDigests: Record<string, string> = { train: digest['app:1.0']!, gpu: digest['app:multi']!, legacy: digest['team/legacy:1.0']! }
      expect(imagesOf(path)).toStrictEqual(
        before!.map((i) => (pinnedDigests[i.name] ? { ...i, tag: null, digest: pinnedDigests[i.name]! } : i)),
      )
    })

    it('writes nothing when an image is missing', async () => {
      const text = `images:\n  a: ${host}/app:1.0\n  b: ${host}/app:9.9\n`
      const cwd = withFiles(tempDir('imgcfg-cli-'), { 'config.yaml': text })
      const r = await cli(['pin', '-c', 'config.yaml', '--write'], { cwd })
      expectFailure(r, 1, `imgcfg: 1 of 2 images does not exist:\n  b  ${host}/app:9.9: tag "9.9" not found in repository "app"`)
      expect(readFileSync(join(cwd, 'config.yaml'), 'utf8')).toBe(text)
    })

    it('--write through a symlink edits the target and keeps the link and the permissions', async () => {
      const cwd = withFiles(tempDir('imgcfg-cli-'), { 'real/config.yaml': `images:\n  a: ${host}/app:1.0\n` })
      const { chmodSync } = await import('node:fs')
      chmodSync(join(cwd, 'real/config.yaml'), 0o640)
      symlinkSync('real/config.yaml', join(cwd, 'link.yaml'))
      const r = await cli(['pin', '-c', 'link.yaml', '--write'], { cwd })
      expect(r.code, r.stderr).toBe(0)
      expect(lstatSync(join(cwd, 'link.yaml')).isSymbolicLink()).toBe(true)
      expect(readlinkSync(join(cwd, 'link.yaml'))).toBe('real/config.yaml')
      expect(readFileSync(join(cwd, 'real/config.yaml'), 'utf8')).toBe(`images:\n  a: ${host}/app:1.0@${digest['app:1.0']}\n`)
      expect(statSync(join(cwd, 'real/config.yaml')).mode & 0o777).toBe(0o640)
    })

    it('--write refuses a read-only file and says why, leaving it alone', async () => {
      const text = `images:\n  a: ${host}/app:1.0\n`
      const cwd = withFiles(tempDir('imgcfg-cli-'), { 'config.yaml': text })
      const { chmodSync } = await import('node:fs')
      chmodSync(join(cwd, 'config.yaml'), 0o444)
      const r = await cli(['pin', '-c', 'config.yaml', '--write'], { cwd })
      expectFailure(r, 1, `imgcfg: ${join(cwd, 'config.yaml')} is read-only, so it was not written; make it writable (chmod u+w) to pin it in place.`)
      expect(readFileSync(join(cwd, 'config.yaml'), 'utf8')).toBe(text)
      expect(readdirSync(cwd)).toStrictEqual(['config.yaml'])
    })

    it('works from the built binary', async () => {
      const cwd = withFiles(tempDir('imgcfg-cli-'), { 'flytekit.config': iniConfig(host), 'config.yaml': yamlConfig(host) })
      const diff = await spawnCli(['pin', '-c', 'flytekit.config'], { cwd })
      expect(diff.code, diff.stderr).toBe(0)
      expect(diff.stdout).toContain(`+legacy   =   %(team)s/legacy:1.0@${digest['team/legacy:1.0']}\n`)
      const written = await spawnCli(['pin', '-c', 'config.yaml', '--write'], { cwd })
      expect(written.code, written.stderr).toBe(0)
      const verified = await spawnCli(['verify', '-c', 'config.yaml', '-i', `${host}/tools:3.5.1`, '--format', 'table'], { cwd })
      expect(verified.code, verified.stderr).toBe(0)
      const d = shortDigest(digest['team/legacy:list']!)
      expect(verified.stdout).toContain(`legacy   ${host}/team/legacy:list@${d}  ${d}  Docker manifest list\n`)
    })
  })
  describe('a tag that moves after it was pinned', () => {
    it('verify reports it (exit 1); pin --update shows the diff and --write re-pins it', async () => {
      const first = (await pushImage(registry, 'moving', '2.1', 'oci-manifest')).digest
      const cwd = withFiles(tempDir('imgcfg-cli-'), { 'config.yaml': `images:\n  gpu: ${host}/moving:2.1   # the GPU image\n` })
      expectSuccess(await cli(['pin', '-c', 'config.yaml', '--write'], { cwd }))
      const pinnedText = `images:\n  gpu: ${host}/moving:2.1@${first}   # the GPU image\n`
      expect(readFileSync(join(cwd, 'config.yaml'), 'utf8')).toBe(pinnedText)
      expectSuccess(await cli(['verify', '-c', 'config.yaml', '-i', `${host}/app:1.0`, '--format', 'table'], { cwd }))
      // Without --update there is nothing to do: the entry is pinned.
      const nothing = await cli(['pin', '-c', 'config.yaml'], { cwd })
      expect(nothing.stderr).toContain('config.yaml: nothing to pin (1 image).')

      const second = (await pushImage(registry, 'moving', '2.1', 'oci-manifest')).digest
      expect(second).not.toBe(first)
      const moved = `${host}/moving:2.1: tag "2.1" has moved: pinned ${shortDigest(first)}, now ${shortDigest(second)}. Run imgcfg pin --update to re-pin it.`
      expectFailure(await cli(['verify', '-c', 'config.yaml', '-i', `${host}/app:1.0`, '--format', 'table'], { cwd }), 1, `imgcfg: 1 of 2 images has moved:\n  gpu  ${moved}\n`)
      const json = await cli(['verify', '-c', 'config.yaml', '-i', `${host}/app:1.0`], { cwd })
      expect(json.code).toBe(1)
      expect((JSON.parse(json.stdout) as Array<Record<string, unknown>>)[1]).toStrictEqual({
        name: 'gpu',
        reference: `${host}/moving@${first}`,
        status: 'moved',
        digest: first,
        mediaType: MEDIA.ociManifest,
        tag: '2.1',
        tagDigest: second,
        error: moved,
      })

      const diff = await cli(['pin', '-c', 'config.yaml', '--update'], { cwd })
      expectSuccess(diff)
      expect(diff.stdout).toBe(
        `--- config.yaml\n+++ config.yaml\n@@ -1,2 +1,2 @@\n images:\n-  gpu: ${host}/moving:2.1@${first}   # the GPU image\n+  gpu: ${host}/moving:2.1@${second}   # the GPU image\n`,
      )
      expect(diff.stderr).toBe(`imgcfg: note: config.yaml:2:3: image "gpu": tag "2.1" has moved: pinned ${shortDigest(first)}, now ${shortDigest(second)}.\n`)
      expect(readFileSync(join(cwd, 'config.yaml'), 'utf8')).toBe(pinnedText)
      const written = await cli(['pin', '-c', 'config.yaml', '--update', '--write'], { cwd })
      expectSuccess(written)
      expect(written.stderr).toContain('imgcfg: note: re-pinned 1 image in config.yaml.')
      expect(readFileSync(join(cwd, 'config.yaml'), 'utf8')).toBe(`images:\n  gpu: ${host}/moving:2.1@${second}   # the GPU image\n`)
      expectSuccess(await cli(['verify', '-c', 'config.yaml', '-i', `${host}/app:1.0`, '--format', 'table'], { cwd }))
    })

    it('a -i value written name:tag@digest is checked for drift too', async () => {
      const first = (await pushImage(registry, 'drift', '1', 'oci-manifest')).digest
      await pushImage(registry, 'drift', '1', 'docker-manifest')
      const r = await cli(['verify', '-c', '', '-i', `${host}/drift:1@${first}`, '--format', 'table'])
      expectFailure(r, 1, 'imgcfg: The image has moved:', `tag "1" has moved: pinned ${shortDigest(first)}`)
    })
  })

  describe('verify output', () => {
    it('is JSON when stdout is piped and a table on a terminal, like resolve', async () => {
      const args = ['verify', '-c', '', '-i', `${host}/app:1.0`]
      // The built binary, stdout a pipe: node.ts reads isTTY from the real stream.
      const piped = await spawnCli(args, { env: { NO_COLOR: '1' } })
      expectSuccess(piped)
      expect(JSON.parse(piped.stdout)).toMatchObject([{ name: 'default', status: 'ok', digest: digest['app:1.0'] }])
      const inProcess = await cli(args)
      expect(JSON.parse(inProcess.stdout)).toStrictEqual(JSON.parse(piped.stdout))
      const terminal = await cli(args, { columns: 120 })
      expect(terminal.stdout.split('\n')[0]!.split(/\s{2,}/)).toStrictEqual(['NAME', 'REFERENCE', 'DIGEST', 'TYPE'])
    })

    it('--format json: one object per image, stable keys, full digests; the table fits the terminal', async () => {
      const r = await cli(['verify', '-c', '', '-i', `${host}/app:1.0`, '-i', `gone=${host}/app:9.9`, '--format', 'json'])
      expect(r.code).toBe(1)
      const rows = JSON.parse(r.stdout) as Array<Record<string, unknown>>
      expect(rows.map((o) => Object.keys(o))).toStrictEqual([0, 1].map(() => ['name', 'reference', 'status', 'digest', 'mediaType', 'tag', 'tagDigest', 'error']))
      expect(rows[0]).toMatchObject({ name: 'default', status: 'ok', digest: digest['app:1.0'], error: null })
      expect(rows[1]).toMatchObject({ name: 'gone', status: 'missing', digest: null })
      expect(rows[1]!.error).toMatch(/tag "9.9" not found in repository "app"/)

      const long = `${host}/team/legacy@${digest['team/legacy:list']}`
      const wide = await cli(['verify', '-c', '', '-i', long, '-i', `a-rather-long-image-name=${host}/app:multi`], { columns: 80 })
      expectSuccess(wide)
      const lines = wide.stdout.trimEnd().split('\n')
      expect(lines).toHaveLength(3)
      expect(lines.every((line) => line.length <= 80), wide.stdout).toBe(true)
      expect(lines[1]).toContain(shortDigest(digest['team/legacy:list']!))
    })
  })
})
