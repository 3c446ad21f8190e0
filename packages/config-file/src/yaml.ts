/**
 * The `images:` mapping of a flytectl YAML config file, read as YAML 1.2 with PyYAML's `<<` merge
 * keys, with the line and column of every entry kept for messages.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { ConfigSyntaxError } from '@imgcfg/core/errors'
import { LineCounter, isAlias, isMap, isNode, isScalar, isSeq, parseAllDocuments, visit } from 'yaml'
import type { Document, Node, Pair, YAMLMap } from 'yaml'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** One image entry of a config file, where it was written. */
export interface ConfigImage {
  readonly name: string
  readonly identifier: string
  readonly line?: number
  readonly column?: number
  /**
   * Where the value is written: UTF-16 offsets `[start, end)` into the text given to
   * `parseConfigText` (YAML: the scalar, quotes included; INI: the raw value, before
   * interpolation). Absent when the value is not written in one place of its own (a YAML alias,
   * an INI value continued over several lines), so it cannot be edited in place.
   */
  readonly valueRange?: readonly [start: number, end: number]
}

/** Limits that keep hostile files cheap: merges and aliases cannot multiply the work. */
export const YAML_LIMITS = {
  /** Entries visited while flattening `<<` merges into `images`. */
  maxMergedEntries: 100_000,
  /** Alias resolutions in one file. */
  maxAliases: 10_000,
  /** `<<` merges of maps that themselves merge, one inside the other (flattening recurses). */
  maxMergeDepth: 100,
  /**
   * Characters of YAML text. The yaml parser needs seconds and hundreds of MB per MiB of dense
   * YAML (a 16 MiB flow list exhausts the heap), so YAML stops well below the 16 MiB file limit.
   */
  maxTextLength: 1_048_576,
} as const

// -------------------------------------------------------------------------------------
// parsing
// -------------------------------------------------------------------------------------

type Located = { readonly line: number; readonly column: number }

interface Ctx {
  readonly origin: string | undefined
  readonly lines: LineCounter
  /** Every anchored node by anchor name, in document order (anchors may be redefined). */
  readonly anchors: ReadonlyMap<string, ReadonlyArray<{ readonly at: number; readonly node: Node }>>
  aliases: number
}

// yaml's Alias.resolve searches the whole document on every call; one pass here makes each
// resolution cheap, so a file full of aliases costs linear time.
const collectAnchors = (doc: Document.Parsed): Ctx['anchors'] => {
  const anchors = new Map<string, Array<{ at: number; node: Node }>>()
  visit(doc, (_key, node) => {
    if (isNode(node) && node.anchor !== undefined) {
      const list = anchors.get(node.anchor) ?? []
      list.push({ at: node.range?.[0] ?? 0, node })
      anchors.set(node.anchor, list)
    }
  })
  return anchors
}

const failAt = (ctx: Ctx, at: Located | undefined, message: string): E.Either<ConfigSyntaxError, never> =>
  E.left({
    _tag: 'ConfigSyntaxError',
    format: 'yaml',
    message,
    ...(ctx.origin !== undefined ? { origin: ctx.origin } : {}),
    ...(at ?? {}),
  })

const locate = (ctx: Ctx, node: Node | Pair | null | undefined): Located | undefined => {
  const range = node && 'range' in node ? node.range : node && 'key' in node ? (node.key as Node | null)?.range : undefined
  if (!range) return undefined
  const { line, col } = ctx.lines.linePos(range[0])
  return { line, column: col }
}

const describeNode = (node: unknown): string => {
  if (node === null || node === undefined) return 'nothing (null)'
  if (isMap(node)) return 'a mapping'
  if (isSeq(node)) return 'a list'
  if (isScalar(node)) {
    const v = node.value
    if (v === null) return 'null'
    // Shortened: a whole file read as one scalar would otherwise be the message.
    if (v instanceof Uint8Array) return `binary data (${v.length} bytes)`
    if (typeof v === 'string') return v.length <= 60 ? `the string ${JSON.stringify(v)}` : `the string ${JSON.stringify(v.slice(0, 60))}… (${v.length} characters)`
    return `${typeof v} ${String(v)}`
  }
  return 'an unsupported node'
}

/** Binary search: the last anchor starting before `at` (the list is in document order). */
const latestBefore = (list: ReadonlyArray<{ readonly at: number; readonly node: Node }>, at: number): Node | undefined => {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (list[mid]!.at < at) lo = mid + 1
    else hi = mid
  }
  return lo > 0 ? list[lo - 1]!.node : undefined
}

