/**
 * Strict OCI image references, as Go's `github.com/distribution/reference` (v0.6.0) parses them:
 * `[domain[:port]/]path[:tag][@algorithm:hex]`, with digests checked as
 * `github.com/opencontainers/go-digest` does (sha256, sha384 and sha512 supported).
 *
 * The grammar is matched by a deterministic automaton and hand-written scanners, not by a regular
 * expression (the one here checks only a digest's fixed run of hex digits, and cannot backtrack):
 * every function here runs in time linear in the length of its input, whatever the input.
 *
 * @example
 * import * as Reference from '@imgcfg/core/Reference'
 * Reference.parse('ghcr.io/org/app:1.0')
 * // Right({ name: 'ghcr.io/org/app', domain: 'ghcr.io', path: 'org/app', tag: '1.0' })
 * Reference.parseNormalizedNamed('ubuntu')
 * // Right({ name: 'docker.io/library/ubuntu', domain: 'docker.io', path: 'library/ubuntu', familiar: 'ubuntu' })
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { InvalidReference, ReferenceReason } from './errors.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A parsed reference. `name` is `domain/path` (or `path` without a domain); absent components are
 * absent, never `''`.
 *
 * @example
 * import type { Reference } from '@imgcfg/core/Reference'
 * const ref: Reference = { name: 'ghcr.io/org/app', domain: 'ghcr.io', path: 'org/app', tag: '1.0' }
 *
 * @since 0.1.0
 */
export interface Reference {
  readonly name: string
  readonly domain?: string
  readonly path: string
  readonly tag?: string
  readonly digest?: string
}

/**
 * A reference as `parseNormalizedNamed` returns it: Docker Hub names are fully qualified
 * (`docker.io/library/ubuntu`) and `familiar` is the short form a user writes (`ubuntu`).
 *
 * `domain` is `docker.io` or the registry the user wrote. It is absent only in Go's odd corner
 * where a first component such as `foo_bar.com` is taken as a registry by the normalizer but is
 * not a valid host, so the whole name is parsed as a path (`foo_bar.com/x`).
 *
 * @example
 * import type { NormalizedReference } from '@imgcfg/core/Reference'
 * const ref: NormalizedReference = {
 *   name: 'docker.io/library/ubuntu', domain: 'docker.io', path: 'library/ubuntu', tag: '22.04',
 *   familiar: 'ubuntu:22.04',
 * }
 *
 * @since 0.1.0
 */
export interface NormalizedReference extends Reference {
  /** Go's `FamiliarString` of this reference. */
  readonly familiar: string
}

/**
 * The longest repository path `parse` accepts (the domain does not count).
 *
 * @example
 * import { nameTotalLengthMax } from '@imgcfg/core/Reference'
 * nameTotalLengthMax // 255
 *
 * @since 0.1.0
 */
export const nameTotalLengthMax = 255

/**
 * The registry Docker Hub names default to.
 *
 * @example
 * import { defaultDomain } from '@imgcfg/core/Reference'
 * defaultDomain // 'docker.io'
 *
 * @since 0.1.0
 */
export const defaultDomain = 'docker.io'

const legacyDefaultDomain = 'index.docker.io'
const officialRepoPrefix = 'library/'
const maxTagLength = 128
const minDigestHex = 32

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * Go's `reference.Parse`: the whole string must match the grammar; no default domain and no
 * `library/` are added. A name that would be valid lower-cased is `NameContainsUppercase`; a
 * path over 255 characters is `NameTooLong`; the digest is then checked by algorithm.
 *
 * @example
 * import * as Reference from '@imgcfg/core/Reference'
 * Reference.parse('localhost:5000/app@sha256:' + 'a'.repeat(64))
 * // Right({ name: 'localhost:5000/app', domain: 'localhost:5000', path: 'app', digest: 'sha256:aaa…' })
 * Reference.parse('ghcr.io/Org/app:1')
 * // Left({ _tag: 'InvalidReference', reason: 'NameContainsUppercase', input: 'ghcr.io/Org/app:1', offset: 8 })
 *
 * @since 0.1.0
 */
