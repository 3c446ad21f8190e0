/**
 * Every failure in imgcfg is a value of `ImgcfgError`: a tagged union whose members carry the
 * data needed to explain them. `formatError` turns one into the sentence a user reads.
 *
 * @since 0.1.0
 */

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** An identifier that needs a tag or digest has neither. */
export interface MissingTagOrDigest {
  readonly _tag: 'MissingTagOrDigest'
  readonly identifier: string
  readonly name?: string
}

/** An image was given both a tag and a digest. */
export interface TagAndDigest {
  readonly _tag: 'TagAndDigest'
  readonly tag: string
  readonly digest: string
}

/** A field of an image is not a string (or null/undefined where optional). */
export interface InvalidImageField {
  readonly _tag: 'InvalidImageField'
  readonly field: string
  readonly actual: string
}

/** The reasons `Reference.parse` gives, named after the Go errors without their `Err` prefix. */
export type ReferenceReason =
  | 'ReferenceInvalidFormat'
  | 'NameContainsUppercase'
  | 'NameEmpty'
  | 'NameTooLong'
  | 'NameNotCanonical'
  | 'NameIsIdentifier'
  | 'TagInvalidFormat'
  | 'DigestInvalidFormat'
  | 'DigestInvalidLength'
  | 'DigestUnsupported'

/** A reference that the OCI distribution grammar rejects. */
export interface InvalidReference {
  readonly _tag: 'InvalidReference'
  readonly reason: ReferenceReason
  readonly input: string
  /** UTF-16 offset of the first offending character, where one can be named. */
  readonly offset?: number
}

/** A Python version with no default flytekit image. */
export interface UnsupportedPythonVersion {
  readonly _tag: 'UnsupportedPythonVersion'
  readonly version: string
  readonly supported: ReadonlyArray<string>
}

/** Two `--image` values both set the default image. */
export interface MultipleDefaultImages {
  readonly _tag: 'MultipleDefaultImages'
  readonly first: string
  readonly second: string
  readonly param: string
  readonly index: number
}

/** Two `--image` values name the same image. */
export interface DuplicateImageName {
  readonly _tag: 'DuplicateImageName'
  readonly name: string
  readonly param: string
  readonly index: number
  readonly firstIndex: number
}

/** An `--image` value of the form `=identifier`. */
export interface EmptyImageName {
  readonly _tag: 'EmptyImageName'
  readonly value: string
  readonly param: string
  readonly index: number
}

/** An `--image` value that failed to look up; wraps the cause with the flag position. */
export interface InvalidImageFlag {
  readonly _tag: 'InvalidImageFlag'
  readonly value: string
  readonly param: string
  readonly index: number
  readonly cause: ImgcfgError
}

/** The fallback default image of `validateImage` (no flag set one) is itself invalid. */
export interface InvalidDefaultImage {
  readonly _tag: 'InvalidDefaultImage'
  readonly identifier: string
  readonly cause: ImgcfgError
}

/** `findImage` shown to a user: no image has that name. */
export interface ImageNotFound {
  readonly _tag: 'ImageNotFound'
  readonly name: string
  readonly available: ReadonlyArray<string>
}

/**
 * A task's `container_image` template that cannot be resolved: the placeholder names an image the
 * configuration lacks (`not-found`), asks for an attribute other than `fqn` or `version`
 * (`attribute`), or asks for a version that neither the image nor the default image has
 * (`no-version`; flytekit crashes there).
 *
 * @since 0.2.0
 */
export interface ContainerImageError {
  readonly _tag: 'ContainerImageError'
  readonly problem: 'not-found' | 'attribute' | 'no-version'
  readonly template: string
  readonly placeholder: string
  readonly offset: number
  readonly name: string
  readonly attribute: string
  /** The names the configuration has (for `not-found`). */
  readonly available: ReadonlyArray<string>
  /** The default image's full reference, when there is one. */
  readonly defaultImage?: string
}

/**
 * A task without a `container_image` and a configuration without a default image.
 *
 * @since 0.2.0
 */
export interface NoDefaultImage {
  readonly _tag: 'NoDefaultImage'
}

/** One problem found while decoding a wire value. */
export interface DecodeProblem {
  /** JSON path such as `$.images[2].tag`. */
  readonly path: string
  readonly expected: string
  readonly actual: string
}

