import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { bundleForBrowser, describePublishable } from './support/packageChecks.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const imageOnly = "import { lookUpImageInfo } from './dist/Image.js'; console.log(lookUpImageInfo)"

describe('the built package runs in a browser', () => {
  it.each([
    ['a one-import consumer of Image', imageOnly],
    ['a consumer of all of core', "import * as core from './dist/index.js'; console.log(core)"],
  ])('%s bundles for the browser with no Node built-in', async (_, source) => {
    expect((await bundleForBrowser(root, source)).nodeBuiltins).toStrictEqual([])
  })
  it.each([
    ['Image.lookUpImageInfo', imageOnly],
    ['ImageConfig.validateImage', "import { validateImage } from './dist/ImageConfig.js'; console.log(validateImage)"],
  ])('a consumer of %s leaves io-ts out (the codecs are pure)', async (_, source) => {
    const { contributing } = await bundleForBrowser(root, source)
    expect(contributing.filter((i) => i.includes('io-ts'))).toStrictEqual([])
    expect(contributing.length).toBeGreaterThan(0)
  })
  it('a consumer of all of core does include io-ts', async () => {
    const { contributing } = await bundleForBrowser(root, "import * as core from './dist/index.js'; console.log(core)")
    expect(contributing.some((i) => i.includes('io-ts'))).toBe(true)
  })
})

describe('the Python 3.11 Unicode tables ship with ImageSpec alone', () => {
  it('a consumer of ImageSpec bundles for the browser, tables included', async () => {
    const { nodeBuiltins, contributing } = await bundleForBrowser(root, "import { id } from './dist/ImageSpec.js'; console.log(id)")
    expect(nodeBuiltins).toStrictEqual([])
    expect(contributing.some((i) => i.includes('@noble/hashes'))).toBe(true)
  })
  it('a consumer of Image or ImageConfig does not carry them (nor the hashes)', async () => {
    for (const source of [imageOnly, "import { validateImage } from './dist/ImageConfig.js'; console.log(validateImage)"]) {
      const { contributing } = await bundleForBrowser(root, source)
      expect(contributing.filter((i) => i.includes('ImageSpec') || i.includes('noble'))).toStrictEqual([])
    }
  })
})

describePublishable(root)
