/**
 * `WWW-Authenticate` challenges (RFC 7235), as registries send them:
 * `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/ubuntu:pull"`
 * or `Basic realm="Registry Realm"`. Pure.
 *
 * @since 0.1.0
 */

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * One challenge: the scheme, lowercased, and its parameters (names lowercased).
 *
 * @since 0.1.0
 */
export interface Challenge {
  readonly scheme: string
  readonly params: Readonly<Record<string, string>>
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/

/**
 * Every challenge of a `WWW-Authenticate` header value, in order. Tolerant: what cannot be read
 * is skipped.
 *
 * @example
 * import { parseChallenges } from '@imgcfg/registry'
 * parseChallenges('Bearer realm="https://auth.example/token",service="example"')
 * // [{ scheme: 'bearer', params: { realm: 'https://auth.example/token', service: 'example' } }]
 *
 * @since 0.1.0
 */
export const parseChallenges = (header: string): ReadonlyArray<Challenge> => {
  const challenges: Array<{ scheme: string; params: Record<string, string> }> = []
  let rest = typeof header === 'string' ? header : ''
  let current: { scheme: string; params: Record<string, string> } | undefined
  while (rest.length > 0) {
    rest = rest.replace(/^[\s,]+/, '')
    const token = TOKEN.exec(rest)?.[0]
    if (token === undefined) {
      // Unreadable: skip to the next comma.
      const comma = rest.indexOf(',')
      rest = comma === -1 ? '' : rest.slice(comma + 1)
      continue
    }
    const after = rest.slice(token.length)
    const param = /^\s*=\s*/.exec(after)
    if (param === null || current === undefined) {
      if (param !== null) {
        // A parameter before any scheme: not a challenge.
        rest = after.slice(param[0].length)
        rest = rest.startsWith('"') ? rest.slice(readQuoted(rest).length) : rest.replace(/^[^,]*/, '')
        continue
      }
      current = { scheme: token.toLowerCase(), params: Object.create(null) as Record<string, string> }
      challenges.push(current)
      rest = after
      continue
    }
    rest = after.slice(param[0].length)
    let value: string
    if (rest.startsWith('"')) {
      const quoted = readQuoted(rest)
      value = unquote(quoted)
      rest = rest.slice(quoted.length)
    } else {
      value = /^[^,\s]*/.exec(rest)![0]
      rest = rest.slice(value.length)
    }
    current.params[token.toLowerCase()] = value
  }
  // Null-prototype while filling (a parameter may be named __proto__); plain objects out.
  return challenges.map((c) => ({ scheme: c.scheme, params: { ...c.params } }))
}

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/** The quoted string at the start of `s`, quotes included (to the end when unterminated). */
const readQuoted = (s: string): string => {
  let i = 1
  while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1
  return s.slice(0, Math.min(i + 1, s.length))
}

const unquote = (quoted: string): string => quoted.slice(1, quoted.endsWith('"') && quoted.length > 1 ? -1 : undefined).replace(/\\(.)/g, '$1')
