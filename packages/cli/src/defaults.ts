/**
 * The default image flytekit would pick on this machine. flytekit asks its own interpreter; the
 * CLI asks the `python3` on PATH, and only when the answer matters (no FLYTE_INTERNAL_IMAGE and a
 * version not given as an option).
 *
 * @since 0.1.0
 */
import { chooseDefaultImage as choose, type DefaultImageChoice } from '@imgcfg/config-file'
import * as DefaultImages from '@imgcfg/core/DefaultImages'
import { formatError } from '@imgcfg/core/errors'
import * as E from 'fp-ts/lib/Either.js'
import type { Io } from './Output.js'
import type { Values } from './Command.js'


/**
 * `DefaultImages.defaultImage` with the versions from the options, else from `python3`, else the
 * newest supported Python (with a note). A failure is the sentence to print.
 */
export const chooseDefaultImage = async (values: Values, io: Io): Promise<E.Either<string, DefaultImageChoice>> => {
  const { env } = io.caps
  const internal = env[DefaultImages.INTERNAL_IMAGE_ENV]
  if (internal !== undefined && internal !== '') {
    return E.right({ image: internal, reason: { kind: 'FLYTE_INTERNAL_IMAGE' } })
  }
  let pythonVersion = values['python-version'] as string | undefined
  const flytekitVersion = values['flytekit-version'] as string | undefined
  const probe = pythonVersion === undefined || flytekitVersion === undefined ? await io.caps.probePython() : undefined
  let hint = ''
  if (pythonVersion === undefined) {
    if (probe === undefined) {
      pythonVersion = DefaultImages.pythonVersions[DefaultImages.pythonVersions.length - 1]!
      io.note(`no python3 on PATH; using Python ${pythonVersion}, the newest with a default image (choose with --python-version)`)
    } else {
      pythonVersion = probe.pythonVersion
      hint = ` ${pythonVersion} is the version of the python3 on PATH; choose one with --python-version.`
    }
  }
  const image = choose({
    pythonVersion,
    env,
    ...(flytekitVersion !== undefined ? { flytekitVersion } : {}),
    ...(probe?.flytekitVersion !== undefined ? { runningFlytekitVersion: probe.flytekitVersion } : {}),
  })
  return E.isLeft(image) ? E.left(formatError(image.left) + hint) : image
}
