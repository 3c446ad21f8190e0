/**
 * A reader for legacy flytekit INI config files that behaves like Python's
 * `configparser.ConfigParser()` with its default settings, because users share these files with
 * flytekit: `=` and `:` delimiters, lowercased option names, `[DEFAULT]` options in every
 * section, indented continuation lines, whole-line `#`/`;` comments, strict duplicate checks and
 * `%(name)s` interpolation (`BasicInterpolation`) when a section's items are read.
 *
 * Pure and browser-safe: it works on text; reading the file is the caller's job.
 *
 * Deliberate differences from Python, all on inputs Python rejects or mangles:
 * - a leading byte-order mark is dropped (Python keeps `\ufeff` and then finds no section header);
 * - when a file has several errors, the first one by line is reported (Python raises duplicate
 *   errors at once but collects parsing errors until the end of the file);
 * - an interpolated value longer than `MAX_INTERPOLATED_LENGTH` is an error, so a few nested
 *   references cannot build a gigabyte string.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { ConfigSyntaxError, InternalSection } from './errors.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The text is not an INI file Python's configparser accepts. */
export type IniSyntaxError = ConfigSyntaxError & { readonly format: 'ini' }

/** The file has an `[internal]` section, which flytekit rejects. */
export type IniInternalSection = InternalSection

/** Everything `parseIni` and `sectionItems` can fail with. */
export type IniError = IniSyntaxError | IniInternalSection

/** One `name = value` option as written in the file, before interpolation. */
export interface IniOption {
  /** Lowercased, as Python's `optionxform` does. */
  readonly name: string
  /** Raw value: continuation lines joined with `'\n'`, trailing empty lines dropped. */
  readonly value: string
  /** 1-based line of the `name = value` line. */
  readonly line: number
  /** 1-based column (UTF-16 code units) where the value starts on that line. */
  readonly column: number
}

/** A `[name]` section (never `[DEFAULT]`); the name keeps its case. */
export interface IniSection {
  readonly name: string
  /** 1-based line of the header. */
  readonly line: number
  readonly options: ReadonlyArray<IniOption>
}

/** A parsed file: the `[DEFAULT]` options (from every `[DEFAULT]` block) and the other sections. */
export interface IniDocument {
  readonly defaults: ReadonlyArray<IniOption>
  readonly sections: ReadonlyArray<IniSection>
}

/** Where the text came from, named in every error (usually the file path). */
export interface IniSource {
  readonly origin?: string
}

/** configparser's `default_section`: its options appear in every section. */
export const DEFAULT_SECTION = 'DEFAULT'

/** flytekit refuses files with this section. */
export const INTERNAL_SECTION = 'internal'

/** configparser's `MAX_INTERPOLATION_DEPTH`. */
export const MAX_INTERPOLATION_DEPTH = 10

/** Longest value interpolation may build (Python has no limit; we bound memory instead). */
export const MAX_INTERPOLATED_LENGTH = 1_048_576

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * Parses INI text as `ConfigParser().read(path)` does, then rejects an `[internal]` section as
 * flytekit does. Errors carry `origin`, a 1-based line and column, and a sentence for the user.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { parseIni } from './ini.js'
 *
 * const doc = parseIni('[images]\nMyImage = ghcr.io/org/app:v1\n', { origin: 'flytekit.config' })
 * assert.deepStrictEqual(E.isRight(doc) && doc.right.sections[0]?.options[0]?.name, 'myimage')
 */
export const parseIni = (text: string, source: IniSource = {}): E.Either<IniError, IniDocument> =>
  E.map((read: IniRead) => read.doc)(readIni(text, source))

/** What `readIni` returns: the document, and where each section's option values start. */
export interface IniRead {
  readonly doc: IniDocument
  /**
   * `valueStarts[i][j]`: the UTF-16 offset in the text given to `readIni` where the value of
   * `doc.sections[i].options[j]` starts.
   */
  readonly valueStarts: ReadonlyArray<ReadonlyArray<number>>
  /** The same for `doc.defaults`. */
  readonly defaultValueStarts: ReadonlyArray<number>
}

/**
 * `parseIni`, also telling where each section's option values start in the text. Internal: for
 * `parseConfigText`'s value ranges, which would otherwise scan the text again for line starts.
 */
