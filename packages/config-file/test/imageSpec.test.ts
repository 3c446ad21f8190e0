import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { formatConfigError as formatError } from '../src/errors.js'
import * as ImageSpec from '@imgcfg/core/ImageSpec'
import * as O from 'fp-ts/lib/Option.js'
import { loadImageSpec, loadImageSpecIfFile, memoryFileSystem, parseImageSpecText, safeLoad, type ImageSpecFiles } from '../src/index.js'

const load = (text: string): string => {
  const r = safeLoad(text)
  if (!r.ok) return `error: ${r.problem.message}`
  return E.getOrElse((e: any) => `repr error ${formatError(e)}`)(ImageSpec.pythonRepr(r.loaded.value))
}
const error = (text: string): string => {
  const r = parseImageSpecText(text, { origin: 'spec.yaml' })
  if (E.isRight(r)) throw new Error(`expected an error for ${JSON.stringify(text)}`)
  return formatError(r.left)
}

describe('YAML is read as PyYAML safe_load reads it (YAML 1.1)', () => {
  it.each([
    ['booleans of YAML 1.1', 'a: [yes, No, ON, off, true, y, n]', "{'a': [True, False, True, False, True, 'y', 'n']}"],
    ['octal with a leading 0, not 0o', 'a: [017, 0o17, 08, 0b101, 0x1F, 0X1F]', "{'a': [15, '0o17', '08', 5, 31, '0X1F']}"],
    ['underscores and sexagesimal', 'a: [1_000, 1:30, -1:30, 1:30.5, 190:20:30.15]', "{'a': [1000, 90, -90, 90.5, 685230.15]}"],
    ['floats need a dot and a signed exponent', 'a: [1e22, 1.5e300, 1.0e+16, -.5, .5, 1., 1.0e16]', "{'a': ['1e22', '1.5e300', 1e+16, '-.5', 0.5, 1.0, '1.0e16']}"],
    ['inf and nan', 'a: [.inf, -.Inf, .NaN]', "{'a': [inf, -inf, nan]}"],
    ['nulls', 'a: [~, null, Null, ""]\nb:', "{'a': [None, None, None, ''], 'b': None}"],
    ['big ints', 'a: 123456789012345678901234567890', "{'a': 123456789012345678901234567890}"],
    ['dates and datetimes', 'a: [2024-01-01, 2024-1-1, 2024-01-01 10:20:30, 2024-01-01T10:20:30.5Z, 2001-12-14t21:59:43.10-05:00]',
      "{'a': [datetime.date(2024, 1, 1), '2024-1-1', datetime.datetime(2024, 1, 1, 10, 20, 30), datetime.datetime(2024, 1, 1, 10, 20, 30, 500000, tzinfo=datetime.timezone.utc), datetime.datetime(2001, 12, 14, 21, 59, 43, 100000, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=68400)))]}"],
    ['quoted scalars stay strings', "a: ['1', \"true\", '~']", "{'a': ['1', 'true', '~']}"],
    ['explicit core tags', 'a: [!!str 1, !!int "3", !!float "1.5", !!bool "yes", !!null "x"]', "{'a': ['1', 3, 1.5, True, None]}"],
    ['1, 1.0 and true are one key: the first key, the last value', 'x: {1: a, 1.0: b, true: c, "1": d}', "{'x': {1: 'c', '1': 'd'}}"],
    ['merge keys, own keys win', 'b: &b {x: 1, y: 2}\nc: {<<: *b, y: 3}', "{'b': {'x': 1, 'y': 2}, 'c': {'x': 1, 'y': 3}}"],
    ['merge of a list: earlier mappings win', 'p: &p {x: 1}\nq: &q {x: 2, z: 3}\nc: {<<: [*p, *q]}', "{'p': {'x': 1}, 'q': {'x': 2, 'z': 3}, 'c': {'x': 1, 'z': 3}}"],
    ['= as a key is the string', 'x: {=: 1}', "{'x': {'=': 1}}"],
    ['aliases share a value', 'a: &a [1]\nb: *a', "{'a': [1], 'b': [1]}"],
  ])('%s', (_, text, expected) => expect(load(text)).toBe(expected))

  it.each([
    ['= as a value', 'a: =', "could not determine a constructor for the tag 'tag:yaml.org,2002:value'"],
    ['a date that does not exist', 'a: 2023-02-29', 'day is out of range'],
    ['a hex int with no digit', 'a: 0x_', 'invalid literal for int()'],
    ['an unhashable key', '? [a]\n: b', 'found unhashable key'],
    ['two documents', 'a: 1\n---\nb: 2', 'expected a single document'],
    ['a control character', 'a: "x\x01"', 'unacceptable character #x0001'],
    ['a raw YAML 1.1 line break', 'a: x\u2028y', 'is a line break in YAML 1.1'],
    ['a surrogate escape', 'a: "\\ud83d\\ude00"', 'surrogate escape'],
    ['a recursive alias', 'a: &a [*a]', 'recursive alias'],
    ['!!binary', 'a: !!binary aGk=', 'not supported'],
    ['an unknown tag', 'a: !foo x', "could not determine a constructor for the tag '!foo'"],
    ['a lone - in a flow collection (PyYAML: the string)', 'a: [-, {b: -}]', "a lone - in a flow collection ([-] or {a: -}) is the string '-' for PyYAML"],
  ])('%s is an error', (_, text, message) => expect(load(text)).toContain(message))
})

