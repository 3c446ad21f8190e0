/** The `InvalidReference` values every part of the grammar returns. */
import type { InvalidReference, ReferenceReason } from '../../errors.js'

export const invalid = (reason: ReferenceReason, input: string, offset?: number): InvalidReference =>
  offset === undefined ? { _tag: 'InvalidReference', reason, input } : { _tag: 'InvalidReference', reason, input, offset }

/** A non-string handed in at run time (from untyped JavaScript): described, never thrown on. */
export const notAString = (u: unknown): InvalidReference => invalid('ReferenceInvalidFormat', describeInput(u))

const describeInput = (u: unknown): string => {
  try {
    if (u === null || (typeof u !== 'object' && typeof u !== 'function')) return String(u)
    return Array.isArray(u) ? 'an array' : typeof u === 'function' ? 'a function' : 'an object'
  } catch {
    return 'a value that is not a string'
  }
}
