/**
 * Registries that lie, redirect, leak or flood: fake servers on 127.0.0.1 (node:http) and, for
 * HTTPS URLs, a fake `fetch` that answers without any network. Each test is a defect found
 * against hostile registries: credentials sent to a host they do not belong to, secrets in
 * messages, a downgrade to plain HTTP, digests taken on trust, raw control characters.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { runHelper } from '../src/CredentialHelper.js'
import { compareVersions, formatRegistryError, readDockerConfig, verifyImages } from '../src/index.js'
import { basicAuth, credentialHelperDir, dockerConfigDir, fakeManifest, MEDIA, removeTempDirs, startFakeServer, tempDir, type FakeServer } from '@imgcfg/test-utils/registry'
import { FAST, left, resolve, right } from './helpers.js'


/** No control character (C0, DEL, C1) reaches the terminal. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/

const servers: FakeServer[] = []
const serve = async (...args: Parameters<typeof startFakeServer>): Promise<FakeServer> => {
  const server = await startFakeServer(...args)
  servers.push(server)
  return server
}

afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop()
})
afterAll(removeTempDirs)

/** A registry that serves `manifest` for every manifest request, with these headers. */
const manifestServer = (body: Buffer | string, headers: Record<string, string>) =>
  serve((req, res, url) => {
    if (!url.pathname.includes('/manifests/')) {
      res.writeHead(404, { 'Content-Type': 'application/json' })
      res.end('{"errors":[{"code":"NAME_UNKNOWN"}]}')
      return
    }
    res.writeHead(200, { 'Content-Length': String(Buffer.byteLength(body)), ...headers })
    res.end(req.method === 'HEAD' ? undefined : body)
  })

describe('secrets: credentials answer only their own registry', () => {
  it("a redirect target's challenge gets none of the original registry's credentials", async () => {
    // The evil host's token service, and the evil host that challenges with it.
    const tokens = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end('{"token":"evil"}')
    })
    const evil = await serve((_req, res) => {
      res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${tokens.url}/token",service="evil"` })
      res.end()
    })
    const registry = await serve((_req, res, url) => {
      res.writeHead(307, { Location: `${evil.url}${url.pathname}` })
      res.end()
    })
    const dir = dockerConfigDir({ auths: { [registry.host]: { auth: basicAuth('flyte', 'hunter2') } } })
    const e = left(await resolve(`${registry.host}/app:1.0`, { dockerConfig: dir }))
    expect(e).toMatchObject({ _tag: 'RegistryDenied', status: 401 })
    expect(tokens.requests).toStrictEqual([])
    expect(evil.requests.every((r) => r.authorization === undefined)).toBe(true)
  })

  it('an Authorization header is not carried to the host a registry redirects to', async () => {
    const { bytes } = fakeManifest()
    const cdn = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': MEDIA.ociManifest })
      res.end(bytes)
    })
    const registry = await serve((req, res, url) => {
      if (req.headers.authorization === undefined) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="r"' })
        res.end()
        return
      }
      res.writeHead(302, { Location: `${cdn.url}${url.pathname}` })
      res.end()
    })
    const dir = dockerConfigDir({ auths: { [registry.host]: { auth: basicAuth('flyte', 'hunter2') } } })
    expect(E.isRight(await resolve(`${registry.host}/app:1.0`, { dockerConfig: dir }))).toBe(true)
    expect(registry.requests.at(-1)?.authorization).toBe(`Basic ${basicAuth('flyte', 'hunter2')}`)
    expect(cdn.requests).toHaveLength(1)
    expect(cdn.requests[0]!.authorization).toBeUndefined()
  })

  it('an invalid registrytoken (CR/LF in it) is an error that does not print it', async () => {
    const registry = await serve((_req, res) => {
      res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="http://127.0.0.1:1/token"` })
      res.end()
    })
    const dir = dockerConfigDir({ auths: { [registry.host]: { registrytoken: 'SECRETPART1\r\nSECRETPART2' } } })
    const message = formatRegistryError(left(await resolve(`${registry.host}/app:1.0`, { dockerConfig: dir })))
    expect(message).toBe(
      `${registry.host}/app:1.0: cannot use the Docker config file "${join(dir, 'config.json')}" (registry ${registry.host} asked for credentials): its entry for ${registry.host} cannot be used: its registrytoken has characters a token cannot have (a line break or a space?).`,
    )
    expect(message).not.toMatch(/SECRET/)
  })

  it('a JSON syntax error in the Docker config says where, not what is there (no part of an auth value)', async () => {
    const registry = await serve((_req, res) => {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="r"' })
      res.end()
    })
    const dir = dockerConfigDir({})
    // An auth value left unquoted: V8's message would quote it ("Unexpected token 'Z', …").
    writeFileSync(join(dir, 'config.json'), '{\n  "auths": {\n    "x": { "auth": Zmx5dGU6aHVudGVyMg== }\n  }\n}\n')
    const message = formatRegistryError(left(await resolve(`${registry.host}/app:1.0`, { dockerConfig: dir })))
    expect(message).toBe(
      `${registry.host}/app:1.0: cannot use the Docker config file "${join(dir, 'config.json')}" (registry ${registry.host} asked for credentials): it is not valid JSON (line 3, column 20).`,
    )
    expect(message).not.toMatch(/Zmx5/)
  })

  it('a realm URL with user:pw@ is refused and printed without its userinfo', async () => {
    const registry = await serve((_req, res) => {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="http://admin:hunter2@127.0.0.1:1/token",service="x"' })
      res.end()
    })
    const message = formatRegistryError(left(await resolve(`${registry.host}/app:1.0`)))
    expect(message).toBe(
      `${registry.host}/app:1.0: could not get a token for registry ${registry.host} from http://127.0.0.1:1/token: the realm URL has credentials in it.`,
    )
  })
})

