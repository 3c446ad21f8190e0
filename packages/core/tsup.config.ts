import { readFile } from 'node:fs/promises'
import { transform, type Plugin } from 'esbuild'
import { defineConfig } from 'tsup'

const entry = [
  'src/index.ts',
  'src/Image.ts',
  'src/ImageConfig.ts',
  'src/ImageFlag.ts',
  'src/DefaultImages.ts',
  'src/Reference.ts',
  'src/ContainerImage.ts',
  'src/ImageSpec.ts',
  'src/codecs.ts',
  'src/errors.ts',
]

// fp-ts has no exports map: `fp-ts/lib/*` is its CommonJS build (what Node loads, from ESM and
// CJS alike) and `fp-ts/es6/*` the same code as ES modules, which only bundlers can load (the
// files are `.js` in a package without "type": "module"). The bundler build imports the latter.
//
// One more step for esbuild: fp-ts's `es6/Either.js` has two top-level calls without a
// `/*#__PURE__*/` mark (`as` and `asUnit`), so esbuild keeps them and what they reach (Functor,
// `dual`, `pipe`: 1.5 KB) in every bundle that imports it. A module that uses nothing of Either
// but `left`, `right`, `isLeft` and `isRight` imports them from `fp-ts/es6/internal.js`, where
// `Either.js` itself takes them from (`export var left = _.left`): the same functions, without the
// rest. Any other use keeps `Either.js`; the build checks which, so nothing is guessed.
const constructorsOnly = new Set(['Either', 'left', 'right', 'isLeft', 'isRight'])

// Decided on the module's JavaScript (esbuild's transform: no types, no comments), applied to its
// TypeScript source.
const toEsModules = async (source: string): Promise<string> => {
  const es6 = source.replace(/(['"])fp-ts\/lib\//g, '$1fp-ts/es6/')
  const { code } = await transform(es6, { loader: 'ts', format: 'esm' })
  const either = /^import \* as (\w+) from "fp-ts\/es6\/Either\.js";$/m.exec(code)
  if (!either) return es6
  const [statement, alias] = either as unknown as [string, string]
  // Every mention of the alias, once the import and the allowed `E.left`-style uses are taken
  // out, is a use of something else (or of the namespace itself): then Either.js stays.
  const rest = code
    .replace(statement, '')
    .replace(new RegExp(`\\b${alias}\\.(${[...constructorsOnly].join('|')})\\b`, 'g'), '')
  if (new RegExp(`\\b${alias}\\b`).test(rest)) return es6
  return es6.replace(
    new RegExp(`^import \\* as ${alias} from (['"])fp-ts/es6/Either\\.js\\1`, 'm'),
    `import * as ${alias} from 'fp-ts/es6/internal.js'`,
  )
}

const fpTsEs6: Plugin = {
  name: 'fp-ts-es6',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => ({
      contents: await toEsModules(await readFile(args.path, 'utf8')),
      loader: 'ts',
    }))
  },
}

export default defineConfig([
  // For Node (the `import` and `require` conditions): ESM and CJS, with type declarations.
  {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'es2022',
    platform: 'neutral',
    treeshake: true,
    splitting: false,
  },
  // For bundlers (the `module` condition, which Node ignores): one ES module per source file, so
  // `export * as Image` stays a re-export a bundler can see through, and fp-ts's ES modules.
  {
    entry: ['src/**/*.ts'],
    outDir: 'dist/es',
    format: ['esm'],
    bundle: false,
    dts: false,
    clean: false,
    sourcemap: true,
    target: 'es2022',
    platform: 'neutral',
    esbuildPlugins: [fpTsEs6],
  },
])
