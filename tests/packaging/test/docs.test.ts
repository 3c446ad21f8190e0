/**
 * The READMEs' TypeScript blocks and the packages' `@example`s are type-checked (one `tsc` run
 * over all of them, against the built packages, and the sources for internal modules' examples),
 * bundled and run in one Node process, and the values their comments state are checked (see
 * docs.ts for which comments count as claims).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { beforeAll, describe, expect, it } from 'vitest'
import { allExamples, toProgram } from './docs.js'
import { node, repoRoot, tsc } from './support.js'

// Inside this package, so that `@imgcfg/*`, fp-ts and io-ts resolve to the workspace's.
const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '.docs')
const examples = allExamples(repoRoot)
const idOf = (i: number) => `example-${String(i).padStart(3, '0')}`

/**
 * Examples known to be wrong, in files that other work is changing at the moment: each is
 * expected to fail (`it.fails`), so fixing one makes this test say to take it off the list.
 */
const knownWrong: ReadonlyMap<string, string> = new Map([

])

interface Outcome {
  readonly error?: string
  readonly output: string
  readonly mismatches: ReadonlyArray<string>
}

let diagnostics: Map<string, string[]>
let outcomes: Record<string, Outcome>
let claims: number[]

// Each example's bundle is imported in turn; what it prints, throws or gets wrong is recorded.
const runner = (ids: ReadonlyArray<string>) => `
const outcomes = {}
for (const id of ${JSON.stringify(ids)}) {
  const output = []
  const log = console.log, error = console.error
  console.log = console.error = (...args) => output.push(args.join(' '))
  let failure
  try { await import('./out/' + id + '.mjs') } catch (e) { failure = String(e && e.stack || e) }
  console.log = log; console.error = error
  outcomes[id] = { error: failure, output: output.join('\\n'), mismatches: (globalThis.__docs ?? {})[id] ?? ['did not run'] }
}
process.stdout.write(JSON.stringify(outcomes))
`

beforeAll(async () => {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(join(dir, 'out'), { recursive: true })
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, type: 'module' }))
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: '../../../tsconfig.base.json',
      compilerOptions: { types: ['node'], noEmit: true, allowImportingTsExtensions: true, declaration: false, noUnusedLocals: false },
      include: ['*.ts'],
    }),
  )
  claims = examples.map((example, i) => {
    const program = toProgram(example, idOf(i))
    writeFileSync(join(dir, `${idOf(i)}.ts`), program.text)
    return program.claims
  })
  const check = node([tsc, '-p', 'tsconfig.json', '--pretty', 'false'], dir)
  // The bundles: each example with what it imports (the built packages, or a source file).
  await build({
    entryPoints: examples.map((_, i) => ({ in: join(dir, `${idOf(i)}.ts`), out: idOf(i) })),
    outdir: join(dir, 'out'),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // CommonJS dependencies (yaml) call require: give the ES module bundle one.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'silent',
  })
  writeFileSync(join(dir, 'runner.mjs'), runner(examples.map((_, i) => idOf(i))))
  const [typed, ran] = await Promise.all([check, node(['runner.mjs'], dir)])
  diagnostics = new Map()
  for (const line of `${typed.stdout}${typed.stderr}`.split('\n')) {
    const m = /^(example-\d+)\.ts\((\d+),\d+\): (.*)$/.exec(line)
    if (m) diagnostics.set(m[1]!, [...(diagnostics.get(m[1]!) ?? []), `${m[2]}: ${m[3]}`])
  }
  if (ran.code !== 0) throw new Error(`the runner failed:\n${ran.stderr}`)
  outcomes = JSON.parse(ran.stdout)
}, 300_000)

describe('every documented example', () => {
  it('there are examples, and claims among them', () => {
    expect(examples.length).toBeGreaterThan(50)
    expect(claims.reduce((a, b) => a + b, 0)).toBeGreaterThan(30)
  })
  for (const [i, example] of examples.entries()) {
    const test = knownWrong.has(example.where) ? it.fails : it
    test(`${example.where} type-checks, runs and shows what it says`, () => {
      expect(diagnostics.get(idOf(i)) ?? [], 'type errors').toStrictEqual([])
      const outcome = outcomes[idOf(i)]!
      expect(outcome.error, 'thrown').toBeUndefined()
      expect(outcome.mismatches, 'claims').toStrictEqual([])
    })
  }
})
