import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Plugin } from 'esbuild'
import { defineConfig } from 'tsup'

const require = createRequire(import.meta.url)
const packages = join(dirname(fileURLToPath(import.meta.url)), '..')

// The libraries import fp-ts's CommonJS build (fp-ts has no exports map) and yaml resolves to its
// CommonJS build under Node. Their ES module builds are the same code, and they tree-shake.
const esmBuilds: Plugin = {
  name: 'esm-builds',
  setup(build) {
    build.onResolve({ filter: /^fp-ts\/lib\// }, (args) =>
      build.resolve(args.path.replace(/^fp-ts\/lib\//, 'fp-ts/es6/'), { kind: args.kind, resolveDir: args.resolveDir }),
    )
    build.onResolve({ filter: /^@imgcfg\/(core|config-file|registry)(\/|$)/ }, (args) => {
      const [, pkg, sub] = /^@imgcfg\/([^/]+)\/?(.*)$/.exec(args.path)!
      return { path: join(packages, pkg!, 'src', `${sub || 'index'}.ts`) }
    })
    build.onResolve({ filter: /^yaml$/ }, () => ({
      path: join(dirname(require.resolve('yaml/package.json')), 'browser', 'index.js'),
    }))
  },
}

// One executable, bundled: the workspace libraries and their dependencies are inlined so a cold
// start reads a handful of files, and each subcommand is a chunk loaded on demand.
export default defineConfig({
  entry: { bin: 'src/bin.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  splitting: true,
  treeshake: true,
  clean: true,
  sourcemap: false,
  minify: true,
  noExternal: [/^@imgcfg\//, /^fp-ts/, /^io-ts/, 'yaml'],
  esbuildPlugins: [esmBuilds],
  esbuildOptions(options) {
    // io-ts: prefer its ES module build ("module") over "main".
    options.mainFields = ['module', 'main']
  },
})
