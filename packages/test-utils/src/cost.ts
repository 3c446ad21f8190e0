/**
 * Guarding complexity without a clock that load can break: the cost of a call is the CPU time
 * this process spends on it (user + system, from `process.cpuUsage`), not elapsed time, so a
 * busy machine that deschedules the test does not count; and every bound is a ratio of two
 * costs measured in the same test, interleaved, the cheapest of several runs each.
 */

/** Below this many microseconds a measurement is noise: a baseline is never taken as smaller. */
export const FLOOR_MICROS = 500

/** CPU microseconds `f` costs this process, once. */
export const cpuMicros = (f: () => unknown): number => {
  const before = process.cpuUsage()
  f()
  const spent = process.cpuUsage(before)
  return spent.user + spent.system
}

/** The cheapest of `runs` calls of `f`, in CPU microseconds. */
export const cheapest = (f: () => unknown, runs = 5): number => {
  let best = Number.POSITIVE_INFINITY
  for (let i = 0; i < runs; i++) best = Math.min(best, cpuMicros(f))
  return best
}

export interface RatioOptions {
  /** Runs of each side (default 5), alternating: small, large, small, large, … */
  readonly runs?: number
  /** The smallest baseline taken, in microseconds (default `FLOOR_MICROS`). */
  readonly floorMicros?: number
}

/**
 * How many times `large` costs `small`: each run once as a warm-up, then `runs` alternating runs
 * of each, the cheapest of each side compared. A linear function given 8 times the input gives
 * about 8; a quadratic one about 64.
 */
export const costRatio = (small: () => unknown, large: () => unknown, options: RatioOptions = {}): number => {
  const runs = options.runs ?? 5
  small()
  large()
  let bestSmall = Number.POSITIVE_INFINITY
  let bestLarge = Number.POSITIVE_INFINITY
  for (let i = 0; i < runs; i++) {
    bestSmall = Math.min(bestSmall, cpuMicros(small))
    bestLarge = Math.min(bestLarge, cpuMicros(large))
  }
  return bestLarge / Math.max(bestSmall, options.floorMicros ?? FLOOR_MICROS)
}
