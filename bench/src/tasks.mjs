/**
 * Section 5: `imgcfg lint --tasks` over a generated project against `rg -c` (Debian ripgrep)
 * with flytekit's placeholder pattern over the same tree. Both are fresh processes, interleaved
 * round by round; peak memory from GNU time (`/usr/bin/time -f %M`). The counts are checked:
 * imgcfg must find exactly the template lines ripgrep counts.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fixed, int, median, ratio, table, verdict } from './stats.mjs'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const BIN = join(ROOT, 'packages/cli/dist/bin.js')
const FILES = 20_000
const PER_DIR = 100
const ROUNDS = 3
const TARGET = 2
// flytekit's pattern, for ripgrep's default engine (case-insensitive like flytekit's re.IGNORECASE).
const PATTERN = '(?i)\\{\\{\\s*\\.images?\\.[a-zA-Z0-9_]+(\\.[a-zA-Z0-9_]+)?\\s*\\}\\}'

/** About 5 KB of ordinary Python: imports, functions, docstrings, comments. */
const filler = (i) => {
  const lines = [`"""Module ${i}: generated for the benchmark."""`, 'import os', 'from dataclasses import dataclass', '']
  for (let f = 0; lines.join('\n').length < 4_900; f++) {
    lines.push(`def step_${i}_${f}(x: int, y: str = "value {x}") -> dict:`, `    """Step ${f}: {curly} text, not a template."""`, `    # {{ not an image }} and .image.gpu in prose`, `    return {"x": x * ${f}, "y": y.format(x=x), "path": os.path.join("a", "b")}`, '')
  }
  return lines.join('\n')
}

/** The tree: FILES files, one in 67 with a task whose container_image is a template. */
export const generate = () => {
  const dir = mkdtempSync(join(tmpdir(), 'imgcfg-bench-tasks-'))
  let templates = 0
  let bytes = 0
  for (let i = 0; i < FILES; i++) {
    const sub = join(dir, `pkg${Math.floor(i / PER_DIR)}`)
    if (i % PER_DIR === 0) mkdirSync(sub)
    let text = filler(i)
    if (i % 67 === 0) {
      text += `\n@task(container_image="{{.image.gpu.fqn}}:{{.image.gpu.version}}")\ndef train_${i}() -> None: ...\n`
      templates += 1
    }
    bytes += Buffer.byteLength(text)
    writeFileSync(join(sub, `mod${i}.py`), text)
  }
  return { dir, templates, bytes }
}

const timed = (file, args) => {
  const start = process.hrtime.bigint()
  const result = spawnSync('/usr/bin/time', ['-f', '%M', file, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  const lines = result.stderr.trim().split('\n')
  return { ms, kb: Number(lines.at(-1)), result }
}

export const runTasksSection = async () => {
  const title = '## 5. `imgcfg lint --tasks` against ripgrep'
  const missing = [['/usr/bin/rg', 'ripgrep (`apt-get install ripgrep`)'], ['/usr/bin/time', 'GNU time (`apt-get install time`)'], [BIN, 'the built CLI']].filter(([p]) => !existsSync(p))
  if (missing.length > 0) {
    return { markdown: [title, '', `**Not measured**: ${missing.map(([, what]) => what).join(', ')} missing.`].join('\n'), met: undefined }
  }
  const tree = generate()
  try {
    const commands = [
      { name: `\`rg -c\` with flytekit's pattern`, file: '/usr/bin/rg', args: ['-c', PATTERN, tree.dir], baseline: true },
      { name: '`imgcfg lint --tasks DIR --format json`', file: process.execPath, args: [BIN, 'lint', '--tasks', tree.dir, '-c', '', '-i', 'ghcr.io/org/base:1', '-i', 'gpu=ghcr.io/org/gpu:2', '--format', 'json'] },
    ]
    // Checked once: the same count, and imgcfg clean (exit 0) on this tree.
    const rg = timed(commands[0].file, commands[0].args)
    const rgCount = rg.result.stdout.trim().split('\n').filter(Boolean).reduce((n, line) => n + Number(line.split(':').at(-1)), 0)
    const mine = timed(commands[1].file, commands[1].args)
    if (mine.result.status !== 0) throw new Error(`lint --tasks exited ${mine.result.status}: ${mine.result.stderr.slice(0, 300)}`)
    const summary = JSON.parse(mine.result.stdout).summary
    if (summary.templates !== tree.templates || rgCount !== tree.templates || summary.filesScanned !== FILES) {
      throw new Error(`counts differ: generated ${tree.templates}, rg ${rgCount}, imgcfg ${summary.templates} in ${summary.filesScanned} files`)
    }
    const times = new Map(commands.map((c) => [c, { ms: [], kb: [] }]))
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < commands.length; i++) {
        const c = commands[(i + round) % commands.length]
        const r = timed(c.file, c.args)
        times.get(c).ms.push(r.ms)
        times.get(c).kb.push(r.kb)
      }
    }
    const base = median(times.get(commands[0]).ms)
    const rows = commands.map((c) => ({ c, median: median(times.get(c).ms), kb: Math.max(...times.get(c).kb), ratio: median(times.get(c).ms) / base }))
    const measured = rows[1]
    const met = measured.ratio <= TARGET
    const markdown = [
      title,
      '',
      `A generated project: ${int(FILES)} Python files in ${FILES / PER_DIR} directories, ${fixed(tree.bytes / 1e6, 0)} MB, ${tree.templates} task templates among ordinary code (with braces, \`{{ … }}\` in comments and \`.image.\` in prose). Both tools are fresh processes, ${ROUNDS} rounds, the order alternating; both counts are checked (${tree.templates} template lines, ${int(FILES)} files read by imgcfg). Peak resident memory from GNU time.`,
      '',
      table(
        ['command', 'median (ms)', 'runs (ms)', 'peak memory (MB)', 'ratio to ripgrep'],
        rows.map((r) => [r.c.name, fixed(r.median, 0), times.get(r.c).ms.map((m) => fixed(m, 0)).join(', '), fixed(r.kb / 1024, 0), ratio(r.ratio)]),
      ),
      '',
      `**Target** — lint --tasks ≤ ${TARGET}× ripgrep: ${ratio(measured.ratio)} → ${verdict(met)}. ripgrep searches with many threads and a literal prefilter; imgcfg reads one file at a time, decodes it as UTF-8 and also resolves every template.`,
    ].join('\n')
    return { markdown, met, ratio: measured.ratio, kb: measured.kb }
  } finally {
    rmSync(tree.dir, { recursive: true, force: true })
  }
}
