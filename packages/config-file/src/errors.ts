/**
 * What can go wrong with a config file: a tagged union like core's `ImgcfgError`, and one
 * `formatConfigError` that turns any of them (core's included) into the sentence a user reads.
 * Core knows nothing about files; this package composes core's renderer with its own, the way
 * `@imgcfg/registry` does. Browser-safe.
 *
 * @since 0.2.0
 */
import { formatError, quote, truncate, visible, type ImgcfgError } from '@imgcfg/core/errors'
import { MAX_CONFIG_SIZE } from './limits.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Where a problem sits in a config file: the file as the user named it, 1-based line and column.
 *
 * @since 0.1.0
 */
export interface Location {
  readonly origin?: string
  readonly line?: number
  readonly column?: number
}

/**
 * A config file's text is not valid YAML/INI, or does not have the expected shape.
 *
 * @since 0.1.0
 */
export interface ConfigSyntaxError extends Location {
  readonly _tag: 'ConfigSyntaxError'
  readonly format: 'yaml' | 'ini'
  readonly message: string
}

/**
 * A legacy INI config file carries an `[internal]` section, which flytekit refuses.
 *
 * @since 0.1.0
 */
export interface InternalSection extends Location {
  readonly _tag: 'InternalSection'
}

/**
 * Reading a config file (or, with `kind: 'imagespec'`, an ImageSpec file) failed before parsing.
 *
 * @since 0.1.0
 */
export interface ConfigFileUnreadable {
  readonly _tag: 'ConfigFileUnreadable'
  readonly path: string
  /** The file was read as an ImageSpec file (`loadImageSpec`); absent for a config file. @since 0.3.0 */
  readonly kind?: 'imagespec'
  readonly reason: 'missing' | 'directory' | 'not-a-file' | 'too-large' | 'permission' | 'other'
  readonly detail?: string
}

/**
 * A config-file image that fails the OCI grammar under strict (`resolve`).
 *
 * @since 0.1.0
 */
export interface InvalidConfigImage {
  readonly _tag: 'InvalidConfigImage'
  readonly path?: string
  readonly line?: number
  readonly column?: number
  readonly name: string
  readonly cause: ImgcfgError
}

/**
 * The errors only config files have.
 *
 * @since 0.2.0
 */
export type ConfigFileError = ConfigSyntaxError | InternalSection | ConfigFileUnreadable | InvalidConfigImage

/**
 * Everything this package's functions can fail with: core's errors and the config-file ones.
 *
 * @since 0.2.0
 */
export type ConfigError = ImgcfgError | ConfigFileError

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

const CONFIG_FILE_ERRORS: ReadonlySet<string> = new Set<ConfigFileError['_tag']>([
  'ConfigSyntaxError',
  'InternalSection',
  'ConfigFileUnreadable',
  'InvalidConfigImage',
])

/**
 * Whether an error is one of the config-file ones (else it is core's).
 *
 * @since 0.2.0
 */
export const isConfigFileError = (e: ConfigError): e is ConfigFileError => CONFIG_FILE_ERRORS.has(e._tag)

/**
 * `path:line:column` as far as it is known, made visible; `<stdin>` for text without a path.
 *
 * @example
 * import { configLocation } from '@imgcfg/config-file/text'
 * configLocation({ path: 'flytekit.config', line: 3, column: 1 }) // 'flytekit.config:3:1'
 *
 * @since 0.1.0
 */
export const configLocation = (origin: { readonly path?: string; readonly line?: number; readonly column?: number }): string =>
  visible(
    [origin.path ?? '<stdin>', origin.line, origin.line !== undefined ? origin.column : undefined]
      .filter((part) => part !== undefined)
      .join(':'),
  )

const located = (loc: Location): string => configLocation({ path: loc.origin ?? '<config>', ...lineColumn(loc) })

const lineColumn = (loc: Location): { line?: number; column?: number } => ({
  ...(loc.line !== undefined ? { line: loc.line } : {}),
  ...(loc.column !== undefined ? { column: loc.column } : {}),
})

/** A very long path shortened in the middle, so that its start and its file name stay visible. */
const shortPath = (s: string): string => (s.length <= 240 ? s : `${s.slice(0, 100)}…${s.slice(-100)}`)

/**
 * Why a file could not be read, in words ("permission denied"), for messages about files that
 * are not config files too (a `.gitignore` under `lint --tasks`).
 *
 * @since 0.3.0
 */
export const UNREADABLE: Readonly<Record<ConfigFileUnreadable['reason'], string>> = {
  missing: 'no such file',
  directory: 'it is a directory',
  'not-a-file': 'it is not a regular file',
  'too-large': `it is larger than ${MAX_CONFIG_SIZE}`,
  permission: 'permission denied',
  other: 'read failed',
}

/**
 * The sentence a user reads for any error of this package, core's included.
 *
 * @example
 * import { formatConfigError } from '@imgcfg/config-file/text'
 * formatConfigError({ _tag: 'ConfigSyntaxError', format: 'ini', origin: 'flytekit.config', line: 2, column: 1, message: 'option outside a section' })
 * // 'flytekit.config:2:1: option outside a section'
 *
 * @since 0.2.0
 */
export const formatConfigError = (e: ConfigError): string => {
  if (!isConfigFileError(e)) return formatError(e)
  switch (e._tag) {
    case 'ConfigSyntaxError':
      return `${located(e)}: ${visible(e.message)}`
    case 'InternalSection':
      return `The config file '${visible(e.origin ?? '<config>')}' cannot contain a section for internal only configurations.${e.line !== undefined ? ` (${located(e)})` : ''}`
    case 'ConfigFileUnreadable':
      return `Cannot read ${e.kind === 'imagespec' ? 'ImageSpec' : 'config'} file ${quote(shortPath(e.path))}: ${UNREADABLE[e.reason]}${e.detail ? ` (${visible(e.detail)})` : ''}.`
    case 'InvalidConfigImage':
      return `${configLocation(e)}: image ${quote(truncate(e.name))}: ${formatError(e.cause)}`
  }
}
