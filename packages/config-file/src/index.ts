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
  MAX_CONFIG_BYTES,
  OVERRIDE_ENV,
  auto,
  autoDefaultImage,
  getConfigFile,
  loadConfigFile,
  patchImageConfig,
  readConfigText,
  type AutoDefaultImageOptions,
  type Context,
} from './node.js'