export const readIni = (text: string, source: IniSource = {}): E.Either<IniError, IniRead> => {
  const at = locator(source.origin)
  const parsed = readDocument(text, at)
  if (E.isLeft(parsed)) return parsed
  const internal = parsed.right.headers.find((h) => h.name === INTERNAL_SECTION)
  return internal === undefined
    ? E.right(parsed.right)
    : E.left({ _tag: 'InternalSection', ...at(internal.line, internal.column) })
}

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/**
 * Whether the file has a section of that name (case-sensitive). Like Python's `has_section`,
 * `DEFAULT` is never a section.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { hasSection, parseIni } from './ini.js'
 *
 * const doc = parseIni('[images]\n')
 * assert.deepStrictEqual(E.isRight(doc) && hasSection(doc.right, 'images'), true)
 */
export const hasSection = (doc: IniDocument, section: string): boolean =>
  doc.sections.some((s) => s.name === section)

/**
 * Python's `items(section)`: the `[DEFAULT]` options first, in their order, with the section's
 * values overriding them in place, then the section's own options; every value interpolated
 * (`%(name)s` looks the lowercased name up in the section, then `[DEFAULT]`; `%%` is `%`).
 * A missing section is an error, as in Python: check `hasSection` first when it is optional.
 * The first option that fails to interpolate, in that order, is the error.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 * import { parseIni, sectionItems } from './ini.js'
 *
 * const items = pipe(
 *   parseIni('[DEFAULT]\nrepo = ghcr.io/org\n[images]\napp = %(repo)s/app:v1\n'),
 *   E.chain((doc) => sectionItems(doc, 'images')),
 *   E.map((xs) => xs.map(([name, value]) => [name, value]))
 * )
 * assert.deepStrictEqual(items, E.right([['repo', 'ghcr.io/org'], ['app', 'ghcr.io/org/app:v1']]))
 */
export const sectionItems = (
  doc: IniDocument,
  section: string,
  source: IniSource = {}
): E.Either<IniError, ReadonlyArray<readonly [name: string, value: string, option: IniOption]>> => {
  const at = locator(source.origin)
  const own = doc.sections.find((s) => s.name === section)
  if (own === undefined && section !== DEFAULT_SECTION) {
    return E.left(syntaxError(`section ${quote(section)} does not exist`, at()))
  }
  if (own !== undefined && doc.defaults.length === 0 && own.options.every((option) => !option.value.includes('%'))) {
    // nothing to merge or interpolate: the options as written
    return E.right(own.options.map((option) => [option.name, option.value, option] as const))
  }
  // Map.set keeps an existing key's position, as dict.update does in Python's items().
  const merged = new Map<string, IniOption>()
  for (const option of doc.defaults) merged.set(option.name, option)
  for (const option of own?.options ?? []) merged.set(option.name, option)

  const expand = expander(merged)
  const items: Array<readonly [string, string, IniOption]> = []
  for (const [name, option] of merged) {
    const result = expand(name, 1)
    if (!result.ok) {
      return E.left(
        syntaxError(describeFailure(result.failure, option, section), at(...valuePosition(option, result.offset)))
      )
    }
    items.push([name, result.value, option])
  }
  return E.right(items)
}

// -------------------------------------------------------------------------------------
// utils: reading
// -------------------------------------------------------------------------------------

type Locate = (line?: number, column?: number) => { origin?: string; line?: number; column?: number }

const locator =
  (origin: string | undefined): Locate =>
  (line, column) => ({
    ...(origin === undefined ? {} : { origin }),
    ...(line === undefined ? {} : { line }),
    ...(column === undefined ? {} : { column }),
  })

const syntaxError = (message: string, where: ReturnType<Locate>): IniSyntaxError => ({
  _tag: 'ConfigSyntaxError',
  format: 'ini',
  message,
  ...where,
})

/** An option while its value may still grow by continuation lines (see `readDocument`). */
interface OptionDraft {
  name: string
  value: string
  line: number
  column: number
}

interface SectionDraft {
  readonly name: string
  readonly line: number
  readonly options: Array<IniOption>
  /** Where each option's value starts in the text. */
  readonly valueStarts: Array<number>
}

interface Header {
  readonly name: string
  readonly line: number
  readonly column: number
}

const HASH = 0x23
const SEMICOLON = 0x3b
const LBRACKET = 0x5b

/**
 * configparser's `_read` loop. Each line is classified in Python's order: blank, comment,
 * continuation (indented deeper than the line that opened the current option), section header,
 * option. Stops at the first error.
 *
 * It works on offsets into the text: a line's name and value are sliced from the text once, and
 * an option's value is joined from its lines only when continuation lines follow it.
 */
