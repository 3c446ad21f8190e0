/**
 * The CLI's `resolve`, run on the playground's inputs: the `--image` values are validated against
 * the default image (`ImageConfig.validateImage`), then the config file's other images are
 * appended (`patchWithFile`), as `pyflyte run --image …` does. Every problem is reported at the
 * input it belongs to, and the inputs are checked independently so that all of them are marked.
 */
import * as E from 'fp-ts/lib/Either.js'
import {
  detectFormat,
  parseConfigText,
  patchWithFile,
  type ConfigFile,
  type ConfigFormat,
  type ConfigImage,
} from '@imgcfg/config-file/text'
import * as DefaultImages from '@imgcfg/core/DefaultImages'
import { formatError, type ImgcfgError } from '@imgcfg/core/errors'
import * as Image from '@imgcfg/core/Image'
import * as ImageConfig from '@imgcfg/core/ImageConfig'
import * as ImageFlag from '@imgcfg/core/ImageFlag'
import * as Reference from '@imgcfg/core/Reference'
import type { State } from './State.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Where an image of the result came from. */
export type Source = 'flag' | 'config' | 'default'

export interface Row {
  readonly name: string
  readonly full: string
  readonly fqn: string
  readonly tag?: string
  readonly digest?: string
  readonly source: Source
  readonly isDefault: boolean
  /** Strict mode only: a config-file image the OCI grammar rejects (pyflyte still accepts it). */
  readonly warning?: string
}

/** A problem, placed at the input it belongs to. `message` is `formatError`'s sentence. */
export type Problem =
  | { readonly at: 'config'; readonly message: string; readonly line?: number; readonly column?: number }
  | { readonly at: 'flag'; readonly row: number; readonly message: string }
  | { readonly at: 'internalImage' | 'pythonVersion' | 'flytekitVersion'; readonly message: string }

export interface Resolved {
  readonly config: ImageConfig.ImageConfig
  readonly rows: ReadonlyArray<Row>
  /** `ImageConfig.toJson` with indent 2: what Python's `json.dumps(to_dict(), indent=2)` prints. */
  readonly json: string
  /** Config-file images replaced by an `--image` value of the same name. */
  readonly shadowed: ReadonlyArray<string>
  /** The default image, and why it is the one. */
  readonly defaultFrom: 'flag' | 'FLYTE_INTERNAL_IMAGE' | 'DefaultImages'
}

export interface Outcome {
  /** The format the text looks like. */
  readonly detected: ConfigFormat
  /** The format used: the override, or the detected one. */
  readonly format: ConfigFormat
  readonly problems: ReadonlyArray<Problem>
  /** Present exactly when there are no problems. */
  readonly resolved?: Resolved
}

/** The file name the playground gives the config text, by format (as flytekit users name them). */
export const configFileName = (format: ConfigFormat): string => (format === 'yaml' ? 'config.yaml' : 'flytekit.config')

// -------------------------------------------------------------------------------------
// resolve
// -------------------------------------------------------------------------------------

/** The index a flag error points at (into the values passed to validateImage). */
const flagIndex = (e: ImgcfgError): number | undefined =>
  e._tag === 'InvalidImageFlag' ||
  e._tag === 'MultipleDefaultImages' ||
  e._tag === 'DuplicateImageName' ||
  e._tag === 'EmptyImageName'
    ? e.index
    : undefined

/** A config-file problem, at its line: the parser's, or else the line of the image it names. */
const configProblem = (e: ImgcfgError, images: ReadonlyArray<ConfigImage> = []): Problem => {
  const located: { line?: number | undefined; column?: number | undefined } =
    e._tag === 'ConfigSyntaxError' || e._tag === 'InternalSection'
      ? e
      : e._tag === 'MissingTagOrDigest'
        ? (images.find((image) => image.name === e.name) ?? {})
        : {}
  return {
    at: 'config',
    message: formatError(e),
    ...(located.line !== undefined ? { line: located.line } : {}),
    ...(located.column !== undefined ? { column: located.column } : {}),
  }
}

/** The input that decided the default image, for a problem with it. */
const defaultField = (state: State): 'internalImage' | 'pythonVersion' | 'flytekitVersion' =>
  state.internalImage !== '' ? 'internalImage' : state.flytekitVersion !== '' ? 'flytekitVersion' : 'pythonVersion'

/**
 * Resolves the inputs as `imgcfg resolve` does. Empty `--image` rows are skipped (a row being
 * typed is not a flag yet); problem rows are indexes into `state.flags`.
 *
 * @example
 * resolve({ ...empty, flags: ['gpu=ghcr.io/org/gpu:1'] }).resolved?.rows.map((r) => r.source)
 * // ['default', 'flag']
 */