const resolve = (ctx: Ctx, node: unknown): E.Either<ConfigSyntaxError, unknown> => {
  if (!isAlias(node)) return E.right(node)
  ctx.aliases += 1
  if (ctx.aliases > YAML_LIMITS.maxAliases) {
    return failAt(ctx, locate(ctx, node), `more than ${YAML_LIMITS.maxAliases} aliases; refusing to expand further`)
  }
  const at = node.range?.[0] ?? Number.MAX_SAFE_INTEGER
  // An alias refers to the latest anchor of that name before it.
  const target = latestBefore(ctx.anchors.get(node.source) ?? [], at)
  return target === undefined ? failAt(ctx, locate(ctx, node), `unknown alias *${node.source}`) : E.right(target)
}

const isMergeKey = (pair: Pair): boolean => isScalar(pair.key) && typeof pair.key.value === 'symbol'

const keyText = (pair: Pair): string | undefined =>
  isScalar(pair.key) && typeof pair.key.value === 'string' ? pair.key.value : undefined

/**
 * The pairs of a mapping with `<<` merges flattened as PyYAML does: merged pairs first (for a list
 * of merges, the later maps' pairs before the earlier ones', so the earlier win), then its own.
 */
const flatten = (ctx: Ctx, map: YAMLMap, budget: { left: number }, depth = 0): E.Either<ConfigSyntaxError, Pair[]> => {
  const merged: Pair[] = []
  const own: Pair[] = []
  for (const pair of map.items) {
    budget.left -= 1
    if (budget.left < 0) {
      return failAt(ctx, locate(ctx, pair), `images has more than ${YAML_LIMITS.maxMergedEntries} entries, counting those << merges bring in`)
    }
    if (!isMergeKey(pair)) {
      own.push(pair)
      continue
    }
    if (depth >= YAML_LIMITS.maxMergeDepth) {
      return failAt(ctx, locate(ctx, pair), `<< merges nest more than ${YAML_LIMITS.maxMergeDepth} levels deep (a merged mapping that merges another, and so on)`)
    }
    const value = resolve(ctx, pair.value)
    if (E.isLeft(value)) return value
    const sources = isSeq(value.right) ? value.right.items : [value.right]
    const flattened: Pair[][] = []
    for (const source of sources) {
      const target = resolve(ctx, source)
      if (E.isLeft(target)) return target
      if (!isMap(target.right)) {
        return failAt(ctx, locate(ctx, pair), `a << merge takes a mapping or a list of mappings, got ${describeNode(target.right)}`)
      }
      const inner = flatten(ctx, target.right, budget, depth + 1)
      if (E.isLeft(inner)) return inner
      flattened.push(inner.right)
    }
    // A loop, not push(...pairs): spreading 100 000 arguments can overflow the stack.
    for (const pairs of flattened.reverse()) for (const p of pairs) merged.push(p)
  }
  return E.right([...merged, ...own])
}

const checkUnique = (ctx: Ctx, map: YAMLMap, what: string): E.Either<ConfigSyntaxError, void> => {
  const seen = new Map<string, Located | undefined>()
  for (const pair of map.items) {
    const key = keyText(pair)
    if (key === undefined) continue
    const first = seen.get(key)
    if (seen.has(key)) {
      const where = first ? ` (first at line ${first.line})` : ''
      return failAt(ctx, locate(ctx, pair), `duplicate key ${JSON.stringify(key)} in ${what}${where}`)
    }
    seen.set(key, locate(ctx, pair))
  }
  return E.right(undefined)
}

/**
 * Reads the `images:` mapping of a YAML config text. An empty file, only comments, `{}`, no
 * `images` key or `images: null` give no images; anything else that is not a mapping of string
 * names to string identifiers is an error with its line and column.
 *
 * @example
 * import { parseYamlImages } from '@imgcfg/config-file'
 * parseYamlImages('images:\n  gpu: ghcr.io/org/gpu:1\n', 'config.yaml')
 * // Right([{ name: 'gpu', identifier: 'ghcr.io/org/gpu:1', line: 2, column: 3 }])
 *
 * @since 0.1.0
 */
