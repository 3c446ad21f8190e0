/**
 * Config files on disk: loading with bounded work, flytekit's discovery order, and the
 * `ImageConfig.auto` / `pyflyte run` entry points. Node only; the text parsing is in
 * `./ConfigFile.ts`.
 *
 * @since 0.1.0
 */
import * as os from 'node:os'
import * as nodePath from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import * as DefaultImages from '@imgcfg/core/DefaultImages'
import type { ConfigError } from './errors.js'
import type * as ImageConfig from '@imgcfg/core/ImageConfig'
import {
  detectFormat,
  formatFromPath,
  imageConfigFromFile,
  parseConfigText,
  patchWithFile,
  type ConfigFile,
  type ConfigFormat,
  type ConfigSource,
} from './ConfigFile.js'
import type { FileSystem } from './FileSystem.js'
import { MAX_CONFIG_BYTES } from './limits.js'
import { nodeFileSystem, readConfigText, writeAtomically } from './nodeFileSystem.js'

export { nodeFileSystem, readConfigText, writeAtomically }

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Where discovery looks and what it reads with. Each field defaults to the running process's
 * (`process.env`, `process.cwd()`, `os.homedir()`, the real file system); tests and embedders
 * pass their own.
 *
 * @since 0.1.0
 */
export interface Context {
  readonly env?: Readonly<Record<string, string | undefined>>
  readonly cwd?: string
  readonly home?: string
  /** Called with notes that are not errors, such as a FLYTECTL_CONFIG that does not exist. */
  readonly warn?: (message: string) => void
  readonly fs?: FileSystem
}

/**
 * A config file with the exact text it was parsed from (value ranges index it; `pin` edits it).
 *
 * @since 0.1.0
 */
export type LoadedConfig = ConfigFile & { readonly text: string }

/** The variables discovery reads, in order. */
export const OVERRIDE_ENV = '_FLYTECTL_CONFIG_PYFLYTE_OVERRIDE'
export const FLYTECTL_CONFIG_ENV = 'FLYTECTL_CONFIG'

/** The name standard input goes by in messages. */
export const STDIN_ORIGIN = '<stdin>'

// -------------------------------------------------------------------------------------
// loading
// -------------------------------------------------------------------------------------

const contextOf = (ctx: Context = {}) => ({
  env: ctx.env ?? process.env,
  cwd: ctx.cwd ?? process.cwd(),
  home: ctx.home ?? os.homedir(),
  warn: ctx.warn ?? (() => undefined),
  fs: ctx.fs ?? nodeFileSystem,
})

/**
 * Reads `path` with `fs` and parses it, naming it `origin` in messages (the path as the user
 * typed it; `path` is where it really is).
 */
const loadText = (
  fs: FileSystem,
  path: string,
  origin: string,
  format: ConfigFormat,
): E.Either<ConfigError, LoadedConfig> => {
  const text = fs.readText(path)
  if (E.isLeft(text)) return E.left(origin === path ? text.left : { ...text.left, path: origin })
  return E.map((cfg: ConfigFile): LoadedConfig => ({ ...cfg, text: text.right }))(parseConfigText(text.right, { format, origin }))
}

/**
 * Loads and parses a config file; the format comes from the extension (`.yaml`/`.yml`,
 * case-insensitively, else INI). A missing file, a directory or a parse error is a `Left`
 * naming the path (and line/column where known).
 *
 * @example
 * import { loadConfigFile } from '@imgcfg/config-file'
 * loadConfigFile('flytekit.config')
 *
 * @since 0.1.0
 */
export const loadConfigFile = (
  path: string,
  options: { readonly format?: ConfigFormat; readonly fs?: FileSystem } = {},
): E.Either<ConfigError, ConfigFile> => {
  if (typeof path !== 'string' || path === '') {
    return E.left({ _tag: 'InvalidArgument', fn: 'loadConfigFile', message: 'expected a file path' })
  }
  return E.map(({ text: _text, ...cfg }: LoadedConfig): ConfigFile => cfg)(
    loadText(options.fs ?? nodeFileSystem, path, path, options.format ?? formatFromPath(path)),
  )
}

// -------------------------------------------------------------------------------------
// discovery
// -------------------------------------------------------------------------------------

const withSource = (cfg: LoadedConfig, source: ConfigSource, warnings: ReadonlyArray<string>): LoadedConfig => ({
  ...cfg,
  source,
  ...(warnings.length > 0 ? { warnings: [...(cfg.warnings ?? []), ...warnings] } : {}),
})