export const resolve = (state: State): Outcome => {
  const detected = detectFormat(state.config)
  const format = state.format === 'auto' ? detected : state.format
  const problems: Problem[] = []

  const parsed = parseConfigText(state.config, { format, origin: configFileName(format) })
  let file: ConfigFile | undefined
  if (E.isLeft(parsed)) problems.push(configProblem(parsed.left))
  else file = parsed.right

  const env = state.internalImage !== '' ? { [DefaultImages.INTERNAL_IMAGE_ENV]: state.internalImage } : {}
  const defaultImage = DefaultImages.defaultImage({
    pythonVersion: state.pythonVersion,
    ...(state.flytekitVersion !== '' ? { flytekitVersion: state.flytekitVersion } : {}),
    env,
  })
  if (E.isLeft(defaultImage)) problems.push({ at: defaultField(state), message: formatError(defaultImage.left) })

  const rows = state.flags.flatMap((value, row) => (value === '' ? [] : [{ value, row }]))
  const values = rows.map((r) => r.value)
  // With no usable default image the flags are still checked; the fallback's own error is not theirs.
  const validated = ImageConfig.validateImage(values, {
    defaultImage: E.isRight(defaultImage) ? defaultImage.right : '',
    param: 'image',
    strict: state.strict,
  })
  if (E.isLeft(validated)) {
    const index = flagIndex(validated.left)
    if (index !== undefined) {
      problems.push({ at: 'flag', row: rows[index]?.row ?? index, message: formatError(validated.left) })
    } else if (E.isRight(defaultImage)) {
      problems.push({ at: defaultField(state), message: formatError(validated.left) })
    }
  }

  if (problems.length > 0 || E.isLeft(validated)) return { detected, format, problems }

  const patched = patchWithFile(file, validated.right)
  if (E.isLeft(patched)) return { detected, format, problems: [configProblem(patched.left, file?.images)] }

  const flagged = values.map(ImageFlag.parse)
  const defaultFromFlag = flagged.some((flag) => flag.isDefault)
  const own = validated.right.images.length
  const fromFile = new Map((file?.images ?? []).map((image) => [image.name, image.identifier] as const))
  const rowsOut = patched.right.images.map((image, i): Row => {
    const isDefault = i === 0 && patched.right.defaultImage !== undefined
    const source: Source = i >= own ? 'config' : isDefault && !defaultFromFlag ? 'default' : 'flag'
    const identifier = fromFile.get(image.name)
    const checked = source === 'config' && state.strict && identifier !== undefined ? Reference.parse(identifier) : undefined
    return {
      name: image.name,
      full: Image.full(image),
      fqn: image.fqn,
      ...(image.tag !== undefined ? { tag: image.tag } : {}),
      ...(image.digest !== undefined ? { digest: image.digest } : {}),
      source,
      isDefault,
      ...(checked !== undefined && E.isLeft(checked) ? { warning: formatError(checked.left) } : {}),
    }
  })
  const ownNames = new Set(validated.right.images.map((image) => image.name))
  return {
    detected,
    format,
    problems,
    resolved: {
      config: patched.right,
      rows: rowsOut,
      json: ImageConfig.toJson(patched.right, { indent: 2 }),
      shadowed: [...fromFile.keys()].filter((name) => ownNames.has(name)),
      defaultFrom: defaultFromFlag ? 'flag' : state.internalImage !== '' ? 'FLYTE_INTERNAL_IMAGE' : 'DefaultImages',
    },
  }
}

/**
 * The "find image" box: the image's full reference, or the sentence saying which names exist.
 *
 * @example
 * findImage(config, 'gpu') // { ok: true, full: 'ghcr.io/org/gpu:1' }
 */
export const findImage = (
  config: ImageConfig.ImageConfig,
  name: string,
): { readonly ok: true; readonly full: string } | { readonly ok: false; readonly message: string } => {
  const found = ImageConfig.getImage(config, name)
  return E.isRight(found) ? { ok: true, full: Image.full(found.right) } : { ok: false, message: formatError(found.left) }
}

// -------------------------------------------------------------------------------------
// command lines
// -------------------------------------------------------------------------------------

/**
 * Quotes a word for a POSIX shell, only when it needs it.
 *
 * @example
 * shellQuote("it's") // `'it'\''s'`
 */
export const shellQuote = (word: string): string =>
  /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`

/**
 * The `pyflyte run` command these inputs stand for. The Python and flytekit versions are those
 * of the environment pyflyte runs in, so they have no flag.
 *
 * @example
 * pyflyteCommand({ ...empty, flags: ['x:1'] }, 'yaml') // 'pyflyte run --image x:1 workflows.py wf'
 */
export const pyflyteCommand = (state: State, format: ConfigFormat): string => {
  const words: string[] = []
  if (state.internalImage !== '') words.push(`${DefaultImages.INTERNAL_IMAGE_ENV}=${shellQuote(state.internalImage)}`)
  words.push('pyflyte')
  if (state.config.trim() !== '') words.push('--config', configFileName(format))
  words.push('run')
  for (const flag of state.flags) if (flag !== '') words.push('--image', shellQuote(flag))
  words.push('workflows.py', 'wf')
  return words.join(' ')
}

/**
 * The `imgcfg resolve` command that prints the same result.
 *
 * @example
 * imgcfgCommand({ ...empty, strict: true }, 'yaml') // 'imgcfg resolve --python-version 3.12 --strict --format json'
 */
export const imgcfgCommand = (state: State, format: ConfigFormat): string => {
  const words: string[] = []
  if (state.internalImage !== '') words.push(`${DefaultImages.INTERNAL_IMAGE_ENV}=${shellQuote(state.internalImage)}`)
  words.push('imgcfg', 'resolve')
  for (const flag of state.flags) if (flag !== '') words.push('-i', shellQuote(flag))
  if (state.config.trim() !== '') words.push('-c', configFileName(format))
  words.push('--python-version', shellQuote(state.pythonVersion))
  if (state.flytekitVersion !== '') words.push('--flytekit-version', shellQuote(state.flytekitVersion))
  if (state.strict) words.push('--strict')
  words.push('--format', 'json')
  return words.join(' ')
}
