import { costRatio } from '@imgcfg/test-utils/cost'
import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import * as Reference from '../src/Reference.js'
import type { InvalidReference, ReferenceReason } from '../src/errors.js'

// -------------------------------------------------------------------------------------
// arbitraries: valid references, built from the grammar
// -------------------------------------------------------------------------------------

const chars = (alphabet: string, minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength, maxLength })

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789'
const ALNUM = `${LOWER_ALNUM}ABCDEFGHIJKLMNOPQRSTUVWXYZ`
const WORD = `${ALNUM}_`
const HEX = '0123456789abcdef'

/** `[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*` */
const pathComponent = fc
  .tuple(
    chars(LOWER_ALNUM, 1, 8),
    fc.array(fc.tuple(fc.constantFrom('.', '_', '__', '-', '--', '---'), chars(LOWER_ALNUM, 1, 8)), { maxLength: 3 }),
  )
  .map(([head, rest]) => head + rest.map(([sep, alnum]) => sep + alnum).join(''))

const path = fc.array(pathComponent, { minLength: 1, maxLength: 5 }).map((cs) => cs.join('/'))

/** `[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?` */
const hostLabel = fc.oneof(
  chars(ALNUM, 1, 1),
  fc.tuple(chars(ALNUM, 1, 1), chars(`${ALNUM}-`, 0, 8), chars(ALNUM, 1, 1)).map((p) => p.join('')),
)

const host = fc.oneof(
  { weight: 4, arbitrary: fc.array(hostLabel, { minLength: 1, maxLength: 4 }).map((ls) => ls.join('.')) },
  { weight: 1, arbitrary: chars('0123456789abcdefABCDEF:', 1, 20).map((h) => `[${h}]`) },
)

const domain = fc
  .tuple(host, fc.option(chars('0123456789', 1, 6), { nil: undefined }))
  .map(([h, port]) => (port === undefined ? h : `${h}:${port}`))

/** `[\w][\w.-]{0,127}` */
const tag = fc.tuple(chars(WORD, 1, 1), chars(`${WORD}.-`, 0, 127)).map(([a, b]) => a + b)

const digest = fc
  .constantFrom(['sha256', 64] as const, ['sha384', 96] as const, ['sha512', 128] as const)
  .chain(([algorithm, n]) => chars(HEX, n, n).map((hex) => `${algorithm}:${hex}`))

const reference: fc.Arbitrary<Reference.Reference> = fc
  .record({
    domain: fc.option(domain, { nil: undefined }),
    path: path.filter((p) => p.length <= Reference.nameTotalLengthMax),
    tag: fc.option(tag, { nil: undefined }),
    digest: fc.option(digest, { nil: undefined }),
  })
  .map(({ domain, path, tag, digest }) => ({
    name: domain === undefined ? path : `${domain}/${path}`,
    path,
    ...(domain === undefined ? {} : { domain }),
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  }))

/**
 * How Parse reads a reference written without a domain: when the path has several components
 * and the first is also a valid host (a path component without '_' always is), it is the domain.
 */
const asParsed = (ref: Reference.Reference): Reference.Reference => {
  if (ref.domain !== undefined) return ref
  const slash = ref.path.indexOf('/')
  if (slash < 0 || ref.path.slice(0, slash).includes('_')) return ref
  return { ...ref, domain: ref.path.slice(0, slash), path: ref.path.slice(slash + 1) }
}

// -------------------------------------------------------------------------------------
// arbitraries: anything
// -------------------------------------------------------------------------------------

/** Digests around every boundary: known and unknown algorithms, lengths, uppercase hex. */
const digestish = fc
  .tuple(
    fc.constantFrom('sha256', 'sha384', 'sha512', 'SHA256', 'Sha512', 'md5', 'blake3', 'sha256+b64', 'a.b_c-d', '1sha', 'sha-'),
    fc.constantFrom(0, 31, 32, 63, 64, 65, 95, 96, 128, 129),
    fc.boolean(),
  )
  .chain(([algorithm, n, upper]) => chars(upper ? `${HEX}ABCDEF` : HEX, n, n).map((hex) => `${algorithm}:${hex}`))

const SPECIAL = [
  '/', ':', '@', '.', '_', '-', '[', ']', ' ', 'A', 'Z', 'a', '0', '\u212A', '\u0130', '\u00e9', '\u2603', '\n',
]