export const parse = (s: string): E.Either<InvalidReference, Reference> =>
  typeof s === 'string' ? parseString(s) : E.left(notAString(s))

/**
 * Go's `reference.ParseNormalizedNamed`: a familiar name (`ubuntu`, `org/app`) gets Docker Hub's
 * domain and, for a single component, the `library/` namespace; `index.docker.io` becomes
 * `docker.io`. The first component is a registry only if it contains `.` or `:`, is `localhost`,
 * or has an uppercase letter. A bare 64-hex string is `NameIsIdentifier`.
 *
 * @example
 * import * as Reference from '@imgcfg/core/Reference'
 * Reference.parseNormalizedNamed('bitnami/redis:7.2')
 * // Right({ name: 'docker.io/bitnami/redis', domain: 'docker.io', path: 'bitnami/redis', tag: '7.2',
 * //         familiar: 'bitnami/redis:7.2' })
 *
 * @since 0.1.0
 */
export const parseNormalizedNamed = (s: string): E.Either<InvalidReference, NormalizedReference> =>
  typeof s === 'string' ? parseNormalizedString(s) : E.left(notAString(s))

/**
 * Go's `reference.ParseNamed`: `parseNormalizedNamed`, but only a reference written in canonical
 * form (`docker.io/library/ubuntu`, not `ubuntu`) is accepted; any other is `NameNotCanonical`.
 *
 * @example
 * import * as Reference from '@imgcfg/core/Reference'
 * Reference.parseNamed('ubuntu')
 * // Left({ _tag: 'InvalidReference', reason: 'NameNotCanonical', input: 'ubuntu' })
 *
 * @since 0.1.0
 */
export const parseNamed = (s: string): E.Either<InvalidReference, NormalizedReference> => {
  const normalized = parseNormalizedNamed(s)
  if (E.isLeft(normalized) || toString(normalized.right) === s) return normalized
  return E.left(invalid('NameNotCanonical', s))
}

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/**
 * The reference as text: `name[:tag][@digest]`, where `name` is `domain/path` (Go's `String`).
 *
 * @example
 * import * as Reference from '@imgcfg/core/Reference'
 * Reference.toString({ name: 'ghcr.io/org/app', domain: 'ghcr.io', path: 'org/app', tag: '1.0' })
 * // 'ghcr.io/org/app:1.0'
 *
 * @since 0.1.0
 */
export const toString = (ref: Reference): string =>
  joinName(ref.domain, ref.path) + suffix(ref.tag, ref.digest)

/**
 * The name as a user writes it (Go's `FamiliarName`): `docker.io/` is dropped, and so is
 * `library/` before a single component.
 *
 * @example
 * import * as Reference from '@imgcfg/core/Reference'
 * Reference.familiarName({ name: 'docker.io/library/ubuntu', domain: 'docker.io', path: 'library/ubuntu' })
 * // 'ubuntu'
 *
 * @since 0.1.0
 */
export const familiarName = (ref: Reference): string => {
  if (ref.domain !== defaultDomain) return joinName(ref.domain, ref.path)
  if (ref.path.startsWith(officialRepoPrefix)) {
    const rest = ref.path.slice(officialRepoPrefix.length)
    if (!rest.includes('/')) return rest
  }
  return ref.path
}

/**
 * The reference as a user writes it (Go's `FamiliarString`): `familiarName` plus tag and digest.
 *
 * @example
 * import * as Reference from '@imgcfg/core/Reference'
 * import * as E from 'fp-ts/lib/Either.js'
 * const ref = Reference.parseNormalizedNamed('docker.io/library/ubuntu:22.04')
 * E.isRight(ref) && Reference.familiarString(ref.right) // 'ubuntu:22.04'
 *
 * @since 0.1.0
 */
