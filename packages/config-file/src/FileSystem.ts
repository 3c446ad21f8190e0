/**
 * The file system the config-file loaders and the CLI use, as a capability: the Node
 * implementation (`nodeFileSystem`, in the Node entry) refuses FIFOs, devices, directories and
 * huge files and writes atomically; `memoryFileSystem` (browser-safe) holds files in a map, so
 * commands can run in tests without touching a disk.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { visible } from '@imgcfg/core/errors'
import type { ConfigFileUnreadable } from './errors.js'
import { MAX_CONFIG_BYTES } from './limits.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * What reading and writing config files needs. Paths are absolute (callers resolve them against
 * their working directory first).
 *
 * @since 0.1.0
 */
export interface FileSystem {
  /** A regular file's UTF-8 text; a Left for anything else (missing, directory, FIFO, too large, not UTF-8). */
  readonly readText: (path: string) => E.Either<ConfigFileUnreadable, string>
  /** Whether something exists at `path` (discovery takes the first candidate that does). */
  readonly exists: (path: string) => boolean
  readonly isDirectory: (path: string) => boolean
  /**
   * Replaces a file's text as one step, keeping its permissions and owner, and refuses when
   * its text is no longer `expected` (it changed since it was read). The Left is a sentence.
   */
  readonly writeAtomically: (path: string, expected: string, text: string) => E.Either<string, void>
  /**
   * A directory's entries, in any order, and an identity that every path reaching the directory
   * shares (device and inode), so a walk can tell a symbolic link back to a directory it has
   * seen. For `lint --tasks`.
   */
  readonly listDirectory: (path: string) => E.Either<WalkFailure, DirectoryListing>
  /** What is at `path`, following symbolic links. */
  readonly kindOf: (path: string) => E.Either<WalkFailure, Exclude<EntryKind, 'symlink'>>
  /**
   * A regular file's bytes, or `too-large` as soon as more than `maxBytes` are read. The bytes
   * may be a view of a buffer the next call reuses: use them before reading another file.
   */
  readonly readBytes: (path: string, maxBytes: number) => E.Either<WalkFailure, Uint8Array>
}

/**
 * What a directory entry is. A symbolic link is reported as one (`kindOf` follows it).
 *
 * @since 0.2.0
 */
export type EntryKind = 'file' | 'directory' | 'symlink' | 'other'

/** @since 0.2.0 */
export interface DirectoryListing {
  readonly id: string
  readonly entries: ReadonlyArray<{ readonly name: string; readonly kind: EntryKind }>
}

/**
 * Why a walk could not read something; `detail` is the system's code for `other`.
 *
 * @since 0.2.0
 */
export interface WalkFailure {
  readonly reason: 'missing' | 'permission' | 'loop' | 'too-large' | 'other'
  readonly detail?: string
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

const unreadable = (path: string, reason: ConfigFileUnreadable['reason'], detail?: string): E.Either<ConfigFileUnreadable, never> =>
  E.left({ _tag: 'ConfigFileUnreadable', path, reason, ...(detail !== undefined ? { detail } : {}) })

const utf8Length = (s: string): number => new TextEncoder().encode(s).length

/**
 * A file system in memory: `files` maps absolute paths to their text, `directories` lists the
 * paths that are directories. Writes change the map, so a test can read back what a command
 * wrote.
 *
 * @example
 * import { memoryFileSystem } from '@imgcfg/config-file/text'
 * const fs = memoryFileSystem({ '/w/flytekit.config': '[images]\na = ghcr.io/a:1\n' })
 * fs.readText('/w/flytekit.config') // Right('[images]\na = ghcr.io/a:1\n')
 *
 * @since 0.1.0
 */
export const memoryFileSystem = (
  files: Readonly<Record<string, string>>,
  directories: ReadonlyArray<string> = [],
): FileSystem & { readonly files: Map<string, string> } => {
  const store = new Map(Object.entries(files))
  const dirs = new Set(directories)
  const under = (path: string) => (path.endsWith('/') ? path : `${path}/`)
  const isDirectory = (path: string) => dirs.has(path) || [...store.keys()].some((f) => f.startsWith(under(path)))
  const missing: E.Either<WalkFailure, never> = E.left({ reason: 'missing' })
  return {
    files: store,
    exists: (path) => store.has(path) || isDirectory(path),
    isDirectory,
    readText: (path) => {
      const text = store.get(path)
      if (text !== undefined) {
        const size = utf8Length(text)
        return size > MAX_CONFIG_BYTES ? unreadable(path, 'too-large', `${size} bytes`) : E.right(text)
      }
      return isDirectory(path) ? unreadable(path, 'directory') : unreadable(path, 'missing')
    },
    writeAtomically: (path, expected, text) => {
      if (store.get(path) !== expected) return E.left(`${visible(path)} changed while its images were being pinned; it was not written. Run pin again.`)
      store.set(path, text)
      return E.right(undefined)
    },
    listDirectory: (path) => {
      if (!isDirectory(path)) return missing
      const entries = new Map<string, EntryKind>()
      for (const p of [...store.keys(), ...dirs]) {
        if (!p.startsWith(under(path)) || p === under(path)) continue
        const [name, ...rest] = p.slice(under(path).length).split('/')
        if (name !== undefined && name !== '') entries.set(name, rest.length > 0 || dirs.has(p) ? 'directory' : 'file')
      }
      return E.right({ id: path, entries: [...entries].map(([name, kind]) => ({ name, kind })) })
    },
    kindOf: (path) => (store.has(path) ? E.right('file') : isDirectory(path) ? E.right('directory') : missing),
    readBytes: (path, maxBytes) => {
      const text = store.get(path)
      if (text === undefined) return isDirectory(path) ? E.left({ reason: 'other', detail: 'EISDIR' }) : missing
      const bytes = new TextEncoder().encode(text)
      return bytes.length > maxBytes ? E.left({ reason: 'too-large' }) : E.right(bytes)
    },
  }
}
