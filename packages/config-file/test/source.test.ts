/**
 * loadConfigSource (the one loader the CLI uses), the in-memory file system and the atomic
 * write that keeps a file's mode and owner.
 */
import { spawnSync } from 'node:child_process'
import { chownSync, linkSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfigSource, MAX_CONFIG_BYTES, memoryFileSystem, writeAtomically } from '../src/index.js'

const ctx = { cwd: '/w', home: '/h', env: {} }
const some = <A>(r: E.Either<unknown, O.Option<A>>): A => {
  if (E.isLeft(r)) throw new Error(`expected a file, got ${JSON.stringify(r.left)}`)
  if (O.isNone(r.right)) throw new Error('expected a file, got none')
  return r.right.value
}

describe('loadConfigSource', () => {
  const yaml = 'images:\n  a: ghcr.io/org/a:1\n'
  it('a path: read relative to cwd, named as typed, with its text', async () => {
    const cfg = some(await loadConfigSource('c.yaml', { ...ctx, fs: memoryFileSystem({ '/w/c.yaml': yaml }) }))
    expect(cfg).toMatchObject({ path: 'c.yaml', format: 'yaml', source: 'explicit', text: yaml })
    expect(cfg.images.map((i) => [i.name, i.identifier, i.line])).toEqual([['a', 'ghcr.io/org/a:1', 2]])
  })
  it('a missing path names the file as typed', async () => {
    expect(await loadConfigSource('c.yaml', { ...ctx, fs: memoryFileSystem({}) })).toEqual(
      E.left({ _tag: 'ConfigFileUnreadable', path: 'c.yaml', reason: 'missing' }),
    )
  })
  it("'' is no file at all, and touches nothing", async () => {
    const fs = { ...memoryFileSystem({}), readText: () => { throw new Error('read') }, exists: () => { throw new Error('exists') } }
    expect(await loadConfigSource('', { ...ctx, fs })).toEqual(E.right(O.none))
  })
  it('- reads standard input, detects its format, and refuses more than the limit', async () => {
    const cfg = some(await loadConfigSource('-', { ...ctx, readStdin: async () => yaml }))
    expect(cfg).toMatchObject({ path: '<stdin>', format: 'yaml', text: yaml })
    const big = await loadConfigSource('-', { ...ctx, readStdin: async () => 'a'.repeat(MAX_CONFIG_BYTES + 1) })
    expect(big).toEqual(E.left({ _tag: 'ConfigFileUnreadable', path: '<stdin>', reason: 'too-large' }))
    const none = await loadConfigSource('-', ctx)
    expect(E.isLeft(none) && none.left._tag).toBe('InvalidArgument')
  })
  it('undefined discovers as flytekit does, keeping the text', async () => {
    const fs = memoryFileSystem({ '/w/flytekit.config': '[images]\na = x:1\n', '/h/.flyte/config.yaml': yaml })
    expect(some(await loadConfigSource(undefined, { ...ctx, fs }))).toMatchObject({ path: '/w/flytekit.config', source: './flytekit.config', text: '[images]\na = x:1\n' })
    const warned: string[] = []
    const env = { FLYTECTL_CONFIG: 'gone.yaml' }
    const home = memoryFileSystem({ '/h/.flyte/config.yaml': yaml })
    const cfg = some(await loadConfigSource(undefined, { ...ctx, env, fs: home, warn: (m) => void warned.push(m) }))
    expect(cfg).toMatchObject({ path: '/h/.flyte/config.yaml', source: '~/.flyte/config.yaml' })
    expect(warned).toEqual(['FLYTECTL_CONFIG=gone.yaml does not exist; looking further'])
    expect(await loadConfigSource(undefined, { ...ctx, fs: memoryFileSystem({}) })).toEqual(E.right(O.none))
  })
  it('a discovered INI directory reads as empty; an explicit one is an error', async () => {
    const fs = memoryFileSystem({}, ['/w/flytekit.config'])
    expect(some(await loadConfigSource(undefined, { ...ctx, fs }))).toMatchObject({ images: [], text: '' })
    expect(await loadConfigSource('flytekit.config', { ...ctx, fs })).toEqual(
      E.left({ _tag: 'ConfigFileUnreadable', path: 'flytekit.config', reason: 'directory' }),
    )
  })
  it('the format option wins over the extension', async () => {
    const fs = memoryFileSystem({ '/w/conf.txt': yaml })
    expect(some(await loadConfigSource('conf.txt', { ...ctx, fs, format: 'yaml' })).images).toHaveLength(1)
  })
})

describe('memoryFileSystem.writeAtomically', () => {
  it('writes when the text is as read, refuses when it changed', () => {
    const fs = memoryFileSystem({ '/w/c': 'old' })
    expect(fs.writeAtomically('/w/c', 'old', 'new')).toEqual(E.right(undefined))
    expect(fs.files.get('/w/c')).toBe('new')
    expect(E.isLeft(fs.writeAtomically('/w/c', 'old', 'newer'))).toBe(true)
    expect(fs.files.get('/w/c')).toBe('new')
  })
})

