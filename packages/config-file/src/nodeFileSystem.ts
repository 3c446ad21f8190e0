/**
 * The Node implementation of `FileSystem`: the careful reader (bounded work, no FIFOs, devices
 * or directories, UTF-8 only) and the atomic write `imgcfg pin --write` uses. Node only.
 *
 * @since 0.1.0
 */
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as nodePath from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { visible } from '@imgcfg/core/errors'
import type { ConfigFileUnreadable } from './errors.js'
import type { DirectoryListing, EntryKind, FileSystem, WalkFailure } from './FileSystem.js'
import { MAX_CONFIG_BYTES } from './limits.js'

// -------------------------------------------------------------------------------------
// reading
// -------------------------------------------------------------------------------------

const unreadable = (
  path: string,
  reason: ConfigFileUnreadable['reason'],
  detail?: string,
): E.Either<ConfigFileUnreadable, never> =>
  E.left({ _tag: 'ConfigFileUnreadable', path, reason, ...(detail !== undefined ? { detail } : {}) })

const reasonOf = (code: unknown): ConfigFileUnreadable['reason'] =>
  code === 'ENOENT' || code === 'ENOTDIR'
    ? 'missing'
    : code === 'EISDIR'
      ? 'directory'
      : code === 'ENXIO' // a UNIX socket, or a device with nothing behind it
        ? 'not-a-file'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission'
          : 'other'

const DETAILS: Readonly<Record<string, string>> = {
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'the path is too long',
}

// An error we have no sentence for is named by its code, so "read failed" is never the whole story.
const detailOf = (code: string | undefined): string | undefined =>
  code === undefined ? undefined : (DETAILS[code] ?? (reasonOf(code) === 'other' ? code : undefined))

const decoder = new TextDecoder('utf-8', { fatal: true })

/** Reads a regular file as UTF-8 text, refusing directories, FIFOs, devices and huge files. */
export const readConfigText = (path: string): E.Either<ConfigFileUnreadable, string> => {
  // A number would be taken for a file descriptor (0 is stdin).
  if (typeof path !== 'string') return unreadable(String(path), 'other', 'the path is not a string')
  if (path.includes('\u0000')) return unreadable(path, 'missing', 'the path contains a NUL byte')
  let fd: number
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
    fd = fs.openSync(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0))
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    return unreadable(path, reasonOf(code), detailOf(code))
  }
  try {
    const stat = fs.fstatSync(fd)
    if (stat.isDirectory()) return unreadable(path, 'directory')
    if (!stat.isFile()) return unreadable(path, 'not-a-file')
    if (stat.size > MAX_CONFIG_BYTES) return unreadable(path, 'too-large', `${stat.size} bytes`)
    const bytes = fs.readFileSync(fd)
    if (bytes.length > MAX_CONFIG_BYTES) return unreadable(path, 'too-large', `${bytes.length} bytes`)
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
      return unreadable(path, 'other', 'the file is UTF-16; save it as UTF-8')
    }
    try {
      return E.right(decoder.decode(bytes))
    } catch {
      return unreadable(path, 'other', 'the file is not UTF-8 text')
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    return unreadable(path, reasonOf(code), detailOf(code))
  } finally {
    fs.closeSync(fd)
  }
}

// -------------------------------------------------------------------------------------
// writing
// -------------------------------------------------------------------------------------

/** Why a write failed, as a plain sentence (never a bare errno code when there is a sentence for it). */
const WRITE_FAILURES: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exceeded',
  EFBIG: 'the file would be larger than allowed (a file size limit)',
  EROFS: 'the file system is read-only',
  EIO: 'an input/output error (a failing disk?)',
  ENOENT: 'the file or its directory no longer exists',
  ENOTDIR: 'a part of its path is not a directory',
  ELOOP: 'too many levels of symbolic links',
  EISDIR: 'it is a directory',
  EBUSY: 'it is in use (busy)',
  EXDEV: 'the temporary file is on another file system',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
}