describe('downgrade: an https registry never leads to plain http', () => {
  /** A fake fetch: the https registry redirects to `location`; whatever is fetched is recorded. */
  const fakeFetch = (location: string, fetched: string[]): typeof fetch =>
    (async (input: string | URL | Request, init?: RequestInit) => {
      const url = String(input)
      fetched.push(url)
      if (url.startsWith('https://registry.example/')) return new Response(null, { status: 301, headers: { Location: location } })
      const { bytes } = fakeManifest()
      void init
      return new Response(bytes, { status: 200, headers: { 'Content-Type': MEDIA.ociManifest } })
    }) as typeof fetch

  it('a 301 to http:// on another host is refused, and nothing is fetched there', async () => {
    const fetched: string[] = []
    const e = left(await resolve('registry.example/app:1.0', { fetch: fakeFetch('http://mirror.example/v2/app/manifests/1.0', fetched) }))
    expect(e).toMatchObject({ _tag: 'UnsafeRedirect', reason: 'downgrade' })
    expect(formatRegistryError(e)).toBe(
      'registry.example/app:1.0: registry registry.example redirected https://registry.example/v2/app/manifests/1.0 to http://mirror.example/v2/app/manifests/1.0, which was not followed: it leaves HTTPS for plain HTTP (allowed only to loopback hosts and --insecure-registry ones).',
    )
    expect(fetched).toStrictEqual(['https://registry.example/v2/app/manifests/1.0'])
  })

  it('to loopback, or to a host listed with --insecure-registry, it is followed', async () => {
    const toLoopback: string[] = []
    expect(E.isRight(await resolve('registry.example/app:1.0', { fetch: fakeFetch('http://127.0.0.1:5000/v2/app/manifests/1.0', toLoopback) }))).toBe(true)
    expect(toLoopback).toHaveLength(2)
    const toListed: string[] = []
    const options = { fetch: fakeFetch('http://mirror.example/v2/x', toListed), insecureRegistries: ['mirror.example'] }
    expect(E.isRight(await resolve('registry.example/app:1.0', options))).toBe(true)
    expect(toListed).toStrictEqual(['https://registry.example/v2/app/manifests/1.0', 'http://mirror.example/v2/x'])
  })
})

