import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { formatError } from '../src/errors.js'
import * as Image from '../src/Image.js'

const message = (r: E.Either<any, unknown>) => (E.isLeft(r) ? formatError(r.left) : 'no error')

describe('Image.make: at most one of tag and digest', () => {
  it('rejects both, naming both', () => {
    expect(message(Image.make({ name: 'a', fqn: 'x', tag: '1', digest: 'sha256:abc' }))).toBe(
      'Cannot specify both tag and digest. Got tag=1 and digest=sha256:abc',
    )
  })
  it('treats empty strings and null as absent', () => {
    expect(Image.make({ name: 'a', fqn: 'x', tag: '', digest: null })).toStrictEqual(E.right({ name: 'a', fqn: 'x' }))
  })
  it('rejects a non-string field with the field name', () => {
    expect(message(Image.make({ name: 'a', fqn: 'x', tag: 5 as unknown as string }))).toBe(
      "Image field 'tag' must be a string, got number 5.",
    )
  })
  it('rejects a non-object without throwing', () => {
    expect(message(Image.make(null as never))).toBe('Image.make: expected an object with name and fqn, got null')
  })
})

describe('Image.full and Image.version', () => {
  it('prints fqn@digest, fqn:tag or the bare fqn (never fqn:None)', () => {
    expect(Image.full({ name: 'a', fqn: 'x', digest: 'sha256:1' })).toBe('x@sha256:1')
    expect(Image.full({ name: 'a', fqn: 'x', tag: '1' })).toBe('x:1')
    expect(Image.full({ name: 'a', fqn: 'x' })).toBe('x')
  })
  it('version is the digest, else the tag, else undefined', () => {
    expect(Image.version({ name: 'a', fqn: 'x', digest: 'sha256:1' })).toBe('sha256:1')
    expect(Image.version({ name: 'a', fqn: 'x', tag: '1' })).toBe('1')
    expect(Image.version({ name: 'a', fqn: 'x' })).toBeUndefined()
  })
})

describe('Image.parseIdentifier: lenient split', () => {
  it.each([
    ['localhost:5000/xyz', { fqn: 'localhost:5000/xyz' }],
    ['localhost:5000/xyz:1.0', { fqn: 'localhost:5000/xyz', tag: '1.0' }],
    ['repo:tag@sha256:abc', { fqn: 'repo', digest: 'sha256:abc' }],
    ['x:tag@', { fqn: 'x:tag' }],
    ['xyz:', { fqn: 'xyz' }],
    ['a@b@c', { fqn: 'a@b', digest: 'c' }],
  ])('%s', (input, expected) => {
    expect(Image.parseIdentifier(input)).toStrictEqual(expected)
  })
})

describe('Image.lookUpImageInfo', () => {
  it('requires a tag or digest by default, with flytekit’s sentence', () => {
    expect(message(Image.lookUpImageInfo('img', 'ubuntu'))).toContain(
      'Incorrectly formatted image ubuntu, missing tag or digest',
    )
  })
  it('allows a bare name when asked', () => {
    expect(Image.lookUpImageInfo('img', 'ubuntu', true)).toStrictEqual(E.right({ name: 'img', fqn: 'ubuntu' }))
  })
  it('checks the OCI grammar in strict mode only', () => {
    expect(E.isRight(Image.lookUpImageInfo('img', 'UPPER/Case:TAG'))).toBe(true)
    expect(message(Image.lookUpImageInfo('img', 'ghcr.io/Org/app:1', false, { strict: true }))).toBe(
      'Invalid image reference "ghcr.io/Org/app:1": repository name must be lowercase (offset 8: \'O\').',
    )
  })
  it('strict mode still requires a tag', () => {
    expect(message(Image.lookUpImageInfo('img', 'ghcr.io/org/app', false, { strict: true }))).toContain(
      'missing tag or digest',
    )
  })
})

describe('Image.toDict and Image.equals', () => {
  it('writes flytekit’s key order with nulls', () => {
    expect(JSON.stringify(Image.toDict({ name: 'n', fqn: 'f', tag: 't' }))).toBe(
      '{"name":"n","fqn":"f","tag":"t","digest":null}',
    )
  })
  it('compares all four fields', () => {
    expect(Image.equals({ name: 'a', fqn: 'x', tag: '1' }, { name: 'a', fqn: 'x', tag: '1' })).toBe(true)
    expect(Image.equals({ name: 'a', fqn: 'x', tag: '1' }, { name: 'a', fqn: 'x', digest: '1' })).toBe(false)
  })
})
