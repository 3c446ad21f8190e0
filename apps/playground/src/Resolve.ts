/**
 * The playground's resolution: a thin mapping from the page's state to config-file's `resolve`
 * (SPEC 5, the function `imgcfg resolve` calls too) and from its answer back to the page. Every
 * problem is placed at the input it belongs to; the config text, the default image and the
 * `--image` values are checked independently so that all of them are marked.
 */
import * as E from 'fp-ts/lib/Either.js'
import {
  chooseDefaultImage,
  describeOrigin,
  detectFormat,
  formatConfigError,
  parseConfigText,
  resolve as resolveImages,
  type ConfigFile,
  type ConfigFormat,
  type DefaultImageChoice,
  type Origin,
  type Problem as Warning,
  type ResolutionError,
} from '@imgcfg/config-file/text'
import * as ContainerImage from '@imgcfg/core/ContainerImage'
import * as DefaultImages from '@imgcfg/core/DefaultImages'
import { formatError, quote, truncate } from '@imgcfg/core/errors'
import * as Image from '@imgcfg/core/Image'
import * as ImageConfig from '@imgcfg/core/ImageConfig'
import type { State } from './State.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Where an image of the result came from. */
export type Source = Origin['kind']

export interface Row {
  readonly name: string
  readonly full: string
  readonly fqn: string
  readonly tag?: string
  readonly digest?: string
  readonly source: Source
  /** The origin in words, as `imgcfg resolve --format table` prints it. */
  readonly where: string
  readonly isDefault: boolean
  /** The resolution's warnings about this image (grammar, no tag), joined. */
  readonly warning?: string
}

/** A problem, placed at the input it belongs to. `message` is the library's sentence. */
export type Problem =
  | { readonly at: 'config'; readonly message: string; readonly line?: number; readonly column?: number }
  | { readonly at: 'flag'; readonly row: number; readonly message: string }
  | { readonly at: 'internalImage' | 'pythonVersion' | 'flytekitVersion'; readonly message: string }

/**
 * A warning of the resolution (something pyflyte accepts but a user should hear about), placed
 * at the input it belongs to. `message` is the library's sentence.
 */
export type Notice =
  | { readonly at: 'config'; readonly code: Warning['code']; readonly message: string; readonly line?: number; readonly column?: number }
  | { readonly at: 'flag'; readonly code: Warning['code']; readonly row: number; readonly message: string }
  | { readonly at: 'default'; readonly code: Warning['code']; readonly message: string }

export interface Resolved {
  readonly config: ImageConfig.ImageConfig
  readonly rows: ReadonlyArray<Row>
  /** `ImageConfig.toJson` with indent 2: what Python's `json.dumps(to_dict(), indent=2)` prints. */
  readonly json: string
  /** Every warning of the resolution, in its order (what `imgcfg resolve` prints on stderr). */
  readonly warnings: ReadonlyArray<Warning>
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
  /**
   * The resolution's warnings, placed. When there are problems, only the config text's own
   * (tagless, and grammar without strict), from the file resolved with the flags that are fine.
   */
  readonly notices: ReadonlyArray<Notice>
  /** Present exactly when there are no problems. */
  readonly resolved?: Resolved
}

/** The file name the playground gives the config text, by format (as flytekit users name them). */
export const configFileName = (format: ConfigFormat): string => (format === 'yaml' ? 'config.yaml' : 'flytekit.config')

// -------------------------------------------------------------------------------------
// resolve
// -------------------------------------------------------------------------------------

/** The input that decided the default image, for a problem with it. */
const defaultField = (state: State): 'internalImage' | 'pythonVersion' | 'flytekitVersion' =>
  state.internalImage !== '' ? 'internalImage' : state.flytekitVersion !== '' ? 'flytekitVersion' : 'pythonVersion'

/** The line of the config image an error names, when the error has none of its own. */
const located = (e: ResolutionError, file: ConfigFile | undefined): { line?: number; column?: number } => {
  if (e._tag === 'ConfigSyntaxError' || e._tag === 'InternalSection' || e._tag === 'InvalidConfigImage') {
    return { ...(e.line !== undefined ? { line: e.line } : {}), ...(e.column !== undefined ? { column: e.column } : {}) }
  }
  const name = e._tag === 'MissingTagOrDigest' ? e.name : undefined
  const image = file?.images.find((i) => i.name === name)
  return image?.line !== undefined ? { line: image.line, ...(image.column !== undefined ? { column: image.column } : {}) } : {}
}

const position = (o: { readonly line?: number; readonly column?: number }): { line?: number; column?: number } =>
  o.line === undefined ? {} : { line: o.line, ...(o.column !== undefined ? { column: o.column } : {}) }

/** Problems in the order of the page: the config text by line, then the flag rows, then the rest. */
const byInput = (a: Problem, b: Problem): number => {
  const rank = (p: Problem): [number, number] =>
    p.at === 'config' ? [0, p.line ?? Number.MAX_SAFE_INTEGER] : p.at === 'flag' ? [1, p.row] : [2, 0]
  const [ra, rb] = [rank(a), rank(b)]
  return ra[0] - rb[0] || ra[1] - rb[1]
}

