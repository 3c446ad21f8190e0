/**
 * Aligned columns for table output.
 *
 * @since 0.1.0
 */
import type { Style } from './Output.js'

/**
 * Left-aligned columns separated by two spaces; the header row is bold when colour is on.
 * Trailing spaces are trimmed so the output pastes cleanly.
 */
export const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>, style: Style): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const render = (cells: ReadonlyArray<string>) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()
  return [style.bold(render(header)), ...rows.map(render)].join('\n')
}

/** `key  value` lines with the keys aligned and bold; absent values show as a dim `-`. */
export const fields = (record: Readonly<Record<string, unknown>>, keys: ReadonlyArray<string>, style: Style): string => {
  const width = Math.max(...keys.map((k) => k.length))
  return keys
    .map((k) => `${style.bold(k.padEnd(width))}  ${typeof record[k] === 'string' ? record[k] : style.dim('-')}`)
    .join('\n')
}
