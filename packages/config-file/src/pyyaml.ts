/**
 * YAML read as PyYAML 6's `safe_load` reads it (YAML 1.1): the `yaml` package parses the
 * structure with its failsafe schema (every scalar a string, its style known), and the plain
 * scalars are then resolved with PyYAML's implicit resolvers and built with its constructors
 * (bool, int with octal/hex/binary/sexagesimal and `_`, float only with a `.`, null, timestamp
 * as date or datetime), merge keys, and Python's dict rules for keys (`1`, `1.0` and `true` are
 * one key: the first key stays, the last value wins). What imgcfg cannot read the same way (raw
 * YAML 1.1 line breaks, surrogate escapes, `!!binary`, `!!set`, recursive aliases) is refused
 * with a message, never read differently. Pure and browser-safe.
 *
 * @since 0.3.0
 */
import { Lexer, LineCounter, isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Pair, type Scalar } from 'yaml'
import * as ImageSpec from '@imgcfg/core/ImageSpec'
import { MAX_EXPANDED_CHARACTERS, MAX_EXPANDED_VALUES, MAX_YAML_DEPTH } from './limits.js'

type PyValue = ImageSpec.PyValue

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A failure with the offset in the text it concerns. */
export interface PyYamlProblem {
  readonly message: string
  readonly offset: number
  /** True for a YAML syntax error, false for a construction error. */
  readonly syntax: boolean
}

/** Where each key of the top-level mapping sits, for messages. */
export interface KeyLocation {
  readonly key: number
  readonly value: number
}

export interface Loaded {
  readonly value: PyValue
  /** Offsets of the top-level mapping's keys (string keys only), and of the document. */
  readonly keys: ReadonlyMap<string, KeyLocation>
  readonly offset: number
  readonly lines: LineCounter
}

class Refusal extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message)
  }
}

// -------------------------------------------------------------------------------------
// PyYAML's resolvers (yaml/resolver.py) and constructors (yaml/constructor.py)
// -------------------------------------------------------------------------------------

const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/
const NULL = /^(?:~|null|Null|NULL|)$/
const TIMESTAMP =
  /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/
const TIMESTAMP_PARTS =
  /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9]{1,2})(?::([0-9]{2}))?))?)?$/

const TAG = 'tag:yaml.org,2002:'

/** A piece of the document in a message: quoted, and cut so that a message stays a sentence. */
const quote = (text: string): string => `'${text.length > 40 ? `${text.slice(0, 40)}…` : text}'`

/** Any message, cut to a readable length (the yaml package's can quote the document). */
const bounded = (message: string): string => (message.length > 300 ? `${message.slice(0, 300)}…` : message)

const digits = (n: number): string => n.toLocaleString('en-US').replace(/,/g, ' ')

/** The tag PyYAML's implicit resolvers give a plain scalar. */
const resolvePlain = (value: string): string => {
  if (BOOL.test(value)) return 'bool'
  if (FLOAT.test(value)) return 'float'
  if (INT.test(value)) return 'int'
  if (value === '<<') return 'merge'
  if (NULL.test(value)) return 'null'
  if (TIMESTAMP.test(value)) return 'timestamp'
  if (value === '=') return 'value'
  return 'str'
}

const BOOL_VALUES: Readonly<Record<string, boolean>> = { yes: true, no: false, true: true, false: false, on: true, off: false }

/** Python's int() refuses longer decimal text (sys.int_info.default_max_str_digits). */
const MAX_INT_DIGITS = 4300

const TOO_LONG_TO_WRITE = `an int of more than ${MAX_INT_DIGITS} decimal digits: Python 3.11 reads it, but repr refuses to write it (ValueError: Exceeds the limit (${MAX_INT_DIGITS} digits) for integer string conversion), so flytekit fails when it hashes this file`

/** Refuses an int repr cannot write, without writing a huge one out in decimal. */
const writable = (n: bigint): bigint => {
  const magnitude = n < 0n ? -n : n
  const bits = magnitude.toString(16).length * 4
  if (bits * Math.log10(2) > MAX_INT_DIGITS + 2 || (bits > 14000 && magnitude.toString().length > MAX_INT_DIGITS)) throw new Error(TOO_LONG_TO_WRITE)
  return n
}