describe('parseImageSpecText: clear errors with the file, the key, the line and the column', () => {
  it('an unknown key names the closest known one', () => {
    expect(error('name: app\npakages: [x]\n')).toBe(
      "spec.yaml:2:1: ImageSpec pakages: unknown key (flytekit: ImageSpec.__init__() got an unexpected keyword argument 'pakages'). Did you mean packages?",
    )
  })
  it('a wrong type, at its value', () => {
    expect(error('name: 123\n')).toBe('spec.yaml:1:7: ImageSpec name: must be a string, not int (flytekit calls name.lower())')
    expect(error('name: app\npackages: [a, 1]\n')).toBe(
      "spec.yaml:2:11: ImageSpec packages: packages must be a list of strings or None, not ['a', 1]",
    )
  })
  it('an invalid registry (flytekit rule)', () => {
    expect(error("name: app\nregistry: 'ghcr.io/ac me'\n")).toContain("spec.yaml:2:11: ImageSpec registry: Invalid container registry name: 'ghcr.io/ac me'.")
  })
  it('a tag_format with a field other than spec_hash', () => {
    expect(error("name: app\ntag_format: '{name}-{spec_hash}'\n")).toBe(
      "spec.yaml:2:13: ImageSpec tag_format: '{name}-{spec_hash}' names the field {name}; the only field flytekit passes is {spec_hash} (KeyError: 'name').",
    )
  })
  it('source_root: the tag cannot be known outside Python', () => {
    expect(error('name: app\nsource_root: .\n')).toContain('spec.yaml:2:14: ImageSpec source_root: the image tag hashes the files of the Python modules')
  })
  it('YAML syntax errors with line and column', () => {
    expect(error('name: app\n  bad: [\n')).toMatch(/^spec\.yaml:\d+:\d+: /)
  })
  it('not a mapping', () => {
    expect(error('- a\n')).toContain('spec.yaml:1:1: ImageSpec must be a mapping')
    expect(error('')).toContain('not NoneType')
  })
  it('a problem before parsing still has its line and column', () => {
    expect(error('name: app\nenv: {x: "a\u2028b"}\n')).toMatch(/^spec\.yaml:2:12: /)
  })
})

