/**
 * A task's `container_image`, resolved the way flytekit resolves it at registration
 * (`get_registerable_container_image`): every `{{.image.NAME[.fqn|.version]}}` placeholder is
 * replaced from the image configuration.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import type { ContainerImageError, ImgcfgError, NoDefaultImage } from './errors.js'
import type { Image } from './Image.js'
import { full, version } from './Image.js'
import type { ImageConfig } from './ImageConfig.js'
import { findImage, names } from './ImageConfig.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * One placeholder of a template, as the regular expression matched it.
 *
 * @since 0.2.0
 */
export interface Placeholder {
  /** The placeholder's text, braces included. */
  readonly text: string
  /** The image name, as written (names are case-sensitive). */
  readonly name: string
  /** `fqn`, `version`, another word (an error when resolved) or `''` for the full reference. */
  readonly attribute: string
  /** UTF-16 offset of the placeholder in the template. */
  readonly offset: number
}

// -------------------------------------------------------------------------------------
// the pattern
// -------------------------------------------------------------------------------------

// flytekit's pattern, `{{\s*\.image[s]?(?:\.([a-zA-Z0-9_]+))(?:\.([a-zA-Z0-9_]+))?\s*}}` with
// re.IGNORECASE, spelled out so JavaScript matches what Python's `re` matches: under IGNORECASE
// Python lets `i` match U+0130/U+0131 and `s`, `k` match U+017F/U+212A, and its `\s` is not
// JavaScript's (\x1c-\x1f and \x85 are whitespace in Python; U+FEFF is not).
const WS = '[\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]'
const WORD = '[a-zA-Z0-9_\\u0130\\u0131\\u017f\\u212a]+'
const SOURCE = `\\{\\{${WS}*\\.[iI\\u0130\\u0131][mM][aA][gG][eE][sS\\u017f]?\\.(${WORD})(?:\\.(${WORD}))?${WS}*\\}\\}`
const PATTERN = /* @__PURE__ */ new RegExp(SOURCE, 'g')

/** Replaces every occurrence, as Python's `str.replace` does. */
const replaceAll = (s: string, search: string, value: string): string => s.split(search).join(value)

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/**
 * Every placeholder of a template, left to right, with its offset.
 *
 * @example
 * import * as ContainerImage from '@imgcfg/core/ContainerImage'
 * ContainerImage.placeholders('{{.image.gpu.fqn}}:{{.image.gpu.version}}')
 * // [{ text: '{{.image.gpu.fqn}}', name: 'gpu', attribute: 'fqn', offset: 0 },
 * //  { text: '{{.image.gpu.version}}', name: 'gpu', attribute: 'version', offset: 19 }]
 *
 * @since 0.2.0
 */
export const placeholders = (template: string): ReadonlyArray<Placeholder> => {
  if (typeof template !== 'string') return []
  const found: Array<Placeholder> = []
  for (const m of template.matchAll(PATTERN)) {
    found.push({ text: m[0], name: m[1]!, attribute: m[2] ?? '', offset: m.index })
  }
  return found
}

/**
 * The image reference a task with this `container_image` is registered with. No template
 * (`undefined`, `null`, `''`) means the default image; a string without placeholders is returned
 * as it is. `fqn` gives the image's fqn, `version` its digest or tag (the default image's when it
 * has neither), no attribute its full reference.
 *
 * @example
 * import * as ContainerImage from '@imgcfg/core/ContainerImage'
 * import * as ImageConfig from '@imgcfg/core/ImageConfig'
 * const config = ImageConfig.createFrom({ name: 'default', fqn: 'ghcr.io/acme/base', tag: '1.0' }, [
 *   { name: 'gpu', fqn: 'ghcr.io/acme/gpu', tag: '2.1' },
 * ])
 * ContainerImage.getRegisterableContainerImage('{{.image.gpu.fqn}}:{{.image.gpu.version}}', config)
 * // Right('ghcr.io/acme/gpu:2.1')
 * ContainerImage.getRegisterableContainerImage(undefined, config)
 * // Right('ghcr.io/acme/base:1.0')
 *
 * @since 0.2.0
 */
export const getRegisterableContainerImage = (
  template: string | null | undefined,
  config: ImageConfig,
): E.Either<ImgcfgError, string> => {
  if (typeof config !== 'object' || config === null || !Array.isArray(config.images)) {
    return E.left({ _tag: 'InvalidArgument', fn: 'getRegisterableContainerImage', message: 'config must be an ImageConfig.' })
  }
  if (template !== undefined && template !== null && typeof template !== 'string') {
    return E.left({
      _tag: 'InvalidArgument',
      fn: 'getRegisterableContainerImage',
      message: 'the template must be a string, null or undefined.',
    })
  }
  if (template === undefined || template === null || template === '') {
    return config.defaultImage === undefined ? E.left(noDefault) : E.right(full(config.defaultImage))
  }
  let resolved = template
  for (const p of placeholders(template)) {
    const value = valueOf(p, template, config)
    if (E.isLeft(value)) return value
    resolved = replaceAll(resolved, p.text, value.right)
  }
  return E.right(resolved)
}

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

const noDefault: NoDefaultImage = { _tag: 'NoDefaultImage' }

// flytekit's order: the name is looked up before the attribute is checked.
const valueOf = (p: Placeholder, template: string, config: ImageConfig): E.Either<ContainerImageError, string> => {
  const fail = (problem: ContainerImageError['problem']): E.Either<ContainerImageError, string> =>
    E.left({
      _tag: 'ContainerImageError',
      problem,
      template,
      placeholder: p.text,
      offset: p.offset,
      name: p.name,
      attribute: p.attribute,
      available: problem === 'not-found' ? names(config) : [],
      defaultImage: config.defaultImage === undefined ? undefined : full(config.defaultImage),
    })
  const image = findImage(config, p.name)
  if (O.isNone(image)) return fail('not-found')
  switch (p.attribute) {
    case '':
      return E.right(full(image.value))
    case 'fqn':
      return E.right(image.value.fqn)
    case 'version': {
      const v = versionOrDefault(image.value, config)
      return v === undefined ? fail('no-version') : E.right(v)
    }
    default:
      return fail('attribute')
  }
}

const versionOrDefault = (image: Image, config: ImageConfig): string | undefined =>
  version(image) ?? (config.defaultImage === undefined ? undefined : version(config.defaultImage))
