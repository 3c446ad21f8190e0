/**
 * Config files on disk: loading with bounded work, flytekit's discovery order, and the
 * `ImageConfig.auto` / `pyflyte run` entry points. Node only; the text parsing is in
 * `./ConfigFile.ts`.
 *
 * @since 0.1.0
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as nodePath from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import * as DefaultImages from '@imgcfg/core/DefaultImages'
import type { ConfigFileUnreadable, ImgcfgError } from '@imgcfg/core/errors'
import type * as ImageConfig from '@imgcfg/core/ImageConfig'
import {
  formatFromPath,
  imageConfigFromFile,
  parseConfigText,
  patchWithFile,
  type ConfigFile,
  type ConfigFormat,
  type ConfigSource,
} from './ConfigFile.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Where discovery looks. Each field defaults to the running process's (`process.env`,
 * `process.cwd()`, `os.homedir()`); tests and embedders pass their own.
 *
 * @since 0.1.0
 */
export interface Context {
  readonly env?: Readonly<Record<string, string | undefined>>
  readonly cwd?: string
  readonly home?: string
  /** Called with notes that are not errors, such as a FLYTECTL_CONFIG that does not exist. */
  readonly warn?: (message: string) => void
}

/** A file larger than this is refused before it is read. */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024

/** The variables discovery reads, in order. */
export const OVERRIDE_ENV = '_FLYTECTL_CONFIG_PYFLYTE_OVERRIDE'
export const FLYTECTL_CONFIG_ENV = 'FLYTECTL_CONFIG'

// -------------------------------------------------------------------------------------
// loading
// -------------------------------------------------------------------------------------

const unreadable = (
  path: string,
  reason: ConfigFileUnreadable['reason'],
  detail?: string,
): E.Either<ConfigFileUnreadable, never> =>
  E.left({ _tag: 'ConfigFileUnreadable', path, reason, ...(detail !== undefined ? { detail } : {}) })

const reasonOf = (code: unknown): ConfigFileUnreadable['reason'] =>
  code === 'ENOENT' || code === 'ENOTDIR'
    ? 'missing'
    : code === 'EISDIR'
      ? 'directory'
      : code === 'ENXIO' // a UNIX socket, or a device with nothing behind it
        ? 'not-a-file'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission'
          : 'other'

const DETAILS: Readonly<Record<string, string>> = {
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'the path is too long',
}

// An error we have no sentence for is named by its code, so "read failed" is never the whole story.
const detailOf = (code: string | undefined): string | undefined =>
  code === undefined ? undefined : (DETAILS[code] ?? (reasonOf(code) === 'other' ? code : undefined))

const decoder = new TextDecoder('utf-8', { fatal: true })

/** Reads a regular file as UTF-8 text, refusing directories, FIFOs, devices and huge files. */
export const readConfigText = (path: string): E.Either<ConfigFileUnreadable, string> => {
  // A number would be taken for a file descriptor (0 is stdin).
  if (typeof path !== 'string') return unreadable(String(path), 'other', 'the path is not a string')
  if (path.includes('\u0000')) return unreadable(path, 'missing', 'the path contains a NUL byte')
  let fd: number
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
    fd = fs.openSync(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0))
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    return unreadable(path, reasonOf(code), detailOf(code))
  }
  try {
    const stat = fs.fstatSync(fd)
    if (stat.isDirectory()) return unreadable(path, 'directory')
    if (!stat.isFile()) return unreadable(path, 'not-a-file')
    if (stat.size > MAX_CONFIG_BYTES) return unreadable(path, 'too-large', `${stat.size} bytes`)
    const bytes = fs.readFileSync(fd)
    if (bytes.length > MAX_CONFIG_BYTES) return unreadable(path, 'too-large', `${bytes.length} bytes`)
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
      return unreadable(path, 'other', 'the file is UTF-16; save it as UTF-8')
    }
    try {
      return E.right(decoder.decode(bytes))
    } catch {
      return unreadable(path, 'other', 'the file is not UTF-8 text')
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    return unreadable(path, reasonOf(code), detailOf(code))
  } finally {
    fs.closeSync(fd)
  }
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
  options: { readonly format?: ConfigFormat } = {},
): E.Either<ImgcfgError, ConfigFile> => {
  if (typeof path !== 'string' || path === '') {
    return E.left({ _tag: 'InvalidArgument', fn: 'loadConfigFile', message: 'expected a file path' })
  }
  const format = options.format ?? formatFromPath(path)
  return E.chain((text: string) => parseConfigText(text, { format, origin: path }))(readConfigText(path))
}

