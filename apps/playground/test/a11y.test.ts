/**
 * The playground for everyone (issue 17), in real Chromium: axe-core finds nothing serious in any
 * state, light or dark, wide or on a phone; the keyboard reaches everything in the order shown,
 * with a visible focus; problems are announced once; on a 390×844 phone the result is on the
 * first screen and nothing is cut off; references wrap only between their pieces.
 */
import { createRequire } from 'node:module'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { toHash, empty } from '../src/State.js'
import { presets } from '../src/presets.js'
import { appDir, distDir, serveStatic, type StaticServer } from './support.js'

const CHROMIUM = process.env.IMGCFG_CHROMIUM ?? '/usr/bin/chromium'
const SKIP = process.env.IMGCFG_SKIP_BROWSER === '1'
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update']
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

const DESKTOP = { width: 1400, height: 1000 }
const PHONE = { width: 390, height: 844 }

let server: StaticServer | undefined
let browser: Browser | undefined
let context: BrowserContext | undefined
let pageErrors: string[] = []

const open = async (
  viewport: { width: number; height: number },
  colorScheme: 'light' | 'dark' = 'light',
  hash = '',
): Promise<Page> => {
  if (browser === undefined) throw new Error(`Chromium is not installed at ${CHROMIUM} (or set IMGCFG_SKIP_BROWSER=1)`)
  await context?.close()
  context = await browser.newContext({ viewport, colorScheme })
  const page = await context.newPage()
  page.on('pageerror', (e) => pageErrors.push(e.message))
  await page.goto(`${server!.url}${hash}`)
  await page.waitForSelector('#images tbody tr')
  return page
}

/** The states of the page the issue names, each reached as a user would. */
const STATES: ReadonlyArray<readonly [string, (page: Page) => Promise<void>]> = [
  ['initial', async () => {}],
  ...presets.map((preset) => [`preset ${preset.id}`, (page: Page) => page.click(`button[data-preset="${preset.id}"]`)] as const),
  ['an invalid flag', (page) => page.fill('#flag-0', 'ubuntu')],
  ['an invalid config', (page) => page.fill('#config', 'images:\n  a: x:1\n  a: y:2\n')],
  ['strict with problems', async (page) => {
    await page.fill('#config', 'images:\n  up: ghcr.io/Acme/up:1\n  bad: docker.io/bad@sha256:xyz\n')
    await page.check('#strict')
  }],
  ['everything empty', async (page) => {
    await page.click('button[data-preset="empty"]')
    await page.click('button[aria-label="Remove --image value 1"]')
  }],
]

/** axe-core's serious and critical violations, as "rule: targets" lines. */
const seriousViolations = async (page: Page): Promise<string[]> => {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE)
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: Document) => Promise<{ violations: Array<{ id: string; impact?: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe
    const { violations } = await axe.run(document)
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
  })
}

