/**
 * The Python values a YAML file loaded with PyYAML's `safe_load` can hold, and Python 3.11's
 * `repr` of them, character for character (flytekit hashes `str()` of a dict of them).
 *
 * JavaScript stands in for most: `string` is `str`, `boolean` is `bool`, `null` is `None`,
 * `bigint` is `int`, an array is a `list`. A `number` is an `int` when it is a safe integer and a
 * `float` otherwise; `PyFloat` says "float" for a whole number (`3.0`). `PyDict` keeps keys that
 * are not strings and the insertion order; a plain object is a dict of string keys.
 */
import { reprString } from './pythonText.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A Python `float`. */
export interface PyFloat {
  readonly _tag: 'PyFloat'
  readonly value: number
}

/** A Python `datetime.date`. */
export interface PyDate {
  readonly _tag: 'PyDate'
  readonly year: number
  readonly month: number
  readonly day: number
}

/** A Python `datetime.datetime`; `offsetSeconds` is its fixed UTC offset, absent when naive. */
export interface PyDateTime {
  readonly _tag: 'PyDateTime'
  readonly year: number
  readonly month: number
  readonly day: number
  readonly hour: number
  readonly minute: number
  readonly second: number
  readonly microsecond: number
  readonly offsetSeconds?: number
}

/** A Python `dict`, in insertion order. */
export interface PyDict {
  readonly _tag: 'PyDict'
  readonly entries: ReadonlyArray<readonly [PyValue, PyValue]>
}

export type PyValue =
  | string
  | boolean
  | null
  | bigint
  | number
  | PyFloat
  | PyDate
  | PyDateTime
  | PyDict
  | ReadonlyArray<PyValue>
  | { readonly [key: string]: PyValue }

export const pyFloat = (value: number): PyFloat => ({ _tag: 'PyFloat', value })
export const pyDict = (entries: ReadonlyArray<readonly [PyValue, PyValue]>): PyDict => ({ _tag: 'PyDict', entries })

const tagged = (u: unknown, tag: string): boolean =>
  typeof u === 'object' && u !== null && (u as { _tag?: unknown })._tag === tag

export const isPyFloat = (u: unknown): u is PyFloat => tagged(u, 'PyFloat')
export const isPyDict = (u: unknown): u is PyDict => tagged(u, 'PyDict')
export const isPyDate = (u: unknown): u is PyDate => tagged(u, 'PyDate')
export const isPyDateTime = (u: unknown): u is PyDateTime => tagged(u, 'PyDateTime')

/** The Python type name of a value, for messages (`str`, `int`, `list`, …). */
export const typeName = (u: unknown): string => {
  if (u === null || u === undefined) return 'NoneType'
  if (typeof u === 'string') return 'str'
  if (typeof u === 'boolean') return 'bool'
  if (typeof u === 'bigint') return 'int'
  if (typeof u === 'number') return Number.isSafeInteger(u) ? 'int' : 'float'
  if (Array.isArray(u)) return 'list'
  if (isPyFloat(u)) return 'float'
  if (isPyDate(u)) return 'datetime.date'
  if (isPyDateTime(u)) return 'datetime.datetime'
  if (isPyDict(u) || typeof u === 'object') return 'dict'
  return typeof u
}

/** The entries of a dict value (a `PyDict` or a plain object), or undefined for anything else. */
export const dictEntries = (u: unknown): ReadonlyArray<readonly [PyValue, PyValue]> | undefined => {
  if (isPyDict(u)) return u.entries
  if (typeof u === 'object' && u !== null && !Array.isArray(u) && (u as { _tag?: unknown })._tag === undefined)
    return Object.entries(u as Record<string, PyValue>)
  return undefined
}

// -------------------------------------------------------------------------------------
// repr
// -------------------------------------------------------------------------------------

/** Python refuses to write an int of more decimal digits than this (sys.int_info.default_max_str_digits). */
export const MAX_INT_DIGITS = 4300

/** Nesting deeper than this is refused (Python's own repr would hit its recursion limit near 1000). */
export const MAX_DEPTH = 500

