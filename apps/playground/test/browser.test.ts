/**
 * The built playground in real Chromium (Debian's, driven by playwright-core). dist/ is built by
 * globalSetup.ts and served here on 127.0.0.1 at a free port.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { parseConfigText } from '@imgcfg/config-file/text'
import { formatConfigError, type ConfigError } from '@imgcfg/config-file/text'
import { formatError } from '@imgcfg/core/errors'
import * as ImageConfig from '@imgcfg/core/ImageConfig'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { appDir, distDir, serveStatic, type StaticServer } from './support.js'

const CHROMIUM = process.env.IMGCFG_CHROMIUM ?? '/usr/bin/chromium'
const SKIP = process.env.IMGCFG_SKIP_BROWSER === '1'
const SCREENSHOT = join(appDir, '..', '..', 'docs', 'playground.png')
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
]

/** The library's sentence for a Left: the page must show exactly that. */
const sentence = (e: E.Either<ConfigError, unknown>): string => (E.isLeft(e) ? formatConfigError(e.left) : 'no error')

let server: StaticServer | undefined
let browser: Browser | undefined
let context: BrowserContext
let page: Page
let pageErrors: string[]

/** The table as [name, full reference, fqn, tag/digest, source] rows of text. */
const table = (p: Page = page) =>
  p.$$eval('#images tbody tr', (trs) =>
    trs.map((tr) =>
      [...tr.children].map((c) => {
        // The warnings under a reference are read by `rowWarnings`.
        const copy = c.cloneNode(true) as HTMLElement
        copy.querySelectorAll('.warning-text').forEach((w) => w.remove())
        return (copy.textContent ?? '').trim()
      }),
    ),
  )

/** Each row's warning text (without the ⚠), `''` when it has none. */
const rowWarnings = (p: Page = page) =>
  p.$$eval('#images tbody tr', (trs) => trs.map((tr) => (tr.querySelector('.warning-text')?.textContent ?? '').replace(/^⚠ /, '')))

const names = async (p: Page = page) => (await table(p)).map((row) => [row[0]!.replace(/\s*default image$/, ''), row[1], row[4]])

const openPage = async (url: string): Promise<Page> => {
  const p = await context.newPage()
  p.on('pageerror', (e) => pageErrors.push(e.message))
  await p.goto(url)
  await p.waitForSelector('#images tbody tr')
  return p
}

