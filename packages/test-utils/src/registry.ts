/**
 * A real registry for the tests: Debian's docker-registry (the CNCF distribution server) started
 * on 127.0.0.1 at a free port with a temporary storage directory, images pushed to it with plain
 * HTTP calls of the registry API, and a small bearer-token server in front of it. Used by the
 * registry and CLI packages' tests.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createNetServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import bcrypt from 'bcryptjs'

// -------------------------------------------------------------------------------------
// availability
// -------------------------------------------------------------------------------------

export const REGISTRY_BIN = process.env.IMGCFG_DOCKER_REGISTRY ?? '/usr/bin/docker-registry'

/**
 * Why the registry tests are skipped, or `undefined` when they run. They skip only when the
 * binary is missing and IMGCFG_SKIP_REGISTRY=1 says that is intended; a missing binary otherwise
 * fails every test (see `requireRegistry`).
 */
export const registrySkipReason = (): string | undefined =>
  !existsSync(REGISTRY_BIN) && process.env.IMGCFG_SKIP_REGISTRY === '1'
    ? `NOTICE: ${REGISTRY_BIN} is missing and IMGCFG_SKIP_REGISTRY=1: the tests against a real registry are skipped.`
    : undefined

/** Whether the registry binary is there (when not, `requireRegistry` in a `beforeEach` fails each test). */
export const registryAvailable = (): boolean => existsSync(REGISTRY_BIN)

/** Throws the reason the registry cannot run, so that each test counts as failed rather than skipped. */
export const requireRegistry = (): void => {
  if (!existsSync(REGISTRY_BIN)) {
    throw new Error(
      `${REGISTRY_BIN} is missing, so the tests against a real registry cannot run. Install Debian's docker-registry ` +
        '(apt-get install -y docker-registry, as scripts/setup.sh does), point IMGCFG_DOCKER_REGISTRY at another build ' +
        'of the distribution server, or set IMGCFG_SKIP_REGISTRY=1 to skip these tests.',
    )
  }
}

const created: string[] = []

/** A new temporary directory, removed by `removeTempDirs`. */
export const tempDir = (prefix: string): string => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)))
  created.push(dir)
  return dir
}

/** Removes every directory `tempDir` made. */
export const removeTempDirs = (): void => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true })
}

// -------------------------------------------------------------------------------------
// the registry
// -------------------------------------------------------------------------------------

export interface LocalRegistry {
  /** `127.0.0.1:PORT`: the registry's name in image references. */
  readonly host: string
  /** `http://127.0.0.1:PORT` */
  readonly url: string
  /** A basic `Authorization` header value for pushing, when it has htpasswd auth. */
  readonly authorization?: string
  readonly stop: () => Promise<void>
}

export interface RegistryOptions {
  /** Protect the registry with htpasswd (bcrypt) basic auth. */
  readonly htpasswd?: { readonly username: string; readonly password: string }
}

/** A port nobody listens on right now (the kernel's pick, released). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createNetServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

/** Starts docker-registry on 127.0.0.1 at a free port and waits until `/v2/` answers. */
export const startRegistry = async (options: RegistryOptions = {}): Promise<LocalRegistry> => {
  requireRegistry()
  let lastError: unknown
  // Another process may take the free port before the registry binds it: try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(options)
    } catch (e) {
      lastError = e
    }
  }
  throw lastError
}

const startOnce = async (options: RegistryOptions): Promise<LocalRegistry> => {
  const dir = tempDir('imgcfg-registry-')
  const port = await freePort()
  const host = `127.0.0.1:${port}`
  const auth =
    options.htpasswd === undefined
      ? ''
      : `auth:\n  htpasswd:\n    realm: imgcfg-test\n    path: ${join(dir, 'htpasswd')}\n`
  if (options.htpasswd !== undefined) {
    const { username, password } = options.htpasswd
    writeFileSync(join(dir, 'htpasswd'), `${username}:${bcrypt.hashSync(password, 5)}\n`)
  }
  writeFileSync(
    join(dir, 'config.yml'),
    `version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: ${join(dir, 'storage')}
http:
  addr: ${host}
${auth}`,
  )
  const child = spawn(REGISTRY_BIN, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  const keep = (chunk: Buffer) => (log = (log + chunk.toString('utf8')).slice(-4000))
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const stop = async (): Promise<void> => {
    await kill(child, exited)
    rmSync(dir, { recursive: true, force: true })
  }
  const deadline = Date.now() + 15_000
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop()
      throw new Error(`docker-registry exited (${child.exitCode ?? child.signalCode}) before answering on ${host}:\n${log}`)
    }
    try {
      const response = await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(1000) })
      await response.body?.cancel()
      if (response.status === 200 || response.status === 401) break
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`docker-registry did not answer on ${host} within 15 s:\n${log}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  const authorization =
    options.htpasswd === undefined
      ? undefined
      : `Basic ${Buffer.from(`${options.htpasswd.username}:${options.htpasswd.password}`).toString('base64')}`
  return { host, url: `http://${host}`, ...(authorization !== undefined ? { authorization } : {}), stop }
}

