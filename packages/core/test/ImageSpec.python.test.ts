/**
 * Differential: Python 3.11's own repr, str.lower and str.format against imgcfg's, on generated
 * values. Needs python3 at version 3.11 (the vectors' Python, whose Unicode tables imgcfg
 * ships); without it the test says loudly that it skipped.
 */
import { spawnSync } from 'node:child_process'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import * as ImageSpec from '../src/ImageSpec.js'
import { pythonFormat } from '../src/internal/pythonFormat.js'
import { NOT_PRINTABLE, CASE_IGNORABLE, CASED, LOWER } from '../src/internal/unicode311.js'

const probe = spawnSync('python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' })
const python = probe.status === 0 && probe.stdout.trim() === '3.11'
if (!python)
  console.warn(
    `\n*** SKIPPED: the Python differential tests of repr/lower/format need python3 3.11 (found: ${probe.error ? 'no python3' : probe.stdout.trim()}) ***\n`,
  )

const PY = String.raw`
import json, sys
out = []
for case in json.loads(sys.stdin.read()):
    kind, value = case
    try:
        if kind == 'repr': out.append(repr(value))
        elif kind == 'float': out.append(repr(float.fromhex(value)))
        elif kind == 'lower': out.append(value.lower())
        elif kind == 'format': out.append(value.format(spec_hash='4ycXm3_aGvGrWwTsan1O6g'))
    except Exception as e:
        out.append({'error': type(e).__name__})
sys.stdout.write(json.dumps(out))
`

const runPython = (cases: ReadonlyArray<readonly [string, unknown]>): unknown[] => {
  const r = spawnSync('python3', ['-c', PY], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  if (r.status !== 0) throw new Error(r.stderr)
  return JSON.parse(r.stdout)
}

/** Code points where a table flips, and their neighbours: where a wrong table would show. */
const boundaries = (() => {
  const out = new Set<number>()
  for (const table of [NOT_PRINTABLE, CASE_IGNORABLE, CASED]) {
    let at = 0
    for (const p of table.split(',')) {
      at += parseInt(p, 36)
      for (const c of [at - 1, at, at + 1]) if (c >= 0 && c <= 0x10ffff) out.add(c)
    }
  }
  let last = 0
  for (const g of LOWER.split(',')) {
    last += parseInt(g.split('.')[0]!, 36)
    out.add(last)
  }
  return [...out]
})()

const codePoint = fc.oneof(
  fc.constantFrom(...boundaries),
  fc.integer({ min: 0, max: 0x10ffff }),
  fc.integer({ min: 0, max: 0x7f }),
  fc.constantFrom(0x3a3, 0x27, 0x22, 0x5c, 0xad, 0x130, 0x2019),
)
const text = fc.array(codePoint, { maxLength: 12 }).map((cps) => cps.map((c) => String.fromCodePoint(c)).join(''))

const hexFloat = (x: number): string => {
  // float.fromhex understands JavaScript's shortest decimal as well: pass the exact bits instead.
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, x)
  const bits = view.getBigUint64(0)
  const sign = bits >> 63n ? '-' : ''
  const exp = Number((bits >> 52n) & 0x7ffn)
  const frac = bits & ((1n << 52n) - 1n)
  if (exp === 0x7ff) return frac ? 'nan' : `${sign}inf`
  if (exp === 0) return `${sign}0x0.${frac.toString(16).padStart(13, '0')}p-1022`
  return `${sign}0x1.${frac.toString(16).padStart(13, '0')}p${exp - 1023}`
}

describe.skipIf(!python)('imgcfg writes and lowercases text as Python 3.11 does', () => {
  it('every code point on either side of a table boundary: repr and lower', () => {
    const chunks: string[] = []
    for (let i = 0; i < boundaries.length; i += 64) chunks.push(boundaries.slice(i, i + 64).map((c) => String.fromCodePoint(c)).join(''))
    const expected = runPython([...chunks.map((c) => ['repr', c] as const), ...chunks.map((c) => ['lower', c] as const)])
    const ours = [...chunks.map((c) => E.getOrElse(() => '<error>')(ImageSpec.pythonRepr(c))), ...chunks.map(ImageSpec.pythonLower)]
    expect(ours).toStrictEqual(expected)
  })

  it('generated strings: repr and lower', () => {
    const samples = fc.sample(text, 3000)
    const expected = runPython([...samples.map((s) => ['repr', s] as const), ...samples.map((s) => ['lower', s] as const)])
    const ours = [...samples.map((s) => E.getOrElse(() => '<error>')(ImageSpec.pythonRepr(s))), ...samples.map(ImageSpec.pythonLower)]
    for (let i = 0; i < ours.length; i++) expect(ours[i], JSON.stringify(samples[i % samples.length])).toStrictEqual(expected[i])
  })

  it('generated floats: repr', () => {
    const samples = [
      ...fc.sample(fc.double(), 3000),
      ...fc.sample(fc.double({ min: 1e-6, max: 1e17 }), 2000),
      1e16, 1e-4, 1e-5, 9999999999999998, 0.1 + 0.2,
    ]
    const expected = runPython(samples.map((x) => ['float', hexFloat(x)] as const))
    const ours = samples.map((x) => E.getOrElse(() => '<error>')(ImageSpec.pythonRepr(ImageSpec.pyFloat(x))))
    for (let i = 0; i < ours.length; i++) expect(ours[i], String(samples[i])).toBe(expected[i])
  })

  it('generated tag_format templates: str.format, or an error where Python raises', () => {
    const piece = fc.oneof(
      fc.constantFrom('{spec_hash}', '{{', '}}', '{', '}', '-dev', 'v', '{spec_hash!r}', '{spec_hash!a}', '{spec_hash!s}', '{spec_hash!x}', '{x}', '{}', '{0}'),
      fc
        .tuple(
          fc.constantFrom('', 'x', '*', '0', ' ', '\u00e9'),
          fc.constantFrom('', '<', '>', '^', '='),
          fc.constantFrom('', '+', '-', ' '),
          fc.constantFrom('', '#', 'z'),
          fc.constantFrom('', '0'),
          fc.constantFrom('', '5', '30', '25'),
          fc.constantFrom('', ',', '_'),
          fc.constantFrom('', '.8', '.', '.0', '.30'),
          fc.constantFrom('', 's', 'd', 'x'),
        )
        .map((parts) => `{spec_hash:${parts.join('')}}`),
    )
    const samples = fc.sample(fc.array(piece, { minLength: 1, maxLength: 4 }).map((p) => p.join('')), 3000)
    const expected = runPython(samples.map((t) => ['format', t] as const))
    samples.forEach((t, i) => {
      const ours = pythonFormat(t, { spec_hash: '4ycXm3_aGvGrWwTsan1O6g' })
      const theirs = expected[i]
      if (typeof theirs === 'string') expect(ours, t).toStrictEqual({ ok: true, value: theirs })
      else expect(ours.ok, `${t}: Python raised ${JSON.stringify(theirs)}`).toBe(false)
    })
  })
})