describe('large values are refused with a located error of one sentence, in bounded work', () => {
  const spec = (env: string): string => `name: app\nenv: ${env}\n`
  const laughs = (copy: (alias: string) => string): string =>
    ['name: app', 'env:', '  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
      ...'bcdefghi'.split('').map((n, i) => `  ${n}: &${n} ${copy('abcdefgh'[i]!)}`)].join('\n') + '\n'
  const PREFIX = "ImageSpec YAML, read as PyYAML's safe_load reads it: "

  it.each([
    ['an int of 4301 digits (Python 3.11: ValueError)', spec('1'.repeat(4301)), '2:6',
      'an int of 4301 digits: Python 3.11 reads at most 4300 (ValueError: Exceeds the limit (4300 digits) for integer string conversion), so flytekit fails on this file too'],
    ['a hex int repr cannot write in decimal', spec(`0x${'f'.repeat(4000)}`), '2:6',
      'an int of more than 4300 decimal digits: Python 3.11 reads it, but repr refuses to write it (ValueError: Exceeds the limit (4300 digits) for integer string conversion), so flytekit fails when it hashes this file'],
    ['a sexagesimal int of 3 000 parts', spec(`1${':59'.repeat(3000)}`), '2:6',
      'an int of more than 4300 decimal digits: Python 3.11 reads it, but repr refuses to write it (ValueError: Exceeds the limit (4300 digits) for integer string conversion), so flytekit fails when it hashes this file'],
    ['a billion laughs (nine aliases of nine aliases …)', laughs((a) => `[${Array(9).fill(`*${a}`).join(', ')}]`), '9:9',
      'this value holds more than 1 000 000 values once its aliases are expanded; PyYAML shares them, but flytekit writes every copy into the text it hashes (a "billion laughs" document hangs it), so imgcfg stops here'],
    ['a billion laughs through merge keys', laughs((a) => `{<<: [${Array(9).fill(`*${a}`).join(', ')}]}`).replace('[lol, lol, lol, lol, lol, lol, lol, lol, lol]', '{a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9}'), '6:10',
      'merge keys (<<) here copy more than 1 000 000 pairs, merges of merges included; imgcfg stops here'],
    ['one long string aliased many times', `name: app\nenv:\n  a: &a "${'x'.repeat(1_000_000)}"\n  b: [${Array(20).fill('*a').join(', ')}]\n`, '4:6',
      'the strings of this value hold more than 16 777 216 characters once its aliases are expanded; flytekit writes every copy into the text it hashes, so imgcfg stops here'],
    ['201 nested flow sequences (the mapping around them is the first level)', spec(`${'['.repeat(201)}${']'.repeat(201)}`), '2:205',
      "values nested more than 200 deep (aliases included): imgcfg reads at most 200 levels (PyYAML and Python's repr fail near 490 with RecursionError)"],
    ['a megabyte of [', spec('['.repeat(1_000_000)), '2:205',
      "values nested more than 200 deep (aliases included): imgcfg reads at most 200 levels (PyYAML and Python's repr fail near 490 with RecursionError)"],
    ['201 compact block sequences', `name: app\nenv:\n${'- '.repeat(201)}x\n`, '3:399',
      "values nested more than 200 deep (aliases included): imgcfg reads at most 200 levels (PyYAML and Python's repr fail near 490 with RecursionError)"],
    ['a chain of 300 merges', `name: app\nenv:\n  m0: &m0 {x: 1}\n${Array.from({ length: 300 }, (_, i) => `  m${i + 1}: &m${i + 1} {<<: *m${i}}`).join('\n')}\n`, '203:15',
      "values nested more than 200 deep (aliases included): imgcfg reads at most 200 levels (PyYAML and Python's repr fail near 490 with RecursionError)"],
    ['nesting reached through an alias', `name: app\nenv:\n  a: &a ${'['.repeat(150)}${']'.repeat(150)}\n  b: [[[[${'['.repeat(50)}*a${']'.repeat(54)}\n`, '4:60',
      "values nested more than 200 deep (aliases included): imgcfg reads at most 200 levels (PyYAML and Python's repr fail near 490 with RecursionError)"],
  ])('%s', (_, text, at, message) => expect(error(text)).toBe(`spec.yaml:${at}: ${PREFIX}${message}`))

  describe('nesting made by indentation is counted before parsing, so it is refused at the first entry 201 levels deep', () => {
    const TOO_DEEP = "values nested more than 200 deep (aliases included): imgcfg reads at most 200 levels (PyYAML and Python's repr fail near 490 with RecursionError)"
    // Level 1 is the spec's mapping, level 2 env's value (line 3), so level 201 is on line 202.
    const maps = (levels: number): string => `name: app\nenv:\n${Array.from({ length: levels }, (_, i) => `${' '.repeat(i + 1)}a:\n`).join('')}`
    const seqs = (levels: number): string => `name: app\nenv:\n${Array.from({ length: levels }, (_, i) => `${' '.repeat(2 * i)}-\n`).join('')}`
    // `- a:` opens two levels a line: a sequence, and a mapping at the column after its dash.
    const mixed = (lines: number): string => `name: app\nenv:\n${Array.from({ length: lines }, (_, i) => `${' '.repeat(2 * i)}- a:\n`).join('')}`

    it.each([
      ['mappings, one a line, 5 000 deep', maps(5_000), '202:201'],
      ['sequences, one a line, 5 000 deep', seqs(5_000), '202:399'],
      ['a sequence and a mapping a line, 5 000 lines', mixed(5_000), '102:201'],
    ])('%s', (_, text, at) => expect(error(text)).toBe(`spec.yaml:${at}: ${PREFIX}${TOO_DEEP}`))

    it('the line is the same however much deeper the document goes', () => {
      expect(error(maps(200))).toBe(error(maps(10_000)))
      expect(error(seqs(200))).toBe(error(seqs(3_000)))
    })
    it('200 levels are read', () => {
      expect(E.isRight(parseImageSpecText(maps(199)))).toBe(true)
      expect(E.isRight(parseImageSpecText(seqs(199)))).toBe(true)
    })
    it('indentation that opens no collection is not counted (block and multi-line scalars, flow over lines, siblings)', () => {
      const stairs = (n: number, from: number) => Array.from({ length: n }, (_, i) => `${' '.repeat(from + i)}x\n`).join('')
      const text = [
        'name: app',
        'env:',
        `  block: |\n${stairs(300, 4)}`.trimEnd(),
        `  plain: a\n${stairs(300, 4)}`.trimEnd(),
        `  flow: [\n${stairs(300, 4).replace(/x/g, 'x,')}    ]`,
        ...Array.from({ length: 300 }, (_, i) => `  k${i}:\n  - ${i}\n  - a: 1\n    b: 2`),
      ].join('\n')
      expect(E.isRight(parseImageSpecText(`${text}\n`))).toBe(true)
    })
  })

  it('200 levels and 4300 digits are still read', () => {
    expect(E.isRight(parseImageSpecText(spec(`${'['.repeat(199)}${']'.repeat(199)}`)))).toBe(true)
    expect(load(spec('9'.repeat(4300)))).toBe(`{'name': 'app', 'env': ${'9'.repeat(4300)}}`)
  })

  it('a message quotes at most 40 characters of the document', () => {
    expect(error(spec(`!!int "${'1'.repeat(5000)}x"`))).toBe(
      `spec.yaml:2:12: ${PREFIX}imgcfg reads !!int only in the forms PyYAML resolves by itself, not '${'1'.repeat(40)}…'`,
    )
  })
})

