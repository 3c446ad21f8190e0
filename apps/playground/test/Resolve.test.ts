import * as E from 'fp-ts/lib/Either.js'
import { parseConfigText } from '@imgcfg/config-file/text'
import * as DefaultImages from '@imgcfg/core/DefaultImages'
import { formatConfigError, type ConfigError } from '@imgcfg/config-file/text'
import { formatError } from '@imgcfg/core/errors'
import * as ImageConfig from '@imgcfg/core/ImageConfig'
import { describe, expect, it } from 'vitest'
import { presets } from '../src/presets.js'
import { findImage, imgcfgCommand, pyflyteCommand, resolve, shellQuote, taskImage } from '../src/Resolve.js'
import { empty, type State } from '../src/State.js'

/** The library's sentence for a Left: the playground must show exactly that. */
const sentence = (e: E.Either<ConfigError, unknown>): string => (E.isLeft(e) ? formatConfigError(e.left) : 'no error')
const state = (patch: Partial<State>): State => ({ ...empty, ...patch })
const table = (s: State) => resolve(s).resolved?.rows.map((r) => [r.name, r.full, r.source])

describe('resolution is the CLI resolve: validateImage on the flags, then the file patched in', () => {
  it('labels each image by where it came from', () => {
    const s = state({
      config: 'images:\n  gpu: ghcr.io/x/gpu:0\n  train: ghcr.io/x/train\n',
      flags: ['gpu=ghcr.io/acme/gpu:1'],
      pythonVersion: '3.11',
      flytekitVersion: 'v1.15.0',
    })
    expect(table(s)).toEqual([
      ['default', 'cr.flyte.org/flyteorg/flytekit:py3.11-1.15.0', 'default'],
      ['gpu', 'ghcr.io/acme/gpu:1', 'flag'],
      ['train', 'ghcr.io/x/train', 'config'],
    ])
    expect(resolve(s).resolved?.shadowed).toEqual(['gpu'])
  })

  it('a bare --image value is the default and comes from a flag', () => {
    expect(table(state({ flags: ['ghcr.io/acme/base:1'] }))).toEqual([['default', 'ghcr.io/acme/base:1', 'flag']])
  })

  it('FLYTE_INTERNAL_IMAGE replaces the default image', () => {
    const out = resolve(state({ internalImage: 'ghcr.io/acme/internal:7' }))
    expect(out.resolved?.rows[0]).toMatchObject({ full: 'ghcr.io/acme/internal:7', source: 'default' })
    expect(out.resolved?.defaultFrom).toBe('FLYTE_INTERNAL_IMAGE')
  })

  it('without a flytekit version the default tag is latest', () => {
    expect(resolve(state({})).resolved?.rows[0]?.full).toBe('cr.flyte.org/flyteorg/flytekit:py3.12-latest')
  })

  it('a flytekit version from a shared link is checked as the command line checks it', () => {
    const out = resolve(state({ flytekitVersion: 'foo bar' }))
    expect(out.resolved).toBeUndefined()
    expect(out.problems).toEqual([
      { at: 'flytekitVersion', message: `The flytekit version must be ${DefaultImages.FLYTEKIT_VERSION_FORM}, not "foo bar".` },
    ])
    expect(resolve(state({ flytekitVersion: '1.16.0rc1' })).resolved?.rows[0]?.full).toBe('cr.flyte.org/flyteorg/flytekit:py3.12-1.16.0rc1')
  })

  it('empty rows are not flags', () => {
    expect(resolve(state({ flags: ['', 'a=x:1', ''] })).problems).toEqual([])
  })

  it('the JSON is toJson with indent 2, in flytekit key order', () => {
    const json = resolve(state({ flags: ['x:1'] })).resolved?.json
    expect(JSON.parse(json!)).toEqual({
      default_image: { name: 'default', fqn: 'x', tag: '1', digest: null },
      images: [{ name: 'default', fqn: 'x', tag: '1', digest: null }],
    })
    expect(json).toContain('\n  "default_image": {\n    "name": "default"')
  })

  it('every preset resolves', () => {
    for (const preset of presets.filter((p) => p.id !== 'empty')) {
      expect(resolve(preset.state).problems, preset.id).toEqual([])
    }
  })

  it('the INI preset shows configparser semantics: [DEFAULT] options are images, names lowercased', () => {
    const ini = presets.find((p) => p.id === 'ini')!.state
    expect(resolve(ini).format).toBe('ini')
    expect(table(ini)?.map(([name]) => name)).toEqual(['default', 'spark', 'base', 'notebook', 'registry'])
    expect(table(ini)?.[2]).toEqual(['base', 'ghcr.io/acme/base:py3.11-2024.06', 'config'])
  })
})

