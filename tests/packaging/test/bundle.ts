/**
 * What a default bundler makes of a consumer: esbuild, Rollup and Vite with their default
 * settings (no alias, no plugin beyond what each needs to bundle at all: Rollup's node-resolve and
 * a minifier), minified, on the packages as npm installed them.
 */
import { nodeResolve } from '@rollup/plugin-node-resolve'
import terserModule from '@rollup/plugin-terser'
import { build as esbuild } from 'esbuild'
import { rollup, type Plugin } from 'rollup'
import { build as vite } from 'vite'

// The plugin's types are CommonJS-typed (no "type": "module") while Node loads its ES module, so
// under NodeNext the default import is typed as the module object. Either way, the function:
const terser = ((terserModule as unknown as { default?: unknown }).default ?? terserModule) as () => Plugin

export type Bundler = 'esbuild' | 'rollup' | 'vite'
export const bundlers: ReadonlyArray<Bundler> = ['esbuild', 'rollup', 'vite']

/** The minified bundle of `entry` (an ES module), as one string. */
export const bundle = async (bundler: Bundler, entry: string, root: string): Promise<string> => {
  switch (bundler) {
    case 'esbuild': {
      // `esbuild entry --bundle --minify --format=esm`
      const result = await esbuild({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', write: false, logLevel: 'silent' })
      return result.outputFiles[0]!.text
    }
    case 'rollup': {
      // fp-ts's ES modules start with `this && this.__spreadArray` (Rollup says so, and rewrites it).
      const build = await rollup({ input: entry, plugins: [nodeResolve()], onwarn: () => undefined })
      const { output } = await build.generate({ format: 'es', plugins: [terser()] })
      await build.close()
      return output.map((o) => (o.type === 'chunk' ? o.code : '')).join('')
    }
    case 'vite': {
      // `vite build` of an app whose entry is `entry`, with no config file.
      const result = await vite({
        root,
        configFile: false,
        logLevel: 'silent',
        build: { write: false, rollupOptions: { input: entry } },
      })
      const outputs = (Array.isArray(result) ? result : [result]) as Array<{ output: Array<{ type: string; code?: string }> }>
      return outputs.flatMap((r) => r.output.map((o) => (o.type === 'chunk' ? o.code! : ''))).join('')
    }
  }
}