const kill = async (child: ChildProcess, exited: Promise<number | null>): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
  await exited
  clearTimeout(timer)
}

// -------------------------------------------------------------------------------------
// pushing images
// -------------------------------------------------------------------------------------

export const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const

export type ImageKind = 'oci-manifest' | 'docker-manifest' | 'oci-index' | 'docker-list'

export interface Pushed {
  readonly digest: string
  readonly mediaType: string
}

const sha256 = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`

const check = async (response: Response, expected: number, what: string): Promise<Response> => {
  if (response.status !== expected) {
    throw new Error(`${what}: expected HTTP ${expected}, got ${response.status}: ${await response.text()}`)
  }
  return response
}

/** Uploads a blob (POST then a monolithic PUT) and returns its digest. */
export const pushBlob = async (registry: LocalRegistry, repository: string, bytes: Uint8Array): Promise<string> => {
  const digest = sha256(bytes)
  const auth: Record<string, string> = registry.authorization ? { Authorization: registry.authorization } : {}
  const started = await check(
    await fetch(`${registry.url}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers: auth }),
    202,
    `starting an upload to ${repository}`,
  )
  const location = new URL(started.headers.get('location')!, registry.url)
  await started.body?.cancel()
  location.searchParams.set('digest', digest)
  const done = await check(
    await fetch(location, {
      method: 'PUT',
      headers: { ...auth, 'Content-Type': 'application/octet-stream', 'Content-Length': String(bytes.byteLength) },
      body: bytes,
    }),
    201,
    `uploading ${digest} to ${repository}`,
  )
  await done.body?.cancel()
  return digest
}

/** PUTs a manifest under a tag (or its digest) and returns its digest, checked against the registry's. */
export const pushManifest = async (
  registry: LocalRegistry,
  repository: string,
  reference: string | undefined,
  mediaType: string,
  manifest: unknown,
): Promise<Pushed> => {
  const bytes = Buffer.from(JSON.stringify(manifest, null, 3))
  const digest = sha256(bytes)
  const auth: Record<string, string> = registry.authorization ? { Authorization: registry.authorization } : {}
  const response = await check(
    await fetch(`${registry.url}/v2/${repository}/manifests/${reference ?? digest}`, {
      method: 'PUT',
      headers: { ...auth, 'Content-Type': mediaType },
      body: bytes,
    }),
    201,
    `putting a manifest to ${repository}:${reference ?? digest}`,
  )
  await response.body?.cancel()
  const said = response.headers.get('docker-content-digest')
  if (said !== digest) throw new Error(`the registry says ${said} for a manifest whose sha256 is ${digest}`)
  return { digest, mediaType }
}

/** One single-platform image (config + one layer + manifest), tagged when `tag` is given. */
const pushSingle = async (
  registry: LocalRegistry,
  repository: string,
  tag: string | undefined,
  docker: boolean,
  seed: string,
  architecture = 'amd64',
): Promise<Pushed & { readonly size: number }> => {
  const layer = Buffer.from(`layer of ${repository} ${seed} ${architecture} ${randomBytes(8).toString('hex')}`)
  const config = Buffer.from(
    JSON.stringify({ architecture, os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(layer)] }, config: {} }),
  )
  const [configDigest, layerDigest] = [await pushBlob(registry, repository, config), await pushBlob(registry, repository, layer)]
  const mediaType = docker ? MEDIA.dockerManifest : MEDIA.ociManifest
  const manifest = {
    schemaVersion: 2,
    mediaType,
    config: { mediaType: docker ? MEDIA.dockerConfig : MEDIA.ociConfig, digest: configDigest, size: config.byteLength },
    layers: [{ mediaType: docker ? MEDIA.dockerLayer : MEDIA.ociLayer, digest: layerDigest, size: layer.byteLength }],
  }
  const pushed = await pushManifest(registry, repository, tag, mediaType, manifest)
  return { ...pushed, size: Buffer.byteLength(JSON.stringify(manifest, null, 3)) }
}

