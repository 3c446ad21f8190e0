/**
 * `imgcfg resolve` and `imgcfg find`: what `pyflyte run --image …` resolves. The --image values
 * are validated (the default image filled in when none is given), then the config file's images
 * whose names are not taken are appended (`patchImageConfig`).
 *
 * @since 0.1.0
 */
import {
  describeOrigin,
  formatConfigError,
  loadImageSpecIfFile,
  resolve as resolveImages,
  type ConfigError,
  type DefaultImageChoice,
  type Origin,
  type Problem,
} from '@imgcfg/config-file'
import * as Image from '@imgcfg/core/Image'
import * as ImageConfig from '@imgcfg/core/ImageConfig'
import * as ImageFlag from '@imgcfg/core/ImageFlag'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { stringify } from 'yaml'
import { loadConfig, type LoadedConfig } from '../config.js'
import { chooseDefaultImage } from '../defaults.js'
import type { Command, Values } from '../Command.js'
import { jsonText, type Io } from '../Output.js'
import { table } from '../table.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

export interface Resolved {
  readonly config: ImageConfig.ImageConfig
  readonly origins: ReadonlyArray<Origin>
  readonly warnings: ReadonlyArray<Problem>
  /** The config file the images came from, when there was one (its entries as written). */
  readonly file?: LoadedConfig
}

// -------------------------------------------------------------------------------------
// resolving
// -------------------------------------------------------------------------------------

/**
 * The ImageSpec files the --image values name: as in flytekit, an identifier that names an
 * existing file is an ImageSpec YAML file, and resolves to the image name flytekit would build.
 */
export const imageSpecsOf = (
  flags: ReadonlyArray<string>,
  io: Io,
): E.Either<ConfigError, ReadonlyMap<string, { readonly path: string; readonly imageName: string }>> => {
  const { caps } = io
  const specs = new Map<string, { readonly path: string; readonly imageName: string }>()
  for (const value of flags) {
    const { identifier } = ImageFlag.parse(value)
    if (identifier === '' || specs.has(identifier)) continue
    const loaded = loadImageSpecIfFile(identifier, { cwd: caps.cwd, env: caps.env, home: caps.home, fs: caps.fs })
    if (E.isLeft(loaded)) return loaded
    if (O.isSome(loaded.right)) specs.set(identifier, { path: identifier, imageName: loaded.right.value.imageName })
  }
  return E.right(specs)
}

/**
 * The configuration `imgcfg resolve` prints, and where each image came from: the library's
 * `resolve` (config-file, SPEC 5) on the options; a Left is the sentence to print. The
 * warnings go to stderr here. `verify` checks exactly these images.
 */
export const resolveConfig = async (values: Values, io: Io): Promise<E.Either<string, Resolved>> => {
  const flags = (values.image ?? []) as ReadonlyArray<string>
  const strict = values.strict === true
  // python3 is asked only when no --image value sets the default.
  let defaultImage: DefaultImageChoice | undefined
  if (!flags.some((value) => ImageFlag.parse(value).isDefault)) {
    const chosen = await chooseDefaultImage(values, io)
    if (E.isLeft(chosen)) return chosen
    defaultImage = chosen.right
  }
  const imageSpecs = imageSpecsOf(flags, io)
  if (E.isLeft(imageSpecs)) return E.left(formatConfigError(imageSpecs.left))
  const loaded = await loadConfig(values, io)
  if (E.isLeft(loaded)) return E.left(formatConfigError(loaded.left))
  const file = O.toUndefined(loaded.right)
  const resolved = resolveImages({
    flags,
    strict,
    ...(imageSpecs.right.size > 0 ? { imageSpecs: imageSpecs.right } : {}),
    ...(file !== undefined ? { file } : {}),
    ...(defaultImage !== undefined ? { defaultImage } : {}),
  })
  if (E.isLeft(resolved)) return E.left(formatConfigError(resolved.left))
  for (const warning of resolved.right.warnings) io.warn(warning.message)
  return E.right({ ...resolved.right, ...(file !== undefined ? { file } : {}) })
}

// -------------------------------------------------------------------------------------
// commands
// -------------------------------------------------------------------------------------

const render = (resolved: Resolved, format: string, io: Io): string => {
  const dict = ImageConfig.toDict(resolved.config)
  if (format === 'json') return jsonText(dict)
  if (format === 'yaml') return stringify(dict)
  const rows = resolved.config.images.map((image, i) => {
    const origin = resolved.origins[i]!
    return [image.name, Image.full(image), origin.kind, io.style.dim(describeOrigin(origin))]
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
    const image = E.chain((r: Resolved) => E.mapLeft(formatConfigError)(ImageConfig.getImage(r.config, name!)))(resolved)
    if (E.isLeft(image)) {
      io.error(image.left)
      return 'failed'
    }
    io.out(Image.full(image.right))
    return 'ok'
  },
}
