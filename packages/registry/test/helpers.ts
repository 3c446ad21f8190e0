/**
 * What the registry package's own tests share: fast retries, and unwrapping an Either with the
 * error's sentence when it is not what the test expects.
 */
import * as Image from '@imgcfg/core/Image'
import * as E from 'fp-ts/lib/Either.js'
import { formatRegistryError, resolveDigest, type RegistryOptions, type ResolveError, type ResolvedDigest } from '../src/index.js'

/** Fast retries so the retry tests take milliseconds. */
export const FAST: RegistryOptions = { retryDelayMs: 1, maxRetryDelayMs: 5, timeoutMs: 5_000 }

export const resolve = (ref: string | Image.Image, options: RegistryOptions = {}) => resolveDigest(ref, { ...FAST, ...options })()

export const right = (r: E.Either<ResolveError, ResolvedDigest>): ResolvedDigest => {
  if (E.isLeft(r)) throw new Error(`expected a digest, got: ${formatRegistryError(r.left)}`)
  return r.right
}

export const left = (r: E.Either<ResolveError, unknown>): ResolveError => {
  if (E.isRight(r)) throw new Error(`expected an error, got ${JSON.stringify(r.right)}`)
  return r.left
}
