/**
 * One HTTP exchange with a registry: a timeout on every attempt, bounded retries with
 * exponential backoff on 429 and 5xx (honouring `Retry-After`), network failures turned into
 * `RegistryUnreachable`, and bounded reading of bodies.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { RegistryUnreachable } from './errors.js'
import type { Settings } from './options.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

export interface Request {
  readonly method: 'GET' | 'HEAD' | 'POST'
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string
}

/** An HTTP answer, whatever its status, and how many attempts it took. */
export interface Answer {
  readonly response: Response
  readonly attempts: number
}

/** The image and registry a request is about, for the error. */
export interface About {
  readonly image: string
  readonly registry: string
}

/** One error of the distribution API's error body. */
export interface DistributionError {
  readonly code?: string
  readonly message?: string
}

const RETRYABLE = new Set([429, 500, 502, 503, 504])

/** No registry error body or token answer is this large. */
const MAX_SMALL_BODY = 64 * 1024

// -------------------------------------------------------------------------------------
// sending
// -------------------------------------------------------------------------------------

/**
 * Sends a request; 429 and 5xx answers are retried `settings.retries` times, and the last answer
 * is returned whatever its status. Only a request that got no answer at all is a Left.
 */
export const send = async (settings: Settings, about: About, request: Request): Promise<E.Either<RegistryUnreachable, Answer>> => {
  for (let attempt = 1; ; attempt++) {
    let response: Response
    try {
      response = await settings.fetch(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
        redirect: 'follow',
        signal: AbortSignal.timeout(settings.timeoutMs),
      })
    } catch (e) {
      return E.left({ _tag: 'RegistryUnreachable', ...about, url: request.url, ...classify(e, settings.timeoutMs) })
    }
    if (!RETRYABLE.has(response.status) || attempt > settings.retries) return E.right({ response, attempts: attempt })
    await discard(response)
    await sleep(retryDelay(settings, attempt, response.headers.get('retry-after')))
  }
}

/** The wait before retry number `attempt` (1-based): exponential with jitter, or what `Retry-After` asks, capped. */
const retryDelay = (settings: Settings, attempt: number, retryAfter: string | null): number => {
  const backoff = settings.retryDelayMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5)
  const asked = retryAfterMs(retryAfter)
  return Math.min(Math.max(backoff, asked ?? 0), settings.maxRetryDelayMs)
}

const retryAfterMs = (value: string | null): number | undefined => {
  if (value === null) return undefined
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Why a request got no (whole) answer; undici's failures carry the system error as `cause`. */
export const classify = (e: unknown, timeoutMs: number): Pick<RegistryUnreachable, 'reason' | 'detail' | 'timeoutMs'> => {
  const name = (e as { name?: string } | null)?.name
  if (name === 'TimeoutError' || name === 'AbortError') return { reason: 'timeout', timeoutMs }
  const cause = (e as { cause?: { code?: string; message?: string } } | null)?.cause
  const code = cause?.code ?? (e as { code?: string } | null)?.code ?? ''
  const detail = cause?.message ?? (e instanceof Error ? e.message : String(e))
  if (code === 'ECONNREFUSED') return { reason: 'refused', detail }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return { reason: 'dns', detail }
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'ETIMEDOUT') return { reason: 'timeout', timeoutMs }
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') return { reason: 'reset', detail }
  if (/^(ERR_TLS|ERR_SSL|CERT_|EPROTO$|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_)/.test(code)) return { reason: 'tls', detail }
  return { reason: 'other', detail }
}

// -------------------------------------------------------------------------------------
// bodies
// -------------------------------------------------------------------------------------

/**
 * The body, or `undefined` when it is larger than `max` bytes (reading stops there).
 */
export const readBody = async (response: Response, max: number): Promise<Uint8Array | undefined> => {
  const declared = Number(response.headers.get('content-length') ?? NaN)
  if (declared > max) {
    await discard(response)
    return undefined
  }
  if (response.body === null) return new Uint8Array(0)
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = response.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > max) {
      await reader.cancel()
      return undefined
    }
    chunks.push(value)
  }
  const out = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) {
    out.set(chunk, at)
    at += chunk.byteLength
  }
  return out
}

/** A small JSON body (an error or a token answer); `undefined` when it is not one. */
export const readJson = async (response: Response): Promise<unknown> => {
  try {
    const body = await readBody(response, MAX_SMALL_BODY)
    return body === undefined ? undefined : JSON.parse(new TextDecoder().decode(body))
  } catch {
    return undefined
  }
}

/** The first error of a distribution error body (`{"errors":[{"code","message"}]}`). */
export const readError = async (response: Response): Promise<DistributionError> => {
  const json = (await readJson(response)) as { errors?: Array<{ code?: unknown; message?: unknown }> } | undefined
  const first = Array.isArray(json?.errors) ? json.errors[0] : undefined
  return {
    ...(typeof first?.code === 'string' ? { code: first.code } : {}),
    ...(typeof first?.message === 'string' ? { message: first.message } : {}),
  }
}

/** Frees the connection of an answer whose body is not wanted. */
export const discard = async (response: Response): Promise<void> => {
  try {
    await response.body?.cancel()
  } catch {
    // Already consumed or closed: nothing to free.
  }
}
