/**
 * A disk cache of the `python3` probe. Starting python3 costs more than the rest of a command
 * (about 140 ms, 250 ms through a pyenv shim), and its answer changes only when the interpreter or
 * its installed packages do. So the answer is kept with a fingerprint of what decides it, checked
 * with a few `stat` calls, as virtualenv caches interpreter information:
 *
 * - the `python3` that PATH resolves to (path, real path, size, mtime, inode);
 * - the variables that change what it runs or imports (VIRTUAL_ENV, PYENV_VERSION, PYTHONPATH, …);
 * - for a pyenv shim, the `.python-version` files that select the interpreter;
 * - the modification times of the interpreter's `sys.path` directories, which change when a
 *   package (flytekit) is installed, upgraded or removed there.
 *
 * Any failure to read or write the cache only means probing again. `IMGCFG_NO_CACHE=1` turns it
 * off; `IMGCFG_CACHE_DIR` (else `$XDG_CACHE_HOME/imgcfg`, else `~/.cache/imgcfg`) says where it is.
 *
 * @since 0.1.0
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { PythonProbe } from './Capabilities.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** What a probe run reports: the answer, and the directories whose changes invalidate it. */
export interface ProbeRun {
  readonly probe: PythonProbe | undefined
  readonly pathDirs: ReadonlyArray<string>
}

interface Entry {
  readonly fingerprint: string
  readonly dirs: ReadonlyArray<readonly [dir: string, mtimeMs: number]>
  readonly probe: PythonProbe | null
}

interface CacheFile {
  readonly version: 1
  readonly entries: ReadonlyArray<Entry>
}

const CACHE_NAME = 'python-probe.json'
const MAX_ENTRIES = 16
const ENV_THAT_MATTERS = [
  'VIRTUAL_ENV',
  'CONDA_PREFIX',
  'PYENV_VERSION',
  'PYENV_ROOT',
  'PYTHONPATH',
  'PYTHONHOME',
  'PYTHONUSERBASE',
  'PYTHONNOUSERSITE',
] as const

type Env = Readonly<Record<string, string | undefined>>

// -------------------------------------------------------------------------------------
// fingerprint
// -------------------------------------------------------------------------------------

const statOrUndefined = (p: string): fs.Stats | undefined => {
  try {
    return fs.statSync(p)
  } catch {
    return undefined
  }
}

/** The `python3` an exec from this PATH would run: the first executable regular file. */
export const whichPython3 = (env: Env, cwd: string): string | undefined => {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.resolve(cwd, dir === '' ? '.' : dir, 'python3')
    const stat = statOrUndefined(candidate)
    if (stat === undefined || !stat.isFile()) continue
    try {
      fs.accessSync(candidate, fs.constants.X_OK)
      return candidate
    } catch {
      // not executable: exec skips it too
    }
  }
  return undefined
}

const readOrEmpty = (p: string): string => {
  try {
    return fs.readFileSync(p, 'utf8').trim()
  } catch {
    return ''
  }
}

// pyenv picks the interpreter from PYENV_VERSION, the nearest .python-version, then its global file.
const pyenvSelection = (env: Env, cwd: string, home: string): ReadonlyArray<string> => {
  const found: string[] = []
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    const local = readOrEmpty(path.join(dir, '.python-version'))
    if (local !== '') {
      found.push(`${dir}:${local}`)
      break
    }
    if (path.dirname(dir) === dir) break
  }
  found.push(readOrEmpty(path.join(env.PYENV_ROOT ?? path.join(home, '.pyenv'), 'version')))
  return found
}

/** What decides the probe's answer, short of running python3; `undefined` when there is no python3. */
export const fingerprint = (env: Env, cwd: string, home: string): string | undefined => {
  const python = whichPython3(env, cwd)
  if (python === undefined) return undefined
  let real = python
  try {
    real = fs.realpathSync(python)
  } catch {
    // keep the path as found
  }
  const stat = statOrUndefined(real)
  const isShim = /[\\/]shims[\\/]/.test(python) || env.PYENV_VERSION !== undefined
  return JSON.stringify({
    python,
    real,
    size: stat?.size,
    mtimeMs: stat?.mtimeMs,
    ino: stat?.ino,
    env: ENV_THAT_MATTERS.map((name) => env[name] ?? null),
    pyenv: isShim ? pyenvSelection(env, cwd, home) : null,
  })
}

// -------------------------------------------------------------------------------------
// cache
// -------------------------------------------------------------------------------------

/** Where the cache lives, or `undefined` when it is turned off. */
export const cacheFile = (env: Env, home: string): string | undefined => {
  if (env.IMGCFG_NO_CACHE === '1') return undefined
  const dir = env.IMGCFG_CACHE_DIR ?? path.join(env.XDG_CACHE_HOME ?? path.join(home, '.cache'), 'imgcfg')
  return path.join(dir, CACHE_NAME)
}

const readCache = (file: string): CacheFile => {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as CacheFile
    return parsed.version === 1 && Array.isArray(parsed.entries) ? parsed : { version: 1, entries: [] }
  } catch {
    return { version: 1, entries: [] }
  }
}

const writeCache = (file: string, cache: CacheFile): void => {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true })
    const temp = `${file}.${process.pid}.tmp`
    fs.writeFileSync(temp, JSON.stringify(cache))
    fs.renameSync(temp, file)
  } catch {
    // A read-only home only costs the next run a probe.
  }
}

const fresh = (entry: Entry): boolean => entry.dirs.every(([dir, mtimeMs]) => statOrUndefined(dir)?.mtimeMs === mtimeMs)

/**
 * The probe's answer from the cache when nothing that decides it has changed, else from `run`
 * (whose answer is then stored).
 *
 * @example
 * import { cachedProbe } from './probeCache.js'
 * // The real CLI passes process.env, process.cwd(), os.homedir() and the python3 spawn;
 * // with IMGCFG_NO_CACHE=1 the probe simply runs.
 * const probe = async () => ({ probe: { pythonVersion: '3.11' }, pathDirs: [] })
 * await cachedProbe({ IMGCFG_NO_CACHE: '1' }, '/w', '/home/me', probe) // { pythonVersion: '3.11' }
 */
export const cachedProbe = async (
  env: Env,
  cwd: string,
  home: string,
  run: () => Promise<ProbeRun>,
): Promise<PythonProbe | undefined> => {
  const file = cacheFile(env, home)
  const key = file === undefined ? undefined : fingerprint(env, cwd, home)
  // No python3 on PATH: nothing to run, nothing to cache.
  if (file !== undefined && key === undefined) return undefined
  if (file === undefined || key === undefined) return (await run()).probe
  const cache = readCache(file)
  const hit = cache.entries.find((entry) => entry.fingerprint === key && fresh(entry))
  if (hit !== undefined) return hit.probe ?? undefined
  const result = await run()
  const dirs = result.pathDirs.flatMap((dir): Array<readonly [string, number]> => {
    const stat = statOrUndefined(dir)
    return stat === undefined ? [] : [[dir, stat.mtimeMs]]
  })
  const entry: Entry = { fingerprint: key, dirs, probe: result.probe ?? null }
  writeCache(file, {
    version: 1,
    entries: [entry, ...cache.entries.filter((e) => e.fingerprint !== key)].slice(0, MAX_ENTRIES),
  })
  return result.probe
}