export const familiarString = (ref: Reference): string => familiarName(ref) + suffix(ref.tag, ref.digest)

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/**
 * Whether a string is a valid tag: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
 *
 * @example
 * import { isValidTag } from '@imgcfg/core/Reference'
 * isValidTag('3.12-slim') // true
 * isValidTag('.hidden') // false
 *
 * @since 0.1.0
 */
export const isValidTag = (s: string): boolean => typeof s === 'string' && matchTag(s, 0, s.length) === MATCH

/**
 * Checks a tag on its own, naming the first offending character (`TagInvalidFormat`).
 *
 * @example
 * import { parseTag } from '@imgcfg/core/Reference'
 * parseTag('v1/2')
 * // Left({ _tag: 'InvalidReference', reason: 'TagInvalidFormat', input: 'v1/2', offset: 2 })
 *
 * @since 0.1.0
 */
export const parseTag = (s: string): E.Either<InvalidReference, string> => {
  if (typeof s !== 'string') return E.left({ ...notAString(s), reason: 'TagInvalidFormat' })
  const mismatch = matchTag(s, 0, s.length)
  return mismatch === MATCH ? E.right(s) : E.left(invalid('TagInvalidFormat', s, mismatch))
}

/**
 * Checks a digest as go-digest does: `algorithm:hex`, where a known algorithm (sha256, sha384,
 * sha512) needs exactly its number of lowercase hex digits.
 *
 * @example
 * import { parseDigest } from '@imgcfg/core/Reference'
 * parseDigest('sha256:abc')
 * // Left({ _tag: 'InvalidReference', reason: 'DigestInvalidLength', input: 'sha256:abc', offset: 10 })
 *
 * @since 0.1.0
 */
export const parseDigest = (s: string): E.Either<InvalidReference, string> => {
  if (typeof s !== 'string') return E.left({ ...notAString(s), reason: 'DigestInvalidFormat' })
  const failure = validateDigest(s, 0, s.length)
  return failure === undefined ? E.right(s) : E.left(invalid(failure.reason, s, failure.offset))
}

/**
 * Whether a string is a 64-hex identifier (an image ID), which `parseNormalizedNamed` refuses as
 * a name.
 *
 * @example
 * import { isIdentifier } from '@imgcfg/core/Reference'
 * isIdentifier('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855') // true
 *
 * @since 0.1.0
 */
export const isIdentifier = (s: string): boolean => {
  if (typeof s !== 'string' || s.length !== 64) return false
  for (let i = 0; i < 64; i++) if (!isLowerHex(s.charCodeAt(i))) return false
  return true
}

// -------------------------------------------------------------------------------------
// internal: Parse
// -------------------------------------------------------------------------------------