/**
 * Where the library's error belongs on the page: a flag row, the default-image inputs or the
 * config text. `rows` maps indexes of the values passed to `resolve` to rows of `state.flags`.
 */
const place = (e: ResolutionError, state: State, rows: ReadonlyArray<number>, file: ConfigFile | undefined): Problem => {
  const message = formatConfigError(e)
  if (e._tag === 'InvalidImageFlag' || e._tag === 'MultipleDefaultImages' || e._tag === 'DuplicateImageName' || e._tag === 'EmptyImageName') {
    return { at: 'flag', row: rows[e.index] ?? e.index, message }
  }
  if (e._tag === 'InvalidDefaultImage' || e._tag === 'UnsupportedPythonVersion') return { at: defaultField(state), message }
  return { at: 'config', message, ...located(e, file) }
}

const PLACEHOLDER: DefaultImageChoice = { image: `${DefaultImages.IMAGE_REPOSITORY}:py3.12-latest`, reason: { kind: 'plugin' } }

/**
 * While something is wrong, the config text's own warnings (a tagless image; without strict, one
 * the grammar rejects) still show at their lines: the library's resolution of the file with the
 * flags that have no problem, and a default that cannot fail. Warnings that name a flag are left
 * out, since the flags passed are not the page's rows.
 */
const configNotices = (state: State, file: ConfigFile | undefined, rows: ReadonlyArray<number>, problems: ReadonlyArray<Problem>): Notice[] => {
  if (file === undefined) return []
  const bad = new Set(problems.flatMap((p) => (p.at === 'flag' ? [p.row] : [])))
  const flags = rows.filter((row) => !bad.has(row)).map((row) => state.flags[row]!)
  const probe = resolveImages({ flags, file, strict: false, defaultImage: PLACEHOLDER })
  if (E.isLeft(probe)) return []
  return probe.right.warnings.flatMap((w): Notice[] =>
    w.origin.kind === 'config' && (w.code === 'tagless' || (w.code === 'grammar' && !state.strict))
      ? [{ at: 'config', code: w.code, message: w.message, ...position(w.origin) }]
      : [],
  )
}

/**
 * The default-image choice these inputs stand for: the page's FLYTE_INTERNAL_IMAGE, Python and
 * flytekit versions (none means the running flytekit's, i.e. `latest`).
 */
export const defaultChoice = (state: State) =>
  chooseDefaultImage({
    pythonVersion: state.pythonVersion,
    ...(state.flytekitVersion !== '' ? { flytekitVersion: state.flytekitVersion } : {}),
    env: state.internalImage !== '' ? { [DefaultImages.INTERNAL_IMAGE_ENV]: state.internalImage } : {},
  })

