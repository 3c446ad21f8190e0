/**
 * The reference parsers under comparison, each twice: `run`, the bare call the throughput
 * benchmark times, and `parts`, which maps the parser's own result onto the fields oci.json
 * records (`domain`, `path`, `tag`, `digest`; `null` when absent) or `undefined` when the parser
 * rejects the input. The mapping is kept outside the timed call so a peer is not charged for our
 * adapter; `MAPPING` says, in the words RESULTS.md prints, how each peer was read.
 */
import { createRequire } from 'node:module'
import * as E from 'fp-ts/lib/Either.js'
import { Image, Reference } from '@imgcfg/core'

const require = createRequire(import.meta.url)
const swimlane = require('@swimlane/docker-reference')
const dockerParseImage = require('docker-parse-image')
const parseDockerImageName = require('parse-docker-image-name')

/** `''`, `null` and `undefined` all mean "absent", as oci.json's conventions allow. */
const opt = (value) => (value === undefined || value === null || value === '' ? null : value)

/** Returns `undefined` instead of throwing, for peers that report rejection by throwing. */
const orUndefined = (f) => (s) => {
  try {
    return f(s)
  } catch {
    return undefined
  }
}

const swimlaneParse = orUndefined((s) => swimlane.parseQualifiedName(s))

/**
 * docker-parse-image returns one `tag` field for whatever follows the first `:` or `@` of the last
 * component; the separator is read back from the input, and a `tag@digest` remainder is split at
 * `@`. This is the most generous reading of its result we could give it.
 */
const dockerParseImageParts = (s) => {
  const r = dockerParseImage(s)
  if (r === null) return undefined
  let tag = null
  let digest = null
  if (r.tag !== null) {
    const separator = s.charAt(s.length - r.tag.length - 1)
    if (separator === '@') digest = r.tag
    else {
      const at = r.tag.indexOf('@')
      tag = at < 0 ? r.tag : r.tag.slice(0, at)
      digest = at < 0 ? null : r.tag.slice(at + 1)
    }
  }
  return {
    domain: opt(r.registry),
    path: r.namespace === null ? r.repository : `${r.namespace}/${r.repository}`,
    tag: opt(tag),
    digest: opt(digest),
  }
}

/** @type {ReadonlyArray<{ name: string, kind: string, run: (s: string) => unknown, parts: (s: string) => object | undefined }>} */
export const PARSERS = [
  {
    name: 'imgcfg Reference.parse',
    kind: 'strict',
    run: Reference.parse,
    parts: (s) => {
      const r = Reference.parse(s)
      return E.isLeft(r)
        ? undefined
        : { domain: opt(r.right.domain), path: r.right.path, tag: opt(r.right.tag), digest: opt(r.right.digest) }
    },
  },
  {
    name: 'imgcfg Image.parseIdentifier',
    kind: 'lenient',
    run: Image.parseIdentifier,
    parts: (s) => {
      const r = Image.parseIdentifier(s)
      return { name: r.fqn, tag: opt(r.tag), digest: opt(r.digest) }
    },
  },
  {
    name: '@swimlane/docker-reference',
    kind: 'peer',
    run: swimlaneParse,
    parts: (s) => {
      const r = swimlaneParse(s)
      return r === undefined
        ? undefined
        : { domain: opt(r.domain), path: r.repository, tag: opt(r.tag), digest: opt(r.digest) }
    },
  },
  {
    name: 'docker-parse-image',
    kind: 'peer',
    run: dockerParseImage,
    parts: dockerParseImageParts,
  },
  {
    name: 'parse-docker-image-name',
    kind: 'peer',
    run: parseDockerImageName,
    parts: (s) => {
      const r = parseDockerImageName(s)
      return r.path === undefined
        ? undefined
        : { domain: opt(r.domain), path: r.path, tag: opt(r.tag), digest: opt(r.digest) }
    },
  },
]

/** How each parser's result was read, for RESULTS.md. */
export const MAPPING = [
  ['imgcfg Reference.parse', 'Left = rejected; Right `{ domain, path, tag, digest }` compared as is.'],
  [
    'imgcfg Image.parseIdentifier',
    'Never rejects (lenient by design, as flytekit). It has no domain/path split, so `fqn` is compared with the expected `name` (domain/path); `tag` and `digest` as is. F2: for `name:tag@digest` it drops the tag on purpose, which counts as wrong here.',
  ],
  [
    '@swimlane/docker-reference',
    '`parseQualifiedName` (its Go `Parse` equivalent; `parseFamiliarName` normalises). A throw = rejected; `domain` (`\'\'` = none), `repository` as path, `tag`, `digest`.',
  ],
  [
    'docker-parse-image',
    '`null` = rejected. domain = `registry`; path = `namespace/repository`; its single `tag` field holds what follows the first `:` or `@` of the last component: the separator is read back from the input, and `tag@digest` is split at `@`.',
  ],
  [
    'parse-docker-image-name',
    '`{}` = rejected; `domain`, `path`, `tag`, `digest` as returned. It moves a first component without `.`, `:` or `localhost` from domain into path (Go puts it in domain), so the secondary column compares only `domain/path` joined.',
  ],
]

/** The fields of `expected` (an oci.json `parse` result) that `actual` matches. */
export const sameParts = (actual, expected) => {
  if (actual === undefined) return false
  const fields = 'name' in actual ? ['tag', 'digest'] : ['domain', 'path', 'tag', 'digest']
  if ('name' in actual && actual.name !== expected.name) return false
  return fields.every((f) => opt(actual[f]) === opt(expected[f]))
}

/** The same, comparing `domain/path` joined rather than split (a peer's domain convention aside). */
export const sameName = (actual, expected) => {
  if (actual === undefined) return false
  const name = 'name' in actual ? actual.name : actual.domain === null ? actual.path : `${actual.domain}/${actual.path}`
  return name === expected.name && opt(actual.tag) === opt(expected.tag) && opt(actual.digest) === opt(expected.digest)
}