/**
 * Pushes an image of the given kind under `repository:tag`: a single OCI or Docker v2 manifest, or
 * an OCI index / Docker manifest list of two platforms (amd64, arm64) pushed by digest first.
 */
export const pushImage = async (registry: LocalRegistry, repository: string, tag: string, kind: ImageKind): Promise<Pushed> => {
  if (kind === 'oci-manifest' || kind === 'docker-manifest') {
    return pushSingle(registry, repository, tag, kind === 'docker-manifest', tag)
  }
  const docker = kind === 'docker-list'
  const platforms = []
  for (const architecture of ['amd64', 'arm64']) {
    const one = await pushSingle(registry, repository, undefined, docker, tag, architecture)
    platforms.push({ mediaType: one.mediaType, digest: one.digest, size: one.size, platform: { architecture, os: 'linux' } })
  }
  const mediaType = docker ? MEDIA.dockerList : MEDIA.ociIndex
  return pushManifest(registry, repository, tag, mediaType, { schemaVersion: 2, mediaType, manifests: platforms })
}

// -------------------------------------------------------------------------------------
// a bearer-token server in front of the registry
// -------------------------------------------------------------------------------------

export interface TokenProxy {
  /** `127.0.0.1:PORT`: the name images use to go through the proxy. */
  readonly host: string
  readonly url: string
  readonly state: ProxyState
  readonly stop: () => Promise<void>
}

/** What the proxy does and what it saw; tests change the first part between requests. */
export interface ProxyState {
  /** Answer registry requests with these statuses first, one per request (then proxy). */
  failures: number[]
  /** Drop the Docker-Content-Digest header from registry answers. */
  stripDigest: boolean
  /** Never answer registry requests. */
  hang: boolean
  /** Wait this long before proxying each registry request. */
  delayMs: number
  /** The realm announced in challenges (default: this server's /token). */
  realm?: string
  /** When set, POSTed refresh-token grants must carry it. */
  identityToken?: string
  /** Token requests received: method and parameters. */
  readonly tokenRequests: Array<{ method: string; params: Record<string, string>; authorization?: string }>
  /** Registry requests received: method and path. */
  readonly requests: string[]
  inFlight: number
  maxInFlight: number
}

const SERVICE = 'imgcfg-test-registry'

/**
 * A node:http server on 127.0.0.1 that plays a registry with token auth (as Docker Hub, GHCR and
 * most cloud registries do): `/v2/…` without a valid bearer token answers 401 with a
 * `WWW-Authenticate: Bearer realm,service,scope` challenge; `/token` issues tokens; with a token,
 * requests are forwarded to the real registry and its answers returned.
 */
