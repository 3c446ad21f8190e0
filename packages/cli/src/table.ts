/**
 * Aligned columns for table output.
 *
 * @since 0.1.0
 */
import type { Style } from './Output.js'

/** How a table may be narrowed to fit a terminal. */
export interface Fit {
  /** The terminal's width in columns; absent when not a terminal (nothing is cut). */
  readonly width?: number
  /** The columns cut (in the middle, with `…`), in this order, when the table is wider than `width`. */
  readonly shrink?: ReadonlyArray<number>
}

/** The narrowest a shrunk column gets. */
const MIN_SHRUNK = 16

/** `s` cut in the middle to `max` characters, with `…`, so its start and end stay. */
const middle = (s: string, max: number): string => {
  if (s.length <= max) return s
  const head = Math.ceil((max - 1) / 2)
  return `${s.slice(0, head)}…${s.slice(s.length - (max - 1 - head))}`
}

/**
 * Left-aligned columns separated by two spaces; the header row is bold when colour is on.
 * Trailing spaces are trimmed so the output pastes cleanly. With `fit.width`, the `fit.shrink`
 * columns are cut in the middle, in order, so each line fits (none below a readable width).
 */
export const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>, style: Style, fit: Fit = {}): string => {
  let widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  let cells = rows
  let overflow = widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1) - (fit.width ?? Number.POSITIVE_INFINITY)
  if (fit.width !== undefined && fit.width > 0 && overflow > 0) {
    const room = [...widths]
    for (const column of fit.shrink ?? []) {
      if (room[column] === undefined || overflow <= 0) continue
      const cut = Math.min(overflow, Math.max(0, room[column]! - Math.max(MIN_SHRUNK, header[column]!.length)))
      room[column] = room[column]! - cut
      overflow -= cut
    }
    cells = rows.map((r) => r.map((c, i) => middle(c, room[i]!)))
    widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)))
  }
  const render = (line: ReadonlyArray<string>) =>
    line
      .map((c, i) => (i === line.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()
  return [style.bold(render(header)), ...cells.map(render)].join('\n')
}

/** `key  value` lines with the keys aligned and bold; absent values show as a dim `-`. */
export const fields = (record: Readonly<Record<string, unknown>>, keys: ReadonlyArray<string>, style: Style): string => {
  const width = Math.max(...keys.map((k) => k.length))
  return keys
    .map((k) => `${style.bold(k.padEnd(width))}  ${typeof record[k] === 'string' ? record[k] : style.dim('-')}`)
    .join('\n')
}
