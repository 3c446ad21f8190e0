/**
 * @imgcfg/core: flytekit's image configuration as a pure TypeScript model. Each namespace is
 * also a subpath (`@imgcfg/core/Image`), so an import pays only for what it uses.
 *
 * @since 0.1.0
 */
export * as Image from './Image.js'
export * as ImageConfig from './ImageConfig.js'
export * as ImageFlag from './ImageFlag.js'
export * as DefaultImages from './DefaultImages.js'
export * as Reference from './Reference.js'
export * as ContainerImage from './ContainerImage.js'
export * as ImageSpec from './ImageSpec.js'
export * as codecs from './codecs.js'
export { formatError } from './errors.js'
export type * from './errors.js'
export type { ImageJson, Identifier } from './Image.js'
export type { ImageConfigJson, JsonSchema } from './ImageConfig.js'
export type { Placeholder } from './ContainerImage.js'
export type { ImageSpec as ImageSpecValue, FileDigests } from './ImageSpec.js'
