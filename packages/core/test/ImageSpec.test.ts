import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { formatError } from '../src/errors.js'
import * as ImageSpec from '../src/ImageSpec.js'

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected a Right, got ${JSON.stringify(e.left)}`)
  return e.right
}
const leftMessage = (e: E.Either<any, unknown>): string => {
  if (E.isRight(e)) throw new Error(`expected a Left, got ${JSON.stringify(e.right, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))}`)
  return formatError(e.left)
}
const spec = (fields: unknown) => right(ImageSpec.make(fields))
const repr = (v: unknown) => right(ImageSpec.pythonRepr(v))

describe('the hashed text is Python 3.11 repr', () => {
  it.each([
    ['plain', 'abc', "'abc'"],
    ['a single quote switches to double quotes', "it's", `"it's"`],
    ['both quotes: single quotes, the single one escaped', `he said "it's"`, `'he said "it\\'s"'`],
    ['backslash, tab, newline, carriage return', 'a\\b\tc\nd\re', "'a\\\\b\\tc\\nd\\re'"],
    ['C0 controls and DEL as \\x', 'a\x01b\x7f', "'a\\x01b\\x7f'"],
    ['printable Latin-1 kept', 'café', "'café'"],
    ['non-printable Latin-1 as \\x (NBSP, NEL)', 'a\u00a0b\u0085', "'a\\xa0b\\x85'"],
    ['format characters as \\u (ZWJ, line separator)', 'a\u200db\u2028', "'a\\u200db\\u2028'"],
    ['astral printable kept', 'a\u{1F600}', "'a\u{1F600}'"],
    ['astral unassigned as \\U', 'a\u{E0080}', "'a\\U000e0080'"],
    ['a lone surrogate as \\u', 'a\ud800b', "'a\\ud800b'"],
    // Unicode 14 (Python 3.11) has no U+1E030 (Cyrillic modifier, Unicode 15): not printable there.
    ['a code point Node knows and Python 3.11 does not', '\u{1E030}', "'\\U0001e030'"],
  ])('str: %s', (_, s, expected) => expect(repr(s)).toBe(expected))

  it.each([
    [0.1, '0.1'],
    [1.5, '1.5'],
    [1e16, '1e+16'],
    [1e15, '1000000000000000.0'],
    [9999999999999998, '9999999999999998.0'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.5e300, '1.5e+300'],
    [-2.5e-7, '-2.5e-07'],
    [123456.789, '123456.789'],
    [-0, '-0.0'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [NaN, 'nan'],
    [5e-324, '5e-324'],
  ])('float %s is %s', (x, expected) => expect(repr(ImageSpec.pyFloat(x))).toBe(expected))

  it('ints, bools, None, lists and dicts', () => {
    expect(repr([1, 12345678901234567890n, true, false, null, [], {}, [[1, 2], { k: 'v' }]])).toBe(
      "[1, 12345678901234567890, True, False, None, [], {}, [[1, 2], {'k': 'v'}]]",
    )
    expect(repr(ImageSpec.pyDict([[1n, 'a'], [ImageSpec.pyFloat(2), null], [true, ImageSpec.pyFloat(3)]]))).toBe("{1: 'a', 2.0: None, True: 3.0}")
  })

  it('an int of more than 4300 digits is refused, as Python refuses to write it', () => {
    expect(leftMessage(ImageSpec.pythonRepr(10n ** 4300n))).toContain('4300 digits')
    expect(repr(10n ** 4299n)).toHaveLength(4300)
  })

  it('dates and datetimes, naive and aware', () => {
    const dt = (o: Partial<ImageSpec.PyDateTime>): ImageSpec.PyDateTime => ({
      _tag: 'PyDateTime', year: 2024, month: 1, day: 1, hour: 10, minute: 20, second: 0, microsecond: 0, ...o,
    })
    expect(repr({ _tag: 'PyDate', year: 2024, month: 1, day: 1 })).toBe('datetime.date(2024, 1, 1)')
    expect(repr(dt({}))).toBe('datetime.datetime(2024, 1, 1, 10, 20)')
    expect(repr(dt({ second: 30 }))).toBe('datetime.datetime(2024, 1, 1, 10, 20, 30)')
    expect(repr(dt({ microsecond: 5 }))).toBe('datetime.datetime(2024, 1, 1, 10, 20, 0, 5)')
    expect(repr(dt({ offsetSeconds: 0 }))).toBe('datetime.datetime(2024, 1, 1, 10, 20, tzinfo=datetime.timezone.utc)')
    expect(repr(dt({ offsetSeconds: 18000 }))).toBe(
      'datetime.datetime(2024, 1, 1, 10, 20, tzinfo=datetime.timezone(datetime.timedelta(seconds=18000)))',
    )
    expect(repr(dt({ offsetSeconds: -5400 }))).toBe(
      'datetime.datetime(2024, 1, 1, 10, 20, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=81000)))',
    )
  })

  it('a value that contains itself is refused', () => {
    const a: unknown[] = []
    a.push(a)
    expect(leftMessage(ImageSpec.pythonRepr(a))).toContain('contains itself')
  })
})

