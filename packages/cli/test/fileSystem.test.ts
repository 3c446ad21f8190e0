/**
 * Commands read and write files only through the file-system capability: run on an in-memory
 * file system, they find, read and report files that exist nowhere on disk.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { memoryFileSystem } from '@imgcfg/config-file'
import { describe, expect, it } from 'vitest'
import { runInProcess } from './support.js'

// A working directory and home that do not exist on disk: any read that bypassed the capability fails.
const cwd = '/imgcfg-memory/work'
const home = '/imgcfg-memory/home'
const python = { pythonVersion: '3.11', flytekitVersion: '1.15.4' }

describe('commands on an in-memory file system', () => {
  it('resolve discovers ./flytekit.config and names it', async () => {
    const fs = memoryFileSystem({ [`${cwd}/flytekit.config`]: '[images]\ngpu = ghcr.io/org/gpu:1.0\n' })
    const r = await runInProcess(['resolve', '-i', 'ghcr.io/org/base:2', '--format', 'json'], { cwd, home, fs, python })
    expect(r.code).toBe(0)
    const images = (JSON.parse(r.stdout) as { images: Array<{ name: string; fqn: string; tag: string }> }).images
    expect(images.map((i) => [i.name, i.fqn, i.tag])).toEqual([
      ['default', 'ghcr.io/org/base', '2'],
      ['gpu', 'ghcr.io/org/gpu', '1.0'],
    ])
    expect(r.stderr).toContain(`using config file ${cwd}/flytekit.config (found via ./flytekit.config)`)
  })

  it('resolve -c names the file as typed and reads it relative to the working directory', async () => {
    const fs = memoryFileSystem({ [`${cwd}/conf/c.yaml`]: 'images:\n  gpu: "ghcr.io/Org/gpu:1"\n' })
    const r = await runInProcess(['resolve', '-c', 'conf/c.yaml', '-i', 'base:1', '--strict'], { cwd, home, fs, python })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^imgcfg: conf\/c\.yaml:2:3: image "gpu": Invalid image reference "ghcr\.io\/Org\/gpu:1": repository name must be lowercase/)
  })

  it('a missing -c file is an error naming it as typed', async () => {
    const r = await runInProcess(['resolve', '-c', 'nope.yaml', '-i', 'base:1'], { cwd, home, fs: memoryFileSystem({}), python })
    expect(r.code).toBe(1)
    expect(r.stderr).toBe('imgcfg: Cannot read config file "nope.yaml": no such file.\n')
  })

  it('lint reads the file once, from the capability, and reports [DEFAULT] images by line', async () => {
    const text = '[DEFAULT]\nshared = ghcr.io/org/shared:1\n[images]\na = ghcr.io/org/a:1\n'
    const fs = memoryFileSystem({ [`${cwd}/flytekit.config`]: text })
    let reads = 0
    const counting = { ...fs, readText: (path: string) => ((reads += 1), fs.readText(path)) }
    const r = await runInProcess(['lint', '-c', 'flytekit.config'], { cwd, home, fs: counting, python })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('flytekit.config:2:10: image "shared" comes from the [DEFAULT] section')
    expect(reads).toBe(1)
  })

  it('a directory given with -c is refused', async () => {
    const fs = memoryFileSystem({}, [`${cwd}/conf`])
    const r = await runInProcess(['resolve', '-c', 'conf', '-i', 'base:1'], { cwd, home, fs, python })
    expect(r.code).toBe(1)
    expect(r.stderr).toBe('imgcfg: Cannot read config file "conf": it is a directory.\n')
  })

  it('lint --tasks walks the capability: templates, .gitignore and located problems on no disk at all', async () => {
    const fs = memoryFileSystem(
      {
        [`${cwd}/.gitignore`]: 'generated/\n',
        [`${cwd}/workflows/train.py`]: 'from flytekit import task\n\n@task(container_image="{{.image.gpu.fqn}}:{{.image.gpu.version}}")\ndef train(): ...\n',
        [`${cwd}/workflows/evaluate.py`]: '@task(container_image="{{.image.cpu}}")\ndef evaluate(): ...\n',
        [`${cwd}/workflows/notes.txt`]: '{{.image.nope}}',
        [`${cwd}/generated/old.py`]: '@task(container_image="{{.image.old}}")\n',
        [`${cwd}/node_modules/x.py`]: '"{{.image.x}}"',
      },
      [`${cwd}/.git`],
    )
    const r = await runInProcess(['lint', '--tasks', '-c', '', '-i', 'ghcr.io/org/base:1', '-i', 'gpu=ghcr.io/org/gpu:2.1'], { cwd, home, fs, python })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^workflows\/evaluate\.py:1:24: container_image "\{\{\.image\.cpu\}\}": \{\{\.image\.cpu\}\} at offset 0 names image "cpu", which the configuration does not have/m)
    expect(r.stderr).not.toMatch(/generated|node_modules|notes/)
    expect(r.stderr).toContain('2 templates in 2 files (2 files scanned), 1 problem.')
  })
})

describe('the command modules', () => {
  const dir = join(import.meta.dirname, '../src/commands')
  it.each(readdirSync(dir).filter((f) => f.endsWith('.ts')))('%s imports no node:fs', (file) => {
    expect(readFileSync(join(dir, file), 'utf8')).not.toMatch(/from ['"](node:)?fs(\/promises)?['"]/)
  })
})
