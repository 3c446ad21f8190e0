/**
 * Task image templates in Python sources: every `{{.image.NAME[.ATTR]}}` placeholder (core's
 * `ContainerImage.placeholders`, flytekit's own pattern) wherever it appears in a `.py` file,
 * grouped by the string literal that holds it, with 1-based line and column. Pure and
 * browser-safe; one pass over the text.
 *
 * @since 0.2.0
 */
import * as ContainerImage from '@imgcfg/core/ContainerImage'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * One template found in a source: the whole string literal's content when the placeholders sit
 * in one (`container_image="{{.image.gpu.fqn}}:{{.image.gpu.version}}"`), else the placeholder
 * alone. `line`/`column` are 1-based and point at the template's first character; columns count
 * UTF-16 code units.
 *
 * @since 0.2.0
 */
export interface TaskTemplate {
  readonly template: string
  readonly line: number
  readonly column: number
  /** UTF-16 offset of the template in the source. */
  readonly offset: number
  /**
   * The string prefix as written (`''`, `r`, `f`, `rb`, …); `undefined` for a placeholder outside
   * any string. In an f-string `{{` is an escaped brace: Python hands flytekit `{.image.x}`.
   */
  readonly prefix?: string
  /** The placeholders of the template: `offset` within the template, `line`/`column` in the source. */
  readonly placeholders: ReadonlyArray<LocatedPlaceholder>
}

/**
 * A placeholder of a found template, with where it sits in the source.
 *
 * @since 0.2.0
 */
export interface LocatedPlaceholder extends ContainerImage.Placeholder {
  readonly line: number
  readonly column: number
}

// -------------------------------------------------------------------------------------
// scanning
// -------------------------------------------------------------------------------------

/** `[start, end)` of a string literal's content, and its prefix. */
type Span = readonly [number, number, string]

const isPrefixChar = (c: string | undefined): boolean => c !== undefined && 'rRbBuUfF'.includes(c)
const isWordChar = (c: string | undefined): boolean => c !== undefined && /[\w]/.test(c)

/** The letters right before a quote that make a string prefix (`f`, `rb`), or `''`. */
const prefixAt = (text: string, quote: number): string => {
  let i = quote
  while (i > 0 && quote - i < 2 && isPrefixChar(text[i - 1])) i--
  // `elif"x"` is not a prefix: the letters must start a token.
  return i < quote && isWordChar(text[i - 1]) ? '' : text.slice(i, quote)
}

/**
 * The content spans of the Python string literals of `text`, in order: comments are skipped,
 * prefixes (`r`, `f`, `rb`, …), single and triple quotes and backslash escapes are understood.
 * An unterminated literal runs to the end of its line (triple-quoted: of the text).
 */
const stringSpans = (text: string): ReadonlyArray<Span> => {
  const spans: Span[] = []
  const n = text.length
  let i = 0
  while (i < n) {
    const c = text[i]!
    if (c === '#') {
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++
      continue
    }
    if (c !== '"' && c !== "'") {
      i++
      continue
    }
    // A prefix (r, b, f, rb, …) is skipped like any code before the quote; in a raw string a
    // backslash still cannot end the literal, so escapes are skipped the same way.
    const triple = text.startsWith(c.repeat(3), i)
    const quote = triple ? c.repeat(3) : c
    const start = i + quote.length
    let j = start
    for (;;) {
      if (j >= n) break
      const d = text[j]!
      if (d === '\\') {
        j += 2
        continue
      }
      if (!triple && (d === '\n' || d === '\r')) break
      if (text.startsWith(quote, j)) break
      j++
    }
    const end = Math.min(j, n)
    spans.push([start, end, prefixAt(text, i)])
    i = end + (text.startsWith(quote, end) ? quote.length : 0)
  }
  return spans
}

/** Offsets where each line starts; `\n`, `\r\n` and `\r` end a line. */
const lineStarts = (text: string): ReadonlyArray<number> => {
  const starts = [0]
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1)
  }
  return starts
}