describe('name and registry are lowercased as Python 3.11 does', () => {
  it.each([
    ['ASCII', 'My-Image', 'my-image'],
    ['a final sigma', 'ΣΑΣ', 'σας'],
    ['a sigma between letters', 'ΑΣΑ', 'ασα'],
    ['a sigma alone', 'Σ', 'σ'],
    ['a sigma after a letter and an apostrophe-like ignorable', 'Α\u00adΣ', 'α\u00adς'],
    ['dotted capital I becomes two code points', 'İ', 'i\u0307'],
    ['the Kelvin sign', '\u212a', 'k'],
  ])('%s', (_, s, expected) => expect(ImageSpec.pythonLower(s)).toBe(expected))
})

describe('make is ImageSpec(**fields)', () => {
  it('applies the defaults and lowercases name and registry', () => {
    const s = spec({ registry: 'GHCR.io/Acme' })
    expect([s.name, s.platform, s.registry, s.packages]).toStrictEqual(['flytekit', 'linux/amd64', 'ghcr.io/acme', null])
  })
  it('an unknown key names the closest known one', () => {
    expect(leftMessage(ImageSpec.make({ name: 'a', pakages: ['x'] }))).toBe(
      "ImageSpec pakages: unknown key (flytekit: ImageSpec.__init__() got an unexpected keyword argument 'pakages'). Did you mean packages?",
    )
  })
  it('a name that is not a string', () => {
    expect(leftMessage(ImageSpec.make({ name: 123 }))).toBe('ImageSpec name: must be a string, not int (flytekit calls name.lower())')
  })
  it.each(['ghcr.io/ac me', 'ghcr.io//x', 'Bad Registry', 'a:123456'])('an invalid registry %j (flytekit rule)', (r) => {
    expect(leftMessage(ImageSpec.make({ registry: r }))).toContain('Invalid container registry name')
  })
  it.each(['localhost:30000', 'ghcr.io/flyteorg', 'docker.io/user', 'my-registry:5000/a/b', 'ghcr.io/x\n'])('a valid registry %j', (r) => {
    expect(E.isRight(ImageSpec.make({ registry: r }))).toBe(true)
  })
  it('a registry with non-ASCII characters is refused rather than checked differently', () => {
    expect(leftMessage(ImageSpec.make({ registry: 'ghcr.io/café' }))).toContain("Python's Unicode")
  })
  it('lists of strings', () => {
    expect(leftMessage(ImageSpec.make({ packages: ['a', 1] }))).toContain('packages must be a list of strings or None')
    expect(leftMessage(ImageSpec.make({ commands: 'echo' }))).toContain('commands must be a list of strings or None')
  })
  it('pip_secret_mounts: only an empty list can come from a file (no tuples)', () => {
    expect(E.isRight(ImageSpec.make({ pip_secret_mounts: [] }))).toBe(true)
    expect(leftMessage(ImageSpec.make({ pip_secret_mounts: [['a', 'b']] }))).toContain('tuples')
  })
  it('source_root: the tag cannot be known outside the Python process', () => {
    expect(leftMessage(ImageSpec.make({ source_root: '.' }))).toContain('cannot be known outside that process')
    expect(leftMessage(ImageSpec.make({ source_copy_mode: 'all' }))).toContain('must be set when copy is set')
  })
  it('not a mapping', () => {
    expect(leftMessage(ImageSpec.make(['a']))).toContain('must be a mapping')
    expect(leftMessage(ImageSpec.make(null))).toContain('not NoneType')
  })
})

