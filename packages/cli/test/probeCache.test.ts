import { chmodSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cachedProbe, cacheFile, fingerprint, type ProbeRun } from '../src/probeCache.js'

const temp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix))

/** A PATH directory with an executable python3, and a site directory the probe reports. */
const setup = () => {
  const root = temp('imgcfg-probe-')
  const bin = join(root, 'bin')
  const site = join(root, 'site-packages')
  mkdirSync(bin)
  mkdirSync(site)
  writeFileSync(join(bin, 'python3'), '#!/bin/sh\necho 3.11 1.15.0\n')
  chmodSync(join(bin, 'python3'), 0o755)
  const env = { PATH: bin, IMGCFG_CACHE_DIR: join(root, 'cache') }
  let runs = 0
  const run = async (): Promise<ProbeRun> => {
    runs += 1
    return { probe: { pythonVersion: '3.11', flytekitVersion: '1.15.0' }, pathDirs: [site] }
  }
  return { root, bin, site, env, run, runs: () => runs }
}

describe('the python3 probe is cached until something that decides it changes', () => {
  it('runs python3 once for repeated commands', async () => {
    const s = setup()
    for (let i = 0; i < 3; i++) {
      expect(await cachedProbe(s.env, s.root, s.root, s.run)).toStrictEqual({ pythonVersion: '3.11', flytekitVersion: '1.15.0' })
    }
    expect(s.runs()).toBe(1)
  })
  it('probes again when a package is installed into a sys.path directory', async () => {
    const s = setup()
    await cachedProbe(s.env, s.root, s.root, s.run)
    utimesSync(s.site, new Date(), new Date(Date.now() + 5_000))
    await cachedProbe(s.env, s.root, s.root, s.run)
    expect(s.runs()).toBe(2)
  })
  it('probes again when the interpreter changes', async () => {
    const s = setup()
    await cachedProbe(s.env, s.root, s.root, s.run)
    writeFileSync(join(s.bin, 'python3'), '#!/bin/sh\necho 3.12\n')
    utimesSync(join(s.bin, 'python3'), new Date(), new Date(Date.now() + 5_000))
    await cachedProbe(s.env, s.root, s.root, s.run)
    expect(s.runs()).toBe(2)
  })
  it('probes again for another virtualenv or PYTHONPATH', async () => {
    const s = setup()
    await cachedProbe(s.env, s.root, s.root, s.run)
    await cachedProbe({ ...s.env, VIRTUAL_ENV: '/venv' }, s.root, s.root, s.run)
    await cachedProbe({ ...s.env, PYTHONPATH: '/elsewhere' }, s.root, s.root, s.run)
    expect(s.runs()).toBe(3)
    await cachedProbe({ ...s.env, VIRTUAL_ENV: '/venv' }, s.root, s.root, s.run)
    expect(s.runs()).toBe(3)
  })
  it('follows pyenv: a .python-version file selects another interpreter', async () => {
    const s = setup()
    const shims = join(s.root, 'shims')
    mkdirSync(shims)
    writeFileSync(join(shims, 'python3'), '#!/bin/sh\n')
    chmodSync(join(shims, 'python3'), 0o755)
    const env = { ...s.env, PATH: shims, PYENV_ROOT: join(s.root, 'pyenv') }
    const project = join(s.root, 'project')
    mkdirSync(project)
    await cachedProbe(env, project, s.root, s.run)
    writeFileSync(join(project, '.python-version'), '3.10.4\n')
    await cachedProbe(env, project, s.root, s.run)
    expect(s.runs()).toBe(2)
  })
  it('does not run anything when PATH has no python3', async () => {
    const s = setup()
    expect(await cachedProbe({ ...s.env, PATH: temp('imgcfg-empty-') }, s.root, s.root, s.run)).toBeUndefined()
    expect(s.runs()).toBe(0)
  })
  it('IMGCFG_NO_CACHE=1 probes every time', async () => {
    const s = setup()
    await cachedProbe({ ...s.env, IMGCFG_NO_CACHE: '1' }, s.root, s.root, s.run)
    await cachedProbe({ ...s.env, IMGCFG_NO_CACHE: '1' }, s.root, s.root, s.run)
    expect(s.runs()).toBe(2)
  })
  it('an unwritable cache only costs a probe', async () => {
    const s = setup()
    const blocked = join(s.root, 'not-a-dir')
    writeFileSync(blocked, '')
    const env = { ...s.env, IMGCFG_CACHE_DIR: join(blocked, 'cache') }
    expect(await cachedProbe(env, s.root, s.root, s.run)).toStrictEqual({ pythonVersion: '3.11', flytekitVersion: '1.15.0' })
    await cachedProbe(env, s.root, s.root, s.run)
    expect(s.runs()).toBe(2)
  })
  it('puts the cache under XDG_CACHE_HOME, else ~/.cache', () => {
    expect(cacheFile({ XDG_CACHE_HOME: '/x' }, '/home/me')).toBe('/x/imgcfg/python-probe.json')
    expect(cacheFile({}, '/home/me')).toBe('/home/me/.cache/imgcfg/python-probe.json')
    expect(fingerprint({ PATH: '' }, '/', '/')).toBeUndefined()
  })
})
