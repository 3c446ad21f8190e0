/**
 * The YAML fast path (a hand-written reader for the common flytectl shape) against the yaml
 * package: on generated documents, whenever the fast path accepts a text, the yaml package must
 * read exactly the same images (names, identifiers, lines, columns, value ranges). Documents
 * outside the subset are declined, and the generator makes sure most are not.
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { readWithYaml, simpleImages } from '../src/yaml.js'

const key = fc.oneof(
  { arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_./-]{0,8}$/), weight: 3 },
  fc.constantFrom('gpu', 'default', 'spark', 'a.b', 'x-y', 'my_image', 'org/app', 'true', 'null', '1', '0x1f', '1e3', 'Yes', 'on', '__proto__', 'constructor'),
  fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_./-]{0,8}$/),
)
const value = fc.oneof(
  { arbitrary: fc.constantFrom('ghcr.io/org/app:1.0', 'ubuntu:22.04', 'cr.flyte.org/flyteorg/flytekit:py3.11-1.15.4'), weight: 3 },
  fc.constantFrom('ghcr.io/org/app:1.0', 'ubuntu', 'localhost:5000/a@sha256:' + 'a'.repeat(64), 'docker.io/abc', '1.5', '~', 'x:', 'a:b', 'a::b', 'a,b', 'a=b', '.5', '-1', '+1', '0o17', '.inf', 'NaN', 'no'),
  fc.stringMatching(/^[A-Za-z0-9_./][A-Za-z0-9_./:@+=~%,-]{0,20}$/),
)
const comment = fc.constantFrom('', ' # note', ' #', '  # a: b', '# no space')
const indent = fc.constantFrom(2, 4, 1, 3)

/** One line of a document: an image entry, a comment, a blank line or another top-level key. */
const doc = fc
  .record({
    before: fc.array(fc.tuple(key, fc.option(value, { nil: undefined })), { maxLength: 2 }),
    images: fc.array(fc.tuple(key, value, comment), { maxLength: 6 }),
    indent,
    blank: fc.array(fc.constantFrom('', '   ', '# comment', '  # indented comment'), { maxLength: 2 }),
    after: fc.array(fc.tuple(key, fc.option(value, { nil: undefined })), { maxLength: 2 }),
    nested: fc.boolean(),
    imagesComment: comment,
    odd: fc.oneof({ arbitrary: fc.constant(''), weight: 4 }, { arbitrary: fc.constantFrom('\t', '---\n', '"x"', "'y'", ' ', '\r\n', '[a]', '{a: b}', '&a ', '*a', '? ', '- '), weight: 1 }),
    oddAt: fc.nat(),
  })
  .map((d) => {
    const pad = ' '.repeat(d.indent)
    const top = ([k, v]: [string, string | undefined]) => (v === undefined ? `${k}:` : `${k}: ${v}`)
    const lines = [
      ...d.before.map(top),
      `images:${d.imagesComment}`,
      ...d.images.map(([k, v, c]) => `${pad}${k}: ${v}${c}`),
      ...d.blank,
      ...(d.nested ? ['admin:', `${pad}endpoint: dns:///localhost:30080`, `${pad}insecure: true`] : []),
      ...d.after.map(top),
    ]
    const text = `${lines.join('\n')}\n`
    if (d.odd === '') return text
    const at = d.oddAt % (text.length + 1)
    return text.slice(0, at) + d.odd + text.slice(at)
  })

describe('the YAML fast path agrees with the yaml package', () => {
  it('on every document it accepts (and it accepts a good share of them)', () => {
    let accepted = 0
    let runs = 0
    fc.assert(
      fc.property(doc, (text) => {
        runs += 1
        const fast = simpleImages(text)
        if (fast === undefined) return
        accepted += 1
        const full = readWithYaml(text)
        expect(E.isRight(full) ? full.right : `yaml package: ${full.left.message}`, text).toEqual(fast)
      }),
      { numRuns: 3000 },
    )
    // The test means something only if the fast path is exercised.
    expect(accepted / runs).toBeGreaterThan(0.2)
  })

  it.each([
    ['a comment right after the value', 'images:\n  a: x:1# c\n'],
    ['a tab', 'images:\n\ta: x:1\n'],
    ['a boolean-looking key', 'images:\n  true: x:1\n'],
    ['a quoted value', 'images:\n  a: "x:1"\n'],
    ['a value ending in a colon', 'images:\n  a: x:\n'],
    ['duplicate top-level keys', 'images:\n  a: x:1\nimages:\n  b: y:1\n'],
  ])('declines %s', (_name, text) => {
    expect(simpleImages(text)).toBeUndefined()
  })
})
