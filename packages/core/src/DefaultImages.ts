/**
 * flytekit's `DefaultImages`: the image a task gets when nobody names one. The environment and
 * the versions are arguments, so this stays pure.
 *
 * @example
 * import * as DefaultImages from '@imgcfg/core/DefaultImages'
 * DefaultImages.findImageFor({ pythonVersion: '3.11', flytekitVersion: 'v1.15.0' })
 * // Right('cr.flyte.org/flyteorg/flytekit:py3.11-1.15.0')
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { ImgcfgError } from './errors.js'
import { describeValue } from './errors.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * The Python versions flytekit publishes default images for.
 *
 * @since 0.1.0
 */
export const pythonVersions = ['3.8', '3.9', '3.10', '3.11', '3.12'] as const

/** @since 0.1.0 */
export type PythonVersion = (typeof pythonVersions)[number]

/** The repository of flytekit's default images. */
export const IMAGE_REPOSITORY = 'cr.flyte.org/flyteorg/flytekit'

/** The variable that, when non-empty, overrides the default image. */
export const INTERNAL_IMAGE_ENV = 'FLYTE_INTERNAL_IMAGE'

/** What `findImageFor` needs to know. */
export interface FindImageOptions {
  readonly pythonVersion: string
  /** An explicit flytekit version; one leading `v`/`V` is dropped. */
  readonly flytekitVersion?: string
  /** The version of the flytekit that is running (flytekit's `__version__`). */
  readonly runningFlytekitVersion?: string
  /** The whole environment the call may see. */
  readonly env?: Readonly<Record<string, string | undefined>>
}

/** A plugin that may provide the default image (flytekit's `get_plugin()`). */
export interface DefaultImagePlugin {
  getDefaultImage(): string | undefined
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * The tag suffix for the running flytekit: `latest` for development builds (any version
 * containing `dev`) or when none is known.
 *
 * @example
 * import * as DefaultImages from '@imgcfg/core/DefaultImages'
 * DefaultImages.versionSuffix('1.15.4.dev12') // 'latest'
 *
 * @since 0.1.0
 */
export const versionSuffix = (runningFlytekitVersion?: string): string =>
  typeof runningFlytekitVersion !== 'string' || runningFlytekitVersion === '' || runningFlytekitVersion.includes('dev')
    ? 'latest'
    : runningFlytekitVersion

// A public version in PEP 440's normalized form: release, pre, post, dev. No epoch (`1!2.0`) and
// no local part (`+abc`): an image tag cannot carry `!` or `+`.
const PEP440 = /^[vV]?\d{1,9}(?:\.\d{1,9}){0,9}(?:(?:a|b|rc)\d{1,9})?(?:\.post\d{1,9})?(?:\.dev\d{1,9})?$/

/**
 * Whether `version` can be the flytekit version of a default image: `latest`, or a PEP 440
 * version in normalized form, as flytekit's images are tagged (`1.15.4`, `1.16.0rc1`,
 * `1.10.3.post1`, `2.0.0.dev3`), with at most one leading `v`, which `findImageFor` drops.
 * Front ends check what a user types with it (`FLYTEKIT_VERSION_FORM` says what is expected).
 *
 * @example
 * import * as DefaultImages from '@imgcfg/core/DefaultImages'
 * DefaultImages.isFlytekitVersion('1.16.0rc1') // true
 * DefaultImages.isFlytekitVersion('1.15 beta') // false
 *
 * @since 0.2.0
 */
export const isFlytekitVersion = (version: unknown): version is string =>
  typeof version === 'string' && (version === 'latest' || PEP440.test(version))

/**
 * What `isFlytekitVersion` accepts, in words, for a message.
 *
 * @since 0.2.0
 */
export const FLYTEKIT_VERSION_FORM = 'latest or a PEP 440 version in normalized form (1.15.4, 1.16.0rc1, 1.10.3.post1, 2.0.0.dev3)'

const isPythonVersion = (v: unknown): v is PythonVersion =>
  typeof v === 'string' && (pythonVersions as ReadonlyArray<string>).includes(v)

const internalImage = (env: FindImageOptions['env']): string | undefined => {
  const value = typeof env === 'object' && env !== null ? env[INTERNAL_IMAGE_ENV] : undefined
  return typeof value === 'string' && value !== '' ? value : undefined
}

/**
 * The default image for a Python version: `FLYTE_INTERNAL_IMAGE` when set, else
 * `cr.flyte.org/flyteorg/flytekit:py<X.Y>-<version>`.
 *
 * @example
 * import * as DefaultImages from '@imgcfg/core/DefaultImages'
 * DefaultImages.findImageFor({ pythonVersion: '3.7' }) // Left(UnsupportedPythonVersion)
 *
 * @since 0.1.0
 */
export const findImageFor = (options: FindImageOptions): E.Either<ImgcfgError, string> => {
  if (typeof options !== 'object' || options === null) {
    return E.left({
      _tag: 'InvalidArgument',
      fn: 'DefaultImages.findImageFor',
      message: `expected options with a pythonVersion, got ${describeValue(options)}`,
    })
  }
  const fromEnv = internalImage(options.env)
  if (fromEnv !== undefined) return E.right(fromEnv)
  if (!isPythonVersion(options.pythonVersion)) {
    return E.left({
      _tag: 'UnsupportedPythonVersion',
      version: typeof options.pythonVersion === 'string' ? options.pythonVersion : describeValue(options.pythonVersion),
      supported: pythonVersions,
    })
  }
  const explicit = options.flytekitVersion
  // Only one leading v: flytekit's replace('v', '') turned 1.15.4.dev12 into 1.15.4.de12.
  const suffix =
    typeof explicit === 'string' && explicit !== ''
      ? explicit.replace(/^[vV]/, '')
      : versionSuffix(options.runningFlytekitVersion)
  return E.right(`${IMAGE_REPOSITORY}:py${options.pythonVersion}-${suffix}`)
}

/**
 * flytekit's `DefaultImages.default_image()`: a plugin's image wins (even over
 * `FLYTE_INTERNAL_IMAGE`), then `findImageFor`.
 *
 * @example
 * import * as DefaultImages from '@imgcfg/core/DefaultImages'
 * DefaultImages.defaultImage({ pythonVersion: '3.11', plugin: { getDefaultImage: () => 'my/img:1' } })
 * // Right('my/img:1')
 *
 * @since 0.1.0
 */
export const defaultImage = (
  options: FindImageOptions & { readonly plugin?: DefaultImagePlugin },
): E.Either<ImgcfgError, string> => {
  const plugin = options?.plugin
  if (plugin !== undefined && plugin !== null && typeof plugin.getDefaultImage === 'function') {
    let fromPlugin: unknown
    try {
      fromPlugin = plugin.getDefaultImage()
    } catch (e) {
      return E.left({
        _tag: 'InvalidArgument',
        fn: 'DefaultImages.defaultImage',
        message: `the plugin's getDefaultImage failed: ${e instanceof Error ? e.message : describeValue(e)}`,
      })
    }
    if (typeof fromPlugin === 'string') return E.right(fromPlugin)
  }
  return findImageFor(options)
}
