/**
 * Go's `reference.ParseNormalizedNamed`: Docker Hub's domain and `library/` added to a familiar
 * name, then `Parse`, with offsets mapped back to what the user wrote.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { InvalidReference } from '../../errors.js'
import type { NormalizedReference } from '../../Reference.js'
import { defaultDomain, legacyDefaultDomain, officialRepoPrefix } from './constants.js'
import { indexOrEnd, isLowerHex } from './characters.js'
import { invalid } from './failure.js'
import { familiarString } from './format.js'
import { goToLower, parseString } from './parse.js'

/** A 64-hex identifier (an image ID). */
export const isIdentifier = (s: string): boolean => {
  if (typeof s !== 'string' || s.length !== 64) return false
  for (let i = 0; i < 64; i++) if (!isLowerHex(s.charCodeAt(i))) return false
  return true
}

export const parseNormalizedString = (s: string): E.Either<InvalidReference, NormalizedReference> => {
  if (isIdentifier(s)) return E.left(invalid('NameIsIdentifier', s))
  const split = splitDockerDomain(s)
  const remoteEnd = indexOrEnd(s, ':', split.remainderStart)
  const upper = firstUppercase(s, split.remainderStart, remoteEnd)
  if (upper >= 0) return E.left(invalid('NameContainsUppercase', s, upper))
  const prefix = `${split.domain}/${split.library ? officialRepoPrefix : ''}`
  const parsed = parseString(prefix + s.slice(split.remainderStart))
  if (E.isLeft(parsed)) {
    const { offset } = parsed.left
    return E.left(invalid(parsed.left.reason, s, offset === undefined ? undefined : mapOffset(offset)))
  }
  return E.right({ ...parsed.right, familiar: familiarString(parsed.right) })

  /** From the string handed to `parseString` back to the user's input. */
  function mapOffset(offset: number): number {
    if (split.domainFromInput && offset <= split.domain.length) return offset
    if (offset < prefix.length) return split.remainderStart
    return Math.min(s.length, offset - prefix.length + split.remainderStart)
  }
}

interface DomainSplit {
  readonly domain: string
  /** Where the rest of the input, after `domain/` if the user wrote one, starts. */
  readonly remainderStart: number
  /** The domain is the input's first component, unchanged. */
  readonly domainFromInput: boolean
  /** `library/` goes before the remainder. */
  readonly library: boolean
}

/**
 * Go's `splitDockerDomain`. Note it looks only at the raw text: `foo_bar.com/x` has a dot, so
 * `foo_bar.com` is taken as the domain here, though `Parse` later reads it as a path.
 */
const splitDockerDomain = (s: string): DomainSplit => {
  const slash = s.indexOf('/')
  const first = slash < 0 ? '' : s.slice(0, slash)
  const isDomain =
    slash >= 0 &&
    (first.includes('.') || first.includes(':') || first === 'localhost' || firstUppercase(first, 0, first.length) >= 0)
  const written = isDomain ? first : defaultDomain
  const domain = written === legacyDefaultDomain ? defaultDomain : written
  const remainderStart = isDomain ? slash + 1 : 0
  return {
    domain,
    remainderStart,
    domainFromInput: isDomain && domain === written,
    library: domain === defaultDomain && s.indexOf('/', remainderStart) < 0,
  }
}

/** The first character in `s[start, end)` that Go's `strings.ToLower` changes, or -1. */
const firstUppercase = (s: string, start: number, end: number): number => {
  const text = s.slice(start, end)
  const lowered = goToLower(text)
  if (lowered === text) return -1
  let i = 0
  while (text.charCodeAt(i) === lowered.charCodeAt(i)) i++
  return start + i
}
