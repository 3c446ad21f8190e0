import { describe, expect, it } from 'vitest'
import { formatConfigError, isConfigFileError, type ConfigError } from '../src/errors.js'

describe('formatConfigError: config-file errors, with core renderer composed', () => {
  it.each<[ConfigError, string]>([
    [{ _tag: 'ConfigSyntaxError', format: 'yaml', origin: 'c.yaml', line: 2, column: 3, message: 'bad\u001b[2J' }, 'c.yaml:2:3: bad\\u001b[2J'],
    [{ _tag: 'ConfigSyntaxError', format: 'ini', message: 'no section' }, '<config>: no section'],
    [{ _tag: 'InternalSection', origin: 'f\u202e.config', line: 4, column: 1 }, "The config file 'f\\u202e.config' cannot contain a section for internal only configurations. (f\\u202e.config:4:1)"],
    [{ _tag: 'ConfigFileUnreadable', path: 'big.yaml', reason: 'too-large', detail: '20000000 bytes' }, 'Cannot read config file "big.yaml": it is larger than 16 MiB (20000000 bytes).'],
    [
      { _tag: 'InvalidConfigImage', path: 'c.yaml', line: 3, column: 8, name: 'gpu', cause: { _tag: 'InvalidReference', reason: 'NameContainsUppercase', input: 'Gpu:1', offset: 0 } },
      `c.yaml:3:8: image "gpu": Invalid image reference "Gpu:1": repository name must be lowercase (offset 0: 'G').`,
    ],
    [{ _tag: 'ImageNotFound', name: 'x', available: [] }, 'No image named "x": the configuration has no images.'],
  ])('%j', (e, sentence) => {
    expect(formatConfigError(e)).toBe(sentence)
  })

  it('tells config-file errors from core ones', () => {
    expect(isConfigFileError({ _tag: 'InternalSection' })).toBe(true)
    expect(isConfigFileError({ _tag: 'NoDefaultImage' })).toBe(false)
  })
})
