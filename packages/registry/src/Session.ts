/**
 * A conversation with registries: requests that answer `401` with a `WWW-Authenticate` challenge
 * are authorised and sent again, with an anonymous or credentialed bearer token (from the token
 * service the challenge names) or basic credentials, from the Docker config file. Tokens are
 * kept for the session, so checking many images of one repository asks for one token.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { parseChallenges, type Challenge } from './Challenge.js'
import { runHelper } from './CredentialHelper.js'
import { credentialsFor, helperFor, helperServerUrl, readDockerConfig, type Credentials, type DockerConfig, type Where } from './DockerConfig.js'
import type { RegistryError } from './errors.js'
import { classify, discard, readBody, send, type Answer, type Request } from './http.js'
import { settings as fill, type RegistryOptions, type Settings } from './options.js'
import { isPlainHttp, pullScope, type Target } from './Target.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

export interface Session {
  readonly settings: Settings
  readonly where: Where
  /** `Authorization` values: by `base` for basic credentials, by `base scope` for tokens. */
  readonly authorizations: Map<string, Promise<E.Either<RegistryError, Authorization | undefined>>>
  /** Credentials by registry, asked once (a credential helper may be slow, or prompt). */
  readonly credentials: Map<string, Promise<E.Either<RegistryError, Found>>>
  dockerConfig?: E.Either<RegistryError, DockerConfig | undefined>
}

/** The credentials for a registry, and the helper that was asked, if one was. */
interface Found {
  readonly credentials?: Credentials
  readonly helper?: string
}

/** What was sent, for the message when the registry still says no. */
interface Authorization {
  readonly header: string
  /** Where the credentials came from (the config file), absent for an anonymous token. */
  readonly credentials?: string
  readonly helper?: string
}

/** An answer, with what was known about credentials when it came. */
export interface Reply extends Answer {
  readonly credentials?: string
  readonly helper?: string
}

const USER_AGENT = 'imgcfg'

/** No token answer is this large. */
const MAX_TOKEN_ANSWER = 64 * 1024

