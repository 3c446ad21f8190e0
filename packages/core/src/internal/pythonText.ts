/**
 * Python 3.11's text rules that flytekit's ImageSpec hash depends on: `str.isprintable()` (which
 * decides what `repr` escapes) and `str.lower()` (applied to `name` and `registry`), from tables
 * generated with Python 3.11's own str methods (Unicode 14.0; see scripts/gen-unicode-tables.py).
 * The JavaScript engine's newer Unicode data is never consulted.
 */
import { CASED, CASE_IGNORABLE, LOWER, LOWER_MULTI, NOT_PRINTABLE } from './unicode311.js'

// -------------------------------------------------------------------------------------
// tables (decoded on first use)
// -------------------------------------------------------------------------------------

/** Sorted code points where membership flips; a code point is inside when an odd number of flips are at or below it. */
const decodeFlips = (encoded: string): Uint32Array => {
  const parts = encoded.split(',')
  const out = new Uint32Array(parts.length)
  let at = 0
  parts.forEach((p, i) => {
    at += parseInt(p, 36)
    out[i] = at
  })
  return out
}

const memo = <A>(f: () => A): (() => A) => {
  let value: A | undefined
  return () => (value ??= f())
}

const notPrintable = memo(() => decodeFlips(NOT_PRINTABLE))
const caseIgnorable = memo(() => decodeFlips(CASE_IGNORABLE))
const cased = memo(() => decodeFlips(CASED))

const inFlips = (flips: Uint32Array, cp: number): boolean => {
  let lo = 0
  let hi = flips.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (flips[mid]! <= cp) lo = mid + 1
    else hi = mid
  }
  return lo % 2 === 1
}

const lowerTable = memo(() => {
  const map = new Map<number, string>()
  let last = 0
  for (const group of LOWER.split(',')) {
    const [gap, count, step, delta] = group.split('.').map((n) => parseInt(n, 36)) as [number, number, number, number]
    const start = last + gap
    for (let i = 0; i < count; i++) map.set(start + i * step, String.fromCodePoint(start + i * step + delta))
    last = start + (count - 1) * step
  }
  for (const [cp, lower] of LOWER_MULTI) map.set(cp, lower)
  return map
})

// -------------------------------------------------------------------------------------
// code points
// -------------------------------------------------------------------------------------

/**
 * The code points of a JavaScript string as Python would hold them: a surrogate pair is one code
 * point, a lone surrogate is a code point of its own (as in a Python str).
 */
export const codePoints = (s: string): number[] => {
  const out: number[] = []
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        out.push(0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00))
        i++
        continue
      }
    }
    out.push(c)
  }
  return out
}

/** `chr(cp).isprintable()` in Python 3.11. */
export const isPrintable = (cp: number): boolean => !inFlips(notPrintable(), cp)

// -------------------------------------------------------------------------------------
// str.lower
// -------------------------------------------------------------------------------------

const CAPITAL_SIGMA = 0x3a3

// Python's Final_Sigma: a capital sigma preceded by a cased letter (case-ignorable ones skipped)
// and not followed by one lowercases to the final form.
const isFinalSigma = (cps: ReadonlyArray<number>, i: number): boolean => {
  let j = i - 1
  while (j >= 0 && inFlips(caseIgnorable(), cps[j]!)) j--
  if (j < 0 || !inFlips(cased(), cps[j]!)) return false
  let k = i + 1
  while (k < cps.length && inFlips(caseIgnorable(), cps[k]!)) k++
  return k === cps.length || !inFlips(cased(), cps[k]!)
}

/** `s.lower()` in Python 3.11. */
export const lower = (s: string): string => {
  const cps = codePoints(s)
  const table = lowerTable()
  let out = ''
  cps.forEach((cp, i) => {
    if (cp === CAPITAL_SIGMA) out += isFinalSigma(cps, i) ? '\u03c2' : '\u03c3'
    else out += table.get(cp) ?? String.fromCodePoint(cp)
  })
  return out
}

// -------------------------------------------------------------------------------------
// repr(str)
// -------------------------------------------------------------------------------------

const hex = (cp: number, width: number): string => cp.toString(16).padStart(width, '0')

/**
 * `repr(s)` in Python 3.11: single quotes unless the text has a single quote and no double one;
 * `\\`, the quote, `\t`, `\n`, `\r` escaped; other non-printable characters as `\xhh`, `\uhhhh`
 * or `\Uhhhhhhhh`.
 */
export const reprString = (s: string): string => {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'"
  let out = quote
  for (const cp of codePoints(s)) {
    const ch = String.fromCodePoint(cp)
    if (ch === quote || ch === '\\') out += `\\${ch}`
    else if (ch === '\t') out += '\\t'
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${hex(cp, 2)}`
    else if (cp < 0x7f) out += ch
    else if (isPrintable(cp)) out += ch
    else if (cp <= 0xff) out += `\\x${hex(cp, 2)}`
    else if (cp <= 0xffff) out += `\\u${hex(cp, 4)}`
    else out += `\\U${hex(cp, 8)}`
  }
  return out + quote
}

/** `ascii(s)`: `repr` with every non-ASCII character escaped. */
export const asciiString = (s: string): string =>
  reprString(s).replace(/[^\x00-\x7f]/gu, (ch) => {
    const cp = ch.codePointAt(0)!
    return cp <= 0xff ? `\\x${hex(cp, 2)}` : cp <= 0xffff ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`
  })