describe('id, tag and imageName', () => {
  it('the examples in the doc comments', () => {
    expect(E.chain(ImageSpec.imageName)(ImageSpec.make({ name: 'My-Image', registry: 'GHCR.io/Acme' }))).toStrictEqual(
      E.right('ghcr.io/acme/my-image:UAzCTdt7HGmMWcCqlu9KiQ'),
    )
    expect(E.map(ImageSpec.id)(ImageSpec.make({ name: 'app', python_version: 3 }))).toStrictEqual(E.right('kaJOvGzksS_L8BJPi4WhAA'))
    expect(E.chain(ImageSpec.tag)(ImageSpec.make({ name: 'app', tag_format: '{spec_hash:.8}' }))).toStrictEqual(E.right('n5S0QLoh'))
    expect(E.chain(ImageSpec.imageName)(ImageSpec.make({ name: 'app', registry: 'localhost:30000' }))).toStrictEqual(
      E.right('localhost:30000/app:nBQZDJJE_a9WyktBmlvmJA'),
    )
    expect(ImageSpec.pythonRepr(["it's", ImageSpec.pyFloat(1e16), 0.0001, null])).toStrictEqual(E.right(`["it's", 1e+16, 0.0001, None]`))
  })
  it('the id leaves out builder, runtime_packages and pip_secret_mounts; the tag also registry_config', () => {
    const s = spec({ name: 'app', builder: 'envd', runtime_packages: ['rich'], registry_config: '/tmp/config.json' })
    expect(ImageSpec.idText(s)).toBe("{'name': 'app', 'platform': 'linux/amd64', 'registry_config': '/tmp/config.json'}")
    expect(ImageSpec.tagText(s)).toStrictEqual(E.right("{'name': 'app', 'platform': 'linux/amd64'}"))
  })
  it('requirements and copy need their digests for the tag, not for the id', () => {
    const s = spec({ name: 'app', requirements: 'r.txt', copy: ['src'] })
    expect(ImageSpec.id(s)).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(leftMessage(ImageSpec.tag(s))).toContain('files.copy')
    expect(ImageSpec.tagText(s, { requirements: 'abc', copy: 'def' })).toStrictEqual(
      E.right("{'name': 'app', 'requirements': 'abc', 'platform': 'linux/amd64', 'copy': 'def'}"),
    )
  })
  it('requirementsDigest strips ASCII whitespace only', () => {
    const bytes = (s: string) => new Uint8Array([...s].map((c) => c.charCodeAt(0)))
    // The vector spec-requirements-crlf: "pandas\r\nnumpy\r\n".
    expect(ImageSpec.requirementsDigest(bytes('pandas\r\nnumpy\r\n'))).toBe('b6ceff9b5d908cd55e6795b7da25ae2405141bdd')
    expect(ImageSpec.requirementsDigest(bytes(' \t\x0b\x0cpandas\r\nnumpy'))).toBe('b6ceff9b5d908cd55e6795b7da25ae2405141bdd')
    expect(ImageSpec.requirementsDigest(bytes('\xa0pandas\r\nnumpy'))).not.toBe('b6ceff9b5d908cd55e6795b7da25ae2405141bdd')
  })
  it('copyDigest hashes bytes then the path without separators (spec-copy-dir)', () => {
    const bytes = (s: string) => new Uint8Array([...s].map((c) => c.charCodeAt(0)))
    const files = [
      { bytes: bytes("print('a')\n"), path: 'a.py' },
      { bytes: bytes('b\n'), path: 'b.txt' },
      { bytes: bytes('c = 1\n'), path: 'sub/c.py' },
    ]
    expect(ImageSpec.copyDigest(files)).toBe('e0bcb35fad072618fd163b5cf18f6ff6')
    expect(ImageSpec.copyDigest([])).toBe('d41d8cd98f00b204e9800998ecf8427e')
  })
})

describe('tag_format is Python str.format(spec_hash=…)', () => {
  const tagOf = (tag_format: string) => E.chain(ImageSpec.tag)(ImageSpec.make({ name: 'app', tag_format }))
  it.each([
    ['{spec_hash}-dev', (h: string) => `${h}-dev`],
    ['{{x}}-{spec_hash}', (h: string) => `{x}-${h}`],
    ['{spec_hash:.8}', (h: string) => h.slice(0, 8)],
    ['{spec_hash:>30}', (h: string) => h.padStart(30)],
    ['{spec_hash:*^27}', (h: string) => `**${h}***`],
    ['{spec_hash:030}', (h: string) => h.padEnd(30, '0')],
    ['{spec_hash!r}', (h: string) => `'${h}'`],
    ['{spec_hash!a:>25}', (h: string) => `'${h}'`.padStart(25)],
    ['{spec_hash:.{spec_hash}}', undefined],
    ['v1', () => 'v1'],
  ])('%s', (format, expected) => {
    const s = spec({ name: 'app', tag_format: format })
    const h = ImageSpec.id(s).replace(/-/g, '_')
    if (expected !== undefined) expect(right(ImageSpec.tag(s))).toBe(expected(h))
    else expect(leftMessage(ImageSpec.tag(s))).toContain('is not a format string Python accepts')
  })
  it.each([
    ['{name}', 'names the field {name}'],
    ['{}', 'Replacement index 0'],
    ['{spec_hash', "expected '}' before end of string"],
    ['}', "Single '}'"],
    ['{spec_hash:+}', 'Sign not allowed'],
    ['{spec_hash:d}', "Unknown format code 'd'"],
    ['{spec_hash!x}', 'Unknown conversion specifier x'],
    ['{spec_hash.upper}', 'not supported'],
  ])('%s is an error', (format, message) => {
    expect(leftMessage(tagOf(format))).toContain(message)
  })
})
