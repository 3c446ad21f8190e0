import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatConfigError as formatError } from '../src/errors.js'
import { detectFormat, parseConfigText, type ConfigFile } from '../src/index.js'

const runs = { numRuns: 1500 }

describe('law: any text either parses or gives a located error, never a throw', () => {
  const yamlish = fc.array(
    fc.oneof(
      fc.constantFrom('images:', '  a: x:1', '  - b', '&a', '*a', '<<: *a', '---', '"', '[', '{', '\t', '  ? k', '~: 1', '  b: [*a]'),
      fc.string(),
    ),
    { maxLength: 12 },
  ).map((lines) => lines.join('\n'))
  it.each(['yaml', 'ini'] as const)('%s', (format) => {
    fc.assert(
      fc.property(fc.oneof(yamlish, fc.string({ unit: 'binary' })), (text) => {
        const r = parseConfigText(text, { format, origin: 'f' })
        if (E.isLeft(r)) {
          expect(formatError(r.left)).toMatch(/\S/)
          if (r.left._tag === 'ConfigSyntaxError') expect(r.left.line).toBeGreaterThanOrEqual(1)
        }
      }),
      runs,
    )
  })
})

describe('law: names and identifiers round-trip through a generated YAML file', () => {
  it('keeps every pair, in order', () => {
    const pairs = fc.uniqueArray(fc.tuple(fc.string(), fc.string()), { selector: ([name]) => name, maxLength: 20 })
    fc.assert(
      fc.property(pairs, (entries) => {
        const text = `admin:\n  endpoint: x\nimages:${entries.length === 0 ? ' {}' : ''}\n${entries
          .map(([n, v]) => `  ${JSON.stringify(n)}: ${JSON.stringify(v)}`)
          .join('\n')}\n`
        const r = parseConfigText(text, { format: 'yaml' })
        expect(E.map((c: ConfigFile) => c.images.map((i) => [i.name, i.identifier]))(r)).toStrictEqual(E.right(entries))
      }),
      runs,
    )
  })
})

describe('law: detectFormat recognises what it is given', () => {
  it('a text starting with a section header is INI, a mapping is YAML', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,10}$/), fc.constantFrom('', '# c\n', '\n; c\n'), (name, prefix) => {
        expect(detectFormat(`${prefix}[${name}]\na=b\n`)).toBe('ini')
        expect(detectFormat(`${prefix}${name}:\n  a: b\n`)).toBe('yaml')
      }),
      runs,
    )
  })
})
