import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as ContainerImage from '../src/ContainerImage.js'
import { formatError } from '../src/errors.js'
import * as Image from '../src/Image.js'
import * as ImageConfig from '../src/ImageConfig.js'
import { conformanceDir } from '@imgcfg/test-utils/vectors'

interface TemplateVector {
  readonly id: string
  readonly rule?: string
  readonly input: {
    readonly config: { readonly default: string | null; readonly default_allow_no_tag?: boolean; readonly images: ReadonlyArray<[string, string]> }
    readonly template: string | null
  }
  readonly imgcfg: { readonly ok?: string; readonly error?: boolean; readonly messageIncludes?: ReadonlyArray<string> }
}

const vectors: ReadonlyArray<TemplateVector> = JSON.parse(
  readFileSync(join(conformanceDir, 'task-image.json'), 'utf8'),
).groups.container_image

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`)
  return e.right
}

// calls.container_image in task-image.json: the configuration a vector describes.
const configOf = (c: TemplateVector['input']['config']): ImageConfig.ImageConfig =>
  ImageConfig.createFrom(
    c.default === null ? undefined : right(Image.lookUpImageInfo('default', c.default, c.default_allow_no_tag === true)),
    c.images.map(([name, identifier]) => right(Image.lookUpImageInfo(name, identifier, true))),
  )

describe('conformance: task-image.json container_image (flytekit 1.15.4 get_registerable_container_image)', () => {
  it('has vectors', () => expect(vectors.length).toBeGreaterThan(200))
  it.each(vectors.map((v) => [v.id, v] as const))('%s', (_, v) => {
    const got = ContainerImage.getRegisterableContainerImage(v.input.template, configOf(v.input.config))
    if (v.imgcfg.error) {
      expect(E.isLeft(got), `expected an error, got ${JSON.stringify(got)}`).toBe(true)
      const message = formatError((got as E.Left<never>).left)
      for (const part of v.imgcfg.messageIncludes ?? []) expect(message).toContain(part)
    } else {
      expect(got).toStrictEqual(E.right(v.imgcfg.ok))
    }
  })
})

const config = ImageConfig.createFrom({ name: 'default', fqn: 'ghcr.io/acme/base', tag: '1.0' }, [
  { name: 'gpu', fqn: 'ghcr.io/acme/gpu', tag: '2.1' },
  { name: 'plain', fqn: 'ghcr.io/acme/plain' },
])
const message = (template: string | null | undefined, c = config): string => {
  const got = ContainerImage.getRegisterableContainerImage(template, c)
  if (E.isRight(got)) throw new Error(`expected an error, got ${got.right}`)
  return formatError(got.left)
}

describe('errors name the template, the offset and the names that exist', () => {
  it('a name the configuration lacks', () => {
    expect(message('{{.image.base.fqn}}:{{.image.trainer.version}}')).toBe(
      'container_image "{{.image.base.fqn}}:{{.image.trainer.version}}": {{.image.base.fqn}} at offset 0 names image "base", which the configuration does not have (names are case-sensitive). Available: default, gpu, plain.',
    )
  })
  it('the first failing placeholder, at its offset', () => {
    expect(message('{{.image.gpu.fqn}}:{{.image.trainer.version}}')).toBe(
      'container_image "{{.image.gpu.fqn}}:{{.image.trainer.version}}": {{.image.trainer.version}} at offset 19 names image "trainer", which the configuration does not have (names are case-sensitive). Available: default, gpu, plain.',
    )
  })
  it('an attribute other than fqn and version (looked up after the name, as flytekit)', () => {
    expect(message('{{.image.gpu.tag}}')).toBe(
      'container_image "{{.image.gpu.tag}}": {{.image.gpu.tag}} at offset 0 asks for "tag" of image "gpu"; only fqn and version are supported (or none, for the full reference).',
    )
    expect(message('{{.image.GPU.tag}}')).toContain('names image "GPU"')
  })
  it('a version fallback with nothing to fall back on (flytekit crashes)', () => {
    const noDefault = ImageConfig.createFrom(undefined, [{ name: 'plain', fqn: 'x.io/plain' }])
    expect(message('{{.image.plain.version}}', noDefault)).toBe(
      'container_image "{{.image.plain.version}}": {{.image.plain.version}} at offset 0 asks for the version of image "plain", which has no tag or digest, and there is no default image to take the version from.',
    )
    const taglessDefault = ImageConfig.createFrom({ name: 'default', fqn: 'x.io/base' }, [])
    expect(message('{{.image.default.version}}', taglessDefault)).toBe(
      'container_image "{{.image.default.version}}": {{.image.default.version}} at offset 0 asks for the version of image "default", which has no tag or digest, and the default image x.io/base has none either.',
    )
  })
  it('no template and no default image', () => {
    expect(message(undefined, ImageConfig.createFrom())).toContain('An image is required for PythonAutoContainer tasks')
  })
  it('control characters in a template are shown as escapes', () => {
    expect(message('\u001b[2J{{.image.x}}')).toContain('"\\u001b[2J{{.image.x}}"')
  })
})

describe('Python re semantics of the pattern', () => {
  it.each([
    ['{{.IMAGE.gpu.FQN}}', 'attribute FQN is not fqn', 'FQN'],
    ['{{.\u0130mage.gpu}}', 'U+0130 matches i under re.IGNORECASE', ''],
    ['{{.image\u017f.gpu}}', 'U+017F matches s under re.IGNORECASE', ''],
    ['{{\u001c.image.gpu\u0085}}', 'Python counts \\x1c and \\x85 as whitespace', ''],
  ])('%s: %s', (template, _, attribute) => {
    expect(ContainerImage.placeholders(template)).toStrictEqual([{ text: template, name: 'gpu', attribute, offset: 0 }])
  })
  it.each([
    ['{{\ufeff.image.gpu}}', 'U+FEFF is not whitespace in Python'],
    ['{{.image.gpu-1}}', 'a dash ends the name and the braces do not follow'],
    ['{{ image.gpu }}', 'the dot before image is required'],
    ['{{.image.a.b.c}}', 'at most two words after image'],
  ])('%s is no placeholder: %s', (template) => {
    expect(ContainerImage.placeholders(template)).toStrictEqual([])
    expect(ContainerImage.getRegisterableContainerImage(template, config)).toStrictEqual(E.right(template))
  })
  it('replaces every occurrence of a placeholder, as str.replace does', () => {
    expect(ContainerImage.getRegisterableContainerImage('{{.image.gpu}} {{.image.gpu}}', config)).toStrictEqual(
      E.right('ghcr.io/acme/gpu:2.1 ghcr.io/acme/gpu:2.1'),
    )
  })
})

describe('laws', () => {
  const text = fc.string({ unit: 'binary' })
  it('a string without placeholders is returned as it is', () => {
    fc.assert(
      fc.property(text, (s) => {
        fc.pre(s !== '' && ContainerImage.placeholders(s).length === 0)
        expect(ContainerImage.getRegisterableContainerImage(s, config)).toStrictEqual(E.right(s))
      }),
    )
  })
  it("placeholders' offsets point at their text", () => {
    const piece = fc.oneof(text, fc.constantFrom('{{.image.gpu}}', '{{ .images.plain.fqn }}', '{{.Image.x.version}}', '{{'))
    fc.assert(
      fc.property(fc.array(piece), (parts) => {
        const s = parts.join('')
        for (const p of ContainerImage.placeholders(s)) expect(s.slice(p.offset, p.offset + p.text.length)).toBe(p.text)
      }),
    )
  })
  it('names that exist always resolve, and the result has no placeholder left', () => {
    const placeholder = fc
      .tuple(fc.constantFrom('default', 'gpu', 'plain'), fc.constantFrom('', '.fqn', '.version'))
      .map(([n, a]) => `{{.image.${n}${a}}}`)
    fc.assert(
      fc.property(fc.array(fc.oneof(placeholder, fc.stringMatching(/^[a-z:/@-]*$/))), (parts) => {
        const got = ContainerImage.getRegisterableContainerImage(parts.join(''), config)
        expect(E.isRight(got)).toBe(true)
        expect(ContainerImage.placeholders((got as E.Right<string>).right)).toStrictEqual([])
      }),
    )
  })
  it('never throws, whatever it is handed', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (a, b) => {
        const got = ContainerImage.getRegisterableContainerImage(a as never, b as never)
        if (E.isLeft(got)) expect(typeof formatError(got.left)).toBe('string')
        expect(Array.isArray(ContainerImage.placeholders(a as never))).toBe(true)
      }),
    )
  })
})
