import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { formatConfigError as formatError } from '../src/errors.js'
import { parseConfigText } from '../src/index.js'

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/yaml')

const parse = (file: string) => parseConfigText(readFileSync(join(fixtures, file), 'utf8'), { format: 'yaml', origin: file })
const images = (file: string) => {
  const r = parse(file)
  if (E.isLeft(r)) throw new Error(formatError(r.left))
  return r.right.images.map((i) => [i.name, i.identifier, i.line, i.column])
}
const error = (file: string) => {
  const r = parse(file)
  return E.isLeft(r) ? formatError(r.left) : 'parsed'
}

describe('YAML: nothing to read means no images', () => {
  it.each(['empty.yaml', 'comments-only.yaml', 'empty-map.yaml', 'images-null.yaml'])('%s', (file) => {
    expect(images(file)).toStrictEqual([])
  })
})

describe('YAML 1.2: yes, off and dates are strings', () => {
  it('keeps them as written', () => {
    expect(images('yaml12-strings.yaml')).toStrictEqual([
      ['yes', 'x:1', 2, 3],
      ['off', 'y:2', 3, 3],
      ['date', '2001-12-14', 4, 3],
    ])
  })
})

describe('YAML merge keys behave as in PyYAML', () => {
  it('merged keys come first; own keys override the value but keep the position', () => {
    expect(images('merge-key.yaml')).toStrictEqual([
      ['a', 'x:1', 2, 3],
      ['b', 'z:3', 6, 3],
      ['d', 'w:4', 7, 3],
    ])
  })
  it('in a list of merges the earlier map wins (PyYAML order b, c, a, d)', () => {
    expect(images('merge-list.yaml').map(([n, v]) => [n, v])).toStrictEqual([
      ['b', 'one/b:1'],
      ['c', 'two/c:1'],
      ['a', 'one/a:1'],
      ['d', 'own/d:1'],
    ])
  })
})

describe('YAML: editor artefacts are harmless', () => {
  it('a byte-order mark is ignored', () => expect(images('bom.yaml')).toStrictEqual([['a', 'x:1', 2, 3]]))
  it('CRLF line ends are read', () =>
    expect(images('crlf.yaml')).toStrictEqual([
      ['a', 'x:1', 2, 3],
      ['b', 'y@sha256:abc', 3, 3],
    ]))
})

describe('YAML: prototype names are ordinary names', () => {
  it('keeps __proto__, constructor, toString and hasOwnProperty', () => {
    expect(images('proto-names.yaml').map(([n]) => n)).toStrictEqual(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])
    expect(({} as Record<string, unknown>).p).toBeUndefined()
  })
})

describe('YAML: bounded work on hostile files', () => {
  it('unused alias bombs are never expanded', () => expect(images('billion-laughs.yaml')).toStrictEqual([['a', 'x:1', 10, 3]]))
  it('a merge bomb stops at the alias limit', () =>
    expect(error('merge-bomb.yaml')).toBe('merge-bomb.yaml:4:8: more than 10000 aliases; refusing to expand further'))
})

describe('YAML: every error names file, line and column', () => {
  it.each([
    ['duplicate-images-key.yaml', 'duplicate-images-key.yaml:3:1: duplicate key "images" in the top-level mapping (first at line 1)'],
    ['duplicate-image-name.yaml', 'duplicate-image-name.yaml:3:3: duplicate key "a" in images (first at line 2)'],
    ['tab-indent.yaml', 'tab-indent.yaml:2:1: Tabs are not allowed as indentation'],
    ['unclosed-flow.yaml', 'unclosed-flow.yaml:2:1: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ['images-string.yaml', 'images-string.yaml:1:9: images must be a mapping of name to image identifier, got the string "docker.io/x:1"'],
    ['top-list.yaml', 'top-list.yaml:1:1: the top level must be a mapping (images: …), got a list'],
    ['top-int.yaml', 'top-int.yaml:1:1: the top level must be a mapping (images: …), got number 42'],
    ['key-null.yaml', 'key-null.yaml:2:3: image names must be strings, got null; quote it ("…")'],
    ['key-int.yaml', 'key-int.yaml:2:3: image names must be strings, got number 1; quote it ("…")'],
    ['value-bool.yaml', 'value-bool.yaml:2:6: image "a" must be an image identifier string, got boolean true'],
    ['value-null.yaml', 'value-null.yaml:2:5: image "a" must be an image identifier string, got null'],
    ['value-nested.yaml', 'value-nested.yaml:3:5: image "a" must be an image identifier string, got a mapping'],
    ['two-documents.yaml', 'two-documents.yaml:4:1: several YAML documents in one config file; keep only one'],
    ['unknown-alias.yaml', 'unknown-alias.yaml:2:6: unknown alias *nope'],
    ['merge-not-map.yaml', 'merge-not-map.yaml:2:3: a << merge takes a mapping or a list of mappings, got the string "x"'],
  ])('%s', (file, message) => {
    expect(error(file)).toBe(message)
  })
})

describe('YAML: an alias refers to the latest anchor before it', () => {
  it('follows redefinitions', () => {
    const r = parseConfigText('x: &a a:1\ny: &a b:1\nimages:\n  k: *a\nz: &a c:1\n', { format: 'yaml' })
    expect(E.map((c: { images: ReadonlyArray<{ identifier: string }> }) => c.images.map((i) => i.identifier))(r)).toStrictEqual(
      E.right(['b:1']),
    )
  })
})