/** `fromDict`/`fromJson`: the value does not have the flytekit wire shape. */
export interface DecodeFailure {
  readonly _tag: 'DecodeFailure'
  readonly problems: ReadonlyArray<DecodeProblem>
}

/** `fromJson`: the text is not JSON. */
export interface InvalidJson {
  readonly _tag: 'InvalidJson'
  readonly message: string
  readonly line?: number
  readonly column?: number
}

/** A public function was handed a value of the wrong JavaScript type. */
export interface InvalidArgument {
  readonly _tag: 'InvalidArgument'
  readonly fn: string
  readonly message: string
}

/** What is wrong with an ImageSpec (SPEC 7). */
export type ImageSpecProblem =
  | 'not-a-mapping'
  | 'unknown-key'
  | 'type'
  | 'registry'
  | 'tag-format'
  | 'source-root'
  | 'missing-file-digest'
  | 'file'
  | 'value'
  | 'unsupported'

/**
 * An ImageSpec that flytekit would reject or crash on, or whose name imgcfg cannot know (with
 * `source_root`). `key` is the spec's field; `closest` the known field an unknown key resembles.
 *
 * @since 0.3.0
 */
export interface InvalidImageSpec {
  readonly _tag: 'InvalidImageSpec'
  /** The file, 1-based line and column, when the spec came from one. */
  readonly origin?: string
  readonly line?: number
  readonly column?: number
  readonly problem: ImageSpecProblem
  readonly key?: string
  readonly closest?: string
  readonly message: string
}

/**
 * Every error imgcfg returns.
 *
 * @since 0.1.0
 */
export type ImgcfgError =
  | MissingTagOrDigest
  | TagAndDigest
  | InvalidImageField
  | InvalidReference
  | UnsupportedPythonVersion
  | MultipleDefaultImages
  | DuplicateImageName
  | EmptyImageName
  | InvalidImageFlag
  | InvalidDefaultImage
  | ImageNotFound
  | ContainerImageError
  | NoDefaultImage
  | DecodeFailure
  | InvalidJson
  | InvalidArgument
  | InvalidImageSpec

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

const REFERENCE_SENTENCES: Readonly<Record<ReferenceReason, string>> = {
  ReferenceInvalidFormat: 'is not a valid image reference',
  NameContainsUppercase: 'repository name must be lowercase',
  NameEmpty: 'repository name must have at least one component',
  NameTooLong: 'repository name must not be more than 255 characters',
  NameNotCanonical: 'repository name must be canonical',
  NameIsIdentifier: 'repository name must not be a 64-character hexadecimal identifier',
  TagInvalidFormat: 'tag must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}',
  DigestInvalidFormat: 'digest must be algorithm:hex with lowercase hex',
  DigestInvalidLength: 'digest has the wrong length for its algorithm',
  DigestUnsupported: 'digest algorithm is not supported (sha256, sha384 or sha512)',
}

const GRAMMAR = 'Expected [domain[:port]/]path[:tag][@algorithm:hex], e.g. ghcr.io/org/app:1.0.'

const referenceProblem = (e: InvalidReference): string => {
  const { reason, input, offset } = e
  if (reason !== 'ReferenceInvalidFormat') {
    const where = offset !== undefined ? ` (offset ${offset}: ${describeChar(input, offset)})` : ''
    const hint = reason === 'DigestInvalidLength' ? ' sha256 takes 64 hex digits, sha384 96, sha512 128.' : ''
    return `${REFERENCE_SENTENCES[reason]}${where}.${hint}`
  }
  const at = input.lastIndexOf('@')
  const inDigest = at !== -1 && offset !== undefined && offset > at
  const problem =
    offset === undefined
      ? 'it does not follow the reference grammar'
      : offset >= input.length
        ? `it ends too early (offset ${offset})`
        : `unexpected ${describeChar(input, offset)} at offset ${offset}`
  const hint = inDigest ? ' A digest is algorithm:hex with at least 32 hex digits (sha256 takes 64).' : ` ${GRAMMAR}`
  return `${problem}.${hint}`
}

/**
 * User input in double quotes, made visible (see `visible`): for messages built outside core.
 *
 * @example
 * import { quote } from '@imgcfg/core/errors'
 * quote('a\u001bb') // '"a\\u001bb"'
 *
 * @since 0.1.0
 */
export const quote = (s: string): string => visible(JSON.stringify(s))