const readInt = (text: string): bigint => {
  let value = text.replace(/_/g, '')
  let sign = 1n
  if (value[0] === '-') sign = -1n
  if (value[0] === '+' || value[0] === '-') value = value.slice(1)
  if (value === '0') return 0n
  const parse = (digits: string, prefix: string, pattern: RegExp): bigint => {
    if (!pattern.test(digits)) throw new Error(`invalid literal for int(): ${quote(text)}`)
    if (prefix === '' && digits.length > MAX_INT_DIGITS)
      throw new Error(
        `an int of ${digits.length} digits: Python 3.11 reads at most ${MAX_INT_DIGITS} (ValueError: Exceeds the limit (${MAX_INT_DIGITS} digits) for integer string conversion), so flytekit fails on this file too`,
      )
    return BigInt(`${prefix}${digits}`)
  }
  if (value.startsWith('0b')) return sign * parse(value.slice(2), '0b', /^[01]+$/)
  if (value.startsWith('0x')) return sign * parse(value.slice(2), '0x', /^[0-9a-fA-F]+$/)
  if (value[0] === '0') return sign * parse(value, '0o', /^[0-7]+$/)
  if (value.includes(':')) {
    // Each part is a digit in base 60; this many of them cannot make a writable int.
    if (value.split(':').length > 2500) throw new Error(TOO_LONG_TO_WRITE)
    let total = 0n
    let base = 1n
    for (const part of value.split(':').reverse()) {
      total += parse(part, '', /^[0-9]+$/) * base
      base *= 60n
    }
    return sign * total
  }
  return sign * parse(value, '', /^[0-9]+$/)
}

const constructInt = (text: string): bigint => writable(readInt(text))

const constructFloat = (text: string): number => {
  let value = text.replace(/_/g, '').toLowerCase()
  let sign = 1
  if (value[0] === '-') sign = -1
  if (value[0] === '+' || value[0] === '-') value = value.slice(1)
  if (value === '.inf') return sign * Infinity
  if (value === '.nan') return NaN
  const float = (s: string): number => {
    // Python's float() on what the resolver lets through: digits, one '.', a signed exponent.
    if (!/^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[-+]?[0-9]+)?$/.test(s)) throw new Error(`could not convert string to float: ${quote(text)}`)
    return Number(s)
  }
  if (value.includes(':')) {
    let total = 0
    let base = 1
    for (const part of value.split(':').reverse()) {
      total += float(part) * base
      base *= 60
    }
    return sign * total
  }
  return sign * float(value)
}

const daysIn = (year: number, month: number): number =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31

const constructTimestamp = (text: string): ImageSpec.PyDate | ImageSpec.PyDateTime => {
  const m = TIMESTAMP_PARTS.exec(text)
  if (m === null) throw new Error(`${quote(text)} is not a timestamp`)
  const [year, month, day] = [m[1], m[2], m[3]].map(Number) as [number, number, number]
  if (year < 1) throw new Error(`year ${year} is out of range`)
  if (month < 1 || month > 12) throw new Error('month must be in 1..12')
  if (day < 1 || day > daysIn(year, month)) throw new Error('day is out of range for month')
  if (m[4] === undefined) return { _tag: 'PyDate', year, month, day }
  const [hour, minute, second] = [m[4], m[5], m[6]].map(Number) as [number, number, number]
  if (hour > 23) throw new Error('hour must be in 0..23')
  if (minute > 59) throw new Error('minute must be in 0..59')
  if (second > 59) throw new Error('second must be in 0..59')
  const microsecond = m[7] ? Number(m[7].slice(0, 6).padEnd(6, '0')) : 0
  let offsetSeconds: number | undefined
  if (m[9] !== undefined) {
    const seconds = Number(m[10]) * 3600 + Number(m[11] ?? 0) * 60
    if (seconds >= 86400) throw new Error('offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24)')
    offsetSeconds = m[9] === '-' ? -seconds : seconds
  } else if (m[8] !== undefined) offsetSeconds = 0
  return { _tag: 'PyDateTime', year, month, day, hour, minute, second, microsecond, ...(offsetSeconds !== undefined ? { offsetSeconds } : {}) }
}

// -------------------------------------------------------------------------------------
// the text PyYAML reads
// -------------------------------------------------------------------------------------

