/**
 * Finding task image templates in a Python project: walks the paths given, reads the `.py`
 * files one at a time (memory bounded by the largest file, with a size cap) and scans each with
 * `scanTaskTemplates`. Honours `.gitignore` files and `.git/info/exclude` (with the `ignore` library, git's rules),
 * always skips `.git`, `node_modules`, `__pycache__` and virtual environments, and turns every
 * file it cannot read (binary, not UTF-8, too large, permission denied, a symlink loop) into a
 * located warning. Never throws. Node only.
 *
 * @since 0.2.0
 */
import { isUtf8 } from 'node:buffer'
import * as nodePath from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import ignore, { type Ignore } from 'ignore'
import { UNREADABLE } from './errors.js'
import type { EntryKind, FileSystem, WalkFailure } from './FileSystem.js'
import { nodeFileSystem } from './nodeFileSystem.js'
import { mayContainTemplates, scanTaskTemplates, type TaskTemplate } from './TaskTemplates.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A file with templates; `path` is as the user would type it (the path given, joined with the
 * file's place under it).
 *
 * @since 0.2.0
 */
export interface TaskFile {
  readonly path: string
  readonly templates: ReadonlyArray<TaskTemplate>
}

/**
 * A file or directory that was not scanned, and why.
 *
 * @since 0.2.0
 */
export interface ScanWarning {
  readonly path: string
  readonly reason: 'missing' | 'unreadable' | 'binary' | 'not-utf8' | 'too-large' | 'loop'
  readonly message: string
}

/**
 * What a scan found: the files with templates (sorted by path), how many files were read, and
 * the warnings (sorted by path).
 *
 * @since 0.2.0
 */
export interface TaskScan {
  readonly files: ReadonlyArray<TaskFile>
  readonly filesScanned: number
  readonly warnings: ReadonlyArray<ScanWarning>
}

/** @since 0.2.0 */
export interface ScanOptions {
  /** Relative paths are resolved against this (default: the process's). */
  readonly cwd?: string
  /** Files larger than this are skipped with a warning (default 16 MiB). */
  readonly maxFileBytes?: number
  /** Called after each file, for a progress line. */
  readonly onFile?: (scanned: number) => void
  /** The file system to walk (default: `nodeFileSystem`). */
  readonly fs?: FileSystem
}

/** Directories never walked into. */
export const SKIPPED_DIRECTORIES: ReadonlyArray<string> = ['.git', 'node_modules', '__pycache__', '.venv', 'venv', '.tox', '.mypy_cache']

// -------------------------------------------------------------------------------------
// scanning
// -------------------------------------------------------------------------------------

interface Layer {
  readonly base: string
  readonly rules: Ignore
}

const decoder = new TextDecoder('utf-8', { fatal: true })

const why = (failure: WalkFailure): string =>
  failure.reason === 'permission'
    ? 'permission denied'
    : failure.reason === 'loop'
      ? 'too many levels of symbolic links'
      : failure.reason === 'missing'
        ? 'no such file or directory'
        : (failure.detail ?? 'read failed')

const ignored = (layers: ReadonlyArray<Layer>, real: string, isDirectory: boolean): boolean =>
  layers.some(({ base, rules }) => {
    const rel = nodePath.relative(base, real).split(nodePath.sep).join('/')
    return rel !== '' && !rel.startsWith('..') && rules.ignores(isDirectory ? `${rel}/` : rel)
  })

/** The rules of one ignore file, based at `base`; none when it cannot be read. */
const layerOf = (fsys: FileSystem, base: string, file: string): ReadonlyArray<Layer> => {
  const text = fsys.readText(file)
  return E.isRight(text) ? [{ base, rules: ignore().add(text.right) }] : []
}

/**
 * The rules of a work tree's `.git/info/exclude` (git applies them like a `.gitignore` at the
 * root), when `root/.git` is a directory that has one. A `.git` file (a worktree or submodule
 * link) names its git directory elsewhere; its excludes are not read.
 */
const excludeLayer = (fsys: FileSystem, root: string): ReadonlyArray<Layer> =>
  layerOf(fsys, root, nodePath.join(root, '.git', 'info', 'exclude'))

/**
 * The `.gitignore` files of the directories above `dir`, up to the root of the git work tree that
 * holds it (the first ancestor with a `.git`), outermost first, after the root's
 * `.git/info/exclude`: git applies them to `dir` too. None when `dir` is not inside a work tree.
 */
const parentLayers = (fsys: FileSystem, dir: string): ReadonlyArray<Layer> => {
  // The work tree's own root: its .gitignore and excludes are read by the walk, nothing above applies.
  if (fsys.exists(nodePath.join(dir, '.git'))) return []
  const above: string[] = []
  for (let d = nodePath.dirname(dir); ; d = nodePath.dirname(d)) {
    above.unshift(d)
    if (fsys.exists(nodePath.join(d, '.git'))) break
    if (nodePath.dirname(d) === d) return []
  }
  return [...excludeLayer(fsys, above[0]!), ...above.flatMap((d) => layerOf(fsys, d, nodePath.join(d, '.gitignore')))]
}