describe.skipIf(SKIP)('the playground in Chromium', () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) return
    server = await serveStatic(distDir)
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  beforeEach(async () => {
    // Thrown here rather than in beforeAll so that every test counts as failed, not skipped.
    if (browser === undefined) {
      throw new Error(
        `Chromium is not installed at ${CHROMIUM}, so the playground's browser tests cannot run. ` +
          'Install it (apt-get install -y chromium, as scripts/setup.sh does), point IMGCFG_CHROMIUM at another ' +
          'Chromium, or set IMGCFG_SKIP_BROWSER=1 to skip these tests.',
      )
    }
    pageErrors = []
    context = await browser!.newContext({ viewport: { width: 1400, height: 1000 } })
    page = await openPage(server!.url)
  })

  afterEach(async () => {
    if (browser === undefined) return
    await context.close()
    expect(pageErrors).toEqual([])
  })

  it("opens on flytekit's sample.yaml, resolved", async () => {
    expect(await names()).toEqual([
      ['default', 'cr.flyte.org/flyteorg/flytekit:py3.12-1.15.0', 'default'],
      ['gpu', 'ghcr.io/acme/gpu:1.2', 'flag'],
      ['xyz', 'docker.io/xyz:latest', 'config'],
      ['abc', 'docker.io/abc', 'config'],
      ['bcd', 'docker.io/bcd@sha256:26c68657ccce2cb0a31b330cb0hu3b5e108d467f641c62e13ab40cbec258c68d', 'config'],
    ])
    expect(await page.textContent('#format-detected')).toBe('detected: YAML')
    expect(await rowWarnings()).toEqual([
      '',
      '',
      '',
      'config.yaml:16:3: image "abc" ("docker.io/abc") has no tag or digest, so it floats: each run may get a different image.',
      'config.yaml:17:3: image "bcd": Invalid image reference "docker.io/bcd@sha256:26c68657ccce2cb0a31b330cb0hu3b5e108d467f641c62e13ab40cbec258c68d": unexpected \'h\' at offset 47. A digest is algorithm:hex with at least 32 hex digits (sha256 takes 64).',
    ])
    expect(await page.textContent('#pyflyte')).toBe(
      'pyflyte --config config.yaml run --image gpu=ghcr.io/acme/gpu:1.2 workflows.py wf',
    )
  })

  it('resolves a typed config and typed flags into the table and the JSON', async () => {
    await page.click('button[data-preset="empty"]')
    await page.focus('#config')
    await page.keyboard.type('images:\n  gpu: x/gpu:1\n  train: ghcr.io/acme/train\n')
    await page.focus('#flag-0')
    await page.keyboard.type('ghcr.io/acme/base:1.0')
    await page.keyboard.press('Enter')
    // Enter adds a row and moves the focus there.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('flag-1')
    await page.fill('#flag-1', 'gpu=ghcr.io/acme/gpu:2@sha256:e3c5ba51dba85ab0c990db5e309f4d7bdb282470fb02aee75b9022c1399e91c8')
    await page.selectOption('#python', '3.10')

    const digest = 'sha256:e3c5ba51dba85ab0c990db5e309f4d7bdb282470fb02aee75b9022c1399e91c8'
    expect(await table()).toEqual([
      ['default default image', 'ghcr.io/acme/base:1.0', 'ghcr.io/acme/base', 'tag 1.0', 'flag'],
      ['gpu', `ghcr.io/acme/gpu@${digest}`, 'ghcr.io/acme/gpu', `digest ${digest}`, 'flag'],
      ['train', 'ghcr.io/acme/train', 'ghcr.io/acme/train', 'none', 'config'],
    ])
    const expected = ImageConfig.createFrom({ name: 'default', fqn: 'ghcr.io/acme/base', tag: '1.0' }, [
      { name: 'gpu', fqn: 'ghcr.io/acme/gpu', digest },
      { name: 'train', fqn: 'ghcr.io/acme/train' },
    ])
    expect(await page.textContent('#json')).toBe(ImageConfig.toJson(expected, { indent: 2 }))
    expect(await page.textContent('#notes')).toContain('config.yaml:2:3: image "gpu" is replaced by --image value 2.')

    await page.fill('#find', 'train')
    expect(await page.textContent('#find-result')).toBe('ghcr.io/acme/train')
    await page.fill('#find', 'cpu')
    expect(await page.textContent('#find-result')).toBe(
      formatError({ _tag: 'ImageNotFound', name: 'cpu', available: ['default', 'gpu', 'train'] }),
    )
    expect(await page.getAttribute('#find', 'aria-invalid')).toBe('true')

    await page.fill('#task', '{{.image.train.fqn}}:{{.image.default.version}}')
    expect(await page.textContent('#task-result')).toBe('ghcr.io/acme/train:1.0')
    expect(await page.getAttribute('#task', 'aria-invalid')).not.toBe('true')
    await page.fill('#task', '{{.image.cpu.fqn}}')
    expect(await page.textContent('#task-result')).toBe(
      formatError({ _tag: 'ContainerImageError', problem: 'not-found', template: '{{.image.cpu.fqn}}', placeholder: '{{.image.cpu.fqn}}', offset: 0, name: 'cpu', attribute: 'fqn', available: ['default', 'gpu', 'train'] }),
    )
    expect(await page.getAttribute('#task', 'aria-invalid')).toBe('true')
    await page.waitForFunction(() => location.hash.includes('task='))

    await page.click('#copy-json')
    await page.waitForFunction(() => /copied|Ctrl\+C/.test(document.getElementById('status')?.textContent ?? ''))
  })

  it('marks a config error at its line and column, with the sentence, and keeps the last result', async () => {
    const text = 'images:\n  a: x:1\n  a: y:2\n'
    await page.fill('#config', text)
    const message = sentence(parseConfigText(text, { format: 'yaml', origin: 'config.yaml' }))
    expect(message).toMatch(/^config\.yaml:3:3: duplicate key/)

    expect(await page.textContent('#config-error')).toBe(`${message} Go to line 3`)
    expect(await page.getAttribute('#config', 'aria-invalid')).toBe('true')
    expect(await page.$$eval('#gutter .error-line', (els) => els.map((e) => e.textContent))).toEqual(['3'])
    const marked = await page.$$eval('#backdrop > div', (lines) =>
      lines.flatMap((line, i) => (line.classList.contains('error-line') ? [[i + 1, line.querySelector('.error-column')?.textContent]] : [])),
    )
    expect(marked).toEqual([[3, 'a']])
    // The marked line sits exactly behind the third line of the textarea.
    const [band, area] = await Promise.all([page.$eval('#backdrop .error-line', (e) => e.getBoundingClientRect().top), page.$eval('#config', (e) => e.getBoundingClientRect().top)])
    expect(band - area).toBeCloseTo(8 + 2 * 20, 0)

    // Never blank: the previous result stays, dimmed, with the problem count.
    expect(await page.textContent('#status')).toMatch(/^1 problem: .*Showing the last result that resolved\./)
    expect(await page.getAttribute('#result', 'class')).toContain('stale')
    expect((await table()).length).toBe(5)

    await page.click('#config-error button')
    expect(await page.evaluate(() => [document.activeElement?.id, (document.activeElement as HTMLTextAreaElement).selectionStart])).toEqual(['config', 19])

    await page.fill('#config', 'images:\n  a: x:1\n')
    expect(await page.isHidden('#config-error')).toBe(true)
    expect(await page.$$('#gutter .error-line')).toHaveLength(0)
    expect(await page.getAttribute('#result', 'class')).not.toContain('stale')
  })

  it('marks the offending --image row with its sentence', async () => {
    await page.click('#add-flag')
    await page.keyboard.type('ubuntu')
    expect(await page.getAttribute('.flag-row[data-row="1"]', 'class')).toContain('invalid')
    expect(await page.getAttribute('#flag-1', 'aria-invalid')).toBe('true')
    expect(await page.getAttribute('#flag-0', 'aria-invalid')).toBeNull()
    const flags = (second: string) => ImageConfig.validateImage(['gpu=ghcr.io/acme/gpu:1.2', second], { defaultImage: 'd:1' })
    expect(await page.textContent('#flag-1-error')).toBe(sentence(flags('ubuntu')))
    expect(await page.textContent('#flag-1-error')).toContain('Incorrectly formatted image ubuntu, missing tag or digest')

    await page.fill('#flag-1', 'gpu=ghcr.io/acme/other:1')
    expect(await page.textContent('#flag-1-error')).toBe(sentence(flags('gpu=ghcr.io/acme/other:1')))
    expect(await page.getAttribute('#flag-0', 'aria-invalid')).toBeNull()

    await page.click('button[aria-label="Remove --image value 2"]')
    expect(await page.$$('.flag-row')).toHaveLength(1)
    expect(await page.getAttribute('#result', 'class')).not.toContain('stale')
  })

  it('checks strict references, the Python version and FLYTE_INTERNAL_IMAGE', async () => {
    await page.check('#strict')
    expect(await page.textContent('tr[data-name="bcd"]')).toContain('Invalid image reference')
    await page.fill('#flag-0', 'gpu=ghcr.io/Acme/gpu:1.2')
    expect(await page.textContent('#flag-0-error')).toBe(
      sentence(ImageConfig.validateImage(['gpu=ghcr.io/Acme/gpu:1.2'], { defaultImage: 'd:1', strict: true })),
    )
    expect(await page.textContent('#flag-0-error')).toContain('Invalid image reference')
    await page.uncheck('#strict')
    expect(await page.isHidden('#flag-0-error')).toBe(true)

    await page.fill('#internal-image', 'ghcr.io/acme/internal:7')
    expect((await names())[0]).toEqual(['default', 'ghcr.io/acme/internal:7', 'default'])
    expect(await page.textContent('#pyflyte')).toMatch(/^FLYTE_INTERNAL_IMAGE=ghcr.io\/acme\/internal:7 pyflyte /)
    await page.fill('#internal-image', 'ubuntu')
    expect(await page.textContent('#internal-image-error')).toBe(sentence(ImageConfig.validateImage([], { defaultImage: 'ubuntu' })))
  })

  it('detects INI, and the format switch overrides the detection', async () => {
    await page.click('button[data-preset="ini"]')
    expect(await page.textContent('#format-detected')).toBe('detected: INI')
    expect((await names()).map(([name, , source]) => `${name}:${source}`)).toEqual([
      'default:default',
      'spark:flag',
      'base:config',
      'notebook:config',
      'registry:config',
    ])
    expect(await page.textContent('#imgcfg')).toContain('-c flytekit.config --python-version 3.11 --flytekit-version 1.14.0')
    await page.selectOption('#format', 'yaml')
    expect(await page.textContent('#format-detected')).toBe('detected: INI, overridden')
    expect(await page.textContent('#config-error')).toMatch(/^config\.yaml:\d+:\d+: /)
  })

  it('restores the same state from a shared link', async () => {
    await page.click('button[data-preset="pinned"]')
    await page.fill('#flag-1', 'gpu=ghcr.io/acme/gpu:3.0')
    await page.selectOption('#flytekit', '1.13.0')
    await page.fill('#find', 'serving')
    await page.waitForFunction(() => location.hash.includes('find=serving'))
    const url = page.url()

    const inputs = (p: Page) =>
      p.evaluate(() => ({
        config: (document.getElementById('config') as HTMLTextAreaElement).value,
        flags: [...document.querySelectorAll<HTMLInputElement>('#flags input')].map((i) => i.value),
        python: (document.getElementById('python') as HTMLSelectElement).value,
        flytekit: (document.getElementById('flytekit') as HTMLSelectElement).value,
        strict: (document.getElementById('strict') as HTMLInputElement).checked,
        find: document.getElementById('find-result')?.textContent,
        json: document.getElementById('json')?.textContent,
      }))
    const before = { inputs: await inputs(page), table: await table() }
    expect(before.inputs.strict).toBe(true)

    const fresh = await browser!.newContext()
    try {
      const shared = await fresh.newPage()
      shared.on('pageerror', (e) => pageErrors.push(e.message))
      await shared.goto(url)
      await shared.waitForSelector('#images tbody tr')
      expect({ inputs: await inputs(shared), table: await table(shared) }).toEqual(before)
      expect(shared.url()).toBe(url)
    } finally {
      await fresh.close()
    }

    // Pasting a link into an open page loads it too.
    await page.goto(`${server!.url}#python=3.9&image=x%3A1`)
    await page.waitForFunction(() => document.getElementById('status')?.textContent === '1 image; default x:1.')
    expect(await page.$$eval('#flags input', (els) => els.map((e) => (e as HTMLInputElement).value))).toEqual(['x:1'])
  })

  it('labels every control and can be used from the keyboard', async () => {
    const unlabelled = await page.$$eval('input, select, textarea, button', (els) =>
      els
        .filter((e) => {
          const labelled = (e as HTMLInputElement).labels?.length || e.getAttribute('aria-label') || (e.tagName === 'BUTTON' && e.textContent?.trim())
          return !labelled
        })
        .map((e) => e.outerHTML),
    )
    expect(unlabelled).toEqual([])
    await page.focus('#config')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('flag-0')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    expect(await page.$$('.flag-row')).toHaveLength(0)
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('add-flag')
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('flag-0')
  })

  it('saves a screenshot for the README', async () => {
    await page.check('#strict')
    await page.fill('#find', 'xyz')
    mkdirSync(join(SCREENSHOT, '..'), { recursive: true })
    await page.screenshot({ path: SCREENSHOT, fullPage: true })
    expect(existsSync(SCREENSHOT)).toBe(true)
  })
})