// PyYAML's Reader refuses any other character anywhere in the stream.
const NON_PRINTABLE = /[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u

/** Characters PyYAML reads in a way the `yaml` package does not: refused, with the reason. */
const checkText = (text: string): void => {
  const bad = NON_PRINTABLE.exec(text)
  if (bad !== null) {
    const cp = bad[0].codePointAt(0)!
    throw new Refusal(`unacceptable character #x${cp.toString(16).padStart(4, '0')}: special characters are not allowed (PyYAML)`, bad.index)
  }
  const lineBreak = /[\u0085\u2028\u2029]/.exec(text)
  if (lineBreak !== null)
    throw new Refusal(
      `U+${lineBreak[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} is a line break in YAML 1.1 (PyYAML) but not in YAML 1.2; imgcfg refuses it rather than read the file differently (write it as an escape in a double-quoted string)`,
      lineBreak.index,
    )
}

/** The refusal of a lone `-` in a flow collection. */
export const LONE_DASH =
  "a lone - in a flow collection ([-] or {a: -}) is the string '-' for PyYAML, but a block sequence for the YAML parser imgcfg uses; imgcfg refuses it rather than read the file differently (quote it: '-')"

/** PyYAML does not pair surrogate escapes ("\ud83d\ude00" is two code points there): refused. */
const checkEscapes = (source: string, offset: number): void => {
  for (let i = 0; i < source.length; i++) {
    if (source[i] !== '\\') continue
    const next = source[i + 1]
    const digits = next === 'u' ? 4 : next === 'U' ? 8 : 0
    if (digits > 0) {
      const code = parseInt(source.slice(i + 2, i + 2 + digits), 16)
      if (code >= 0xd800 && code <= 0xdfff)
        throw new Refusal(
          'a surrogate escape (\\ud800-\\udfff): PyYAML keeps each as a code point of its own, which JavaScript text cannot hold; write the character itself or its \\U escape',
          offset + i,
        )
    }
    i++
  }
}

// -------------------------------------------------------------------------------------
// construction
// -------------------------------------------------------------------------------------

const tooDeep = (at: number): Refusal =>
  new Refusal(
    `values nested more than ${MAX_YAML_DEPTH} deep (aliases included): imgcfg reads at most ${MAX_YAML_DEPTH} levels (PyYAML and Python's repr fail near 490 with RecursionError)`,
    at,
  )

/**
 * Nesting too deep, found before the yaml package parses (its parser slows down and its composer
 * runs out of stack on very deep nesting, a 16 MiB file of `[` takes minutes). Counted from the
 * lexer's tokens in one pass: the open flow collections plus the open block collections, each
 * known by the column of its entries (`-`, `?`, or a key before `:`), the top-level one included.
 * Refused at the first entry 201 levels deep, where construction would refuse it; never more than
 * the real depth (a flow pair `[a: b]` is not counted).
 */
const checkDepth = (text: string): void => {
  let offset = 0
  let column = 0
  let flow = 0
  // The open block collections, innermost last: the column of their entries, and their kind.
  const blocks: Array<{ column: number; seq: boolean }> = []
  // Where the node that a `:` would make a key began on this line.
  let key: { column: number; offset: number } | undefined
  const enter = (seq: boolean, at: number, where: number): void => {
    while (blocks.length > 0 && blocks[blocks.length - 1]!.column > at) blocks.pop()
    const top = blocks[blocks.length - 1]
    // A key at the column of a sequence ends the sequence (`a:\n- x\nb: y`).
    if (!seq && top !== undefined && top.seq && top.column === at) blocks.pop()
    const parent = blocks[blocks.length - 1]
    if (parent !== undefined && parent.column === at && parent.seq === seq) return
    // Otherwise a new collection, deeper or a sequence as the value of a key at its column.
    blocks.push({ column: at, seq })
    if (blocks.length + flow > MAX_YAML_DEPTH) throw tooDeep(where)
  }
  for (const token of new Lexer().lex(text)) {
    // The lexer's own markers (document, scalar, flow end) are not part of the text.
    if (token === '\x1f' || token === '\x18') continue
    if (token === '\x02') {
      blocks.length = 0
      flow = 0
      continue
    }
    if (token === '\ufeff') {
      offset += token.length
      continue
    }
    if (token === '[' || token === '{') {
      if (flow === 0) key ??= { column, offset }
      flow++
      if (blocks.length + flow > MAX_YAML_DEPTH) throw tooDeep(offset)
    } else if (token === ']' || token === '}') flow = Math.max(0, flow - 1)
    else if (flow === 0) {
      if (token === '-' || token === '?') {
        enter(token === '-', column, offset)
        key = undefined
      } else if (token === ':') {
        // A key's value, or the value of an explicit `?` key at this column.
        enter(false, key?.column ?? column, key?.offset ?? offset)
        key = undefined
      } else if (token.includes('\n') || token === '---' || token === '...') key = undefined
      else if (token[0] !== ' ' && token[0] !== '\t' && token[0] !== '#') key ??= { column, offset }
    }
    offset += token.length
    const newline = token.lastIndexOf('\n')
    column = newline === -1 ? column + token.length : token.length - newline - 1
  }
}

const SUPPORTED_SCALAR_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'timestamp'])

