/** Task image templates: the scanner on Python text, and the walker on a real directory tree. */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { costRatio } from '@imgcfg/test-utils/cost'
import { afterAll, describe, expect, it } from 'vitest'
import { mayContainTemplates, scanTaskFiles, scanTaskTemplates } from '../src/index.js'

const GPU = '{{.image.gpu.fqn}}:{{.image.gpu.version}}'

describe('scanTaskTemplates', () => {
  it('finds a container_image template with its line, column and placeholders', () => {
    const text = `from flytekit import task\n\n@task(container_image="${GPU}")\ndef train(): ...\n`
    const [t, ...rest] = scanTaskTemplates(text)
    expect(rest).toEqual([])
    expect(t).toMatchObject({ template: GPU, line: 3, column: 24 })
    expect(text.slice(t!.offset, t!.offset + GPU.length)).toBe(GPU)
    expect(t!.placeholders.map((p) => [p.name, p.attribute, p.offset, p.line, p.column])).toEqual([
      ['gpu', 'fqn', 0, 3, 24],
      ['gpu', 'version', 19, 3, 43],
    ])
  })
  it.each([
    ['single quotes', `x = '${GPU}'`],
    ['double quotes', `x = "${GPU}"`],
    ['an r prefix', `x = r"${GPU}"`],
    ['an f-string', `x = f'${GPU}'`],
    ['triple quotes', `x = """${GPU}"""`],
    ["triple single quotes", `x = '''${GPU}'''`],
  ])('%s', (_name, text) => {
    expect(scanTaskTemplates(text).map((t) => [t.template, t.column])).toEqual([[GPU, text.indexOf(GPU) + 1]])
  })
  it('records the string prefix as written; a token before the quote is not one', () => {
    const text = `a = f"{{.image.a}}"\nb = Rb'{{.image.b}}'\nc = "{{.image.c}}"\nif"{{.image.d}}": ...\n# {{.image.e}}`
    expect(scanTaskTemplates(text).map((t) => t.prefix)).toEqual(['f', 'Rb', '', '', undefined])
  })

  it('several templates on one line, and escapes inside a literal', () => {
    const text = `a("{{.image.x}}", '{{.images.y.fqn}}:1', "say \\"{{.image.z}}\\"")`
    expect(scanTaskTemplates(text).map((t) => t.template)).toEqual(['{{.image.x}}', '{{.images.y.fqn}}:1', 'say \\"{{.image.z}}\\"'])
  })
  it('a triple-quoted template over lines, CRLF and CR line ends', () => {
    const text = 'x = 1\r\ny = """\r\n  {{.image.a}}\r\n"""\rz = "{{.image.b}}"'
    const found = scanTaskTemplates(text)
    expect(found.map((t) => [t.line, t.column])).toEqual([
      [2, 8],
      [5, 6],
    ])
    expect(found[0]!.placeholders.map((p) => [p.line, p.column])).toEqual([[3, 3]])
  })
  it('case-insensitive .IMAGE and spaces, as flytekit matches them', () => {
    expect(scanTaskTemplates('x = "{{ .IMAGE.gpu.FQN }}"')[0]!.placeholders.map((p) => [p.name, p.attribute])).toEqual([['gpu', 'FQN']])
  })
  it('a placeholder outside any string (a comment, code) is reported alone', () => {
    const text = '# image: {{.image.gpu}}\nx = 1'
    expect(scanTaskTemplates(text).map((t) => [t.template, t.line, t.column])).toEqual([['{{.image.gpu}}', 1, 10]])
  })
  it('no placeholder, no template; not a string, nothing', () => {
    expect(scanTaskTemplates('x = "{{.imagex}}" # {{ foo }}')).toEqual([])
    expect(scanTaskTemplates(42 as unknown as string)).toEqual([])
  })
  it('property: every template and placeholder points at its text; never throws', () => {
    const piece = fc.oneof(fc.constantFrom('"', "'", '"""', '#', '\\', '\n', '\r\n', 'x = ', '{{.image.gpu.fqn}}', '{{ .images.a }}', 'r', 'f'), fc.string({ maxLength: 4 }))
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
        const text = parts.join('')
        const lines = text.split(/\r\n|\r|\n/)
        for (const t of scanTaskTemplates(text)) {
          expect(text.slice(t.offset, t.offset + t.template.length)).toBe(t.template)
          expect(lines[t.line - 1]!.slice(t.column - 1).startsWith(t.template.split(/\r\n|\r|\n/)[0]!)).toBe(true)
          for (const p of t.placeholders) {
            expect(t.template.slice(p.offset, p.offset + p.text.length)).toBe(p.text)
            expect(lines[p.line - 1]!.slice(p.column - 1).startsWith(p.text)).toBe(true)
          }
        }
      }),
      { numRuns: 2000 },
    )
  })
  it('linear: 8 times the text costs far less than 64 times as much (CPU-time ratio in this test)', () => {
    const unit = `x = "${GPU}" # ' " {{.image\n`
    const small = unit.repeat(5_000)
    const large = unit.repeat(40_000)
    // Linear gives about 8; quadratic about 64. 30 leaves room for a noisy machine.
    expect(costRatio(() => scanTaskTemplates(small), () => scanTaskTemplates(large))).toBeLessThan(30)
  })
})