const seconds = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`)

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

export const makeSession = (given: RegistryOptions | undefined): Session => {
  const options = given ?? {}
  return {
    settings: fill(options),
    where: {
      ...(options.dockerConfig !== undefined ? { dockerConfig: options.dockerConfig } : {}),
      ...(options.env !== undefined ? { env: options.env } : {}),
      ...(options.home !== undefined ? { home: options.home } : {}),
    },
    authorizations: new Map(),
    credentials: new Map(),
  }
}

// -------------------------------------------------------------------------------------
// requests
// -------------------------------------------------------------------------------------

/**
 * Sends a request about `target`, authorising it when the registry challenges. The answer is
 * returned whatever its status; a Left means no answer, or no way to get a token.
 */
export const request = async (
  session: Session,
  target: Target,
  method: 'GET' | 'HEAD',
  url: string,
  accept: string,
): Promise<E.Either<RegistryError, Reply>> => {
  const about = { image: target.image, registry: target.registry }
  const tokenKey = `${target.base} ${pullScope(target)}`
  // What is kept for the session failed for another image, maybe: the error names this one.
  const forThis = (e: RegistryError): E.Either<RegistryError, never> => E.left({ ...e, ...about } as RegistryError)
  const known = await (session.authorizations.get(tokenKey) ?? session.authorizations.get(target.base))
  if (known !== undefined && E.isLeft(known)) return forThis(known.left)
  const sent = known?.right
  const build = (authorization: Authorization | undefined): Request => ({
    method,
    url,
    headers: { Accept: accept, 'User-Agent': USER_AGENT, ...(authorization ? { Authorization: authorization.header } : {}) },
  })
  const first = await send(session.settings, about, build(sent))
  if (E.isLeft(first)) return first
  const withSent = (answer: Answer, authorization: Authorization | undefined): Reply => ({
    ...answer,
    ...(authorization?.credentials !== undefined ? { credentials: authorization.credentials } : {}),
    ...(authorization?.helper !== undefined ? { helper: authorization.helper } : {}),
  })
  if (first.right.response.status !== 401 || sent !== undefined) return E.right(withSent(first.right, sent))
  // Credentials answer only the registry's own challenges: a 401 from where it redirected stands.
  if (originOf(first.right.url) !== originOf(target.base)) return E.right(first.right)

  const challenges = parseChallenges(first.right.response.headers.get('www-authenticate') ?? '')
  const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm)
  const basic = challenges.find((c) => c.scheme === 'basic')
  if (bearer === undefined && basic === undefined) return E.right(first.right)

  let found = session.credentials.get(target.registry)
  if (found === undefined) {
    found = findCredentials(session, target)
    session.credentials.set(target.registry, found)
  }
  const got = await found
  if (E.isLeft(got)) return forThis(got.left)
  const { credentials, helper } = got.right
  const key = bearer !== undefined ? tokenKey : target.base
  let pending = session.authorizations.get(key)
  if (pending === undefined) {
    pending = bearer !== undefined ? fetchToken(session, target, bearer, credentials, helper) : Promise.resolve(E.right(basicAuthorization(credentials, helper)))
    session.authorizations.set(key, pending)
  }
  const authorization = await pending
  if (E.isLeft(authorization)) return forThis(authorization.left)
  // A helper that had nothing for this registry is named when the registry says no.
  const emptyHelper = credentials === undefined && helper !== undefined ? { helper } : {}
  if (authorization.right === undefined) {
    // A basic challenge and nothing to answer it with: the 401 stands.
    return E.right({ ...first.right, ...emptyHelper })
  }
  await discard(first.right.response)
  const second = await send(session.settings, about, build(authorization.right))
  if (E.isLeft(second)) return second
  return E.right({ ...withSent(second.right, authorization.right), ...emptyHelper })
}

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

const dockerConfig = (session: Session): E.Either<RegistryError, DockerConfig | undefined> => {
  session.dockerConfig ??= readDockerConfig(session.where)
  return session.dockerConfig
}

const originOf = (url: string): string => {
  try {
    return new URL(url).origin
  } catch {
    return ''
  }
}

/**
 * The credentials for the target's registry, as Docker finds them: its `credHelpers` helper, else
 * the `credsStore` helper, else its `auths` entry. A helper that has nothing for the registry
 * leaves the `auths` entry (when there is one) to answer.
 */
const findCredentials = async (session: Session, target: Target): Promise<E.Either<RegistryError, Found>> => {
  const about = { image: target.image, registry: target.registry }
  const config = dockerConfig(session)
  if (E.isLeft(config)) return E.left({ ...config.left, ...about } as RegistryError)
  const inFile = credentialsFor(config.right, target.registry)
  if (inFile?._tag === 'Unusable') {
    return E.left({ _tag: 'DockerConfigUnreadable', path: inFile.source, detail: `its entry for ${target.registry} cannot be used: ${inFile.problem}`, ...about })
  }
  const helper = helperFor(config.right, target.registry)
  if (helper === undefined) return E.right(inFile !== undefined ? { credentials: inFile } : {})
  const answer = await runHelper(helper, helperServerUrl(target.registry), {
    ...(session.where.env !== undefined ? { env: session.where.env } : {}),
    timeoutMs: session.settings.credentialHelperTimeoutMs,
  })
  if (E.isLeft(answer)) return E.left({ _tag: 'CredentialHelperFailure', ...about, helper, detail: answer.left })
  if (answer.right !== undefined) return E.right({ credentials: answer.right, helper })
  return E.right(inFile !== undefined ? { credentials: inFile } : { helper })
}

const basicAuthorization = (credentials: Credentials | undefined, helper: string | undefined): Authorization | undefined =>
  credentials?._tag === 'Basic'
    ? {
        header: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`,
        credentials: credentials.source,
        ...(helper !== undefined && credentials.source.startsWith('the credential helper') ? { helper } : {}),
      }
    : undefined

/**
 * A bearer token from the challenge's token service: a registry token is used as it is, an
 * identity token is exchanged (OAuth2 refresh-token grant), basic credentials are sent to the
 * realm, and with none the token is anonymous.
 */