describe('loadImageSpec reads the files a spec names, relative to the working directory', () => {
  const layout = (files: Record<string, string | Uint8Array>): string => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'imgcfg-spec-')))
    for (const [p, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, p)), { recursive: true })
      writeFileSync(join(dir, p), text)
    }
    return dir
  }
  const tagText = (dir: string, spec = 'spec.yaml') => {
    const r = loadImageSpec(spec, { cwd: dir })
    if (E.isLeft(r)) throw new Error(formatError(r.left))
    return r.right.hashed.tag
  }

  it('an ImageSpec file that cannot be read is called an ImageSpec file, not a config file', () => {
    const dir = layout({ 'latin1.yaml': Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a]) })
    for (const [path, reason] of [['missing.yaml', 'no such file'], ['latin1.yaml', 'read failed (the file is not UTF-8 text)']] as const) {
      const r = loadImageSpec(path, { cwd: dir })
      expect(E.isLeft(r) && formatError(r.left)).toBe(`Cannot read ImageSpec file "${path}": ${reason}.`)
    }
  })

  it('requirements beside the spec but not in the working directory: a clear error naming the file', () => {
    const dir = layout({ 'specs/r.txt': 'pandas\n', 'specs/gpu.yaml': 'name: app\nrequirements: r.txt\n' })
    const r = loadImageSpec('specs/gpu.yaml', { cwd: dir })
    expect(E.isLeft(r) && formatError(r.left)).toContain(
      `specs/gpu.yaml:2:15: ImageSpec requirements: cannot read "r.txt": no such file. flytekit reads it relative to the working directory (${dir}), not to the spec file's folder.`,
    )
  })
  it('copy: missing entries are skipped, a listed file is hashed under its base name', () => {
    const dir = layout({ 'spec.yaml': 'name: app\ncopy: [missing.py, src/a.py]\n', 'src/a.py': "print('a')\n" })
    expect(tagText(dir)).toBe("{'name': 'app', 'platform': 'linux/amd64', 'copy': 'fa0b56c72e11f19b50d85dbe087af3dd'}")
  })
  it('copy: a symlinked directory inside a walked one is not followed; a broken link is skipped', () => {
    const dir = layout({ 'spec.yaml': 'name: app\ncopy: src\n', 'src/a.py': "print('a')\n", 'other/x.py': 'x\n' })
    symlinkSync(join(dir, 'other'), join(dir, 'src', 'linked'))
    symlinkSync(join(dir, 'nowhere'), join(dir, 'src', 'broken'))
    const expected = ImageSpec.copyDigest([{ bytes: new TextEncoder().encode("print('a')\n"), path: 'a.py' }])
    expect(tagText(dir)).toContain(`'copy': '${expected}'`)
  })
  it('copy: directories are visited in the order the file system lists them (not sorted), files sorted', () => {
    const listed: Record<string, Array<{ name: string; isDirectory: boolean }>> = {
      '/w/src': [
        { name: 'z', isDirectory: true },
        { name: 'b.py', isDirectory: false },
        { name: 'a', isDirectory: true },
        { name: 'a.py', isDirectory: false },
      ],
      '/w/src/z': [{ name: 'f', isDirectory: false }],
      '/w/src/a': [{ name: 'f', isDirectory: false }],
    }
    const bytes: Record<string, string> = { '/w/src/b.py': 'b', '/w/src/a.py': 'a', '/w/src/z/f': 'z', '/w/src/a/f': 'A' }
    const files: ImageSpecFiles = {
      readBytes: (p) => (p in bytes ? E.right(new TextEncoder().encode(bytes[p])) : E.left('no such file')),
      kind: (p) => (p in listed ? 'directory' : p in bytes ? 'file' : 'missing'),
      isSymlink: () => false,
      list: (p) => E.right(listed[p]),
    }
    const fs = { readText: () => E.right('name: app\ncopy: src\n'), exists: () => true, isDirectory: () => false, writeAtomically: () => E.right(undefined) }
    const r = loadImageSpec('spec.yaml', { cwd: '/w', fs, files })
    const enc = (s: string) => new TextEncoder().encode(s)
    const expected = ImageSpec.copyDigest([
      { bytes: enc('a'), path: 'a.py' },
      { bytes: enc('b'), path: 'b.py' },
      { bytes: enc('z'), path: 'z/f' },
      { bytes: enc('A'), path: 'a/f' },
    ])
    expect(E.map((l: any) => l.hashed.tag)(r)).toStrictEqual(E.right(`{'name': 'app', 'platform': 'linux/amd64', 'copy': '${expected}'}`))
  })
  it('the spec file is read with universal newlines, as Python text mode does', () => {
    const dir = layout({ 'spec.yaml': 'name: app\r\nenv: {A: "x\r\n  y"}\r\n' })
    expect(tagText(dir)).toBe("{'name': 'app', 'env': {'A': 'x y'}, 'platform': 'linux/amd64'}")
  })
})

