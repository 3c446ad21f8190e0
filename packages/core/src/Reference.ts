/**
 * Strict OCI image references, as Go's `github.com/distribution/reference` (v0.6.0) parses them:
 * `[domain[:port]/]path[:tag][@algorithm:hex]`, with digests checked as
 * `github.com/opencontainers/go-digest` does (sha256, sha384 and sha512 supported).
 *
 * The grammar is matched by a deterministic automaton with named states and hand-written scanners,
 * not by a regular expression (the one used checks only a digest's fixed run of hex digits, and
 * cannot backtrack): every function here runs in time linear in the length of its input, whatever
 * the input. This module is the public face; the pieces are in `internal/reference/`: the
 * automaton (`automaton.ts`), the scans that find the parts (`scan.ts`), digests (`digest.ts`),
 * `Parse` (`parse.ts`), `ParseNormalizedNamed` (`normalize.ts`) and the text forms (`format.ts`).
 *
 * @example
 * import * as Reference from '@imgcfg/core/Reference'
 * Reference.parse('ghcr.io/org/app:1.0')
 * // Right({ name: 'ghcr.io/org/app', domain: 'ghcr.io', path: 'org/app', tag: '1.0' })
 * Reference.parseNormalizedNamed('ubuntu')
 * // Right({ name: 'docker.io/library/ubuntu', domain: 'docker.io', path: 'library/ubuntu', familiar: 'ubuntu' })
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { InvalidReference } from './errors.js'
import { matchTag, MATCH } from './internal/reference/automaton.js'
import { validateDigest } from './internal/reference/digest.js'
import { invalid, notAString } from './internal/reference/failure.js'
import * as format from './internal/reference/format.js'
import { isIdentifier as isIdentifierString, parseNormalizedString } from './internal/reference/normalize.js'
import { parseString } from './internal/reference/parse.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A parsed reference. `name` is `domain/path` (or `path` without a domain); absent components are
 * absent, never `''`.
 *
 * @example
 * import type { Reference } from '@imgcfg/core/Reference'
 * const ref: Reference = { name: 'ghcr.io/org/app', domain: 'ghcr.io', path: 'org/app', tag: '1.0' }
 *
 * @since 0.1.0
 */
export interface Reference {
  readonly name: string
  readonly domain?: string
  readonly path: string
  readonly tag?: string
  readonly digest?: string
}

/**
 * A reference as `parseNormalizedNamed` returns it: Docker Hub names are fully qualified
 * (`docker.io/library/ubuntu`) and `familiar` is the short form a user writes (`ubuntu`).
 *
 * `domain` is `docker.io` or the registry the user wrote. It is absent only in Go's odd corner
 * where a first component such as `foo_bar.com` is taken as a registry by the normalizer but is
 * not a valid host, so the whole name is parsed as a path (`foo_bar.com/x`).
 *
 * @example
 * import type { NormalizedReference } from '@imgcfg/core/Reference'
 * const ref: NormalizedReference = {
 *   name: 'docker.io/library/ubuntu', domain: 'docker.io', path: 'library/ubuntu', tag: '22.04',
 *   familiar: 'ubuntu:22.04',
 * }
 *
 * @since 0.1.0
 */
export interface NormalizedReference extends Reference {
  /** Go's `FamiliarString` of this reference. */
  readonly familiar: string
}



// The two public lengths and names; their doc comments are in constants.ts, beside the rest.
export { defaultDomain, nameTotalLengthMax } from './internal/reference/constants.js'

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * Go's `reference.Parse`: the whole string must match the grammar; no default domain and no
 * `library/` are added. A name that would be valid lower-cased is `NameContainsUppercase`; a
 * path over 255 characters is `NameTooLong`; the digest is then checked by algorithm.
 *
 * @example
 * import * as Reference from '@imgcfg/core/Reference'
 * Reference.parse('localhost:5000/app@sha256:' + 'a'.repeat(64))
 * // Right({ name: 'localhost:5000/app', domain: 'localhost:5000', path: 'app', digest: 'sha256:aaa…' })
 * Reference.parse('ghcr.io/Org/app:1')
 * // Left({ _tag: 'InvalidReference', reason: 'NameContainsUppercase', input: 'ghcr.io/Org/app:1', offset: 8 })
 *
 * @since 0.1.0
 */
export const parse = (s: string): E.Either<InvalidReference, Reference> =>
  typeof s === 'string' ? parseString(s) : E.left(notAString(s))

/**
 * Go's `reference.ParseNormalizedNamed`: a familiar name (`ubuntu`, `org/app`) gets Docker Hub's
 * domain and, for a single component, the `library/` namespace; `index.docker.io` becomes
 * `docker.io`. The first component is a registry only if it contains `.` or `:`, is `localhost`,
 * or has an uppercase letter. A bare 64-hex string is `NameIsIdentifier`.
 *
 * @example
 * import * as Reference from '@imgcfg/core/Reference'
 * Reference.parseNormalizedNamed('bitnami/redis:7.2')
 * // Right({ name: 'docker.io/bitnami/redis', domain: 'docker.io', path: 'bitnami/redis', tag: '7.2',
 * //         familiar: 'bitnami/redis:7.2' })
 *
 * @since 0.1.0
 */
