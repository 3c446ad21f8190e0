/**
 * What a user outside the repository does: pack each package as it would be published, install
 * the tarballs with npm into fresh projects in a temporary directory, and run programs there.
 */
import { execFile } from 'node:child_process'
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
export const published = ['core', 'config-file', 'registry', 'cli'] as const
export type Published = (typeof published)[number]

const require = createRequire(import.meta.url)
/** The TypeScript compiler of this workspace, run on the fresh projects' own node_modules. */
export const tsc = require.resolve('typescript/bin/tsc')

/**
 * The environment for npm: this process's, less what pnpm and vitest put there for their own
 * child processes (`npm_config_*` from pnpm would reconfigure npm), keeping where the registry,
 * the cache and a proxy are.
 */
export const cleanEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const keep = /^npm_config_(registry|cache|.*proxy|cafile|strict_ssl)$/i
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) || keep.test(k)),
  ) as NodeJS.ProcessEnv
  delete env.NODE_OPTIONS
  delete env.VITEST
  delete env.VITEST_POOL_ID
  delete env.VITEST_WORKER_ID
  delete env.NODE_ENV
  return { ...env, NO_COLOR: '1', npm_config_update_notifier: 'false', ...extra }
}

export interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

export const run = (file: string, args: ReadonlyArray<string>, cwd: string, env = cleanEnv()): Promise<Run> =>
  new Promise((done) => {
    execFile(file, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
      done({ code, stdout, stderr })
    })
  })

export const node = (args: ReadonlyArray<string>, cwd: string, env?: NodeJS.ProcessEnv) =>
  run(process.execPath, args, cwd, env)

const must = async (what: string, result: Promise<Run>): Promise<Run> => {
  const r = await result
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`)
  return r
}

/** `pnpm pack` of every published package (workspace:* becomes the version), into `dir`. */
export const packAll = async (dir: string): Promise<Record<Published, string>> => {
  mkdirSync(dir, { recursive: true })
  for (const name of published) {
    // One at a time: the machine is shared, and each takes about a second.
    await must(`pnpm pack (${name})`, run('pnpm', ['pack', '--pack-destination', dir], join(repoRoot, 'packages', name)))
  }
  const files = readdirSync(dir)
  const tarball = (name: Published) => {
    const file = files.find((f) => f.startsWith(`imgcfg-${name}-`) && f.endsWith('.tgz'))
    if (!file) throw new Error(`no tarball for ${name} in ${files.join(', ')}`)
    return join(dir, file)
  }
  return Object.fromEntries(published.map((n) => [n, tarball(n)])) as Record<Published, string>
}

/**
 * npm install, from npm's cache when it has everything (`--offline`), else from the registry
 * (`--prefer-offline`: only what the cache lacks is fetched).
 */
export const npmInstall = async (cwd: string, args: ReadonlyArray<string>): Promise<Run> => {
  const common = ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', ...args]
  const offline = await run('npm', [...common, '--offline'], cwd)
  return offline.code === 0 ? offline : must(`npm ${common.join(' ')}`, run('npm', [...common, '--prefer-offline'], cwd))
}

/** A fresh project: a directory with a package.json and the given files. */
export const project = (dir: string, type: 'module' | 'commonjs', files: Record<string, string>): string => {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type }, null, 2))
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true })
    writeFileSync(join(dir, name), text)
  }
  return dir
}

/**
 * The first ```ts block of a README and the output it says it prints: the comment lines after
 * its last `console.log(…)` line, without the `// `.
 */
export const readmeExample = (readme: string): { code: string; output: string } => {
  const block = /```ts\n([\s\S]*?)```/.exec(readme)
  if (!block) throw new Error('no ```ts block')
  const lines = block[1]!.trimEnd().split('\n')
  let last = lines.length - 1
  while (last >= 0 && !lines[last]!.startsWith('console.log(')) last -= 1
  const output = lines.slice(last + 1)
  if (last < 0 || output.length === 0 || !output.every((l) => l.startsWith('//'))) {
    throw new Error(`the block does not end with console.log(…) and the output as comments:\n${block[1]}`)
  }
  return { code: block[1]!, output: output.map((l) => l.replace(/^\/\/ ?/, '')).join('\n') }
}
