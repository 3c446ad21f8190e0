/**
 * @imgcfg/config-file: flytectl YAML and legacy INI config files, discovery, `auto` and the
 * `pyflyte run` merge. The text parsing is also available alone as `@imgcfg/config-file/text`
 * (browser-safe); this entry adds the Node file-system functions.
 *
 * @since 0.1.0
 */
export * from './browser.js'
export {
  FLYTECTL_CONFIG_ENV,
  OVERRIDE_ENV,
  STDIN_ORIGIN,
  auto,
  autoDefaultImage,
  getConfigFile,
  loadConfigFile,
  loadConfigSource,
  nodeFileSystem,
  patchImageConfig,
  readConfigText,
  writeAtomically,
  type AutoDefaultImageOptions,
  type Context,
  type LoadedConfig,
} from './node.js'
export { SKIPPED_DIRECTORIES, scanTaskFiles, type ScanOptions, type ScanWarning, type TaskFile, type TaskScan } from './tasks.js'
export {
  loadImageSpec,
  loadImageSpecIfFile,
  nodeImageSpecFiles,
  type ImageSpecContext,
  type ImageSpecFiles,
  type ListedEntry,
  type LoadedImageSpec,
} from './imageSpecNode.js'
