/**
 * The built executable, spawned as a user runs it: exit codes, what goes to stdout and stderr,
 * stdin, colour and a reader that stops early.
 */
import { spawn, spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  BIN,
  collect,
  expectFailure,
  expectNoStack,
  expectSuccess,
  fakePythonPath,
  spawnCli,
  tempDir,
  withFiles,
  type Result,
} from './support.js'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }

const DEFAULT_311 = 'cr.flyte.org/flyteorg/flytekit:py3.11-latest'
const SAMPLE_YAML = 'images:\n  gpu: ghcr.io/org/gpu:2.1\n  tools: docker.io/tools\n'
const SAMPLE_INI = '# legacy\n[images]\ngpu = ghcr.io/org/gpu:2.1\n'

const json = (r: Result): any => JSON.parse(r.stdout)

const hasPython3 = spawnSync('python3', ['-c', 'import importlib.metadata'], { stdio: 'ignore' }).status === 0

describe.concurrent('the executable', () => {
  it('has a node shebang', () => {
    expect(readFileSync(BIN, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node')
  })

  it('--help and --version exit 0 on stdout', async () => {
    const help = await spawnCli(['--help'])
    expectSuccess(help)
    expect(help.stdout).toContain('Usage: imgcfg <command>')
    expect(help.stderr).toBe('')
    const version = await spawnCli(['--version'])
    expectSuccess(version)
    expect(version.stdout).toBe(`${pkg.version}\n`)
  })

  it.each(['resolve', 'find', 'default-image', 'parse', 'lint', 'schema'])('%s --help shows examples and exits 0', async (command) => {
    const r = await spawnCli([command, '--help'])
    expectSuccess(r)
    expect(r.stdout).toContain(`Usage: imgcfg ${command}`)
    expect(r.stdout).toContain(`Examples:\n  imgcfg ${command}`)
  })

  it('no command is a usage error that shows the help on stderr', async () => {
    const r = await spawnCli([])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('Usage: imgcfg <command>')
  })

  it('an unknown option exits 2 with a usage hint', async () => {
    expectFailure(await spawnCli(['resolve', '--fromat', 'json']), 2, "unknown option '--fromat' (did you mean '--format'?)", "Run 'imgcfg resolve --help'")
    expectFailure(await spawnCli(['reslove']), 2, "unknown command 'reslove' (did you mean 'resolve'?)")
    expectFailure(await spawnCli(['find']), 2, 'find needs NAME')
    expectFailure(await spawnCli(['resolve', '--format', 'xml']), 2, '--format must be table, json or yaml')
  })
})

describe.concurrent('resolve', () => {
  it('prints ImageConfig.toDict as JSON when stdout is not a terminal', async () => {
    const r = await spawnCli(['resolve', '-i', 'ghcr.io/org/app:1.0', '-i', 'gpu=ghcr.io/org/gpu:2.1'])
    expectSuccess(r)
    expect(r.stderr).toBe('')
    expect(json(r)).toStrictEqual({
      default_image: { name: 'default', fqn: 'ghcr.io/org/app', tag: '1.0', digest: null },
      images: [
        { name: 'default', fqn: 'ghcr.io/org/app', tag: '1.0', digest: null },
        { name: 'gpu', fqn: 'ghcr.io/org/gpu', tag: '2.1', digest: null },
      ],
    })
  })

  it('merges a config file and shows the sources in table mode', async () => {
    const dir = withFiles(tempDir(), { 'config.yaml': SAMPLE_YAML })
    const r = await spawnCli(['resolve', '-c', 'config.yaml', '--python-version', '3.11', '--format', 'table'], {
      cwd: dir,
      env: { PATH: fakePythonPath('3.9 ') },
    })
    expectSuccess(r)
    expect(r.stdout).toBe(
      [
        'NAME     REFERENCE                                     SOURCE   FROM',
        `default  ${DEFAULT_311}  default  default for Python 3.11`,
        'gpu      ghcr.io/org/gpu:2.1                           config   config.yaml:2:3',
        'tools    docker.io/tools                               config   config.yaml:3:3',
        '',
      ].join('\n'),
    )
  })

  it('prints YAML', async () => {
    const r = await spawnCli(['resolve', '-i', 'x/y:1', '--format', 'yaml'])
    expectSuccess(r)
    expect(r.stdout).toContain('default_image:\n  name: default\n  fqn: x/y\n  tag: "1"\n  digest: null\n')
  })

  it('takes the default image from FLYTE_INTERNAL_IMAGE without asking python3', async () => {
    const r = await spawnCli(['resolve', '--format', 'table'], {
      env: { FLYTE_INTERNAL_IMAGE: 'ghcr.io/org/base:7', PATH: fakePythonPath('not-a-version') },
    })
    expectSuccess(r)
    expect(r.stdout).toContain('default  ghcr.io/org/base:7  default  FLYTE_INTERNAL_IMAGE')
  })

  it('asks the python3 on PATH for the Python and flytekit versions', async () => {
    const r = await spawnCli(['resolve'], { env: { PATH: fakePythonPath('3.10 1.15.0') } })
    expectSuccess(r)
    expect(json(r).default_image.tag).toBe('py3.10-1.15.0')
  })

  it('remembers the probe between runs until the interpreter or its packages change', async () => {
    const dir = tempDir('imgcfg-counting-')
    const site = join(dir, 'site-packages')
    mkdirSync(site)
    const script = join(dir, 'python3')
    writeFileSync(script, `#!/bin/sh\necho run >> '${join(dir, 'runs')}'\necho '3.10 1.15.0'\necho '${site}'\n`)
    chmodSync(script, 0o755)
    const env = { PATH: dir, HOME: tempDir('imgcfg-home-') }
    const runs = () => readFileSync(join(dir, 'runs'), 'utf8').split('\n').filter(Boolean).length
    for (let i = 0; i < 3; i++) expect(json(await spawnCli(['resolve'], { env })).default_image.tag).toBe('py3.10-1.15.0')
    expect(runs()).toBe(1)
    utimesSync(site, new Date(), new Date(Date.now() + 5_000))
    await spawnCli(['resolve'], { env })
    expect(runs()).toBe(2)
    await spawnCli(['resolve'], { env: { ...env, IMGCFG_NO_CACHE: '1' } })
    expect(runs()).toBe(3)
  })

  it.skipIf(!hasPython3)('the probe reads the flytekit version from a real python3', async () => {
    const site = withFiles(tempDir(), {
      'flytekit/__init__.py': '',
      'flytekit-1.15.2.dist-info/METADATA': 'Metadata-Version: 2.1\nName: flytekit\nVersion: 1.15.2\n',
    })
    const r = await spawnCli(['default-image', '--python-version', '3.10'], { env: { PATH: process.env.PATH!, PYTHONPATH: site } })
    expectSuccess(r)
    expect(r.stdout).toBe('cr.flyte.org/flyteorg/flytekit:py3.10-1.15.2\n')
  })

  it('falls back to the newest Python with a note on stderr when there is no python3', async () => {
    const r = await spawnCli(['default-image'])
    expectSuccess(r)
    expect(r.stdout).toBe('cr.flyte.org/flyteorg/flytekit:py3.12-latest\n')
    expect(r.stderr).toContain('imgcfg: note: no python3 on PATH; using Python 3.12')
  })

  it('reads the config from stdin with -, guessing INI from a [section] header', async () => {
    const r = await spawnCli(['resolve', '-c', '-', '-i', 'a/b:1'], { input: SAMPLE_INI })
    expectSuccess(r)
    expect(json(r).images.map((i: any) => i.name)).toEqual(['default', 'gpu'])
  })

  it('--config-format overrides the guess', async () => {
    const r = await spawnCli(['resolve', '-c', '-', '-i', 'a/b:1', '--config-format', 'yaml'], { input: SAMPLE_INI })
    expectFailure(r, 1, '<stdin>:')
  })

  it('fails on an invalid --image value', async () => {
    expectFailure(await spawnCli(['resolve', '-i', 'ubuntu']), 1, '--image value 1 ("ubuntu"): Incorrectly formatted image ubuntu, missing tag or digest')
  })

  it('fails on a missing config file, naming it', async () => {
    expectFailure(await spawnCli(['resolve', '-i', 'a/b:1', '-c', 'nope.yaml']), 1, 'Cannot read config file "nope.yaml": no such file.')
  })

  it('fails on a broken config file with file:line:col', async () => {
    const dir = withFiles(tempDir(), { 'c.yaml': 'images:\n  a: x:1\n  a: y:2\n' })
    expectFailure(await spawnCli(['resolve', '-i', 'a/b:1', '-c', 'c.yaml'], { cwd: dir }), 1, 'c.yaml:3:3: duplicate key "a"')
  })

  it('--strict rejects identifiers outside the OCI grammar', async () => {
    expectFailure(await spawnCli(['resolve', '-i', 'ghcr.io/Org/app:1', '--strict']), 1, 'repository name must be lowercase')
  })

  it('discovers ./flytekit.config as flytekit does and says so on stderr', async () => {
    const dir = withFiles(tempDir(), { 'flytekit.config': SAMPLE_INI })
    const r = await spawnCli(['resolve', '-i', 'a/b:1'], { cwd: dir })
    expectSuccess(r)
    expect(json(r).images.map((i: any) => i.name)).toEqual(['default', 'gpu'])
    expect(r.stderr).toBe(`imgcfg: note: using config file ${join(dir, 'flytekit.config')} (found via ./flytekit.config)\n`)
  })

  it('warns about a FLYTECTL_CONFIG that does not exist', async () => {
    const r = await spawnCli(['resolve', '-i', 'a/b:1'], { env: { FLYTECTL_CONFIG: '/nowhere/config.yaml' } })
    expectSuccess(r)
    expect(r.stderr).toContain('imgcfg: warning: FLYTECTL_CONFIG=/nowhere/config.yaml does not exist')
  })
})

describe.concurrent('find', () => {
  it('prints the full reference', async () => {
    const dir = withFiles(tempDir(), { 'c.yaml': SAMPLE_YAML })
    const r = await spawnCli(['find', 'tools', '-c', 'c.yaml', '-i', 'a/b:1'], { cwd: dir })
    expectSuccess(r)
    expect(r.stdout).toBe('docker.io/tools\n')
  })

  it('lists the names there are when the name is unknown', async () => {
    expectFailure(await spawnCli(['find', 'cpu', '-i', 'a/b:1', '-i', 'gpu=g/p:1']), 1, 'No image named "cpu". Available: default, gpu.')
  })
})

describe.concurrent('default-image', () => {
  it('prints flytekit default image', async () => {
    const r = await spawnCli(['default-image', '--python-version', '3.9', '--flytekit-version', 'v1.15.4.dev12'])
    expectSuccess(r)
    expect(r.stdout).toBe('cr.flyte.org/flyteorg/flytekit:py3.9-1.15.4.dev12\n')
  })

  it('fails on an unsupported Python version', async () => {
    expectFailure(await spawnCli(['default-image', '--python-version', '3.7']), 1, 'Supported versions: 3.8, 3.9, 3.10, 3.11, 3.12.')
  })

  it('names the python3 on PATH when its version is unsupported', async () => {
    expectFailure(
      await spawnCli(['default-image'], { env: { PATH: fakePythonPath('3.13 ') } }),
      1,
      '3.13 is the version of the python3 on PATH; choose one with --python-version.',
    )
  })
})

describe.concurrent('parse', () => {
  it('splits leniently by default', async () => {
    const r = await spawnCli(['parse', 'localhost:5000/app:1.0'])
    expectSuccess(r)
    expect(json(r)).toStrictEqual({ fqn: 'localhost:5000/app', tag: '1.0' })
  })

  it('--normalize shows the familiar form', async () => {
    const r = await spawnCli(['parse', 'ubuntu:22.04', '--normalize', '--format', 'table'])
    expectSuccess(r)
    expect(r.stdout).toContain('name      docker.io/library/ubuntu\n')
    expect(r.stdout).toContain('familiar  ubuntu:22.04\n')
  })

  it('--strict fails with the reason and offset', async () => {
    expectFailure(await spawnCli(['parse', 'ghcr.io/Org/app:1', '--strict']), 1, "repository name must be lowercase (offset 8: 'O')")
  })
})

describe.concurrent('lint', () => {
  it('passes a clean file', async () => {
    const dir = withFiles(tempDir(), { 'c.yaml': 'images:\n  gpu: ghcr.io/org/gpu:2.1\n' })
    const r = await spawnCli(['lint', '-c', 'c.yaml'], { cwd: dir })
    expectSuccess(r)
    expect(r.stdout).toBe('c.yaml: 1 image, no problems\n')
  })

  it('reports findings with file:line:col on stderr and exits 1', async () => {
    const dir = withFiles(tempDir(), {
      'c.yaml': 'images:\n  default: x/y:1\n  bad: ghcr.io/Org/app:1\n  floating: docker.io/tools\n',
    })
    const r = await spawnCli(['lint', '-c', 'c.yaml'], { cwd: dir })
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 1, stdout: '' })
    expectNoStack(r)
    const lines = r.stderr.split('\n')
    expect(lines.slice(3)).toEqual(['imgcfg: 3 problems in c.yaml (3 images).', ''])
    expect(lines[0]).toMatch(/^c\.yaml:2:3: an image named "default" in a config file is never the default image/)
    expect(lines[1]).toMatch(/^c\.yaml:3:3: image "bad": Invalid image reference "ghcr.io\/Org\/app:1": repository name must be lowercase/)
    expect(lines[2]).toMatch(/^c\.yaml:4:3: image "floating" \("docker.io\/tools"\) has no tag or digest, so it floats/)
  })

  it('reports a duplicate name as the parse error it is', async () => {
    const r = await spawnCli(['lint', '-c', '-'], { input: '[images]\nabc = x:1\nABC = y:1\n' })
    expectFailure(r, 1, "imgcfg: <stdin>:3:1: option 'abc' in section 'images' already exists (first at line 2)")
  })

  it('fails when there is no file to lint', async () => {
    expectFailure(await spawnCli(['lint']), 1, 'No config file to lint')
  })
})

