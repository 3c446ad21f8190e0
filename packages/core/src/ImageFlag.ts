/**
 * The syntax of one `--image` value: `name=identifier` names an image, a bare `identifier`
 * (or `default=identifier`) sets the default image.
 *
 * @example
 * import * as ImageFlag from '@imgcfg/core/ImageFlag'
 * ImageFlag.parse('gpu=ghcr.io/org/gpu:1') // { name: 'gpu', identifier: 'ghcr.io/org/gpu:1', isDefault: false }
 *
 * @since 0.1.0
 */

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The name flytekit gives the default image. */
export const DEFAULT_NAME = 'default'

/**
 * One `--image` value, split.
 *
 * @since 0.1.0
 */
export interface ImageFlag {
  /** The image name; `default` for a bare identifier. */
  readonly name: string
  readonly identifier: string
  /** A bare identifier or `default=…`. Names are case-sensitive: `DEFAULT=…` is a named image. */
  readonly isDefault: boolean
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * Splits an `--image` value at its first `=`. Names are kept exactly as written (no trimming),
 * as flytekit does.
 *
 * @example
 * import * as ImageFlag from '@imgcfg/core/ImageFlag'
 * ImageFlag.parse('xyz:latest') // { name: 'default', identifier: 'xyz:latest', isDefault: true }
 *
 * @since 0.1.0
 */
export const parse = (value: string): ImageFlag => {
  const s = typeof value === 'string' ? value : ''
  const eq = s.indexOf('=')
  if (eq === -1) return { name: DEFAULT_NAME, identifier: s, isDefault: true }
  const name = s.slice(0, eq)
  return { name, identifier: s.slice(eq + 1), isDefault: name === DEFAULT_NAME }
}

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/**
 * Writes a flag value back: `name=identifier`, or the bare identifier for the default.
 *
 * @example
 * import * as ImageFlag from '@imgcfg/core/ImageFlag'
 * ImageFlag.format({ name: 'a', identifier: 'x:1', isDefault: false }) // 'a=x:1'
 *
 * @since 0.1.0
 */
export const format = (flag: ImageFlag): string =>
  flag.isDefault ? flag.identifier : `${flag.name}=${flag.identifier}`