/**
 * Scans `paths` (files or directories) for task image templates, through `options.fs` (the
 * real file system by default; `memoryFileSystem` in tests).
 *
 * @example
 * import { scanTaskFiles } from '@imgcfg/config-file'
 * const scan = await scanTaskFiles(['workflows'])
 * // { files: [{ path: 'workflows/train.py', templates: [...] }], filesScanned: 17, warnings: [] }
 *
 * @since 0.2.0
 */
export const scanTaskFiles = async (paths: ReadonlyArray<string>, options: ScanOptions = {}): Promise<TaskScan> => {
  const fsys = options.fs ?? nodeFileSystem
  const cwd = options.cwd ?? process.cwd()
  const maxBytes = options.maxFileBytes ?? 16 * 1024 * 1024
  const files: TaskFile[] = []
  const warnings: ScanWarning[] = []
  const visited = new Set<string>()
  let scanned = 0
  const warn = (path: string, reason: ScanWarning['reason'], message: string) => void warnings.push({ path, reason, message })

  // Synchronous reads: for thousands of small files they cost a fraction of promise-based ones,
  // and only one file is held at a time either way.
  const scanFile = (real: string, shown: string): void => {
    const read = fsys.readBytes(real, maxBytes)
    if (E.isLeft(read)) {
      return read.left.reason === 'too-large'
        ? warn(shown, 'too-large', `more than the ${maxBytes}-byte cap; not scanned`)
        : warn(shown, 'unreadable', `cannot read it: ${why(read.left)}`)
    }
    const bytes = read.right
    scanned += 1
    options.onFile?.(scanned)
    if (bytes.indexOf(0) !== -1) return warn(shown, 'binary', 'a binary file (it has NUL bytes); not scanned')
    if (!isUtf8(bytes)) return warn(shown, 'not-utf8', 'not UTF-8 text; not scanned')
    // Most files hold no placeholder: the check on the bytes spares decoding them.
    if (!mayContainTemplates(bytes)) return
    const templates = scanTaskTemplates(decoder.decode(bytes))
    if (templates.length > 0) files.push({ path: shown, templates })
  }

  const walk = (real: string, shown: string, layers: ReadonlyArray<Layer>): void => {
    const listing = fsys.listDirectory(real)
    if (E.isLeft(listing)) return warn(shown, 'unreadable', `cannot read the directory: ${why(listing.left)}`)
    const { id } = listing.right
    if (visited.has(id)) return warn(shown, 'loop', 'a symbolic link back to a directory already scanned; not followed')
    visited.add(id)
    const entries = [...listing.right.entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    if (entries.some((e) => e.name === 'pyvenv.cfg')) return
    let here = layers
    if (entries.some((e) => e.name === '.git' && e.kind === 'directory')) here = [...here, ...excludeLayer(fsys, real)]
    if (entries.some((e) => e.name === '.gitignore')) {
      const text = fsys.readText(nodePath.join(real, '.gitignore'))
      if (E.isRight(text)) here = [...here, { base: real, rules: ignore().add(text.right) }]
      else warn(nodePath.join(shown, '.gitignore'), 'unreadable', `cannot read it: ${UNREADABLE[text.left.reason]}; its rules are not applied`)
    }
    // Paths of the entries by concatenation: `path.join` for each of thousands of entries costs
    // more than reading their directory. `real` is absolute and normalized, `shown` is normalized
    // once here, and an entry's name holds no separator.
    const realDir = real.endsWith(nodePath.sep) ? real : real + nodePath.sep
    const shownBase = nodePath.normalize(shown)
    const shownDir = shownBase === '.' || shownBase === '.' + nodePath.sep ? '' : shownBase.endsWith(nodePath.sep) ? shownBase : shownBase + nodePath.sep
    for (const entry of entries) {
      const name = entry.name
      const child = realDir + name
      const childShown = shownDir + name
      // Only a symbolic link needs a stat to know what it points at.
      let kind: EntryKind = entry.kind
      if (kind === 'symlink') {
        const target = fsys.kindOf(child)
        if (E.isLeft(target)) {
          if (target.left.reason === 'loop') warn(childShown, 'loop', 'a symbolic link loop; not followed')
          else if (target.left.reason !== 'missing') warn(childShown, 'unreadable', `cannot read it: ${why(target.left)}`)
          continue
        }
        kind = target.right
      }
      if (kind === 'directory') {
        if (SKIPPED_DIRECTORIES.includes(name) || ignored(here, child, true)) continue
        walk(child, childShown, here)
      } else if (name.endsWith('.py') && !ignored(here, child, false)) {
        if (kind === 'file') scanFile(child, childShown)
        else warn(childShown, 'unreadable', 'not a regular file; not scanned')
      }
    }
  }

  for (const path of paths) {
    const real = nodePath.resolve(cwd, path)
    const kind = fsys.kindOf(real)
    if (E.isLeft(kind)) {
      if (kind.left.reason === 'missing') warn(path, 'missing', 'no such file or directory')
      else warn(path, 'unreadable', `cannot read it: ${why(kind.left)}`)
    } else if (kind.right === 'directory') walk(real, path, parentLayers(fsys, real))
    // A file given by name is scanned whatever its extension.
    else if (kind.right === 'file') scanFile(real, path)
    else warn(path, 'unreadable', 'not a regular file; not scanned')
  }
  const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
  return { files: files.sort(byPath), filesScanned: scanned, warnings: warnings.sort(byPath) }
}