describe.concurrent('schema', () => {
  it('prints the JSON Schema', async () => {
    const r = await spawnCli(['schema'])
    expectSuccess(r)
    expect(json(r).$schema).toBe('https://json-schema.org/draft/2020-12/schema')
  })
})

describe.concurrent('colour', () => {
  it('NO_COLOR keeps output plain even with FORCE_COLOR unset and table mode', async () => {
    const r = await spawnCli(['resolve', '-i', 'a/b:1', '--format', 'table'], { env: { NO_COLOR: '1' } })
    expectSuccess(r)
    expect(r.stdout).not.toContain('\u001b[')
  })

  it('FORCE_COLOR colours tables and the error prefix, never JSON', async () => {
    const table = await spawnCli(['resolve', '-i', 'a/b:1', '--format', 'table'], { env: { FORCE_COLOR: '1' } })
    expect(table.stdout).toContain('\u001b[1mNAME')
    const asJson = await spawnCli(['resolve', '-i', 'a/b:1', '--format', 'json'], { env: { FORCE_COLOR: '1' } })
    expect(asJson.stdout).not.toContain('\u001b[')
    const failed = await spawnCli(['resolve', '-i', 'a'], { env: { FORCE_COLOR: '1' } })
    expect(failed.stderr).toMatch(/^\u001b\[31mimgcfg:\u001b\[39m /)
  })
})

describe('a reader that stops early', () => {
  it('is not an error: no EPIPE message, exit 0', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `  img${i}: ghcr.io/org/image-number-${i}:1.0`)
    const dir = withFiles(tempDir(), { 'big.yaml': `images:\n${lines.join('\n')}\n` })
    // The output (≈700 KB) is far larger than a pipe's buffer; the reader closes after one chunk.
    const r = await new Promise<Result>((resolvePromise, reject) => {
      const child = spawn(process.execPath, [BIN, 'resolve', '-c', 'big.yaml', '-i', 'a/b:1', '--format', 'json'], {
        cwd: dir,
        env: { HOME: dir, PATH: fakePythonPath() },
      })
      let stderr = ''
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
      child.stdout.once('data', () => child.stdout.destroy())
      child.on('error', reject)
      child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout: '', stderr }))
    })
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' })
  })

  it('imgcfg schema | head -1', async () => {
    const r = await collect(
      spawn('/bin/sh', ['-c', `"${process.execPath}" "${BIN}" schema | head -1`], { env: { PATH: '/usr/bin:/bin' } }),
    )
    expect(r).toEqual({ code: 0, stdout: '{\n', stderr: '' })
  })
})
