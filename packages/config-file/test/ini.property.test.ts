import * as E from 'fp-ts/lib/Either.js'
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseIni, sectionItems, type IniError } from '../src/ini.js'

// -------------------------------------------------------------------------------------
// arbitraries
// -------------------------------------------------------------------------------------

/** Lines that exercise every branch of the reader, mixed with arbitrary text. */
const iniLine = fc.oneof(
  fc.constantFrom(
    '[images]',
    '[DEFAULT]',
    '[internal]',
    '[]',
    '[other',
    'a = 1',
    'A: 2',
    'b = %(a)s',
    'c = %(B)s%%',
    'd = %',
    'e = %(e)s',
    '=x',
    '  indented',
    '\tx = y',
    '# comment',
    '  ; comment',
    '',
    '   ',
    'bogus',
    '__proto__ = 1',
    '\ufeff[images]'
  ),
  fc.string(),
  fc.string({ unit: 'binary' })
)

const lineEnding = fc.constantFrom('\n', '\r\n', '\r')

const iniText = fc
  .array(fc.tuple(iniLine, lineEnding), { maxLength: 30 })
  .map((lines) => lines.map(([line, end]) => line + end).join(''))

const hasPosition = (error: IniError): boolean =>
  error.line !== undefined && error.line >= 1 && error.column !== undefined && error.column >= 1

/** Characters that mean nothing special to configparser anywhere in a line. */
const SAFE = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./@+'

const safeWord = (chars: string) =>
  fc.string({ unit: fc.constantFrom(...chars.split('')), minLength: 1, maxLength: 20 })

/** A value line: inner spaces and `= : # ; [ ]` are allowed, as is `%` (written as `%%`). */
const valueLine = fc
  .tuple(safeWord(SAFE), fc.array(fc.tuple(fc.constantFrom(' ', ' = ', ':', ' # ', ';', '[', ']', '%'), safeWord(SAFE)), { maxLength: 4 }))
  .map(([head, rest]) => head + rest.map(([sep, word]) => sep + word).join(''))

const options = fc.uniqueArray(
  fc.record({ name: safeWord(SAFE), lines: fc.array(valueLine, { minLength: 1, maxLength: 3 }) }),
  { selector: (o) => o.name.toLowerCase(), maxLength: 20 }
)

// -------------------------------------------------------------------------------------
// laws
// -------------------------------------------------------------------------------------

describe('any text parses or fails with a line and column, never throws', () => {
  it('parseIni and sectionItems on generated INI-like text', () => {
    fc.assert(
      fc.property(iniText, (text) => {
        const doc = parseIni(text, { origin: 'p.ini' })
        if (E.isLeft(doc)) {
          expect(hasPosition(doc.left)).toBe(true)
          expect(doc.left.origin).toBe('p.ini')
          return
        }
        for (const section of ['DEFAULT', ...doc.right.sections.map((s) => s.name)]) {
          const items = sectionItems(doc.right, section)
          if (E.isLeft(items)) expect(hasPosition(items.left)).toBe(true)
        }
      }),
      { numRuns: 2_000 }
    )
  })

  it('parseIni on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const doc = parseIni(`[images]\n${text}`)
        expect(E.isRight(doc) || hasPosition(doc.left)).toBe(true)
        const plain = parseIni(text)
        expect(E.isRight(plain) || hasPosition(plain.left)).toBe(true)
      }),
      { numRuns: 2_000 }
    )
  })
})

describe('names and values round-trip through a written [images] section', () => {
  it('names come back lowercased, values as written, continuation lines joined with \\n', () => {
    fc.assert(
      fc.property(options, fc.constantFrom(' = ', '=', ': ', ':', '\t=\t'), fc.constantFrom('  ', '\t', '    '), (opts, delimiter, indent) => {
        const text =
          '[images]\n' +
          opts
            .map(({ name, lines }) => {
              const [first, ...rest] = lines.map((l) => l.replaceAll('%', '%%'))
              return `${name}${delimiter}${first}\n${rest.map((l) => `${indent}${l}\n`).join('')}`
            })
            .join('')
        const items = E.chain((doc: Parameters<typeof sectionItems>[0]) => sectionItems(doc, 'images'))(parseIni(text))
        expect(E.map((xs: ReadonlyArray<readonly [string, string, unknown]>) => xs.map(([n, v]) => [n, v]))(items)).toEqual(
          E.right(opts.map(({ name, lines }) => [name.toLowerCase(), lines.join('\n')]))
        )
      }),
      { numRuns: 500 }
    )
  })

  it('a %(NAME)s reference to any option yields its value', () => {
    fc.assert(
      fc.property(options.filter((o) => o.length > 0), fc.nat(), (opts, pick) => {
        const target = opts[pick % opts.length]!
        const text =
          '[DEFAULT]\n' +
          opts.map(({ name, lines }) => `${name} = ${lines.map((l) => l.replaceAll('%', '%%')).join('\n  ')}\n`).join('') +
          `[images]\nzz-ref-zz = <%(${target.name.toUpperCase()})s>\n`
        const items = E.chain((doc: Parameters<typeof sectionItems>[0]) => sectionItems(doc, 'images'))(parseIni(text))
        expect(E.map((xs: ReadonlyArray<readonly [string, string, unknown]>) => xs.at(-1)?.[1])(items)).toEqual(
          E.right(`<${target.lines.join('\n')}>`)
        )
      }),
      { numRuns: 300 }
    )
  })
})
