/**
 * The pure parts: where a reference is asked about (normalisation, Docker Hub's API host, the
 * scheme), WWW-Authenticate challenges, Docker config files, and the messages.
 */
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { Image } from '@imgcfg/core/Image'
import {
  credentialsFor,
  formatRegistryError,
  parseChallenges,
  parseDockerConfig,
  readDockerConfig,
  resolveDigest,
  Target,
  verifyImages,
  type RegistryOptions,
  type ResolveError,
} from '../src/index.js'

const DIGEST = `sha256:${'a'.repeat(64)}`

const target = (ref: string, insecureRegistries: ReadonlyArray<string> = []) => {
  const t = Target.fromReference(ref, { insecureRegistries })
  if (E.isLeft(t)) throw new Error(`${ref}: ${t.left.reason}`)
  return { url: Target.manifestUrl(t.right), registry: t.right.registry, pinned: Target.pinned(t.right, DIGEST) }
}

describe('names are normalised as docker pull does, and Docker Hub is asked at its API host', () => {
  it.each([
    // The pinned name keeps the tag as written (none written: none kept, though `latest` is asked).
    ['ubuntu', 'https://registry-1.docker.io/v2/library/ubuntu/manifests/latest', 'docker.io', 'ubuntu'],
    ['ubuntu:22.04', 'https://registry-1.docker.io/v2/library/ubuntu/manifests/22.04', 'docker.io', 'ubuntu:22.04'],
    ['docker.io/library/ubuntu:22.04', 'https://registry-1.docker.io/v2/library/ubuntu/manifests/22.04', 'docker.io', 'docker.io/library/ubuntu:22.04'],
    ['index.docker.io/bitnami/redis:7', 'https://registry-1.docker.io/v2/bitnami/redis/manifests/7', 'docker.io', 'index.docker.io/bitnami/redis:7'],
    ['ghcr.io/org/app:1.0', 'https://ghcr.io/v2/org/app/manifests/1.0', 'ghcr.io', 'ghcr.io/org/app:1.0'],
    [`ghcr.io/org/app:1.0@${DIGEST}`, `https://ghcr.io/v2/org/app/manifests/${DIGEST}`, 'ghcr.io', 'ghcr.io/org/app:1.0'],
  ])('%s', (ref, url, registry, fqn) => {
    expect(target(ref)).toStrictEqual({ url, registry, pinned: `${fqn}@${DIGEST}` })
  })
})

describe('plain HTTP only for loopback registries and those listed as insecure', () => {
  it.each([
    ['localhost:5000/app:1', 'http'],
    ['localhost/app:1', 'http'],
    ['127.0.0.1:5000/app:1', 'http'],
    ['127.10.20.30:5000/app:1', 'http'],
    ['[::1]:5000/app:1', 'http'],
    ['128.0.0.1:5000/app:1', 'https'],
    ['127.0.0.1.example.com/app:1', 'https'],
    ['registry.lan:5000/app:1', 'https'],
    ['localhost.example.com/app:1', 'https'],
  ])('%s: %s', (ref, scheme) => {
    expect(target(ref).url.split(':')[0]).toBe(scheme)
  })

  it('an insecure registry is matched by host:port exactly as written', () => {
    expect(target('registry.lan:5000/app:1', ['registry.lan:5000']).url).toBe('http://registry.lan:5000/v2/app/manifests/1')
    expect(target('registry.lan:5001/app:1', ['registry.lan:5000']).url).toBe('https://registry.lan:5001/v2/app/manifests/1')
    expect(target('registry.lan/app:1', ['registry.lan']).url).toBe('http://registry.lan/v2/app/manifests/1')
  })
})

describe('references the registry cannot be asked about are core errors', () => {
  it.each(['ghcr.io/Org/app:1', 'app:tag!', '', `app@sha256:abc`])('%j', (ref) => {
    const t = Target.fromReference(ref)
    expect(E.isLeft(t) && t.left._tag).toBe('InvalidReference')
  })
})

describe('WWW-Authenticate challenges', () => {
  it('reads Bearer parameters, quoted or not', () => {
    expect(
      parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/ubuntu:pull"'),
    ).toStrictEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/ubuntu:pull' } },
    ])
    expect(parseChallenges('Basic realm=Registry')).toStrictEqual([{ scheme: 'basic', params: { realm: 'Registry' } }])
  })

  it('reads several challenges, escapes and odd spacing', () => {
    expect(parseChallenges('Basic realm="a \\"b\\"" , BEARER Realm = "https://x/t", error="insufficient_scope"')).toStrictEqual([
      { scheme: 'basic', params: { realm: 'a "b"' } },
      { scheme: 'bearer', params: { realm: 'https://x/t', error: 'insufficient_scope' } },
    ])
  })

  it('is total on junk', () => {
    for (const junk of ['', ',,,', '=', 'realm="x"', '"unterminated', 'Bearer realm="x', '\u0000\u0001']) {
      expect(() => parseChallenges(junk)).not.toThrow()
    }
    expect(parseChallenges('Bearer realm="x')).toStrictEqual([{ scheme: 'bearer', params: { realm: 'x' } }])
  })
})