export const parseYamlImages = (
  text: string,
  origin?: string,
): E.Either<ConfigSyntaxError, ReadonlyArray<ConfigImage>> => {
  const lines = new LineCounter()
  if (text.length > YAML_LIMITS.maxTextLength) {
    return E.left({
      _tag: 'ConfigSyntaxError',
      format: 'yaml',
      message: `the YAML text is ${text.length} characters long; YAML config files are read up to ${YAML_LIMITS.maxTextLength} characters (1 MiB)`,
      ...(origin !== undefined ? { origin } : {}),
    })
  }
  // YAML counts a lone CR as a line break (as PyYAML does); the yaml package does not. Same length,
  // so offsets and value ranges still index `text`.
  const source = text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text
  const docs = parseAllDocuments(source, {
    lineCounter: lines,
    version: '1.2',
    merge: true,
    uniqueKeys: false,
    prettyErrors: false,
  })
  // parseAllDocuments returns an empty stream for a text with no document at all.
  if (!Array.isArray(docs) || docs.length === 0) return E.right([])
  const doc = docs[0]!
  const problem = doc.errors[0]
  if (problem !== undefined) {
    const { line, col } = lines.linePos(problem.pos[0])
    // yaml reports its own stack overflow (deep nesting) with the engine's message.
    const message =
      problem.code === 'RESOURCE_EXHAUSTION'
        ? `the YAML nests too deeply to read (the parser ran out of stack here); images: needs only two levels`
        : problem.message
    return failAt({ origin, lines, anchors: new Map(), aliases: 0 }, { line, column: col }, message)
  }
  // Anchors are collected only from a document that composed without errors.
  const ctx: Ctx = { origin, lines, anchors: collectAnchors(doc), aliases: 0 }
  if (docs.length > 1) {
    return failAt(ctx, locate(ctx, docs[1]!.contents), 'several YAML documents in one config file; keep only one')
  }
  const top = resolve(ctx, doc.contents)
  if (E.isLeft(top)) return top
  if (top.right === null || top.right === undefined) return E.right([])
  if (isScalar(top.right) && top.right.value === null) return E.right([])
  if (!isMap(top.right)) {
    return failAt(ctx, locate(ctx, top.right as Node), `the top level must be a mapping (images: …), got ${describeNode(top.right)}`)
  }
  const unique = checkUnique(ctx, top.right, 'the top-level mapping')
  if (E.isLeft(unique)) return unique
  const imagesPair = top.right.items.find((pair) => keyText(pair) === 'images')
  if (imagesPair === undefined) return E.right([])
  const images = resolve(ctx, imagesPair.value)
  if (E.isLeft(images)) return images
  if (images.right === null || (isScalar(images.right) && images.right.value === null)) return E.right([])
  if (!isMap(images.right)) {
    return failAt(
      ctx,
      locate(ctx, (imagesPair.value as Node | null) ?? imagesPair),
      `images must be a mapping of name to image identifier, got ${describeNode(images.right)}`,
    )
  }
  const uniqueImages = checkUnique(ctx, images.right, 'images')
  if (E.isLeft(uniqueImages)) return uniqueImages
  const pairs = flatten(ctx, images.right, { left: YAML_LIMITS.maxMergedEntries })
  if (E.isLeft(pairs)) return pairs
  return collect(ctx, pairs.right)
}

const collect = (ctx: Ctx, pairs: ReadonlyArray<Pair>): E.Either<ConfigSyntaxError, ReadonlyArray<ConfigImage>> => {
  // Later pairs override earlier values but keep the first position, as a Python dict does.
  const entries = new Map<string, ConfigImage>()
  for (const pair of pairs) {
    const at = locate(ctx, pair)
    const name = keyText(pair)
    if (name === undefined) {
      return failAt(ctx, at, `image names must be strings, got ${describeNode(pair.key)}; quote it ("…")`)
    }
    const value = resolve(ctx, pair.value)
    if (E.isLeft(value)) return value
    if (!isScalar(value.right) || typeof value.right.value !== 'string') {
      return failAt(
        ctx,
        locate(ctx, (pair.value as Node | null) ?? pair) ?? at,
        `image ${JSON.stringify(name)} must be an image identifier string, got ${describeNode(value.right)}`,
      )
    }
    const range = isScalar(pair.value) ? pair.value.range : undefined
    entries.set(name, { name, identifier: value.right.value, ...(at ?? {}), ...(range ? { valueRange: [range[0], range[1]] as const } : {}) })
  }
  return E.right([...entries.values()])
}
