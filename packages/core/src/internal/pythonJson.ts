/**
 * JSON text byte-identical to Python's `json.dumps` (default `ensure_ascii=True`), so files
 * written by imgcfg and by flytekit compare equal.
 */

export interface PythonJsonOptions {
  /** As Python's `indent`: with it, items are separated by `,` and a newline. */
  readonly indent?: number | undefined
  readonly sortKeys?: boolean
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
}

// Python escapes everything outside printable ASCII, UTF-16 unit by unit, with lowercase hex.
const escapeString = (s: string): string =>
  `"${s.replace(/[^\x20-\x7e]|["\\]/g, (ch) => SHORT_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`

const isPlainObject = (v: unknown): v is { readonly [key: string]: unknown } =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** Serializes `value` as Python's `json.dumps(value, indent=…, sort_keys=…)` would. */
export const toPythonJson = (value: unknown, options: PythonJsonOptions = {}): string => {
  const indent = typeof options.indent === 'number' && options.indent >= 0 ? ' '.repeat(options.indent) : undefined
  const write = (v: unknown, depth: number): string => {
    if (v === null || v === undefined) return 'null'
    if (typeof v === 'string') return escapeString(v)
    if (typeof v === 'boolean') return v ? 'true' : 'false'
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v > 0 ? 'Infinity' : v < 0 ? '-Infinity' : 'NaN'
    if (typeof v !== 'object') return 'null'
    const items: string[] = Array.isArray(v)
      ? v.map((item) => write(item, depth + 1))
      : isPlainObject(v)
        ? (options.sortKeys ? Object.keys(v).sort() : Object.keys(v)).map(
            (key) => `${escapeString(key)}: ${write(v[key], depth + 1)}`,
          )
        : []
    const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}']
    if (items.length === 0) return `${open}${close}`
    if (indent === undefined) return `${open}${items.join(', ')}${close}`
    const inner = `\n${indent.repeat(depth + 1)}`
    return `${open}${inner}${items.join(`,${inner}`)}\n${indent.repeat(depth)}${close}`
  }
  return write(value, 0)
}