/** A valid reference with a few characters inserted, deleted or replaced. */
const mutated = fc
  .tuple(
    fc.oneof(reference.map(Reference.toString), reference.chain((r) => digestish.map((d) => `${r.name}@${d}`))),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), fc.constantFrom(...SPECIAL)), {
      maxLength: 3,
    }),
  )
  .map(([s, edits]) =>
    edits.reduce((acc, [at, kind, ch]) => {
      const i = acc.length === 0 ? 0 : at % acc.length
      return acc.slice(0, i) + (kind === 'delete' ? '' : ch) + acc.slice(kind === 'insert' ? i : i + 1)
    }, s),
  )

/** Fragments of the grammar glued together. */
const fragments = fc
  .array(
    fc.oneof(
      pathComponent,
      domain,
      tag.map((t) => `:${t}`),
      digestish.map((d) => `@${d}`),
      chars('ab/', 250, 260),
      fc.constantFrom(...SPECIAL, '__', 'sha256:', 'docker.io/', 'index.docker.io/', 'library/', 'localhost'),
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((parts) => parts.join(''))

/** Strings made mostly of the grammar's own characters, so that they are often nearly valid. */
const nearlyValid = fc.oneof(mutated, fragments)

const utf16 = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) })

// -------------------------------------------------------------------------------------
// an oracle: Go's own regular expressions (transliterated), used only on short inputs
// -------------------------------------------------------------------------------------

const go = (() => {
  const alphanumeric = '[a-z0-9]+'
  const separator = '(?:[._]|__|[-]+)'
  const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`
  const remoteName = `${pathComponent}(?:/${pathComponent})*`
  const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])'
  const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`
  const host = `(?:${domainName}|\\[(?:[a-fA-F0-9:]+)\\])`
  const domainAndPort = `${host}(?::[0-9]+)?`
  const namePat = `(?:${domainAndPort}/)?${remoteName}`
  const tagPat = '[\\w][\\w.-]{0,127}'
  const digestPat = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}'
  const referenceRegexp = new RegExp(`^(${namePat})(?::(${tagPat}))?(?:@(${digestPat}))?$`)
  const anchoredNameRegexp = new RegExp(`^(?:(${domainAndPort})/)?(${remoteName})$`)
  const goDigestRegexp = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/
  const sizes: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 }
  /** Go's strings.ToLower, as far as the ASCII grammar can tell. */
  const toLower = (s: string) => Array.from(s, (c) => (c === '\u0130' ? 'i' : c.toLowerCase())).join('')

  return (s: string): { reason: ReferenceReason } | Reference.Reference => {
    const m = referenceRegexp.exec(s)
    if (m === null) {
      if (s === '') return { reason: 'NameEmpty' }
      return { reason: referenceRegexp.test(toLower(s)) ? 'NameContainsUppercase' : 'ReferenceInvalidFormat' }
    }
    const [, name = '', tag, digest] = m
    const [, domain, path = ''] = anchoredNameRegexp.exec(name) ?? []
    if (path.length > 255) return { reason: 'NameTooLong' }
    if (digest !== undefined) {
      const [algorithm = '', encoded = ''] = digest.split(':')
      const size = Object.hasOwn(sizes, algorithm) ? sizes[algorithm] : undefined
      if (size === undefined) return { reason: goDigestRegexp.test(digest) ? 'DigestUnsupported' : 'DigestInvalidFormat' }
      if (encoded.length !== size) return { reason: 'DigestInvalidLength' }
      if (!/^[a-f0-9]+$/.test(encoded)) return { reason: 'DigestInvalidFormat' }
    }
    return {
      name,
      path,
      ...(domain === undefined ? {} : { domain }),
      ...(tag === undefined ? {} : { tag }),
      ...(digest === undefined ? {} : { digest }),
    }
  }
})()

