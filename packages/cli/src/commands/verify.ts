/**
 * `imgcfg verify`: asks the registries whether every image of the configuration `imgcfg resolve`
 * gives exists, so a typo or a deleted tag is found at the keyboard rather than when the task
 * fails to pull on the cluster. Also the registry options and the progress line `pin` shares.
 *
 * @since 0.1.0
 */
import * as Image from '@imgcfg/core/Image'
import { describeMediaType, formatRegistryError, isMissing, verifyImages, type ImageCheck, type RegistryOptions } from '@imgcfg/registry'
import * as nodePath from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import type { Command, Values } from '../Command.js'
import type { Io } from '../Output.js'
import { table } from '../table.js'
import { resolveConfig } from './resolve.js'

// -------------------------------------------------------------------------------------
// registry options
// -------------------------------------------------------------------------------------

/** More images than this get a progress line on a terminal. */
const PROGRESS_THRESHOLD = 3

/** `10`, `2.5s` or `500ms` (run.ts has checked the form). */
const timeoutMs = (value: string | undefined): number | undefined => {
  const match = value === undefined ? null : /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(value)
  return match === null ? undefined : Number(match[1]) * (match[2] === 'ms' ? 1 : 1000)
}

/** The registry options from --insecure-registry, --docker-config and --timeout. */
export const registryOptions = (values: Values, io: Io, total: number): RegistryOptions => {
  const { caps } = io
  const dockerConfig = values['docker-config'] as string | undefined
  const timeout = timeoutMs(values.timeout as string | undefined)
  return {
    insecureRegistries: (values['insecure-registry'] ?? []) as ReadonlyArray<string>,
    ...(dockerConfig !== undefined ? { dockerConfig: nodePath.resolve(caps.cwd, dockerConfig) } : {}),
    ...(timeout !== undefined ? { timeoutMs: timeout } : {}),
    env: caps.env,
    home: caps.home,
    ...(caps.stderr.isTTY === true && total > PROGRESS_THRESHOLD ? { onProgress: progressLine(io) } : {}),
  }
}

/** `imgcfg: checking images 3/12` on one terminal line, rewritten in place and cleared at the end. */
const progressLine =
  (io: Io) =>
  (done: number, total: number): void => {
    io.caps.stderr.write(done < total ? `\rimgcfg: checking images ${done}/${total}` : '\r\u001b[K')
  }

/**
 * The failures of a check, on stderr: a header line and one line per image. Returns whether
 * there were any.
 */
export const reportFailures = (checks: ReadonlyArray<ImageCheck>, io: Io): boolean => {
  const failed = checks.filter((c) => E.isLeft(c.result))
  if (failed.length === 0) return false
  const allMissing = failed.every((c) => E.isLeft(c.result) && isMissing(c.result.left))
  const what = allMissing ? (failed.length === 1 ? 'does not exist' : 'do not exist') : 'could not be verified'
  const count = failed.length === 1 && checks.length === 1 ? 'The image' : `${failed.length} of ${checks.length} images`
  const width = Math.max(...failed.map((c) => c.image.name.length))
  io.error(
    `${count} ${what}:\n${failed
      .map((c) => `  ${c.image.name.padEnd(width)}  ${E.isLeft(c.result) ? formatRegistryError(c.result.left) : ''}`)
      .join('\n')}`,
  )
  return true
}

// -------------------------------------------------------------------------------------
// commands
// -------------------------------------------------------------------------------------

/**
 * `imgcfg verify`: checks every image `imgcfg resolve` resolves (a tagged image with HEAD on
 * its tag, a pinned one with HEAD on its digest); exits 1 listing those that are missing.
 *
 * @since 0.1.0
 */
export const verify: Command = {
  main: async (values, _positionals, io) => {
    // What verify checks is, by construction, exactly what `imgcfg resolve` prints.
    const resolved = await resolveConfig(values, io)
    if (E.isLeft(resolved)) {
      io.error(resolved.left)
      return 'failed'
    }
    const images = resolved.right.config.images
    const checks = await verifyImages(images, registryOptions(values, io, images.length))()
    if (reportFailures(checks, io)) return 'failed'
    const rows = checks.map(({ image, result }) => [
      image.name,
      Image.full(image),
      E.isRight(result) ? result.right.digest : '',
      E.isRight(result) ? describeMediaType(result.right.mediaType) : '',
    ])
    io.out(table(['NAME', 'REFERENCE', 'DIGEST', 'TYPE'], rows, io.style))
    return 'ok'
  },
}