describe('integrity: the digest is the hash of the manifest bytes read', () => {
  it('a Docker-Content-Digest header that disagrees with the body is an error naming both', async () => {
    const { bytes, digest } = fakeManifest()
    const lie = `sha256:${'f'.repeat(64)}`
    const registry = await manifestServer(bytes, { 'Content-Type': MEDIA.ociManifest, 'Docker-Content-Digest': lie })
    const e = left(await resolve(`${registry.host}/app:1.0`))
    expect(e).toMatchObject({ _tag: 'DigestMismatch', expected: lie, actual: digest, source: 'header' })
    expect(formatRegistryError(e)).toBe(
      `${registry.host}/app:1.0: registry ${registry.host} says the manifest's digest is ${lie}, but its bytes hash to ${digest}; not trusted.`,
    )
  })

  it('a header that agrees, or none, gives the hash of the body', async () => {
    const { bytes, digest } = fakeManifest()
    const agreeing = await manifestServer(bytes, { 'Content-Type': MEDIA.ociManifest, 'Docker-Content-Digest': digest })
    expect(right(await resolve(`${agreeing.host}/app:1.0`)).digest).toBe(digest)
    const silent = await manifestServer(bytes, { 'Content-Type': MEDIA.ociManifest })
    expect(right(await resolve(`${silent.host}/app:1.0`))).toMatchObject({ digest, mediaType: MEDIA.ociManifest })
  })

  it('name@digest fetches the body and checks that it hashes to that digest', async () => {
    const { bytes, digest } = fakeManifest()
    const asked = `sha256:${'a'.repeat(64)}`
    const registry = await manifestServer(bytes, { 'Content-Type': MEDIA.ociManifest, 'Docker-Content-Digest': asked })
    const e = left(await resolve(`${registry.host}/app@${asked}`))
    expect(e).toMatchObject({ _tag: 'DigestMismatch', expected: asked, actual: digest, source: 'reference' })
    expect(formatRegistryError(e)).toBe(`${registry.host}/app@${asked}: the manifest registry ${registry.host} answered for ${asked} hashes to ${digest}; not trusted.`)
    expect(registry.requests.map((r) => r.method)).toStrictEqual(['GET'])
    // The right digest passes.
    const honest = await manifestServer(bytes, { 'Content-Type': MEDIA.ociManifest })
    expect(right(await resolve(`${honest.host}/app@${digest}`)).digest).toBe(digest)
  })

  it.each([
    ['an HTML login page', '<html><body>Please log in</body></html>', 'text/html', 'the body is not JSON (content type "text/html")'],
    ['JSON that is not a manifest', '{"hello":1}', 'application/json', 'its media type "application/json" is not a manifest\'s'],
    ['an empty body', '', MEDIA.ociManifest, 'the body is empty'],
    ['a manifest type on JSON of another shape', '{"hello":1}', MEDIA.ociManifest, 'its schemaVersion is not 2'],
    ['an index without manifests', '{"schemaVersion":2}', MEDIA.ociIndex, 'an index without a manifests list'],
  ])('%s is not verified', async (_what, body, contentType, problem) => {
    const registry = await manifestServer(body, { 'Content-Type': contentType })
    const e = left(await resolve(`${registry.host}/app:1.0`))
    expect(e).toMatchObject({ _tag: 'ManifestInvalid', problem })
    expect(formatRegistryError(e)).toBe(
      `${registry.host}/app:1.0: registry ${registry.host} answered http://${registry.host}/v2/app/manifests/1.0 with something that is not an image manifest: ${problem}.`,
    )
  })

  it('sha512 digests are checked with sha512', async () => {
    const { bytes } = fakeManifest()
    const digest = `sha512:${createHash('sha512').update(bytes).digest('hex')}`
    const registry = await manifestServer(bytes, { 'Content-Type': MEDIA.ociManifest, 'Docker-Content-Digest': digest })
    expect(right(await resolve(`${registry.host}/app@${digest}`)).digest).toBe(digest)
  })
})

