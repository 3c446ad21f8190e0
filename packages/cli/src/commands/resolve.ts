/**
 * `imgcfg resolve` and `imgcfg find`: what `pyflyte run --image …` resolves. The --image values
 * are validated (the default image filled in when none is given), then the config file's images
 * whose names are not taken are appended (`patchImageConfig`).
 *
 * @since 0.1.0
 */
import { patchImageConfig, type ConfigFile } from '@imgcfg/config-file'
import { formatError } from '@imgcfg/core/errors'
import * as Image from '@imgcfg/core/Image'
import * as ImageConfig from '@imgcfg/core/ImageConfig'
import * as ImageFlag from '@imgcfg/core/ImageFlag'
import * as Reference from '@imgcfg/core/Reference'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { stringify } from 'yaml'
import { loadConfig, locationOf } from '../config.js'
import { chooseDefaultImage, type DefaultChoice } from '../defaults.js'
import type { Command, Values } from '../Command.js'
import type { Io } from '../Output.js'
import { table } from '../table.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Where an image of the result came from. */
interface Origin {
  readonly source: 'flag' | 'config' | 'default'
  readonly where: string
}

export interface Resolved {
  readonly config: ImageConfig.ImageConfig
  readonly origins: ReadonlyArray<Origin>
}

// -------------------------------------------------------------------------------------
// resolving
// -------------------------------------------------------------------------------------

/**
 * The configuration `imgcfg resolve` prints, and where each image came from; a Left is the
 * sentence to print. `verify` checks exactly these images.
 */
export const resolveConfig = async (values: Values, io: Io): Promise<E.Either<string, Resolved>> => {
  const flags = (values.image ?? []) as ReadonlyArray<string>
  const strict = values.strict === true
  const firstIndex = new Map<string, number>()
  flags.forEach((value, i) => {
    const { name } = ImageFlag.parse(value)
    if (!firstIndex.has(name)) firstIndex.set(name, i)
  })
  let choice: DefaultChoice | undefined
  // python3 is asked only when no --image value sets the default.
  if (!firstIndex.has(ImageFlag.DEFAULT_NAME)) {
    const chosen = await chooseDefaultImage(values, io)
    if (E.isLeft(chosen)) return chosen
    choice = chosen.right
  }
  // With a default among the flags, validateImage never reads `defaultImage`.
  const validated = ImageConfig.validateImage(flags, { defaultImage: choice?.image ?? '', param: 'image', strict })
  if (E.isLeft(validated)) return E.left(formatError(validated.left))
  const loaded = await loadConfig(values, io)
  if (E.isLeft(loaded)) return E.left(formatError(loaded.left))
  const file = O.toUndefined(loaded.right)
  const own = new Set(validated.right.images.map((image) => image.name))
  if (strict && file !== undefined) {
    const invalid = strictProblem(file, own)
    if (invalid !== undefined) return E.left(invalid)
  }
  const patched = patchImageConfig(file, validated.right, { env: io.caps.env, cwd: io.caps.cwd, home: io.caps.home })
  if (E.isLeft(patched)) return E.left(formatError(patched.left))
  const entries = new Map((file?.images ?? []).map((entry) => [entry.name, entry] as const))
  const origins = patched.right.images.map((image): Origin => {
    const index = firstIndex.get(image.name)
    if (own.has(image.name)) {
      return index !== undefined || choice === undefined
        ? { source: 'flag', where: `--image value ${(index ?? 0) + 1}` }
        : { source: 'default', where: choice.where }
    }
    const entry = entries.get(image.name)
    return { source: 'config', where: file !== undefined && entry !== undefined ? locationOf(file, entry) : 'config file' }
  })
  return E.right({ config: patched.right, origins })
}

/** With --strict, the file's images that get merged must be OCI references too. */
const strictProblem = (file: ConfigFile, taken: ReadonlySet<string>): string | undefined => {
  for (const entry of file.images) {
    if (taken.has(entry.name)) continue
    const ref = Reference.parse(entry.identifier)
    if (E.isLeft(ref)) return `${locationOf(file, entry)}: image ${JSON.stringify(entry.name)}: ${formatError(ref.left)}`
  }
  return undefined
}

// -------------------------------------------------------------------------------------
// commands
// -------------------------------------------------------------------------------------

const render = (resolved: Resolved, format: string, io: Io): string => {
  const dict = ImageConfig.toDict(resolved.config)
  if (format === 'json') return JSON.stringify(dict, null, 2)
  if (format === 'yaml') return stringify(dict)
  const rows = resolved.config.images.map((image, i) => {
    const origin = resolved.origins[i]!
    return [image.name, Image.full(image), origin.source, io.style.dim(origin.where)]
  })
  return table(['NAME', 'REFERENCE', 'SOURCE', 'FROM'], rows, io.style)
}

/**
 * `imgcfg resolve`: prints the resolved configuration as a table, JSON (`ImageConfig.toDict`)
 * or YAML.
 *
 * @since 0.1.0
 */
export const resolve: Command = {
  main: async (values, _positionals, io) => {
    const resolved = await resolveConfig(values, io)
    if (E.isLeft(resolved)) {
      io.error(resolved.left)
      return 'failed'
    }
    const format = (values.format as string | undefined) ?? (io.caps.stdout.isTTY === true ? 'table' : 'json')
    io.out(render(resolved.right, format, io))
    return 'ok'
  },
}

/**
 * `imgcfg find NAME`: the full reference of one image of the resolved configuration.
 *
 * @since 0.1.0
 */
export const find: Command = {
  main: async (values, [name], io) => {
    const resolved = await resolveConfig(values, io)
    const image = E.chain((r: Resolved) => E.mapLeft(formatError)(ImageConfig.getImage(r.config, name!)))(resolved)
    if (E.isLeft(image)) {
      io.error(image.left)
      return 'failed'
    }
    io.out(Image.full(image.right))
    return 'ok'
  },
}
