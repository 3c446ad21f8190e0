/**
 * Go's `reference.Parse`: the fast scan for a valid reference, else the explaining scan, then
 * the checks Go makes after the grammar (the path's length, the digest by algorithm).
 */
import * as E from 'fp-ts/lib/Either.js'
import type { InvalidReference } from '../../errors.js'
import type { Reference } from '../../Reference.js'
import { nameTotalLengthMax } from './constants.js'
import { validateDigest } from './digest.js'
import { invalid } from './failure.js'
import { type Match, type Positions, scanReference, scanValid } from './scan.js'

export const parseString = (s: string): E.Either<InvalidReference, Reference> => {
  const valid = scanValid(s)
  if (valid !== undefined) return E.right(build(s, valid))
  if (s === '') return E.left(invalid('NameEmpty', s))
  const m = scanReference(s)
  if (!m.ok) return E.left(explainMismatch(s, m.offset))
  if (m.pathEnd - m.pathStart > nameTotalLengthMax) {
    return E.left(invalid('NameTooLong', s, m.pathStart + nameTotalLengthMax))
  }
  if (m.digestStart >= 0) {
    const failure = validateDigest(s, m.digestStart, s.length)
    if (failure !== undefined) return E.left(invalid(failure.reason, s, failure.offset))
  }
  return E.right(build(s, m))
}

const build = (s: string, m: Positions): Reference => {
  const ref: { -readonly [K in keyof Reference]: Reference[K] } = {
    name: s.slice(0, m.pathEnd),
    path: s.slice(m.pathStart, m.pathEnd),
  }
  if (m.pathStart > 0) ref.domain = s.slice(0, m.pathStart - 1)
  if (m.tagStart >= 0) ref.tag = s.slice(m.tagStart, m.tagEnd)
  if (m.digestStart >= 0) ref.digest = s.slice(m.digestStart)
  return ref
}

/**
 * Go tries the grammar again on `strings.ToLower(s)`: if that matches, the fault is uppercase in
 * the name.
 */
const explainMismatch = (s: string, offset: number): InvalidReference => {
  const lowered = goToLower(s)
  if (lowered !== s) {
    const m = scanReference(lowered)
    if (m.ok) return invalid('NameContainsUppercase', s, uppercaseOffset(s, lowered, m))
  }
  return invalid('ReferenceInvalidFormat', s, offset)
}

/**
 * Go's `strings.ToLower`, as far as the grammar can tell, keeping every offset in place.
 * JavaScript's `toLowerCase` agrees with Go's except that it turns U+0130 into two code units
 * ('i' and a combining dot) where Go gives 'i'; with that one replaced first, no character
 * changes length. (The tables may differ for letters added after Go's Unicode 13, which are
 * outside the ASCII grammar either way.)
 */
export const goToLower = (s: string): string =>
  (s.includes('\u0130') ? s.split('\u0130').join('i') : s).toLowerCase()

/**
 * The first character lower-casing changed within the path; else (U+212A or U+0130 in a tag or
 * domain) the first non-ASCII one it changed; else the first.
 */
const uppercaseOffset = (s: string, lowered: string, m: Match): number => {
  let fallback = -1
  let nonAscii = -1
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) === lowered.charCodeAt(i)) continue
    if (i >= m.pathStart && i < m.pathEnd) return i
    if (fallback < 0) fallback = i
    if (nonAscii < 0 && s.charCodeAt(i) > 0x7f) nonAscii = i
  }
  return nonAscii >= 0 ? nonAscii : fallback
}