// A discovered INI path that is a directory reads as empty (configparser skips what it cannot
// open); flytekit users rely on discovery not failing there. A YAML one fails, as in flytekit.
const loadDiscovered = (
  ctx: ReturnType<typeof contextOf>,
  path: string,
  source: ConfigSource,
  warnings: string[],
): E.Either<ConfigError, O.Option<LoadedConfig>> => {
  const format = formatFromPath(path)
  if (format === 'ini' && ctx.fs.isDirectory(path)) {
    const note = `${path} (from ${source}) is a directory; using no config-file images, as flytekit does`
    ctx.warn(note)
    return E.right(O.some({ path, format, images: [], source, warnings: [...warnings, note], text: '' }))
  }
  return E.map((cfg: LoadedConfig) => O.some(withSource(cfg, source, warnings)))(loadText(ctx.fs, path, path, format))
}

/** flytekit's discovery order, keeping the text of the file it finds. */
const discover = (ctx: ReturnType<typeof contextOf>): E.Either<ConfigError, O.Option<LoadedConfig>> => {
  const warnings: string[] = []
  const override = ctx.env[OVERRIDE_ENV]
  const [variable, fromEnv] =
    override !== undefined
      ? ([OVERRIDE_ENV, override] as const)
      : ([FLYTECTL_CONFIG_ENV, ctx.env[FLYTECTL_CONFIG_ENV]] as const)
  if (fromEnv !== undefined && fromEnv !== '') {
    const path = nodePath.resolve(ctx.cwd, fromEnv)
    if (ctx.fs.exists(path)) return loadDiscovered(ctx, path, variable, warnings)
    const note = `${variable}=${fromEnv} does not exist; looking further`
    warnings.push(note)
    ctx.warn(note)
  }
  const candidates: ReadonlyArray<readonly [string, ConfigSource]> = [
    [nodePath.resolve(ctx.cwd, 'flytekit.config'), './flytekit.config'],
    [nodePath.join(ctx.home, '.flyte', 'config'), '~/.flyte/config'],
    [nodePath.join(ctx.home, '.flyte', 'config.yaml'), '~/.flyte/config.yaml'],
  ]
  for (const [path, source] of candidates) {
    if (ctx.fs.exists(path)) return loadDiscovered(ctx, path, source, warnings)
  }
  return E.right(O.none)
}

const dropText = E.map(O.map(({ text: _text, ...cfg }: LoadedConfig): ConfigFile => cfg))

/**
 * The config file flytekit would use. A `ConfigFile` is returned as it is; a path is loaded
 * (errors included: a missing or broken file named explicitly is an error); `''` means none.
 * With nothing given, the first of these that exists wins: `$_FLYTECTL_CONFIG_PYFLYTE_OVERRIDE`
 * (when set, even empty, `FLYTECTL_CONFIG` is not consulted), `$FLYTECTL_CONFIG`,
 * `./flytekit.config`, `~/.flyte/config`, `~/.flyte/config.yaml`. The result's `source` says
 * which.
 *
 * @example
 * import { getConfigFile } from '@imgcfg/config-file'
 * getConfigFile(undefined, { env: {}, cwd: '/work', home: '/home/me' }) // Right(None) when none exists
 *
 * @since 0.1.0
 */
export const getConfigFile = (
  file?: string | ConfigFile,
  context?: Context,
): E.Either<ConfigError, O.Option<ConfigFile>> => {
  if (typeof file === 'object' && file !== null) return E.right(O.some(file))
  if (file === '') return E.right(O.none)
  const ctx = contextOf(context)
  if (typeof file === 'string') {
    const path = nodePath.isAbsolute(file) || context?.cwd === undefined ? file : nodePath.resolve(ctx.cwd, file)
    return E.map((cfg: ConfigFile) => O.some<ConfigFile>({ ...cfg, source: 'explicit' }))(loadConfigFile(path, { fs: ctx.fs }))
  }
  return dropText(discover(ctx))
}

/**
 * The one loader for a config file a command names: `spec` is a path (read relative to `cwd`,
 * named in messages as typed), `-` for standard input (`readStdin`, refused past
 * `MAX_CONFIG_BYTES`), `''` for none, or `undefined` to discover one as flytekit does. The
 * result keeps the text it was parsed from. The format is `format` when given, else it comes
 * from the extension (from the content for stdin).
 *
 * @example
 * import { loadConfigSource, memoryFileSystem } from '@imgcfg/config-file'
 * const fs = memoryFileSystem({ '/w/c.yaml': 'images:\n  a: ghcr.io/a:1\n' })
 * await loadConfigSource('c.yaml', { cwd: '/w', env: {}, home: '/h', fs })
 * // Right(Some({ path: 'c.yaml', format: 'yaml', images: [a], source: 'explicit', text: 'images:…' }))
 *
 * @since 0.1.0
 */
