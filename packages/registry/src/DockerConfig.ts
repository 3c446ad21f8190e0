/**
 * Credentials from a Docker config file (`~/.docker/config.json`, or `$DOCKER_CONFIG/config.json`):
 * the `auths` entries `docker login` writes: `auth` (base64 `user:password`), `username` and
 * `password`, `identitytoken` (an OAuth2 refresh token) and `registrytoken` (a bearer token),
 * and the credential helpers it names (`credHelpers` per registry, `credsStore` for the rest),
 * which `CredentialHelper` runs.
 *
 * @since 0.1.0
 */
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import type { DockerConfigUnreadable } from './errors.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * What a config file holds for one registry.
 *
 * @since 0.1.0
 */
export type Credentials =
  | { readonly _tag: 'Basic'; readonly username: string; readonly password: string; readonly source: string }
  | { readonly _tag: 'IdentityToken'; readonly token: string; readonly username?: string; readonly source: string }
  | { readonly _tag: 'RegistryToken'; readonly token: string; readonly source: string }
  /** An entry that cannot be sent (a token with a line break): an error when the registry asks. */
  | { readonly _tag: 'Unusable'; readonly problem: string; readonly source: string }

/**
 * The parsed file: credentials by registry host, and the helpers it names.
 *
 * @since 0.1.0
 */
export interface DockerConfig {
  readonly path: string
  readonly auths: ReadonlyMap<string, Credentials>
  /** `credHelpers` by registry host. */
  readonly helpers: ReadonlyMap<string, string>
  /** `credsStore`: the helper for every registry without an entry. */
  readonly store?: string
}

/** Where to look: an explicit path wins over the environment. */
export interface Where {
  /** A config.json, or a directory holding one. */
  readonly dockerConfig?: string
  readonly env?: Readonly<Record<string, string | undefined>>
  readonly home?: string
}

/** Docker Hub's entry in `auths`, as `docker login` writes it. */
const DOCKER_HUB_KEYS = ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io']

/** A file larger than this is not a Docker config. */
const MAX_BYTES = 4 * 1024 * 1024

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * Reads the Docker config file. A file that does not exist means no credentials, unless it was
 * named explicitly (`dockerConfig`); a file that exists but is not a JSON object is an error.
 *
 * @example
 * import { readDockerConfig } from '@imgcfg/registry'
 * readDockerConfig({ env: process.env, home: '/home/me' }) // Right(DockerConfig), or Right(undefined) when there is no file
 *
 * @since 0.1.0
 */
export const readDockerConfig = (where: Where = {}): E.Either<DockerConfigUnreadable, DockerConfig | undefined> => {
  where ??= {}
  const explicit = where.dockerConfig !== undefined && where.dockerConfig !== ''
  const fromEnv = where.env?.DOCKER_CONFIG
  const base = explicit ? where.dockerConfig! : fromEnv ? fromEnv : where.home !== undefined ? join(where.home, '.docker') : undefined
  if (base === undefined) return E.right(undefined)
  let path = explicit || fromEnv ? base : join(base, 'config.json')
  let size: number
  try {
    let stat = statSync(path)
    if (stat.isDirectory()) {
      path = join(path, 'config.json')
      stat = statSync(path)
    }
    if (!stat.isFile()) return E.left({ _tag: 'DockerConfigUnreadable', path, detail: 'it is not a regular file' })
    size = stat.size
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT' && !explicit) return E.right(undefined)
    return E.left({ _tag: 'DockerConfigUnreadable', path, detail: code === 'ENOENT' ? 'no such file' : describe(e) })
  }
  if (size > MAX_BYTES) return E.left({ _tag: 'DockerConfigUnreadable', path, detail: 'it is larger than 4 MiB' })
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    return E.left({ _tag: 'DockerConfigUnreadable', path, detail: describe(e) })
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    // The parser's message may quote the text around the error, an auth value among it: only the place is said.
    return E.left({ _tag: 'DockerConfigUnreadable', path, detail: `it is not valid JSON (${jsonErrorPlace(text, e)})` })
  }
  return parseDockerConfig(json, path)
}

/**
 * The credentials of a parsed config.json object. Entries that cannot be used are skipped.
 *
 * @example
 * import { parseDockerConfig } from '@imgcfg/registry'
 * parseDockerConfig({ auths: { 'localhost:5000': { auth: btoa('me:secret') } } }, 'config.json')
 *
 * @since 0.1.0
 */
export const parseDockerConfig = (json: unknown, path: string): E.Either<DockerConfigUnreadable, DockerConfig> => {
  if (!isObject(json)) return E.left({ _tag: 'DockerConfigUnreadable', path, detail: 'it is not a JSON object' })
  const auths = new Map<string, Credentials>()
  const source = path
  for (const [key, entry] of Object.entries(isObject(json.auths) ? json.auths : {})) {
    if (!isObject(entry)) continue
    const credentials = credentialsOf(entry, source)
    if (credentials !== undefined) auths.set(hostOfKey(key), credentials)
  }
  const helpers = new Map<string, string>()
  for (const [key, helper] of Object.entries(isObject(json.credHelpers) ? json.credHelpers : {})) {
    if (typeof helper === 'string' && helper !== '') helpers.set(hostOfKey(key), helper)
  }
  const store = typeof json.credsStore === 'string' && json.credsStore !== '' ? json.credsStore : undefined
  return E.right({ path, auths, helpers, ...(store !== undefined ? { store } : {}) })
}

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/**
 * The credentials for a registry (`docker.io` finds Docker Hub's `https://index.docker.io/v1/`).
 *
 * @since 0.1.0
 */
