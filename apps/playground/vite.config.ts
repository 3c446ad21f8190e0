import { readFileSync } from 'node:fs'
import { defineConfig } from 'vite'

/** The version shown in the header is the library's that resolves (config-file); the link is the playground's repository. */
const read = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { version: string; repository?: { url: string } }
const library = read('../../packages/config-file/package.json')
const own = read('./package.json')

export default defineConfig({
  // Relative asset URLs, so dist/ works from any path (GitHub Pages, a file share, a sub-folder).
  base: './',
  define: {
    __IMGCFG_VERSION__: JSON.stringify(library.version),
    __IMGCFG_REPOSITORY__: JSON.stringify((own.repository?.url ?? '').replace(/^git\+/, '').replace(/\.git$/, '')),
  },
  resolve: {
    // core and config-file import fp-ts's CommonJS build; its ES build tree-shakes.
    alias: [{ find: /^fp-ts\/lib\/(.*)$/, replacement: 'fp-ts/es6/$1' }],
  },
  build: {
    target: 'es2022',
    sourcemap: true,
  },
})
