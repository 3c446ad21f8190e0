/**
 * One HTTP exchange with a registry: a timeout on every attempt, bounded retries with
 * exponential backoff on 429 and 5xx (honouring `Retry-After`), network failures turned into
 * `RegistryUnreachable`, and bounded reading of bodies.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { RegistryUnreachable, UnsafeRedirect } from './errors.js'
import type { Settings } from './options.js'
import { isPlainHttp } from './Target.js'
import { redactUrl } from './text.js'

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
  /** The URL that answered: the request's, or where its redirects led. */
  readonly url: string
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
const REDIRECTS = new Set([301, 302, 303, 307, 308])

/** At most this many redirects are followed for one request. */
const MAX_REDIRECTS = 5

/** No registry error body or token answer is this large. */
const MAX_SMALL_BODY = 64 * 1024

// -------------------------------------------------------------------------------------
// sending
// -------------------------------------------------------------------------------------

/**
 * Sends a request; 429 and 5xx answers are retried `settings.retries` times, and the last answer
 * is returned whatever its status. Only a request that got no answer at all (or a redirect that
 * is refused) is a Left.
 */
export const send = async (
  settings: Settings,
  about: About,
  request: Request,
): Promise<E.Either<RegistryUnreachable | UnsafeRedirect, Answer>> => {
  for (let attempt = 1; ; attempt++) {
    const answer = await follow(settings, about, request)
    if (E.isLeft(answer)) return answer
    const { response, url } = answer.right
    if (!RETRYABLE.has(response.status) || attempt > settings.retries) return E.right({ response, attempts: attempt, url })
    await discard(response)
    await sleep(retryDelay(settings, attempt, response.headers.get('retry-after')))
  }
}

/**
 * One attempt, redirects followed by hand: an `https` URL never leads to plain `http` (except on
 * a host allowed it: loopback or an insecure registry), and the `Authorization` header goes only
 * to the origin it was meant for, so a registry's credentials never reach the host it redirects to.
 */
const follow = async (
  settings: Settings,
  about: About,
  request: Request,
): Promise<E.Either<RegistryUnreachable | UnsafeRedirect, { response: Response; url: string }>> => {
  let url = request.url
  let method = request.method
  let body = request.body
  let headers: Record<string, string> = { ...request.headers }
  const origin = originOf(request.url)
  for (let hops = 0; ; hops++) {
    let response: Response
    try {
      response = await settings.fetch(url, {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        redirect: 'manual',
        signal: AbortSignal.timeout(settings.timeoutMs),
      })
    } catch (e) {
      return E.left({ _tag: 'RegistryUnreachable', ...about, url: redactUrl(url), ...classify(e, settings.timeoutMs) })
    }
    const location = response.headers.get('location')
    if (!REDIRECTS.has(response.status) || location === null) return E.right({ response, url })
    await discard(response)
    let next: URL
    try {
      next = new URL(location, url)
    } catch {
      return E.left({ _tag: 'UnsafeRedirect', ...about, url: redactUrl(url), location: redactUrl(location), reason: 'invalid' })
    }
    const refused = refusal(settings, url, next, hops)
    if (refused !== undefined) return E.left({ _tag: 'UnsafeRedirect', ...about, url: redactUrl(url), location: redactUrl(next.href), reason: refused })
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
      method = 'GET'
      body = undefined
      headers = Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'content-type'))
    }
    if (next.origin !== origin) headers = Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'authorization'))
    url = next.href
  }
}

/** Why a redirect from `from` to `to` is not followed, or `undefined` when it is. */
const refusal = (settings: Settings, from: string, to: URL, hops: number): UnsafeRedirect['reason'] | undefined => {
  if (hops >= MAX_REDIRECTS) return 'too-many'
  if (to.username !== '' || to.password !== '') return 'credentials'
  if (to.protocol === 'https:') return undefined
  if (to.protocol !== 'http:') return 'scheme'
  // Plain HTTP: only where the registry itself is plain HTTP, or to a host allowed it.
  if (originOf(from).startsWith('http:') || isPlainHttp(to.host, settings.insecureRegistries)) return undefined
  return 'downgrade'
}

const originOf = (url: string): string => {
  try {
    return new URL(url).origin
  } catch {
    return ''
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
  const message = cause?.message ?? (e instanceof Error ? e.message : String(e))
  // fetch quotes a header value it refuses, and a URL with credentials: neither is printed.
  if (/header|credentials/i.test(message) && cause === undefined) return { reason: 'other', detail: 'the request could not be built (a credential or header with characters it cannot have)' }
  const detail = message
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
