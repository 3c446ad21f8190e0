/**
 * The character codes and classes the reference grammar is written in. Everything the grammar
 * accepts is ASCII; these look at UTF-16 code units, so anything from 128 up is simply no match.
 */

export const COLON = 0x3a
export const DOT = 0x2e
export const DASH = 0x2d
export const PLUS = 0x2b
export const EQUALS = 0x3d
export const UNDERSCORE = 0x5f
export const LBRACKET = 0x5b

export const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39
export const isLower = (c: number): boolean => c >= 0x61 && c <= 0x7a
export const isUpper = (c: number): boolean => c >= 0x41 && c <= 0x5a
export const isLetter = (c: number): boolean => isLower(c) || isUpper(c)
export const isLowerAlnum = (c: number): boolean => isLower(c) || isDigit(c)
export const isAlnum = (c: number): boolean => isLetter(c) || isDigit(c)
export const isHex = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)
export const isLowerHex = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66)

/** The index of `ch` in `s` from `from`, or `s.length` when there is none. */
export const indexOrEnd = (s: string, ch: string, from: number): number => {
  const i = s.indexOf(ch, from)
  return i < 0 ? s.length : i
}