const parseString = (s: string): E.Either<InvalidReference, Reference> => {
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
const goToLower = (s: string): string =>
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

// -------------------------------------------------------------------------------------
// internal: ParseNormalizedNamed
// -------------------------------------------------------------------------------------

const parseNormalizedString = (s: string): E.Either<InvalidReference, NormalizedReference> => {
  if (isIdentifier(s)) return E.left(invalid('NameIsIdentifier', s))
  const split = splitDockerDomain(s)
  const remoteEnd = indexOrEnd(s, ':', split.remainderStart)
  const upper = firstUppercase(s, split.remainderStart, remoteEnd)
  if (upper >= 0) return E.left(invalid('NameContainsUppercase', s, upper))
  const prefix = `${split.domain}/${split.library ? officialRepoPrefix : ''}`
  const parsed = parseString(prefix + s.slice(split.remainderStart))
  if (E.isLeft(parsed)) {
    const { offset } = parsed.left
    return E.left(invalid(parsed.left.reason, s, offset === undefined ? undefined : mapOffset(offset)))
  }
  return E.right({ ...parsed.right, familiar: familiarString(parsed.right) })

  /** From the string handed to `parseString` back to the user's input. */
  function mapOffset(offset: number): number {
    if (split.domainFromInput && offset <= split.domain.length) return offset
    if (offset < prefix.length) return split.remainderStart
    return Math.min(s.length, offset - prefix.length + split.remainderStart)
  }
}

interface DomainSplit {
  readonly domain: string
  /** Where the rest of the input, after `domain/` if the user wrote one, starts. */
  readonly remainderStart: number
  /** The domain is the input's first component, unchanged. */
  readonly domainFromInput: boolean
  /** `library/` goes before the remainder. */
  readonly library: boolean
}

/**
 * Go's `splitDockerDomain`. Note it looks only at the raw text: `foo_bar.com/x` has a dot, so
 * `foo_bar.com` is taken as the domain here, though `Parse` later reads it as a path.
 */
const splitDockerDomain = (s: string): DomainSplit => {
  const slash = s.indexOf('/')
  const first = slash < 0 ? '' : s.slice(0, slash)
  const isDomain =
    slash >= 0 &&
    (first.includes('.') || first.includes(':') || first === 'localhost' || firstUppercase(first, 0, first.length) >= 0)
  const written = isDomain ? first : defaultDomain
  const domain = written === legacyDefaultDomain ? defaultDomain : written
  const remainderStart = isDomain ? slash + 1 : 0
  return {
    domain,
    remainderStart,
    domainFromInput: isDomain && domain === written,
    library: domain === defaultDomain && s.indexOf('/', remainderStart) < 0,
  }
}

/** The first character in `s[start, end)` that Go's `strings.ToLower` changes, or -1. */
const firstUppercase = (s: string, start: number, end: number): number => {
  const text = s.slice(start, end)
  const lowered = goToLower(text)
  if (lowered === text) return -1
  let i = 0
  while (text.charCodeAt(i) === lowered.charCodeAt(i)) i++
  return start + i
}

// -------------------------------------------------------------------------------------
// internal: characters
// -------------------------------------------------------------------------------------

const COLON = 0x3a
const DOT = 0x2e
const DASH = 0x2d
const PLUS = 0x2b
const EQUALS = 0x3d
const UNDERSCORE = 0x5f
const LBRACKET = 0x5b

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39
const isLower = (c: number): boolean => c >= 0x61 && c <= 0x7a
const isUpper = (c: number): boolean => c >= 0x41 && c <= 0x5a
const isLetter = (c: number): boolean => isLower(c) || isUpper(c)
const isLowerAlnum = (c: number): boolean => isLower(c) || isDigit(c)
const isAlnum = (c: number): boolean => isLetter(c) || isDigit(c)
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)
const isLowerHex = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66)

const indexOrEnd = (s: string, ch: string, from: number): number => {
  const i = s.indexOf(ch, from)
  return i < 0 ? s.length : i
}

// -------------------------------------------------------------------------------------
// internal: the automaton
// -------------------------------------------------------------------------------------

/*
 * A reference's name and tag are read by one deterministic automaton: one table look-up per
 * character, no backtracking, nothing allocated, so every scan is linear in its input. Valid
 * references are read by `scanValid` in one pass; `matchDomain`, `matchPath` and `matchTag`
 * run parts of the same automaton for `scanReference`, which explains invalid ones.
 *
 * It reads classes of characters: 0 anything else, 1 '.', 2 '_', 3 '-', 4 '/', 5 ':', 6 '@',
 * 7 '[', 8 ']', 9 [a-f], a [g-z], b [0-9], c [A-F], d [G-Z]; nothing from code 128 up is read.
 *
 * Its states are named by one character each, from '?' (0) to '[' (28):
 *   ? no reading accepts the character just read; @ '@' read, no tag before it; A '@' read
 *   after a tag. These end a scan.
 *   B the '/' after a domain read; C the ':' before a tag read; D and E a ':' within the first
 *   component read (D where that component may still be a path component, E where it is a
 *   domain only). A scan notes where these are and carries on from the state four places on:
 *   F a path component is due; G a tag's first character is due; H and I see below.
 *   J a reference's first character is due; K a domain's (`matchDomain` starts here).
 *   The first component, before any '/', may be a domain or a path component:
 *   L after an alphanumeric (both still possible), M after '.', N after '-' (both);
 *   O a label is due, P after an alphanumeric, Q after '-' (a domain only, as with an
 *   uppercase letter).
 *   After the first component's ':': H nothing yet, R digits (a port or a tag: a '/' decides);
 *   I and S the same where the component is a domain only (so a port).
 *   IPv6: T after '[', U within, V after ']'.
 *   W within a tag.
 *   Path: X after an alphanumeric, Y after '.' or '__', Z after one '_', '[' after '-'.
 * Each rule reads "from, to, classes": from `from`, a character of one of `classes` leads to
 * `to`; every transition not listed leads to '?'.
 */
