/**
 * The property `pnpm fuzz` checks with 1 000 000 inputs, on 10 000 here: no public parser throws,
 * every Left formats to a located one-paragraph message, and each parser's law holds. The seed is
 * fixed so the suite is reproducible; FUZZ_SEED picks another.
 */
import { describe, expect, it } from 'vitest'
import { TARGETS, runFuzz } from '../lib/fuzz.mjs'

const TOTAL = 10_000
const seed = Number(process.env.FUZZ_SEED ?? 20_240_601)

describe(`every public parser on ${TOTAL} generated inputs (seed ${seed})`, () => {
  const results = runFuzz({ total: TOTAL, seed })

  it('covers every parser with its share of the inputs', () => {
    expect(results.map((r) => r.name)).toEqual(TARGETS.map((t) => t.name))
    expect(results.reduce((n, r) => n + r.inputs, 0)).toBeGreaterThanOrEqual(TOTAL)
  })

  it.each(results.map((r) => [r.name, r] as const))('%s: no throw, no broken property', (_name, r) => {
    const examples = r.examples.map((e) => `${e.threw ? `threw ${e.threw}` : e.problem}\n  input: ${e.input}`).join('\n')
    expect({ throws: r.throws, broken: r.broken }, examples).toEqual({ throws: 0, broken: 0 })
  })
})
