/**
 * The done-when test of issue 12: the same inputs through both front ends give the same result
 * or the same error, the same origins and the same warnings. The page runs in real Chromium
 * (state from the URL hash, the share format); the CLI is the built `imgcfg`, run with exactly
 * the command the page's "Command line" box prints, in a directory holding the page's config
 * text under the file name that command uses.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { detectFormat } from '@imgcfg/config-file/text'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { configFileName } from '../src/Resolve.js'
import { empty, toHash, type State } from '../src/State.js'
import { presets } from '../src/presets.js'
import { appDir, distDir, serveStatic, type StaticServer } from './support.js'

const CHROMIUM = process.env.IMGCFG_CHROMIUM ?? '/usr/bin/chromium'
const SKIP = process.env.IMGCFG_SKIP_BROWSER === '1'
const BIN = join(appDir, '..', '..', 'packages', 'cli', 'dist', 'bin.js')
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run']

/** What a front end answered: the JSON, or the error; and the origins and warnings. */
interface Answer {
  readonly ok: boolean
  readonly json?: string
  readonly errors: ReadonlyArray<string>
  readonly origins: ReadonlyArray<string>
  readonly warnings: ReadonlyArray<string>
}

const SAMPLE = presets[0]!.state.config
const cases: ReadonlyArray<readonly [string, Partial<State>]> = [
  ["flytekit's sample.yaml", { config: SAMPLE }],
  ["flytekit's sample.yaml under strict", { config: SAMPLE, strict: true }],
  ['sample.yaml under strict, the bad image shadowed by a flag', { config: SAMPLE, strict: true, flags: ['bcd=docker.io/bcd:1'] }],
  ['an uppercase repository under strict', { config: 'images:\n  up: docker.io/Org/img:1\n', strict: true }],
  ['an uppercase repository without strict', { config: 'images:\n  up: docker.io/Org/img:1\n' }],
  ['a tagless config image', { config: 'images:\n  train: ghcr.io/acme/train\n' }],
  ['flags shadowing config', { config: 'images:\n  gpu: x/gpu:1\n  cpu: x/cpu:1\n', flags: ['ghcr.io/acme/base:1.0', 'gpu=ghcr.io/acme/gpu:2'] }],
  ['an invalid flag', { flags: ['a=x:1', '=y:1'] }],
  ['an uppercase flag under strict', { flags: ['a=x.io/Up:1'], strict: true }],
  ['an INI file with [DEFAULT]', { config: '[DEFAULT]\nregistry = ghcr.io/acme/reg:1\n[images]\nGPU = x/gpu:3\n', flytekitVersion: '1.15.0' }],
  ['FLYTE_INTERNAL_IMAGE', { internalImage: 'me/internal:7', pythonVersion: '3.10' }],
  ['an unsupported Python version', { pythonVersion: '3.7' }],
  ['no flytekit version (the page means latest)', { flytekitVersion: '', flags: ['gpu=ghcr.io/acme/gpu:1'] }],
]

let server: StaticServer | undefined
let browser: Browser | undefined
let work: string

/** The page's answer, read from what it shows. */
const pageAnswer = async (page: Page): Promise<Answer & { command: string }> => {
  const command = (await page.textContent('#imgcfg')) ?? ''
  const status = (await page.getAttribute('#status', 'class')) ?? ''
  const errors = await page.$$eval('#inputs .problem.error:not([hidden])', (els) =>
    els.map((el) => (el.querySelector('.message') ?? el).textContent ?? '').filter((t) => t !== ''),
  )
  if (status === 'error') return { ok: false, errors, origins: [], warnings: [], command }
  const origins = await page.$$eval('#images tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.where ?? ''))
  const rowWarnings = await page.$$eval('#images tbody tr .warning-text', (els) => els.map((el) => (el.textContent ?? '').replace(/^⚠ /, '')))
  const notes = await page.$$eval('#notes li', (lis) => lis.map((li) => li.textContent ?? ''))
  const shadowed = notes.filter((note) => / is replaced by /.test(note))
  return { ok: true, json: (await page.textContent('#json')) ?? '', errors, origins, warnings: [...rowWarnings, ...shadowed].sort(), command }
}

/** The CLI's answer to a command line as the page prints it. */
const cliAnswer = (command: string, state: State, format: 'json' | 'table'): { code: number; stdout: string; stderr: string } => {
  const dir = mkdtempSync(join(work, 'case-'))
  if (state.config.trim() !== '') writeFileSync(join(dir, configFileName(state.format === 'auto' ? detectFormat(state.config) : state.format)), state.config)
  const line = command.replace(/--format json$/, `--format ${format}`)
  const r = spawnSync('sh', ['-c', `imgcfg() { node "$IMGCFG_BIN" "$@"; }; ${line}`], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: dir, IMGCFG_BIN: BIN, NO_COLOR: '1', IMGCFG_NO_CACHE: '1' },
  })
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
}

const cli = (command: string, state: State): Answer => {
  const json = cliAnswer(command, state, 'json')
  const lines = json.stderr.split('\n').filter((l) => l !== '')
  const errors = lines.filter((l) => l.startsWith('imgcfg: ') && !l.startsWith('imgcfg: warning: ') && !l.startsWith('imgcfg: note: ')).map((l) => l.slice('imgcfg: '.length))
  const warnings = lines.filter((l) => l.startsWith('imgcfg: warning: ')).map((l) => l.slice('imgcfg: warning: '.length))
  if (json.code !== 0) return { ok: false, errors, origins: [], warnings: [] }
  const tableOut = cliAnswer(command, state, 'table').stdout.split('\n')
  const from = tableOut[0]!.indexOf('FROM')
  return { ok: true, json: json.stdout.trimEnd(), errors, origins: tableOut.slice(1).filter((row) => row !== '').map((row) => row.slice(from)), warnings: [...warnings].sort() }
}

describe.skipIf(SKIP)('imgcfg resolve and the playground give the same answer', () => {
  beforeAll(async () => {
    if (!existsSync(BIN)) throw new Error(`the CLI is not built (${BIN}); run pnpm build`)
    execFileSync('node', [BIN, '--version'])
    work = mkdtempSync(join(tmpdir(), 'imgcfg-frontends-'))
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM} (or set IMGCFG_SKIP_BROWSER=1)`)
    server = await serveStatic(distDir)
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    if (work !== undefined) rmSync(work, { recursive: true, force: true })
  })

  it.each(cases)('%s', async (_title, partial) => {
    const state: State = { ...empty, flytekitVersion: 'latest', ...partial }
    const context = await browser!.newContext()
    const page = await context.newPage()
    const pageErrors: string[] = []
    page.on('pageerror', (e) => pageErrors.push(e.message))
    await page.goto(`${server!.url}#${toHash(state)}`)
    await page.waitForSelector('#images tbody tr')
    const { command, ...shown } = await pageAnswer(page)
    await context.close()
    expect(pageErrors).toEqual([])
    const printed = cli(command, state)
    expect(printed).toEqual(shown)
    // Not vacuous: every case shows something, and a failing case says why.
    expect(shown.ok ? shown.origins.length : shown.errors.length).toBeGreaterThan(0)
  })
})