const DFA_RULES =
  'FX9ab GW29abcd HRb HW29acd ISb JL9ab JPcd JT7 KP9abcd KT7 LL9ab LPcd LM1 LZ2 LN3 LB4 LD5 L@6 ' +
  'ML9ab MPcd NL9ab NPcd NN3 OP9abcd PP9abcd PO1 PQ3 PB4 PE5 QP9abcd QQ3 RRb RW1239acd RB4 RA6 ' +
  'SSb SB4 TU59bc UU59bc UV8 VE5 VB4 WW1239abcd WA6 XX9ab XF4 XY1 XZ2 X[3 XC5 X@6 YX9ab ZX9ab ' +
  'ZY2 [X9ab [[3'

/** The characters of each class from 1 to d: first and last of a range, '..' to 'GZ'. */
const CLASS_RANGES = '..__--//::@@[[]]afgz09AFGZ'

/** `DFA[state << 7 | c]` is the state after the ASCII character `c`; built on first use. */
let DFA: Uint8Array | undefined

const dfa = (): Uint8Array => {
  if (DFA !== undefined) return DFA
  const byClass = new Uint8Array(29 << 4)
  for (const rule of DFA_RULES.split(' ')) {
    for (let k = 2; k < rule.length; k++) {
      const c = rule.charCodeAt(k)
      byClass[((rule.charCodeAt(0) - 0x3f) << 4) | (c - (c < 0x61 ? 0x30 : 0x57))] = rule.charCodeAt(1) - 0x3f
    }
  }
  const t = new Uint8Array(29 << 7)
  for (let state = 0; state < 29; state++) {
    const row = state << 7
    for (let k = 1; k < 14; k++) {
      const first = row | CLASS_RANGES.charCodeAt(2 * k - 2)
      t.fill(byClass[(state << 4) | k]!, first, (row | CLASS_RANGES.charCodeAt(2 * k - 1)) + 1)
    }
  }
  return (DFA = t)
}

const S_DEAD = 0
const S_TAGGED_AT = 2
const S_DOMAIN_SLASH = 3
/** States below this one end a scan or are noted and left (see above). */
const S_NOTED = 7
const S_PATH = 7
const S_TAG = 8
const S_START = 11
const S_DOMAIN = 12
const bit = (state: number): number => 1 << state

/** The state the last `run` stopped in. */
let stopped = S_DEAD

/**
 * Reads `s[start, end)` from `state`; the offset of the character it stopped at (one no reading
 * accepts, or '@'), else `end`; the state it stopped in is `stopped`.
 */
const run = (s: string, start: number, end: number, state: number): number => {
  const table = dfa()
  let i = start
  for (; i < end; i++) {
    const c = s.charCodeAt(i)
    state = c < 128 ? table[(state << 7) | c]! : S_DEAD
    if (state < S_NOTED) {
      if (state <= S_TAGGED_AT) break
      state += 4
    }
  }
  stopped = state
  return i
}

