/**
 * The config file a command uses: the one given with `-c` (a path, `-` for stdin, `''` for
 * none), else the one flytekit would discover. A thin mapping from the options to
 * config-file's `loadConfigSource`, reading through the file-system capability.
 *
 * @since 0.1.0
 */
import {
  configLocation,
  loadConfigSource,
  STDIN_ORIGIN,
  type ConfigError,
  type ConfigFile,
  type ConfigFormat,
  type LoadedConfig,
} from '@imgcfg/config-file'
import { visible } from '@imgcfg/core/errors'
import type * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import type { Io } from './Output.js'
import type { Values } from './Command.js'

export { STDIN_ORIGIN, type LoadedConfig }

/**
 * Loads the config file the options name, or discovers one. Discovery warnings (a
 * FLYTECTL_CONFIG that does not exist) and the file it chose go to stderr, so stdout stays
 * clean for `--format json`.
 */
export const loadConfig = async (values: Values, io: Io): Promise<E.Either<ConfigError, O.Option<LoadedConfig>>> => {
  const { caps } = io
  const spec = values.config as string | undefined
  const format = values['config-format'] as ConfigFormat | undefined
  const loaded = await loadConfigSource(spec, {
    env: caps.env,
    cwd: caps.cwd,
    home: caps.home,
    fs: caps.fs,
    warn: io.warn,
    readStdin: caps.readStdin,
    ...(format !== undefined ? { format } : {}),
  })
  if (spec === undefined && loaded._tag === 'Right' && O.isSome(loaded.right)) {
    const cfg = loaded.right.value
    io.note(`using config file ${visible(cfg.path ?? '(unnamed)')} (found via ${cfg.source ?? 'discovery'})`)
  }
  return loaded
}

/** `file:line:col` of a config-file entry, as far as it is known (made visible). */
export const locationOf = (cfg: ConfigFile, entry: { readonly line?: number; readonly column?: number }): string =>
  configLocation({
    ...(cfg.path !== undefined ? { path: cfg.path } : {}),
    ...(entry.line !== undefined ? { line: entry.line } : {}),
    ...(entry.column !== undefined ? { column: entry.column } : {}),
  })