/**
 * Resolves the inputs with config-file's `resolve`, as `imgcfg resolve` does. Empty `--image`
 * rows are skipped (a row being typed is not a flag yet); problem rows are indexes into
 * `state.flags`.
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
  const file = E.isRight(parsed) ? parsed.right : undefined
  if (E.isLeft(parsed)) problems.push({ at: 'config', message: formatConfigError(parsed.left), ...located(parsed.left, undefined) })

  // A shared link can carry any text; the command line refuses what this refuses (a usage error).
  if (state.flytekitVersion !== '' && !DefaultImages.isFlytekitVersion(state.flytekitVersion)) {
    problems.push({ at: 'flytekitVersion', message: `The flytekit version must be ${DefaultImages.FLYTEKIT_VERSION_FORM}, not ${quote(truncate(state.flytekitVersion))}.` })
  }
  const chosen = defaultChoice(state)
  if (E.isLeft(chosen)) problems.push({ at: defaultField(state), message: formatError(chosen.left) })

  const rows = state.flags.flatMap((value, row) => (value === '' ? [] : [row]))
  const flags = rows.map((row) => state.flags[row]!)
  const input = { flags, strict: state.strict, ...(file !== undefined ? { file } : {}) }
  let resolved = E.isRight(chosen) ? resolveImages({ ...input, defaultImage: chosen.right }) : undefined
  if (resolved === undefined || E.isLeft(resolved)) {
    if (resolved !== undefined) problems.push(place(resolved.left, state, rows, file))
    // The other inputs are checked on their own too, so that every wrong one is marked: the
    // flags alone (with a default that cannot fail), and the config file with the flags.
    const placeholder = PLACEHOLDER
    const alone = resolveImages({ flags, strict: state.strict, defaultImage: placeholder })
    if (E.isLeft(alone)) {
      const p = place(alone.left, state, rows, undefined)
      if (!problems.some((q) => q.message === p.message)) problems.push(p)
    } else if (resolved === undefined && file !== undefined) {
      const withFile = resolveImages({ ...input, file, defaultImage: placeholder })
      if (E.isLeft(withFile)) problems.push(place(withFile.left, state, rows, file))
    }
    // Under strict the library stops at the first config image that fails the grammar; the same
    // resolution without strict words each of them (the same sentence) as a warning.
    if (state.strict && file !== undefined && problems.some((p) => p.at === 'config')) {
      const lenient = resolveImages({ flags, strict: false, file, defaultImage: placeholder })
      if (E.isRight(lenient)) {
        for (const w of lenient.right.warnings) {
          if (w.code !== 'grammar' || w.origin.kind !== 'config' || problems.some((q) => q.message === w.message)) continue
          problems.push({ at: 'config', message: w.message, ...position(w.origin) })
        }
      }
    }
  }
  if (problems.length > 0 || resolved === undefined || E.isLeft(resolved)) {
    return { detected, format, problems: [...problems].sort(byInput), notices: configNotices(state, file, rows, problems) }
  }

  const { config, origins, warnings } = resolved.right
  const about = (origin: Origin): string | undefined => {
    const mine = warnings.filter((w) => w.code !== 'shadowed' && JSON.stringify(w.origin) === JSON.stringify(origin))
    return mine.length === 0 ? undefined : mine.map((w) => w.message).join(' ')
  }
  const rowsOut = config.images.map((image, i): Row => {
    const origin = origins[i]!
    const warning = about(origin)
    return {
      name: image.name,
      full: Image.full(image),
      fqn: image.fqn,
      ...(image.tag !== undefined ? { tag: image.tag } : {}),
      ...(image.digest !== undefined ? { digest: image.digest } : {}),
      source: origin.kind,
      where: describeOrigin(origin),
      isDefault: i === 0 && config.defaultImage !== undefined,
      ...(warning !== undefined ? { warning } : {}),
    }
  })
  const defaultOrigin = config.defaultImage !== undefined ? origins[0] : undefined
  const notices = warnings.map((w): Notice => {
    const o = w.origin
    if (o.kind === 'config') return { at: 'config', code: w.code, message: w.message, ...position(o) }
    if (o.kind === 'flag' || o.kind === 'imagespec') return { at: 'flag', code: w.code, row: rows[o.index] ?? o.index, message: w.message }
    return { at: 'default', code: w.code, message: w.message }
  })
  return {
    detected,
    format,
    problems,
    notices,
    resolved: {
      config,
      rows: rowsOut,
      json: ImageConfig.toJson(config, { indent: 2 }),
      warnings,
      shadowed: warnings.flatMap((w) => {
        if (w.code !== 'shadowed') return []
        const entry = file?.images.find((image) => w.origin.kind === 'config' && image.line === w.origin.line)
        return entry !== undefined ? [entry.name] : []
      }),
      defaultFrom:
        defaultOrigin?.kind === 'default'
          ? defaultOrigin.reason.kind === 'FLYTE_INTERNAL_IMAGE'
            ? 'FLYTE_INTERNAL_IMAGE'
            : 'DefaultImages'
          : 'flag',
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

/**
 * The "task container_image" box: the image a task with this `container_image` gets
 * (`ContainerImage.getRegisterableContainerImage`, as flytekit registers it), or the sentence
 * saying which placeholder fails and why.
 *
 * @example
 * taskImage(config, '{{.image.gpu.fqn}}:{{.image.gpu.version}}') // { ok: true, image: 'ghcr.io/org/gpu:1' }
 */
export const taskImage = (
  config: ImageConfig.ImageConfig,
  template: string,
): { readonly ok: true; readonly image: string } | { readonly ok: false; readonly message: string } => {
  const image = ContainerImage.getRegisterableContainerImage(template, config)
  return E.isRight(image) ? { ok: true, image: image.right } : { ok: false, message: formatError(image.left) }
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
 * imgcfgCommand({ ...empty, strict: true }, 'yaml') // "imgcfg resolve -c '' --python-version 3.12 --flytekit-version latest --strict --format json"
 */
export const imgcfgCommand = (state: State, format: ConfigFormat): string => {
  const words: string[] = []
  if (state.internalImage !== '') words.push(`${DefaultImages.INTERNAL_IMAGE_ENV}=${shellQuote(state.internalImage)}`)
  words.push('imgcfg', 'resolve')
  for (const flag of state.flags) if (flag !== '') words.push('-i', shellQuote(flag))
  // -c '' when there is no config text: otherwise imgcfg would discover one, as flytekit does.
  words.push('-c', state.config.trim() !== '' ? configFileName(format) : "''")
  words.push('--python-version', shellQuote(state.pythonVersion))
  // No flytekit version on the page means `latest`; imgcfg would otherwise ask the python3 on PATH.
  words.push('--flytekit-version', shellQuote(state.flytekitVersion !== '' ? state.flytekitVersion : 'latest'))
  if (state.strict) words.push('--strict')
  words.push('--format', 'json')
  return words.join(' ')
}