const start = (node: { range?: [number, number, number] | null | undefined } | null | undefined, fallback: number): number =>
  node?.range?.[0] ?? fallback

/** Builds Python values from the document's nodes, as PyYAML's SafeConstructor would. */
const construct = (doc: Document, source: string) => {
  const building = new Set<Node>()
  const built = new Map<Node, PyValue>()
  // What each built collection holds once its aliases are expanded: flytekit's repr writes all of it.
  const sizes = new WeakMap<object, { values: number; characters: number; height: number }>()
  const sizeOf = (v: PyValue) =>
    typeof v === 'string' ? { values: 1, characters: v.length, height: 0 } : ((typeof v === 'object' && v !== null && sizes.get(v)) || { values: 1, characters: 0, height: 0 })
  const measure = (result: PyValue & object, children: ReadonlyArray<PyValue>, at: number): void => {
    let values = 1
    let characters = 0
    let height = 0
    for (const child of children) {
      const size = sizeOf(child)
      values += size.values
      characters += size.characters
      height = Math.max(height, size.height + 1)
    }
    if (values > MAX_EXPANDED_VALUES)
      throw new Refusal(
        `this value holds more than ${digits(MAX_EXPANDED_VALUES)} values once its aliases are expanded; PyYAML shares them, but flytekit writes every copy into the text it hashes (a "billion laughs" document hangs it), so imgcfg stops here`,
        at,
      )
    if (characters > MAX_EXPANDED_CHARACTERS)
      throw new Refusal(
        `the strings of this value hold more than ${digits(MAX_EXPANDED_CHARACTERS)} characters once its aliases are expanded; flytekit writes every copy into the text it hashes, so imgcfg stops here`,
        at,
      )
    sizes.set(result, { values, characters, height })
  }
  // Merge keys copy pairs, and merges of merges multiply them (PyYAML's flatten_mapping too).
  let merged = 0

  // Alias.resolve walks the document up to the alias: once per alias, not once per use.
  const targets = new Map<Node, Node>()
  const deref = (node: Node, at: number): Node => {
    if (!isAlias(node)) return node
    const known = targets.get(node)
    if (known !== undefined) return known
    const target = node.resolve(doc)
    if (target === undefined) throw new Refusal(`found undefined alias ${quote(node.source)}`, at)
    targets.set(node, target as Node)
    return target as Node
  }

  const scalar = (node: Scalar, at: number, asKey: boolean): PyValue => {
    const text = String(node.value ?? '')
    if (node.type === 'QUOTE_DOUBLE' && node.range) checkEscapes(source.slice(node.range[0], node.range[1]), node.range[0])
    let tag: string
    if (node.tag !== undefined && node.tag !== '!') {
      if (!node.tag.startsWith(TAG)) throw new Refusal(`could not determine a constructor for the tag ${quote(node.tag)} (PyYAML safe_load)`, at)
      tag = node.tag.slice(TAG.length)
      if (!SUPPORTED_SCALAR_TAGS.has(tag))
        throw new Refusal(`the tag !!${quote(tag).slice(1, -1)} is not supported by imgcfg (its Python value has no place in an ImageSpec hash imgcfg can reproduce)`, at)
    } else if (node.type === 'PLAIN' && node.tag === undefined) tag = resolvePlain(text)
    else tag = 'str'
    try {
      switch (tag) {
        case 'str':
          return text
        case 'null':
          return null
        case 'bool': {
          const b = BOOL_VALUES[text.toLowerCase()]
          if (b === undefined) throw new Error(`${quote(text)} is not a YAML 1.1 boolean`)
          return b
        }
        case 'int':
          if (!INT.test(text)) throw new Error(`imgcfg reads !!int only in the forms PyYAML resolves by itself, not ${quote(text)}`)
          return constructInt(text)
        case 'float':
          if (!FLOAT.test(text)) throw new Error(`imgcfg reads !!float only in the forms PyYAML resolves by itself, not ${quote(text)}`)
          return ImageSpec.pyFloat(constructFloat(text))
        case 'timestamp':
          return constructTimestamp(text)
        case 'merge':
        case 'value':
          if (asKey && tag === 'value') return '='
          throw new Error(`could not determine a constructor for the tag 'tag:yaml.org,2002:${tag}'`)
      }
    } catch (e) {
      if (e instanceof Refusal) throw e
      throw new Refusal((e as Error).message, at)
    }
    throw new Refusal(`unexpected tag ${tag}`, at)
  }

  const isMergeKey = (key: unknown): boolean =>
    isScalar(key) &&
    ((key.type === 'PLAIN' && key.tag === undefined && key.value === '<<') || key.tag === `${TAG}merge`)

  /** PyYAML's flatten_mapping: the pairs of a mapping with its merge keys expanded, merged pairs first. */
  const flatten = (node: Node, at: number, depth = 0, top = at): Array<{ key: unknown; value: unknown }> => {
    // A chain of merges (b merges a, c merges b, …) nests too: refused where it starts.
    if (depth >= MAX_YAML_DEPTH) throw tooDeep(top)
    const map = deref(node, at)
    if (!isMap(map)) throw new Refusal('expected a mapping for merging', at)
    const copied: Array<{ key: unknown; value: unknown }> = []
    const copy = (pairs: ReadonlyArray<{ key: unknown; value: unknown }>, from: number): void => {
      budget(pairs.length, from)
      for (const pair of pairs) copied.push(pair)
    }
    const own: Array<{ key: unknown; value: unknown }> = []
    for (const pair of map.items as Array<Pair<unknown, unknown>>) {
      const pairAt = start(pair.key as Node, at)
      if (isMergeKey(pair.key)) {
        const v = pair.value === null ? null : deref(pair.value as Node, pairAt)
        if (v !== null && isMap(v)) copy(flatten(v, pairAt, depth + 1, top), pairAt)
        else if (v !== null && isSeq(v)) {
          const subs = (v.items as Node[]).map((sub) => {
            const m = deref(sub, pairAt)
            if (!isMap(m)) throw new Refusal('expected a mapping for merging, but found a sequence item that is not one', start(sub, pairAt))
            return flatten(m, pairAt, depth + 1, top)
          })
          for (const sub of subs.reverse()) copy(sub, pairAt)
        } else throw new Refusal('expected a mapping or list of mappings for merging', pairAt)
      } else own.push({ key: pair.key, value: pair.value })
    }
    for (const pair of own) copied.push(pair)
    return copied
  }
  const budget = (pairs: number, at: number): void => {
    merged += pairs
    if (merged > MAX_EXPANDED_VALUES)
      throw new Refusal(
        `merge keys (<<) here copy more than ${digits(MAX_EXPANDED_VALUES)} pairs, merges of merges included; imgcfg stops here`,
        at,
      )
  }

  const value = (raw: unknown, at: number, asKey = false, depth = 0): PyValue => {
    if (raw === null || raw === undefined) return null
    const node = deref(raw as Node, at)
    const here = start(node, at)
    if (isScalar(node)) return scalar(node, here, asKey)
    if (depth >= MAX_YAML_DEPTH) throw tooDeep(here)
    if (building.has(node)) throw new Refusal('a recursive alias (a value that contains itself) cannot be hashed', here)
    const cached = built.get(node)
    if (cached !== undefined) {
      if (depth + sizeOf(cached).height >= MAX_YAML_DEPTH) throw tooDeep(start(raw as Node, at))
      return cached
    }
    building.add(node)
    let result: PyValue & object
    if (isSeq(node)) {
      if (node.tag !== undefined && node.tag !== `${TAG}seq`) throw new Refusal(`the tag ${quote(node.tag)} on a sequence is not supported (PyYAML safe_load)`, here)
      result = (node.items as unknown[]).map((item) => value(item, here, false, depth + 1))
      measure(result, result as PyValue[], here)
    } else if (isMap(node)) {
      if (node.tag !== undefined && node.tag !== `${TAG}map`) throw new Refusal(`the tag ${quote(node.tag)} on a mapping is not supported by imgcfg`, here)
      const entries = dictEntries(flatten(node, here), here, depth + 1)
      result = ImageSpec.pyDict(entries)
      measure(result, entries.flat(), here)
    } else throw new Refusal('unexpected YAML node', here)
    building.delete(node)
    built.set(node, result)
    return result
  }

  /** A Python dict from pairs: the first key object stays, the last value wins. */
  const dictEntries = (pairs: ReadonlyArray<{ key: unknown; value: unknown }>, at: number, depth: number): Array<[PyValue, PyValue]> => {
    const entries: Array<[PyValue, PyValue]> = []
    const index = new Map<string, number>()
    for (const pair of pairs) {
      const keyAt = start(pair.key as Node, at)
      const k = value(pair.key, keyAt, true, depth)
      const id = ImageSpec.dictKey(k)
      if (id === undefined) throw new Refusal(`found unhashable key (a ${ImageSpec.typeName(k)} cannot be a Python dict key)`, keyAt)
      const v = value(pair.value, keyAt, false, depth)
      const seen = index.get(id)
      if (seen === undefined) {
        index.set(id, entries.length)
        entries.push([k, v])
      } else entries[seen] = [entries[seen]![0], v]
    }
    return entries
  }

  return { value, flatten }
}

