import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { bundleForBrowser, describePublishable } from '@imgcfg/test-utils/package-checks'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

describe('the text entry runs in a browser', () => {
  it('bundles parseConfigText for the browser with no Node built-in', async () => {
    const { nodeBuiltins, inputs } = await bundleForBrowser(
      root,
      "import { parseConfigText, patchWithFile } from './dist/browser.js'; console.log(parseConfigText, patchWithFile)",
    )
    expect(nodeBuiltins).toStrictEqual([])
    expect(inputs).not.toContain('dist/index.js')
  })
})

describePublishable(root)
