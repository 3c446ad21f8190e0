/**
 * resolveDigest and verifyImages against a real registry: Debian's docker-registry, started on
 * 127.0.0.1 at a free port, with images pushed by plain HTTP calls; an htpasswd-protected one;
 * and a small bearer-token server in front of the real one.
 */
import { join } from 'node:path'
import * as Image from '@imgcfg/core/Image'
import * as ImageConfig from '@imgcfg/core/ImageConfig'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { formatRegistryError, verifyImages } from '../src/index.js'
import {
  basicAuth,
  dockerConfigDir,
  freePort,
  MEDIA,
  pushImage,
  registryAvailable,
  registrySkipReason,
  removeTempDirs,
  requireRegistry,
  startRegistry,
  startTokenProxy,
  type LocalRegistry,
  type Pushed,
  type TokenProxy,
} from '@imgcfg/test-utils/registry'
import { FAST, left, resolve, right } from './helpers.js'

const SKIP = registrySkipReason()
if (SKIP !== undefined) console.warn(SKIP)


describe.skipIf(SKIP !== undefined)('against a real registry', () => {
  let registry: LocalRegistry
  const pushed: Record<string, Pushed> = {}

  beforeAll(async () => {
    if (!registryAvailable()) return
    registry = await startRegistry()
    pushed['app:1.0'] = await pushImage(registry, 'app', '1.0', 'oci-manifest')
    pushed['app:multi'] = await pushImage(registry, 'app', 'multi', 'oci-index')
    pushed['app:latest'] = await pushImage(registry, 'app', 'latest', 'oci-manifest')
    pushed['team/legacy:1.0'] = await pushImage(registry, 'team/legacy', '1.0', 'docker-manifest')
    pushed['team/legacy:list'] = await pushImage(registry, 'team/legacy', 'list', 'docker-list')
  })

  afterAll(async () => {
    await registry?.stop()
    removeTempDirs()
  })

  // Thrown here rather than in beforeAll so that every test counts as failed, not skipped.
  beforeEach(requireRegistry)

  describe('resolveDigest reads the digest and media type of what a tag points at', () => {
    it.each([
      ['app:1.0', MEDIA.ociManifest],
      ['app:multi', MEDIA.ociIndex],
      ['team/legacy:1.0', MEDIA.dockerManifest],
      ['team/legacy:list', MEDIA.dockerList],
    ])('%s', async (name, mediaType) => {
      const result = right(await resolve(`${registry.host}/${name}`))
      expect(result).toStrictEqual({
        digest: pushed[name]!.digest,
        mediaType,
        pinned: `${registry.host}/${name}@${pushed[name]!.digest}`,
        registry: registry.host,
        repository: name.split(':')[0],
      })
    })

    it('an image with neither tag nor digest means latest, as docker pull does', async () => {
      expect(right(await resolve(`${registry.host}/app`)).digest).toBe(pushed['app:latest']!.digest)
    })

    it('takes an Image as well as a string', async () => {
      const image = Image.make({ name: 'gpu', fqn: `${registry.host}/app`, tag: 'multi' })
      expect(E.isRight(image) && right(await resolve(image.right)).digest).toBe(pushed['app:multi']!.digest)
    })

    it('a digest reference is checked by reading the manifest of that digest', async () => {
      const digest = pushed['team/legacy:list']!.digest
      const result = right(await resolve(`${registry.host}/team/legacy@${digest}`))
      expect([result.digest, result.mediaType]).toStrictEqual([digest, MEDIA.dockerList])
      // With a tag too, the digest pins it; the tag is only a label.
      expect(right(await resolve(`${registry.host}/team/legacy:nonexistent@${digest}`)).digest).toBe(digest)
    })
  })

  describe('missing images say whether the tag or the whole repository is missing', () => {
    it('a missing tag lists the tags the repository has', async () => {
      const e = left(await resolve(`${registry.host}/app:2.0`))
      expect(e).toMatchObject({ _tag: 'ManifestUnknown', repository: 'app', reference: '2.0', tags: ['1.0', 'latest', 'multi'] })
      expect(formatRegistryError(e)).toBe(
        `${registry.host}/app:2.0: tag "2.0" not found in repository "app" on registry ${registry.host}. Tags there: 1.0, latest, multi.`,
      )
    })

    it('a missing repository', async () => {
      const e = left(await resolve(`${registry.host}/nope/app:1.0`))
      expect(e).toMatchObject({ _tag: 'RepositoryUnknown', repository: 'nope/app' })
      expect(formatRegistryError(e)).toBe(`${registry.host}/nope/app:1.0: repository "nope/app" does not exist on registry ${registry.host}.`)
    })

    it('a missing digest', async () => {
      const digest = `sha256:${'0'.repeat(64)}`
      const e = left(await resolve(`${registry.host}/app@${digest}`))
      expect(e).toMatchObject({ _tag: 'ManifestUnknown', reference: digest })
      expect(formatRegistryError(e)).toContain(`manifest ${digest} not found in repository "app"`)
    })

    it('an invalid reference is core\'s error, before any request', async () => {
      const e = left(await resolve(`${registry.host}/App:1`))
      expect(e._tag).toBe('InvalidReference')
      expect(formatRegistryError(e)).toMatch(/repository name must be lowercase/)
    })
  })

  describe('a registry that is down', () => {
    it('is unreachable, named with the image', async () => {
      const port = await freePort()
      const e = left(await resolve(`127.0.0.1:${port}/app:1.0`))
      expect(e).toMatchObject({ _tag: 'RegistryUnreachable', reason: 'refused', registry: `127.0.0.1:${port}` })
      expect(formatRegistryError(e)).toBe(
        `127.0.0.1:${port}/app:1.0: cannot reach registry 127.0.0.1:${port} (http://127.0.0.1:${port}/v2/app/manifests/1.0): connection refused (is it running, and on that port?).`,
      )
    })
  })

  describe('verifyImages checks a whole configuration', () => {
    it('gives each image its result, in order, asking once per distinct reference', async () => {
      const config = ImageConfig.fromImages(`${registry.host}/app:1.0`, {
        gpu: `${registry.host}/app:multi`,
        old: `${registry.host}/team/legacy:list`,
        gone: `${registry.host}/app:2.0`,
        again: `${registry.host}/app:1.0`,
      })
      if (E.isLeft(config)) throw new Error('bad config')
      const progress: Array<[number, number]> = []
      const checks = await verifyImages(config.right, { ...FAST, onProgress: (done, total) => progress.push([done, total]) })()
      expect(checks.map((c) => [c.image.name, E.isRight(c.result) ? c.result.right.digest : c.result.left._tag])).toStrictEqual([
        ['default', pushed['app:1.0']!.digest],
        ['gpu', pushed['app:multi']!.digest],
        ['old', pushed['team/legacy:list']!.digest],
        ['gone', 'ManifestUnknown'],
        ['again', pushed['app:1.0']!.digest],
      ])
      expect(progress.map(([done]) => done)).toStrictEqual([1, 2, 3, 4, 5])
      expect(progress.every(([, total]) => total === 5)).toBe(true)
    })
  })

  describe('a registry with htpasswd basic auth', () => {
    let secure: LocalRegistry
    let image: string
    let digest: string

    beforeAll(async () => {
      if (!registryAvailable()) return
      secure = await startRegistry({ htpasswd: { username: 'flyte', password: 's3cret' } })
      digest = (await pushImage(secure, 'private/app', '1.0', 'oci-index')).digest
      image = `${secure.host}/private/app:1.0`
    })

    afterAll(async () => {
      await secure?.stop()
    })

    it('without credentials: 401, with advice', async () => {
      const e = left(await resolve(image, { home: dockerConfigDir({}) }))
      expect(e).toMatchObject({ _tag: 'RegistryDenied', status: 401 })
      expect(formatRegistryError(e)).toBe(
        `${image}: registry ${secure.host} denied access without credentials: 401 Unauthorized ("authentication required"). Log in (docker login ${secure.host}) or point --docker-config at a config.json with credentials; some registries also answer this way for a repository that does not exist.`,
      )
    })

    it('with an auth entry of a Docker config file named by dockerConfig', async () => {
      const dir = dockerConfigDir({ auths: { [secure.host]: { auth: basicAuth('flyte', 's3cret') } } })
      expect(right(await resolve(image, { dockerConfig: join(dir, 'config.json') })).digest).toBe(digest)
      // A directory holding config.json works too.
      expect(right(await resolve(image, { dockerConfig: dir })).digest).toBe(digest)
    })

    it('with username and password from $DOCKER_CONFIG, keyed by URL as docker login may write it', async () => {
      const dir = dockerConfigDir({ auths: { [`http://${secure.host}/v2/`]: { username: 'flyte', password: 's3cret' } } })
      expect(right(await resolve(image, { env: { DOCKER_CONFIG: dir } })).digest).toBe(digest)
    })

    it('with ~/.docker/config.json', async () => {
      const home = dockerConfigDir({})
      const dir = dockerConfigDir({ auths: { [secure.host]: { auth: basicAuth('flyte', 's3cret') } } })
      const { renameSync } = await import('node:fs')
      renameSync(dir, join(home, '.docker'))
      expect(right(await resolve(image, { home })).digest).toBe(digest)
    })

    it('wrong credentials: 401 naming the file they came from', async () => {
      const dir = dockerConfigDir({ auths: { [secure.host]: { auth: basicAuth('flyte', 'wrong') } } })
      const e = left(await resolve(image, { dockerConfig: dir }))
      expect(e).toMatchObject({ _tag: 'RegistryDenied', status: 401, credentials: join(dir, 'config.json') })
      expect(formatRegistryError(e)).toBe(
        `${image}: registry ${secure.host} denied access with the credentials from ${join(dir, 'config.json')}: 401 Unauthorized ("authentication required").`,
      )
    })

    it('a credential helper that is not installed is an error naming it, the image and the registry', async () => {
      const dir = dockerConfigDir({ credHelpers: { [secure.host]: 'imgcfg-absent' } })
      const e = left(await resolve(image, { dockerConfig: dir, env: { PATH: dir } }))
      expect(e).toMatchObject({ _tag: 'CredentialHelperFailure', helper: 'imgcfg-absent' })
      expect(formatRegistryError(e)).toBe(
        `${image}: could not get the credentials for registry ${secure.host} from the credential helper docker-credential-imgcfg-absent: it is not installed (no docker-credential-imgcfg-absent on PATH).`,
      )
    })

    it('a Docker config file named explicitly must exist and be JSON', async () => {
      const dir = dockerConfigDir({})
      expect(formatRegistryError(left(await resolve(image, { dockerConfig: join(dir, 'missing.json') })))).toBe(
        `${image}: cannot use the Docker config file "${join(dir, 'missing.json')}" (registry ${secure.host} asked for credentials): no such file.`,
      )
      const { writeFileSync } = await import('node:fs')
      writeFileSync(join(dir, 'config.json'), '{"auths": ')
      expect(formatRegistryError(left(await resolve(image, { dockerConfig: dir })))).toBe(
        `${image}: cannot use the Docker config file "${join(dir, 'config.json')}" (registry ${secure.host} asked for credentials): it is not valid JSON (it ends too early).`,
      )
    })
  })

  describe('a registry with bearer tokens (a token server in front of the real registry)', () => {
    let proxy: TokenProxy

    beforeAll(async () => {
      if (!registryAvailable()) return
      proxy = await startTokenProxy(registry)
    })

    afterAll(async () => {
      await proxy?.stop()
    })

    beforeEach(() => {
      if (proxy === undefined) return
      Object.assign(proxy.state, { failures: [], stripDigest: false, hang: false, delayMs: 0, realm: undefined, identityToken: undefined })
      proxy.state.tokenRequests.length = 0
      proxy.state.requests.length = 0
      proxy.state.maxInFlight = 0
    })

    it('gets an anonymous token from the realm the challenge names, for the pull scope', async () => {
      expect(right(await resolve(`${proxy.host}/app:multi`)).digest).toBe(pushed['app:multi']!.digest)
      expect(proxy.state.tokenRequests).toStrictEqual([
        { method: 'GET', params: { service: 'imgcfg-test-registry', scope: 'repository:app:pull' } },
      ])
    })

    it('exchanges an identity token from the Docker config file (OAuth2 refresh-token grant)', async () => {
      proxy.state.identityToken = 'refresh-me'
      const dir = dockerConfigDir({ auths: { [proxy.host]: { auth: basicAuth('<token>', ''), identitytoken: 'refresh-me' } } })
      expect(right(await resolve(`${proxy.host}/app:1.0`, { dockerConfig: dir })).digest).toBe(pushed['app:1.0']!.digest)
      expect(proxy.state.tokenRequests).toMatchObject([
        { method: 'POST', params: { grant_type: 'refresh_token', refresh_token: 'refresh-me', service: 'imgcfg-test-registry', scope: 'repository:app:pull' } },
      ])
    })

    it('sends basic credentials to the token service, not to the registry', async () => {
      const dir = dockerConfigDir({ auths: { [proxy.host]: { auth: basicAuth('flyte', 'pw') } } })
      expect(E.isRight(await resolve(`${proxy.host}/app:1.0`, { dockerConfig: dir }))).toBe(true)
      expect(proxy.state.tokenRequests).toMatchObject([{ method: 'GET', params: { account: 'flyte' }, authorization: `Basic ${basicAuth('flyte', 'pw')}` }])
    })

    it('asks for one token per repository, however many images', async () => {
      const checks = await verifyImages(
        ['1.0', 'multi', 'latest'].map((tag) => ({ name: tag, fqn: `${proxy.host}/app`, tag })),
        { ...FAST, concurrency: 1 },
      )()
      expect(checks.every((c) => E.isRight(c.result))).toBe(true)
      expect(proxy.state.tokenRequests).toHaveLength(1)
    })

    it('without a Docker-Content-Digest header, hashes the manifest it GETs', async () => {
      proxy.state.stripDigest = true
      const result = right(await resolve(`${proxy.host}/team/legacy:list`))
      expect([result.digest, result.mediaType]).toStrictEqual([pushed['team/legacy:list']!.digest, MEDIA.dockerList])
      // The first GET earns the challenge, the second (with the token) reads the manifest.
      expect(proxy.state.requests.filter((r) => r.includes('/manifests/'))).toStrictEqual([
        'GET /v2/team/legacy/manifests/list',
        'GET /v2/team/legacy/manifests/list',
      ])
    })

    it('retries 429 and 5xx answers with backoff, a bounded number of times', async () => {
      proxy.state.failures = [503, 429]
      expect(right(await resolve(`${proxy.host}/app:1.0`, { retries: 2 })).digest).toBe(pushed['app:1.0']!.digest)
      proxy.state.failures = [503, 502, 500, 503]
      const e = left(await resolve(`${proxy.host}/app:1.0`, { retries: 2 }))
      expect(e).toMatchObject({ _tag: 'RegistryResponseError', status: 500, attempts: 3 })
      expect(formatRegistryError(e)).toBe(
        `${proxy.host}/app:1.0: registry ${proxy.host} answered HTTP 500 (UNAVAILABLE: injected 500) after 3 attempts for http://${proxy.host}/v2/app/manifests/1.0.`,
      )
    })

    it('gives up on a registry that does not answer in time', async () => {
      proxy.state.hang = true
      // Without the 300 ms timeout the request would hang until the test's own timeout fails it.
      const e = left(await resolve(`${proxy.host}/app:1.0`, { timeoutMs: 300 }))
      expect(e).toMatchObject({ _tag: 'RegistryUnreachable', reason: 'timeout', timeoutMs: 300 })
      // The first request earns the 401 challenge; the one with the token gets no answer and is not retried.
      expect(proxy.state.requests).toStrictEqual(['GET /v2/app/manifests/1.0', 'GET /v2/app/manifests/1.0'])
      expect(formatRegistryError(e)).toBe(
        `${proxy.host}/app:1.0: cannot reach registry ${proxy.host} (http://${proxy.host}/v2/app/manifests/1.0): no answer within 300 ms.`,
      )
    })

    it('checks at most `concurrency` images at a time', async () => {
      proxy.state.delayMs = 40
      const images = Array.from({ length: 8 }, (_, i) => ({ name: `i${i}`, fqn: `${proxy.host}/app`, tag: i % 2 ? '1.0' : `v${i}` }))
      await verifyImages(images, { ...FAST, concurrency: 2 })()
      expect(proxy.state.maxInFlight).toBe(2)
    })

    it('refuses a token service over plain HTTP on a host that is not allowed it', async () => {
      proxy.state.realm = 'http://auth.example.invalid/token'
      const e = left(await resolve(`${proxy.host}/app:1.0`))
      expect(formatRegistryError(e)).toBe(
        `${proxy.host}/app:1.0: could not get a token for registry ${proxy.host} from http://auth.example.invalid/token: refusing a token service over http (only HTTPS, or plain HTTP to loopback or insecure registries).`,
      )
      expect(proxy.state.tokenRequests).toHaveLength(0)
    })
  })
})
