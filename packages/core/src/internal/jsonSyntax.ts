/**
 * Where JSON text first goes wrong. Engines name the position for some syntax errors only
 * (V8: "Unexpected token 'x', "…" is not valid JSON" has none), so `fromJson` finds it here.
 * Iterative, so 100 000 nested brackets cost no stack.
 */

const isWhitespace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
const ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]) // " \ / b f n r t

/**
 * The UTF-16 offset of the first character that makes `s` invalid JSON (`s.length` when it ends
 * too early), or -1 when it is valid.
 *
 * @example
 * jsonErrorOffset('{"a": tru}') // 9
 */
export const jsonErrorOffset = (s: string): number => {
  const n = s.length
  let i = 0
  const skip = (): void => {
    while (i < n && isWhitespace(s.charCodeAt(i))) i++
  }
  // Moves past a string starting at i; false at the offending character (i points at it).
  const string = (): boolean => {
    i++
    while (i < n) {
      const c = s.charCodeAt(i)
      if (c === 0x22) {
        i++
        return true
      }
      if (c < 0x20) return false
      if (c !== 0x5c) {
        i++
        continue
      }
      const e = s.charCodeAt(i + 1)
      if (ESCAPES.has(e)) i += 2
      else if (e === 0x75) {
        i += 2
        for (let k = 0; k < 4; k++, i++) if (!isHex(s.charCodeAt(i))) return false
      } else {
        i += 1
        return false
      }
    }
    return false
  }
  const digits = (): boolean => {
    if (!isDigit(s.charCodeAt(i))) return false
    while (isDigit(s.charCodeAt(i))) i++
    return true
  }
  const number = (): boolean => {
    if (s.charCodeAt(i) === 0x2d) i++
    if (s.charCodeAt(i) === 0x30) i++
    else if (!digits()) return false
    if (s.charCodeAt(i) === 0x2e) {
      i++
      if (!digits()) return false
    }
    const e = s.charCodeAt(i)
    if (e === 0x65 || e === 0x45) {
      i++
      const sign = s.charCodeAt(i)
      if (sign === 0x2b || sign === 0x2d) i++
      if (!digits()) return false
    }
    return true
  }
  const literal = (word: string): boolean => {
    for (let k = 0; k < word.length; k++, i++) if (s.charCodeAt(i) !== word.charCodeAt(k)) return false
    return true
  }

  // A key and its colon, starting at i; false at the offending character.
  const key = (): boolean => {
    if (s.charCodeAt(i) !== 0x22 || !string()) return false
    skip()
    if (s.charCodeAt(i) !== 0x3a) return false
    i++
    return true
  }

  // Open containers: 0x5b '[' or 0x7b '{'.
  const stack: number[] = []
  for (;;) {
    // A value is expected at i.
    skip()
    if (i >= n) return n
    const c = s.charCodeAt(i)
    if (c === 0x7b || c === 0x5b) {
      stack.push(c)
      i++
      skip()
      if (s.charCodeAt(i) !== (c === 0x7b ? 0x7d : 0x5d)) {
        if (c === 0x7b && !key()) return Math.min(i, n)
        continue
      }
      stack.pop()
      i++
    } else if (c === 0x22) {
      if (!string()) return Math.min(i, n)
    } else if (c === 0x2d || isDigit(c)) {
      if (!number()) return Math.min(i, n)
    } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
      if (!literal(c === 0x74 ? 'true' : c === 0x66 ? 'false' : 'null')) return Math.min(i, n)
    } else return i
    // After a value: close containers until the next item.
    for (;;) {
      skip()
      const top = stack[stack.length - 1]
      if (top === undefined) return i < n ? i : -1
      if (i >= n) return n
      const d = s.charCodeAt(i)
      if (d === 0x2c) {
        i++
        if (top === 0x7b) {
          skip()
          if (!key()) return Math.min(i, n)
        }
        break
      }
      if (d !== (top === 0x7b ? 0x7d : 0x5d)) return i
      stack.pop()
      i++
    }
  }
}
