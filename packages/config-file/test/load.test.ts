import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { formatConfigError as formatError } from '../src/errors.js'
import { MAX_CONFIG_BYTES, auto, getConfigFile, loadConfigFile, patchImageConfig, type ConfigFile } from '../src/index.js'

let dir: string
beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'imgcfg-load-')))
})

const message = (r: E.Either<any, unknown>) => (E.isLeft(r) ? formatError(r.left) : 'loaded')
const write = (name: string, content: string | Buffer) => {
  const p = join(dir, name)
  writeFileSync(p, content)
  return p
}

describe('loadConfigFile: the format comes from the extension, case-insensitively', () => {
  it.each([
    ['c.yaml', 'yaml'],
    ['c.YML', 'yaml'],
    ['c.Yaml', 'yaml'],
    ['flytekit.config', 'ini'],
    ['htmlyml', 'ini'],
  ])('%s is %s', (name, format) => {
    const text = format === 'yaml' ? 'images:\n  a: x:1\n' : '[images]\na=x:1\n'
    const r = loadConfigFile(write(name, text))
    expect(E.map((c: ConfigFile) => [c.format, c.images.map((i) => i.name)])(r)).toStrictEqual(E.right([format, ['a']]))
  })
})

describe('loadConfigFile: what cannot be read is an error naming the path', () => {
  it('a missing file', () => {
    expect(message(loadConfigFile(join(dir, 'missing.yaml')))).toBe(`Cannot read config file "${dir}/missing.yaml": no such file.`)
  })
  it('a directory', () => {
    mkdirSync(join(dir, 'd.config'))
    expect(message(loadConfigFile(join(dir, 'd.config')))).toBe(`Cannot read config file "${dir}/d.config": it is a directory.`)
  })
  it('a device such as /dev/zero is refused without reading it', () => {
    expect(message(loadConfigFile('/dev/zero'))).toBe('Cannot read config file "/dev/zero": it is not a regular file.')
  })
  it('a FIFO is refused without waiting for a writer', () => {
    const fifo = join(dir, 'fifo.yaml')
    execFileSync('mkfifo', [fifo])
    expect(message(loadConfigFile(fifo))).toBe(`Cannot read config file "${fifo}": it is not a regular file.`)
  })
  it('a symlink loop', () => {
    const a = join(dir, 'loop-a.yaml')
    symlinkSync(join(dir, 'loop-b.yaml'), a)
    symlinkSync(a, join(dir, 'loop-b.yaml'))
    expect(message(loadConfigFile(a))).toBe(`Cannot read config file "${a}": read failed (too many levels of symbolic links).`)
  })
  it('a path that is too long', () => {
    const long = join(dir, `${'x'.repeat(5000)}.yaml`)
    expect(message(loadConfigFile(long))).toContain('(the path is too long)')
  })
  it('a file over 16 MiB is refused before parsing', () => {
    const big = write('big.yaml', Buffer.alloc(MAX_CONFIG_BYTES + 1, 0x20))
    expect(message(loadConfigFile(big))).toBe(
      `Cannot read config file "${big}": it is larger than 16 MiB (${MAX_CONFIG_BYTES + 1} bytes).`,
    )
  })
  it('UTF-16 text is named as such', () => {
    const p = write('utf16.yaml', Buffer.from('\ufeffimages: {}\n', 'utf16le'))
    expect(message(loadConfigFile(p))).toBe(`Cannot read config file "${p}": read failed (the file is UTF-16; save it as UTF-8).`)
  })
  it('bytes that are not UTF-8', () => {
    const p = write('latin1.yaml', Buffer.from([0x69, 0x6d, 0xe9, 0x0a]))
    expect(message(loadConfigFile(p))).toBe(`Cannot read config file "${p}": read failed (the file is not UTF-8 text).`)
  })
  it.skipIf(process.getuid?.() === 0)('an unreadable file', () => {
    const p = write('secret.yaml', 'images: {}\n')
    chmodSync(p, 0)
    expect(message(loadConfigFile(p))).toBe(`Cannot read config file "${p}": permission denied.`)
  })
  it('a parse error carries the path, line and column', () => {
    const p = write('bad.yaml', 'images:\n  a: [\n')
    expect(message(loadConfigFile(p))).toMatch(new RegExp(`^${p}:\\d+:\\d+: `))
  })
})

describe('getConfigFile: discovery order and what it reports', () => {
  const layout = () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'imgcfg-disc-')))
    for (const d of ['cwd', 'home/.flyte', 'other']) mkdirSync(join(root, d), { recursive: true })
    return { root, cwd: join(root, 'cwd'), home: join(root, 'home') }
  }
  it('says which file was chosen and why', () => {
    const { root, cwd, home } = layout()
    writeFileSync(join(home, '.flyte/config.yaml'), 'images:\n  a: x:1\n')
    const r = getConfigFile(undefined, { env: {}, cwd, home })
    expect(E.map(O.map((c: ConfigFile) => [c.source, c.path]))(r)).toStrictEqual(
      E.right(O.some(['~/.flyte/config.yaml', join(root, 'home/.flyte/config.yaml')])),
    )
  })
  it('warns about a FLYTECTL_CONFIG that does not exist, then looks further', () => {
    const { cwd, home } = layout()
    writeFileSync(join(cwd, 'flytekit.config'), '[images]\na=x:1\n')
    const warnings: string[] = []
    const r = getConfigFile(undefined, { env: { FLYTECTL_CONFIG: 'nope.yaml' }, cwd, home, warn: (m) => warnings.push(m) })
    expect(warnings).toStrictEqual(['FLYTECTL_CONFIG=nope.yaml does not exist; looking further'])
    expect(E.map(O.map((c: ConfigFile) => [c.source, c.warnings]))(r)).toStrictEqual(
      E.right(O.some(['./flytekit.config', ['FLYTECTL_CONFIG=nope.yaml does not exist; looking further']])),
    )
  })
  it('an explicit relative path is read from the context cwd', () => {
    const { cwd, home } = layout()
    writeFileSync(join(cwd, 'c.yaml'), 'images:\n  a: x:1\n')
    const r = auto({ configFile: 'c.yaml', env: {}, cwd, home })
    expect(E.map((c: { images: ReadonlyArray<{ name: string }> }) => c.images.map((i) => i.name))(r)).toStrictEqual(E.right(['a']))
  })
  it("'' means no file, for auto and for the merge", () => {
    const { cwd, home } = layout()
    writeFileSync(join(cwd, 'flytekit.config'), '[images]\na=x:1\n')
    expect(auto({ configFile: '', env: {}, cwd, home })).toStrictEqual(E.right({ images: [] }))
    expect(patchImageConfig('', { images: [] }, { env: {}, cwd, home })).toStrictEqual(E.right({ images: [] }))
  })
})
