/**
 * What run hands a subcommand and what it gets back. Types only, so the subcommand chunks share
 * no code with the entry chunk.
 *
 * @since 0.1.0
 */
import type { Io } from './Output.js'

/** Parsed options: strings, string arrays (`-i`) and booleans, by long name. */
export type Values = Readonly<Record<string, string | ReadonlyArray<string> | boolean | undefined>>

/**
 * `ok` exits 0; `failed` (the failure already reported on stderr) exits 1; `not-built` (verify:
 * the only missing images are ImageSpec images `pyflyte` would build) exits 3.
 */
export type Outcome = 'ok' | 'failed' | 'not-built'

/** A subcommand: arguments already checked against its option table. */
export interface Command {
  readonly main: (values: Values, positionals: ReadonlyArray<string>, io: Io) => Promise<Outcome>
}
