/**
 * The `images:` mapping of a flytectl YAML config file, read as YAML 1.2 with PyYAML's `<<` merge
 * keys, with the line and column of every entry kept for messages.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { ConfigSyntaxError } from './errors.js'
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
  /**
   * INI only: the option is written in `[DEFAULT]`, not `[images]`. configparser copies `[DEFAULT]`
   * options into every section, so flytekit takes it as an image (`imgcfg lint` says so).
   */
  readonly fromDefaults?: true
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
  return E.right(merged.length === 0 ? own : [...merged, ...own])
}

const checkUnique = (ctx: Ctx, map: YAMLMap, what: string): E.Either<ConfigSyntaxError, void> => {
  // the first pair of each key; located only for the message
  const seen = new Map<string, Pair>()
  for (const pair of map.items) {
    const key = keyText(pair)
    if (key === undefined) continue
    const first = seen.get(key)
    if (first !== undefined) {
      const firstAt = locate(ctx, first)
      const where = firstAt ? ` (first at line ${firstAt.line})` : ''
      return failAt(ctx, locate(ctx, pair), `duplicate key ${JSON.stringify(key)} in ${what}${where}`)
    }
    seen.set(key, pair)
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
 * // Right([{ name: 'gpu', identifier: 'ghcr.io/org/gpu:1', line: 2, column: 3, valueRange: [15, 32] }])
 *
 * @since 0.1.0
 */
export const parseYamlImages = (
  text: string,
  origin?: string,
): E.Either<ConfigSyntaxError, ReadonlyArray<ConfigImage>> => {
  if (text.length > YAML_LIMITS.maxTextLength) {
    return E.left({
      _tag: 'ConfigSyntaxError',
      format: 'yaml',
      message: `the YAML text is ${text.length} characters long; YAML config files are read up to ${YAML_LIMITS.maxTextLength} characters (1 MiB)`,
      ...(origin !== undefined ? { origin } : {}),
    })
  }
  const simple = simpleImages(text)
  if (simple !== undefined) return E.right(simple)
  return readWithYaml(text, origin)
}

/**
 * The full path: the yaml package reads the text (everything the fast path declines).
 * Exported for the differential test only.
 *
 * @internal
 */
export const readWithYaml = (
  text: string,
  origin?: string,
): E.Either<ConfigSyntaxError, ReadonlyArray<ConfigImage>> => {
  const lines = new LineCounter()
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
  // Anchors are collected only from a document that composed without errors; a text without
  // '&' has none, and walking every node to find that out costs more than the rest of our work.
  const ctx: Ctx = { origin, lines, anchors: source.includes('&') ? collectAnchors(doc) : new Map(), aliases: 0 }
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
  return collect(ctx, pairs.right, !images.right.items.some(isMergeKey))
}

// -------------------------------------------------------------------------------------
// the common case, without the yaml package
// -------------------------------------------------------------------------------------

/*
 * Most config files are a few `key: value` lines: `simpleImages` reads those itself, in one pass,
 * because the yaml package spends some 20 µs and 13 KB of garbage per image on them. It returns
 * the images only for a text where every line is blank, a comment, or `key:` / `key: value`
 * (with an optional `# comment`) in block mappings, with keys and values plain scalars from a
 * safe alphabet; `images` holds string names mapped to string identifiers, no name twice.
 * For anything else (quotes, flow collections, anchors, tags, lists, multi-line or non-string
 * scalars, tabs, CR, non-ASCII, odd indentation, any document the yaml package would refuse or
 * read differently) it returns `undefined` and the yaml package reads the text.
 */

/** Characters outside the subset anywhere in the text: controls (tab, CR), DEL, non-ASCII. */
const NOT_SIMPLE = /[^\n\x20-\x7e]/

const isAlnum = (c: number): boolean => (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a)
/** A key: `[A-Za-z0-9_][A-Za-z0-9_./-]*`. */
const isKeyStart = (c: number): boolean => isAlnum(c) || c === 0x5f
const isKeyChar = (c: number): boolean => isKeyStart(c) || c === 0x2e || c === 0x2f || c === 0x2d
/** A value: `[A-Za-z0-9_./][A-Za-z0-9_./:@+=~%,-]*`, not ending with ':'. */
const isValueStart = (c: number): boolean => isKeyStart(c) || c === 0x2e || c === 0x2f
const isValueChar = (c: number): boolean =>
  isKeyChar(c) || c === 0x3a || c === 0x40 || c === 0x2b || c === 0x3d || c === 0x7e || c === 0x25 || c === 0x2c

/** Plain scalars YAML 1.2's core schema reads as null, a boolean or a number (the yaml package's tests). */
const NOT_A_STRING =
  /^(?:~|[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE|0o[0-7]+|[-+]?[0-9]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$/

/** Whether a plain scalar may be read as something else than a string (a cheap look first). */
const maybeNotString = (s: string): boolean => {
  const c = s.charCodeAt(0)
  const nonString = (c >= 0x2b && c <= 0x39) || c === 0x7e || c === 0x4e || c === 0x6e || c === 0x54 || c === 0x74 || c === 0x46 || c === 0x66
  return nonString && NOT_A_STRING.test(s)
}

/**
 * The fast path: the images of a document in the common subset, or `undefined` to decline.
 * Exported for the differential test only.
 *
 * @internal
 */
export const simpleImages = (text: string): ReadonlyArray<ConfigImage> | undefined => {
  if (NOT_SIMPLE.test(text)) return undefined
  return readSimple(text)
}

const readSimple = (text: string): ReadonlyArray<ConfigImage> | undefined => {
  const images: Array<ConfigImage> = []
  const topKeys = new Set<string>()
  // the image names so far; a Set, so `__proto__` is a plain name
  const imageNames = new Set<string>()
  /** Indentation of each open mapping, the top level first. */
  const indents: Array<number> = []
  /** The last entry had no value, so a deeper line starts its mapping. */
  let opened = false
  let inImages = false
  let lineNo = 0
  for (let pos = 0; pos < text.length; ) {
    lineNo += 1
    const newline = text.indexOf('\n', pos)
    const end = newline === -1 ? text.length : newline
    const lineStart = pos
    pos = end + 1
    let i = lineStart
    while (i < end && text.charCodeAt(i) === 0x20) i++
    // a blank or comment line
    if (i === end || text.charCodeAt(i) === 0x23) continue
    const indent = i - lineStart

    const keyStart = i
    if (!isKeyStart(text.charCodeAt(i))) return undefined
    while (isKeyChar(text.charCodeAt(++i)));
    if (i >= end || text.charCodeAt(i) !== 0x3a || i - keyStart > 1000) return undefined
    const key = text.slice(keyStart, i)
    i += 1
    let valueStart = -1
    let valueEnd = -1
    if (i < end) {
      if (text.charCodeAt(i) !== 0x20) return undefined
      while (i < end && text.charCodeAt(i) === 0x20) i++
      if (i < end && text.charCodeAt(i) !== 0x23) {
        if (!isValueStart(text.charCodeAt(i))) return undefined
        valueStart = i
        while (++i < end && isValueChar(text.charCodeAt(i)));
        valueEnd = i
        if (text.charCodeAt(valueEnd - 1) === 0x3a) return undefined
        while (i < end && text.charCodeAt(i) === 0x20) i++
        // only a comment may follow, after a space
        if (i < end && (text.charCodeAt(i) !== 0x23 || i === valueEnd)) return undefined
      }
    }

    if (indents.length === 0) {
      if (indent !== 0) return undefined
      indents.push(0)
    } else if (indent > indents[indents.length - 1]!) {
      if (!opened) return undefined
      indents.push(indent)
    } else {
      while (indents[indents.length - 1]! > indent) indents.pop()
      if (indents[indents.length - 1] !== indent) return undefined
    }
    opened = valueStart === -1

    if (indents.length === 1) {
      if (topKeys.size === topKeys.add(key).size) return undefined
      inImages = key === 'images'
      if (inImages && valueStart !== -1) return undefined
    } else if (inImages) {
      if (indents.length > 2 || valueStart === -1 || maybeNotString(key)) return undefined
      const identifier = text.slice(valueStart, valueEnd)
      const known = imageNames.size
      if (maybeNotString(identifier) || imageNames.add(key).size === known) return undefined
      images.push({ name: key, identifier, line: lineNo, column: indent + 1, valueRange: [valueStart, valueEnd] })
    }
  }
  return indents.length === 0 ? undefined : images
}

const collect = (
  ctx: Ctx,
  pairs: ReadonlyArray<Pair>,
  unique: boolean,
): E.Either<ConfigSyntaxError, ReadonlyArray<ConfigImage>> => {
  // Later pairs override earlier values but keep the first position, as a Python dict does;
  // without << merges, checkUnique has already made every name unique.
  const entries = unique ? undefined : new Map<string, ConfigImage>()
  const list: Array<ConfigImage> = []
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
    const identifier = value.right.value
    const range = isScalar(pair.value) ? pair.value.range : undefined
    // the fields in the order { name, identifier, ...at, valueRange } would give, built directly
    const image: ConfigImage =
      at === undefined
        ? range
          ? { name, identifier, valueRange: [range[0], range[1]] }
          : { name, identifier }
        : range
          ? { name, identifier, line: at.line, column: at.column, valueRange: [range[0], range[1]] }
          : { name, identifier, line: at.line, column: at.column }
    if (entries === undefined) list.push(image)
    else entries.set(name, image)
  }
  return E.right(entries === undefined ? list : [...entries.values()])
}