/** `repr(x)` for a float in Python 3.11: the shortest round-trip digits, exponent form outside 1e-4 ≤ |x| < 1e16. */
export const reprFloat = (x: number): string => {
  if (Number.isNaN(x)) return 'nan'
  if (x === Infinity) return 'inf'
  if (x === -Infinity) return '-inf'
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0'
  const sign = x < 0 ? '-' : ''
  const [mantissa, exponent] = Math.abs(x).toExponential().split('e') as [string, string]
  const digits = mantissa.replace('.', '')
  const exp = Number(exponent)
  const point = exp + 1 // digits are 0.DIGITS × 10^point
  if (point > 16 || point < -3) {
    const rest = digits.slice(1)
    return `${sign}${digits[0]}${rest ? `.${rest}` : ''}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
  }
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}.0`
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`
}

const reprTimedelta = (seconds: number): string => {
  const days = Math.floor(seconds / 86400)
  const rest = seconds - days * 86400
  const args = [...(days !== 0 ? [`days=${days}`] : []), ...(rest !== 0 ? [`seconds=${rest}`] : [])]
  return `datetime.timedelta(${args.length === 0 ? '0' : args.join(', ')})`
}

const reprDateTime = (d: PyDateTime): string => {
  const fields = [d.year, d.month, d.day, d.hour, d.minute]
  if (d.microsecond !== 0) fields.push(d.second, d.microsecond)
  else if (d.second !== 0) fields.push(d.second)
  const tz =
    d.offsetSeconds === undefined
      ? ''
      : `, tzinfo=${d.offsetSeconds === 0 ? 'datetime.timezone.utc' : `datetime.timezone(${reprTimedelta(d.offsetSeconds)})`}`
  return `datetime.datetime(${fields.join(', ')}${tz})`
}

export class ReprError extends Error {}

/**
 * `repr(value)` in Python 3.11 (which is also `str()` of a dict or list). Throws `ReprError` for
 * what Python cannot write (an int of more than 4300 digits) or imgcfg will not (a cycle, a
 * JavaScript value with no Python counterpart); callers turn it into a Left.
 */
export const repr = (value: unknown): string => {
  const seen = new Set<object>()
  const write = (v: unknown, depth: number): string => {
    if (depth > MAX_DEPTH) throw new ReprError(`values nested more than ${MAX_DEPTH} deep`)
    if (v === null) return 'None'
    if (typeof v === 'string') return reprString(v)
    if (typeof v === 'boolean') return v ? 'True' : 'False'
    if (typeof v === 'bigint') {
      const s = v.toString()
      if (s.replace('-', '').length > MAX_INT_DIGITS)
        throw new ReprError(`an int of more than ${MAX_INT_DIGITS} digits (Python refuses to convert it to text)`)
      return s
    }
    if (typeof v === 'number') return Number.isSafeInteger(v) && !Object.is(v, -0) ? String(v) : reprFloat(v)
    if (typeof v !== 'object') throw new ReprError(`a JavaScript ${typeof v}, which has no Python counterpart`)
    if (isPyFloat(v)) return reprFloat(v.value)
    if (isPyDate(v)) return `datetime.date(${v.year}, ${v.month}, ${v.day})`
    if (isPyDateTime(v)) return reprDateTime(v)
    if (seen.has(v)) throw new ReprError('a value that contains itself')
    seen.add(v)
    try {
      if (Array.isArray(v)) return `[${v.map((item) => write(item, depth + 1)).join(', ')}]`
      const entries = dictEntries(v)
      if (entries === undefined) throw new ReprError('an object that is not a dict')
      return `{${entries.map(([k, item]) => `${write(k, depth + 1)}: ${write(item, depth + 1)}`).join(', ')}}`
    } finally {
      seen.delete(v)
    }
  }
  return write(value, 0)
}

// -------------------------------------------------------------------------------------
// dict keys
// -------------------------------------------------------------------------------------

let nanCount = 0

/**
 * A string equal for two values exactly when Python's `==` makes them the same dict key
 * (`1`, `1.0` and `True` are one key; each NaN is its own; aware datetimes compare as instants),
 * or undefined for an unhashable value (a list or a dict).
 */
export const dictKey = (v: unknown): string | undefined => {
  if (v === null) return 'N'
  if (typeof v === 'string') return `S${v}`
  if (typeof v === 'boolean') return v ? 'I1' : 'I0'
  if (typeof v === 'bigint') return `I${v}`
  const float = typeof v === 'number' ? v : isPyFloat(v) ? v.value : undefined
  if (float !== undefined) {
    if (Number.isNaN(float)) return `nan${nanCount++}`
    if (Number.isInteger(float)) return `I${BigInt(float)}`
    return `F${float}`
  }
  if (isPyDate(v)) return `D${v.year}-${v.month}-${v.day}`
  if (isPyDateTime(v)) {
    const fields = [v.year, v.month, v.day, v.hour, v.minute, v.second, v.microsecond]
    if (v.offsetSeconds === undefined) return `T${fields.join(',')}`
    const instant = new Date(0)
    instant.setUTCFullYear(v.year, v.month - 1, v.day) // Date.UTC would read years below 100 as 19xx
    instant.setUTCHours(v.hour, v.minute, v.second, 0)
    const ms = instant.getTime() - v.offsetSeconds * 1000
    return `Z${BigInt(ms) * 1000n + BigInt(v.microsecond)}`
  }
  return undefined
}
