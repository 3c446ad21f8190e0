import { describe, expect, it } from 'vitest'
import { presets } from '../src/presets.js'
import { empty, fromHash, toHash } from '../src/State.js'

describe('the URL hash holds the whole state', () => {
  it('round-trips every preset', () => {
    for (const preset of presets) expect(fromHash(`#${toHash(preset.state)}`), preset.id).toEqual(preset.state)
  })

  it('round-trips awkward text: newlines, #, &, =, non-ASCII and empty rows', () => {
    const state = {
      ...empty,
      config: '# comment\nimages:\n  a: "x:1&b=2#c"\n  ü: ÿ:1\n',
      format: 'ini' as const,
      flags: ['', 'a=b=c', ' '],
      pythonVersion: '3.7',
      flytekitVersion: 'v1.15.4.dev12',
      internalImage: 'reg:5000/i:1',
      strict: true,
      find: 'ü',
      task: '{{.image.gpu.fqn}}:{{ .images.gpu.version }}&x=#',
    }
    expect(fromHash(`#${toHash(state)}`)).toEqual(state)
  })

  it('leaves defaults out', () => {
    expect(toHash({ ...empty, flags: ['x:1'] })).toBe('image=x%3A1&python=3.12')
  })

  it('an empty or foreign hash is not a state', () => {
    expect(fromHash('')).toBeUndefined()
    expect(fromHash('#outputs')).toBeUndefined()
  })

  it('a hash with only some keys fills in the rest', () => {
    expect(fromHash('#strict=1')).toEqual({ ...empty, strict: true })
  })
})