const readDocument = (
  input: string,
  at: Locate
): E.Either<IniSyntaxError, IniRead & { headers: ReadonlyArray<Header> }> => {
  // Python keeps a BOM (the default encoding is utf-8, not utf-8-sig) and then fails on line 1.
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input
  // offsets index `input`, as given
  const shift = input.length - text.length
  const defaults: SectionDraft = { name: DEFAULT_SECTION, line: 0, options: [], valueStarts: [] }
  // [DEFAULT] may be reopened, so its names are kept apart; a Set so `__proto__` is a plain name
  const defaultNames = new Set<string>()
  // the option names of the section being read
  let sectionNames = new Set<string>()
  const sections = new Map<string, SectionDraft>()
  const headers: Array<Header> = []
  let current: SectionDraft | undefined
  let option: OptionDraft | undefined
  // The lines of the option's value after its first, once a continuation line comes; blank lines
  // are counted until one does (trailing blank lines are dropped, as Python's strip does).
  let parts: Array<string> | undefined
  let blanks = 0
  // Indentation of the last header or option line; deeper lines continue the option.
  let indentLevel = 0

  /** Python joins the lines with '\n' and strips the end, which drops trailing blank lines. */
  const finishOption = (): void => {
    if (option !== undefined && parts !== undefined) option.value = parts.join('\n')
    option = undefined
    parts = undefined
    blanks = 0
  }

  let lineNo = 0
  let pos = 0
  while (pos < text.length) {
    lineNo += 1
    const lineStart = pos
    const end = lineEnd(text, pos)
    pos = nextLineStart(text, end)

    const start = firstNonSpace(text, lineStart, end)
    if (start === end) {
      // Blank lines belong to the value being read (empty_lines_in_values); trailing ones are
      // trimmed when the value is joined.
      if (option !== undefined) blanks += 1
      continue
    }
    const contentEnd = lastNonSpace(text, start, end) + 1
    const first = text.charCodeAt(start)
    // A comment is skipped without ending the value, even when indented inside it.
    if (first === HASH || first === SEMICOLON) continue

    const indent = start - lineStart
    if (option !== undefined && indent > indentLevel) {
      if (parts === undefined) parts = [option.value]
      for (; blanks > 0; blanks--) parts.push('')
      parts.push(text.slice(start, contentEnd))
      continue
    }
    finishOption()
    indentLevel = indent
    const column = indent + 1

    const header = first === LBRACKET ? sectionHeader(text.slice(start, contentEnd)) : undefined
    if (header !== undefined) {
      if (header === DEFAULT_SECTION) {
        // [DEFAULT] may be reopened; its options are still checked for duplicates.
        current = defaults
      } else {
        const existing = sections.get(header)
        if (existing !== undefined) {
          return E.left(
            syntaxError(
              `section ${quote(header)} already exists (first at line ${existing.line})`,
              at(lineNo, column)
            )
          )
        }
        current = { name: header, line: lineNo, options: [], valueStarts: [] }
        sectionNames = new Set()
        sections.set(header, current)
        headers.push({ name: header, line: lineNo, column })
      }
      continue
    }

    if (current === undefined) {
      return E.left(
        syntaxError(
          `File contains no section headers: ${quote(text.slice(start, contentEnd))} comes before any '[section]' line`,
          at(lineNo, column)
        )
      )
    }

    const delimiter = firstDelimiter(text, start, contentEnd)
    if (delimiter === -1) {
      return E.left(syntaxError(notAnOption(text.slice(start, contentEnd), indent > 0), at(lineNo, column)))
    }
    if (delimiter === start) {
      const content = text.slice(start, contentEnd)
      return E.left(
        syntaxError(`option name is missing before ${quote(content[0] ?? '')} in ${quote(content)}`, at(lineNo, column))
      )
    }
    const name = text.slice(start, lastNonSpace(text, start, delimiter) + 1).toLowerCase()
    const names = current === defaults ? defaultNames : sectionNames
    const known = names.size
    if (names.add(name).size === known) {
      const firstLine = current.options.find((o) => o.name === name)!.line
      return E.left(
        syntaxError(
          `option ${quote(name)} in section ${quote(current.name)} already exists (first at line ${firstLine})`,
          at(lineNo, column)
        )
      )
    }
    const valueStart = firstNonSpace(text, delimiter + 1, contentEnd)
    option = { name, value: text.slice(valueStart, contentEnd), line: lineNo, column: valueStart - lineStart + 1 }
    current.options.push(option)
    current.valueStarts.push(valueStart + shift)
  }
  finishOption()

  const drafts = Array.from(sections.values())
  return E.right({
    doc: {
      defaults: defaults.options,
      sections: drafts.map((s) => ({ name: s.name, line: s.line, options: s.options })),
    },
    valueStarts: drafts.map((s) => s.valueStarts),
    defaultValueStarts: defaults.valueStarts,
    headers,
  })
}