export const credentialsFor = (config: DockerConfig | undefined, registry: string): Credentials | undefined => {
  if (config === undefined) return undefined
  for (const key of keysFor(registry)) {
    const found = config.auths.get(key)
    if (found !== undefined) return found
  }
  return undefined
}

/**
 * The credential helper that keeps a registry's credentials, when the file names one: its
 * `credHelpers` entry, else `credsStore`.
 *
 * @since 0.1.0
 */
export const helperFor = (config: DockerConfig | undefined, registry: string): string | undefined => {
  if (config === undefined) return undefined
  for (const key of keysFor(registry)) {
    const found = config.helpers.get(key)
    if (found !== undefined) return found
  }
  return config.store
}

/**
 * The server URL a credential helper is asked about, as `docker login` stores it: Docker Hub's
 * `https://index.docker.io/v1/`, else the registry's `host[:port]`.
 *
 * @since 0.1.0
 */
export const helperServerUrl = (registry: string): string => {
  const host = registry.toLowerCase()
  return host === 'docker.io' || DOCKER_HUB_KEYS.includes(host) ? DOCKER_HUB_KEYS[0]! : host
}

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

const keysFor = (registry: string): ReadonlyArray<string> => {
  const host = registry.toLowerCase()
  return host === 'docker.io' || DOCKER_HUB_KEYS.includes(host) ? DOCKER_HUB_KEYS.map(hostOfKey) : [host]
}

/** `https://host:port/v1/` → `host:port`: docker login writes keys in several shapes. */
const hostOfKey = (key: string): string =>
  key
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase()

const credentialsOf = (entry: Record<string, unknown>, source: string): Credentials | undefined => {
  const str = (k: string): string | undefined => (typeof entry[k] === 'string' && entry[k] !== '' ? (entry[k] as string) : undefined)
  let username = str('username')
  let password = str('password')
  const auth = str('auth')
  if (auth !== undefined) {
    const decoded = Buffer.from(auth, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon > 0) {
      username = decoded.slice(0, colon)
      password = decoded.slice(colon + 1)
    }
  }
  const identity = str('identitytoken')
  if (identity !== undefined) return { _tag: 'IdentityToken', token: identity, ...(username !== undefined ? { username } : {}), source }
  const registryToken = str('registrytoken')
  if (registryToken !== undefined) {
    // Sent as it is in a header: RFC 6750's token68 characters only (no line break, no space).
    return /^[A-Za-z0-9\-._~+/]+=*$/.test(registryToken)
      ? { _tag: 'RegistryToken', token: registryToken, source }
      : { _tag: 'Unusable', problem: 'its registrytoken has characters a token cannot have (a line break or a space?)', source }
  }
  if (username !== undefined && password !== undefined) return { _tag: 'Basic', username, password, source }
  return undefined
}

const isObject = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)

/** A read failure as a plain sentence (the path is named by the caller). */
const describe = (e: unknown): string => {
  const code = (e as NodeJS.ErrnoException).code
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied (it cannot be read)'
  if (code === 'EISDIR') return 'it is a directory'
  if (code === 'ELOOP') return 'too many levels of symbolic links'
  if (code === 'ENOTDIR') return 'a part of its path is not a directory'
  return code ?? 'it cannot be read'
}

/** `line L, column C` of a JSON syntax error (found by `syntaxErrorAt`); never the text there. */
const jsonErrorPlace = (text: string, e: unknown): string => {
  void e
  const at = syntaxErrorAt(text)
  if (at >= text.length) return 'it ends too early'
  const before = text.slice(0, at)
  const line = before.split('\n').length
  return `line ${line}, column ${before.length - before.lastIndexOf('\n')}`
}

/**
 * The offset of the first JSON syntax error in `text` (its length when the text ends too early):
 * V8's messages give the offset in some Node versions and the text around it in others.
 */
export const syntaxErrorAt = (text: string): number => {
  let i = 0
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++
  }
  const fail = (): never => {
    throw i
  }
  const string = () => {
    i++
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        i++
        if (i >= text.length) break
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail()
          i += 4
        } else if (!'"\\/bfnrt'.includes(text[i]!)) fail()
      } else if (text.charCodeAt(i) < 0x20) fail()
      i++
    }
    if (i >= text.length) fail()
    i++
  }
  const value = (): void => {
    ws()
    const c = text[i]
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']'
      i++
      ws()
      if (text[i] === close) {
        i++
        return
      }
      for (;;) {
        if (c === '{') {
          ws()
          if (text[i] !== '"') fail()
          string()
          ws()
          if (text[i] !== ':') fail()
          i++
        }
        value()
        ws()
        if (text[i] === ',') {
          i++
          continue
        }
        if (text[i] === close) {
          i++
          return
        }
        fail()
      }
    }
    if (c === '"') return string()
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400))
    if (literal === null) fail()
    i += literal![0].length
  }
  try {
    value()
    ws()
    return i < text.length ? i : text.length
  } catch (at) {
    return typeof at === 'number' ? Math.min(at, text.length) : text.length
  }
}