describe('mayContainTemplates: the check on bytes before decoding', () => {
  const utf8 = (s: string) => new TextEncoder().encode(s)
  it('false for braces that cannot start a placeholder, true for those that may', () => {
    expect(mayContainTemplates(utf8('x = "{{ not an image }}" # {curly} .image.gpu in prose'))).toBe(false)
    expect(mayContainTemplates(utf8('{{.'))).toBe(false)
    expect(mayContainTemplates(utf8(''))).toBe(false)
    expect(mayContainTemplates(utf8('{{{.image.a}}'))).toBe(true)
    expect(mayContainTemplates(utf8('{{\x1c .IMAGES.a}}'))).toBe(true)
    // U+0130 (İ) is an `i` under flytekit's IGNORECASE, U+00A0 a space: left to the scanner.
    expect(mayContainTemplates(utf8('{{.\u0130mage.a}}'))).toBe(true)
    expect(mayContainTemplates(utf8('{{\u00a0.image.a}}'))).toBe(true)
  })
  it('property: never false for text the scanner finds a template in', () => {
    const space = fc.constantFrom('', ' ', '\t', '\n', '\x1c', '\x85', '\u00a0', '\u2028', '\u3000', '\ufeff')
    const placeholder = fc
      .tuple(space, fc.constantFrom('i', 'I', '\u0130', '\u0131', 'j'), fc.constantFrom('mage', 'MAGE'), fc.constantFrom('', 's', 'S', '\u017f'), fc.constantFrom('gpu', '\u212a', 'a_1'), fc.constantFrom('', '.fqn', '.version'), space)
      .map(([a, i, mage, s, name, attr, b]) => `{{${a}.${i}${mage}${s}.${name}${attr}${b}}}`)
    const piece = fc.oneof(placeholder, fc.constantFrom('{', '{{', '}', '.', '"', '\n', 'x = '), fc.string({ maxLength: 3, unit: 'binary' }))
    let found = 0
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const text = parts.join('')
        if (scanTaskTemplates(text).length === 0) return
        found += 1
        expect(mayContainTemplates(utf8(text))).toBe(true)
      }),
      { numRuns: 3000 },
    )
    // The law is checked on texts that do hold templates, not vacuously.
    expect(found).toBeGreaterThan(1000)
  })
})

