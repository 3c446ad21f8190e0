import { readFileSync } from 'node:fs'
import { costRatio } from '@imgcfg/test-utils/cost'
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import * as Reference from '../src/Reference.js'
import { formatError } from '../src/errors.js'
import type { InvalidReference, ReferenceReason } from '../src/errors.js'

// -------------------------------------------------------------------------------------
// conformance vectors (github.com/distribution/reference run as a Go program)
// -------------------------------------------------------------------------------------

type Expected =
  | {
      readonly ok: true
      readonly name: string
      readonly domain: string | null
      readonly path: string
      readonly tag: string | null
      readonly digest: string | null
      readonly familiar?: string
    }
  | { readonly error: ReferenceReason | 'any' }

interface Vector {
  readonly id: string
  readonly category: string
  readonly note?: string
  readonly input: string
  readonly imgcfg: { readonly parse: Expected; readonly normalized: Expected }
}

const suite = JSON.parse(
  readFileSync(new URL('./conformance/oci.json', import.meta.url), 'utf8'),
) as { readonly vectors: ReadonlyArray<Vector>; readonly meta: { readonly count: number } }

/**
 * A ReDoS vector may cost at most this many times a benign reference of the same length, both
 * measured here in CPU time (`@imgcfg/test-utils/cost`: the cheapest of several interleaved
 * runs, so neither a pause nor other processes' load counts). Backtracking would cost
 * thousands of times more.
 */
const REDOS_RATIO = 50

/** The cost of parsing `input` against a benign input of the same length, as a ratio. */
const redosRatio = (parse: (s: string) => unknown, input: string): number => {
  const benign = `a${'b'.repeat(Math.max(0, input.length - 1))}`
  return costRatio(() => parse(benign), () => parse(input))
}

/** The fields the vectors compare: absent is `null` there and must be absent (not '') here. */
const fields = (ref: Reference.Reference) => {
  for (const k of ['domain', 'tag', 'digest'] as const) expect(ref[k], k).not.toBe('')
  return {
    ok: true,
    name: ref.name,
    domain: ref.domain ?? null,
    path: ref.path,
    tag: ref.tag ?? null,
    digest: ref.digest ?? null,
  }
}

const check = (
  result: E.Either<InvalidReference, Reference.Reference>,
  expected: Expected,
  input: string,
  familiar?: (ref: Reference.Reference) => string,
) => {
  if ('error' in expected) {
    expect(E.isLeft(result), `expected a Left, got ${JSON.stringify(result)}`).toBe(true)
    if (E.isLeft(result)) {
      expect(result.left._tag).toBe('InvalidReference')
      expect(result.left.input).toBe(input)
      if (expected.error !== 'any') expect(result.left.reason).toBe(expected.error)
    }
    return
  }
  expect(E.isRight(result), `expected a Right, got ${JSON.stringify(result)}`).toBe(true)
  if (E.isRight(result)) {
    const { familiar: expectedFamiliar, ...rest } = expected
    expect(fields(result.right)).toEqual(rest)
    if (familiar !== undefined) {
      expect(familiar(result.right)).toBe(expectedFamiliar)
      expect((result.right as Reference.NormalizedReference).familiar).toBe(expectedFamiliar)
    }
  }
}

describe('conformance: oci.json', () => {
  it('has every vector', () => {
    expect(suite.vectors).toHaveLength(suite.meta.count)
    expect(suite.vectors).toHaveLength(362)
  })

  describe.each(suite.vectors.map((v) => [v.id, v] as const))('%s', (_id, v) => {
    const redos = v.category === 'adversarial/redos'

    it('parse', () => {
      check(Reference.parse(v.input), v.imgcfg.parse, v.input)
      if (redos) expect(redosRatio(Reference.parse, v.input)).toBeLessThan(REDOS_RATIO)
    })

    it('parseNormalizedNamed and familiarString', () => {
      check(Reference.parseNormalizedNamed(v.input), v.imgcfg.normalized, v.input, Reference.familiarString)
      if (redos) expect(redosRatio(Reference.parseNormalizedNamed, v.input)).toBeLessThan(REDOS_RATIO)
    })

    it('round-trips a valid reference through toString', () => {
      const parsed = Reference.parse(v.input)
      if (E.isRight(parsed)) expect(Reference.toString(parsed.right)).toBe(v.input)
    })
  })
})

// -------------------------------------------------------------------------------------
// behaviour
// -------------------------------------------------------------------------------------

const failure = (r: E.Either<InvalidReference, unknown>): InvalidReference => {
  if (E.isRight(r)) throw new Error(`expected a Left, got ${JSON.stringify(r.right)}`)
  return r.left
}

const reasonAndOffset = (r: E.Either<InvalidReference, unknown>) => {
  const { reason, offset } = failure(r)
  return { reason, offset }
}

