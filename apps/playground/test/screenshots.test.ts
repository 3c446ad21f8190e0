/**
 * The README's screenshots of the playground (desktop, phone, dark), taken in Chromium. A PNG is
 * rewritten only when the page it shows changed: each is stored with a hash of the rendered page
 * (the DOM, the form values, the style rules, the viewport and colour scheme) in
 * docs/playground-screenshots.json, so a test run leaves docs/ alone when nothing changed.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toHash } from '../src/State.js'
import { presets } from '../src/presets.js'
import { appDir, distDir, serveStatic, type StaticServer } from './support.js'

const CHROMIUM = process.env.IMGCFG_CHROMIUM ?? '/usr/bin/chromium'
const SKIP = process.env.IMGCFG_SKIP_BROWSER === '1'
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update']
const DOCS = join(appDir, '..', '..', 'docs')
const MANIFEST = join(DOCS, 'playground-screenshots.json')

interface Shot {
  readonly file: string
  readonly viewport: { readonly width: number; readonly height: number }
  readonly colorScheme: 'light' | 'dark'
  readonly fullPage: boolean
}

const SHOTS: ReadonlyArray<Shot> = [
  { file: 'playground.png', viewport: { width: 1400, height: 1000 }, colorScheme: 'light', fullPage: true },
  { file: 'playground-phone.png', viewport: { width: 390, height: 844 }, colorScheme: 'light', fullPage: false },
  { file: 'playground-dark.png', viewport: { width: 1400, height: 1000 }, colorScheme: 'dark', fullPage: false },
]

/** flytekit's sample.yaml with an --image flag, and the find box used. */
const STATE = { ...presets[0]!.state, find: 'xyz' }

let server: StaticServer | undefined
let browser: Browser | undefined

const readManifest = (): Record<string, string> =>
  existsSync(MANIFEST) ? (JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>) : {}

/** Takes the screenshots whose page changed; returns the files written. */
const updateScreenshots = async (): Promise<string[]> => {
  const manifest = readManifest()
  const written: string[] = []
  for (const shot of SHOTS) {
    const context = await browser!.newContext({ viewport: shot.viewport, colorScheme: shot.colorScheme })
    try {
      const page = await context.newPage()
      await page.goto(`${server!.url}#${toHash(STATE)}`)
      await page.waitForSelector('#images tbody tr')
      const rendered = await page.evaluate(() => {
        const body = document.body.cloneNode(true) as HTMLElement
        // What a screen reader was last told is not on screen.
        body.querySelector('#announce')?.replaceChildren()
        const values = [...document.querySelectorAll<HTMLInputElement>('input, select, textarea')].map((e) => `${e.id}=${e.type === 'checkbox' ? e.checked : e.value}`)
        const css = [...document.styleSheets].flatMap((sheet) => [...sheet.cssRules].map((rule) => rule.cssText))
        return JSON.stringify({ body: body.outerHTML, values, css })
      })
      const hash = createHash('sha256').update(JSON.stringify({ ...shot, rendered })).digest('hex')
      const path = join(DOCS, shot.file)
      if (manifest[shot.file] === hash && existsSync(path)) continue
      mkdirSync(DOCS, { recursive: true })
      await page.screenshot({ path, fullPage: shot.fullPage })
      manifest[shot.file] = hash
      written.push(shot.file)
    } finally {
      await context.close()
    }
  }
  if (written.length > 0) writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`)
  return written
}

describe.skipIf(SKIP)("the README's screenshots", () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM} (or set IMGCFG_SKIP_BROWSER=1)`)
    server = await serveStatic(distDir)
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('are taken when the page changed, and left alone when it did not', async () => {
    const first = await updateScreenshots()
    if (first.length > 0) console.log(`screenshots rewritten: ${first.join(', ')}`)
    const manifest = readManifest()
    expect(Object.keys(manifest).sort()).toEqual(SHOTS.map((s) => s.file).sort())
    const before = SHOTS.map((s) => statSync(join(DOCS, s.file)).mtimeMs)
    // The same page again: nothing is written.
    expect(await updateScreenshots()).toEqual([])
    expect(SHOTS.map((s) => statSync(join(DOCS, s.file)).mtimeMs)).toEqual(before)
    expect(readManifest()).toEqual(manifest)
    for (const shot of SHOTS) {
      // A PNG of the viewport's width (Chromium's device scale factor is 1 here).
      const png = readFileSync(join(DOCS, shot.file))
      expect(png.subarray(1, 4).toString()).toBe('PNG')
      expect(png.readUInt32BE(16)).toBe(shot.viewport.width)
    }
  }, 60_000)
})
