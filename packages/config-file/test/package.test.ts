import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { arethetypeswrong, bundleForBrowser, publintMessages } from '../../core/test/support/packageChecks.js'

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

describe('the package is publishable', () => {
  it('publint finds nothing to fix', async () => {
    expect(await publintMessages(root)).toStrictEqual([])
  })
  it('arethetypeswrong finds no problem for node16 and bundlers', () => {
    const run = arethetypeswrong(root)
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0)
  }, 120_000)
})