const describe = (e: unknown): string => {
  const code = (e as NodeJS.ErrnoException).code
  return (code !== undefined ? WRITE_FAILURES[code] : undefined) ?? code ?? (e instanceof Error ? e.message : String(e))
}

/** A failure with a sentence of our own (not an errno). */
const failure = (code: string, message: string) => Object.assign(new Error(message), { code })

/** Writes all of `bytes`: `writeSync` may write less (a file size limit, a full disk) without an error. */
const writeAll = (fd: number, bytes: Buffer): void => {
  let at = 0
  while (at < bytes.length) {
    const n = fs.writeSync(fd, bytes, at, bytes.length - at)
    // Nothing written and no error: the next write would not do better.
    if (n <= 0) throw failure('ENOSPC', 'short write')
    at += n
  }
}

/**
 * Replaces a file's text atomically: a temporary file in the same directory (so the rename stays
 * on one file system) with the original's permissions and owner, written in full and flushed to
 * disk, then renamed over it, and the directory flushed. A symlink is followed, so the link stays
 * a link. Refuses, leaving the file untouched and no temporary file behind, when the file changed
 * since it was read, when it is read-only (no write permission, or no write bit for anyone), when
 * it has other hard links (a new file would split them), and when the owner cannot be kept (the
 * file would end up belonging to someone else). A byte-order mark the file had is kept.
 *
 * @since 0.1.0
 */
