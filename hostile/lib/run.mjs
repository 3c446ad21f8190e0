// Running hostile inputs with a hard bound on time: library calls in a child worker that is
// killed when one job overruns (a synchronous hang cannot be interrupted in-process), and the
// built CLI in a child process with a kill timeout.
import { spawn, spawnSync } from 'node:child_process'
import { chmodSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const require = createRequire(import.meta.url)

/** The built `imgcfg` binary of the workspace's @imgcfg/cli. */
export const BIN = join(dirname(require.resolve('@imgcfg/cli/package.json')), 'dist/bin.js')

const made = []

/**
 * What a job or CLI run as another user (`asUser`, root only) executes: the worker and the CLI
 * bundled into one file each in a fresh world-readable temporary directory, so the run does not
 * depend on where the checkout lives (a clone inside a 0700 `mktemp -d` directory is out of that
 * user's reach). Resolves to `{ worker, bin }`, or `{ skip }` with the reason it cannot run.
 * Made once per process.
 */
let unprivileged
export const unprivilegedCopy = async (user) => {
  unprivileged ??= (async () => {
    const dir = tempDir('imgcfg-unprivileged-')
    chmodSync(dir, 0o755)
    const worker = join(dir, 'worker.mjs')
    const bin = join(dir, 'bin.mjs')
    try {
      const { build } = await import('esbuild')
      const common = {
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        logLevel: 'silent',
        // CommonJS dependencies (fp-ts/lib) call require() for Node built-ins.
        banner: { js: "import { createRequire as __imgcfgRequire } from 'node:module'; const require = __imgcfgRequire(import.meta.url);" },
      }
      await build({ ...common, entryPoints: [join(here, 'worker.mjs')], outfile: worker })
      await build({ ...common, entryPoints: [BIN], outfile: bin })
      chmodSync(worker, 0o644)
      chmodSync(bin, 0o644)
    } catch (e) {
      return { skip: `the worker and CLI could not be bundled for uid ${user.uid}: ${String(e?.message ?? e).split('\n')[0]}` }
    }
    // The user must reach node itself and the copy; if not, say so instead of failing.
    const probe = spawnSync(process.execPath, [bin, '--version'], { cwd: dir, encoding: 'utf8', timeout: 10_000, env: { PATH: '/nonexistent' }, ...user })
    if (probe.error !== undefined || probe.status !== 0) {
      const lines = (probe.stderr ?? '').trim().split('\n')
      const why = probe.error?.message ?? (lines.find((l) => /Error/.test(l)) ?? lines[0]) ?? `exit ${probe.status}`
      return { skip: `uid ${user.uid} cannot run ${process.execPath} on a copy in ${dir}: ${why}` }
    }
    return { worker, bin }
  })()
  return unprivileged
}

/** A fresh real (symlink-free) temporary directory, removed by `removeTempDirs`. */
export const tempDir = (prefix = 'imgcfg-hostile-') => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)))
  made.push(dir)
  return dir
}

/** Removes every directory `tempDir` made (FIFOs, 50 MB files and all). */
export const removeTempDirs = () => {
  for (const dir of made.splice(0)) {
    try {
      rmSync(dir, { recursive: true, force: true })
    } catch {
      // A directory left behind in the temp dir is not worth failing a test run for.
    }
  }
}

/**
 * Runs jobs ({ id, calls, timeoutMs? }) in worker processes. A job that does not finish within
 * its timeout gets `{ timedOut: ms }`; the worker is killed and a new one continues with the next
 * job. Resolves to a Map from job id to `{ ms, outcomes }` or `{ timedOut }`.
 */
