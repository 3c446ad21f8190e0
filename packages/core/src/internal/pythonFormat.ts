/**
 * Python's `str.format` as flytekit calls it on `tag_format`: `tag_format.format(spec_hash=tag)`.
 * Literal text with `{{`/`}}` escapes, `{spec_hash}` fields with an optional conversion (`!r`,
 * `!s`, `!a`) and a format spec (`[[fill]align][0][width][.precision][s]`, which may itself hold
 * `{spec_hash}`), with Python's errors for everything else. Attribute and index access
 * (`{spec_hash.upper}`, `{spec_hash[0]}`) are refused rather than imitated.
 */
import { asciiString, codePoints, reprString } from './pythonText.js'

export type FormatResult = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly message: string; readonly field?: string }

class FormatError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message)
  }
}

/** Widths beyond this would build a tag no registry accepts; refused instead of allocated. */
const MAX_WIDTH = 10_000

const applySpec = (value: string, spec: string): string => {
  const cps = codePoints(spec)
  const chars = cps.map((cp) => String.fromCodePoint(cp))
  let i = 0
  let fill: string | undefined
  let align: string | undefined
  const isAlign = (c: string | undefined) => c !== undefined && '<>=^'.includes(c)
  if (chars.length >= 2 && isAlign(chars[1])) {
    fill = chars[0]
    align = chars[1]
    i = 2
  } else if (isAlign(chars[0])) {
    align = chars[0]
    i = 1
  }
  let sign: string | undefined
  if (chars[i] === '+' || chars[i] === '-' || chars[i] === ' ') sign = chars[i++]
  let noNegZero = false
  if (chars[i] === 'z') {
    noNegZero = true
    i++
  }
  let alternate = false
  if (chars[i] === '#') {
    alternate = true
    i++
  }
  if (chars[i] === '0') {
    fill ??= '0'
    i++
  }
  const digits = (): string => {
    let d = ''
    while (i < chars.length && /[0-9]/.test(chars[i]!)) d += chars[i++]
    return d
  }
  const widthText = digits()
  let grouping: string | undefined
  if (chars[i] === ',' || chars[i] === '_') {
    grouping = chars[i++]
    if (chars[i] === ',' || chars[i] === '_') throw new FormatError("Cannot specify both ',' and '_'.")
  }
  let precisionText: string | undefined
  if (chars[i] === '.') {
    i++
    precisionText = digits()
    if (precisionText === '') throw new FormatError('Format specifier missing precision')
  }
  const rest = chars.slice(i).join('')
  if (chars.length - i > 1) throw new FormatError(`Invalid format specifier '${spec}' for object of type 'str'`)
  const type = rest === '' ? 's' : rest
  if (type !== 's') throw new FormatError(`Unknown format code '${type}' for object of type 'str'`)
  if (grouping !== undefined) throw new FormatError(`Cannot specify '${grouping}' with 's'.`)
  if (sign === ' ') throw new FormatError('Space not allowed in string format specifier')
  if (sign !== undefined) throw new FormatError('Sign not allowed in string format specifier')
  if (noNegZero) throw new FormatError('Negative zero coercion (z) not allowed in format specifier')
  if (alternate) throw new FormatError('Alternate form (#) not allowed in string format specifier')
  if (align === '=') throw new FormatError("'=' alignment not allowed in string format specifier")
  if (widthText.length > 18 || (precisionText ?? '').length > 18) throw new FormatError('Too many decimal digits in format string')
  const width = widthText === '' ? 0 : Number(widthText)
  if (width > MAX_WIDTH) throw new FormatError(`a width of ${width} (imgcfg stops at ${MAX_WIDTH})`)
  let text = codePoints(value)
  if (precisionText !== undefined) text = text.slice(0, Number(precisionText))
  const pad = Math.max(0, width - text.length)
  const body = String.fromCodePoint(...text)
  const f = fill ?? ' '
  switch (align ?? '<') {
    case '>':
      return f.repeat(pad) + body
    case '^': {
      const left = Math.floor(pad / 2)
      return f.repeat(left) + body + f.repeat(pad - left)
    }
    default:
      return body + f.repeat(pad)
  }
}

const render = (template: string, fields: Readonly<Record<string, string>>, depth: number): string => {
  if (depth > 1) throw new FormatError('Max string recursion exceeded')
  let out = ''
  let i = 0
  while (i < template.length) {
    const c = template[i]!
    if (c === '}') {
      if (template[i + 1] !== '}') throw new FormatError("Single '}' encountered in format string")
      out += '}'
      i += 2
      continue
    }
    if (c !== '{') {
      out += c
      i++
      continue
    }
    if (template[i + 1] === '{') {
      out += '{'
      i += 2
      continue
    }
    // A replacement field runs to the '}' that balances its '{'.
    let level = 1
    let j = i + 1
    while (j < template.length && level > 0) {
      if (template[j] === '{') level++
      else if (template[j] === '}') level--
      if (level > 0) j++
    }
    if (level > 0) throw new FormatError(i + 1 >= template.length ? "Single '{' encountered in format string" : "expected '}' before end of string")
    out += field(template.slice(i + 1, j), fields, depth)
    i = j + 1
  }
  return out
}

const field = (body: string, fields: Readonly<Record<string, string>>, depth: number): string => {
  const nameEnd = body.search(/[!:]/)
  const name = nameEnd === -1 ? body : body.slice(0, nameEnd)
  let rest = nameEnd === -1 ? '' : body.slice(nameEnd)
  let conversion: string | undefined
  if (rest.startsWith('!')) {
    if (rest.length < 2) throw new FormatError("unmatched '{' in format spec")
    conversion = rest[1]
    rest = rest.slice(2)
    if (rest !== '' && !rest.startsWith(':')) throw new FormatError("expected ':' after conversion specifier")
  }
  const spec = rest.startsWith(':') ? rest.slice(1) : ''
  if (name === '' || /^[0-9]+$/.test(name)) throw new FormatError(`Replacement index ${name || 0} out of range for positional args tuple`, name)
  const base = name.split(/[.[]/)[0]!
  if (base !== name && base in fields) throw new FormatError(`attribute or index access ({${name}}) is not supported by imgcfg`, name)
  const value = Object.prototype.hasOwnProperty.call(fields, base) ? fields[base]! : undefined
  if (value === undefined) throw new FormatError(`KeyError: '${base}'`, base)
  const converted =
    conversion === undefined || conversion === 's'
      ? value
      : conversion === 'r'
        ? reprString(value)
        : conversion === 'a'
          ? asciiString(value)
          : (() => {
              throw new FormatError(`Unknown conversion specifier ${conversion}`)
            })()
  return applySpec(converted, spec.includes('{') ? render(spec, fields, depth + 1) : spec)
}

/** `template.format(**fields)` in Python 3.11, for string fields. */
export const pythonFormat = (template: string, fields: Readonly<Record<string, string>>): FormatResult => {
  try {
    return { ok: true, value: render(template, fields, 0) }
  } catch (e) {
    if (e instanceof FormatError) return { ok: false, message: e.message, ...(e.field !== undefined ? { field: e.field } : {}) }
    throw e
  }
}
