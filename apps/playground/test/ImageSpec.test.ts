/**
 * The ImageSpec pane's answers: every image_spec vector recorded from flytekit 1.15.4 that needs
 * no files gives flytekit's name, tag, id and hashed text; the others say why not, with where.
 */
import { loadConformance } from '@imgcfg/test-utils/vectors'
import { describe, expect, it } from 'vitest'
import { imageSpecAnswer } from '../src/ImageSpec.js'

interface SpecVector {
  readonly id: string
  readonly input: { readonly yaml: string; readonly files?: Readonly<Record<string, string>> }
  readonly output?: { readonly image_name: string; readonly tag: string; readonly id: string }
  readonly hashed?: { readonly tag: string; readonly id: string }
  readonly imgcfg: { readonly ok?: unknown; readonly error?: boolean; readonly messageIncludes?: ReadonlyArray<string> }
}

const vectors = (loadConformance('task-image.json').groups.image_spec as ReadonlyArray<SpecVector>).filter(
  (v) => Object.keys(v.input.files ?? {}).length === 0,
)

describe('imageSpecAnswer: what the ImageSpec pane shows', () => {
  it('covers the vectors that need no files', () => {
    expect(vectors.length).toBeGreaterThan(20)
  })

  it.each(vectors.filter((v) => v.imgcfg.ok !== undefined).map((v) => [v.id, v] as const))('%s', (_id, v) => {
    expect(imageSpecAnswer(v.input.yaml)).toEqual({ ok: true, imageName: v.output!.image_name, tag: v.output!.tag, id: v.output!.id, hashed: v.hashed!.tag })
  })

  it.each(vectors.filter((v) => v.imgcfg.error === true).map((v) => [v.id, v] as const))('%s is refused with a sentence', (_id, v) => {
    const answer = imageSpecAnswer(v.input.yaml)
    expect(answer?.ok).toBe(false)
    for (const part of v.imgcfg.messageIncludes ?? []) expect(answer !== undefined && !answer.ok && answer.message).toContain(part)
  })

  it('an empty box shows nothing; an unknown key is placed at its line', () => {
    expect(imageSpecAnswer('  \n')).toBeUndefined()
    expect(imageSpecAnswer('name: app\npackges: [a]\n')).toMatchObject({ ok: false, line: 2, column: 1, message: expect.stringMatching(/^imagespec\.yaml:2:1: ImageSpec packges: unknown key .*Did you mean packages\?$/) })
  })

  it('a spec that names files says the page cannot read them and what to run instead', () => {
    const answer = imageSpecAnswer('name: app\nrequirements: requirements.txt\n')
    expect(answer).toMatchObject({ ok: false })
    expect(answer !== undefined && !answer.ok && answer.message).toContain('run `imgcfg image-spec imagespec.yaml` where pyflyte runs')
  })
})
