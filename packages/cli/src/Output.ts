/**
 * Writing for people: colour decisions (NO_COLOR, FORCE_COLOR) and the `imgcfg:` prefix on stderr.
 *
 * @since 0.1.0
 */
import type { Capabilities, Writer } from './Capabilities.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** ANSI styles, or the identity when colour is off. */
export interface Style {
  readonly enabled: boolean
  readonly bold: (s: string) => string
  readonly dim: (s: string) => string
  readonly red: (s: string) => string
  readonly yellow: (s: string) => string
}

/** What a subcommand writes with. */
export interface Io {
  readonly caps: Capabilities
  /** Styles for stdout text. */
  readonly style: Style
  /** A line (or lines) of result on stdout. */
  readonly out: (text: string) => void
  /** A failure, as a sentence on stderr. */
  readonly error: (message: string) => void
  readonly warn: (message: string) => void
  readonly note: (message: string) => void
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

const sgr = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`

const PLAIN: Style = { enabled: false, bold: (s) => s, dim: (s) => s, red: (s) => s, yellow: (s) => s }
const ANSI: Style = { enabled: true, bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), yellow: sgr(33, 39) }

/**
 * Whether to colour a stream: FORCE_COLOR (anything but `0`/`false`) forces it on, then a
 * non-empty NO_COLOR turns it off (https://no-color.org), else only a terminal that is not `dumb`.
 */
export const useColor = (writer: Writer, env: Capabilities['env']): boolean => {
  const force = env.FORCE_COLOR
  if (force !== undefined) return force !== '0' && force !== 'false'
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  return writer.isTTY === true && env.TERM !== 'dumb'
}

export const styleFor = (writer: Writer, env: Capabilities['env']): Style => (useColor(writer, env) ? ANSI : PLAIN)

// Characters JSON.stringify leaves raw that a terminal acts on (C1 controls such as CSI) or that
// reorder or break lines (bidi controls, U+2028/9): written as \u escapes, still the same JSON value.
const RAW = /[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

/** JSON, indented by 2 spaces, safe to print on a terminal: what every `--format json` prints. */
export const jsonText = (value: unknown): string =>
  JSON.stringify(value, null, 2).replace(RAW, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

const withNewline = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`)

export const makeIo = (caps: Capabilities): Io => {
  const err = styleFor(caps.stderr, caps.env)
  const line = (prefix: string) => (message: string) => caps.stderr.write(withNewline(`${prefix} ${message}`))
  return {
    caps,
    style: styleFor(caps.stdout, caps.env),
    out: (text) => caps.stdout.write(withNewline(text)),
    error: line(err.red('imgcfg:')),
    warn: line(`imgcfg: ${err.yellow('warning:')}`),
    note: line(`imgcfg: ${err.dim('note:')}`),
  }
}