export const loadConfigSource = async (
  spec: string | undefined,
  context: Context & {
    readonly format?: ConfigFormat
    readonly readStdin?: (maxBytes: number) => Promise<string>
  } = {},
): Promise<E.Either<ConfigError, O.Option<LoadedConfig>>> => {
  if (spec === '') return E.right(O.none)
  const ctx = contextOf(context)
  if (spec === '-') {
    if (context.readStdin === undefined) {
      return E.left({ _tag: 'InvalidArgument', fn: 'loadConfigSource', message: 'standard input (-) needs readStdin' })
    }
    const text = await context.readStdin(MAX_CONFIG_BYTES)
    if (new TextEncoder().encode(text).length > MAX_CONFIG_BYTES) {
      return E.left({ _tag: 'ConfigFileUnreadable', path: STDIN_ORIGIN, reason: 'too-large' })
    }
    const format = context.format ?? detectFormat(text)
    return E.map((cfg: ConfigFile) => O.some<LoadedConfig>({ ...cfg, source: 'explicit', text }))(
      parseConfigText(text, { format, origin: STDIN_ORIGIN }),
    )
  }
  if (spec !== undefined) {
    const loaded = loadText(ctx.fs, nodePath.resolve(ctx.cwd, spec), spec, context.format ?? formatFromPath(spec))
    return E.map((cfg: LoadedConfig) => O.some<LoadedConfig>({ ...cfg, source: 'explicit' }))(loaded)
  }
  return discover(ctx)
}

// -------------------------------------------------------------------------------------
// auto and merge
// -------------------------------------------------------------------------------------

/**
 * flytekit's `ImageConfig.auto`: the default image from `imgName` (tag required) and the images
 * of the config file (given, or discovered when absent; tags optional).
 *
 * @example
 * import { auto } from '@imgcfg/config-file'
 * auto({ configFile: 'flytekit.config', imgName: 'ghcr.io/org/base:1' })
 *
 * @since 0.1.0
 */
export const auto = (
  options: { readonly configFile?: string | ConfigFile; readonly imgName?: string } & Context = {},
): E.Either<ConfigError, ImageConfig.ImageConfig> =>
  E.chain((cfg: O.Option<ConfigFile>) => imageConfigFromFile(O.toUndefined(cfg), options.imgName))(
    getConfigFile(options.configFile, options),
  )

/** Options of `autoDefaultImage`. */
export interface AutoDefaultImageOptions extends Context {
  readonly pythonVersion: string
  readonly flytekitVersion?: string
  readonly runningFlytekitVersion?: string
  readonly configFile?: string | ConfigFile
  readonly plugin?: DefaultImages.DefaultImagePlugin
}

/**
 * flytekit's `ImageConfig.auto_default_image`: `auto` with the default image flytekit would pick
 * (a plugin's, `FLYTE_INTERNAL_IMAGE`, or the published image for the Python version).
 *
 * @example
 * import { autoDefaultImage } from '@imgcfg/config-file'
 * autoDefaultImage({ pythonVersion: '3.11', env: {} })
 *
 * @since 0.1.0
 */
export const autoDefaultImage = (options: AutoDefaultImageOptions): E.Either<ConfigError, ImageConfig.ImageConfig> => {
  const ctx = contextOf(options)
  const image = DefaultImages.defaultImage({
    pythonVersion: options.pythonVersion,
    env: ctx.env,
    ...(options.flytekitVersion !== undefined ? { flytekitVersion: options.flytekitVersion } : {}),
    ...(options.runningFlytekitVersion !== undefined ? { runningFlytekitVersion: options.runningFlytekitVersion } : {}),
    ...(options.plugin !== undefined ? { plugin: options.plugin } : {}),
  })
  return E.chain((imgName: string) =>
    auto({ ...options, imgName, ...(options.configFile !== undefined ? { configFile: options.configFile } : {}) }),
  )(image)
}

/**
 * What `pyflyte run` does after validating `--image`: the config file's images whose names the
 * config lacks are appended; the config's default stays. No file (`undefined` or `''`) leaves the
 * config as it is.
 *
 * @example
 * import { patchImageConfig } from '@imgcfg/config-file'
 * import * as ImageConfig from '@imgcfg/core/ImageConfig'
 * patchImageConfig('config.yaml', ImageConfig.createFrom())
 *
 * @since 0.1.0
 */
export const patchImageConfig = (
  configFile: string | ConfigFile | undefined,
  config: ImageConfig.ImageConfig,
  context?: Context,
): E.Either<ConfigError, ImageConfig.ImageConfig> => {
  if (configFile === undefined || configFile === null || configFile === '') return E.right(config)
  return E.chain((cfg: O.Option<ConfigFile>) => patchWithFile(O.toUndefined(cfg), config))(
    getConfigFile(configFile, context),
  )
}
