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
import { credentialsFor, helperFor, readDockerConfig, type Credentials, type DockerConfig, type Where } from './DockerConfig.js'
import type { RegistryError } from './errors.js'
import { discard, readJson, send, type Answer, type Request } from './http.js'
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
  dockerConfig?: E.Either<RegistryError, DockerConfig | undefined>
}

/** What was sent, for the message when the registry still says no. */
interface Authorization {
  readonly header: string
  /** Where the credentials came from (the config file), absent for an anonymous token. */
  readonly credentials?: string
}

/** An answer, with what was known about credentials when it came. */
export interface Reply extends Answer {
  readonly credentials?: string
  readonly helper?: string
}

const USER_AGENT = 'imgcfg'

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
  const known = await (session.authorizations.get(tokenKey) ?? session.authorizations.get(target.base))
  if (known !== undefined && E.isLeft(known)) return known
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
  })
  if (first.right.response.status !== 401 || sent !== undefined) return E.right(withSent(first.right, sent))

  const challenges = parseChallenges(first.right.response.headers.get('www-authenticate') ?? '')
  const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm)
  const basic = challenges.find((c) => c.scheme === 'basic')
  if (bearer === undefined && basic === undefined) return E.right(first.right)

  const config = dockerConfig(session)
  if (E.isLeft(config)) return config
  const credentials = credentialsFor(config.right, target.registry)
  const helper = credentials === undefined ? helperFor(config.right, target.registry) : undefined
  const key = bearer !== undefined ? tokenKey : target.base
  let pending = session.authorizations.get(key)
  if (pending === undefined) {
    pending = bearer !== undefined ? fetchToken(session, target, bearer, credentials) : Promise.resolve(E.right(basicAuthorization(credentials)))
    session.authorizations.set(key, pending)
  }
  const authorization = await pending
  if (E.isLeft(authorization)) return authorization
  if (authorization.right === undefined) {
    // A basic challenge and nothing to answer it with: the 401 stands.
    return E.right({ ...first.right, ...(helper !== undefined ? { helper } : {}) })
  }
  await discard(first.right.response)
  const second = await send(session.settings, about, build(authorization.right))
  if (E.isLeft(second)) return second
  return E.right({ ...withSent(second.right, authorization.right), ...(helper !== undefined ? { helper } : {}) })
}

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

const dockerConfig = (session: Session): E.Either<RegistryError, DockerConfig | undefined> => {
  session.dockerConfig ??= readDockerConfig(session.where)
  return session.dockerConfig
}

const basicAuthorization = (credentials: Credentials | undefined): Authorization | undefined =>
  credentials?._tag === 'Basic'
    ? { header: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`, credentials: credentials.source }
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
): Promise<E.Either<RegistryError, Authorization>> => {
  const about = { image: target.image, registry: target.registry }
  const realm = challenge.params.realm!
  const fail = (detail: string): E.Either<RegistryError, never> => E.left({ _tag: 'TokenFailure', ...about, realm, detail })
  if (credentials?._tag === 'RegistryToken') return E.right({ header: `Bearer ${credentials.token}`, credentials: credentials.source })
  let url: URL
  try {
    url = new URL(realm)
  } catch {
    return fail('the realm is not a URL')
  }
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
  if (E.isLeft(answer)) return answer
  const { response } = answer.right
  const source = credentials?.source
  if (response.status === 401 || response.status === 403) {
    await discard(response)
    return E.left({ _tag: 'RegistryDenied', ...about, status: response.status, ...(source !== undefined ? { credentials: source } : {}), detail: 'the token service refused' })
  }
  if (response.status !== 200) {
    await discard(response)
    return fail(`it answered HTTP ${response.status}`)
  }
  const json = (await readJson(response)) as { token?: unknown; access_token?: unknown } | undefined
  const token = typeof json?.token === 'string' && json.token !== '' ? json.token : json?.access_token
  if (typeof token !== 'string' || token === '') return fail('its answer has no token')
  return E.right({ header: `Bearer ${token}`, ...(source !== undefined ? { credentials: source } : {}) })
}
