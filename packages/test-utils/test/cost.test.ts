import { describe, expect, it } from 'vitest'
import { cheapest, costRatio, cpuMicros } from '../src/cost.ts'

/** Busy work proportional to `n`, that the JIT cannot drop. */
const linear = (n: number): number => {
  let h = 0
  for (let i = 0; i < n; i++) h = (h * 31 + i) | 0
  return h
}
const quadratic = (n: number): number => {
  let h = 0
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) h = (h * 31 + j) | 0
  return h
}

describe('cost: CPU time of this process, compared within one test', () => {
  it('counts the work a call does, and nothing for a call that does none', () => {
    expect(cpuMicros(() => linear(20_000_000))).toBeGreaterThan(1_000)
    expect(cheapest(() => undefined)).toBeLessThan(1_000)
  })

  it('tells linear from quadratic growth with 8 times the input', () => {
    const linearRatio = costRatio(() => linear(4_000_000), () => linear(32_000_000))
    const quadraticRatio = costRatio(() => quadratic(2_000), () => quadratic(16_000), { runs: 2 })
    expect(linearRatio).toBeLessThan(30)
    expect(quadraticRatio).toBeGreaterThan(30)
  })

  it('never takes a baseline below the floor', () => {
    expect(costRatio(() => undefined, () => undefined)).toBeLessThan(1)
    expect(costRatio(() => undefined, () => linear(20_000_000), { floorMicros: 1e9 })).toBeLessThan(1)
  })
})