const position = (starts: ReadonlyArray<number>, offset: number): { line: number; column: number } => {
  let lo = 0
  let hi = starts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (starts[mid]! <= offset) lo = mid
    else hi = mid - 1
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 }
}

/**
 * Every image template of a Python source, in source order.
 *
 * @example
 * import { scanTaskTemplates } from '@imgcfg/config-file/text'
 * scanTaskTemplates('@task(container_image="{{.image.gpu.fqn}}:{{.image.gpu.version}}")\n')
 * // [{ template: '{{.image.gpu.fqn}}:{{.image.gpu.version}}', line: 1, column: 24, offset: 23, placeholders: [gpu.fqn at 0, gpu.version at 19] }]
 *
 * @since 0.2.0
 */
export const scanTaskTemplates = (text: string): ReadonlyArray<TaskTemplate> => {
  if (typeof text !== 'string') return []
  const found = ContainerImage.placeholders(text)
  if (found.length === 0) return []
  const spans = stringSpans(text)
  const starts = lineStarts(text)
  const out: TaskTemplate[] = []
  let s = 0
  let k = 0
  while (k < found.length) {
    const p = found[k]!
    while (s < spans.length && spans[s]![1] <= p.offset) s++
    const span = spans[s]
    if (span !== undefined && span[0] <= p.offset && p.offset + p.text.length <= span[1]) {
      const template = text.slice(span[0], span[1])
      const inside: LocatedPlaceholder[] = []
      while (k < found.length && found[k]!.offset + found[k]!.text.length <= span[1]) {
        const q = found[k]!
        inside.push({ ...q, offset: q.offset - span[0], ...position(starts, q.offset) })
        k++
      }
      out.push({ template, offset: span[0], ...position(starts, span[0]), prefix: span[2], placeholders: inside })
      continue
    }
    out.push({ template: p.text, offset: p.offset, ...position(starts, p.offset), placeholders: [{ ...p, offset: 0, ...position(starts, p.offset) }] })
    k++
  }
  return out
}

/** flytekit's `\s` among ASCII bytes: tab, newline, vertical tab, form feed, return, 0x1c-0x1f, space. */
const isAsciiSpace = (b: number): boolean => b === 0x20 || (b >= 0x09 && b <= 0x0d) || (b >= 0x1c && b <= 0x1f)

/**
 * Whether UTF-8 `bytes` may hold a placeholder, decided on the bytes before anything is decoded:
 * false only when no `{{` is followed, after ASCII whitespace, by `.` and a byte that can start
 * `i`/`I` (a byte of a multi-byte character counts as "may": U+0130, U+0131 and the non-ASCII
 * spaces are left to `scanTaskTemplates`). Never false for text `scanTaskTemplates` finds a
 * template in; lets `lint --tasks` skip decoding most files.
 *
 * @example
 * import { mayContainTemplates } from '@imgcfg/config-file/text'
 * mayContainTemplates(new TextEncoder().encode('x = "{{ not an image }}"')) // false
 * mayContainTemplates(new TextEncoder().encode('"{{ .image.gpu.fqn }}"')) // true
 *
 * @since 0.2.0
 */
export const mayContainTemplates = (bytes: Uint8Array): boolean => {
  const n = bytes.length
  for (let i = bytes.indexOf(0x7b); i !== -1 && i + 1 < n; i = bytes.indexOf(0x7b, i + 1)) {
    if (bytes[i + 1] !== 0x7b) continue
    let j = i + 2
    while (j < n && isAsciiSpace(bytes[j]!)) j++
    if (j >= n) return false
    if (bytes[j]! >= 0x80) return true
    if (bytes[j] !== 0x2e) continue
    const c = bytes[j + 1]
    if (c !== undefined && (c === 0x69 || c === 0x49 || c >= 0x80)) return true
  }
  return false
}
