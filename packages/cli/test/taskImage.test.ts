/** `imgcfg task-image`: task container_image templates resolved against resolve's configuration. */
import { memoryFileSystem } from '@imgcfg/config-file'
import { describe, expect, it } from 'vitest'
import { runInProcess } from './support.js'

const cwd = '/imgcfg-memory/work'
const home = '/imgcfg-memory/home'
const python = { pythonVersion: '3.11', flytekitVersion: '1.15.4' }
const fs = memoryFileSystem({ [`${cwd}/flytekit.config`]: '[images]\ngpu = ghcr.io/org/gpu:2.1\nbare = ghcr.io/org/bare\n' })
const taskImage = (args: ReadonlyArray<string>) => runInProcess(['task-image', ...args], { cwd, home, fs, python })

describe('imgcfg task-image', () => {
  it('resolves each template as flytekit registers it (json off a terminal)', async () => {
    const r = await taskImage(['{{.image.gpu.fqn}}:{{.image.gpu.version}}', '{{ .IMAGES.default.fqn }}:x', 'plain:1', '{{.image.bare.fqn}}:{{.image.bare.version}}'])
    expect(r.stderr).toBe('imgcfg: note: using config file /imgcfg-memory/work/flytekit.config (found via ./flytekit.config)\nimgcfg: warning: /imgcfg-memory/work/flytekit.config:3:8: image "bare" ("ghcr.io/org/bare") has no tag or digest, so it floats: each run may get a different image.\n')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual([
      { template: '{{.image.gpu.fqn}}:{{.image.gpu.version}}', image: 'ghcr.io/org/gpu:2.1' },
      { template: '{{ .IMAGES.default.fqn }}:x', image: 'cr.flyte.org/flyteorg/flytekit:x' },
      { template: 'plain:1', image: 'plain:1' },
      // flytekit's version fallback: the default image's tag (SPEC 6).
      { template: '{{.image.bare.fqn}}:{{.image.bare.version}}', image: 'ghcr.io/org/bare:py3.11-1.15.4' },
    ])
  })

  it('a table on request, templates shown visibly', async () => {
    const r = await taskImage(['{{.image.gpu}}', '-c', '', '-i', 'gpu=ghcr.io/x/gpu:1', '--format', 'table'])
    expect(r.code).toBe(0)
    expect(r.stdout.split('\n')[0]).toMatch(/^TEMPLATE\s+IMAGE$/)
    expect(r.stdout).toContain('ghcr.io/x/gpu:1')
  })

  it('a missing image: exit 1, nothing on stdout, the template, offset and names there are', async () => {
    const r = await taskImage(['{{.image.gpu.fqn}}', '{{.image.trainer_image.fqn}}:{{.image.trainer_image.version}}', '-c', ''])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(
      'imgcfg: template 1: container_image "{{.image.gpu.fqn}}": {{.image.gpu.fqn}} at offset 0 names image "gpu", which the configuration does not have (names are case-sensitive). Available: default.\n' +
        'imgcfg: template 2: container_image "{{.image.trainer_image.fqn}}:{{.image.trainer_image.version}}": {{.image.trainer_image.fqn}} at offset 0 names image "trainer_image", which the configuration does not have (names are case-sensitive). Available: default.\n',
    )
  })

  it('an attribute flytekit rejects', async () => {
    const r = await taskImage(['{{.image.gpu.tag}}'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('asks for "tag" of image "gpu"; only fqn and version are supported')
  })

  it('needs a template', async () => {
    const r = await runInProcess(['task-image'], { cwd, home, fs, python })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('task-image needs TEMPLATE...')
  })
})

describe('usage errors', () => {
  it('escape control characters in what the user typed', async () => {
    const r = await runInProcess(['res\u001b[31mlve'], { cwd, home, fs, python })
    expect(r.code).toBe(2)
    expect(r.stderr).toBe("imgcfg: unknown command 'res\\u001b[31mlve'.\nRun 'imgcfg --help' for usage.\n")
  })
})
