/** The laws of Python's repr as imgcfg writes it (the hash depends on every character). */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import * as ImageSpec from '../src/ImageSpec.js'
import { codePoints, isPrintable } from '../src/internal/pythonText.js'

const reprOf = (v: unknown): string => E.getOrElse((): string => {
  throw new Error('repr failed')
})(ImageSpec.pythonRepr(v))

/** A small reader of Python string literals: the escapes repr writes, nothing more. */
const readPythonString = (literal: string): string => {
  const quote = literal[0]!
  expect(["'", '"']).toContain(quote)
  expect(literal.at(-1)).toBe(quote)
  let out = ''
  for (let i = 1; i < literal.length - 1; i++) {
    const c = literal[i]!
    expect(c, 'an unescaped quote inside the literal').not.toBe(quote)
    if (c !== '\\') {
      out += c
      continue
    }
    const e = literal[++i]!
    const hexAt = (n: number) => {
      const h = literal.slice(i + 1, i + 1 + n)
      expect(h).toMatch(new RegExp(`^[0-9a-f]{${n}}$`))
      i += n
      return parseInt(h, 16)
    }
    if (e === 'x') out += String.fromCharCode(hexAt(2))
    else if (e === 'u') out += String.fromCharCode(hexAt(4))
    else if (e === 'U') out += String.fromCodePoint(hexAt(8))
    else if (e === 'n') out += '\n'
    else if (e === 't') out += '\t'
    else if (e === 'r') out += '\r'
    else if (e === '\\' || e === "'" || e === '"') out += e
    else throw new Error(`unexpected escape \\${e}`)
  }
  return out
}

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: fc.constantFrom("'", '"', '\\', 'a', '\n', '\u00a0', '\u2028', '\ud800', '\udc00', '\u{1f600}'), maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
)

describe('repr of a str', () => {
  it('reads back as the same string', () => {
    fc.assert(fc.property(anyText, (s) => {
        expect(readPythonString(reprOf(s))).toBe(s)
      }), { numRuns: 2000 })
  })
  it('quotes with " exactly when the text has a single quote and no double quote', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        expect(reprOf(s)[0]).toBe(s.includes("'") && !s.includes('"') ? '"' : "'")
      }),
      { numRuns: 1000 },
    )
  })
  it('leaves no character Python counts as non-printable unescaped (so the text is one line of visible characters)', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        for (const cp of codePoints(reprOf(s))) expect(isPrintable(cp), `U+${cp.toString(16)}`).toBe(true)
      }),
      { numRuns: 1000 },
    )
  })
})

describe('repr of a float', () => {
  it('reads back as the same double, and uses the exponent exactly outside 1e-4 <= |x| < 1e16', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = reprOf(ImageSpec.pyFloat(x))
        expect(Object.is(Number(text), x), text).toBe(true)
        const a = Math.abs(x)
        expect(/e/.test(text), text).toBe(a !== 0 && (a >= 1e16 || a < 1e-4))
        expect(text).toMatch(/^-?(\d+\.\d+|\d(\.\d+)?e[+-]\d{2,3})$/)
      }),
      { numRuns: 3000 },
    )
  })
})

describe('repr of an int', () => {
  it('is its decimal digits, for any size up to 4300 digits', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(10n ** 200n), max: 10n ** 200n }), (n) => {
        expect(BigInt(reprOf(n))).toBe(n)
      }))
  })
})

describe('dict keys are Python dict keys', () => {
  it('1, 1.0 and True are one key; 0, -0.0 and False another; each NaN its own', () => {
    const k = ImageSpec.dictKey
    expect(new Set([k(1n), k(ImageSpec.pyFloat(1)), k(true), k(1)]).size).toBe(1)
    expect(new Set([k(0n), k(ImageSpec.pyFloat(-0)), k(false)]).size).toBe(1)
    expect(k(ImageSpec.pyFloat(NaN))).not.toBe(k(ImageSpec.pyFloat(NaN)))
    expect(k('1')).not.toBe(k(1n))
    expect(k([1])).toBeUndefined()
  })
  it('aware datetimes are one key when they are the same instant; a naive one is never equal to an aware one', () => {
    const at = (hour: number, offsetSeconds?: number) => ({
      _tag: 'PyDateTime' as const, year: 5, month: 1, day: 1, hour, minute: 0, second: 0, microsecond: 0,
      ...(offsetSeconds !== undefined ? { offsetSeconds } : {}),
    })
    expect(ImageSpec.dictKey(at(10, 3600))).toBe(ImageSpec.dictKey(at(9, 0)))
    expect(ImageSpec.dictKey(at(9))).not.toBe(ImageSpec.dictKey(at(9, 0)))
  })
})
