/**
 * Running the CLI in tests: in-process through `run` with fake capabilities, and as the built
 * binary in a child process with a controlled environment.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { nodeFileSystem, type FileSystem } from '@imgcfg/config-file'
import { expect } from 'vitest'
import type { Capabilities, PythonProbe } from '../src/run.js'
import { run } from '../src/run.js'

const here = dirname(fileURLToPath(import.meta.url))

/** The built executable the package's `bin` points at. */
export const BIN = resolve(here, '../dist/bin.js')

export interface Result {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** A fresh, empty, real (symlink-free) temporary directory. */
export const tempDir = (prefix = 'imgcfg-cli-'): string => realpathSync(mkdtempSync(join(tmpdir(), prefix)))

/** Writes files (relative paths) under `dir` and returns `dir`. */
export const withFiles = (dir: string, files: Readonly<Record<string, string>>): string => {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true })
    writeFileSync(join(dir, name), text)
  }
  return dir
}

/**
 * A directory to use as PATH holding a fake `python3` that prints what the real probe would
 * (`X.Y flytekitVersion`); `undefined` gives a PATH with no python3 at all.
 */
export const fakePythonPath = (answer?: string): string => {
  const dir = tempDir('imgcfg-path-')
  if (answer !== undefined) {
    const script = join(dir, 'python3')
    writeFileSync(script, `#!/bin/sh\necho '${answer}'\n`)
    chmodSync(script, 0o755)
  }
  return dir
}

export interface FakeOptions {
  readonly env?: Record<string, string>
  readonly cwd?: string
  readonly home?: string
  readonly stdin?: string
  readonly python?: PythonProbe
  readonly tty?: boolean
  /** The file system commands see; the real one unless a test gives an in-memory one. */
  readonly fs?: FileSystem
}

/** Runs `run` in-process with in-memory writers; counts the python3 probes. */
export const runInProcess = async (
  argv: ReadonlyArray<string>,
  options: FakeOptions = {},
): Promise<Result & { readonly probes: number }> => {
  let stdout = ''
  let stderr = ''
  let probes = 0
  const caps: Capabilities = {
    stdout: { write: (s) => void (stdout += s), isTTY: options.tty === true },
    stderr: { write: (s) => void (stderr += s), isTTY: false },
    env: options.env ?? {},
    cwd: options.cwd ?? tempDir(),
    home: options.home ?? tempDir(),
    readStdin: async () => options.stdin ?? '',
    fs: options.fs ?? nodeFileSystem,
    probePython: async () => {
      probes += 1
      return options.python
    },
  }
  const code = await run(argv, caps)
  return { code, stdout, stderr, probes }
}

export interface SpawnOptions {
  /** The whole environment: nothing is inherited. */
  readonly env?: Record<string, string>
  readonly cwd?: string
  readonly input?: string
}

/** Runs the built binary; only `env` reaches it, with HOME and PATH pointing at empty directories unless given. */
export const spawnCli = (args: ReadonlyArray<string>, options: SpawnOptions = {}): Promise<Result> => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`pnpm build\` (turbo builds it before the tests)`)
  const env = { HOME: tempDir('imgcfg-home-'), PATH: fakePythonPath(), ...options.env }
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? tempDir('imgcfg-cwd-'),
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  child.stdin.end(options.input ?? '')
  return collect(child)
}

/** What a child process printed, and its exit code, once it has closed. */
export const collect = (child: ChildProcessWithoutNullStreams): Promise<Result> =>
  new Promise((resolvePromise, reject) => {
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }))
  })

/** The conventions every failure keeps: the exit code, nothing on stdout, a sentence on stderr, no stack. */
export const expectFailure = (r: Result, code: 1 | 2, ...parts: ReadonlyArray<string>): void => {
  expect({ code: r.code, stdout: r.stdout }, r.stderr).toEqual({ code, stdout: '' })
  expect(r.stderr).toMatch(/^imgcfg: /)
  expectNoStack(r)
  for (const part of parts) expect(r.stderr).toContain(part)
}

export const expectSuccess = (r: Result): void => {
  expect(r.code, r.stderr).toBe(0)
  expectNoStack(r)
}

export const expectNoStack = (r: Result): void => {
  expect(r.stderr).not.toMatch(/\n\s+at /)
  expect(r.stderr).not.toMatch(/Error:|node:internal/)
}
