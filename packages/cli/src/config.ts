/**
 * The config file a command uses: the one given with `-c` (a path, `-` for stdin, `''` for
 * none), else the one flytekit would discover.
 *
 * @since 0.1.0
 */
import * as nodePath from 'node:path'
import {
  detectFormat,
  formatFromPath,
  getConfigFile,
  MAX_CONFIG_BYTES,
  parseConfigText,
  readConfigText,
  type ConfigFile,
  type ConfigFormat,
} from '@imgcfg/config-file'
import type { ImgcfgError } from '@imgcfg/core/errors'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import type { Io } from './Output.js'
import type { Values } from './Command.js'

/** The name stdin goes by in messages. */
export const STDIN_ORIGIN = '<stdin>'

/** A config file with the text it was parsed from, where the CLI read it itself. */
export type LoadedConfig = ConfigFile & { readonly text?: string }

/**
 * Loads the config file the options name, or discovers one. Discovery warnings (a
 * FLYTECTL_CONFIG that does not exist) and the file it chose go to stderr, so stdout stays
 * clean for `--format json`.
 */
export const loadConfig = async (values: Values, io: Io): Promise<E.Either<ImgcfgError, O.Option<LoadedConfig>>> => {
  const file = values.config as string | undefined
  const format = values['config-format'] as ConfigFormat | undefined
  const { caps } = io
  if (file === '-') {
    const text = await caps.readStdin(MAX_CONFIG_BYTES)
    if (Buffer.byteLength(text, 'utf8') > MAX_CONFIG_BYTES) {
      return E.left({ _tag: 'ConfigFileUnreadable', path: STDIN_ORIGIN, reason: 'too-large' })
    }
    return E.map((cfg: ConfigFile) => O.some<LoadedConfig>({ ...cfg, source: 'explicit', text }))(
      parseConfigText(text, { format: format ?? detectFormat(text), origin: STDIN_ORIGIN }),
    )
  }
  if (file !== undefined) {
    if (file === '') return E.right(O.none)
    // Read relative to the caller's cwd but name the file as the user wrote it.
    const text = E.mapLeft((e: ImgcfgError) => (e._tag === 'ConfigFileUnreadable' ? { ...e, path: file } : e))(
      readConfigText(nodePath.resolve(caps.cwd, file)),
    )
    return E.chain((t: string) =>
      E.map((cfg: ConfigFile) => O.some<LoadedConfig>({ ...cfg, source: 'explicit', text: t }))(
        parseConfigText(t, { format: format ?? formatFromPath(file), origin: file }),
      ),
    )(text)
  }
  const found = getConfigFile(undefined, { env: caps.env, cwd: caps.cwd, home: caps.home, warn: io.warn })
  if (E.isRight(found) && O.isSome(found.right)) {
    const cfg = found.right.value
    io.note(`using config file ${cfg.path ?? '(unnamed)'} (found via ${cfg.source ?? 'discovery'})`)
  }
  return found
}

/** `file:line:col` of a config-file entry, as far as it is known. */
export const locationOf = (cfg: ConfigFile, entry: { readonly line?: number; readonly column?: number }): string =>
  [cfg.path ?? STDIN_ORIGIN, entry.line, entry.line !== undefined ? entry.column : undefined]
    .filter((part) => part !== undefined)
    .join(':')