describe('writeAtomically (Node)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'imgcfg-write-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  it('keeps the mode, a byte-order mark and a symlink', () => {
    const file = join(dir, 'c.yaml')
    writeFileSync(file, '\uFEFFa: 1\n', { mode: 0o640 })
    const link = join(dir, 'link.yaml')
    symlinkSync(file, link)
    expect(writeAtomically(link, 'a: 1\n', 'a: 2\n')).toEqual(E.right(undefined))
    expect(readFileSync(file, 'utf8')).toBe('\uFEFFa: 2\n')
    expect(statSync(file).mode & 0o777).toBe(0o640)
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
  })
  it('refuses a file that changed since it was read, and leaves it alone', () => {
    const file = join(dir, 'changed.yaml')
    writeFileSync(file, 'a: 3\n')
    const r = writeAtomically(file, 'a: 1\n', 'a: 2\n')
    expect(r).toEqual(E.left(`${file} changed while its images were being pinned; it was not written. Run pin again.`))
    expect(readFileSync(file, 'utf8')).toBe('a: 3\n')
  })
  /** No temporary file is left next to `file`. */
  const onlyFiles = (d: string) => readdirSync(d).filter((f) => f.includes('.imgcfg-'))

  it('a short write (a file size limit) fails with a sentence, the original untouched, no temporary file left', () => {
    // Node ignores SIGXFSZ: under `ulimit -f` the write is short (or EFBIG), never a kill.
    const sub = mkdtempSync(join(dir, 'limit-'))
    const file = join(sub, 'c.yaml')
    const before = `images:\n  a: ghcr.io/org/a:1\n`
    writeFileSync(file, before)
    const dist = join(import.meta.dirname, '../dist/fs.js')
    const script = `import(${JSON.stringify(dist)}).then((m) => process.stdout.write(JSON.stringify(m.writeAtomically(${JSON.stringify(file)}, ${JSON.stringify(before)}, ${JSON.stringify(before + '#'.repeat(8192))}))))`
    // 4 blocks of 512 bytes: the 8 KB text cannot be written whole.
    const child = spawnSync('bash', ['-c', `ulimit -f 4; exec "$0" -e "$1"`, process.execPath, script], { encoding: 'utf8' })
    expect(child.status, child.stderr).toBe(0)
    expect(JSON.parse(child.stdout)).toEqual(E.left(`cannot write ${file}: the file would be larger than allowed (a file size limit); the file was left as it was.`))
    expect(readFileSync(file, 'utf8')).toBe(before)
    expect(onlyFiles(sub)).toEqual([])
  })

  it('refuses a read-only file and a file with other hard links, leaving them alone', () => {
    const file = join(dir, 'ro.yaml')
    writeFileSync(file, 'a: 1\n', { mode: 0o444 })
    expect(writeAtomically(file, 'a: 1\n', 'a: 2\n')).toEqual(E.left(`${file} is read-only, so it was not written; make it writable (chmod u+w) to pin it in place.`))
    expect(readFileSync(file, 'utf8')).toBe('a: 1\n')
    const linked = join(dir, 'linked.yaml')
    writeFileSync(linked, 'a: 1\n')
    linkSync(linked, join(dir, 'other-name.yaml'))
    expect(writeAtomically(linked, 'a: 1\n', 'a: 2\n')).toEqual(
      E.left(`${linked} has 1 other hard link, which replacing it would split; it was not written. Pin without --write and apply the diff.`),
    )
    expect(readFileSync(join(dir, 'other-name.yaml'), 'utf8')).toBe('a: 1\n')
  })

  const root = process.getuid?.() === 0
  // A small tmpfs, when this runs as root where mounting is allowed: a full disk and a read-only file system for real.
  const mounted = (() => {
    if (!root) return undefined
    const point = mkdtempSync(join(tmpdir(), 'imgcfg-tmpfs-'))
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', point])
    if (r.status !== 0) {
      rmSync(point, { recursive: true, force: true })
      return undefined
    }
    return point
  })()
  afterAll(() => {
    if (mounted === undefined) return
    spawnSync('umount', [mounted])
    rmSync(mounted, { recursive: true, force: true })
  })

  it.skipIf(mounted === undefined)('a full disk and a read-only file system are plain sentences, the original untouched', () => {
    const file = join(mounted!, 'c.yaml')
    writeFileSync(file, 'a: 1\n')
    // Fill the rest of the 64 KiB.
    try {
      writeFileSync(join(mounted!, 'filler'), Buffer.alloc(128 * 1024))
    } catch {
      // ENOSPC: full, as wanted.
    }
    expect(writeAtomically(file, 'a: 1\n', `a: 2\n${'#'.repeat(16 * 1024)}\n`)).toEqual(E.left(`cannot write ${file}: the disk is full; the file was left as it was.`))
    expect(readFileSync(file, 'utf8')).toBe('a: 1\n')
    expect(onlyFiles(mounted!)).toEqual([])
    rmSync(join(mounted!, 'filler'))
    expect(spawnSync('mount', ['-o', 'remount,ro', mounted!]).status).toBe(0)
    expect(writeAtomically(file, 'a: 1\n', 'a: 2\n')).toEqual(E.left(`cannot write ${file}: the file system is read-only; the file was left as it was.`))
    expect(readFileSync(file, 'utf8')).toBe('a: 1\n')
  })

  it.skipIf(!root)('as root, a file owned by another user keeps its owner', () => {
    const file = join(dir, 'owned.yaml')
    writeFileSync(file, 'a: 1\n')
    chownSync(file, 65534, 65534)
    expect(writeAtomically(file, 'a: 1\n', 'a: 2\n')).toEqual(E.right(undefined))
    const stat = statSync(file)
    expect([stat.uid, stat.gid, readFileSync(file, 'utf8')]).toEqual([65534, 65534, 'a: 2\n'])
  })
})
