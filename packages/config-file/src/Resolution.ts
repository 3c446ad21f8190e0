/**
 * Resolution (SPEC 5): what `pyflyte run --image … [--config FILE]` resolves, and where every
 * image of the result came from. The one function behind `imgcfg resolve`/`find` and the
 * playground, so the same inputs give the same result, errors, origins and warnings. Pure and
 * browser-safe.
 *
 * @since 0.1.0
 */
import * as DefaultImages from '@imgcfg/core/DefaultImages'
import { formatError, quote, truncate, visible, type ImgcfgError } from '@imgcfg/core/errors'
import * as Image from '@imgcfg/core/Image'
import * as ImageConfig from '@imgcfg/core/ImageConfig'
import * as ImageFlag from '@imgcfg/core/ImageFlag'
import * as Reference from '@imgcfg/core/Reference'
import * as E from 'fp-ts/lib/Either.js'
import { patchWithFile, type ConfigFile, type ConfigImage } from './ConfigFile.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Why the default image is the one it is.
 *
 * @since 0.1.0
 */
export type DefaultReason =
  | { readonly kind: 'python'; readonly pythonVersion: string; readonly flytekitVersion?: string }
  | { readonly kind: 'FLYTE_INTERNAL_IMAGE' }
  | { readonly kind: 'plugin' }

/**
 * The default image flytekit would use when no `--image` value sets one, and why.
 *
 * @since 0.1.0
 */
export interface DefaultImageChoice {
  readonly image: string
  readonly reason: DefaultReason
}

/**
 * Where an image of the result came from. `index` is the 0-based index of the `--image` value.
 *
 * @since 0.1.0
 */
export type Origin =
  | { readonly kind: 'flag'; readonly index: number }
  | { readonly kind: 'config'; readonly path?: string; readonly line?: number; readonly column?: number }
  | { readonly kind: 'default'; readonly reason: DefaultReason }
  | { readonly kind: 'imagespec'; readonly path: string; readonly index: number }

/**
 * Something flytekit accepts but a user should hear about, with the input it belongs to.
 *
 * @since 0.1.0
 */
export interface Problem {
  readonly code: 'grammar' | 'tagless' | 'shadowed'
  readonly message: string
  readonly origin: Origin
}

/**
 * A config-file image that fails the OCI grammar under strict. Composes with core's errors
 * (`formatResolutionError`).
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

/** @since 0.1.0 */
export type ResolutionError = ImgcfgError | InvalidConfigImage

/** @since 0.1.0 */
export interface ResolveInput {
  /** The `--image` values, in order. */
  readonly flags: ReadonlyArray<string>
  readonly file?: ConfigFile
  /** Needed only when no flag sets the default image (a Left otherwise). */
  readonly defaultImage?: DefaultImageChoice
  readonly strict?: boolean
  /** ImageSpec files by the identifier that names them: a flag naming one resolves to `imageName`. */
  readonly imageSpecs?: ReadonlyMap<string, { readonly path: string; readonly imageName: string }>
}

