/**
 * The options every function of this package takes, and their defaults.
 *
 * @since 0.1.0
 */

/**
 * How to reach registries.
 *
 * @example
 * import type { RegistryOptions } from '@imgcfg/registry'
 * const options: RegistryOptions = { insecureRegistries: ['registry.lan:5000'], timeoutMs: 5_000, concurrency: 4 }
 *
 * @since 0.1.0
 */
export interface RegistryOptions {
  /** `host[:port]` of registries to reach over plain HTTP. Loopback registries always are. */
  readonly insecureRegistries?: ReadonlyArray<string>
  /** A Docker config.json (or a directory holding one). Default: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
  readonly dockerConfig?: string
  /** Environment for `DOCKER_CONFIG`. Default: none (pass `process.env` to honour it). */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** Home directory for `~/.docker/config.json`. Default: none (no credentials). */
  readonly home?: string
  /** Per request, in milliseconds. Default 10 000. */
  readonly timeoutMs?: number
  /** Extra attempts after a 429 or 5xx answer. Default 2. */
  readonly retries?: number
  /** First backoff delay, doubled on each retry (a `Retry-After` answer may ask for more). Default 250 ms. */
  readonly retryDelayMs?: number
  /** The longest wait before a retry, `Retry-After` included. Default 5 000 ms. */
  readonly maxRetryDelayMs?: number
  /** Images checked at the same time by `verifyImages`. Default 8. */
  readonly concurrency?: number
  /** How long a credential helper (`docker-credential-NAME get`) may take. Default 30 000 ms (it may ask for a passphrase). */
  readonly credentialHelperTimeoutMs?: number
  /** The `fetch` to use. Default: Node's global `fetch`. */
  readonly fetch?: typeof globalThis.fetch
  /** Called as `verifyImages` finishes each image. */
  readonly onProgress?: (done: number, total: number) => void
}

/** The options with defaults filled in. */
export interface Settings {
  readonly insecureRegistries: ReadonlyArray<string>
  readonly timeoutMs: number
  readonly retries: number
  readonly retryDelayMs: number
  readonly maxRetryDelayMs: number
  readonly concurrency: number
  readonly credentialHelperTimeoutMs: number
  readonly fetch: typeof globalThis.fetch
}

export const DEFAULTS = {
  timeoutMs: 10_000,
  retries: 2,
  retryDelayMs: 250,
  maxRetryDelayMs: 5_000,
  concurrency: 8,
  credentialHelperTimeoutMs: 30_000,
} as const

/** The longest timeout (`AbortSignal.timeout` and `setTimeout` take at most 2^31-1 ms): one hour. */
export const MAX_TIMEOUT_MS = 3_600_000

const timeout = (n: number | undefined, fallback: number): number => Math.min(positive(n, fallback) || fallback, MAX_TIMEOUT_MS)

const positive = (n: number | undefined, fallback: number): number =>
  typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : fallback

export const settings = (options: RegistryOptions): Settings => ({
  insecureRegistries: options.insecureRegistries ?? [],
  timeoutMs: timeout(options.timeoutMs, DEFAULTS.timeoutMs),
  retries: Math.floor(positive(options.retries, DEFAULTS.retries)),
  retryDelayMs: Math.min(positive(options.retryDelayMs, DEFAULTS.retryDelayMs), MAX_TIMEOUT_MS),
  maxRetryDelayMs: Math.min(positive(options.maxRetryDelayMs, DEFAULTS.maxRetryDelayMs), MAX_TIMEOUT_MS),
  concurrency: Math.max(1, Math.floor(positive(options.concurrency, DEFAULTS.concurrency))),
  credentialHelperTimeoutMs: timeout(options.credentialHelperTimeoutMs, DEFAULTS.credentialHelperTimeoutMs),
  fetch: options.fetch ?? globalThis.fetch,
})