describe('problems are placed at the input they belong to', () => {
  it('a config syntax error carries its line and column', () => {
    const config = 'images:\n  a: x:1\n  a: y:2\n'
    const out = resolve(state({ config }))
    expect(out.problems).toEqual([
      { at: 'config', line: 3, column: 3, message: sentence(parseConfigText(config, { format: 'yaml', origin: 'config.yaml' })) },
    ])
    expect(out.problems[0]?.message).toMatch(/^config\.yaml:3:3: /)
    expect(out.resolved).toBeUndefined()
  })

  it('an INI error names flytekit.config', () => {
    const out = resolve(state({ config: '[images]\nbase = %(nope)s/x:1\n' }))
    expect(out.problems[0]).toMatchObject({ at: 'config', line: 2 })
    expect(out.problems[0]?.message).toMatch(/^flytekit\.config:2/)
  })

  it('a flag error points at its row, counting empty rows', () => {
    const out = resolve(state({ flags: ['', 'a=x:1', 'ubuntu'] }))
    const message = sentence(ImageConfig.validateImage(['a=x:1', 'ubuntu'], { defaultImage: 'd:1' }))
    expect(out.problems).toEqual([{ at: 'flag', row: 2, message }])
    expect(message).toContain('Incorrectly formatted image ubuntu, missing tag or digest')
  })

  it('config and flag problems are reported together', () => {
    const out = resolve(state({ config: 'images: [1]\n', flags: ['a=x:1', 'a=y:2'] }))
    expect(out.problems.map((p) => p.at)).toEqual(['config', 'flag'])
  })

  it('strict mode rejects a flag, and a config image, the OCI grammar rejects (SPEC 5: one policy)', () => {
    const out = resolve(state({ flags: ['a=Ghcr.io/Acme/x:1'], strict: true }))
    expect(out.problems[0]).toMatchObject({ at: 'flag', row: 0 })
    expect(out.problems[0]?.message).toContain('Invalid image reference')
    const sample = presets[0]!.state
    const strict = resolve({ ...sample, strict: true })
    expect(strict.resolved).toBeUndefined()
    expect(strict.problems).toEqual([
      {
        at: 'config',
        line: 17,
        column: 3,
        message:
          'config.yaml:17:3: image "bcd": Invalid image reference "docker.io/bcd@sha256:26c68657ccce2cb0a31b330cb0hu3b5e108d467f641c62e13ab40cbec258c68d": unexpected \'h\' at offset 47. A digest is algorithm:hex with at least 32 hex digits (sha256 takes 64).',
      },
    ])
    // Without strict the same problems are warnings on their rows.
    const rows = resolve(sample).resolved?.rows
    expect(rows?.filter((r) => r.warning).map((r) => r.name)).toEqual(['abc', 'bcd'])
    expect(rows?.find((r) => r.name === 'abc')?.warning).toBe(
      'config.yaml:16:3: image "abc" ("docker.io/abc") has no tag or digest, so it floats: each run may get a different image.',
    )
  })

  it('a flag shadowing the bad config image makes strict pass', () => {
    const sample = presets[0]!.state
    const out = resolve({ ...sample, strict: true, flags: ['bcd=docker.io/bcd:1'] })
    expect(out.problems).toEqual([])
    expect(out.resolved?.shadowed).toEqual(['bcd'])
    expect(out.resolved?.rows.map((r) => r.where)).toEqual([
      'default for Python 3.12',
      '--image value 1',
      'config.yaml:15:3',
      'config.yaml:16:3',
    ])
  })

  it('an unsupported Python version is shown at the select, and flags are still checked', () => {
    const out = resolve(state({ pythonVersion: '3.7', flags: ['x'] }))
    // In the order of the page: the flag rows come before the version selects.
    expect(out.problems.map((p) => p.at)).toEqual(['flag', 'pythonVersion'])
    expect(out.problems[1]?.message).toBe(sentence(DefaultImages.findImageFor({ pythonVersion: '3.7' })))
  })

  it('a FLYTE_INTERNAL_IMAGE without a tag is shown at that field', () => {
    const out = resolve(state({ internalImage: 'ubuntu' }))
    expect(out.problems).toEqual([expect.objectContaining({ at: 'internalImage' })])
  })

  it('the format override wins over detection', () => {
    const out = resolve(state({ config: '[images]\na = x:1\n', format: 'yaml' }))
    expect([out.detected, out.format]).toEqual(['ini', 'yaml'])
    expect(out.problems[0]?.at).toBe('config')
  })
})