export const writeAtomically = (path: string, expected: string, text: string): E.Either<string, void> => {
  const shown = visible(path)
  let real: string
  let original: Buffer
  let stat: fs.Stats
  try {
    real = fs.realpathSync(path)
    const fd = fs.openSync(real, 'r')
    try {
      stat = fs.fstatSync(fd)
      original = fs.readFileSync(fd)
    } finally {
      fs.closeSync(fd)
    }
  } catch (e) {
    return E.left(`cannot read ${shown} again to write it: ${describe(e)}.`)
  }
  const bom = original[0] === 0xef && original[1] === 0xbb && original[2] === 0xbf ? '\uFEFF' : ''
  if (original.toString('utf8') !== bom + expected) {
    return E.left(`${shown} changed while its images were being pinned; it was not written. Run pin again.`)
  }
  let writable = (stat.mode & 0o222) !== 0
  try {
    fs.accessSync(real, fs.constants.W_OK)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EROFS') return E.left(`cannot write ${shown}: the file system is read-only; the file was left as it was.`)
    writable = false
  }
  if (!writable) return E.left(`${shown} is read-only, so it was not written; make it writable (chmod u+w) to pin it in place.`)
  if (stat.nlink > 1) {
    return E.left(`${shown} has ${stat.nlink - 1} other hard link${stat.nlink > 2 ? 's' : ''}, which replacing it would split; it was not written. Pin without --write and apply the diff.`)
  }
  const mode = stat.mode & 0o7777
  const temp = nodePath.join(nodePath.dirname(real), `.${nodePath.basename(real)}.imgcfg-${process.pid}-${randomBytes(4).toString('hex')}.tmp`)
  let created = false
  try {
    const fd = fs.openSync(temp, 'wx', mode)
    created = true
    try {
      writeAll(fd, Buffer.from(bom + text, 'utf8'))
      fs.fchmodSync(fd, mode)
      const mine = typeof process.getuid === 'function' ? { uid: process.getuid(), gid: process.getgid?.() } : undefined
      if (mine !== undefined && (stat.uid !== mine.uid || stat.gid !== mine.gid)) {
        // Root writing a user's file (or a user writing a group's): the new file must keep them.
        try {
          fs.fchownSync(fd, stat.uid, stat.gid)
        } catch (e) {
          throw Object.assign(new Error('owner'), { code: 'OWNER', cause: e })
        }
      }
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(temp, real)
    created = false
  } catch (e) {
    if (created) {
      try {
        fs.unlinkSync(temp)
      } catch {
        // Already gone: nothing to clean.
      }
    }
    if ((e as NodeJS.ErrnoException).code === 'OWNER') {
      return E.left(`${shown} was not written: it belongs to uid ${stat.uid} (gid ${stat.gid}), and a rewritten copy could not keep that owner.`)
    }
    return E.left(`cannot write ${shown}: ${describe(e)}; the file was left as it was.`)
  }
  // The rename is durable once the directory is flushed; a directory that cannot be opened or
  // flushed (some file systems) leaves the rename as the system keeps it.
  try {
    const dirFd = fs.openSync(nodePath.dirname(real), 'r')
    try {
      fs.fsyncSync(dirFd)
    } finally {
      fs.closeSync(dirFd)
    }
  } catch {
    // See above.
  }
  return E.right(undefined)
}

// -------------------------------------------------------------------------------------
// walking (lint --tasks)
// -------------------------------------------------------------------------------------

const walkFailure = (e: unknown): E.Either<WalkFailure, never> => {
  const code = (e as NodeJS.ErrnoException).code
  return E.left(
    code === 'ENOENT' || code === 'ENOTDIR'
      ? { reason: 'missing' }
      : code === 'EACCES' || code === 'EPERM'
        ? { reason: 'permission' }
        : code === 'ELOOP'
          ? { reason: 'loop' }
          : { reason: 'other', detail: code ?? 'read failed' },
  )
}

const kindOfDirent = (d: fs.Dirent): EntryKind =>
  d.isFile() ? 'file' : d.isDirectory() ? 'directory' : d.isSymbolicLink() ? 'symlink' : 'other'

const listDirectory = (path: string): E.Either<WalkFailure, DirectoryListing> => {
  try {
    const stat = fs.statSync(path)
    const entries = fs.readdirSync(path, { withFileTypes: true }).map((d) => ({ name: d.name, kind: kindOfDirent(d) }))
    return E.right({ id: `${stat.dev}:${stat.ino}`, entries })
  } catch (e) {
    return walkFailure(e)
  }
}

const kindOf = (path: string): E.Either<WalkFailure, Exclude<EntryKind, 'symlink'>> => {
  try {
    const stat = fs.statSync(path)
    return E.right(stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other')
  } catch (e) {
    return walkFailure(e)
  }
}

// One buffer for every read, grown to the largest file read (at most the cap and a byte), so a
// walk over thousands of files allocates nothing per file.
let scratch = Buffer.allocUnsafe(64 * 1024)

/**
 * Reads without an fstat: the walk has seen a regular file there (a directory entry or a stat).
 * Opened without blocking, a file swapped for a FIFO reads as empty and a device stops at the cap.
 */
const readBytes = (path: string, maxBytes: number): E.Either<WalkFailure, Uint8Array> => {
  let n = 0
  try {
    const fd = fs.openSync(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0))
    try {
      // A read shorter than asked for is the end of a regular file: no second read to see 0.
      for (let r = 1, asked = 0; r > 0 && r >= asked && n <= maxBytes; ) {
        if (n === scratch.length) {
          const grown = Buffer.allocUnsafe(Math.min(maxBytes + 1, scratch.length * 2))
          scratch.copy(grown, 0, 0, n)
          scratch = grown
        }
        asked = scratch.length - n
        r = fs.readSync(fd, scratch, n, asked, null)
        n += r
      }
    } finally {
      fs.closeSync(fd)
    }
  } catch (e) {
    return walkFailure(e)
  }
  return n > maxBytes ? E.left({ reason: 'too-large' }) : E.right(scratch.subarray(0, n))
}

// -------------------------------------------------------------------------------------
// instances
// -------------------------------------------------------------------------------------

/**
 * The real file system.
 *
 * @since 0.1.0
 */
export const nodeFileSystem: FileSystem = {
  readText: readConfigText,
  exists: (path) => {
    try {
      return fs.existsSync(path)
    } catch {
      return false
    }
  },
  isDirectory: (path) => {
    try {
      return fs.statSync(path).isDirectory()
    } catch {
      return false
    }
  },
  writeAtomically,
  listDirectory,
  kindOf,
  readBytes,
}