// Control, bidirectional and zero-width characters: shown as escapes so that a message stays one
// visible paragraph and cannot move the cursor, recolour the terminal or hide a look-alike.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g
const ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/**
 * `s` with invisible characters written as escapes (`\n`, `\u001b`), so that text from outside
 * cannot move the cursor, recolour a terminal or hide a look-alike.
 *
 * @example
 * import { visible } from '@imgcfg/core/errors'
 * visible('ubuntu\u202e:1') // 'ubuntu\\u202e:1'
 *
 * @since 0.1.0
 */
export const visible = (s: string): string =>
  s.replace(INVISIBLE, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

/** User input quoted nowhere in a message: shortened and made visible. */
const shown = (s: string): string => visible(truncate(s))

/** At most this many names in an "Available: …" list. */
const MAX_LISTED = 50

const listed = (names: ReadonlyArray<string>): string =>
  names.length <= MAX_LISTED
    ? names.map(shown).join(', ')
    : `${names.slice(0, MAX_LISTED).map(shown).join(', ')} and ${names.length - MAX_LISTED} more`

const describeChar = (input: string, offset: number): string => {
  const cp = input.codePointAt(offset)
  if (cp === undefined) return 'end of input'
  const ch = String.fromCodePoint(cp)
  return cp < 0x20 || cp === 0x7f || cp > 0x7e
    ? `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`
    : `'${ch}'`
}

/** `origin:line:column` as far as known (an ImageSpec read from a file). */
const locatedAt = (loc: { readonly origin?: string; readonly line?: number; readonly column?: number }): string =>
  [loc.origin ?? '<imagespec>', loc.line, loc.line !== undefined ? loc.column : undefined].filter((p) => p !== undefined).join(':')

/**
 * Edit distance for "did you mean" hints: insertions, deletions, substitutions, and a swap of
 * neighbours counted as one edit (optimal string alignment).
 *
 * @example
 * import { editDistance } from '@imgcfg/core/errors'
 * editDistance('reslove', 'resolve') // 1
 *
 * @since 0.3.0
 */
export const editDistance = (a: string, b: string): number => {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i]!
      row[j] = Math.min(d[i - 1]![j]! + 1, row[j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1)
    }
  }
  return d[a.length]![b.length]!
}

/** Shortens very long user input so messages stay one paragraph. */
export const truncate = (s: string, max = 120): string =>
  s.length <= max ? s : `${s.slice(0, max)}… (${s.length} characters)`

/**
 * The sentence a user reads for an error.
 *
 * @example
 * import { formatError } from '@imgcfg/core'
 * formatError({ _tag: 'MissingTagOrDigest', identifier: 'ubuntu' })
 * // 'Incorrectly formatted image ubuntu, missing tag or digest. Add a tag (ubuntu:1.0) or a digest (ubuntu@sha256:…).'
 *
 * @since 0.1.0
 */
