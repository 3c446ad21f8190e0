/**
 * Each fixture under fixtures/ini holds one configparser quirk. The `python` expectations were
 * recorded once with Python 3.11 (`ConfigParser()`, `read(path)`, `items(section)`); the tests
 * never call Python.
 */
import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import { costRatio } from '@imgcfg/test-utils/cost'
import { describe, expect, it } from 'vitest'
import {
  hasSection,
  MAX_INTERPOLATED_LENGTH,
  parseIni,
  sectionItems,
  type IniDocument,
  type IniError,
} from '../src/ini.js'

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/ini/${name}`, import.meta.url), 'utf8')

const parsed = (text: string, origin?: string): IniDocument => {
  const result = parseIni(text, origin === undefined ? {} : { origin })
  if (E.isLeft(result)) throw new Error(`expected a document, got ${JSON.stringify(result.left)}`)
  return result.right
}

/** `items(section)` as Python prints it: name/value pairs. */
const items = (text: string, section = 'images'): E.Either<IniError, Array<[string, string]>> =>
  E.map((xs: ReadonlyArray<readonly [string, string, unknown]>) => xs.map(([n, v]): [string, string] => [n, v]))(
    E.chain((doc: IniDocument) => sectionItems(doc, section, { origin: 'test.ini' }))(
      parseIni(text, { origin: 'test.ini' })
    )
  )

const syntaxError = (origin: string, line: number, column: number, message: string): IniError => ({
  _tag: 'ConfigSyntaxError',
  format: 'ini',
  origin,
  line,
  column,
  message,
})

describe('options split at the first = or :, names are lowercased, both sides are stripped', () => {
  it('matches Python on delimiters.ini', () => {
    expect(items(fixture('delimiters.ini'))).toEqual(
      E.right([
        ['myimage', 'ghcr.io/org/app:v1'],
        ['spaced', 'docker.io/lib/python:3.11'],
        ['url', 'http://host:5000/x:y'],
        ['http', '//registry:5000/app = v'],
        ['tabbed', 'x'],
        ['empty', ''],
        ['colon-empty', ''],
      ])
    )
  })

  it('records the line of each option and the 1-based column where its value starts', () => {
    const options = parsed(fixture('delimiters.ini')).sections[0]?.options ?? []
    expect(options.map((o) => [o.name, o.line, o.column])).toEqual([
      ['myimage', 2, 11],
      ['spaced', 3, 14],
      ['url', 4, 7],
      ['http', 5, 6],
      ['tabbed', 6, 10],
      ['empty', 7, 8],
      ['colon-empty', 8, 13],
    ])
  })
})

describe('[DEFAULT] options appear in every section: defaults first, overridden in place', () => {
  it('matches Python on default-order.ini', () => {
    expect(items(fixture('default-order.ini'))).toEqual(
      E.right([
        ['base', 'ghcr.io/flyteorg'],
        ['shared', 'section-value'],
        ['zeta', 'z:1'],
        ['alpha', 'a:1'],
      ])
    )
  })

  it('items(DEFAULT) gives the defaults alone, though DEFAULT is not a section', () => {
    const doc = parsed(fixture('default-order.ini'))
    expect(hasSection(doc, 'DEFAULT')).toBe(false)
    expect(items(fixture('default-order.ini'), 'DEFAULT')).toEqual(
      E.right([
        ['base', 'ghcr.io/flyteorg'],
        ['shared', 'default-value'],
      ])
    )
  })

  it('[DEFAULT] may be reopened; its options merge (reopened-default.ini)', () => {
    expect(items(fixture('reopened-default.ini'))).toEqual(
      E.right([
        ['reg', 'ghcr.io'],
        ['repo', 'ghcr.io/org'],
        ['x', '1'],
      ])
    )
  })

  it('the third item is the option as written, wherever it came from', () => {
    const result = sectionItems(parsed(fixture('default-order.ini')), 'images')
    expect(E.map((xs: ReadonlyArray<readonly [string, string, { line: number }]>) => xs.map((x) => x[2].line))(result)).toEqual(
      E.right([3, 8, 7, 9])
    )
  })
})

describe('indented lines continue the value of the option above them', () => {
  it('keeps inner blank lines, skips comment lines, drops trailing blank lines (continuation.ini)', () => {
    expect(items(fixture('continuation.ini'))).toEqual(
      E.right([
        ['multi', 'first\nsecond\n\nafter-blank\nlast'],
        ['next', '1\ncontinued'],
        ['starts-below', '\non-next-line'],
      ])
    )
  })

  it('compares indentation with the option line, counting a tab as one character', () => {
    expect(items(fixture('continuation.ini'), 'tabs')).toEqual(
      E.right([
        ['deep', 'tab-indented option\nmore'],
        ['sibling', '1'],
        ['flush', '2'],
      ])
    )
  })

  it('an indented option right after a header is an ordinary option (indented-option-after-header.ini)', () => {
    expect(items(fixture('indented-option-after-header.ini'))).toEqual(E.right([['ghcr.io/a', '1']]))
  })

  it('an indented [header] below an option is part of its value (indented-header-continues.ini)', () => {
    const text = fixture('indented-header-continues.ini')
    expect(items(text)).toEqual(
      E.right([
        ['app', 'ghcr.io/a:1\n\n[internal]'],
        ['key', 'value'],
      ])
    )
    expect(hasSection(parsed(text), 'internal')).toBe(false)
  })
})

describe('only whole-line # and ; comments; inline comments stay in the value', () => {
  it('matches Python on comments.ini', () => {
    expect(items(fixture('comments.ini'))).toEqual(
      E.right([
        ['inline-hash', 'ghcr.io/a:1 # not a comment'],
        ['inline-semi', 'ghcr.io/b:2 ; not a comment'],
      ])
    )
  })
})

describe('section names are case-sensitive and run from [ to the last ]', () => {
  it('matches Python on section-names.ini', () => {
    const doc = parsed(fixture('section-names.ini'))
    expect(doc.sections.map((s) => [s.name, s.line, s.options.map((o) => [o.name, o.value])])).toEqual([
      ['images', 1, [['a', '1']]],
      ['Images', 3, [['b', '2']]],
      ['a]b', 5, [['c', '3']]],
      [' spaced ', 7, [['d', '4']]],
      ['default', 9, [['e', '5']]],
      [']', 11, [['f', '6']]],
    ])
    expect(doc.defaults).toEqual([])
  })
})

describe('lines end at \\n, \\r\\n or \\r (universal newlines)', () => {
  // Inline rather than fixtures so that no checkout setting can rewrite the line endings.
  it('matches Python on mixed line endings', () => {
    expect(items('[images]\r\na = 1\r\n  b\r\nc=2\rd=3\r')).toEqual(
      E.right([
        ['a', '1\nb'],
        ['c', '2'],
        ['d', '3'],
      ])
    )
  })

  it('counts lines the same way in errors', () => {
    expect(parseIni('[images]\r\ra=1\r\nbogus\n', { origin: 'x' })).toEqual(
      E.left(syntaxError('x', 4, 1, "expected a '[section]' header, a 'name = value' option or a comment, found 'bogus'"))
    )
  })

  it('other Unicode line separators are ordinary characters, as in Python', () => {
    expect(items('[images]\na = 1\u2028b = 2\x85c\n')).toEqual(E.right([['a', '1\u2028b = 2\x85c']]))
  })
})

describe('whitespace is what Python strips, not what JavaScript trims', () => {
  it('strips U+001C..U+001F and U+0085, keeps U+FEFF inside a line', () => {
    expect(items('[images]\n\x1ca\x85 = \xa0b\x1f\n\ufeffc = 1\n')).toEqual(
      E.right([
        ['a', 'b'],
        ['\ufeffc', '1'],
      ])
    )
  })
})

describe('a leading byte-order mark is dropped (deliberate: Python keeps it and fails)', () => {
  it('reads bom.ini, which Python rejects with MissingSectionHeaderError at line 1', () => {
    const text = fixture('bom.ini')
    expect(text.charCodeAt(0)).toBe(0xfeff)
    expect(items(text)).toEqual(E.right([['app', 'ghcr.io/org/app:v1']]))
    expect(parsed(text).sections[0]?.options[0]?.column).toBe(7)
  })
})

describe('lines that are neither header, option nor comment are errors with line and column', () => {
  const cases: ReadonlyArray<{ file: string; python: string; line: number; column: number; message: string }> = [
    {
      file: 'missing-section-header.ini',
      python: 'MissingSectionHeaderError, line 2',
      line: 2,
      column: 1,
      message: "File contains no section headers: 'image = ghcr.io/a:1' comes before any '[section]' line",
    },
    {
      file: 'no-delimiter.ini',
      python: 'ParsingError, line 3',
      line: 3,
      column: 1,
      message: "expected a '[section]' header, a 'name = value' option or a comment, found 'just-a-name'",
    },
    {
      file: 'indented-before-option.ini',
      python: 'ParsingError, line 2',
      line: 2,
      column: 5,
      message:
        "expected a '[section]' header, a 'name = value' option or a comment, found 'just-a-name'" +
        ' (an indented line continues a value only below a less indented option)',
    },
    {
      file: 'empty-name.ini',
      python: 'ParsingError, line 2',
      line: 2,
      column: 1,
      message: "option name is missing before '=' in '=ghcr.io/a:1'",
    },
    {
      file: 'empty-name-colon.ini',
      python: 'ParsingError, line 2',
      line: 2,
      column: 3,
      message: "option name is missing before ':' in ': x'",
    },
    {
      file: 'empty-brackets.ini',
      python: 'ParsingError, line 2',
      line: 2,
      column: 1,
      message:
        "expected a '[section]' header, a 'name = value' option or a comment, found '[]'" +
        " (a section header needs a name and a closing ']')",
    },
    {
      file: 'unclosed-bracket.ini',
      python: 'ParsingError, line 2',
      line: 2,
      column: 1,
      message:
        "expected a '[section]' header, a 'name = value' option or a comment, found '[other'" +
        " (a section header needs a name and a closing ']')",
    },
  ]
  it.each(cases)('$file (Python: $python)', ({ file, line, column, message }) => {
    expect(parseIni(fixture(file), { origin: file })).toEqual(E.left(syntaxError(file, line, column, message)))
  })

  it('reports the first error by line (Python prefers a later duplicate over an earlier bad line)', () => {
    expect(parseIni('[images]\nbogus\n[images]\n', { origin: 'x' })).toEqual(
      E.left(syntaxError('x', 2, 1, "expected a '[section]' header, a 'name = value' option or a comment, found 'bogus'"))
    )
  })

  it('leaves origin out when none is given', () => {
    expect(parseIni('a = 1\n')).toEqual(
      E.left({
        _tag: 'ConfigSyntaxError',
        format: 'ini',
        line: 1,
        column: 1,
        message: "File contains no section headers: 'a = 1' comes before any '[section]' line",
      })
    )
  })

  it('an empty file or one with only comments has no sections', () => {
    expect(parseIni('')).toEqual(E.right({ defaults: [], sections: [] }))
    expect(parseIni('# only\n  ; comments\n\n')).toEqual(E.right({ defaults: [], sections: [] }))
  })
})

describe('strict: a section or option may not be repeated', () => {
  const cases: ReadonlyArray<{ file: string; python: string; line: number; column: number; message: string }> = [
    {
      file: 'duplicate-section.ini',
      python: "DuplicateSectionError, line 4: section 'images' already exists",
      line: 4,
      column: 1,
      message: "section 'images' already exists (first at line 1)",
    },
    {
      file: 'duplicate-option.ini',
      python: "DuplicateOptionError, line 4: option 'app' in section 'images' already exists",
      line: 4,
      column: 1,
      message: "option 'app' in section 'images' already exists (first at line 2)",
    },
    {
      file: 'duplicate-default-option.ini',
      python: "DuplicateOptionError, line 5: option 'a' in section 'DEFAULT' already exists",
      line: 5,
      column: 1,
      message: "option 'a' in section 'DEFAULT' already exists (first at line 2)",
    },
  ]
  it.each(cases)('$file (Python: $python)', ({ file, line, column, message }) => {
    expect(parseIni(fixture(file), { origin: file })).toEqual(E.left(syntaxError(file, line, column, message)))
  })
})

describe('a file with an [internal] section is rejected, as flytekit does', () => {
  it('points at the header in internal.ini', () => {
    expect(parseIni(fixture('internal.ini'), { origin: 'internal.ini' })).toEqual(
      E.left({ _tag: 'InternalSection', origin: 'internal.ini', line: 4, column: 1 })
    )
  })

  it('syntax errors come first, as Python raises them while reading', () => {
    expect(parseIni('[internal]\nbogus\n', { origin: 'x' })).toEqual(
      E.left(syntaxError('x', 2, 1, "expected a '[section]' header, a 'name = value' option or a comment, found 'bogus'"))
    )
  })

  it('only the exact name counts', () => {
    expect(E.isRight(parseIni('[Internal]\n[ internal ]\n'))).toBe(true)
  })
})

describe('%(name)s interpolation: section then [DEFAULT], names case-insensitive, %% is %', () => {
  it('matches Python on interpolation.ini', () => {
    expect(items(fixture('interpolation.ini'))).toEqual(
      E.right([
        ['registry', 'ghcr.io'],
        ['repo', 'ghcr.io/flyteorg'],
        ['spark', 'ghcr.io/flyteorg/spark:v1.2%'],
        ['tag', 'v1.2%'],
        ['literal', '%(repo)s'],
      ])
    )
  })

  it('ten levels of references are allowed (depth-10.ini)', () => {
    expect(E.map((xs: Array<[string, string]>) => xs.map(([, v]) => v))(items(fixture('depth-10.ini')))).toEqual(
      E.right(Array.from({ length: 10 }, () => 'ok%'))
    )
  })

  it('a [DEFAULT] value sees the options of the section being read', () => {
    const text = '[DEFAULT]\nx = %(y)s\n[images]\ny = 1\n[other]\n'
    expect(items(text)).toEqual(
      E.right([
        ['x', '1'],
        ['y', '1'],
      ])
    )
    expect(items(text, 'other')).toEqual(
      E.left(
        syntaxError(
          'test.ini',
          2,
          5,
          "option 'x' in section 'other' contains an interpolation key 'y' which is not a valid option name; raw value: '%(y)s'"
        )
      )
    )
  })

  it('parsing does not interpolate: a bad value only fails when its section is read', () => {
    expect(E.isRight(parseIni(fixture('lone-percent.ini')))).toBe(true)
  })

  const cases: ReadonlyArray<{ file: string; python: string; line: number; column: number; message: string }> = [
    {
      file: 'lone-percent.ini',
      python: "InterpolationSyntaxError: '%' must be followed by '%' or '(', found: '%'",
      line: 3,
      column: 20,
      message: "option 'bad' in section 'images': '%' must be followed by '%' or '(', found: '%'",
    },
    {
      file: 'percent-s.ini',
      python: "InterpolationSyntaxError: '%' must be followed by '%' or '(', found: '%s:1'",
      line: 2,
      column: 15,
      message: "option 'bad' in section 'images': '%' must be followed by '%' or '(', found: '%s:1'",
    },
    {
      file: 'bad-reference.ini',
      python: "InterpolationSyntaxError: bad interpolation variable reference '%(name'",
      line: 2,
      column: 8,
      message: "option 'bad' in section 'images': bad interpolation variable reference '%(name'",
    },
    {
      file: 'reference-without-s.ini',
      python: "InterpolationSyntaxError: bad interpolation variable reference '%(name)'",
      line: 2,
      column: 8,
      message: "option 'bad' in section 'images': bad interpolation variable reference '%(name)'",
    },
    {
      file: 'missing-key.ini',
      python: "InterpolationMissingOptionError: ... interpolation key 'missing' which is not a valid option name",
      line: 3,
      column: 14,
      message:
        "option 'bad' in section 'images' contains an interpolation key 'missing' which is not a valid option name;" +
        " raw value: '%(ok)s/%(missing)s'",
    },
    {
      file: 'self-reference.ini',
      python: 'InterpolationDepthError: ... cannot be substituted in 10 steps',
      line: 2,
      column: 8,
      message:
        "option 'self' in section 'images' contains an interpolation key which cannot be substituted in 10 steps;" +
        " raw value: '%(self)s'",
    },
    {
      file: 'depth-11.ini',
      python: "InterpolationDepthError for option 'a1'",
      line: 2,
      column: 6,
      message:
        "option 'a1' in section 'images' contains an interpolation key which cannot be substituted in 10 steps;" +
        " raw value: '%(a2)s'",
    },
    {
      file: 'nested-error.ini',
      python: "InterpolationSyntaxError: ... found: '%z' (reported for option 'outer')",
      line: 2,
      column: 11,
      message: "option 'outer' in section 'images': '%' must be followed by '%' or '(', found: '%z'",
    },
    {
      file: 'default-error.ini',
      python: "InterpolationSyntaxError: ... found: '%oops'",
      line: 2,
      column: 10,
      message: "option 'broken' in section 'images': '%' must be followed by '%' or '(', found: '%oops'",
    },
    {
      file: 'multiline-error.ini',
      python: "InterpolationSyntaxError: ... found: '%two'",
      line: 2,
      column: 9,
      message: "option 'multi' in section 'images': '%' must be followed by '%' or '(', found: '%two'",
    },
  ]
  it.each(cases)('$file (Python: $python)', ({ file, line, column, message }) => {
    const result = E.chain((doc: IniDocument) => sectionItems(doc, 'images', { origin: file }))(parseIni(fixture(file)))
    expect(result).toEqual(E.left(syntaxError(file, line, column, message)))
  })
})

describe('a missing section is an error, as in Python; hasSection tells first', () => {
  it('returns NoSection-like error without a position', () => {
    const doc = parsed('[other]\n')
    expect(hasSection(doc, 'images')).toBe(false)
    expect(hasSection(doc, 'other')).toBe(true)
    expect(sectionItems(doc, 'images', { origin: 'x' })).toEqual(
      E.left({ _tag: 'ConfigSyntaxError', format: 'ini', origin: 'x', message: "section 'images' does not exist" })
    )
  })

  it('an empty section has no items', () => {
    expect(items('[images]\n')).toEqual(E.right([]))
  })
})

describe('option names like __proto__ and constructor are ordinary names', () => {
  it('matches Python on proto-names.ini', () => {
    expect(items(fixture('proto-names.ini'))).toEqual(
      E.right([
        ['__proto__', 'ghcr.io/a:1'],
        ['constructor', 'ghcr.io/b:2'],
        ['tostring', 'ghcr.io/a:1'],
        ['hasownproperty', 'ghcr.io/b:2'],
      ])
    )
  })

  it('a reference to an inherited Object property is still a missing key', () => {
    expect(E.isLeft(items('[images]\na = %(constructor)s\n'))).toBe(true)
    expect(E.isLeft(parseIni('[images]\n__proto__ = 1\n__PROTO__ = 2\n'))).toBe(true)
  })
})

describe('messages quote text like Python repr and stay short', () => {
  it('escapes control characters and switches quotes around an apostrophe', () => {
    expect(parseIni("[images]\nit's\x00\n", { origin: 'x' })).toEqual(
      E.left(syntaxError('x', 2, 1, `expected a '[section]' header, a 'name = value' option or a comment, found "it's\\x00"`))
    )
  })

  it('cuts long text', () => {
    const result = parseIni(`[images]\n${'x'.repeat(10_000)}\n`)
    expect(E.isLeft(result) && result.left._tag === 'ConfigSyntaxError' && result.left.message).toBe(
      `expected a '[section]' header, a 'name = value' option or a comment, found '${'x'.repeat(60)}'…`
    )
  })
})


describe('odd and large inputs work or fail cleanly, in linear time', () => {
  it('keeps NUL bytes in names and values, as Python does', () => {
    expect(items('[images]\na\x00 = b\x00c\n')).toEqual(E.right([['a\x00', 'b\x00c']]))
  })

  it('reads 100 000 options, in linear time', () => {
    const text = (n: number) => ['[images]', ...Array.from({ length: n }, (_, i) => `image${i} = ghcr.io/org/app:${i}`)].join('\n')
    const result = items(text(100_000))
    // 8 times the options may cost at most 30 times as much (linear: about 8; quadratic: 64),
    // both measured here, so machine load cancels out.
    const small = text(10_000)
    const large = text(80_000)
    expect(costRatio(() => items(small), () => items(large))).toBeLessThan(30)
    expect(E.isRight(result) && result.right.length).toBe(100_000)
    expect(E.isRight(result) && result.right[99_999]).toEqual(['image99999', 'ghcr.io/org/app:99999'])
  })

  it('reads 100 000 continuation lines and a 5 MB line', () => {
    const text = `[images]\na = 0\n${'  x\n'.repeat(100_000)}b = ${'y'.repeat(5_000_000)}\n`
    const result = items(text)
    expect(E.isRight(result) && result.right.map(([n, v]) => [n, v.length])).toEqual([
      ['a', 1 + 2 * 100_000],
      ['b', 5_000_000],
    ])
  })

  it('references that fan out are expanded once per name and depth', () => {
    // Ten levels of eight references each: Python would do 8^10 expansions.
    const fanOut = (depth: number) =>
      `[images]\n${Array.from({ length: depth }, (_, i) => `l${i} = ${`%(l${i + 1})s`.repeat(8)}`).join('\n')}\nl${depth} = \n`
    const result = items(fanOut(10))
    // Twice the depth: about twice the work when each name is expanded once; 8^5 times as much
    // when every reference is expanded again. Both measured here.
    const deep = fanOut(10)
    const shallow = fanOut(5)
    expect(costRatio(() => items(shallow), () => items(deep))).toBeLessThan(30)
    expect(E.isRight(result) && result.right.map(([, v]) => v)).toEqual(Array.from({ length: 11 }, () => ''))
  })

  it('an interpolated value longer than the limit is an error', () => {
    const levels = Array.from({ length: 9 }, (_, i) => `l${i} = ${`%(l${i + 1})s`.repeat(8)}`)
    const result = items(`[images]\n${levels.join('\n')}\nl9 = xxxx\n`)
    expect(result).toEqual(
      E.left(
        syntaxError('test.ini', 2, 6, `option 'l0' in section 'images' expands to more than ${MAX_INTERPOLATED_LENGTH} characters`)
      )
    )
  })
})
