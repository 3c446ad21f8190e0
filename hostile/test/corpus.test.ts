/**
 * Every case of corpus/manifest.json, through the library (in a worker that is killed if a case
 * overruns its time) and through the built `imgcfg` binary. A case passes when each check gives
 * exactly the expected outcome; whatever the outcome, nothing may throw, hang, crash, print a
 * stack frame, write invisible characters into a one-line message, or touch Object.prototype.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { kindOf, loadManifest, prepare, stdinFor } from '../lib/corpus.mjs'
import { removeTempDirs, runCli, runJobs, tempDir } from '../lib/run.mjs'
import { abbreviate, fill } from '../lib/values.mjs'

interface Case {
  readonly id: string
  readonly about: string
  readonly timeoutMs?: number
  readonly known?: string
  readonly expect: Record<string, Record<string, unknown>>
}

interface Prepared {
  readonly job: { readonly calls: Record<string, unknown> }
  readonly cli: Record<string, { args?: string[]; options?: Record<string, unknown>; stdin?: unknown; skip?: string }>
  readonly vars: Record<string, string>
}

type JobResult =
  | { readonly ms: number; readonly outcomes: Record<string, Record<string, unknown>>; readonly polluted: boolean }
  | { readonly timedOut: number }
  | { readonly crashed: string }
  | { readonly skip: string }

const cases: ReadonlyArray<Case> = loadManifest().cases
const KINDS = ['identifiers', 'flags', 'json', 'yaml', 'ini', 'imagespec', 'fs'] as const

const STACK_FRAME = /^\s+at /m
// C0 and C1 controls (newline aside), bidirectional overrides: nothing a one-line message may carry raw.
const INVISIBLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const regexVars = (vars: Record<string, string>) =>
  Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, escapeRegExp(v)]))

afterAll(() => removeTempDirs())

describe.each(KINDS)('%s', (kind) => {
  const mine = cases.filter((c) => kindOf(c) === kind)
  const prepared = new Map<string, Prepared>()
  let results: Map<string, JobResult>

  beforeAll(async () => {
    for (const c of mine) prepared.set(c.id, await prepare(c, tempDir()))
    results = await runJobs([...prepared.values()].map((p) => p.job))
  }, 600_000)

  for (const c of mine) {
    for (const [check, expected] of Object.entries(c.expect)) {
      const name = `${c.id} (${c.about}): ${check}`
      const test = c.known !== undefined ? it.fails : it
      if ('skip' in expected) {
        it.skip(`${name}: skipped, ${expected.skip}`, () => undefined)
        continue
      }
      if (check.startsWith('cli')) {
        test.concurrent(
          name,
          async (ctx) => {
            const run = prepared.get(c.id)!.cli[check]!
            const input = stdinFor(run)
            let r
            try {
              r = await runCli(run.args!, { ...run.options, stdin: input.stdin, timeoutMs: c.timeoutMs ?? 10_000 })
            } finally {
              input.close()
            }
            // Only a run as another user can be impossible here (node or the copy out of its reach).
            if ('skip' in r) return ctx.skip(`cannot run: ${r.skip as string}`)
            const vars = prepared.get(c.id)!.vars
            expect(r.killed, `did not finish within ${c.timeoutMs ?? 10_000} ms`).toBe(false)
            expect(r.stderr).not.toMatch(STACK_FRAME)
            expect(r.stderr).not.toContain('internal error')
            expect(r.code).toBe(expected.code)
            expect(r.stderr).not.toMatch(INVISIBLE)
            if (r.code === 1) {
              expect(r.stdout).toBe('')
              // One paragraph: a single prefixed line. lint lists its findings first, one a line.
              if (check === 'cliLint') expect(r.stderr).toMatch(/(^|\n)imgcfg: [^\n]*\n$/)
              else expect(r.stderr).toMatch(/^imgcfg: [^\n]*\n$/)
            }
            if (typeof expected.stderrMatch === 'string') {
              expect(r.stderr).toMatch(new RegExp(fill(expected.stderrMatch, regexVars(vars)) as string))
            } else {
              expect(r.stderr).toBe(fill(expected.stderr ?? '', vars))
            }
            if (expected.images !== undefined) {
              const images = (JSON.parse(r.stdout) as { images: Array<Record<string, string | null>> }).images.map(
                (i) => [i.name, `${i.fqn}${i.digest ? `@${i.digest}` : i.tag ? `:${i.tag}` : ''}`],
              )
              expect(abbreviate(images)).toEqual(fill(expected.images, vars))
            }
            if (expected.imageName !== undefined) {
              // image-spec --format json: one row per file, { file, imageName, tag, id }.
              const rows = JSON.parse(r.stdout) as Array<{ imageName: string }>
              expect(abbreviate(rows.map((row) => row.imageName))).toEqual([fill(expected.imageName, vars)])
            }
            if (expected.json !== undefined) expect(JSON.parse(r.stdout)).toEqual(expected.json)
            if (expected.stdout !== undefined) expect(r.stdout).toBe(fill(expected.stdout, vars))
          },
          (c.timeoutMs ?? 10_000) + 5_000,
        )
        continue
      }
      test(name, (ctx) => {
        const result = results.get(c.id)
        expect(result, 'the worker gave no result').toBeDefined()
        if (result === undefined) return
        if ('skip' in result) return ctx.skip(`cannot run: ${result.skip}`)
        expect('timedOut' in result ? `did not finish within ${result.timedOut} ms` : 'finished').toBe('finished')
        expect('crashed' in result ? `the worker crashed: ${result.crashed}` : 'no crash').toBe('no crash')
        if (!('outcomes' in result)) return
        expect(result.polluted, 'Object.prototype changed').toBe(false)
        const outcome = result.outcomes[check]!
        expect(outcome.threw, 'threw').toBeUndefined()
        const vars = prepared.get(c.id)!.vars
        if ('right' in expected) {
          expect(outcome).toEqual({ right: fill(expected.right, vars) })
          return
        }
        expect(outcome.left).toBe(expected.left)
        const message = outcome.message as string
        if (typeof expected.messageMatch === 'string') {
          expect(message).toMatch(new RegExp(fill(expected.messageMatch, regexVars(vars)) as string))
        } else {
          expect(message).toBe(fill(expected.message, vars))
        }
        // Only a list of decode problems spans lines; every other message is one visible line.
        if (outcome.left !== 'DecodeFailure') {
          expect(message).not.toMatch(/\n/)
          expect(message).not.toMatch(INVISIBLE)
          expect(message.length).toBeLessThan(2_500)
        }
      })
    }
  }
})

describe('the corpus', () => {
  it('has at least 100 cases, every kind represented', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100)
    for (const kind of KINDS) expect(cases.filter((c) => kindOf(c) === kind).length).toBeGreaterThanOrEqual(10)
  })
  it('names every case once', () => {
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length)
  })
})
