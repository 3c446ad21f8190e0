// Results of hostile inputs can be huge (a 1 MiB identifier, 100 000 images). Expectations keep
// a recognisable summary instead: long strings keep their start and length, long lists their
// length, first items and last item.

const MAX_STRING = 200
const MAX_ITEMS = 12

/** A JSON value with long strings and lists summarised, everything else kept as it is. */
export const abbreviate = (value) => {
  if (typeof value === 'string') {
    return value.length <= MAX_STRING ? value : `${value.slice(0, 40)}…(${value.length} characters)`
  }
  if (Array.isArray(value)) {
    return value.length <= MAX_ITEMS
      ? value.map(abbreviate)
      : { length: value.length, head: value.slice(0, 3).map(abbreviate), last: abbreviate(value[value.length - 1]) }
  }
  if (typeof value === 'object' && value !== null) {
    // Object.entries and defineProperty: an own "__proto__" key stays a key, as JSON.parse made it.
    const out = {}
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: abbreviate(v), enumerable: true, writable: true, configurable: true })
    return out
  }
  return value
}

/** Replaces `{name}` placeholders in every string of an expectation. */
export const fill = (value, vars) => {
  if (typeof value === 'string') return value.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? vars[k] : m))
  if (Array.isArray(value)) return value.map((v) => fill(v, vars))
  if (typeof value === 'object' && value !== null) {
    const out = {}
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: fill(v, vars), enumerable: true, writable: true, configurable: true })
    return out
  }
  return value
}
