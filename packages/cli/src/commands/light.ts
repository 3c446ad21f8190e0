/** The subcommands that need only @imgcfg/core: one chunk, without the config-file parsers. */
export { defaultImage } from './defaultImage.js'
export { parse } from './parse.js'
export { schema } from './schema.js'