describe('scanTaskFiles', () => {
  const root = mkdtempSync(join(tmpdir(), 'imgcfg-tasks-'))
  afterAll(() => {
    chmodSync(join(root, 'src/secret.py'), 0o644)
    rmSync(root, { recursive: true, force: true })
  })
  const write = (path: string, content: string | Buffer) => {
    mkdirSync(join(root, path, '..'), { recursive: true })
    writeFileSync(join(root, path), content)
  }
  write('src/train.py', `@task(container_image="${GPU}")\n`)
  write('src/plain.py', 'x = 1\n')
  write('src/notes.txt', `"${GPU}"`)
  write('src/deep/nested.py', 'x = "{{.image.cpu}}"\n')
  write('.gitignore', 'build/\n*.gen.py\n')
  write('build/out.py', 'x = "{{.image.ignored}}"\n')
  write('src/x.gen.py', 'x = "{{.image.ignored}}"\n')
  write('src/deep/.gitignore', 'nested2.py\n')
  write('src/deep/nested2.py', 'x = "{{.image.ignored}}"\n')
  write('node_modules/pkg/a.py', 'x = "{{.image.ignored}}"\n')
  write('.git/hooks/a.py', 'x = "{{.image.ignored}}"\n')
  write('env/pyvenv.cfg', 'home = /usr\n')
  write('env/lib/site.py', 'x = "{{.image.ignored}}"\n')
  write('src/binary.py', Buffer.from([0x78, 0, 0x79]))
  write('src/latin1.py', Buffer.from([0x78, 0x3d, 0x22, 0xe9, 0x22]))
  write('src/big.py', `x = "${GPU}"\n`.repeat(200))
  write('src/secret.py', 'x = "{{.image.secret}}"\n')
  chmodSync(join(root, 'src/secret.py'), 0o000)
  symlinkSync(join(root, 'src'), join(root, 'src/deep/back'))

  it('finds the templates, honours .gitignore and skips what it must, with located warnings', async () => {
    const scan = await scanTaskFiles(['.', 'missing'], { cwd: root, maxFileBytes: 4096 })
    expect(scan.files.map((f) => [f.path, f.templates.map((t) => t.template)])).toEqual([
      ['src/deep/nested.py', ['{{.image.cpu}}']],
      ['src/train.py', [GPU]],
      ...(process.getuid?.() === 0 ? [['src/secret.py', ['{{.image.secret}}']]] : []),
    ].sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1)))
    const reasons = scan.warnings.map((w) => [w.path, w.reason])
    expect(reasons).toContainEqual(['missing', 'missing'])
    expect(reasons).toContainEqual(['src/binary.py', 'binary'])
    expect(reasons).toContainEqual(['src/latin1.py', 'not-utf8'])
    expect(reasons).toContainEqual(['src/big.py', 'too-large'])
    expect(reasons).toContainEqual(['src/deep/back', 'loop'])
    // Root reads everything; anyone else gets a warning, not a crash.
    if (process.getuid?.() !== 0) expect(reasons).toContainEqual(['src/secret.py', 'unreadable'])
    expect(scan.warnings.map((w) => w.path)).toEqual([...scan.warnings.map((w) => w.path)].sort())
  })
  it('inside a git work tree, the .gitignore files above the path given apply too', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'imgcfg-tasks-repo-'))
    mkdirSync(join(repo, '.git'))
    mkdirSync(join(repo, 'src/generated'), { recursive: true })
    mkdirSync(join(repo, 'src/app'), { recursive: true })
    writeFileSync(join(repo, '.gitignore'), 'generated/\n')
    writeFileSync(join(repo, 'src/.gitignore'), 'skip.py\n')
    writeFileSync(join(repo, 'src/generated/x.py'), 'x = "{{.image.a}}"\n')
    writeFileSync(join(repo, 'src/app/skip.py'), 'x = "{{.image.a}}"\n')
    writeFileSync(join(repo, 'src/app/keep.py'), 'x = "{{.image.a}}"\n')
    try {
      expect((await scanTaskFiles(['src/app'], { cwd: repo })).files.map((f) => f.path)).toEqual(['src/app/keep.py'])
      expect((await scanTaskFiles(['src'], { cwd: repo })).files.map((f) => f.path)).toEqual(['src/app/keep.py'])
      // The work tree's root itself: its own .gitignore, read by the walk.
      expect((await scanTaskFiles(['.'], { cwd: repo })).files.map((f) => f.path)).toEqual(['src/app/keep.py'])
    } finally {
      rmSync(repo, { recursive: true, force: true })
    }
  })

  it("the work tree's .git/info/exclude applies like a .gitignore at its root", async () => {
    const repo = mkdtempSync(join(tmpdir(), 'imgcfg-tasks-exclude-'))
    mkdirSync(join(repo, '.git/info'), { recursive: true })
    mkdirSync(join(repo, 'src/local'), { recursive: true })
    writeFileSync(join(repo, '.git/info/exclude'), '# personal\nlocal/\nscratch.py\n')
    writeFileSync(join(repo, 'src/local/x.py'), 'x = "{{.image.a}}"\n')
    writeFileSync(join(repo, 'src/scratch.py'), 'x = "{{.image.a}}"\n')
    writeFileSync(join(repo, 'src/keep.py'), 'x = "{{.image.a}}"\n')
    try {
      for (const path of ['.', 'src']) {
        expect((await scanTaskFiles([path], { cwd: repo })).files.map((f) => f.path)).toEqual(['src/keep.py'])
      }
    } finally {
      rmSync(repo, { recursive: true, force: true })
    }
  })

  it('paths are shown as path.join would write them, whichever way the directory was typed', async () => {
    for (const [typed, shown] of [
      ['./', 'src/train.py'],
      ['./src/', 'src/train.py'],
      ['src//', 'src/train.py'],
      ['src/../src', 'src/train.py'],
      [root, join(root, 'src/train.py')],
      [`${root}/`, join(root, 'src/train.py')],
    ] as const) {
      const scan = await scanTaskFiles([typed], { cwd: root })
      expect(scan.files.map((f) => f.path), typed).toContain(shown)
    }
  })

  it('a file given by name is scanned whatever its extension', async () => {
    const scan = await scanTaskFiles(['src/notes.txt'], { cwd: root })
    expect(scan.files.map((f) => f.path)).toEqual(['src/notes.txt'])
    expect(scan.filesScanned).toBe(1)
  })
})
