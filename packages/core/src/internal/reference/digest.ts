/**
 * Digests, twice: the reference grammar's loose `algorithm:hex` shape, and go-digest's
 * `Digest.Validate`, which `Parse` applies next (known algorithms and their exact lengths).
 */
import type { ReferenceReason } from '../../errors.js'
import { minDigestHex } from './constants.js'
import {
  COLON,
  DASH,
  DOT,
  EQUALS,
  PLUS,
  UNDERSCORE,
  isAlnum,
  isHex,
  isLetter,
  isLowerAlnum,
  isLowerHex,
} from './characters.js'
import { MATCH } from './automaton.js'

/**
 * A digest go-digest accepts, from `lastIndex` to the end. Each alternative is a fixed prefix
 * and one character class repeated a fixed number of times: it cannot backtrack.
 */
const KNOWN_DIGEST = /sha(?:256:[0-9a-f]{64}|384:[0-9a-f]{96}|512:[0-9a-f]{128})$/y

/** Whether `s` from `start` to its end is a digest go-digest accepts: a known algorithm and exactly its number of lowercase hex digits. */
export const isKnownDigestAt = (s: string, start: number): boolean => {
  KNOWN_DIGEST.lastIndex = start
  return KNOWN_DIGEST.test(s)
}

/** The reference grammar's digest: `[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}`. */
export const matchDigest = (s: string, start: number, end: number): number => {
  let i = start
  let letterDue = true
  for (; i < end; i++) {
    const c = s.charCodeAt(i)
    if (letterDue) {
      if (!isLetter(c)) return i
      letterDue = false
    } else if (c === COLON) break
    else if (c === DASH || c === UNDERSCORE || c === PLUS || c === DOT) letterDue = true
    else if (!isAlnum(c)) return i
  }
  if (i === end) return i
  const hexStart = ++i
  for (; i < end; i++) if (!isHex(s.charCodeAt(i))) return i
  return end - hexStart < minDigestHex ? end : MATCH
}

/** Hex digits for each algorithm go-digest knows (with crypto/sha256 and crypto/sha512 linked). */
const digestSize = (algorithm: string): number | undefined => {
  switch (algorithm) {
    case 'sha256':
      return 64
    case 'sha384':
      return 96
    case 'sha512':
      return 128
    default:
      return undefined
  }
}

export interface DigestFailure {
  readonly reason: ReferenceReason
  readonly offset: number
}

/** go-digest's `Digest.Validate` on `s[start, end)`. */
export const validateDigest = (s: string, start: number, end: number): DigestFailure | undefined => {
  const colon = s.indexOf(':', start)
  if (colon < 0 || colon >= end) return { reason: 'DigestInvalidFormat', offset: end }
  if (colon === start) return { reason: 'DigestInvalidFormat', offset: start }
  if (colon + 1 === end) return { reason: 'DigestInvalidFormat', offset: end }
  const size = digestSize(s.slice(start, colon))
  if (size === undefined) {
    // an unknown algorithm is unsupported if go-digest's own grammar accepts the digest
    const mismatch = matchGoDigest(s, start, end)
    return mismatch === MATCH
      ? { reason: 'DigestUnsupported', offset: start }
      : { reason: 'DigestInvalidFormat', offset: mismatch }
  }
  const hexStart = colon + 1
  if (end - hexStart !== size) {
    return { reason: 'DigestInvalidLength', offset: Math.min(end, hexStart + size) }
  }
  for (let i = hexStart; i < end; i++) {
    if (!isLowerHex(s.charCodeAt(i))) return { reason: 'DigestInvalidFormat', offset: i }
  }
  return undefined
}

/** go-digest's `DigestRegexp`: `[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+`. */
const matchGoDigest = (s: string, start: number, end: number): number => {
  let i = start
  let alnumDue = true
  for (; i < end; i++) {
    const c = s.charCodeAt(i)
    if (isLowerAlnum(c)) alnumDue = false
    else if (alnumDue) return i
    else if (c === COLON) break
    else if (c === DOT || c === PLUS || c === UNDERSCORE || c === DASH) alnumDue = true
    else return i
  }
  if (i === end) return i
  if (++i === end) return i
  for (; i < end; i++) {
    const c = s.charCodeAt(i)
    if (!(isAlnum(c) || c === EQUALS || c === UNDERSCORE || c === DASH)) return i
  }
  return MATCH
}
