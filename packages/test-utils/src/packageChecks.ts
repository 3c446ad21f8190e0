/**
 * Checks every published package runs: a browser bundle with no Node built-in, publint, and
 * arethetypeswrong. Shared by the packages' `package.test.ts`.
 */
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { build } from 'esbuild'
import { publint } from 'publint'
import { describe, expect, it } from 'vitest'

export const bundleForBrowser = async (root: string, source: string) => {
  const result = await build({
    stdin: { contents: source, resolveDir: root, loader: 'ts' },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'browser',
    metafile: true,
    logLevel: 'silent',
    // No alias and no plugin: what a user's bundler does with the package (its `module` condition).
  })
  const inputs = Object.keys(result.metafile.inputs)
  const output = Object.values(result.metafile.outputs)[0]!
  return {
    inputs,
    /** The inputs that put at least one byte into the bundle (tree-shaken ones excluded). */
    contributing: Object.entries(output.inputs)
      .filter(([, v]) => v.bytesInOutput > 0)
      .map(([k]) => k),
    nodeBuiltins: inputs.filter((i) => i.startsWith('node:') || /(^|\/)(fs|path|os|process|child_process)$/.test(i)),
    bytes: result.outputFiles[0]!.contents.length,
  }
}

export const publintMessages = async (root: string) =>
  (await publint({ pkgDir: root, strict: true, level: 'warning' })).messages

/** Runs `attw --pack` for the node16 profile; status 0 means no problem. */
export const arethetypeswrong = (root: string) =>
  spawnSync('attw', ['--pack', '.', '--profile', 'node16', '--format', 'ascii'], {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: `${resolve(root, 'node_modules/.bin')}:${resolve(root, '../../node_modules/.bin')}:${process.env.PATH}`,
    },
  })

/** The publishability checks every library runs: publint and arethetypeswrong. */
export const describePublishable = (root: string): void => {
  describe('the package is publishable', () => {
    it('publint finds nothing to fix', async () => {
      expect(await publintMessages(root)).toStrictEqual([])
    })
    it('arethetypeswrong finds no problem for node16 and bundlers', () => {
      const run = arethetypeswrong(root)
      expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0)
      expect(run.stdout).toContain('node16 (from ESM): 🟢 (ESM)')
    }, 120_000)
  })
}
