/** References back to text: Go's `String`, `FamiliarName` and `FamiliarString`. */
import type { Reference } from '../../Reference.js'
import { defaultDomain, officialRepoPrefix } from './constants.js'

const joinName = (domain: string | undefined, path: string): string =>
  domain === undefined || domain === '' ? path : `${domain}/${path}`

const suffix = (tag: string | undefined, digest: string | undefined): string =>
  (tag === undefined || tag === '' ? '' : `:${tag}`) + (digest === undefined || digest === '' ? '' : `@${digest}`)

/** `name[:tag][@digest]`, where `name` is `domain/path`. */
export const toString = (ref: Reference): string => joinName(ref.domain, ref.path) + suffix(ref.tag, ref.digest)

/** The name without `docker.io/`, and without `library/` before a single component. */
export const familiarName = (ref: Reference): string => {
  if (ref.domain !== defaultDomain) return joinName(ref.domain, ref.path)
  if (ref.path.startsWith(officialRepoPrefix)) {
    const rest = ref.path.slice(officialRepoPrefix.length)
    if (!rest.includes('/')) return rest
  }
  return ref.path
}

export const familiarString = (ref: Reference): string => familiarName(ref) + suffix(ref.tag, ref.digest)
