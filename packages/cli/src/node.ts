/**
 * The real capabilities: the process's streams, environment and working directory, and a
 * `python3` probe that runs only when a command asks for it.
 *
 * @since 0.1.0
 */
import { homedir } from 'node:os'
import { nodeFileSystem } from '@imgcfg/config-file/fs'
import type { Capabilities, PythonProbe } from './Capabilities.js'
import { cachedProbe, type ProbeRun } from './probeCache.js'

// One spawn answers both questions. The flytekit version comes from its installed metadata, and
// importlib.metadata (slow to import) is loaded only when a flytekit package is on the path.
const PROBE = `import sys
from importlib.util import find_spec
f = ''
try:
    if find_spec('flytekit') is not None:
        from importlib.metadata import version
        f = version('flytekit')
except Exception:
    pass
print(f'{sys.version_info[0]}.{sys.version_info[1]} {f}')
import os
for p in sys.path:
    if p and os.path.isdir(p):
        print(p)`

/** Asks the `python3` on PATH for its version and its flytekit's, and where it imports from. */
export const runProbe = async (env: Capabilities['env']): Promise<ProbeRun> => {
  const { spawnSync } = await import('node:child_process')
  const result = spawnSync('python3', ['-c', PROBE], {
    encoding: 'utf8',
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 10_000,
  })
  const [first = '', ...pathDirs] = result.status === 0 ? result.stdout.split('\n').filter((l) => l !== '') : []
  const match = /^(\d+\.\d+) ?(\S*)/.exec(first.trim())
  if (match === null) return { probe: undefined, pathDirs: [] }
  const probe = match[2] ? { pythonVersion: match[1]!, flytekitVersion: match[2] } : { pythonVersion: match[1]! }
  return { probe, pathDirs }
}

/** The probe's answer, from the cache while the interpreter and its packages are unchanged. */
export const probePython = (env: Capabilities['env'], cwd: string, home: string): Promise<PythonProbe | undefined> =>
  cachedProbe(env, cwd, home, () => runProbe(env))

const readStdin = async (maxBytes = Number.POSITIVE_INFINITY): Promise<string> => {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer)
    size += (chunk as Buffer).length
    // Past the limit the caller refuses the text anyway: stop, so `< /dev/zero` cannot exhaust memory.
    if (size > maxBytes) break
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** @since 0.1.0 */
export const nodeCapabilities = (): Capabilities => ({
  stdout: {
    write: (s) => void process.stdout.write(s),
    isTTY: process.stdout.isTTY === true,
    ...(process.stdout.isTTY === true && process.stdout.columns > 0 ? { columns: process.stdout.columns } : {}),
  },
  stderr: { write: (s) => void process.stderr.write(s), isTTY: process.stderr.isTTY === true },
  env: process.env,
  cwd: process.cwd(),
  home: homedir(),
  readStdin,
  fs: nodeFileSystem,
  probePython: () => probePython(process.env, process.cwd(), homedir()),
})