/** @since 0.1.0 */
export interface Resolved {
  readonly config: ImageConfig.ImageConfig
  /** One per image of `config.images`, in the same order. */
  readonly origins: ReadonlyArray<Origin>
  readonly warnings: ReadonlyArray<Problem>
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * The default image as flytekit picks it (`DefaultImages.defaultImage`: plugin, then
 * `FLYTE_INTERNAL_IMAGE`, then the Python and flytekit versions), with the reason.
 *
 * @example
 * import { chooseDefaultImage } from '@imgcfg/config-file/text'
 * chooseDefaultImage({ pythonVersion: '3.11', flytekitVersion: '1.10.0' })
 * // Right({ image: 'cr.flyte.org/flyteorg/flytekit:py3.11-1.10.0', reason: { kind: 'python', ... } })
 *
 * @since 0.1.0
 */
export const chooseDefaultImage = (
  options: DefaultImages.FindImageOptions & { readonly plugin?: DefaultImages.DefaultImagePlugin },
): E.Either<ImgcfgError, DefaultImageChoice> => {
  const image = DefaultImages.defaultImage(options)
  if (E.isLeft(image)) return image
  const plugin = options.plugin
  const fromPlugin = plugin !== undefined && typeof plugin.getDefaultImage === 'function' && typeof plugin.getDefaultImage() === 'string'
  const internal = options.env?.[DefaultImages.INTERNAL_IMAGE_ENV]
  const reason: DefaultReason = fromPlugin
    ? { kind: 'plugin' }
    : typeof internal === 'string' && internal !== ''
      ? { kind: 'FLYTE_INTERNAL_IMAGE' }
      : {
          kind: 'python',
          pythonVersion: options.pythonVersion,
          ...(options.flytekitVersion !== undefined ? { flytekitVersion: options.flytekitVersion } : {}),
        }
  return E.right({ image: image.right, reason })
}

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/**
 * `file:line:column` of a config-file image, as far as it is known (`<stdin>` without a path),
 * with invisible characters of the path escaped.
 *
 * @example
 * import { configLocation } from '@imgcfg/config-file/text'
 * configLocation({ path: 'c.yaml', line: 3, column: 5 }) // 'c.yaml:3:5'
 *
 * @since 0.1.0
 */
export const configLocation = (origin: { readonly path?: string; readonly line?: number; readonly column?: number }): string =>
  visible(
    [origin.path ?? '<stdin>', origin.line, origin.line !== undefined ? origin.column : undefined]
      .filter((part) => part !== undefined)
      .join(':'),
  )

/**
 * An origin in words, as the CLI's table and the playground show it.
 *
 * @example
 * import { describeOrigin } from '@imgcfg/config-file/text'
 * describeOrigin({ kind: 'flag', index: 0 }) // '--image value 1'
 *
 * @since 0.1.0
 */
export const describeOrigin = (origin: Origin): string => {
  switch (origin.kind) {
    case 'flag':
      return `--image value ${origin.index + 1}`
    case 'config':
      return configLocation(origin)
    case 'imagespec':
      return `${visible(origin.path)} (--image value ${origin.index + 1})`
    case 'default':
      return origin.reason.kind === 'python'
        ? `default for Python ${origin.reason.pythonVersion}`
        : origin.reason.kind === 'plugin'
          ? 'default from a plugin'
          : DefaultImages.INTERNAL_IMAGE_ENV
  }
}

/**
 * The sentence for a resolution error: core's `formatError`, plus the config-file image
 * rejected under strict.
 *
 * @example
 * import { formatResolutionError } from '@imgcfg/config-file/text'
 * formatResolutionError({ _tag: 'ImageNotFound', name: 'x', available: [] })
 *
 * @since 0.1.0
 */
export const formatResolutionError = (e: ResolutionError): string =>
  e._tag === 'InvalidConfigImage'
    ? `${configLocation(e)}: image ${quote(truncate(e.name))}: ${formatError(e.cause)}`
    : formatError(e)

// -------------------------------------------------------------------------------------
// resolution
// -------------------------------------------------------------------------------------

type ConfigOrigin = Extract<Origin, { readonly kind: 'config' }>

const configOrigin = (file: ConfigFile, entry: ConfigImage): ConfigOrigin => ({
  kind: 'config',
  ...(file.path !== undefined ? { path: file.path } : {}),
  ...(entry.line !== undefined ? { line: entry.line } : {}),
  ...(entry.line !== undefined && entry.column !== undefined ? { column: entry.column } : {}),
})

/**
 * Resolves `--image` values, a config file and the default image as `pyflyte run` does
 * (`validateImage`, then `patchImageConfig`). Under `strict` every image of the result must be
 * a valid OCI reference (a config image shadowed by a flag is not checked); without it the
 * grammar problems are warnings. Tagless config images and config images replaced by a flag
 * are always warnings.
 *
 * @example
 * import { resolve } from '@imgcfg/config-file/text'
 * resolve({ flags: ['gpu=ghcr.io/org/gpu:1'], defaultImage: { image: 'base:1', reason: { kind: 'plugin' } } })
 * // Right({ config: { defaultImage, images: [default, gpu] }, origins: [{ kind: 'default', … }, { kind: 'flag', index: 0 }], warnings: [] })
 *
 * @since 0.1.0
 */
export const resolve = (input: ResolveInput): E.Either<ResolutionError, Resolved> => {
  const strict = input.strict === true
  const specs = input.imageSpecs
  const flagOrigins = new Map<string, Origin>()
  let defaultFlag = false
  const values = input.flags.map((value, index) => {
    const flag = ImageFlag.parse(value)
    const spec = specs?.get(flag.identifier)
    if (flag.isDefault) defaultFlag = true
    if (!flagOrigins.has(flag.name)) {
      flagOrigins.set(flag.name, spec !== undefined ? { kind: 'imagespec', path: spec.path, index } : { kind: 'flag', index })
    }
    return spec === undefined ? value : ImageFlag.format({ ...flag, identifier: spec.imageName })
  })
  if (!defaultFlag && input.defaultImage === undefined) {
    return E.left({ _tag: 'InvalidArgument', fn: 'resolve', message: 'no --image value sets the default image, and no default image was given' })
  }
  const validated = ImageConfig.validateImage(values, { defaultImage: input.defaultImage?.image ?? '', param: 'image', strict })
  if (E.isLeft(validated)) return validated
  const file = input.file
  const patched = patchWithFile(file, validated.right)
  if (E.isLeft(patched)) return patched

  const warnings: Problem[] = []
  const own = new Set(validated.right.images.map((image) => image.name))
  if (!strict) {
    values.forEach((value, index) => {
      const flag = ImageFlag.parse(value)
      const ref = Reference.parse(flag.identifier)
      if (E.isLeft(ref)) {
        const message = formatError({ _tag: 'InvalidImageFlag', param: 'image', index, value: input.flags[index]!, cause: ref.left })
        warnings.push({ code: 'grammar', message, origin: { kind: 'flag', index } })
      }
    })
  }
  if (!defaultFlag && !strict && input.defaultImage !== undefined) {
    const ref = Reference.parse(input.defaultImage.image)
    if (E.isLeft(ref)) {
      warnings.push({ code: 'grammar', message: `default image: ${formatError(ref.left)}`, origin: { kind: 'default', reason: input.defaultImage.reason } })
    }
  }
  const entries = new Map<string, ConfigImage>()
  for (const entry of file?.images ?? []) {
    if (entries.has(entry.name)) continue
    entries.set(entry.name, entry)
    const origin = configOrigin(file!, entry)
    const name = quote(truncate(entry.name))
    if (own.has(entry.name)) {
      const by: Origin = flagOrigins.get(entry.name) ?? { kind: 'default', reason: input.defaultImage!.reason }
      warnings.push({ code: 'shadowed', message: `${configLocation(origin)}: image ${name} is replaced by ${describeOrigin(by)}.`, origin })
      continue
    }
    const ref = Reference.parse(entry.identifier)
    if (E.isLeft(ref)) {
      const error: InvalidConfigImage = { _tag: 'InvalidConfigImage', ...(file!.path !== undefined ? { path: file!.path } : {}), ...(origin.line !== undefined ? { line: origin.line } : {}), ...(origin.column !== undefined ? { column: origin.column } : {}), name: entry.name, cause: ref.left }
      if (strict) return E.left(error)
      warnings.push({ code: 'grammar', message: formatResolutionError(error), origin })
      // One warning an image: a reference that fails the grammar needs no second one for its tag.
      continue
    }
    const id = Image.parseIdentifier(entry.identifier)
    if (id.tag === undefined && id.digest === undefined) {
      warnings.push({
        code: 'tagless',
        message: `${configLocation(origin)}: image ${name} (${quote(truncate(entry.identifier))}) has no tag or digest, so it floats: each run may get a different image.`,
        origin,
      })
    }
  }

  const origins = patched.right.images.map((image): Origin => {
    const fromFlag = flagOrigins.get(image.name)
    if (fromFlag !== undefined) return fromFlag
    if (own.has(image.name)) return { kind: 'default', reason: input.defaultImage!.reason }
    return configOrigin(file!, entries.get(image.name)!)
  })
  return E.right({ config: patched.right, origins, warnings })
}
