/** `imgcfg lint --tasks`: task templates in Python sources checked against the resolved configuration. */
import { describe, expect, it } from 'vitest'
import { runInProcess, tempDir, withFiles } from './support.js'

const python = { pythonVersion: '3.11', flytekitVersion: '1.15.4' }
const project = () =>
  withFiles(tempDir(), {
    'flytekit.config': '[images]\ngpu = ghcr.io/org/gpu:2.1\n',
    'wf/train.py': 'from flytekit import task\n\n@task(container_image="{{.image.gpu.fqn}}:{{.image.gpu.version}}")\ndef a(): ...\n',
    'wf/eval.py': '@task(container_image="{{.image.trainer.fqn}}:{{.image.trainer.version}}")\ndef b(): ...\n@task(container_image="{{.image.gpu.tag}}")\ndef c(): ...\n',
    'wf/plain.py': 'x = 1\n',
    '.venv/lib/x.py': 'x = "{{.image.nothere}}"\n',
  })

describe('imgcfg lint --tasks', () => {
  it('reports each failing placeholder as file:line:column, sorted, then the summary; exit 1', async () => {
    const cwd = project()
    const r = await runInProcess(['lint', '--tasks', 'wf', '-i', 'ghcr.io/org/base:1'], { cwd, python })
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(
      `imgcfg: note: using config file ${cwd}/flytekit.config (found via ./flytekit.config)\n` +
        'wf/eval.py:1:24: container_image "{{.image.trainer.fqn}}:{{.image.trainer.version}}": {{.image.trainer.fqn}} at offset 0 names image "trainer", which the configuration does not have (names are case-sensitive). Available: default, gpu.\n' +
        'wf/eval.py:3:24: container_image "{{.image.gpu.tag}}": {{.image.gpu.tag}} at offset 0 asks for "tag" of image "gpu"; only fqn and version are supported (or none, for the full reference).\n' +
        'imgcfg: 3 templates in 2 files (3 files scanned), 2 problems.\n',
    )
  })

  it('clean: the summary on stdout, exit 0; the current directory by default, virtual environments skipped', async () => {
    const cwd = withFiles(tempDir(), { 'a.py': 'x = "{{.image.default.fqn}}:v"\n', 'venv/lib/b.py': 'x = "{{.image.nothere}}"\n' })
    const r = await runInProcess(['lint', '--tasks', '-c', '', '-i', 'ghcr.io/org/base:1'], { cwd, python })
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '1 template in 1 file (1 file scanned), no problems.\n', ''])
  })

  it('--format json for CI: every template with its image or problem, the warnings and the counts', async () => {
    const cwd = withFiles(project(), { 'wf/bin.py': '\u0000' })
    const r = await runInProcess(['lint', '--tasks', 'wf', 'missing', '-i', 'ghcr.io/org/base:1', '-i', 'trainer=ghcr.io/org/t:3', '--format', 'json'], { cwd, python })
    expect(r.code).toBe(1)
    const out = JSON.parse(r.stdout) as { templates: Array<Record<string, unknown>>; warnings: Array<Record<string, unknown>>; summary: Record<string, number> }
    // The missing PATH is a problem too.
    expect(out.summary).toEqual({ templates: 3, files: 2, filesScanned: 4, problems: 2 })
    expect(out.templates.map((t) => [t.path, t.line, t.image ?? null])).toEqual([
      ['wf/eval.py', 1, 'ghcr.io/org/t:3'],
      ['wf/eval.py', 3, null],
      ['wf/train.py', 3, 'ghcr.io/org/gpu:2.1'],
    ])
    expect(out.warnings.map((w) => [w.path, w.reason])).toEqual([
      ['missing', 'missing'],
      ['wf/bin.py', 'binary'],
    ])
  })

  it('--format json also carries the findings, in the shape of lint: sorted, stable keys, warnings as severity warning', async () => {
    const cwd = withFiles(project(), { 'wf/bin.py': '\u0000' })
    const r = await runInProcess(['lint', '--tasks', 'wf', 'missing', '-i', 'ghcr.io/org/base:1', '--format', 'json'], { cwd, python })
    expect(r.code).toBe(1)
    const out = JSON.parse(r.stdout) as { findings: Array<Record<string, unknown>>; templates: Array<Record<string, unknown>> }
    for (const f of out.findings) expect(Object.keys(f)).toEqual(['file', 'line', 'column', 'severity', 'rule', 'image', 'message'])
    expect(out.findings.map((f) => [f.file, f.line, f.column, f.severity, f.rule, f.image])).toEqual([
      ['missing', null, null, 'error', 'missing-path', null],
      ['wf/bin.py', null, null, 'warning', 'binary', null],
      ['wf/eval.py', 1, 24, 'error', 'unknown-image', 'trainer'],
      ['wf/eval.py', 3, 24, 'error', 'unknown-attribute', 'gpu'],
    ])
    expect(out.templates.every((t) => !('rule' in t) && !('imageName' in t))).toBe(true)
  })

  it('a PATH that does not exist fails, exit 1, with the path at the start of the line', async () => {
    const cwd = tempDir()
    const r = await runInProcess(['lint', '--tasks', '/nope', '-c', '', '-i', 'ghcr.io/org/base:1'], { cwd, python })
    expect([r.code, r.stdout, r.stderr]).toEqual([
      1,
      '',
      '/nope: no such file or directory (a PATH given to lint --tasks)\nimgcfg: 0 templates in 0 files (0 files scanned), 1 problem.\n',
    ])
  })

  it('a template that resolves to a reference the OCI grammar rejects (a digest after a colon) is a problem', async () => {
    const cwd = withFiles(tempDir(), { 't.py': 'x = "{{.image.p.fqn}}:{{.image.p.version}}"\ny = "{{.image.p}}"\n' })
    const digest = `sha256:${'a'.repeat(64)}`
    const r = await runInProcess(['lint', '--tasks', '-c', '', '-i', 'ghcr.io/org/base:1', '-i', `p=ghcr.io/org/p@${digest}`], { cwd, python })
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(
      `t.py:1:6: container_image "{{.image.p.fqn}}:{{.image.p.version}}" resolves to a reference no registry accepts. Invalid image reference "ghcr.io/org/p:${digest}": unexpected ':' at offset 20. Expected [domain[:port]/]path[:tag][@algorithm:hex], e.g. ghcr.io/org/app:1.0.\n` +
        'imgcfg: 2 templates in 1 file (1 file scanned), 1 problem.\n',
    )
  })

  it('an f-string template is a problem: Python turns {{ into { before flytekit sees it', async () => {
    const cwd = withFiles(tempDir(), { 't.py': '@task(container_image=f"{{.image.gpu}}")\ndef a(): ...\nx = rb"{{.image.gpu}}"\n' })
    const r = await runInProcess(['lint', '--tasks', '-c', '', '-i', 'ghcr.io/org/base:1', '-i', 'gpu=ghcr.io/org/gpu:1'], { cwd, python })
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(
      't.py:1:25: container_image "{{.image.gpu}}" is an f-string: Python turns each {{ into {, so flytekit gets no placeholder and registers the text as it is. Drop the f from "f" (or double the braces again: {{{{ … }}}}).\n' +
        'imgcfg: 2 templates in 1 file (1 file scanned), 1 problem.\n',
    )
  })

  it('paths without --tasks, and resolve options without it, are usage errors', async () => {
    const cwd = project()
    const a = await runInProcess(['lint', 'wf'], { cwd, python })
    expect([a.code, a.stderr.split('\n')[0]]).toEqual([2, "imgcfg: lint takes paths only with --tasks (got 'wf')."])
    const b = await runInProcess(['lint', '--strict'], { cwd, python })
    expect([b.code, b.stderr.split('\n')[0]]).toEqual([2, 'imgcfg: --strict applies to lint --tasks.'])
  })
})
