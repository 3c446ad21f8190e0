/**
 * Laws of the pure pieces that meet registry and file text: the JSON error locator of the Docker
 * config reader, the text cutter and URL redactor of messages, the version order of tags, the
 * challenge parser and the manifest checks of resolveDigest (through a fake fetch, no network).
 */
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { syntaxErrorAt } from '../src/DockerConfig.js'
import { compareVersions, formatRegistryError, parseChallenges, resolveDigest } from '../src/index.js'
import { redactUrl, said } from '../src/text.js'

const runs = { numRuns: 1000 }
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/

describe('law: syntaxErrorAt agrees with JSON.parse', () => {
  it('valid JSON has no error; invalid JSON has one inside the text (or at its end)', () => {
    const json = fc.jsonValue().map((v) => JSON.stringify(v, null, 2))
    // Valid documents, and the same documents broken by a cut or a stray character.
    const text = fc.oneof(
      json,
      fc.tuple(json, fc.nat()).map(([t, n]) => t.slice(0, n % (t.length + 1))),
      fc.tuple(json, fc.nat(), fc.constantFrom('x', '}', ',', '"', ':', ' ', '\n', '\u0001')).map(([t, n, c]) => {
        const at = n % (t.length + 1)
        return t.slice(0, at) + c + t.slice(at)
      }),
    )
    fc.assert(
      fc.property(text, (t) => {
        let valid = true
        try {
          JSON.parse(t)
        } catch {
          valid = false
        }
        const at = syntaxErrorAt(t)
        expect(at >= 0 && at <= t.length).toBe(true)
        // Valid: no error. Invalid: the offset is inside the text, or its end when it ends too early.
        if (valid) expect(at).toBe(t.length)
      }),
      runs,
    )
  })

  it('is total on any string', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => typeof syntaxErrorAt(s) === 'number'), runs)
  })
})

describe('law: what reaches the terminal', () => {
  it('said() has no control character, is short, and never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (s) => {
        const out = said(s)
        expect(out).not.toMatch(CONTROL)
        // 160 characters at most, each escaped to at most 6, and the ellipsis.
        expect(out.length).toBeLessThanOrEqual(160 * 6 + 1)
      }),
      runs,
    )
  })

  it('redactUrl() never shows the password or user of a URL', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{6,20}$/)
    fc.assert(
      fc.property(secret, secret, fc.constantFrom('https', 'http'), (user, password, scheme) => {
        const out = redactUrl(`${scheme}://${user}:${password}@auth.example/token?service=x`)
        expect(out).toBe(`${scheme}://auth.example/token?service=x`)
      }),
      runs,
    )
  })
})

describe('law: compareVersions is a total order', () => {
  const tag = fc.stringMatching(/^[\w][\w.-]{0,12}$/)
  it('antisymmetric, transitive, and 0 only for equal tags', () => {
    fc.assert(
      fc.property(tag, tag, tag, (a, b, c) => {
        expect(Math.sign(compareVersions(a, b)) + Math.sign(compareVersions(b, a))).toBe(0)
        expect(compareVersions(a, b) === 0).toBe(a === b)
        if (compareVersions(a, b) <= 0 && compareVersions(b, c) <= 0) expect(compareVersions(a, c)).toBeLessThanOrEqual(0)
      }),
      runs,
    )
  })
  it('numbers compare as numbers', () => {
    fc.assert(fc.property(fc.nat(10_000), fc.nat(10_000), (x, y) => Math.sign(compareVersions(`1.${x}`, `1.${y}`)) === Math.sign(x - y)), runs)
  })
})

describe('law: parseChallenges is total', () => {
  it('any header gives challenges with string parameters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (h) => {
        for (const c of parseChallenges(h)) {
          expect(typeof c.scheme).toBe('string')
          for (const v of Object.values(c.params)) expect(typeof v).toBe('string')
        }
      }),
      runs,
    )
  })
})

describe('law: a verified digest is the hash of the body, whatever the registry says', () => {
  it('any body and headers: Right only for a manifest whose sha256 is the digest; messages stay visible', async () => {
    const manifest = fc.record({ schemaVersion: fc.constant(2), config: fc.constant({ digest: 'sha256:x' }), note: fc.string() })
    const body = fc.oneof(manifest.map((m) => JSON.stringify(m)), fc.string({ unit: 'binary', maxLength: 200 }), fc.jsonValue().map((v) => JSON.stringify(v)))
    const contentType = fc.oneof(fc.constant('application/vnd.oci.image.manifest.v1+json'), fc.constant('text/html'), fc.string({ unit: 'binary', maxLength: 40 }))
    const header = fc.option(fc.oneof(fc.stringMatching(/^sha256:[a-f0-9]{64}$/), fc.string({ unit: 'binary', maxLength: 80 })), { nil: undefined })
    await fc.assert(
      fc.asyncProperty(body, contentType, header, async (b, ct, h) => {
        const bytes = Buffer.from(b)
        const fetch = (async () => {
          const headers = new Headers()
          try {
            headers.set('content-type', ct)
            if (h !== undefined) headers.set('docker-content-digest', h)
          } catch {
            // A value Headers refuses: left out, as a real server could not send it either.
          }
          return new Response(bytes, { status: 200, headers })
        }) as typeof globalThis.fetch
        const r = await resolveDigest('registry.example/app:1.0', { fetch, retries: 0 })()
        const sha = `sha256:${createHash('sha256').update(bytes).digest('hex')}`
        if (E.isRight(r)) expect(r.right.digest).toBe(sha)
        else expect(formatRegistryError(r.left)).not.toMatch(CONTROL)
      }),
      { numRuns: 300 },
    )
  })
})