const notAnOption = (content: string, indented: boolean): string => {
  const expected = `expected a '[section]' header, a 'name = value' option or a comment, found ${quote(content)}`
  if (content.startsWith('[')) return `${expected} (a section header needs a name and a closing ']')`
  if (indented) return `${expected} (an indented line continues a value only below a less indented option)`
  return expected
}

/** configparser's SECTCRE `\[(?P<header>.+)\]`, matched at the start: up to the last `]`. */
const sectionHeader = (content: string): string | undefined => {
  if (!content.startsWith('[')) return undefined
  const close = content.lastIndexOf(']')
  return close >= 2 ? content.slice(1, close) : undefined
}

/** The option regex takes the shortest name, so the first `=` or `:` in `s[from, to)` splits the line. */
const firstDelimiter = (s: string, from: number, to: number): number => {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i)
    if (c === 0x3d || c === 0x3a) return i
  }
  return -1
}

/** Universal newlines, as Python's text mode: `\r\n`, `\r` and `\n` end a line. */
const lineEnd = (text: string, from: number): number => {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x0a || c === 0x0d) return i
  }
  return text.length
}

const nextLineStart = (text: string, end: number): number =>
  text.charCodeAt(end) === 0x0d && text.charCodeAt(end + 1) === 0x0a ? end + 2 : end + 1

/**
 * Python's `str.isspace`, which `strip()` and the regex `\s` use: JavaScript's `trim` differs
 * (it strips U+FEFF, and keeps U+001C–U+001F and U+0085).
 */
const isPySpace = (c: number): boolean =>
  (c >= 0x09 && c <= 0x0d) ||
  (c >= 0x1c && c <= 0x20) ||
  c === 0x85 ||
  c === 0xa0 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000

/** Index of the first non-space character of `s[from, to)`, or `to` when there is none. */
const firstNonSpace = (s: string, from: number, to: number): number => {
  let i = from
  while (i < to && isPySpace(s.charCodeAt(i))) i++
  return i
}

/** Index of the last non-space character of `s[from, to)`, or `from - 1` when there is none. */
const lastNonSpace = (s: string, from: number, to: number): number => {
  let i = to - 1
  while (i >= from && isPySpace(s.charCodeAt(i))) i--
  return i
}

// -------------------------------------------------------------------------------------
// utils: interpolation
// -------------------------------------------------------------------------------------

type Failure =
  | { readonly kind: 'syntax'; readonly message: string }
  | { readonly kind: 'missing'; readonly key: string }
  | { readonly kind: 'depth' }
  | { readonly kind: 'tooLong' }

type Expansion =
  | { readonly ok: true; readonly value: string }
  /** `offset`: where in the expanded option's own raw value the failing `%` sits. */
  | { readonly ok: false; readonly offset: number; readonly failure: Failure }

/**
 * BasicInterpolation's `_interpolate_some`. A reference expands the referenced raw value one
 * level deeper, but only when it contains a `%`. Results are memoised per (name, depth), and
 * strings are built by concatenation (ropes in JavaScript engines), so references that fan out
 * cost time linear in the text rather than exponential in the depth.
 */
