#!/usr/bin/env node
// `pnpm fuzz`: fast-check over every public parser, 1 000 000 generated inputs by default.
//
//   node fuzz.mjs [--runs N] [--seed S] [--only yaml,ini]     (or FUZZ_RUNS, FUZZ_SEED, FUZZ_ONLY)
//
// Prints, per parser, the inputs run, the throws (the target is zero), the inputs that broke a
// property (an unlocated or multi-line message, a failed law), and inputs per second; exits 1
// when anything threw or broke.
import { parseArgs } from 'node:util'
import { runFuzz } from './lib/fuzz.mjs'

const { values } = parseArgs({
  // `pnpm fuzz -- --runs N` passes the `--` through; it separates nothing here.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: { runs: { type: 'string' }, seed: { type: 'string' }, only: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
})
if (values.help) {
  process.stdout.write('usage: node fuzz.mjs [--runs N] [--seed S] [--only NAME,...]\n')
  process.exit(0)
}
const total = Number(values.runs ?? process.env.FUZZ_RUNS ?? 1_000_000)
const seed = Number(values.seed ?? process.env.FUZZ_SEED ?? Date.now() % 2 ** 31)
const onlyText = values.only ?? process.env.FUZZ_ONLY
const only = onlyText ? onlyText.split(',').map((s) => s.trim()).filter(Boolean) : undefined
if (!Number.isSafeInteger(total) || total <= 0 || !Number.isSafeInteger(seed)) {
  process.stderr.write('fuzz: --runs must be a positive integer and --seed an integer\n')
  process.exit(2)
}

process.stdout.write(`fuzzing ${total} inputs, seed ${seed} (repeat a run with --seed ${seed})\n`)
const started = performance.now()
const results = runFuzz({
  total,
  seed,
  only,
  onProgress: (s) => process.stderr.isTTY && process.stderr.write(`\r  ${s.name}: ${s.inputs}   `),
})
const wall = (performance.now() - started) / 1000
if (process.stderr.isTTY) process.stderr.write('\r\u001b[K')

const rows = results.map((r) => [r.name, String(r.inputs), String(r.throws), String(r.broken), String(Math.round(r.inputs / (r.ms / 1000)))])
const header = ['parser', 'inputs', 'throws', 'broken', 'inputs/s']
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')
process.stdout.write(`${line(header)}\n${rows.map(line).join('\n')}\n`)

const inputs = results.reduce((n, r) => n + r.inputs, 0)
const throws = results.reduce((n, r) => n + r.throws, 0)
const broken = results.reduce((n, r) => n + r.broken, 0)
process.stdout.write(
  `total: ${inputs} inputs, ${throws} throws, ${broken} broken, ${Math.round(inputs / wall)} inputs/s overall (generation included), ${wall.toFixed(1)} s\n`,
)
for (const r of results) {
  for (const e of r.examples) process.stdout.write(`  ${r.name}: ${e.threw ? `threw ${e.threw}` : e.problem}\n    input: ${e.input}\n`)
}
process.exit(throws + broken > 0 ? 1 : 0)
