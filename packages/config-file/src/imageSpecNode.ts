/**
 * `loadImageSpec`: an ImageSpec YAML file read from disk as `pyflyte` reads it, with the files
 * it names hashed as flytekit hashes them (`requirements`: SHA-1 of the bytes, ASCII whitespace
 * stripped; `copy`: flytekit's `compute_digest`). Like flytekit, relative paths inside the spec
 * are relative to the working directory, not to the spec's folder. Node only.
 *
 * @since 0.3.0
 */
import * as fs from 'node:fs'
import * as nodePath from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import type { InvalidImageSpec } from '@imgcfg/core/errors'
import type { ConfigError, Location } from './errors.js'
import * as ImageSpec from '@imgcfg/core/ImageSpec'
import type { FileSystem } from './FileSystem.js'
import { parseImageSpecDocument, type ParsedImageSpec } from './ImageSpecFile.js'
import { nodeFileSystem } from './nodeFileSystem.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** An entry of a directory as Python's `os.walk` sees it. */
export interface ListedEntry {
  readonly name: string
  /** `DirEntry.is_dir()`: follows symbolic links; false when that fails. */
  readonly isDirectory: boolean
}

/** What hashing the files of a spec needs, as a capability (tests pass their own). */
export interface ImageSpecFiles {
  /** A file's bytes, or why it cannot be read. */
  readonly readBytes: (path: string) => E.Either<string, Uint8Array>
  /** `os.stat(path)` following links: what is there. */
  readonly kind: (path: string) => 'file' | 'directory' | 'socket' | 'other' | 'missing'
  readonly isSymlink: (path: string) => boolean
  /**
   * A directory's entries in the order the operating system returns them (`os.scandir`), or
   * undefined when it cannot be listed; a Left for a name that is not UTF-8 (flytekit fails to
   * hash it).
   */
  readonly list: (path: string) => E.Either<string, ReadonlyArray<ListedEntry> | undefined>
}

/** The Context of the other loaders, with the files capability. */
export interface ImageSpecContext {
  readonly cwd?: string
  readonly env?: Readonly<Record<string, string | undefined>>
  readonly home?: string
  /** Reads the spec's text (default: the careful Node reader). */
  readonly fs?: FileSystem
  /** Reads the files the spec names (default: the Node file system). */
  readonly files?: ImageSpecFiles
}

/** What `loadImageSpec` gives: the spec and flytekit's names for it. */
export interface LoadedImageSpec {
  readonly spec: ImageSpec.ImageSpec
  readonly imageName: string
  readonly tag: string
  readonly id: string
  /** The exact texts flytekit MD5-hashes for the tag and for the id. */
  readonly hashed: { readonly tag: string; readonly id: string }
}

// -------------------------------------------------------------------------------------
// the Node file system
// -------------------------------------------------------------------------------------

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * The files capability on the real file system: directories are listed with `fs.opendir`,
 * which keeps the operating system's order (`fs.readdir` sorts).
 *
 * @since 0.3.0
 */