/** Go's ParseNormalizedNamed, on top of the regular-expression Parse above. */
const goNormalized = (s: string): { reason: ReferenceReason } | Reference.NormalizedReference => {
  if (/^[a-f0-9]{64}$/.test(s)) return { reason: 'NameIsIdentifier' }
  const i = s.indexOf('/')
  const first = s.slice(0, Math.max(i, 0))
  let [domain, remainder] =
    i === -1 || (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first)
      ? ['docker.io', s]
      : [first, s.slice(i + 1)]
  if (domain === 'index.docker.io') domain = 'docker.io'
  if (domain === 'docker.io' && !remainder.includes('/')) remainder = `library/${remainder}`
  const remote = remainder.split(':')[0] ?? ''
  if (remote.toLowerCase() !== remote) return { reason: 'NameContainsUppercase' }
  const r = go(`${domain}/${remainder}`)
  if ('reason' in r) return r
  let familiar = r.name
  if (r.domain === 'docker.io') {
    familiar = r.path
    if (r.path.startsWith('library/') && !r.path.slice(8).includes('/')) familiar = r.path.slice(8)
  }
  familiar += (r.tag === undefined ? '' : `:${r.tag}`) + (r.digest === undefined ? '' : `@${r.digest}`)
  return { ...r, familiar }
}

const outcome = (r: E.Either<InvalidReference, Reference.Reference>) =>
  E.isLeft(r) ? { reason: r.left.reason } : r.right

// -------------------------------------------------------------------------------------
// laws
// -------------------------------------------------------------------------------------