export const formatError = (e: ImgcfgError): string => {
  if (typeof e !== 'object' || e === null) return unknownError(e as never)
  switch (e._tag) {
    case 'MissingTagOrDigest':
      return `Incorrectly formatted image ${shown(e.identifier)}, missing tag or digest. Add a tag (${shown(e.identifier)}:1.0) or a digest (${shown(e.identifier)}@sha256:…).`
    case 'TagAndDigest':
      return `Cannot specify both tag and digest. Got tag=${shown(e.tag)} and digest=${shown(e.digest)}`
    case 'InvalidImageField':
      return `Image field '${e.field}' must be a string, got ${e.actual}.`
    case 'InvalidReference':
      return `Invalid image reference ${quote(truncate(e.input))}: ${referenceProblem(e)}`
    case 'UnsupportedPythonVersion':
      return `Python version ${quote(truncate(e.version))} has no default flytekit image. Supported versions: ${e.supported.join(', ')}.`
    case 'MultipleDefaultImages':
      return `Only one default image can be specified. Received multiple ${shown(e.first)} & ${shown(e.second)} for ${shown(e.param)} (value ${e.index + 1}).`
    case 'DuplicateImageName':
      return `Image name ${quote(truncate(e.name))} is given twice for --${e.param || 'image'} (values ${e.firstIndex + 1} and ${e.index + 1}); image names must be unique.`
    case 'EmptyImageName':
      return `Image name is empty in ${quote(truncate(e.value))} for --${e.param || 'image'} (value ${e.index + 1}); write name=identifier or a bare identifier for the default image.`
    case 'InvalidImageFlag': {
      const flag = `--${e.param || 'image'} value ${e.index + 1}`
      // flytekit's sentence would read "Incorrectly formatted image , missing tag or digest".
      if (e.value === '') return `${flag} is empty: write name=identifier, or a bare identifier for the default image (ghcr.io/org/app:1.0).`
      if (e.value.endsWith('=') && e.value.indexOf('=') === e.value.length - 1) {
        return `${flag} (${quote(truncate(e.value))}) has no identifier after the '=': write name=identifier with a tag or digest (gpu=ghcr.io/org/gpu:1.0).`
      }
      return `${flag} (${quote(truncate(e.value))}): ${formatError(e.cause)}`
    }
    case 'InvalidDefaultImage':
      return `The default image (used because no --image value sets one; it comes from FLYTE_INTERNAL_IMAGE, a plugin or flytekit's published images) is invalid: ${formatError(e.cause)}`
    case 'ImageNotFound':
      return e.available.length === 0
        ? `No image named ${quote(truncate(e.name))}: the configuration has no images.`
        : `No image named ${quote(truncate(e.name))}. Available: ${listed(e.available)}.`
    case 'ContainerImageError':
      return `container_image ${quote(truncate(e.template))}: ${shown(e.placeholder)} at offset ${e.offset} ${containerImageProblem(e)}`
    case 'NoDefaultImage':
      return 'The task names no container_image and the configuration has no default image (flytekit: "An image is required for PythonAutoContainer tasks"). Set a default image with --image, or give the task a container_image.'
    case 'DecodeFailure':
      return `Not an image configuration:\n${e.problems
        .slice(0, MAX_LISTED)
        .map((p) => `  ${visible(p.path)}: expected ${p.expected}, got ${p.actual}`)
        .join('\n')}${e.problems.length > MAX_LISTED ? `\n  …and ${e.problems.length - MAX_LISTED} more problems` : ''}`
    case 'InvalidJson':
      return `Invalid JSON${e.line !== undefined ? ` at line ${e.line}, column ${e.column ?? 1}` : ''}: ${visible(e.message)}`
    case 'InvalidArgument':
      return `${e.fn}: ${e.message}`
    case 'InvalidImageSpec': {
      const where = e.origin !== undefined || e.line !== undefined ? `${visible(locatedAt(e))}: ` : ''
      const key = e.key !== undefined ? `${shown(e.key)}: ` : ''
      const hint = e.closest !== undefined ? ` Did you mean ${shown(e.closest)}?` : ''
      return `${where}ImageSpec ${key}${visible(e.message)}${hint}`
    }
    default:
      return unknownError(e)
  }
}

/**
 * A value that is not one of core's errors (a JavaScript caller's, or another package's error
 * handed to core's renderer instead of its own): named, not rendered as `undefined`.
 */
const unknownError = (e: never): string => {
  const tag: unknown = (e as { readonly _tag?: unknown } | null)?._tag
  return typeof tag === 'string'
    ? `${quote(truncate(tag, 60))} is not an error core knows how to describe; use the formatter of the package that returned it (formatConfigError, formatRegistryError).`
    : 'Not an imgcfg error.'
}

const containerImageProblem = (e: ContainerImageError): string => {
  const name = quote(truncate(e.name))
  switch (e.problem) {
    case 'not-found':
      return e.available.length === 0
        ? `names image ${name}, and the configuration has no images.`
        : `names image ${name}, which the configuration does not have (names are case-sensitive). Available: ${listed(e.available)}.`
    case 'attribute':
      return `asks for ${quote(truncate(e.attribute))} of image ${name}; only fqn and version are supported (or none, for the full reference).`
    case 'no-version':
      return e.defaultImage === undefined
        ? `asks for the version of image ${name}, which has no tag or digest, and there is no default image to take the version from.`
        : `asks for the version of image ${name}, which has no tag or digest, and the default image ${shown(e.defaultImage)} has none either.`
  }
}

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/** A short description of any JavaScript value, for error messages. */
export const describeValue = (u: unknown): string => {
  if (u === null) return 'null'
  if (Array.isArray(u)) return 'an array'
  switch (typeof u) {
    case 'string':
      return `the string ${quote(truncate(u, 40))}`
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${typeof u} ${String(u)}`
    case 'undefined':
      return 'nothing'
    case 'object':
      return 'an object'
    default:
      return `a ${typeof u}`
  }
}
