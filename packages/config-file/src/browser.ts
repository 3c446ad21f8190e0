/**
 * @imgcfg/config-file for the browser: parsing config-file text and the pure parts of `auto`
 * and the `pyflyte run` merge. Nothing here touches a file system.
 *
 * @since 0.1.0
 */
export {
  detectFormat,
  formatFromPath,
  imageConfigFromFile,
  parseConfigText,
  patchWithFile,
  specifiedImages,
  type ConfigFile,
  type ConfigFormat,
  type ConfigImage,
  type ConfigSource,
  type ParseOptions,
} from './ConfigFile.js'
export { memoryFileSystem, type DirectoryListing, type EntryKind, type FileSystem, type WalkFailure } from './FileSystem.js'
export { MAX_CONFIG_BYTES, MAX_CONFIG_SIZE } from './limits.js'
export {
  configLocation,
  formatConfigError,
  isConfigFileError,
  type ConfigError,
  type ConfigFileError,
  type ConfigFileUnreadable,
  type ConfigSyntaxError,
  type InternalSection,
  type InvalidConfigImage,
  type Location,
} from './errors.js'
export { hasSection, parseIni, sectionItems } from './ini.js'
export type { IniDocument, IniOption, IniSection } from './ini.js'
export { YAML_LIMITS, parseYamlImages } from './yaml.js'
export {
  chooseDefaultImage,
  describeOrigin,
  formatResolutionError,
  resolve,
  type DefaultImageChoice,
  type DefaultReason,
  type Origin,
  type Problem,
  type ResolutionError,
  type ResolveInput,
  type Resolved,
} from './Resolution.js'
export { mayContainTemplates, scanTaskTemplates, type LocatedPlaceholder, type TaskTemplate } from './TaskTemplates.js'
export { parseImageSpecDocument, parseImageSpecText, type ImageSpecParseOptions, type ParsedImageSpec } from './ImageSpecFile.js'
export { safeLoad, type PyYamlProblem } from './pyyaml.js'
