/**
 * ImageSpec files in the CLI (SPEC 7): `imgcfg image-spec FILE...`, and an --image value that
 * names an existing file. The expected names were recorded from flytekit 1.15.4
 * (conformance/task-image.json, group image_spec); the files live on an in-memory file system.
 */
import { memoryFileSystem } from '@imgcfg/config-file'
import { loadConformance } from '@imgcfg/test-utils/vectors'
import { describe, expect, it } from 'vitest'
import { runInProcess } from './support.js'

interface SpecVector {
  readonly id: string
  readonly input: { readonly yaml: string; readonly files: Readonly<Record<string, string>> }
  readonly output: { readonly image_name: string; readonly tag: string; readonly id: string }
}
const vectors = (
  loadConformance('task-image.json') as {
    groups: { image_spec: { vectors?: ReadonlyArray<SpecVector> } | ReadonlyArray<SpecVector> }
  }
).groups.image_spec
const all: ReadonlyArray<SpecVector> = Array.isArray(vectors) ? vectors : ((vectors as { vectors: ReadonlyArray<SpecVector> }).vectors ?? [])
const vector = all.find((v) => v.id === 'spec-registry-and-packages')!

const cwd = '/imgcfg-memory/project'
const home = '/imgcfg-memory/home'
const python = { pythonVersion: '3.11', flytekitVersion: '1.15.4' }
const fs = () => memoryFileSystem({ [`${cwd}/imagespec.yaml`]: vector.input.yaml, [`${cwd}/bad.yaml`]: 'name: x\npackges:\n  - a\n' })

describe('imgcfg image-spec FILE...', () => {
  it("prints flytekit's image name, tag and id", async () => {
    const r = await runInProcess(['image-spec', 'imagespec.yaml'], { cwd, home, fs: fs() })
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual([
      { file: 'imagespec.yaml', imageName: vector.output.image_name, tag: vector.output.tag, id: vector.output.id },
    ])
  })

  it('a table on a terminal', async () => {
    const r = await runInProcess(['image-spec', 'imagespec.yaml'], { cwd, home, fs: fs(), tty: true })
    expect(r.stdout.split('\n')[0]!.replace(/\u001b\[\d+m/g, '')).toMatch(/^FILE\s+IMAGE\s+ID$/)
    expect(r.stdout).toContain(vector.output.image_name)
  })

  it('an unknown key is an error with the file, the line and the closest known key; stdout stays empty', async () => {
    const r = await runInProcess(['image-spec', 'imagespec.yaml', 'bad.yaml'], { cwd, home, fs: fs() })
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/^imgcfg: bad\.yaml:2:1: ImageSpec packges: unknown key .*Did you mean packages\?$/m)
  })

  it('a missing file is named as typed', async () => {
    const r = await runInProcess(['image-spec', 'nope.yaml'], { cwd, home, fs: fs() })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('"nope.yaml"')
  })
})

describe('an --image value naming an existing file is an ImageSpec file', () => {
  it('resolve: the default image is the name flytekit builds, from the file', async () => {
    const r = await runInProcess(['resolve', '-i', 'imagespec.yaml', '-i', 'gpu=ghcr.io/org/gpu:2.1', '-c', '', '--format', 'json'], { cwd, home, fs: fs(), python })
    expect(r.code).toBe(0)
    const images = (JSON.parse(r.stdout) as { images: Array<{ name: string; fqn: string; tag: string }> }).images
    expect(images.map((i) => `${i.name}=${i.fqn}:${i.tag}`)).toEqual([`default=${vector.output.image_name}`, 'gpu=ghcr.io/org/gpu:2.1'])
  })

  it('resolve: the table says where it came from', async () => {
    const r = await runInProcess(['resolve', '-i', 'ghcr.io/org/base:1', '-i', 'train=imagespec.yaml', '-c', '', '--format', 'table'], { cwd, home, fs: fs(), python })
    expect(r.stdout).toMatch(new RegExp(`train\\s+${vector.output.image_name}\\s+imagespec\\s+imagespec\\.yaml \\(--image value 2\\)`))
  })

  it('task-image resolves a template against it', async () => {
    const r = await runInProcess(['task-image', '{{.image.train}}', '-i', 'ghcr.io/org/base:1', '-i', 'train=imagespec.yaml', '-c', '', '--format', 'json'], { cwd, home, fs: fs(), python })
    expect(JSON.parse(r.stdout)).toEqual([{ template: '{{.image.train}}', image: vector.output.image_name }])
  })

  it('a bad spec fails the command with its location; an identifier that is no file stays a reference', async () => {
    const bad = await runInProcess(['resolve', '-i', 'gpu=bad.yaml', '-i', 'base:1', '-c', ''], { cwd, home, fs: fs(), python })
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/^imgcfg: bad\.yaml:2:1: /)
    const plain = await runInProcess(['resolve', '-i', 'gpu=other.yaml', '-i', 'base:1', '-c', ''], { cwd, home, fs: fs(), python })
    expect(plain.code).toBe(1)
    expect(plain.stderr).toContain('missing tag or digest')
  })

  it('paths are the library\'s: absolute, or relative to the working directory; a directory is no spec file', async () => {
    const files = memoryFileSystem({ [`${cwd}/specs/train.yaml`]: vector.input.yaml }, [`${cwd}/dir.yaml`])
    const names = async (image: string, from = cwd): Promise<string> => {
      const r = await runInProcess(['resolve', '-i', 'ghcr.io/org/base:1', '-i', `train=${image}`, '-c', '', '--format', 'json'], { cwd: from, home, fs: files, python })
      if (r.code !== 0) return r.stderr
      return (JSON.parse(r.stdout) as { images: Array<{ name: string; fqn: string; tag: string }> }).images.map((i) => `${i.name}=${i.fqn}:${i.tag}`).join(' ')
    }
    const expected = `default=ghcr.io/org/base:1 train=${vector.output.image_name}`
    expect(await names('specs/train.yaml')).toBe(expected)
    expect(await names(`${cwd}/specs/train.yaml`, home)).toBe(expected)
    expect(await names('../specs/train.yaml', `${cwd}/specs`)).toBe(expected)
    expect(await names('dir.yaml')).toContain('missing tag or digest')
  })
})