/** MATCH if all of `s[start, end)` read from `state` ends in an `accepting` state; else the offset of the fault. */
const matchFrom = (s: string, start: number, end: number, state: number, accepting: number): number => {
  const i = run(s, start, end, state)
  return i === end && ((accepting >> stopped) & 1) !== 0 ? MATCH : i
}

// -------------------------------------------------------------------------------------
// internal: valid references, fast
// -------------------------------------------------------------------------------------

/**
 * Where the parts of `s` are if `parse` accepts it, else `undefined`: one pass over the name and
 * tag, one regular-expression test of the digest, nothing allocated but the answer. An input it
 * refuses goes to `scanReference`, which finds the error and its offset, so what `parse` says
 * about a bad input comes from one place only.
 */
const scanValid = (s: string): Positions | undefined => {
  const n = s.length
  let pathStart = 0
  let colon = -1
  const table = dfa()
  let state = S_START
  let i = 0
  // `run`, noting where the domain's '/' and the last ':' outside a port are
  for (; i < n; i++) {
    const c = s.charCodeAt(i)
    if (c >= 128) {
      state = S_DEAD
      break
    }
    state = table[(state << 7) | c]!
    if (state < S_NOTED) {
      if (state <= S_TAGGED_AT) break
      if (state === S_DOMAIN_SLASH) pathStart = i + 1
      else colon = i
      state += 4
    }
  }
  // stopped at '@' (@, A), on a fault (?), or at the end in L (a one-component name), R, W or X
  if (i < n ? state === S_DEAD : ((ACCEPTING >> state) & 1) === 0) return undefined
  const pathEnd = ((TAGGED >> state) & 1) === 0 ? i : colon
  if (pathEnd - pathStart > nameTotalLengthMax || i - pathEnd > maxTagLength + 1) return undefined
  if (i < n) {
    // the digest: an algorithm go-digest knows and exactly its number of lowercase hex digits
    KNOWN_DIGEST.lastIndex = i + 1
    if (!KNOWN_DIGEST.test(s)) return undefined
  }
  return { pathStart, pathEnd, tagStart: pathEnd < i ? pathEnd + 1 : -1, tagEnd: i, digestStart: i < n ? i + 1 : -1 }
}

/** L, R (a tag of digits), W, X. */
const ACCEPTING = bit(13) | bit(19) | bit(24) | bit(25)
/** A, R, W: there is a tag. */
const TAGGED = bit(S_TAGGED_AT) | bit(19) | bit(24)

/**
 * A digest go-digest accepts, from `lastIndex` to the end. Each alternative is a fixed prefix
 * and one character class repeated a fixed number of times: it cannot backtrack.
 */
const KNOWN_DIGEST = /sha(?:256:[0-9a-f]{64}|384:[0-9a-f]{96}|512:[0-9a-f]{128})$/y

// -------------------------------------------------------------------------------------
// internal: the scanner
// -------------------------------------------------------------------------------------

/**
 * Where the grammar `^(name)(?::(tag))?(?:@(digest))?$` put each part of `s`, or the offset of
 * the first character no reading of `s` can accept.
 *
 * The grammar is unambiguous once looked at this way: no part may contain `@`, so the first `@`
 * starts the digest; `name` may contain `:` only in a `domain:port`, which must be followed by
 * `/`, and a tag cannot contain `/`. A first component followed by `/` is the domain exactly
 * when it matches the host grammar (a regular engine prefers the optional domain group, and
 * without it the same component would have to be a path component anyway).
 */
type Scan = Match | { readonly ok: false; readonly offset: number }

interface Match extends Positions {
  readonly ok: true
}

interface Positions {
  /** The path starts here; a domain, if any, is `s[0, pathStart - 1)`. */
  readonly pathStart: number
  /** The name is `s[0, pathEnd)`. */
  readonly pathEnd: number
  /** The tag is `s[tagStart, tagEnd)`, or tagStart is -1. */
  readonly tagStart: number
  readonly tagEnd: number
  /** The digest is `s[digestStart, s.length)`, or digestStart is -1. */
  readonly digestStart: number
}