describe.skipIf(SKIP)('the playground for everyone, in Chromium', () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) return
    server = await serveStatic(distDir)
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS })
  })
  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await server?.close()
  })
  afterEach(() => {
    expect(pageErrors).toEqual([])
    pageErrors = []
  })

  const setups = [
    ['on a desktop', DESKTOP, 'light'],
    ['on a phone', PHONE, 'light'],
    ['on a phone, dark', PHONE, 'dark'],
    ['on a desktop, dark', DESKTOP, 'dark'],
  ] as const
  it.each(setups)('axe-core finds no serious or critical violation in any state %s', async (_title, viewport, scheme) => {
    const page = await open(viewport, scheme)
    const found: Record<string, string[]> = {}
    for (const [name, reach] of STATES) {
      // Each state is reached from the first preset, as the page opens.
      await page.click('button[data-preset="sample"]')
      await reach(page)
      found[name] = await seriousViolations(page)
    }
    expect(found).toEqual(Object.fromEntries(STATES.map(([name]) => [name, []])))
  }, 120_000)

  it('the states are what they say: problems shown, and no old result beside them', async () => {
    const page = await open(DESKTOP)
    await page.fill('#config', 'images:\n  up: ghcr.io/Acme/up:1\n  bad: docker.io/bad@sha256:xyz\n')
    await page.check('#strict')
    // Every config error, each at its line in the gutter and in the list under the editor.
    expect(await page.$$eval('#gutter .error-line', (els) => els.map((e) => e.textContent))).toEqual(['2', '3'])
    expect(await page.$$eval('#config-problems li.error', (els) => els.map((e) => (e as HTMLElement).dataset.line))).toEqual(['2', '3'])
    expect(await page.$$('#images tbody tr:not(.placeholder)')).toHaveLength(0)
    expect(await page.textContent('#status')).toBe('Not resolved: 2 problems, marked at their inputs.')
    expect(await page.textContent('#imgcfg')).toContain('--strict')
    expect(await page.textContent('#command-status')).toContain('fail')

    await page.uncheck('#strict')
    expect(await page.$$eval('#config-problems li.warning', (els) => els.map((e) => (e as HTMLElement).dataset.line))).toEqual(['2', '3'])
    expect(await page.$$eval('#gutter .warning-line', (els) => els.map((e) => e.textContent))).toEqual(['2', '3'])
    expect(await page.$$('#images tbody tr:not(.placeholder)')).toHaveLength(4)

    // A find box and a task box show nothing while nothing resolves.
    await page.fill('#find', 'up')
    expect(await page.textContent('#find-result')).toBe('ghcr.io/Acme/up:1')
    await page.fill('#flag-0', 'ubuntu')
    expect(await page.textContent('#find-result')).toBe('')
    expect(await page.textContent('#json')).toBe('')
    expect(await page.textContent('#pyflyte')).toContain('--image ubuntu')
  })

  it("a config file's own default image, replaced by flytekit's, is not said to be replaced by an --image value", async () => {
    const page = await open(DESKTOP, 'light', `#${toHash({ ...empty, config: 'images:\n  default: ghcr.io/acme/own:1\n' })}`)
    const notes = await page.$$eval('#notes li', (lis) => lis.map((li) => li.textContent))
    expect(notes).toEqual(['config.yaml:2:3: image "default" is replaced by default for Python 3.12.'])
  })

  it('announces a problem once, not on every keystroke, and then the fix once', async () => {
    const page = await open(DESKTOP)
    // The page as opened says its outcome once too; listen from then on.
    await page.waitForFunction(() => document.getElementById('announce')?.textContent === 'Resolved: 5 images.')
    await page.evaluate(() => {
      const spoken: string[] = []
      ;(window as unknown as { spoken: string[] }).spoken = spoken
      const region = document.getElementById('announce')!
      new MutationObserver(() => spoken.push(region.textContent ?? '')).observe(region, { childList: true, characterData: true, subtree: true })
    })
    expect(await page.getAttribute('#announce', 'aria-live')).toBe('polite')
    // The visible status is not a live region: it changes on every keystroke.
    expect(await page.getAttribute('#status', 'aria-live')).toBeNull()
    expect(await page.getAttribute('#status', 'role')).toBeNull()
    await page.click('#add-flag')
    await page.keyboard.type('ubuntu')
    await page.waitForFunction(() => (window as unknown as { spoken: string[] }).spoken.some((s) => s.startsWith('1 problem')))
    await page.keyboard.type(':22.04')
    await page.waitForFunction(() => (window as unknown as { spoken: string[] }).spoken.some((s) => s.startsWith('Resolved')))
    const spoken = await page.evaluate(() => (window as unknown as { spoken: string[] }).spoken)
    expect(spoken).toEqual([expect.stringMatching(/^1 problem: .*Incorrectly formatted image ubuntu, missing tag or digest/), 'Resolved: 5 images.'])
  })

  it('the keyboard reaches everything in the order shown, with a visible focus', async () => {
    const page = await open(PHONE)
    const seen: Array<{ key: string; top: number; outlined: boolean }> = []
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab')
      const at = await page.evaluate(() => {
        const e = document.activeElement as HTMLElement
        if (e === document.body) return undefined
        const r = e.getBoundingClientRect()
        // The textarea draws its focus on the editor around it.
        const ring = e.id === 'config' ? e.closest('.editor')! : e
        const style = getComputedStyle(ring)
        return {
          key: e.id || e.getAttribute('data-preset') || e.getAttribute('aria-label') || (e.textContent ?? '').trim(),
          top: r.top + scrollY,
          outlined: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
          inView: r.bottom > 0 && r.top < innerHeight,
        }
      })
      // Past the last stop the focus leaves the page (body), then starts over.
      if (at === undefined || seen.some((s) => s.key === at.key)) break
      expect(at.inView, at.key).toBe(true)
      seen.push(at)
    }
    const keys = seen.map((s) => s.key)
    // The skip link is off-screen until focused, so its position is not in the reading order.
    expect(keys.slice(0, 7)).toEqual(['Skip to the inputs', 'repo', 'sample', 'ini', 'pinned', 'empty', 'table-wrap'])
    for (const id of ['format', 'config', 'flag-0', 'add-flag', 'python', 'flytekit', 'internal-image', 'strict', 'find', 'task', 'copy-json', 'json', 'pyflyte', 'imgcfg']) {
      expect(keys).toContain(id)
    }
    expect(keys.indexOf('table-wrap')).toBeLessThan(keys.indexOf('config'))
    expect(keys.indexOf('imgcfg')).toBe(keys.length - 1)
    // On one column, each next stop is on the same row or below the one before.
    const tops = seen.slice(1).map((s) => s.top)
    expect(tops.filter((top, i) => i > 0 && top < tops[i - 1]! - 40)).toEqual([])
    expect(seen.filter((s) => !s.outlined).map((s) => s.key)).toEqual([])
  })

  it('every control is a tap target of at least 24 by 24 px', async () => {
    for (const viewport of [PHONE, DESKTOP]) {
      const page = await open(viewport)
      const small = await page.$$eval('a[href], button, input, select, textarea, [tabindex="0"]', (els) =>
        els
          .filter((e) => !e.classList.contains('skip'))
          .map((e) => ({ e, r: e.getBoundingClientRect() }))
          .filter(({ r }) => (r.width > 0 || r.height > 0) && (r.width < 24 || r.height < 24))
          .map(({ e, r }) => `${e.outerHTML.slice(0, 80)} ${Math.round(r.width)}x${Math.round(r.height)}`),
      )
      expect(small).toEqual([])
    }
  })

  it('on a 390×844 phone the status and the first results are on the first screen, and nothing is cut off', async () => {
    const page = await open(PHONE)
    const box = await page.evaluate(() => {
      const rect = (s: string) => document.querySelector(s)!.getBoundingClientRect()
      return {
        status: rect('#status').bottom,
        firstRows: [...document.querySelectorAll('#images tbody tr')].slice(0, 2).map((tr) => tr.getBoundingClientRect().bottom),
        inputs: rect('#inputs').top,
        results: rect('#outputs').top,
      }
    })
    expect(box.status).toBeLessThan(PHONE.height)
    expect(box.firstRows).toHaveLength(2)
    for (const bottom of box.firstRows) expect(bottom).toBeLessThan(PHONE.height)
    expect(box.results).toBeLessThan(box.inputs)

    // A problem is on the first screen too, above the empty table, with a way to its input.
    await page.fill('#flag-0', 'ubuntu')
    await page.evaluate(() => scrollTo(0, 0))
    const summary = page.locator('#summary li')
    expect(await summary.count()).toBe(1)
    expect(await summary.locator('.message').textContent()).toBe(await page.textContent('#flag-0-error'))
    expect((await summary.boundingBox())!.y + (await summary.boundingBox())!.height).toBeLessThan(PHONE.height)
    await summary.locator('button').click()
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('flag-0')
    await page.click('button[data-preset="sample"]')
    expect(await page.$$('#summary li')).toHaveLength(0)

    for (const [name, reach] of STATES) {
      await reach(page)
      const cut = await page.evaluate(() => {
        const wrap = document.getElementById('table-wrap')!
        const out: string[] = []
        if (document.documentElement.scrollWidth > innerWidth) out.push(`page ${document.documentElement.scrollWidth}px wide`)
        if (wrap.scrollWidth > wrap.clientWidth) out.push(`table ${wrap.scrollWidth}px in ${wrap.clientWidth}px`)
        for (const e of document.querySelectorAll<HTMLElement>('main *')) {
          const r = e.getBoundingClientRect()
          if (r.width > 0 && r.right > innerWidth + 0.5 && !e.closest('pre, textarea, .editor, .visually-hidden, .full')) out.push(`${e.tagName}#${e.id}.${e.className} ends at ${Math.round(r.right)}`)
        }
        return out
      })
      expect(cut, name).toEqual([])
    }
  })

  /** For each rendered reference, the characters a line ends after (a piece must never be split). */
  const lineEnds = (page: Page) =>
    page.$$eval('#images code.ref', (codes) =>
      codes.map((code) => {
        const text: Array<{ char: string; top: number }> = []
        const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT)
        for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
          // The whole value of a shortened piece is hidden until focused.
          if (node.parentElement?.closest('.full')) continue
          for (let i = 0; i < (node.textContent ?? '').length; i++) {
            const range = document.createRange()
            range.setStart(node, i)
            range.setEnd(node, i + 1)
            const rects = range.getClientRects()
            if (rects.length > 0) text.push({ char: node.textContent![i]!, top: rects[0]!.top })
          }
        }
        return {
          ref: text.map((t) => t.char).join(''),
          breaksAfter: text.flatMap((t, i) => (i > 0 && t.top > text[i - 1]!.top + 2 ? [text[i - 1]!.char] : [])),
        }
      }),
    )

  it('a reference wraps only after /, : or @; a digest too long for a phone shows its ends, and all of it on focus', async () => {
    const page = await open(PHONE)
    for (const preset of presets) {
      await page.click(`button[data-preset="${preset.id}"]`)
      for (const { ref, breaksAfter } of await lineEnds(page)) {
        expect(breaksAfter.filter((c) => !'/:@'.includes(c)), `${preset.id}: ${ref}`).toEqual([])
      }
    }
    await page.click('button[data-preset="pinned"]')
    const pinned = await lineEnds(page)
    // Not vacuous: the digests do wrap, between their pieces.
    expect(pinned.some((r) => r.breaksAfter.length > 0)).toBe(true)
    const digest = presets.find((p) => p.id === 'pinned')!.state.flags[0]!.split(':').pop()!
    const piece = page.locator('#images tr[data-name="default"] .piece.long')
    expect(await piece.getAttribute('title')).toBe(digest)
    expect(await piece.locator('.short').textContent()).toBe(`${digest.slice(0, 8)}…${digest.slice(-6)}`)
    expect(await piece.locator('.full').textContent()).toBe(digest)
    const hidden = await piece.locator('.full').boundingBox()
    expect(hidden!.width).toBeLessThanOrEqual(1)
    await piece.focus()
    const shown = await piece.locator('.full').boundingBox()
    expect(shown!.width).toBeGreaterThan(100)
    expect(shown!.x).toBeGreaterThanOrEqual(0)
    expect(shown!.x + shown!.width).toBeLessThanOrEqual(PHONE.width)
    expect(shown!.y + shown!.height).toBeLessThanOrEqual(PHONE.height)

    // On a desktop the digest is whole, on one line.
    const wide = await open(DESKTOP)
    await wide.click('button[data-preset="pinned"]')
    expect(await wide.$$('#images .piece.long')).toHaveLength(0)
    for (const { ref, breaksAfter } of await lineEnds(wide)) expect(breaksAfter, ref).toEqual([])
  })

  it('follows the dark colour scheme', async () => {
    const luminance = (page: Page) =>
      page.evaluate(() => {
        const [r, g, b] = getComputedStyle(document.documentElement).backgroundColor.match(/\d+/g)!.map(Number)
        return (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255
      })
    expect(await luminance(await open(DESKTOP, 'light'))).toBeGreaterThan(0.8)
    expect(await luminance(await open(DESKTOP, 'dark'))).toBeLessThan(0.2)
  })

  it('names the project, its version and its repository in the header', async () => {
    const page = await open(DESKTOP)
    const own = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')) as { repository: { url: string } }
    const library = JSON.parse(readFileSync(join(appDir, '..', '..', 'packages', 'config-file', 'package.json'), 'utf8')) as { version: string }
    expect(await page.textContent('header h1')).toBe('imgcfg playground')
    expect(await page.textContent('header #version')).toBe(`v${library.version}`)
    expect(await page.getAttribute('header a#repo', 'href')).toBe(own.repository.url.replace(/^git\+/, '').replace(/\.git$/, ''))
  })
})
