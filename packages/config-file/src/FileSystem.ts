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
  const isDirectory = (path: string) => dirs.has(path) || [...store.keys()].some((f) => f.startsWith(path.endsWith('/') ? path : `${path}/`))
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
  }
}
