import { describe, expect, it } from 'vitest'
import { editDistance, formatError, type ImgcfgError } from '../src/errors.js'

describe('formatError: core renders only its own errors', () => {
  it('names an error of another package instead of returning undefined', () => {
    const foreign = { _tag: 'ConfigSyntaxError', format: 'yaml', message: 'bad' } as unknown as ImgcfgError
    expect(formatError(foreign)).toBe(
      '"ConfigSyntaxError" is not an error core knows how to describe; use the formatter of the package that returned it (formatConfigError, formatRegistryError).',
    )
  })

  it('escapes and shortens a hostile tag, and survives values that are not errors', () => {
    const hostile = { _tag: `\u001b[2J${'x'.repeat(100)}` } as unknown as ImgcfgError
    const message = formatError(hostile)
    expect(message).not.toMatch(/\u001b/)
    expect(message.startsWith('"\\u001b[2Jxxx')).toBe(true)
    expect(message).toContain('… (104 characters)')
    expect(formatError(null as unknown as ImgcfgError)).toBe('Not an imgcfg error.')
    expect(formatError({} as unknown as ImgcfgError)).toBe('Not an imgcfg error.')
  })
})

describe('editDistance: the one measure behind every "did you mean"', () => {
  it.each([
    ['resolve', 'resolve', 0],
    ['reslove', 'resolve', 1],
    ['resolv', 'resolve', 1],
    ['1.O', '1.0', 1],
    ['', 'abc', 3],
    ['ab', 'ba', 1],
    ['kitten', 'sitting', 3],
  ])('%s → %s: %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d)
    expect(editDistance(b, a)).toBe(d)
  })
})

describe('an --image value with nothing to look up names the flag and what is missing', () => {
  it.each([
    ['', "--image value 1 is empty: write name=identifier, or a bare identifier for the default image (ghcr.io/org/app:1.0)."],
    ['gpu=', `--image value 1 ("gpu=") has no identifier after the '=': write name=identifier with a tag or digest (gpu=ghcr.io/org/gpu:1.0).`],
  ])('%j', (value, message) => {
    const e: ImgcfgError = { _tag: 'InvalidImageFlag', value, param: 'image', index: 0, cause: { _tag: 'MissingTagOrDigest', identifier: '' } }
    expect(formatError(e)).toBe(message)
  })

  it("an empty identifier on its own keeps flytekit's sentence (a conformance vector pins it)", () => {
    expect(formatError({ _tag: 'MissingTagOrDigest', identifier: '' })).toBe(
      'Incorrectly formatted image , missing tag or digest. Add a tag (:1.0) or a digest (@sha256:…).',
    )
  })
})