describe('errors name the first offending character', () => {
  it.each([
    ['ghcr.io/Org/app:1', 'NameContainsUppercase', 8],
    ['Kubuntu', 'NameContainsUppercase', 0],
    ['example.com/Kubuntu', 'NameContainsUppercase', 12],
    ['a^a', 'ReferenceInvalidFormat', 1],
    ['ubuntu ', 'ReferenceInvalidFormat', 6],
    ['foo..bar', 'ReferenceInvalidFormat', 4],
    ['foo/bar-', 'ReferenceInvalidFormat', 8],
    ['foo:tag:tag', 'ReferenceInvalidFormat', 7],
    ['example.com:abc/foo', 'ReferenceInvalidFormat', 12],
    ['[::1/foo', 'ReferenceInvalidFormat', 4],
    ['foo_bar.com:8080/app', 'ReferenceInvalidFormat', 3],
    ['foo@sha256:' + 'e'.repeat(63) + 'g', 'ReferenceInvalidFormat', 74],
    ['foo@sha256:' + 'E'.repeat(64), 'DigestInvalidFormat', 11],
    ['foo@SHA256:' + 'e'.repeat(64), 'DigestInvalidFormat', 4],
    ['foo@sha256:' + 'e'.repeat(65), 'DigestInvalidLength', 75],
    ['foo@blake3:' + 'e'.repeat(64), 'DigestUnsupported', 4],
    ['x/' + 'a'.repeat(300), 'NameTooLong', 2 + 255],
  ] as const)('Reference.parse(%j) fails with %s at %d', (input, reason, offset) => {
    expect(reasonAndOffset(Reference.parse(input))).toEqual({ reason, offset })
  })

  it.each([
    // 'library/' is added before parsing; offsets still point into what the user wrote
    ['a'.repeat(260), 'NameTooLong', 255 - 8],
    ['docker.io/Foo', 'NameContainsUppercase', 10],
    ['foo@SHA256:' + 'e'.repeat(64), 'NameContainsUppercase', 4],
    ['index.docker.io/foo:bar:baz', 'ReferenceInvalidFormat', 23],
    ['example.com/foo bar', 'ReferenceInvalidFormat', 15],
    ['foo bar', 'ReferenceInvalidFormat', 3],
  ] as const)('Reference.parseNormalizedNamed(%j) fails with %s at %d', (input, reason, offset) => {
    expect(reasonAndOffset(Reference.parseNormalizedNamed(input))).toEqual({ reason, offset })
  })
})

describe('formatError says what is wrong and where', () => {
  it('uppercase in the repository path', () => {
    expect(formatError(failure(Reference.parse('ghcr.io/Org/app:1')))).toBe(
      `Invalid image reference "ghcr.io/Org/app:1": repository name must be lowercase (offset 8: 'O').`,
    )
  })

  it('a character outside the grammar', () => {
    expect(formatError(failure(Reference.parse('ubuntu:22.04 # comment')))).toBe(
      `Invalid image reference "ubuntu:22.04 # comment": unexpected ' ' at offset 12. ` +
        `Expected [domain[:port]/]path[:tag][@algorithm:hex], e.g. ghcr.io/org/app:1.0.`,
    )
  })

  it('a digest of the wrong length', () => {
    const input = `alpine@sha256:${'a'.repeat(63)}`
    expect(formatError(failure(Reference.parse(input)))).toBe(
      `Invalid image reference "${input}": digest has the wrong length for its algorithm ` +
        `(offset 77: end of input). sha256 takes 64 hex digits, sha384 96, sha512 128.`,
    )
  })

  it('a trailing separator', () => {
    expect(formatError(failure(Reference.parse('foo/bar-')))).toBe(
      `Invalid image reference "foo/bar-": it ends too early (offset 8). ` +
        `Expected [domain[:port]/]path[:tag][@algorithm:hex], e.g. ghcr.io/org/app:1.0.`,
    )
  })
})

describe('absent components are absent, never empty', () => {
  it('a bare name has no domain, tag or digest', () => {
    const ref = Reference.parse('ubuntu')
    expect(ref).toEqual(E.right({ name: 'ubuntu', path: 'ubuntu' }))
    if (E.isRight(ref)) {
      expect('domain' in ref.right).toBe(false)
      expect('tag' in ref.right).toBe(false)
      expect('digest' in ref.right).toBe(false)
    }
  })

  it('normalization adds docker.io and library/', () => {
    expect(Reference.parseNormalizedNamed('ubuntu:22.04')).toEqual(
      E.right({
        name: 'docker.io/library/ubuntu',
        domain: 'docker.io',
        path: 'library/ubuntu',
        tag: '22.04',
        familiar: 'ubuntu:22.04',
      }),
    )
  })
})