// -------------------------------------------------------------------------------------
// loading
// -------------------------------------------------------------------------------------

/**
 * `yaml.safe_load(text)` as PyYAML 6 computes it, with the offsets of the top-level keys.
 */
export const safeLoad = (text: string): { ok: true; loaded: Loaded } | { ok: false; problem: PyYamlProblem; lines: LineCounter } => {
  const lines = new LineCounter()
  try {
    checkText(text)
    checkDepth(text)
    const docs = parseAllDocuments(text, { schema: 'failsafe', version: '1.1', uniqueKeys: false, merge: false, lineCounter: lines })
    const list = Array.isArray(docs) ? docs : [docs]
    for (const d of list) {
      const e = d.errors[0]
      // PyYAML reads `[-]`, `[-, x]` and `{a: -}` as the string '-'; the yaml package sees a block
      // sequence there and says something beside the point.
      if (e !== undefined && /^-[,\]}]/.test(text.slice(e.pos[0], e.pos[0] + 2)))
        throw new Refusal(LONE_DASH, e.pos[0])
      // The yaml package's composer recurses, and reports running out of stack as an error.
      if (e !== undefined && /call stack|too much recursion/i.test(e.message)) throw tooDeep(e.pos[0])
      if (e !== undefined)
        return { ok: false, problem: { message: bounded(e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')), offset: e.pos[0], syntax: true }, lines }
    }
    if (list.length > 1) {
      const second = list[1]!
      return { ok: false, problem: { message: 'expected a single document in the stream, but found another document', offset: second.range[0], syntax: true }, lines }
    }
    const doc = list[0]
    if (doc === undefined || doc.contents === null) return { ok: true, loaded: { value: null, keys: new Map(), offset: 0, lines } }
    const { value, flatten } = construct(doc as Document, text)
    const root = doc.contents as Node
    const loadedValue = value(root, 0)
    const keys = new Map<string, KeyLocation>()
    const top = isAlias(root) ? root.resolve(doc as Document) : root
    if (top !== undefined && isMap(top)) {
      for (const pair of flatten(top as Node, 0)) {
        const k = pair.key
        if (isScalar(k) && typeof k.value === 'string' && !keys.has(k.value)) {
          const keyAt = start(k, 0)
          keys.set(k.value, { key: keyAt, value: start(pair.value as Node, keyAt) })
        }
      }
    }
    return { ok: true, loaded: { value: loadedValue, keys, offset: start(root, 0), lines } }
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, problem: { message: bounded(e.message), offset: e.offset, syntax: false }, lines }
    throw e
  }
}
