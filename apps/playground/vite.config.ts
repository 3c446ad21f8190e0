import { defineConfig } from 'vite'

export default defineConfig({
  // Relative asset URLs, so dist/ works from any path (GitHub Pages, a file share, a sub-folder).
  base: './',
  resolve: {
    // core and config-file import fp-ts's CommonJS build; its ES build tree-shakes.
    alias: [{ find: /^fp-ts\/lib\/(.*)$/, replacement: 'fp-ts/es6/$1' }],
  },
  build: {
    target: 'es2022',
    sourcemap: true,
  },
})