describe('Parse is strict; normalization is separate', () => {
  it('the first of several components is a domain for Parse whenever it is a valid host', () => {
    expect(Reference.parse('bitnami/redis')).toEqual(
      E.right({ name: 'bitnami/redis', domain: 'bitnami', path: 'redis' }),
    )
  })

  it('parseNormalizedNamed takes a first component as a registry only with . or :, localhost or uppercase', () => {
    const domainOf = (s: string) => E.map((r: Reference.NormalizedReference) => r.domain)(Reference.parseNormalizedNamed(s))
    expect(domainOf('bitnami/redis')).toEqual(E.right('docker.io'))
    expect(domainOf('localhost/redis')).toEqual(E.right('localhost'))
    expect(domainOf('LOCAL/redis')).toEqual(E.right('LOCAL'))
    expect(domainOf('registry:5000/redis')).toEqual(E.right('registry:5000'))
    expect(domainOf('index.docker.io/redis')).toEqual(E.right('docker.io'))
  })

  it('Go quirk: a dotted first component that is not a host leaves the normalized domain empty', () => {
    expect(Reference.parseNormalizedNamed('foo_bar.com/x')).toEqual(
      E.right({ name: 'foo_bar.com/x', path: 'foo_bar.com/x', familiar: 'foo_bar.com/x' }),
    )
  })

  it('a 64-hex string is an image ID, not a name, once normalized', () => {
    const id = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    expect(E.isRight(Reference.parse(id))).toBe(true)
    expect(failure(Reference.parseNormalizedNamed(id)).reason).toBe('NameIsIdentifier')
  })

  it('parseNamed (Go ParseNamed) only accepts the canonical form', () => {
    expect(failure(Reference.parseNamed('ubuntu')).reason).toBe('NameNotCanonical')
    expect(failure(Reference.parseNamed('docker.io/ubuntu')).reason).toBe('NameNotCanonical')
    expect(E.isRight(Reference.parseNamed('docker.io/library/ubuntu:22.04'))).toBe(true)
    expect(E.isRight(Reference.parseNamed('ghcr.io/org/app'))).toBe(true)
  })

  it('familiarString keeps library/ before a nested path', () => {
    expect(Reference.familiarString({ name: 'docker.io/library/a/b', domain: 'docker.io', path: 'library/a/b' })).toBe(
      'library/a/b',
    )
  })
})

describe('helpers', () => {
  it('isValidTag follows [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}', () => {
    expect(Reference.isValidTag('3.12-slim')).toBe(true)
    expect(Reference.isValidTag('_x')).toBe(true)
    expect(Reference.isValidTag('t'.repeat(128))).toBe(true)
    expect(Reference.isValidTag('t'.repeat(129))).toBe(false)
    expect(Reference.isValidTag('')).toBe(false)
    expect(Reference.isValidTag('.x')).toBe(false)
    expect(Reference.isValidTag('a/b')).toBe(false)
  })

  it('parseTag names the offending character', () => {
    expect(reasonAndOffset(Reference.parseTag('v1/2'))).toEqual({ reason: 'TagInvalidFormat', offset: 2 })
    expect(Reference.parseTag('v1.2')).toEqual(E.right('v1.2'))
  })

  it('parseDigest validates as go-digest does', () => {
    expect(Reference.parseDigest(`sha384:${'0'.repeat(96)}`)).toEqual(E.right(`sha384:${'0'.repeat(96)}`))
    expect(failure(Reference.parseDigest('sha256:abc')).reason).toBe('DigestInvalidLength')
    expect(failure(Reference.parseDigest('md5:abc')).reason).toBe('DigestUnsupported')
    expect(failure(Reference.parseDigest('MD5:abc')).reason).toBe('DigestInvalidFormat')
    expect(failure(Reference.parseDigest('sha256')).reason).toBe('DigestInvalidFormat')
  })
})

describe('never throws, even on values that are not strings', () => {
  const revoked = (): unknown => {
    const r = Proxy.revocable({}, {})
    r.revoke()
    return r.proxy
  }
  const values: ReadonlyArray<readonly [string, () => unknown]> = [
    ['undefined', () => undefined],
    ['null', () => null],
    ['a number', () => 42],
    ['a boolean', () => true],
    ['a bigint', () => 10n],
    ['a symbol', () => Symbol('s')],
    ['an object', () => ({ toString: () => 'ubuntu' })],
    ['an array', () => ['ubuntu']],
    ['a function', () => () => 1],
    ['an object without a prototype', () => Object.create(null)],
    ['a revoked proxy', revoked],
  ]
  it.each(values)('%s', (_label, make) => {
    const u = make()
    const p = failure(Reference.parse(u as unknown as string))
    expect(p.reason).toBe('ReferenceInvalidFormat')
    expect(typeof p.input).toBe('string')
    expect(failure(Reference.parseNormalizedNamed(u as unknown as string)).reason).toBe('ReferenceInvalidFormat')
    expect(Reference.isValidTag(u as unknown as string)).toBe(false)
  })
})