const fetchToken = async (
  session: Session,
  target: Target,
  challenge: Challenge,
  credentials: Credentials | undefined,
  helper: string | undefined,
): Promise<E.Either<RegistryError, Authorization>> => {
  const about = { image: target.image, registry: target.registry }
  const realm = challenge.params.realm!
  const fail = (detail: string): E.Either<RegistryError, never> => E.left({ _tag: 'TokenFailure', ...about, realm, detail })
  const fromHelper = helper !== undefined && credentials?.source.startsWith('the credential helper') === true ? { helper } : {}
  if (credentials?._tag === 'RegistryToken') return E.right({ header: `Bearer ${credentials.token}`, credentials: credentials.source })
  let url: URL
  try {
    url = new URL(realm)
  } catch {
    return fail('the realm is not a URL')
  }
  if (url.username !== '' || url.password !== '') return fail('the realm URL has credentials in it')
  // Credentials and tokens travel in clear only to hosts that are allowed plain HTTP.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isPlainHttp(url.host, session.settings.insecureRegistries))) {
    return fail(`refusing a token service over ${url.protocol.replace(/:$/, '')} (only HTTPS, or plain HTTP to loopback or insecure registries)`)
  }
  const scope = pullScope(target)
  const service = challenge.params.service
  const headers: Record<string, string> = { 'User-Agent': USER_AGENT, Accept: 'application/json' }
  let tokenRequest: Request
  if (credentials?._tag === 'IdentityToken') {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credentials.token, client_id: USER_AGENT, scope })
    if (service !== undefined) form.set('service', service)
    tokenRequest = {
      method: 'POST',
      url: url.toString(),
      headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    }
  } else {
    if (service !== undefined) url.searchParams.set('service', service)
    url.searchParams.set('scope', scope)
    if (credentials?._tag === 'Basic') {
      url.searchParams.set('account', credentials.username)
      headers.Authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
    }
    tokenRequest = { method: 'GET', url: url.toString(), headers }
  }
  const answer = await send(session.settings, about, tokenRequest)
  if (E.isLeft(answer)) {
    const e = answer.left
    return e._tag === 'RegistryUnreachable' ? fail(e.reason === 'timeout' ? `the token service did not answer within ${seconds(session.settings.timeoutMs)}` : `the token service cannot be reached (${e.reason === 'other' ? 'the request failed' : e.reason === 'refused' ? 'connection refused' : e.reason === 'dns' ? 'no such host' : e.reason === 'tls' ? 'the TLS handshake failed' : 'the connection was closed'})`) : answer
  }
  const { response } = answer.right
  const source = credentials?.source
  if (response.status === 401 || response.status === 403) {
    await discard(response)
    return E.left({ _tag: 'RegistryDenied', ...about, status: response.status, ...(source !== undefined ? { credentials: source } : {}), ...fromHelper, detail: 'the token service refused' })
  }
  if (response.status !== 200) {
    await discard(response)
    return fail(`it answered HTTP ${response.status}`)
  }
  let body: Uint8Array | undefined
  try {
    body = await readBody(response, MAX_TOKEN_ANSWER)
  } catch (e) {
    const why = classify(e, session.settings.timeoutMs)
    return fail(why.reason === 'timeout' ? `its answer did not arrive within ${seconds(session.settings.timeoutMs)}` : 'its answer was cut off')
  }
  if (body === undefined) return fail('its answer is larger than 64 KiB')
  let json: { token?: unknown; access_token?: unknown } | undefined
  try {
    json = JSON.parse(new TextDecoder().decode(body)) as typeof json
  } catch {
    return fail('its answer is not JSON')
  }
  const token = typeof json?.token === 'string' && json.token !== '' ? json.token : json?.access_token
  if (typeof token !== 'string' || token === '') return fail('its answer has no token')
  if (!/^[\x21-\x7e]+$/.test(token)) return fail('its token has characters a token cannot have')
  return E.right({ header: `Bearer ${token}`, ...(source !== undefined ? { credentials: source } : {}), ...fromHelper })
}