const expander = (merged: ReadonlyMap<string, IniOption>) => {
  const memo = new Map<string, Expansion>()
  const hasPercent = new Map<string, boolean>()

  const expand = (name: string, depth: number): Expansion => {
    const raw = merged.get(name)?.value ?? ''
    let percent = hasPercent.get(name)
    if (percent === undefined) {
      percent = raw.includes('%')
      hasPercent.set(name, percent)
    }
    if (!percent) return { ok: true, value: raw }
    if (depth > MAX_INTERPOLATION_DEPTH) return { ok: false, offset: 0, failure: { kind: 'depth' } }
    const key = `${depth}:${name}`
    const known = memo.get(key)
    if (known !== undefined) return known
    const result = expandRaw(raw, depth)
    memo.set(key, result)
    return result
  }

  const expandRaw = (raw: string, depth: number): Expansion => {
    let out = ''
    let i = 0
    while (i < raw.length) {
      const p = raw.indexOf('%', i)
      if (p === -1) {
        out += raw.slice(i)
        break
      }
      out += raw.slice(i, p)
      const next = raw[p + 1]
      if (next === '%') {
        out += '%'
        i = p + 2
      } else if (next === '(') {
        // _KEYCRE `%\(([^)]+)\)s`: a non-empty name up to the first `)`, then `s`.
        const close = raw.indexOf(')', p + 2)
        if (close <= p + 2 || raw[close + 1] !== 's') {
          const message = `bad interpolation variable reference ${quote(raw.slice(p))}`
          return { ok: false, offset: p, failure: { kind: 'syntax', message } }
        }
        const ref = raw.slice(p + 2, close).toLowerCase()
        if (!merged.has(ref)) return { ok: false, offset: p, failure: { kind: 'missing', key: ref } }
        const sub = expand(ref, depth + 1)
        if (!sub.ok) return { ok: false, offset: p, failure: sub.failure }
        out += sub.value
        i = close + 2
        // Only references can grow a value beyond its raw length.
        if (out.length > MAX_INTERPOLATED_LENGTH) return { ok: false, offset: p, failure: { kind: 'tooLong' } }
      } else {
        const message = `'%' must be followed by '%' or '(', found: ${quote(raw.slice(p))}`
        return { ok: false, offset: p, failure: { kind: 'syntax', message } }
      }
    }
    return { ok: true, value: out }
  }

  return expand
}

const describeFailure = (failure: Failure, option: IniOption, section: string): string => {
  const subject = `option ${quote(option.name)} in section ${quote(section)}`
  switch (failure.kind) {
    case 'syntax':
      return `${subject}: ${failure.message}`
    case 'missing':
      return `${subject} contains an interpolation key ${quote(failure.key)} which is not a valid option name; raw value: ${quote(option.value)}`
    case 'depth':
      return `${subject} contains an interpolation key which cannot be substituted in ${MAX_INTERPOLATION_DEPTH} steps; raw value: ${quote(option.value)}`
    case 'tooLong':
      return `${subject} expands to more than ${MAX_INTERPOLATED_LENGTH} characters`
  }
}

/**
 * Line and column of an offset in an option's raw value. Only the first line of a value maps
 * back exactly (blank and comment lines inside a value are not recorded), so later offsets point
 * at the start of the value.
 */
const valuePosition = (option: IniOption, offset: number): [number, number] => {
  const firstLineLength = option.value.indexOf('\n')
  return firstLineLength === -1 || offset < firstLineLength
    ? [option.line, option.column + offset]
    : [option.line, option.column]
}

// -------------------------------------------------------------------------------------
// utils: messages
// -------------------------------------------------------------------------------------

const MAX_QUOTED_LENGTH = 60

/**
 * Quotes text for a message the way Python's `repr` does (so messages look like flytekit's),
 * escaping control and invisible characters, and cutting long text with an ellipsis.
 */
const quote = (s: string): string => {
  let shown = s
  let cut = false
  if (shown.length > MAX_QUOTED_LENGTH) {
    const high = shown.charCodeAt(MAX_QUOTED_LENGTH - 1)
    // Never split a surrogate pair.
    shown = shown.slice(0, high >= 0xd800 && high <= 0xdbff ? MAX_QUOTED_LENGTH - 1 : MAX_QUOTED_LENGTH)
    cut = true
  }
  const q = shown.includes("'") && !shown.includes('"') ? '"' : "'"
  let out = q
  for (const ch of shown) out += escapeChar(ch, q)
  return `${out}${q}${cut ? '…' : ''}`
}

const INVISIBLE = /^[\p{C}\p{Z}]$/u

const escapeChar = (ch: string, q: string): string => {
  if (ch === '\\' || ch === q) return `\\${ch}`
  if (ch === '\n') return '\\n'
  if (ch === '\r') return '\\r'
  if (ch === '\t') return '\\t'
  if (ch === ' ' || !INVISIBLE.test(ch)) return ch
  const code = ch.codePointAt(0) ?? 0
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`
  if (code < 0x10000) return `\\u${code.toString(16).padStart(4, '0')}`
  return `\\U${code.toString(16).padStart(8, '0')}`
}
