/**
 * ImageSpec YAML files (SPEC 7): the text read as PyYAML's `safe_load` reads it, passed to
 * `ImageSpec.make` (flytekit's `ImageSpec(**fields)`), with every error placed at its file,
 * line and column. Pure and browser-safe; `loadImageSpec` (Node) adds the files a spec names.
 *
 * @since 0.3.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { InvalidImageSpec } from '@imgcfg/core/errors'
import type { ConfigError, Location } from './errors.js'
import * as ImageSpec from '@imgcfg/core/ImageSpec'
import { safeLoad } from './pyyaml.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Options of `parseImageSpecText`. */
export interface ImageSpecParseOptions {
  /** The file name messages give (default `<imagespec>`). */
  readonly origin?: string
}

/** A parsed spec with a way to place messages about its keys. */
export interface ParsedImageSpec {
  readonly spec: ImageSpec.ImageSpec
  /** The location of a top-level key (its value with `at: 'value'`), or of the document. */
  readonly locate: (key: string | undefined, at?: 'key' | 'value') => Location
}

const DEFAULT_ORIGIN = '<imagespec>'

// -------------------------------------------------------------------------------------
// parsing
// -------------------------------------------------------------------------------------

/**
 * The spec with the means to place a message at a key: what `parseImageSpecText` and
 * `loadImageSpec` share.
 *
 * @since 0.3.0
 */
export const parseImageSpecDocument = (text: string, options: ImageSpecParseOptions = {}): E.Either<ConfigError, ParsedImageSpec> => {
  const origin = options.origin ?? DEFAULT_ORIGIN
  if (typeof text !== 'string') return E.left({ _tag: 'InvalidArgument', fn: 'parseImageSpecText', message: 'text must be a string' })
  const result = safeLoad(text)
  const place = (offset: number): Location => {
    const before = text.slice(0, offset)
    return { origin, line: before.split('\n').length, column: offset - before.lastIndexOf('\n') }
  }
  if (!result.ok) {
    const { problem } = result
    return E.left(
      problem.syntax
        ? { _tag: 'ConfigSyntaxError', format: 'yaml', message: problem.message, ...place(problem.offset) }
        : { _tag: 'InvalidImageSpec', problem: 'value', message: `YAML, read as PyYAML's safe_load reads it: ${problem.message}`, ...place(problem.offset) },
    )
  }
  const { loaded } = result
  const locate = (key: string | undefined, at: 'key' | 'value' = 'key'): Location => {
    const found = key === undefined ? undefined : loaded.keys.get(key)
    return place(found === undefined ? loaded.offset : at === 'key' ? found.key : found.value)
  }
  const made = ImageSpec.make(loaded.value)
  if (E.isLeft(made)) {
    const e = made.left
    if (e._tag !== 'InvalidImageSpec') return made
    const at = e.problem === 'unknown-key' ? 'key' : 'value'
    return E.left({ ...e, ...locate(e.key, at) } satisfies InvalidImageSpec)
  }
  // flytekit fails on a bad tag_format only when it computes the tag; say so now, with the key.
  const probe = ImageSpec.tag(made.right, { requirements: '0'.repeat(40), copy: '0'.repeat(32) })
  if (E.isLeft(probe) && probe.left._tag === 'InvalidImageSpec' && probe.left.problem === 'tag-format')
    return E.left({ ...probe.left, ...locate('tag_format', 'value') })
  return E.right({ spec: made.right, locate })
}

/**
 * An ImageSpec YAML file's text, read as flytekit reads it: `ImageSpec(**yaml.safe_load(text))`.
 *
 * @example
 * import { parseImageSpecText } from '@imgcfg/config-file/text'
 * import * as ImageSpec from '@imgcfg/core/ImageSpec'
 * import * as E from 'fp-ts/lib/Either.js'
 * const spec = parseImageSpecText('name: app\npython_version: 3\n', { origin: 'spec.yaml' })
 * E.map(ImageSpec.id)(spec) // Right('kaJOvGzksS_L8BJPi4WhAA')
 *
 * @since 0.3.0
 */
export const parseImageSpecText = (text: string, options: ImageSpecParseOptions = {}): E.Either<ConfigError, ImageSpec.ImageSpec> =>
  E.map((p: ParsedImageSpec) => p.spec)(parseImageSpecDocument(text, options))
