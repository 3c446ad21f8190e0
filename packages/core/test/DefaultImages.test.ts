import { describe, expect, it } from 'vitest'
import * as DefaultImages from '../src/DefaultImages.js'

describe('isFlytekitVersion: latest or a PEP 440 version an image tag can carry', () => {
  it.each(['1.15.4', '1.16.0rc1', '1.10.3.post1', '2.0.0.dev3', '1.0a1', '1.0b2.post3.dev4', '2', 'v1.15.0', 'V1.2', 'latest'])('accepts %j', (v) => {
    expect(DefaultImages.isFlytekitVersion(v)).toBe(true)
  })

  it.each(['', 'foo bar', '1.15 beta', '1.15.', '.1', '1..2', '1.0+local', '1!2.0', 'vv1.0', 'Latest', '1.0-rc1', '1.0\n', '1.15.4;rm', 'x'.repeat(200)])(
    'rejects %j',
    (v) => {
      expect(DefaultImages.isFlytekitVersion(v)).toBe(false)
    },
  )

  it('rejects values that are not strings', () => {
    expect(DefaultImages.isFlytekitVersion(undefined)).toBe(false)
    expect(DefaultImages.isFlytekitVersion(1.15)).toBe(false)
  })
})
