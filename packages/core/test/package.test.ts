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
  it('a consumer of Image does not pull in the codecs or io-ts', async () => {
    expect((await bundleForBrowser(root, imageOnly)).inputs.some((i) => i.includes('io-ts'))).toBe(false)
  })
})

describePublishable(root)
