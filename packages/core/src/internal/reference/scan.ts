/**
 * Where the parts of a reference are: `scanValid` reads a valid reference fast, in one pass;
 * `scanReference` reads any input part by part and names the offset of the first fault, so what
 * `parse` says about a bad input comes from one place only.
 */
import { LBRACKET, indexOrEnd } from './characters.js'
import { MATCH, head, matchDomain, matchPath, matchTag, readHead } from './automaton.js'
import { isKnownDigestAt, matchDigest } from './digest.js'
import { maxTagLength, nameTotalLengthMax } from './constants.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

export interface Positions {
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

export interface Match extends Positions {
  readonly ok: true
}

export type Scan = Match | { readonly ok: false; readonly offset: number }

const fail = (offset: number): Scan => ({ ok: false, offset })

// -------------------------------------------------------------------------------------
// valid references, fast
// -------------------------------------------------------------------------------------

/**
 * Where the parts of `s` are if `parse` accepts it, else `undefined`: one pass of the automaton
 * over the name and tag, one regular-expression test of the digest, nothing allocated but the
 * answer. An input it refuses goes to `scanReference`.
 */
export const scanValid = (s: string): Positions | undefined => {
  const i = readHead(s)
  if (i < 0) return undefined
  const { pathStart, colon, tagged } = head
  const pathEnd = tagged ? colon : i
  if (pathEnd - pathStart > nameTotalLengthMax || i - pathEnd > maxTagLength + 1) return undefined
  const n = s.length
  if (i < n && !isKnownDigestAt(s, i + 1)) return undefined
  return { pathStart, pathEnd, tagStart: pathEnd < i ? pathEnd + 1 : -1, tagEnd: i, digestStart: i < n ? i + 1 : -1 }
}

// -------------------------------------------------------------------------------------
// any input, explained
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
export const scanReference = (s: string): Scan => {
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
