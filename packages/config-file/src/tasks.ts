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
import * as fs from 'node:fs'
import * as nodePath from 'node:path'
import ignore, { type Ignore } from 'ignore'
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

const codeOf = (e: unknown): string | undefined => (e as NodeJS.ErrnoException).code

const why = (e: unknown): string => {
  const code = codeOf(e)
  return code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ELOOP' ? 'too many levels of symbolic links' : (code ?? 'read failed')
}

const ignored = (layers: ReadonlyArray<Layer>, real: string, isDirectory: boolean): boolean =>
  layers.some(({ base, rules }) => {
    const rel = nodePath.relative(base, real).split(nodePath.sep).join('/')
    return rel !== '' && !rel.startsWith('..') && rules.ignores(isDirectory ? `${rel}/` : rel)
  })

/**
 * The rules of a work tree's `.git/info/exclude` (git applies them like a `.gitignore` at the
 * root), when `root/.git` is a directory that has one. A `.git` file (a worktree or submodule
 * link) names its git directory elsewhere; its excludes are not read.
 */
const excludeLayer = (root: string): ReadonlyArray<Layer> => {
  try {
    return [{ base: root, rules: ignore().add(fs.readFileSync(nodePath.join(root, '.git', 'info', 'exclude'), 'utf8')) }]
  } catch {
    return []
  }
}

/**
 * The `.gitignore` files of the directories above `dir`, up to the root of the git work tree that
 * holds it (the first ancestor with a `.git`), outermost first, after the root's
 * `.git/info/exclude`: git applies them to `dir` too.
 * None when `dir` is not inside a work tree.
 */
const parentLayers = (dir: string): ReadonlyArray<Layer> => {
  // The work tree's own root: its .gitignore is read by the walk, and nothing above applies.
  if (fs.existsSync(nodePath.join(dir, '.git'))) return []
  const above: string[] = []
  for (let d = nodePath.dirname(dir); ; d = nodePath.dirname(d)) {
    above.unshift(d)
    if (fs.existsSync(nodePath.join(d, '.git'))) break
    if (nodePath.dirname(d) === d) return []
  }
  const layers: Layer[] = [...excludeLayer(above[0]!)]
  for (const d of above) {
    try {
      layers.push({ base: d, rules: ignore().add(fs.readFileSync(nodePath.join(d, '.gitignore'), 'utf8')) })
    } catch {
      // No .gitignore there (or unreadable): nothing to apply.
    }
  }
  return layers
}

/**
 * Scans `paths` (files or directories) for task image templates.
 *
 * @example
 * import { scanTaskFiles } from '@imgcfg/config-file'
 * const scan = await scanTaskFiles(['workflows'])
 * // { files: [{ path: 'workflows/train.py', templates: [...] }], filesScanned: 17, warnings: [] }
 *
 * @since 0.2.0
 */
export const scanTaskFiles = async (paths: ReadonlyArray<string>, options: ScanOptions = {}): Promise<TaskScan> => {
  const cwd = options.cwd ?? process.cwd()
  const maxBytes = options.maxFileBytes ?? 16 * 1024 * 1024
  const files: TaskFile[] = []
  const warnings: ScanWarning[] = []
  const visited = new Set<string>()
  let scanned = 0
  let scratch = Buffer.allocUnsafe(64 * 1024)
  const warn = (path: string, reason: ScanWarning['reason'], message: string) => void warnings.push({ path, reason, message })

  // Synchronous reads: for thousands of small files they cost a fraction of promise-based ones,
  // and only one file is held at a time either way. The caller has seen a regular file there
  // (a directory entry or a stat), so there is no fstat: opened without blocking, a file swapped
  // for a FIFO reads as empty and a device stops at the cap.
  const scanFile = (real: string, shown: string): void => {
    let n = 0
    try {
      const fd = fs.openSync(real, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0))
      try {
        // One buffer, reused and grown to the largest file (at most the cap and a byte).
        for (let r = 1; r > 0 && n <= maxBytes; ) {
          if (n === scratch.length) {
            const grown = Buffer.allocUnsafe(Math.min(maxBytes + 1, scratch.length * 2))
            scratch.copy(grown, 0, 0, n)
            scratch = grown
          }
          r = fs.readSync(fd, scratch, n, scratch.length - n, null)
          n += r
        }
      } finally {
        fs.closeSync(fd)
      }
    } catch (e) {
      return warn(shown, 'unreadable', `cannot read it: ${why(e)}`)
    }
    if (n > maxBytes) return warn(shown, 'too-large', `more than the ${maxBytes}-byte cap; not scanned`)
    const bytes = scratch.subarray(0, n)
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
    let id: string
    let entries: fs.Dirent[]
    try {
      const stat = fs.statSync(real)
      id = `${stat.dev}:${stat.ino}`
      entries = fs.readdirSync(real, { withFileTypes: true })
    } catch (e) {
      return warn(shown, 'unreadable', `cannot read the directory: ${why(e)}`)
    }
    if (visited.has(id)) return warn(shown, 'loop', 'a symbolic link back to a directory already scanned; not followed')
    visited.add(id)
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    if (entries.some((e) => e.name === 'pyvenv.cfg')) return
    let here = layers
    if (entries.some((e) => e.name === '.git' && e.isDirectory())) here = [...here, ...excludeLayer(real)]
    if (entries.some((e) => e.name === '.gitignore')) {
      try {
        here = [...layers, { base: real, rules: ignore().add(fs.readFileSync(nodePath.join(real, '.gitignore'), 'utf8')) }]
      } catch (e) {
        warn(nodePath.join(shown, '.gitignore'), 'unreadable', `cannot read it: ${why(e)}; its rules are not applied`)
      }
    }
    for (const entry of entries) {
      const name = entry.name
      const child = nodePath.join(real, name)
      const childShown = nodePath.join(shown, name)
      // Only a symbolic link needs a stat to know what it points at.
      let isDirectory = entry.isDirectory()
      let isFile = entry.isFile()
      if (entry.isSymbolicLink()) {
        try {
          const target = fs.statSync(child)
          isDirectory = target.isDirectory()
          isFile = target.isFile()
        } catch (e) {
          if (codeOf(e) === 'ELOOP') warn(childShown, 'loop', 'a symbolic link loop; not followed')
          else if (codeOf(e) !== 'ENOENT') warn(childShown, 'unreadable', `cannot read it: ${why(e)}`)
          continue
        }
      }
      if (isDirectory) {
        if (SKIPPED_DIRECTORIES.includes(name) || ignored(here, child, true)) continue
        walk(child, childShown, here)
      } else if (name.endsWith('.py') && !ignored(here, child, false)) {
        if (isFile) scanFile(child, childShown)
        else warn(childShown, 'unreadable', 'not a regular file; not scanned')
      }
    }
  }

  for (const path of paths) {
    const real = nodePath.resolve(cwd, path)
    try {
      const stat = fs.statSync(real)
      // A file given by name is scanned whatever its extension.
      if (stat.isDirectory()) walk(real, path, parentLayers(real))
      else if (stat.isFile()) scanFile(real, path)
      else warn(path, 'unreadable', 'not a regular file; not scanned')
    } catch (e) {
      if (codeOf(e) === 'ENOENT' || codeOf(e) === 'ENOTDIR') warn(path, 'missing', 'no such file or directory')
      else warn(path, 'unreadable', `cannot read it: ${why(e)}`)
    }
  }
  const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
  return { files: files.sort(byPath), filesScanned: scanned, warnings: warnings.sort(byPath) }
}