describe('terminal: what a registry sends is escaped and cut', () => {
  it('tag names with escape sequences, sorted as versions, with a did-you-mean', async () => {
    const registry = await serve((_req, res, url) => {
      if (url.pathname.endsWith('/tags/list')) {
        res.writeHead(200, { 'Content-Type': 'application/json' })
        res.end(JSON.stringify({ tags: ['1.10', '1.9', '\u001b[2J\u001b[Hall images verified', '1.2', 'latest'] }))
        return
      }
      res.writeHead(404, { 'Content-Type': 'application/json' })
      res.end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}')
    })
    const message = formatRegistryError(left(await resolve(`${registry.host}/app:lates`)))
    expect(message).not.toMatch(CONTROL)
    expect(message).toBe(
      `${registry.host}/app:lates: tag "lates" not found in repository "app" on registry ${registry.host}. Did you mean "latest"? Tags there: 1.2, 1.9, 1.10, \\u001b[2J\\u001b[Hall images verified, latest.`,
    )
  })

  it('a 60 KB error message with control characters becomes one short line', async () => {
    const registry = await serve((_req, res) => {
      res.writeHead(400, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify({ errors: [{ code: 'BAD\u001b[31m', message: `\u001b[2Jbad request\r\nimgcfg: all images verified ${'x'.repeat(60_000)}` }] }))
    })
    const message = formatRegistryError(left(await resolve(`${registry.host}/app:1.0`, { retries: 0 })))
    expect(message).not.toMatch(CONTROL)
    expect(message.length).toBeLessThan(500)
    expect(message).toContain('(BAD\\u001b[31m: \\u001b[2Jbad request\\r\\nimgcfg: all images verified…) for http://')
    expect(message).toMatch(/…\) for http:/)
  })

  it('a media type with control characters is escaped', async () => {
    const registry = await manifestServer('{"schemaVersion":2,"mediaType":"\\u001b[2Jevil"}', { 'Content-Type': 'application/json' })
    const message = formatRegistryError(left(await resolve(`${registry.host}/app:1.0`)))
    expect(message).not.toMatch(CONTROL)
    expect(message).toContain('its media type "\\u001b[2Jevil" is not a manifest\'s')
  })

  it('tags sort as versions', () => {
    expect(['1.10', '1.9', 'latest', '2', '1.0-rc1', '1.0', '01.0'].sort(compareVersions)).toStrictEqual(['01.0', '1.0', '1.0-rc1', '1.9', '1.10', '2', 'latest'])
  })
})

describe('clear errors', () => {
  it('a token service that sends headers and then nothing says it did not answer in time', async () => {
    const tokens = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.write('{"tok')
      // …and the rest never comes.
    })
    const registry = await serve((_req, res) => {
      res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${tokens.url}/token"` })
      res.end()
    })
    const message = formatRegistryError(left(await resolve(`${registry.host}/app:1.0`, { timeoutMs: 300 })))
    expect(message).toBe(`${registry.host}/app:1.0: could not get a token for registry ${registry.host} from ${tokens.url}/token: its answer did not arrive within 300 ms.`)
  })

  it('an error kept for the session (one Docker config read, one token asked) names each image it stops', async () => {
    const registry = await serve((_req, res) => {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="r"' })
      res.end()
    })
    const dir = dockerConfigDir({})
    writeFileSync(join(dir, 'config.json'), '{')
    const images = ['a', 'b'].map((name) => ({ name, fqn: `${registry.host}/${name}`, tag: '1' }))
    const checks = await verifyImages(images, { ...FAST, dockerConfig: dir, concurrency: 1 })()
    expect(checks.map((c) => E.isLeft(c.result) && formatRegistryError(c.result.left).startsWith(`${c.image.fqn}:1: cannot use the Docker config file`))).toStrictEqual([true, true])
  })

  it('a Docker config file that cannot be read says so, not "not valid JSON"', async () => {
    const dir = dockerConfigDir({ auths: {} })
    chmodSync(join(dir, 'config.json'), 0o000)
    let read: unknown
    if (process.getuid?.() === 0) {
      // root reads any file: ask as root without the capabilities that override permissions (still
      // root, so the checkout is readable wherever it lives), with the built package (turbo builds
      // it before the tests).
      const dist = join(import.meta.dirname, '../dist/index.js')
      const child = spawnSync('setpriv', ['--bounding-set', '-dac_override,-dac_read_search', '--', process.execPath, '-e', `import(${JSON.stringify(dist)}).then((m) => process.stdout.write(JSON.stringify(m.readDockerConfig({ dockerConfig: ${JSON.stringify(dir)} }))))`], { encoding: 'utf8' })
      expect(child.status, child.stderr).toBe(0)
      read = JSON.parse(child.stdout)
    } else read = readDockerConfig({ dockerConfig: dir })
    expect(read).toStrictEqual(E.left({ _tag: 'DockerConfigUnreadable', path: join(dir, 'config.json'), detail: 'permission denied (it cannot be read)' }))
  })
})