describe('find image', () => {
  const config = resolve(state({ flags: ['gpu=ghcr.io/acme/gpu:1'] })).resolved!.config
  it('gives the full reference of a name', () => {
    expect(findImage(config, 'gpu')).toEqual({ ok: true, full: 'ghcr.io/acme/gpu:1' })
  })
  it('lists the names that exist when there is none', () => {
    const message = formatError({ _tag: 'ImageNotFound', name: 'cpu', available: ['default', 'gpu'] })
    expect(findImage(config, 'cpu')).toEqual({ ok: false, message })
  })
})

describe('task container_image', () => {
  const config = resolve(state({ flags: ['ghcr.io/acme/base:2', 'gpu=ghcr.io/acme/gpu:1'] })).resolved!.config
  it('resolves a template as flytekit registers it', () => {
    expect(taskImage(config, '{{.image.gpu.fqn}}:{{.image.gpu.version}}')).toEqual({ ok: true, image: 'ghcr.io/acme/gpu:1' })
    expect(taskImage(config, '{{.image.default}}')).toEqual({ ok: true, image: 'ghcr.io/acme/base:2' })
  })
  it("gives core's located sentence when a placeholder fails", () => {
    const r = taskImage(config, 'x/{{.image.trainer.fqn}}')
    expect(r).toEqual({
      ok: false,
      message: formatError({ _tag: 'ContainerImageError', problem: 'not-found', template: 'x/{{.image.trainer.fqn}}', placeholder: '{{.image.trainer.fqn}}', offset: 2, name: 'trainer', attribute: 'fqn', available: ['default', 'gpu'] }),
    })
    expect(r.ok === false && r.message).toContain('at offset 2 names image "trainer"')
  })
})

describe('command lines', () => {
  it('quotes only what the shell needs quoted', () => {
    expect(shellQuote('a=ghcr.io/x:1@sha256:ab')).toBe('a=ghcr.io/x:1@sha256:ab')
    expect(shellQuote("it's here")).toBe(`'it'\\''s here'`)
    expect(shellQuote('')).toBe(`''`)
  })
  it('pyflyte run gets the config file, each flag and the environment', () => {
    const s = state({ config: 'images: {}\n', flags: ['x:1', '', 'a b=y:2'], internalImage: 'i:1' })
    expect(pyflyteCommand(s, 'yaml')).toBe(
      "FLYTE_INTERNAL_IMAGE=i:1 pyflyte --config config.yaml run --image x:1 --image 'a b=y:2' workflows.py wf",
    )
  })
  it('imgcfg resolve gets the versions and strict mode too', () => {
    const s = state({ config: '[images]\n', flags: ['x:1'], flytekitVersion: '1.15.0', strict: true })
    expect(imgcfgCommand(s, 'ini')).toBe(
      'imgcfg resolve -i x:1 -c flytekit.config --python-version 3.12 --flytekit-version 1.15.0 --strict --format json',
    )
  })
  it('imgcfg resolve turns discovery off and pins latest when the page has no file or flytekit version', () => {
    expect(imgcfgCommand(state({}), 'yaml')).toBe(
      "imgcfg resolve -c '' --python-version 3.12 --flytekit-version latest --format json",
    )
  })
})