describe('loadImageSpecIfFile: an --image value is an ImageSpec file exactly when it names an existing file (os.path.isfile)', () => {
  const fs = memoryFileSystem(
    { '/w/spec.yaml': 'name: app\nregistry: ghcr.io/acme\n', '/w/specs/gpu.yaml': 'name: gpu\n', '/w/bad.yaml': 'name: app\npakages: [x]\n' },
    ['/w/dir.yaml'],
  )
  const name = (path: string, cwd = '/w'): string => {
    const r = loadImageSpecIfFile(path, { cwd, fs })
    if (E.isLeft(r)) return `error: ${formatError(r.left)}`
    return O.isSome(r.right) ? r.right.value.imageName : 'none'
  }

  it('a file, relative to the working directory or absolute, is loaded', () => {
    expect(name('spec.yaml')).toBe('ghcr.io/acme/app:UbdoWsqEBfItTdIotzhtWw')
    expect(name('/w/spec.yaml', '/elsewhere')).toBe('ghcr.io/acme/app:UbdoWsqEBfItTdIotzhtWw')
    expect(name('../specs/gpu.yaml', '/w/dir.yaml')).toMatch(/^gpu:/)
  })
  it('a name that is not a file (an image, a missing path, a directory) is None', () => {
    expect(name('ubuntu:22.04')).toBe('none')
    expect(name('missing.yaml')).toBe('none')
    expect(name('dir.yaml')).toBe('none')
    expect(name('spec.yaml', '/other')).toBe('none')
  })
  it('a file that is not a good spec is a Left with its place', () => {
    expect(name('bad.yaml')).toBe(
      "error: bad.yaml:2:1: ImageSpec pakages: unknown key (flytekit: ImageSpec.__init__() got an unexpected keyword argument 'pakages'). Did you mean packages?",
    )
  })
})