describe('credential helpers (docker-credential-NAME get)', () => {
  /** A registry with basic auth that accepts flyte:hunter2. */
  const basicRegistry = () => {
    const { bytes } = fakeManifest()
    return serve((req, res) => {
      if (req.headers.authorization !== `Basic ${basicAuth('flyte', 'hunter2')}`) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="r"' })
        res.end()
        return
      }
      res.writeHead(200, { 'Content-Type': MEDIA.ociManifest })
      res.end(bytes)
    })
  }

  it('runs the credHelpers helper for the registry with the server URL on stdin, over credsStore', async () => {
    const registry = await basicRegistry()
    const bin = credentialHelperDir(
      'imgcfgtest',
      `read url; echo "$url" >> "$(dirname "$0")/asked"; [ "$1" = get ] && printf '{"ServerURL":"%s","Username":"flyte","Secret":"hunter2"}' "$url"`,
    )
    writeFileSync(join(bin, 'docker-credential-store'), '#!/bin/sh\necho store was asked >&2; exit 1\n', { mode: 0o755 })
    const dir = dockerConfigDir({ credsStore: 'store', credHelpers: { [registry.host]: 'imgcfgtest' } })
    expect(E.isRight(await resolve(`${registry.host}/app:1.0`, { dockerConfig: dir, env: { PATH: `${bin}:/usr/bin:/bin` } }))).toBe(true)
    const { readFileSync } = await import('node:fs')
    expect(readFileSync(join(bin, 'asked'), 'utf8')).toBe(`${registry.host}\n`)
  })

  it('credsStore answers for registries without a credHelpers entry; wrong credentials name the helper', async () => {
    const registry = await basicRegistry()
    const bin = credentialHelperDir('store', `cat >/dev/null; echo '{"Username":"flyte","Secret":"wrong"}'`)
    const dir = dockerConfigDir({ credsStore: 'store', auths: { [registry.host]: {} } })
    const e = left(await resolve(`${registry.host}/app:1.0`, { dockerConfig: dir, env: { PATH: `${bin}:/usr/bin:/bin` } }))
    expect(formatRegistryError(e)).toBe(
      `${registry.host}/app:1.0: registry ${registry.host} denied access with the credentials from the credential helper docker-credential-store: 401 Unauthorized.`,
    )
  })

  it('a helper without credentials for the registry leaves the auths entry to answer', async () => {
    const registry = await basicRegistry()
    const bin = credentialHelperDir('store', `cat >/dev/null; echo 'credentials not found in native keychain'; exit 1`)
    const dir = dockerConfigDir({ credsStore: 'store', auths: { [registry.host]: { auth: basicAuth('flyte', 'hunter2') } } })
    expect(E.isRight(await resolve(`${registry.host}/app:1.0`, { dockerConfig: dir, env: { PATH: `${bin}:/usr/bin:/bin` } }))).toBe(true)
    // And without an auths entry, the 401 names the helper that had nothing.
    const bare = dockerConfigDir({ credsStore: 'store' })
    expect(formatRegistryError(left(await resolve(`${registry.host}/app:1.0`, { dockerConfig: bare, env: { PATH: `${bin}:/usr/bin:/bin` } })))).toBe(
      `${registry.host}/app:1.0: registry ${registry.host} denied access without credentials: 401 Unauthorized. The credential helper docker-credential-store has no credentials for it; log in (docker login ${registry.host}).`,
    )
  })

  it('a <token> username means an identity token, exchanged at the token service', async () => {
    const { bytes } = fakeManifest()
    let grant = ''
    const tokens = await serve(async (req, res) => {
      grant = await new Promise<string>((done) => {
        let body = ''
        req.on('data', (c: Buffer) => (body += c.toString()))
        req.on('end', () => done(body))
      })
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end('{"access_token":"t0k"}')
    })
    const registry = await serve((req, res) => {
      if (req.headers.authorization !== 'Bearer t0k') {
        res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${tokens.url}/token",service="s"` })
        res.end()
        return
      }
      res.writeHead(200, { 'Content-Type': MEDIA.ociManifest })
      res.end(bytes)
    })
    const bin = credentialHelperDir('id', `cat >/dev/null; echo '{"Username":"<token>","Secret":"refresh-me"}'`)
    const dir = dockerConfigDir({ credHelpers: { [registry.host]: 'id' } })
    expect(E.isRight(await resolve(`${registry.host}/app:1.0`, { dockerConfig: dir, env: { PATH: `${bin}:/usr/bin:/bin` } }))).toBe(true)
    expect(new URLSearchParams(grant).get('refresh_token')).toBe('refresh-me')
    expect(new URLSearchParams(grant).get('grant_type')).toBe('refresh_token')
  })

  it('a failing helper: its stderr, escaped and cut; a hanging one: the timeout; neither prints the output it gave', async () => {
    const registry = await basicRegistry()
    const failing = credentialHelperDir('bad', `cat >/dev/null; printf '\\033[2Jgpg: decryption failed. No secret key. %s\\n' "$(head -c 3000 /dev/zero | tr '\\\\0' y)" >&2; exit 3`)
    const dir = dockerConfigDir({ credsStore: 'bad' })
    const message = formatRegistryError(left(await resolve(`${registry.host}/app:1.0`, { dockerConfig: dir, env: { PATH: `${failing}:/usr/bin:/bin` } })))
    expect(message).toBe(
      `${registry.host}/app:1.0: could not get the credentials for registry ${registry.host} from the credential helper docker-credential-bad: it failed (exit status 3): \\u001b[2Jgpg: decryption failed….`,
    )
    const hanging = credentialHelperDir('slow', 'exec sleep 30')
    const slow = dockerConfigDir({ credsStore: 'slow' })
    expect(formatRegistryError(left(await resolve(`${registry.host}/app:1.0`, { dockerConfig: slow, env: { PATH: `${hanging}:/usr/bin:/bin` }, credentialHelperTimeoutMs: 200 })))).toBe(
      `${registry.host}/app:1.0: could not get the credentials for registry ${registry.host} from the credential helper docker-credential-slow: it did not answer within 200 ms.`,
    )
    const garbled = credentialHelperDir('garbled', `cat >/dev/null; echo 'Secret: hunter2'`)
    const g = formatRegistryError(left(await resolve(`${registry.host}/app:1.0`, { dockerConfig: dockerConfigDir({ credsStore: 'garbled' }), env: { PATH: `${garbled}:/usr/bin:/bin` } })))
    expect(g).toContain('its answer is not the JSON object')
    expect(g).not.toContain('hunter2')
  })
})