/** Go's splitDockerDomain: the first component of a name with a '/' is a registry when it has '.' or ':', is localhost, or has an upper-case letter. */
const readsAsDomain = (name: string): boolean => {
  const slash = name.indexOf('/')
  if (slash < 0) return false
  const first = name.slice(0, slash)
  return /[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase()
}

describe('parse(toString(ref)) == ref', () => {
  it('for references built from the grammar', () => {
    fc.assert(
      fc.property(reference, (ref) => {
        expect(Reference.parse(Reference.toString(ref))).toEqual(E.right(asParsed(ref)))
      }),
      { numRuns: 2000 },
    )
  })

  it('toString(parse(s)) == s whenever parse succeeds', () => {
    fc.assert(
      fc.property(fc.oneof(nearlyValid, reference.map(Reference.toString)), (s) => {
        const r = Reference.parse(s)
        if (E.isRight(r)) expect(Reference.toString(r.right)).toBe(s)
      }),
      { numRuns: 3000 },
    )
  })
})

describe('parse agrees with Go regular expressions', () => {
  it('on nearly valid strings: the same parts, or the same reason', () => {
    fc.assert(
      fc.property(nearlyValid, (s) => {
        expect(outcome(Reference.parse(s))).toEqual(go(s))
      }),
      { numRuns: 5000 },
    )
  })

  it('on valid references', () => {
    fc.assert(
      fc.property(reference.map(Reference.toString), (s) => {
        expect(outcome(Reference.parse(s))).toEqual(go(s))
      }),
      { numRuns: 1000 },
    )
  })
})

describe('parseNormalizedNamed', () => {
  it('agrees with Go splitDockerDomain over the regular-expression Parse', () => {
    fc.assert(
      fc.property(fc.oneof(nearlyValid, reference.map(Reference.toString), reference.map(Reference.familiarString)), (s) => {
        expect(outcome(Reference.parseNormalizedNamed(s))).toEqual(goNormalized(s))
      }),
      { numRuns: 5000 },
    )
  })

  it('is parse of the fully qualified name, and the familiar form normalizes back to it', () => {
    fc.assert(
      fc.property(fc.oneof(nearlyValid, reference.map(Reference.toString)), (s) => {
        const r = Reference.parseNormalizedNamed(s)
        if (E.isLeft(r)) return
        const { familiar, ...ref } = r.right
        expect(familiar).toBe(Reference.familiarString(ref))
        expect(Reference.parse(Reference.toString(ref))).toEqual(E.right(ref))
        // As in Go: a familiar form whose first component reads as a registry (docker.io/docker.io/a
        // is familiar docker.io/a) does not normalize back; see the example below.
        if (!readsAsDomain(familiar)) expect(Reference.parseNormalizedNamed(familiar)).toEqual(r)
      }),
      { numRuns: 3000 },
    )
  })

  it("a Docker Hub path that starts with a registry's name: familiar as Go writes it, which does not round-trip", () => {
    const r = Reference.parseNormalizedNamed('docker.io/docker.io/a')
    expect(r).toEqual(E.right({ name: 'docker.io/docker.io/a', path: 'docker.io/a', domain: 'docker.io', familiar: 'docker.io/a' }))
    expect(Reference.parseNormalizedNamed('docker.io/a')).toEqual(
      E.right({ name: 'docker.io/library/a', path: 'library/a', domain: 'docker.io', familiar: 'a' }),
    )
  })

  it('leaves references with a dotted registry as parse reads them', () => {
    const dottedDomain = fc
      .tuple(fc.array(hostLabel, { minLength: 2, maxLength: 4 }), fc.option(chars('0123456789', 1, 5), { nil: undefined }))
      .map(([labels, port]) => labels.join('.') + (port === undefined ? '' : `:${port}`))
      .filter((d) => d !== Reference.defaultDomain && d !== 'index.docker.io')
    const dotted = fc
      .tuple(dottedDomain, reference)
      .map(([domain, ref]): Reference.Reference => ({ ...ref, domain, name: `${domain}/${ref.path}` }))
    fc.assert(
      fc.property(dotted, (ref) => {
        expect(Reference.parseNormalizedNamed(Reference.toString(ref))).toEqual(
          E.right({ ...ref, familiar: Reference.familiarString(ref) }),
        )
      }),
      { numRuns: 1000 },
    )
  })
})

describe('never throws', () => {
  const total = (u: unknown) => {
    for (const f of [Reference.parse, Reference.parseNormalizedNamed, Reference.parseNamed]) {
      const r = f(u as string)
      expect(E.isLeft(r) || E.isRight(r)).toBe(true)
      if (E.isLeft(r)) {
        expect(r.left._tag).toBe('InvalidReference')
        expect(typeof r.left.input).toBe('string')
        if (r.left.offset !== undefined) {
          expect(r.left.offset).toBeGreaterThanOrEqual(0)
          expect(r.left.offset).toBeLessThanOrEqual(r.left.input.length)
        }
      }
    }
  }

  it.each([
    ['fc.string()', fc.string()],
    ['full Unicode', fc.string({ unit: 'binary' })],
    ['graphemes', fc.string({ unit: 'grapheme' })],
    ['UTF-16 units, lone surrogates included', utf16],
    ['nearly valid', nearlyValid],
  ] as const)('on %s', (_label, arb) => {
    fc.assert(fc.property(arb, total), { numRuns: 2000 })
  })

  it('on any JavaScript value passed as a string', () => {
    fc.assert(fc.property(fc.anything({ withBigInt: true, withMap: true, withSet: true }), total), { numRuns: 1000 })
  })
})

describe('linear time: 100k-character adversarial inputs', () => {
  /**
   * 8 times the input may cost at most this many times as much (linear: about 8; quadratic: 64).
   * Both sizes are measured here in CPU time, the cheapest of three interleaved runs each.
   */
  const RATIO = 30
  const SIZE = 100_000
  const unit = fc.constantFrom(
    ...['a-', 'a__', 'a_', 'a.', 'a/', ':', '@', 'a', '-', '[:', 'a:', 'a-a.', 'A', 'aA', '0', 'sha256:', 'a@', 'a.-'],
    ...['\u2603', '\u212A', '\u0130', '\u00C9', '\u{1F600}', '\uD800'],
  )
  const tail = fc.constantFrom('', '!', '-', '_', '/', ':', '@', 'A', ']', '/a', ':a', '@sha256:' + 'f'.repeat(64))
  const head = fc.constantFrom('', 'a', 'example.com/', '[', 'a:1/', 'a@b:', 'docker.io/', 'x:')

  it(`8 times the input costs less than ${RATIO} times as much`, () => {
    fc.assert(
      fc.property(head, unit, tail, (h, u, t) => {
        const make = (size: number) => h + u.repeat(Math.ceil(size / u.length)) + t
        const small = make(SIZE / 8)
        const large = make(SIZE)
        for (const f of [Reference.parse, Reference.parseNormalizedNamed]) {
          // CPU time, with a 0.5 ms floor: below that the small run is noise (JIT, GC), not cost;
          // quadratic work on 100 000 characters takes seconds, far above 30 times that.
          expect(costRatio(() => f(small), () => f(large), { runs: 3 })).toBeLessThan(RATIO)
        }
      }),
      { numRuns: 100 },
    )
  })
})