// -------------------------------------------------------------------------------------
// discovery
// -------------------------------------------------------------------------------------

const contextOf = (ctx: Context = {}) => ({
  env: ctx.env ?? process.env,
  cwd: ctx.cwd ?? process.cwd(),
  home: ctx.home ?? os.homedir(),
  warn: ctx.warn ?? (() => undefined),
})

const exists = (path: string): boolean => {
  try {
    return fs.existsSync(path)
  } catch {
    return false
  }
}

const isDirectory = (path: string): boolean => {
  try {
    return fs.statSync(path).isDirectory()
  } catch {
    return false
  }
}

const withSource = (cfg: ConfigFile, source: ConfigSource, warnings: ReadonlyArray<string>): ConfigFile => ({
  ...cfg,
  source,
  ...(warnings.length > 0 ? { warnings: [...(cfg.warnings ?? []), ...warnings] } : {}),
})

// A discovered INI path that is a directory reads as empty (configparser skips what it cannot
// open); flytekit users rely on discovery not failing there. A YAML one fails, as in flytekit.
const loadDiscovered = (
  path: string,
  source: ConfigSource,
  warnings: string[],
  warn: (m: string) => void,
): E.Either<ImgcfgError, O.Option<ConfigFile>> => {
  const format = formatFromPath(path)
  if (format === 'ini' && isDirectory(path)) {
    const note = `${path} (from ${source}) is a directory; using no config-file images, as flytekit does`
    warn(note)
    return E.right(O.some({ path, format, images: [], source, warnings: [...warnings, note] }))
  }
  return E.map((cfg: ConfigFile) => O.some(withSource(cfg, source, warnings)))(loadConfigFile(path))
}

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
): E.Either<ImgcfgError, O.Option<ConfigFile>> => {
  if (typeof file === 'object' && file !== null) return E.right(O.some(file))
  if (file === '') return E.right(O.none)
  const ctx = contextOf(context)
  if (typeof file === 'string') {
    const path = nodePath.isAbsolute(file) || context?.cwd === undefined ? file : nodePath.resolve(ctx.cwd, file)
    return E.map((cfg: ConfigFile) => O.some<ConfigFile>({ ...cfg, source: 'explicit' }))(loadConfigFile(path))
  }
  const warnings: string[] = []
  const override = ctx.env[OVERRIDE_ENV]
  const [variable, fromEnv] =
    override !== undefined
      ? ([OVERRIDE_ENV, override] as const)
      : ([FLYTECTL_CONFIG_ENV, ctx.env[FLYTECTL_CONFIG_ENV]] as const)
  if (fromEnv !== undefined && fromEnv !== '') {
    const path = nodePath.resolve(ctx.cwd, fromEnv)
    if (exists(path)) return loadDiscovered(path, variable, warnings, ctx.warn)
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
    if (exists(path)) return loadDiscovered(path, source, warnings, ctx.warn)
  }
  return E.right(O.none)
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
): E.Either<ImgcfgError, ImageConfig.ImageConfig> =>
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
export const autoDefaultImage = (options: AutoDefaultImageOptions): E.Either<ImgcfgError, ImageConfig.ImageConfig> => {
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
): E.Either<ImgcfgError, ImageConfig.ImageConfig> => {
  if (configFile === undefined || configFile === null || configFile === '') return E.right(config)
  return E.chain((cfg: O.Option<ConfigFile>) => patchWithFile(O.toUndefined(cfg), config))(
    getConfigFile(configFile, context),
  )
}