/** Whether a process is gone: no such process, or a zombie (dead, waiting for its parent to reap it). */
const processGone = (pid: number): boolean => {
  try {
    // The state is the field after the command name, which is in parentheses.
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').startsWith('Z')
  } catch {
    return true
  }
}

describe.skipIf(process.platform !== 'linux')('a credential helper that times out is killed with everything it started', () => {
  it('its process group is killed: a child it left sleeping is gone too', async () => {
    const bin = credentialHelperDir('spawner', `sleep 300 &\necho $! > "$(dirname "$0")/child.pid"\nwait`)
    const answer = await runHelper('spawner', 'registry.test', { env: { PATH: `${bin}:/usr/bin:/bin` }, timeoutMs: 2_000 })
    expect(answer).toStrictEqual(E.left('it did not answer within 2 s'))
    expect(existsSync(join(bin, 'child.pid')), 'the helper had not started its child before the timeout').toBe(true)
    const pid = Number(readFileSync(join(bin, 'child.pid'), 'utf8'))
    try {
      // A signal is delivered at once; the kernel may take a moment to show the state.
      for (let i = 0; i < 100 && !processGone(pid); i++) await new Promise((done) => setTimeout(done, 50))
      expect(processGone(pid), `sleep (pid ${pid}) outlived the helper`).toBe(true)
    } finally {
      if (!processGone(pid)) process.kill(pid, 'SIGKILL')
    }
  })
})