export const runJobs = async (jobs, { defaultTimeoutMs = 10_000 } = {}) => {
  const results = new Map()
  // A job with `asUser` ({ uid, gid }) runs in a worker of its own, as that user.
  const groups = [jobs.filter((j) => j.asUser === undefined), ...jobs.filter((j) => j.asUser !== undefined).map((j) => [j])]
  for (const group of groups) {
    let rest = group
    while (rest.length > 0) {
      const dir = tempDir('imgcfg-jobs-')
      chmodSync(dir, 0o755)
      const file = join(dir, 'jobs.json')
      writeFileSync(file, JSON.stringify(rest), { mode: 0o644 })
      const asUser = rest[0].asUser
      let worker = join(here, 'worker.mjs')
      if (asUser !== undefined) {
        const copy = await unprivilegedCopy(asUser)
        if (copy.skip !== undefined) {
          for (const job of rest) results.set(job.id, { skip: copy.skip })
          break
        }
        worker = copy.worker
      }
      const done = await runWorker(worker, file, rest, defaultTimeoutMs, results, asUser)
      rest = rest.slice(done)
    }
  }
  return results
}

const runWorker = (worker, file, jobs, defaultTimeoutMs, results, asUser) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [worker, file], {
      cwd: dirname(worker),
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(asUser ?? {}),
    })
    let buffered = ''
    let stderr = ''
    let finished = 0
    let timer
    let current
    const arm = (job) => {
      clearTimeout(timer)
      current = job
      const limit = job.timeoutMs ?? defaultTimeoutMs
      timer = setTimeout(() => {
        results.set(job.id, { timedOut: limit })
        finished += 1
        child.kill('SIGKILL')
      }, limit)
    }
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      buffered += chunk
      let nl
      while ((nl = buffered.indexOf('\n')) !== -1) {
        const line = buffered.slice(0, nl)
        buffered = buffered.slice(nl + 1)
        const msg = JSON.parse(line)
        if ('start' in msg) arm(jobs.find((j) => j.id === msg.start))
        else {
          clearTimeout(timer)
          current = undefined
          results.set(msg.id, { ms: msg.ms, outcomes: msg.outcomes, polluted: msg.polluted })
          finished += 1
        }
      }
    })
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d))
    child.on('close', () => {
      clearTimeout(timer)
      // A worker that died on its own (out of memory, a native crash, a failed import) fails the
      // job it was running, or the next one.
      const victim = current ?? jobs[finished]
      if (victim !== undefined && !results.has(victim.id)) {
        results.set(victim.id, { crashed: stderr.slice(-2000) })
        finished += 1
      }
      resolve(finished)
    })
  })

/**
 * Runs the built CLI. `options.stdin` is a string/Buffer to pipe in, or a file descriptor;
 * `options.uid`/`gid` run it as another user (root only), from `unprivilegedCopy`; when that
 * cannot run, resolves to `{ skip: reason }`. Killed after `timeoutMs`.
 */
export const runCli = async (args, options = {}) => {
  let bin = BIN
  if (options.uid !== undefined) {
    const copy = await unprivilegedCopy({ uid: options.uid, gid: options.gid })
    if (copy.skip !== undefined) return { skip: copy.skip }
    bin = copy.bin
  }
  return spawnCli(bin, args, options)
}

const spawnCli = (bin, args, options) =>
  new Promise((resolve, reject) => {
    const started = performance.now()
    const stdinIsFd = typeof options.stdin === 'number'
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: options.cwd ?? tempDir('imgcfg-cwd-'),
      // Nothing inherited: an empty HOME, no python3 on PATH, no FLYTECTL_CONFIG.
      env: { HOME: options.home ?? tempDir('imgcfg-home-'), PATH: '/nonexistent', ...options.env },
      stdio: [stdinIsFd ? options.stdin : 'pipe', 'pipe', 'pipe'],
      ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid } : {}),
    })
    const out = []
    const err = []
    let killed = false
    const timer = setTimeout(() => {
      killed = true
      child.kill('SIGKILL')
    }, options.timeoutMs ?? 10_000)
    child.stdout.on('data', (d) => out.push(d))
    child.stderr.on('data', (d) => err.push(d))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({
        code,
        signal,
        killed,
        ms: Math.round(performance.now() - started),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      })
    })
    if (!stdinIsFd) {
      // The CLI may stop reading early (a refused 50 MB stdin); that is not an error here.
      child.stdin.on('error', () => undefined)
      child.stdin.end(options.stdin ?? '')
    }
  })
