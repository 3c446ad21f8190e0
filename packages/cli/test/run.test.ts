/**
 * `run` in-process with fake capabilities: the decisions that do not need a real process
 * (terminal detection, the python3 probe, discovery, option parsing).
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runInProcess, tempDir, withFiles } from './support.js'

describe('the default format', () => {
  it('is a table on a terminal', async () => {
    const r = await runInProcess(['resolve', '-i', 'a/b:1'], { tty: true, env: { NO_COLOR: '1' } })
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('NAME     REFERENCE  SOURCE  FROM\ndefault  a/b:1      flag    --image value 1\n')
  })

  it('is JSON otherwise', async () => {
    const r = await runInProcess(['resolve', '-i', 'a/b:1'])
    expect(JSON.parse(r.stdout).default_image.fqn).toBe('a/b')
  })

  it('is a table for parse on a terminal', async () => {
    const r = await runInProcess(['parse', 'x@sha256:abc'], { tty: true, env: { NO_COLOR: '1' } })
    expect(r.stdout).toBe('fqn     x\ntag     -\ndigest  sha256:abc\n')
  })
})

describe('colour follows the terminal, NO_COLOR and FORCE_COLOR', () => {
  const bold = '\u001b[1m'
  it.each([
    [{}, true, true],
    [{ NO_COLOR: '1' }, true, false],
    [{ NO_COLOR: '' }, true, true],
    [{ TERM: 'dumb' }, true, false],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '0' }, true, false],
    [{ FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
  ] as const)('env %j, tty %s: coloured %s', async (env, tty, coloured) => {
    const r = await runInProcess(['resolve', '-i', 'a/b:1', '--format', 'table'], { env: { ...env }, tty })
    expect(r.stdout.includes(bold)).toBe(coloured)
  })
})

describe('python3 is asked only when the default image depends on it', () => {
  it('not when an --image value sets the default', async () => {
    const r = await runInProcess(['resolve', '-i', 'a/b:1'])
    expect(r.probes).toBe(0)
  })

  it('not when FLYTE_INTERNAL_IMAGE is set', async () => {
    const r = await runInProcess(['default-image'], { env: { FLYTE_INTERNAL_IMAGE: 'x/y:2' } })
    expect({ out: r.stdout, probes: r.probes }).toEqual({ out: 'x/y:2\n', probes: 0 })
  })

  it('not when both versions are given', async () => {
    const r = await runInProcess(['default-image', '--python-version', '3.10', '--flytekit-version', '1.2.3'])
    expect({ out: r.stdout, probes: r.probes }).toEqual({ out: 'cr.flyte.org/flyteorg/flytekit:py3.10-1.2.3\n', probes: 0 })
  })

  it('for the running flytekit version when only the Python version is given', async () => {
    const r = await runInProcess(['default-image', '--python-version', '3.10'], {
      python: { pythonVersion: '3.9', flytekitVersion: '1.15.0' },
    })
    expect({ out: r.stdout, probes: r.probes }).toEqual({ out: 'cr.flyte.org/flyteorg/flytekit:py3.10-1.15.0\n', probes: 1 })
  })

  it('a development flytekit gives latest, as in flytekit', async () => {
    const r = await runInProcess(['default-image'], { python: { pythonVersion: '3.11', flytekitVersion: '1.16.0.dev3' } })
    expect(r.stdout).toBe('cr.flyte.org/flyteorg/flytekit:py3.11-latest\n')
  })

  it('the table says where the default came from', async () => {
    const r = await runInProcess(['resolve', '--format', 'table'], { python: { pythonVersion: '3.8' } })
    expect(r.stdout).toContain('default  cr.flyte.org/flyteorg/flytekit:py3.8-latest  default  default for Python 3.8\n')
  })
})

describe('config files', () => {
  it('-c "" means no file: no discovery', async () => {
    const cwd = withFiles(tempDir(), { 'flytekit.config': '[images]\ngpu = g/p:1\n' })
    const r = await runInProcess(['resolve', '-i', 'a/b:1', '-c', ''], { cwd })
    expect(JSON.parse(r.stdout).images).toHaveLength(1)
    expect(r.stderr).toBe('')
  })

  it('a relative -c path is read from the cwd and named as written', async () => {
    const cwd = withFiles(tempDir(), { 'sub/c.yml': 'images:\n  gpu: g/p\n' })
    const r = await runInProcess(['resolve', '-i', 'a/b:1', '-c', 'sub/c.yml', '--format', 'table'], { cwd })
    expect(r.stdout).toContain('gpu      g/p        config  sub/c.yml:2:3\n')
  })

  it('--config-format ini reads a .yaml file as INI', async () => {
    const cwd = withFiles(tempDir(), { 'c.yaml': '[images]\ngpu = g/p:1\n' })
    const r = await runInProcess(['resolve', '-i', 'a/b:1', '-c', 'c.yaml', '--config-format', 'ini'], { cwd })
    expect(JSON.parse(r.stdout).images[1].name).toBe('gpu')
  })

  it('discovers ~/.flyte/config.yaml', async () => {
    const home = withFiles(tempDir(), { '.flyte/config.yaml': 'images:\n  gpu: g/p:1\n' })
    const r = await runInProcess(['find', 'gpu', '-i', 'a/b:1'], { home })
    expect(r.stdout).toBe('g/p:1\n')
    expect(r.stderr).toBe(`imgcfg: note: using config file ${join(home, '.flyte/config.yaml')} (found via ~/.flyte/config.yaml)\n`)
  })

  it('--flag images win over file images of the same name, as in pyflyte run', async () => {
    const r = await runInProcess(['resolve', '-i', 'a/b:1', '-i', 'gpu=cli/gpu:1', '-c', '-', '--format', 'table'], {
      stdin: 'images:\n  gpu: file/gpu:1\n  cpu: file/cpu:1\n',
    })
    expect(r.stdout.split('\n').slice(1)).toEqual([
      'default  a/b:1       flag    --image value 1',
      'gpu      cli/gpu:1   flag    --image value 2',
      'cpu      file/cpu:1  config  <stdin>:3:3',
      '',
    ])
  })

  it('--strict checks the merged file images too', async () => {
    const r = await runInProcess(['resolve', '-i', 'a/b:1', '--strict', '-c', '-'], { stdin: 'images:\n  gpu: Ghcr.io/x/Y:1\n' })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^imgcfg: <stdin>:2:3: image "gpu": Invalid image reference "Ghcr.io\/x\/Y:1": repository name must be lowercase/)
  })
})

describe('usage errors exit 2 with a hint', () => {
  it.each([
    [['resolve', 'extra'], "unexpected argument 'extra'"],
    [['resolve', '-c'], 'option -c, --config needs a value'],
    [['resolve', '-c', '--strict'], "option -c needs a value but is followed by an option; write --config=VALUE for a value that starts with '-'"],
    [['schema', '--strict'], "unknown option '--strict'"],
    [['parse', 'x', '--strict=yes'], 'option --strict does not take a value'],
    [['lint', '--config-format', 'ini'], '--config-format applies to the file given with --config'],
    [['find', 'x', '--format', 'json'], "unknown option '--format'"],
    [['help', 'nope'], "unknown command 'nope'"],
    [['--verbose'], "unknown option '--verbose'"],
  ])('%j', async (argv, message) => {
    const r = await runInProcess(argv)
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' })
    expect(r.stderr).toContain(`imgcfg: ${message}`)
    expect(r.stderr).toMatch(/Run 'imgcfg( \w[\w-]*)? --help' for usage\.\n$/)
  })

  it('help NAME is NAME --help', async () => {
    const [a, b] = await Promise.all([runInProcess(['help', 'lint']), runInProcess(['lint', '-h'])])
    expect(a.stdout).toBe(b.stdout)
    expect(a.code).toBe(0)
  })
})

describe('lint', () => {
  it('flags [DEFAULT] options, which configparser copies into [images]', async () => {
    const r = await runInProcess(['lint', '-c', '-'], {
      stdin: '[DEFAULT]\nregistry = ghcr.io/org\n\n[images]\ngpu = %(registry)s/gpu:1\n',
    })
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 1, stdout: '' })
    expect(r.stderr.split('\n')[0]).toBe(
      '<stdin>:2:12: image "registry" comes from the [DEFAULT] section: configparser copies [DEFAULT] options into [images], so flytekit takes it as an image. Move it out of [DEFAULT] if it is not one.',
    )
  })

  it('an [images] option that overrides a [DEFAULT] one is not flagged', async () => {
    const r = await runInProcess(['lint', '-c', '-'], { stdin: '[DEFAULT]\ngpu = a/gpu:1\n[images]\ngpu = b/gpu:1\n' })
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('<stdin>: 1 image, no problems\n')
  })

  it('reports duplicate names that reach the image list', async () => {
    const { lintConfig } = await import('../src/commands/lint.js')
    const findings = lintConfig({
      path: 'c.yaml',
      format: 'yaml',
      images: [
        { name: 'a', identifier: 'x:1', line: 2, column: 3 },
        { name: 'a', identifier: 'y:1', line: 5, column: 3 },
      ],
    })
    expect(findings.map((f) => f.message)).toEqual(['duplicate image name "a" (first at line 2).'])
  })

  it('lints the discovered file', async () => {
    const cwd = withFiles(tempDir(), { 'flytekit.config': '[images]\ngpu = g/p:1\n' })
    const r = await runInProcess(['lint'], { cwd })
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`${join(cwd, 'flytekit.config')}: 1 image, no problems\n`)
  })
})

describe('parse with an empty argument', () => {
  it.each([[[]], [['--strict']], [['--normalize']]])('fails with a sentence, exit 1 (%j)', async (options) => {
    const r = await runInProcess(['parse', '', ...options])
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 1, stdout: '' })
    expect(r.stderr).toMatch(/^imgcfg: (Nothing to parse|Invalid image reference "")/)
  })

  it('the lenient split alone: nothing to parse', async () => {
    const r = await runInProcess(['parse', ''])
    expect(r.stderr).toBe('imgcfg: Nothing to parse: the reference is empty. Give an image reference, e.g. ghcr.io/org/app:1.0.\n')
  })
})

describe('an --image value with a part missing names the flag and the part', () => {
  it.each([
    ['gpu=', `imgcfg: --image value 1 ("gpu=") has no identifier after the '=': write name=identifier with a tag or digest (gpu=ghcr.io/org/gpu:1.0).\n`],
    ['=x', 'imgcfg: Image name is empty in "=x" for --image (value 1); write name=identifier or a bare identifier for the default image.\n'],
    ['', 'imgcfg: --image value 1 is empty: write name=identifier, or a bare identifier for the default image (ghcr.io/org/app:1.0).\n'],
  ])('-i %j', async (value, stderr) => {
    const r = await runInProcess(['resolve', '-c', '', '--python-version', '3.11', '-i', value])
    expect([r.code, r.stdout, r.stderr]).toEqual([1, '', stderr])
    expect(r.stderr).not.toContain('Incorrectly formatted image ,')
  })

  it('the second value is counted as the second', async () => {
    const r = await runInProcess(['resolve', '-c', '', '-i', 'a/b:1', '-i', 'gpu='])
    expect(r.stderr).toMatch(/^imgcfg: --image value 2 \("gpu="\) has no identifier/)
  })
})

describe('--flytekit-version is latest or a PEP 440 version', () => {
  it.each(['1.15.4', '1.16.0rc1', '1.10.3.post1', '2.0.0.dev3', 'v1.15.0', 'latest'])('%j is accepted', async (version) => {
    const r = await runInProcess(['default-image', '--python-version', '3.11', '--flytekit-version', version])
    expect([r.code, r.stderr]).toEqual([0, ''])
    expect(r.stdout).toBe(`cr.flyte.org/flyteorg/flytekit:py3.11-${version.replace(/^v/, '')}\n`)
  })

  it.each([
    ['default-image', 'foo bar'],
    ['default-image', '1.15 beta'],
    ['resolve', '1.0+local'],
    ['verify', ''],
    ['lint', '\u001b[2J'],
  ])('%s --flytekit-version %j is a usage error saying what is expected', async (command, version) => {
    const argv = command === 'lint' ? ['lint', '--tasks', '--flytekit-version', version] : [command, '--flytekit-version', version]
    const r = await runInProcess(argv)
    expect({ code: r.code, stdout: r.stdout, probes: r.probes }).toEqual({ code: 2, stdout: '', probes: 0 })
    expect(r.stderr.split('\n')[0]).toBe(
      `imgcfg: --flytekit-version must be latest or a PEP 440 version in normalized form (1.15.4, 1.16.0rc1, 1.10.3.post1, 2.0.0.dev3), not '${version.replace('\u001b', '\\u001b')}'.`,
    )
  })
})

describe('lint findings: sorted by file, line and column, file:line:col: message at the start of the line', () => {
  const ini = '[images]\nfloating = ghcr.io/org/tools\ndefault = ghcr.io/org/d:1\n\n[DEFAULT]\nregistry = ghcr.io/org\n'
  it('a [DEFAULT] option written after [images] is reported at its line, in line order', async () => {
    const r = await runInProcess(['lint', '-c', '-'], { stdin: ini })
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 1, stdout: '' })
    const lines = r.stderr.trimEnd().split('\n')
    expect(lines.slice(0, -1).map((l) => /^<stdin>:(\d+):(\d+): /.exec(l)?.slice(1).map(Number))).toEqual([
      [2, 12],
      [3, 11],
      [6, 12],
      [6, 12],
    ])
    expect(lines.at(-1)).toBe('imgcfg: 4 problems in <stdin> (3 images).')
  })

  it('--format json: {findings, summary}, with the keys file, line, column, severity, rule, image, message', async () => {
    const r = await runInProcess(['lint', '-c', '-', '--format', 'json'], { stdin: ini })
    expect(r.code).toBe(1)
    const out = JSON.parse(r.stdout) as { findings: Array<Record<string, unknown>>; summary: Record<string, unknown> }
    expect(Object.keys(out)).toEqual(['findings', 'summary'])
    expect(out.summary).toEqual({ file: '<stdin>', images: 3, problems: 4 })
    for (const f of out.findings) expect(Object.keys(f)).toEqual(['file', 'line', 'column', 'severity', 'rule', 'image', 'message'])
    expect(out.findings.map((f) => [f.line, f.rule, f.image])).toEqual([
      [2, 'floating', 'floating'],
      [3, 'default-name', 'default'],
      [6, 'default-section', 'registry'],
      [6, 'floating', 'registry'],
    ])
  })

  it('--format json on a clean file: no findings, exit 0', async () => {
    const r = await runInProcess(['lint', '-c', '-', '--format', 'json'], { stdin: '[images]\ngpu = g/p:1\n' })
    expect([r.code, JSON.parse(r.stdout)]).toEqual([0, { findings: [], summary: { file: '<stdin>', images: 1, problems: 0 } }])
  })

  it('lint.ts and lintTasks.ts share findings.ts and do not import each other both ways', async () => {
    const { readFileSync } = await import('node:fs')
    const source = (name: string) => readFileSync(join(import.meta.dirname, '../src/commands', name), 'utf8')
    expect(source('lint.ts')).toMatch(/from '\.\.\/findings\.js'/)
    expect(source('lintTasks.ts')).toMatch(/from '\.\.\/findings\.js'/)
    expect(source('lintTasks.ts')).not.toMatch(/from '\.\/lint\.js'/)
  })
})

describe('every --format json is safe on a terminal', () => {
  // JSON.stringify escapes C0 controls but leaves C1 (CSI) and bidi controls raw.
  const CSI = '\u009b2J'
  const RLO = '\u202e'
  it.each([
    ['parse', ['parse', `ghcr.io/a${CSI}:1`, '--format', 'json'], `ghcr.io/a${CSI}`],
    ['resolve', ['resolve', '-i', `x=ghcr.io/a${RLO}b:1`, '-i', 'ghcr.io/base:1', '--format', 'json'], `ghcr.io/a${RLO}b`],
    ['task-image', ['task-image', `app${RLO}:{{.image.default.version}}`, '-i', 'ghcr.io/base:1', '--format', 'json'], `app${RLO}:1`],
  ])('%s: the same JSON value, with those characters as \\u escapes', async (_, argv, text) => {
    const r = await runInProcess(argv)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).not.toMatch(/[\u0080-\u009f\u202a-\u202e]/)
    expect(JSON.stringify(JSON.parse(r.stdout))).toContain(JSON.stringify(text).slice(1, -1))
  })
})