/** Debian's docker-credential-pass (golang-docker-credential-helpers) over `pass` and gpg: a real helper. */
const PASS_HELPER = '/usr/bin/docker-credential-pass'
const passMissing = !existsSync(PASS_HELPER) || spawnSync('sh', ['-c', 'command -v pass && command -v gpg']).status !== 0
const passSkip = passMissing && process.env.IMGCFG_SKIP_REGISTRY === '1'
if (passSkip) console.warn(`NOTICE: ${PASS_HELPER}, pass or gpg is missing and IMGCFG_SKIP_REGISTRY=1: the real credential helper test is skipped.`)

describe.skipIf(passSkip)('a real credential helper: docker-credential-pass', () => {
  const home = tempDir('imgcfg-pass-')
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, GNUPGHOME: join(home, 'gnupg'), PASSWORD_STORE_DIR: join(home, 'store') }
  afterAll(() => {
    // The gpg-agent gpg started for this home.
    spawnSync('gpgconf', ['--kill', 'gpg-agent'], { env })
  })

  it('gives the credentials `pass` keeps for the registry', async () => {
    if (passMissing) {
      throw new Error(`${PASS_HELPER}, pass or gpg is missing: install golang-docker-credential-helpers and pass (scripts/setup.sh does), or set IMGCFG_SKIP_REGISTRY=1 to skip.`)
    }
    const { bytes } = fakeManifest()
    const registry = await serve((req, res) => {
      if (req.headers.authorization !== `Basic ${basicAuth('flyte', 'hunter2')}`) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="r"' })
        res.end()
        return
      }
      res.writeHead(200, { 'Content-Type': MEDIA.ociManifest })
      res.end(bytes)
    })
    const sh = (script: string, input?: string) => {
      const r = spawnSync('sh', ['-c', script], { env, encoding: 'utf8', ...(input !== undefined ? { input } : {}) })
      if (r.status !== 0) throw new Error(`${script}: ${r.stderr}`)
      return r.stdout
    }
    sh('mkdir -m 700 "$GNUPGHOME" && gpg --batch --pinentry-mode loopback --passphrase "" --quick-gen-key "imgcfg test <test@example.invalid>" future-default default never')
    const fingerprint = /^fpr:+([0-9A-F]+):/m.exec(sh('gpg --list-keys --with-colons'))![1]!
    sh(`pass init ${fingerprint}`)
    sh('docker-credential-pass store', JSON.stringify({ ServerURL: registry.host, Username: 'flyte', Secret: 'hunter2' }))
    const dir = dockerConfigDir({ credsStore: 'pass' })
    expect(right(await resolve(`${registry.host}/app:1.0`, { dockerConfig: dir, env })).digest).toBe(fakeManifest().digest)
    // Another registry: pass has nothing, so no credentials are sent and the 401 names the helper.
    const other = await serve((_req, res) => {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="r"' })
      res.end()
    })
    expect(formatRegistryError(left(await resolve(`${other.host}/app:1.0`, { dockerConfig: dir, env })))).toContain(
      'The credential helper docker-credential-pass has no credentials for it',
    )
    expect(other.requests.every((r) => r.authorization === undefined)).toBe(true)
  })
})
