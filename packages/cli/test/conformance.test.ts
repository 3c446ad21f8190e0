/**
 * flytekit's `pyflyte run` merge cases (group `patch` of the conformance vectors whose config is
 * built by `validateImage`), run through the built binary:
 * `imgcfg resolve -i … -c FILE --format json`.
 *
 * The vector's default image becomes FLYTE_INTERNAL_IMAGE: flytekit's `default_image()` was
 * patched to return it when the vector was recorded, and FLYTE_INTERNAL_IMAGE is the one input
 * that makes `DefaultImages.defaultImage` return a given string as it is. Where that string is
 * a published flytekit image, the same vector is also run with `--python-version` and
 * `--flytekit-version`, the CLI's own way of naming it.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as DefaultImages from '@imgcfg/core/DefaultImages'
import * as Image from '@imgcfg/core/Image'
import * as ImageConfig from '@imgcfg/core/ImageConfig'
import { conformance, loadFlytekit, normalizeView, type Vector } from '@imgcfg/test-utils/vectors'
import { expectFailure, expectSuccess, fakePythonPath, spawnCli, tempDir } from './support.js'

const { configView, mustImage } = conformance({ DefaultImages, Image, ImageConfig })

const vectors = loadFlytekit().groups.patch!.filter(
  (v: Vector) => v.imgcfg.call !== null && v.imgcfg.skip === undefined && 'validateImage' in (v.imgcfg.call.args[1] ?? {}),
)

const PUBLISHED = /^cr\.flyte\.org\/flyteorg\/flytekit:py(\d+\.\d+)-(.+)$/

interface Invocation {
  readonly args: ReadonlyArray<string>
  readonly env: Record<string, string>
}

/** The ways to hand the vector's default image to the CLI (see the file comment). */
const invocations = (defaultImage: unknown, env: Record<string, string>): ReadonlyArray<[string, Invocation]> => {
  if (typeof defaultImage === 'string') {
    const viaEnv: [string, Invocation] = ['FLYTE_INTERNAL_IMAGE', { args: [], env: { ...env, FLYTE_INTERNAL_IMAGE: defaultImage } }]
    const published = PUBLISHED.exec(defaultImage)
    return published === null
      ? [viaEnv]
      : [viaEnv, ['--python-version', { args: ['--python-version', published[1]!, '--flytekit-version', published[2]!], env }]]
  }
  const options = (defaultImage as Record<string, any>)['DefaultImages.defaultImage']
  if (options === undefined || options.plugin !== undefined) throw new Error(`no CLI mapping for ${JSON.stringify(defaultImage)}`)
  const args = ['--python-version', options.pythonVersion]
  if (options.flytekitVersion !== undefined) args.push('--flytekit-version', options.flytekitVersion)
  // runningFlytekitVersion is what the python3 on PATH reports as its installed flytekit.
  const path = fakePythonPath(`${options.pythonVersion} ${options.runningFlytekitVersion ?? ''}`)
  return [['DefaultImages options', { args, env: { ...env, ...options.env, PATH: path } }]]
}

/** The view of the vectors, from the `toDict` JSON the CLI prints. */
const viewOf = (dict: any) => {
  const images = (dict.images ?? []).map(mustImage)
  return configView(dict.default_image ? { defaultImage: mustImage(dict.default_image), images } : { images })
}

describe.concurrent('pyflyte run merge cases (conformance group patch)', () => {
  it('has the vectors', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(8)
  })

  for (const v of vectors) {
    const call = v.imgcfg.call!
    const [configFile, recipe] = call.args as [string | null, { validateImage: [string[], { defaultImage: unknown }] }]
    const [values, options] = recipe.validateImage
    for (const [how, invocation] of invocations(options.defaultImage, call.env ?? {})) {
      it(`${v.id} (default image via ${how})${v.rule ? ` [${v.rule}]` : ''}`, async () => {
        const dir = tempDir('imgcfg-conf-')
        for (const f of call.files ?? []) {
          if (f.directory) mkdirSync(join(dir, f.name), { recursive: true })
          else writeFileSync(join(dir, f.name), f.text)
        }
        const file = configFile === null ? '' : configFile.split('$DIR').join(dir)
        const args = ['resolve', ...values.flatMap((value) => ['-i', value]), '-c', file, '--format', 'json', ...invocation.args]
        const r = await spawnCli(args, { env: invocation.env })
        if (v.imgcfg.error) {
          expectFailure(r, 1, ...(v.imgcfg.messageIncludes ?? []))
          return
        }
        expectSuccess(r)
        expect(normalizeView(viewOf(JSON.parse(r.stdout)))).toEqual(normalizeView(v.imgcfg.ok))
      })
    }
  }
})