describe('Docker config files', () => {
  const config = (json: unknown) => {
    const c = parseDockerConfig(json, '/home/me/.docker/config.json')
    if (E.isLeft(c)) throw new Error(c.left.detail)
    return c.right
  }

  it('finds Docker Hub credentials under the key docker login writes', () => {
    const c = config({ auths: { 'https://index.docker.io/v1/': { auth: Buffer.from('me:pw').toString('base64') } } })
    expect(credentialsFor(c, 'docker.io')).toStrictEqual({ _tag: 'Basic', username: 'me', password: 'pw', source: '/home/me/.docker/config.json' })
  })

  it('matches keys written as URLs, case-insensitively', () => {
    const c = config({ auths: { 'https://GHCR.io/v2/': { username: 'u', password: 'p:with:colons' } } })
    expect(credentialsFor(c, 'ghcr.io')).toMatchObject({ username: 'u', password: 'p:with:colons' })
    expect(credentialsFor(c, 'ghcr.io:443')).toBeUndefined()
  })

  it('prefers an identity token, then a registry token, then a password', () => {
    const auth = Buffer.from('u:p').toString('base64')
    expect(credentialsFor(config({ auths: { r: { auth, identitytoken: 'i' } } }), 'r')).toMatchObject({ _tag: 'IdentityToken', token: 'i' })
    expect(credentialsFor(config({ auths: { r: { auth, registrytoken: 't' } } }), 'r')).toMatchObject({ _tag: 'RegistryToken', token: 't' })
  })

  it('skips entries it cannot use, and refuses what is not an object', () => {
    const c = config({ auths: { a: 'x', b: {}, c: { auth: 'bm9jb2xvbg==' /* "nocolon" */ } }, credHelpers: [] })
    expect([credentialsFor(c, 'a'), credentialsFor(c, 'b'), credentialsFor(c, 'c')]).toStrictEqual([undefined, undefined, undefined])
    expect(parseDockerConfig([], 'x.json')).toStrictEqual(E.left({ _tag: 'DockerConfigUnreadable', path: 'x.json', detail: 'it is not a JSON object' }))
  })
})

describe('messages name the image and the registry', () => {
  const about = { image: 'ghcr.io/org/app:2.0', registry: 'ghcr.io' }
  it.each<[ResolveError, string]>([
    [
      { _tag: 'ManifestUnknown', ...about, repository: 'org/app', reference: '2.0', tags: Array.from({ length: 12 }, (_, i) => `1.${i}`) },
      'ghcr.io/org/app:2.0: tag "2.0" not found in repository "org/app" on registry ghcr.io. Tags there: 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9, … (12 in all).',
    ],
    [
      { _tag: 'ManifestUnknown', ...about, repository: 'org/app', reference: '2.0', tags: [] },
      'ghcr.io/org/app:2.0: tag "2.0" not found in repository "org/app" on registry ghcr.io. The repository has no tags.',
    ],
    [
      { _tag: 'RegistryDenied', ...about, status: 403, credentials: '/c.json', detail: 'denied' },
      'ghcr.io/org/app:2.0: registry ghcr.io denied access with the credentials from /c.json: 403 Forbidden ("denied").',
    ],
    [
      { _tag: 'RegistryUnreachable', ...about, url: 'https://ghcr.io/v2/', reason: 'tls' },
      'ghcr.io/org/app:2.0: cannot reach registry ghcr.io (https://ghcr.io/v2/): the TLS handshake failed (if it serves plain HTTP, list it as an insecure registry: --insecure-registry host:port).',
    ],
    [
      { _tag: 'RegistryUnreachable', ...about, url: 'https://ghcr.io/v2/', reason: 'timeout', timeoutMs: 10_000 },
      'ghcr.io/org/app:2.0: cannot reach registry ghcr.io (https://ghcr.io/v2/): no answer within 10 s.',
    ],
    [{ _tag: 'MissingTagOrDigest', identifier: 'x' }, 'Incorrectly formatted image x, missing tag or digest. Add a tag (x:1.0) or a digest (x@sha256:…).'],
  ])('%j', (e, message) => {
    expect(formatRegistryError(e)).toBe(message)
  })
})

describe('nothing throws, whatever it is handed', () => {
  // None of these is a reference a registry could be asked about, so no request is made.
  const junk: ReadonlyArray<unknown> = [undefined, null, 5, {}, [], { fqn: 7 }, '', 'ghcr.io/Org/app:1', '::::']

  it.each(junk.map((j) => [j]))('resolveDigest(%j) is an InvalidReference', async (j) => {
    const r = await resolveDigest(j as string, null as unknown as RegistryOptions)()
    expect(E.isLeft(r) && r.left._tag).toBe('InvalidReference')
  })

  it('verifyImages of junk checks nothing, or gives each image its error', async () => {
    expect(await verifyImages(null as unknown as [], undefined)()).toStrictEqual([])
    expect(await verifyImages({} as unknown as [])()).toStrictEqual([])
    const checks = await verifyImages([{ name: 'a' } as unknown as Image, null as unknown as Image])()
    expect(checks.map((c) => E.isLeft(c.result) && c.result.left._tag)).toStrictEqual(['InvalidReference', 'InvalidReference'])
  })

  it('the parsers are total', () => {
    for (const j of junk) {
      expect(() => parseChallenges(j as string)).not.toThrow()
      expect(() => parseDockerConfig(j, 'x')).not.toThrow()
      expect(() => readDockerConfig(j as object)).not.toThrow()
    }
  })
})