export const startTokenProxy = async (upstream: LocalRegistry): Promise<TokenProxy> => {
  const state: ProxyState = {
    failures: [],
    stripDigest: false,
    hang: false,
    delayMs: 0,
    tokenRequests: [],
    requests: [],
    inFlight: 0,
    maxInFlight: 0,
  }
  const issued = new Set<string>()
  const hanging = new Set<ServerResponse>()
  let base = ''

  const issue = (res: ServerResponse) => {
    const token = randomBytes(16).toString('hex')
    issued.add(token)
    res.writeHead(200, { 'Content-Type': 'application/json' })
    res.end(JSON.stringify({ token, access_token: token, expires_in: 300 }))
  }

  const handleToken = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const params: Record<string, string> = Object.fromEntries(url.searchParams)
    if (req.method === 'POST') Object.assign(params, Object.fromEntries(new URLSearchParams(await bodyOf(req))))
    state.tokenRequests.push({ method: req.method ?? '', params, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) })
    if (req.method === 'POST' && (params.grant_type !== 'refresh_token' || params.refresh_token !== state.identityToken)) {
      res.writeHead(401, { 'Content-Type': 'application/json' })
      res.end('{"error":"invalid_grant"}')
      return
    }
    issue(res)
  }

  const handleRegistry = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    state.requests.push(`${req.method} ${url.pathname}`)
    const failure = state.failures.shift()
    if (failure !== undefined) {
      res.writeHead(failure, { 'Content-Type': 'application/json', 'Retry-After': '0' })
      res.end(JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: `injected ${failure}` }] }))
      return
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
    if (token === undefined || !issued.has(token)) {
      const name = /^\/v2\/(.+?)\/(manifests|tags|blobs)\//.exec(url.pathname)?.[1]
      const scope = name !== undefined ? `,scope="repository:${name}:pull"` : ''
      res.writeHead(401, {
        'Content-Type': 'application/json',
        'WWW-Authenticate': `Bearer realm="${state.realm ?? `${base}/token`}",service="${SERVICE}"${scope}`,
      })
      res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}')
      return
    }
    if (state.hang) {
      hanging.add(res)
      return
    }
    state.inFlight += 1
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight)
    try {
      if (state.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, state.delayMs))
      const answer = await fetch(`${upstream.url}${url.pathname}${url.search}`, {
        method: req.method ?? 'GET',
        headers: { Accept: req.headers.accept ?? '*/*', ...(upstream.authorization ? { Authorization: upstream.authorization } : {}) },
      })
      const headers: Record<string, string> = {}
      for (const name of ['content-type', 'docker-content-digest', 'content-length']) {
        const value = answer.headers.get(name)
        if (value !== null && !(name === 'docker-content-digest' && state.stripDigest)) headers[name] = value
      }
      const body = req.method === 'HEAD' ? undefined : Buffer.from(await answer.arrayBuffer())
      if (req.method === 'HEAD') await answer.body?.cancel()
      res.writeHead(answer.status, headers)
      res.end(body)
    } finally {
      state.inFlight -= 1
    }
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base)
    const handled = url.pathname === '/token' ? handleToken(req, res, url) : url.pathname.startsWith('/v2/') ? handleRegistry(req, res, url) : undefined
    if (handled === undefined) {
      res.writeHead(404)
      res.end()
      return
    }
    handled.catch((e) => {
      res.writeHead(502)
      res.end(String(e))
    })
  })
  const host = await listenOnLoopback(server)
  base = `http://${host}`
  const stop = async () => {
    for (const res of hanging) res.destroy()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
  return { host, url: base, state, stop }
}

/** Starts `server` on 127.0.0.1 at a free port; its `127.0.0.1:PORT`. */
const listenOnLoopback = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  return `127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`
}

const bodyOf = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => resolve(body))
    req.on('error', reject)
  })

/** Writes a Docker config.json into a new directory and returns the directory. */
export const dockerConfigDir = (config: unknown): string => {
  const dir = tempDir('imgcfg-docker-')
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2))
  return dir
}

export const basicAuth = (username: string, password: string): string => Buffer.from(`${username}:${password}`).toString('base64')

// -------------------------------------------------------------------------------------
// a fake registry: any answers a test wants, on 127.0.0.1
// -------------------------------------------------------------------------------------

export interface FakeServer {
  /** `127.0.0.1:PORT` */
  readonly host: string
  /** `http://127.0.0.1:PORT` */
  readonly url: string
  /** Requests received: method, path and the Authorization header. */
  readonly requests: Array<{ method: string; path: string; authorization?: string }>
  readonly stop: () => Promise<void>
}

/**
 * A node:http server on 127.0.0.1 answering with `handler`: plays a hostile or broken registry
 * (or token service) the real one cannot. Every request is recorded.
 */
export const startFakeServer = async (handler: (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>): Promise<FakeServer> => {
  const requests: FakeServer['requests'] = []
  let base = ''
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base)
    requests.push({ method: req.method ?? '', path: `${url.pathname}${url.search}`, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) })
    Promise.resolve(handler(req, res, url)).catch((e) => {
      res.writeHead(500)
      res.end(String(e))
    })
  })
  const host = await listenOnLoopback(server)
  base = `http://${host}`
  const stop = async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
  return { host, url: base, requests, stop }
}

/** A minimal valid OCI manifest, as bytes, and its digest. */
export const fakeManifest = (seed = 'x'): { bytes: Buffer; digest: string } => {
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
      config: { mediaType: MEDIA.ociConfig, digest: `sha256:${createHash('sha256').update(seed).digest('hex')}`, size: seed.length },
      layers: [],
    }),
  )
  return { bytes, digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}` }
}

/** Writes an executable `docker-credential-NAME` shell script into a new directory and returns the directory (for PATH). */
export const credentialHelperDir = (name: string, script: string): string => {
  const dir = tempDir('imgcfg-helper-')
  writeFileSync(join(dir, `docker-credential-${name}`), `#!/bin/sh\n${script}\n`, { mode: 0o755 })
  return dir
}
