/**
 * What `lint` and `lint --tasks` report, in one shape: sorted by file, line and column, printed
 * as `file:line:col: message` at the start of a line (what editors' and CI's problem matchers
 * read), and as JSON with the same keys in the same order for both.
 *
 * @since 0.2.0
 */
import { visible } from '@imgcfg/core/errors'
import { jsonText } from './Output.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * One finding. `line` and `column` are 1-based (`null` when the finding is about a whole file);
 * `image` is the name of the image it is about, when there is one.
 */
export interface Finding {
  readonly file: string
  readonly line: number | null
  readonly column: number | null
  readonly severity: 'error' | 'warning'
  readonly rule: string
  readonly image: string | null
  readonly message: string
}

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

const compare = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0)

/** By file, line and column; findings at one place keep their order (the sort is stable). */
export const sortFindings = (findings: ReadonlyArray<Finding>): ReadonlyArray<Finding> =>
  [...findings].sort((a, b) => compare(a.file, b.file) || compare(a.line ?? 0, b.line ?? 0) || compare(a.column ?? 0, b.column ?? 0))

/** `file:line:col: message`, the file name made visible (the message is already). */
export const formatFinding = (f: Finding): string =>
  `${visible(f.file)}${f.line !== null ? `:${f.line}${f.column !== null ? `:${f.column}` : ''}` : ''}: ${f.message}`

/** The keys in one order, always. */
const ordered = (f: Finding): Finding => ({
  file: f.file,
  line: f.line,
  column: f.column,
  severity: f.severity,
  rule: f.rule,
  image: f.image,
  message: f.message,
})

/**
 * `{ findings: [...], summary: {...}, ...rest }`: the findings sorted and with their keys in
 * order, then whatever else a command reports.
 */
export const findingsJson = (findings: ReadonlyArray<Finding>, summary: object, rest: object = {}): string =>
  jsonText({ findings: sortFindings(findings).map(ordered), summary, ...rest })
