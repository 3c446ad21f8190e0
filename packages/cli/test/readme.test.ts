/**
 * The console examples of the CLI's README (and the root README's) are real runs: each
 * `$ imgcfg …` line that runs from the repository's root with files of the repository is run
 * with the built binary, and must print what the README shows (stderr and stdout in either
 * order) and exit as it says (`[exit N]`, else 0). Examples that need a pipe, another directory,
 * a registry or files that are not in the repository are listed as skipped, by reason.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BIN } from './support.js'

const ROOT = resolve(import.meta.dirname, '../../..')

interface Example {
  readonly file: string
  readonly command: string
  readonly output: ReadonlyArray<string>
  readonly exit: number
}

/** Every `$ ` line of the console blocks, with the lines after it up to the next command. */
const examples = (file: string): ReadonlyArray<Example> => {
  const out: Example[] = []
  const blocks = readFileSync(join(ROOT, file), 'utf8').split(/^```console\n/m).slice(1).map((b) => b.split(/^```$/m)[0]!)
  for (const block of blocks) {
    const lines = block.replace(/\n$/, '').split('\n')
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i]!.startsWith('$ ')) continue
      let command = lines[i]!.slice(2)
      while (command.endsWith('\\') && i + 1 < lines.length) command = `${command.slice(0, -1)} ${lines[++i]!.trim()}`
      const output: string[] = []
      while (i + 1 < lines.length && !lines[i + 1]!.startsWith('$ ')) output.push(lines[++i]!)
      while (output.length > 0 && output[output.length - 1] === '') output.pop()
      const last = output.at(-1)
      const exit = last !== undefined && /^\[exit (\d+)\]$/.test(last) ? Number(/\d+/.exec(last)![0]) : 0
      if (exit !== 0) output.pop()
      out.push({ file, command, output, exit })
    }
  }
  return out
}

/** Single-quote aware word splitting, enough for the README's commands. */
const words = (command: string): ReadonlyArray<string> => {
  const out: string[] = []
  for (const m of command.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]!)
  return out
}

/** Why an example cannot run here, or undefined when it can. */
const skipReason = (command: string): string | undefined => {
  if (!/^(pnpm )?imgcfg /.test(command)) return 'not a plain imgcfg command (environment, cd or another program)'
  if (/[|<>;&#]/.test(command.replace(/'[^']*'/g, ''))) return 'uses the shell (a pipe, redirection or comment)'
  if (/\b(verify|pin)\b/.test(command)) return 'needs a registry'
  const args = words(command)
  const c = args.findIndex((a) => a === '-c' || a === '--config')
  if (c !== -1 && args[c + 1] !== '' && args[c + 1] !== '-' && !existsSync(join(ROOT, args[c + 1]!))) return `needs ${args[c + 1]}, which is not in the repository`
  // Without --python-version and a flag for the default, the answer depends on the python3 on PATH.
  if (/\b(resolve|find|task-image|default-image)\b/.test(command) && !args.includes('--python-version') && !args.some((a, i) => args[i - 1] === '-i' && !a.includes('='))) {
    return 'depends on the python3 on PATH'
  }
  return undefined
}

const all = [...examples('packages/cli/README.md'), ...examples('README.md')]

describe('README console examples', () => {
  const runnable = all.filter((e) => skipReason(e.command) === undefined)
  it('most examples run', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(15)
  })
  it.each(runnable.map((e) => [`${e.file}: ${e.command}`, e] as const))('%s', (_name, e) => {
    const args = words(e.command).slice(e.command.startsWith('pnpm ') ? 2 : 1)
    const r = spawnSync(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: '/nonexistent-home', NO_COLOR: '1', IMGCFG_NO_CACHE: '1' },
      timeout: 30_000,
    })
    const lines = (s: string) => (s === '' ? [] : s.replace(/\n$/, '').split('\n'))
    const a = [...lines(r.stdout), ...lines(r.stderr)]
    const b = [...lines(r.stderr), ...lines(r.stdout)]
    const got = JSON.stringify(a) === JSON.stringify(e.output) ? a : b
    expect(got).toEqual(e.output)
    expect(r.status).toBe(e.exit)
  })
  it.each(all.filter((e) => skipReason(e.command) !== undefined).map((e) => [e.command, skipReason(e.command)!] as const))('%s is skipped: %s', () => undefined)
})