const fail = (offset: number): Scan => ({ ok: false, offset })

/** What the `match*` functions below return when all of `s[start, end)` matches. */
const MATCH = -1

const scanReference = (s: string): Scan => {
  const at = s.indexOf('@')
  const headEnd = at < 0 ? s.length : at
  const slash = s.indexOf('/')
  let pathStart = 0
  if (slash >= 0 && slash < headEnd) {
    const domain = matchDomain(s, 0, slash)
    if (domain === MATCH) pathStart = slash + 1
    else if (s.charCodeAt(0) === LBRACKET || indexOrEnd(s, ':', 0) < slash) {
      // ':' and '[' only belong in a domain, so the fault is there
      return fail(domain)
    }
  }
  // path components cannot contain ':', so the first one after the domain starts the tag
  const pathEnd = Math.min(indexOrEnd(s, ':', pathStart), headEnd)
  const path = matchPath(s, pathStart, pathEnd)
  if (path !== MATCH) return fail(path)
  let tagStart = -1
  if (pathEnd < headEnd) {
    tagStart = pathEnd + 1
    const tag = matchTag(s, tagStart, headEnd)
    if (tag !== MATCH) return fail(tag)
  }
  let digestStart = -1
  if (at >= 0) {
    digestStart = at + 1
    const digest = matchDigest(s, digestStart, s.length)
    if (digest !== MATCH) return fail(digest)
  }
  return { ok: true, pathStart, pathEnd, tagStart, tagEnd: headEnd, digestStart }
}

/**
 * `host(:[0-9]+)?`, where host is `\[[a-fA-F0-9:]+\]` or dot-separated labels
 * `[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?`.
 */
const matchDomain = (s: string, start: number, end: number): number =>
  matchFrom(s, start, end, S_DOMAIN, bit(17) | bit(20) | bit(23))

/** Components `[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*` separated by `/`. */
const matchPath = (s: string, start: number, end: number): number => matchFrom(s, start, end, S_PATH, bit(25))

/** `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`. */
const matchTag = (s: string, start: number, end: number): number => {
  const m = matchFrom(s, start, end, S_TAG, bit(24))
  return m === MATCH && end - start > maxTagLength ? start + maxTagLength : m
}

/** The reference grammar's digest: `[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}`. */
const matchDigest = (s: string, start: number, end: number): number => {
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

// -------------------------------------------------------------------------------------
// internal: digests (go-digest)
// -------------------------------------------------------------------------------------

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

interface DigestFailure {
  readonly reason: ReferenceReason
  readonly offset: number
}

/** go-digest's `Digest.Validate` on `s[start, end)`. */
const validateDigest = (s: string, start: number, end: number): DigestFailure | undefined => {
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

// -------------------------------------------------------------------------------------
// internal: helpers
// -------------------------------------------------------------------------------------

const joinName = (domain: string | undefined, path: string): string =>
  domain === undefined || domain === '' ? path : `${domain}/${path}`

const suffix = (tag: string | undefined, digest: string | undefined): string =>
  (tag === undefined || tag === '' ? '' : `:${tag}`) + (digest === undefined || digest === '' ? '' : `@${digest}`)

const invalid = (reason: ReferenceReason, input: string, offset?: number): InvalidReference =>
  offset === undefined ? { _tag: 'InvalidReference', reason, input } : { _tag: 'InvalidReference', reason, input, offset }

/** A non-string handed in at run time (from untyped JavaScript): described, never thrown on. */
const notAString = (u: unknown): InvalidReference => invalid('ReferenceInvalidFormat', describeInput(u))

const describeInput = (u: unknown): string => {
  try {
    if (u === null || (typeof u !== 'object' && typeof u !== 'function')) return String(u)
    return Array.isArray(u) ? 'an array' : typeof u === 'function' ? 'a function' : 'an object'
  } catch {
    return 'a value that is not a string'
  }
}
