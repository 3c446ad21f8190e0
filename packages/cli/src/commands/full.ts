/** The subcommands that read config files: one chunk, with @imgcfg/config-file and yaml. */
export { lint } from './lint.js'
export { find, resolve } from './resolve.js'
export { imageSpec } from './imageSpec.js'
export { taskImage } from './taskImage.js'