export const nodeImageSpecFiles: ImageSpecFiles = {
  readBytes: (path) => {
    try {
      const stat = fs.statSync(path)
      if (stat.isDirectory()) return E.left('it is a directory')
      if (!stat.isFile()) return E.left('it is not a regular file')
      return E.right(new Uint8Array(fs.readFileSync(path)))
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      return E.left(code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file' : code === 'EACCES' ? 'permission denied' : `read failed (${code ?? 'error'})`)
    }
  },
  kind: (path) => {
    try {
      const stat = fs.statSync(path)
      return stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : stat.isSocket() ? 'socket' : 'other'
    } catch {
      return 'missing'
    }
  },
  isSymlink: (path) => {
    try {
      return fs.lstatSync(path).isSymbolicLink()
    } catch {
      return false
    }
  },
  list: (path) => {
    let dir: fs.Dir
    try {
      dir = fs.opendirSync(path, { encoding: 'buffer' as BufferEncoding })
    } catch {
      return E.right(undefined)
    }
    const entries: ListedEntry[] = []
    try {
      for (let d = dir.readSync(); d !== null; d = dir.readSync()) {
        const raw = d.name as unknown as Uint8Array
        let name: string
        try {
          name = strictUtf8.decode(raw)
        } catch {
          return E.left(`${nodePath.join(path, Buffer.from(raw).toString('latin1'))}: a file name that is not UTF-8 (flytekit fails to hash it)`)
        }
        let isDirectory = d.isDirectory()
        if (d.isSymbolicLink() || (!d.isFile() && !d.isDirectory() && !d.isSocket() && !d.isFIFO())) {
          try {
            isDirectory = fs.statSync(nodePath.join(path, name)).isDirectory()
          } catch {
            isDirectory = false
          }
        }
        entries.push({ name, isDirectory })
      }
    } catch {
      // os.walk ignores a directory it cannot read.
    } finally {
      dir.closeSync()
    }
    return E.right(entries)
  },
}

// -------------------------------------------------------------------------------------
// flytekit's compute_digest
// -------------------------------------------------------------------------------------

/** Python sorts str by code point; JavaScript's default sort compares UTF-16 units. */
const byCodePoint = (a: string, b: string): number => {
  const x = [...a].map((c) => c.codePointAt(0)!)
  const y = [...b].map((c) => c.codePointAt(0)!)
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!
  return x.length - y.length
}

class DigestFailure extends Error {}

/**
 * flytekit's `compute_digest(copy)`: a string is walked as a directory; in a list, a directory
 * is walked and anything else hashed as a file named by its base name; what does not exist (a
 * broken link, a missing entry) and sockets are skipped.
 */
const computeDigest = (copy: ImageSpec.PyValue, cwd: string, files: ImageSpecFiles): E.Either<string, string> => {
  const hashed: ImageSpec.DigestedFile[] = []
  const file = (abs: string, rel: string): void => {
    const kind = files.kind(abs)
    if (kind === 'missing' || kind === 'socket') return
    if (kind === 'other') throw new DigestFailure(`${abs}: not a regular file (a FIFO or a device); imgcfg does not read it`)
    const bytes = files.readBytes(abs)
    if (E.isLeft(bytes)) throw new DigestFailure(`${abs}: ${bytes.left}`)
    hashed.push({ bytes: bytes.right, path: rel })
  }
  const walk = (source: string): void => {
    const top = nodePath.resolve(cwd, source)
    const visit = (dir: string): void => {
      const listed = files.list(dir)
      if (E.isLeft(listed)) throw new DigestFailure(listed.left)
      if (listed.right === undefined) return
      const dirs = listed.right.filter((e) => e.isDirectory).map((e) => e.name)
      const names = listed.right.filter((e) => !e.isDirectory).map((e) => e.name).sort(byCodePoint)
      for (const name of names) {
        const abs = nodePath.join(dir, name)
        file(abs, nodePath.relative(top, abs))
      }
      for (const name of dirs) {
        const sub = nodePath.join(dir, name)
        if (!files.isSymlink(sub)) visit(sub)
      }
    }
    visit(top)
  }
  try {
    if (typeof copy === 'string') walk(copy)
    else if (Array.isArray(copy)) {
      for (const src of copy) {
        if (typeof src !== 'string') throw new DigestFailure(`copy entries must be paths (strings), not ${ImageSpec.typeName(src)}`)
        if (files.kind(nodePath.resolve(cwd, src)) === 'directory') walk(src)
        else file(nodePath.resolve(cwd, src), nodePath.basename(src))
      }
    }
    return E.right(ImageSpec.copyDigest(hashed))
  } catch (e) {
    if (e instanceof DigestFailure) return E.left(e.message)
    throw e
  }
}

// -------------------------------------------------------------------------------------
// loading
// -------------------------------------------------------------------------------------

/** Python's text mode: universal newlines. */
const universalNewlines = (text: string): string => text.replace(/\r\n?/g, '\n')

const fileError = (key: string, message: string, where: Location): InvalidImageSpec => ({
  _tag: 'InvalidImageSpec',
  problem: 'file',
  key,
  message,
  ...where,
})

const truthy = ImageSpec.pythonTruthy

/**
 * An ImageSpec file as `pyflyte run --image FILE` reads it, with flytekit's image name, tag and
 * id. `path` and the paths inside the spec are relative to `ctx.cwd` (default: the process's).
 *
 * @example
 * import { loadImageSpec } from '@imgcfg/config-file'
 * const loaded = loadImageSpec('spec.yaml', { cwd: '/work/project' })
 * // Right({ spec, imageName: 'ghcr.io/acme/app:…', tag: '…', id: '…', hashed })
 *
 * @since 0.3.0
 */
export const loadImageSpec = (path: string, ctx: ImageSpecContext = {}): E.Either<ConfigError, LoadedImageSpec> => {
  const cwd = ctx.cwd ?? process.cwd()
  const files = ctx.files ?? nodeImageSpecFiles
  const text = (ctx.fs ?? nodeFileSystem).readText(nodePath.resolve(cwd, path))
  if (E.isLeft(text)) return E.left({ ...text.left, path, kind: 'imagespec' })
  const parsed = parseImageSpecDocument(universalNewlines(text.right), { origin: path })
  if (E.isLeft(parsed)) return parsed
  const { spec, locate } = parsed.right as ParsedImageSpec
  const digests: { requirements?: string; copy?: string } = {}
  if (truthy(spec.requirements) && typeof spec.requirements === 'string') {
    const bytes = files.readBytes(nodePath.resolve(cwd, spec.requirements))
    if (E.isLeft(bytes))
      return E.left(
        fileError(
          'requirements',
          `cannot read ${JSON.stringify(spec.requirements)}: ${bytes.left}. flytekit reads it relative to the working directory (${cwd}), not to the spec file's folder.`,
          locate('requirements', 'value'),
        ),
      )
    digests.requirements = ImageSpec.requirementsDigest(bytes.right)
  }
  if (truthy(spec.copy)) {
    const digest = computeDigest(spec.copy, cwd, files)
    if (E.isLeft(digest)) return E.left(fileError('copy', digest.left, locate('copy', 'value')))
    digests.copy = digest.right
  }
  const placed = <A>(r: E.Either<ConfigError, A>): E.Either<ConfigError, A> =>
    E.mapLeft((e: ConfigError) => (e._tag === 'InvalidImageSpec' ? { ...e, ...locate(e.key, 'value') } : e))(r)
  const tag = placed(ImageSpec.tag(spec, digests))
  if (E.isLeft(tag)) return tag
  const imageName = placed(ImageSpec.imageName(spec, digests))
  if (E.isLeft(imageName)) return imageName
  const tagText = placed(ImageSpec.tagText(spec, digests))
  if (E.isLeft(tagText)) return tagText
  return E.right({ spec, imageName: imageName.right, tag: tag.right, id: ImageSpec.id(spec), hashed: { tag: tagText.right, id: ImageSpec.idText(spec) } })
}

/**
 * flytekit's test for an `--image` value (`os.path.isfile(image)`), then `loadImageSpec`: None
 * when `path` (relative to `ctx.cwd`) is not an existing file, so the value is an image name;
 * Some when it is an ImageSpec file that loaded; a Left when it is a file but a bad spec.
 *
 * @example
 * import { loadImageSpecIfFile, memoryFileSystem } from '@imgcfg/config-file'
 * import * as E from 'fp-ts/lib/Either.js'
 * import * as O from 'fp-ts/lib/Option.js'
 * const fs = memoryFileSystem({ '/project/spec.yaml': 'name: app\nregistry: ghcr.io/acme\n' })
 * const found = loadImageSpecIfFile('spec.yaml', { cwd: '/project', fs })
 * E.map(O.map((s: { imageName: string }) => s.imageName))(found) // Right(Some('ghcr.io/acme/app:UbdoWsqEBfItTdIotzhtWw'))
 * loadImageSpecIfFile('ubuntu:22.04', { cwd: '/project', fs }) // Right(None)
 *
 * @since 0.3.0
 */
export const loadImageSpecIfFile = (path: string, ctx: ImageSpecContext = {}): E.Either<ConfigError, O.Option<LoadedImageSpec>> => {
  const kind = (ctx.fs ?? nodeFileSystem).kindOf(nodePath.resolve(ctx.cwd ?? process.cwd(), path))
  if (E.isLeft(kind) || kind.right !== 'file') return E.right(O.none)
  return E.map((loaded: LoadedImageSpec) => O.some(loaded))(loadImageSpec(path, ctx))
}