export const parseNormalizedNamed = (s: string): E.Either<InvalidReference, NormalizedReference> =>
  typeof s === 'string' ? parseNormalizedString(s) : E.left(notAString(s))

/**
 * Go's `reference.ParseNamed`: `parseNormalizedNamed`, but only a reference written in canonical
 * form (`docker.io/library/ubuntu`, not `ubuntu`) is accepted; any other is `NameNotCanonical`.
 *
 * @example
 * import * as Reference from '@imgcfg/core/Reference'
 * Reference.parseNamed('ubuntu')
 * // Left({ _tag: 'InvalidReference', reason: 'NameNotCanonical', input: 'ubuntu' })
 *
 * @since 0.1.0
 */
export const parseNamed = (s: string): E.Either<InvalidReference, NormalizedReference> => {
  const normalized = parseNormalizedNamed(s)
  if (E.isLeft(normalized) || toString(normalized.right) === s) return normalized
  return E.left(invalid('NameNotCanonical', s))
}

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/**
 * The reference as text: `name[:tag][@digest]`, where `name` is `domain/path` (Go's `String`).
 *
 * @example
 * import * as Reference from '@imgcfg/core/Reference'
 * Reference.toString({ name: 'ghcr.io/org/app', domain: 'ghcr.io', path: 'org/app', tag: '1.0' })
 * // 'ghcr.io/org/app:1.0'
 *
 * @since 0.1.0
 */
export const toString = (ref: Reference): string => format.toString(ref)

/**
 * The name as a user writes it (Go's `FamiliarName`): `docker.io/` is dropped, and so is
 * `library/` before a single component.
 *
 * @example
 * import * as Reference from '@imgcfg/core/Reference'
 * Reference.familiarName({ name: 'docker.io/library/ubuntu', domain: 'docker.io', path: 'library/ubuntu' })
 * // 'ubuntu'
 *
 * @since 0.1.0
 */
export const familiarName = (ref: Reference): string => format.familiarName(ref)

/**
 * The reference as a user writes it (Go's `FamiliarString`): `familiarName` plus tag and digest.
 *
 * @example
 * import * as Reference from '@imgcfg/core/Reference'
 * import * as E from 'fp-ts/lib/Either.js'
 * const ref = Reference.parseNormalizedNamed('docker.io/library/ubuntu:22.04')
 * E.isRight(ref) && Reference.familiarString(ref.right) // 'ubuntu:22.04'
 *
 * @since 0.1.0
 */
export const familiarString = (ref: Reference): string => format.familiarString(ref)

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/**
 * Whether a string is a valid tag: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
 *
 * @example
 * import { isValidTag } from '@imgcfg/core/Reference'
 * isValidTag('3.12-slim') // true
 * isValidTag('.hidden') // false
 *
 * @since 0.1.0
 */
export const isValidTag = (s: string): boolean => typeof s === 'string' && matchTag(s, 0, s.length) === MATCH

/**
 * Checks a tag on its own, naming the first offending character (`TagInvalidFormat`).
 *
 * @example
 * import { parseTag } from '@imgcfg/core/Reference'
 * parseTag('v1/2')
 * // Left({ _tag: 'InvalidReference', reason: 'TagInvalidFormat', input: 'v1/2', offset: 2 })
 *
 * @since 0.1.0
 */
export const parseTag = (s: string): E.Either<InvalidReference, string> => {
  if (typeof s !== 'string') return E.left({ ...notAString(s), reason: 'TagInvalidFormat' })
  const mismatch = matchTag(s, 0, s.length)
  return mismatch === MATCH ? E.right(s) : E.left(invalid('TagInvalidFormat', s, mismatch))
}

/**
 * Checks a digest as go-digest does: `algorithm:hex`, where a known algorithm (sha256, sha384,
 * sha512) needs exactly its number of lowercase hex digits.
 *
 * @example
 * import { parseDigest } from '@imgcfg/core/Reference'
 * parseDigest('sha256:abc')
 * // Left({ _tag: 'InvalidReference', reason: 'DigestInvalidLength', input: 'sha256:abc', offset: 10 })
 *
 * @since 0.1.0
 */
export const parseDigest = (s: string): E.Either<InvalidReference, string> => {
  if (typeof s !== 'string') return E.left({ ...notAString(s), reason: 'DigestInvalidFormat' })
  const failure = validateDigest(s, 0, s.length)
  return failure === undefined ? E.right(s) : E.left(invalid(failure.reason, s, failure.offset))
}

/**
 * Whether a string is a 64-hex identifier (an image ID), which `parseNormalizedNamed` refuses as
 * a name.
 *
 * @example
 * import { isIdentifier } from '@imgcfg/core/Reference'
 * isIdentifier('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855') // true
 *
 * @since 0.1.0
 */
export const isIdentifier = (s: string): boolean => isIdentifierString(s)
