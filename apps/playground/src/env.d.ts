/** Set by vite.config.ts from package.json at build time. */
declare const __IMGCFG_VERSION__: string
declare const __IMGCFG_REPOSITORY__: string
