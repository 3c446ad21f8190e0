/** Small statistics and formatting helpers shared by the sections. */

/** The q-quantile (0..1) of numbers, linearly interpolated. */
export const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b)
  if (sorted.length === 0) return NaN
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo)
}

export const median = (values) => quantile(values, 0.5)

/** `1 234 567` style grouping keeps long numbers readable in a table. */
export const int = (n) => Math.round(n).toLocaleString('en-US')

export const fixed = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : String(n))

export const ratio = (n) => `${fixed(n, 2)}×`

/** A Markdown table; `align` holds 'l' or 'r' per column. */
export const table = (header, rows, align = header.map((_, i) => (i === 0 ? 'l' : 'r'))) => {
  const line = (cells) => `| ${cells.join(' | ')} |`
  const rule = align.map((a) => (a === 'r' ? '---:' : '---'))
  return [line(header), line(rule), ...rows.map(line)].join('\n')
}

/** `met` or `MISSED`, as the results print it. */
export const verdict = (ok) => (ok ? 'met' : '**MISSED**')