describe('every problem and every warning, each at its input', () => {
  it('under strict, every config image the grammar rejects is an error at its line', () => {
    const config = 'images:\n  ok: ghcr.io/acme/ok:1\n  up: ghcr.io/Acme/up:1\n  bad: docker.io/bad@sha256:xyz\n'
    const out = resolve(state({ config, strict: true }))
    expect(out.resolved).toBeUndefined()
    expect(out.problems.map((p) => (p.at === 'config' ? [p.at, p.line, p.column] : [p.at]))).toEqual([
      ['config', 3, 3],
      ['config', 4, 3],
    ])
    // The same sentences as the warnings without strict.
    const lenient = resolve(state({ config }))
    expect(out.problems.map((p) => p.message)).toEqual(lenient.notices.filter((n) => n.code === 'grammar').map((n) => n.message))
  })

  it('the warnings are placed: config ones at their line, flag ones at their row (empty rows counted)', () => {
    const out = resolve(state({ config: 'images:\n  gpu: x/gpu:1\n  train: ghcr.io/acme/train\n', flags: ['', 'gpu=ghcr.io/Acme/gpu:1'] }))
    expect(out.problems).toEqual([])
    expect(out.notices.map((n) => [n.at, n.code, n.at === 'config' ? n.line : n.at === 'flag' ? n.row : undefined])).toEqual([
      ['flag', 'grammar', 1],
      ['config', 'shadowed', 2],
      ['config', 'tagless', 3],
    ])
  })

  it("a config file's default image replaced by flytekit's default says so, not that an --image value replaced it", () => {
    const out = resolve(state({ config: 'images:\n  default: ghcr.io/acme/own:1\n' }))
    const shadowed = out.notices.filter((n) => n.code === 'shadowed').map((n) => n.message)
    expect(shadowed).toEqual(['config.yaml:2:3: image "default" is replaced by default for Python 3.12.'])
    expect(shadowed.join(' ')).not.toContain('--image')
  })
})

describe('while something is wrong', () => {
  it("the config text's own warnings still show at their lines; nothing resolves", () => {
    const sample = presets[0]!.state
    const out = resolve({ ...sample, flags: ['gpu=ubuntu'] })
    expect(out.resolved).toBeUndefined()
    expect(out.problems.map((p) => p.at)).toEqual(['flag'])
    const ok = resolve(sample)
    expect(out.notices).toEqual(ok.notices.filter((n) => n.at === 'config' && n.code !== 'shadowed'))
    expect(out.notices.map((n) => (n.at === 'config' ? n.line : undefined))).toEqual([16, 17])
  })

  it('under strict the grammar ones are errors, not warnings too', () => {
    const out = resolve({ ...presets[0]!.state, strict: true })
    expect(out.problems.map((p) => (p.at === 'config' ? p.line : p.at))).toEqual([17])
    expect(out.notices.map((n) => [n.code, n.at === 'config' ? n.line : undefined])).toEqual([['tagless', 16]])
  })

  it('a config text that does not parse has no warnings', () => {
    expect(resolve(state({ config: 'images:\n  a: x:1\n  a: y:2\n' })).notices).toEqual([])
  })
})
