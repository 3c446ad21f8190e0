/**
 * The playground page: reads the inputs into a `State`, resolves it on every keystroke, and draws
 * the result and the problems where they belong. The state is mirrored in the URL hash.
 */
import * as DefaultImages from '@imgcfg/core/DefaultImages'
import { imageSpecPane } from './ImageSpecPane.js'
import { presets } from './presets.js'
import { findImage, imgcfgCommand, taskImage, pyflyteCommand, resolve, type Notice, type Outcome, type Problem, type Resolved } from './Resolve.js'
import { fromHash, toHash, type FormatChoice, type State } from './State.js'

// -------------------------------------------------------------------------------------
// elements
// -------------------------------------------------------------------------------------

const byId = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id)
  if (el === null) throw new Error(`index.html lacks #${id}`)
  return el as T
}

const el = {
  presets: byId<HTMLUListElement>('presets'),
  repo: byId<HTMLAnchorElement>('repo'),
  version: byId('version'),
  panes: byId('panes'),
  config: byId<HTMLTextAreaElement>('config'),
  format: byId<HTMLSelectElement>('format'),
  formatDetected: byId('format-detected'),
  gutter: byId('gutter'),
  backdrop: byId('backdrop'),
  editor: byId('editor'),
  configProblems: byId<HTMLUListElement>('config-problems'),
  flags: byId<HTMLOListElement>('flags'),
  addFlag: byId<HTMLButtonElement>('add-flag'),
  python: byId<HTMLSelectElement>('python'),
  pythonError: byId('python-error'),
  flytekit: byId<HTMLSelectElement>('flytekit'),
  flytekitError: byId('flytekit-error'),
  internalImage: byId<HTMLInputElement>('internal-image'),
  internalImageError: byId('internal-image-error'),
  defaultWarning: byId('default-warning'),
  strict: byId<HTMLInputElement>('strict'),
  status: byId('status'),
  summary: byId<HTMLUListElement>('summary'),
  announce: byId('announce'),
  tbody: byId<HTMLTableElement>('images').tBodies[0]!,
  notes: byId('notes'),
  find: byId<HTMLInputElement>('find'),
  findResult: byId<HTMLOutputElement>('find-result'),
  task: byId<HTMLInputElement>('task'),
  taskResult: byId<HTMLOutputElement>('task-result'),
  copyJson: byId<HTMLButtonElement>('copy-json'),
  copyStatus: byId('copy-status'),
  commandStatus: byId('command-status'),
  json: byId('json'),
  pyflyte: byId('pyflyte'),
  imgcfg: byId('imgcfg'),
}

/** flytekit releases offered in the select; a shared link may add others. */
const FLYTEKIT_VERSIONS = ['1.15.0', '1.14.0', '1.13.0', '1.12.0', '1.11.0', '1.10.0']

const h = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, string>> = {},
  ...children: ReadonlyArray<Node | string>
): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag)
  for (const [key, value] of Object.entries(props)) if (value !== undefined) node.setAttribute(key, value)
  node.append(...children)
  return node
}

const ensureOption = (select: HTMLSelectElement, value: string, label = value): void => {
  if (![...select.options].some((option) => option.value === value)) select.append(new Option(label, value))
}

// -------------------------------------------------------------------------------------
// state
// -------------------------------------------------------------------------------------

let state: State = presets[0]!.state
let writtenHash = ''

let hashTimer: ReturnType<typeof setTimeout> | undefined

const writeHash = (): void => {
  clearTimeout(hashTimer)
  hashTimer = undefined
  writtenHash = `#${toHash(state)}`
  if (location.hash !== writtenHash) history.replaceState(null, '', writtenHash)
}

const update = (patch: Partial<State>): void => {
  state = { ...state, ...patch }
  render()
  // Chromium throttles history updates (about 200 in 10 s), so typing writes the hash in pauses.
  clearTimeout(hashTimer)
  hashTimer = setTimeout(writeHash, 150)
}

/** Puts a whole state into the inputs (on load, a preset, or a pasted link). */
const load = (next: State): void => {
  state = next
  el.config.value = state.config
  el.format.value = state.format
  ensureOption(el.python, state.pythonVersion)
  el.python.value = state.pythonVersion
  ensureOption(el.flytekit, state.flytekitVersion)
  el.flytekit.value = state.flytekitVersion
  el.internalImage.value = state.internalImage
  el.strict.checked = state.strict
  el.find.value = state.find
  el.task.value = state.task
  drawFlagRows()
  update({})
  writeHash()
}

// -------------------------------------------------------------------------------------
// --image rows
// -------------------------------------------------------------------------------------

const flagInput = (row: number): HTMLInputElement | null =>
  el.flags.querySelector<HTMLInputElement>(`#flag-${row}`)

const drawFlagRows = (): void => {
  el.flags.replaceChildren(
    ...state.flags.map((value, row) => {
      const input = h('input', {
        id: `flag-${row}`,
        type: 'text',
        spellcheck: 'false',
        autocomplete: 'off',
        placeholder: 'name=registry/repo:tag',
        'aria-describedby': `flag-${row}-error flag-${row}-warning flags-help`,
      })
      input.value = value
      input.addEventListener('input', () => update({ flags: state.flags.map((v, i) => (i === row ? input.value : v)) }))
      input.addEventListener('keydown', (event) => {
        if (event.key === 'Enter') {
          event.preventDefault()
          insertFlag(row + 1)
        }
      })
      const remove = h('button', { type: 'button', class: 'remove', 'aria-label': `Remove --image value ${row + 1}` }, '×')
      remove.addEventListener('click', () => removeFlag(row))
      return h(
        'li',
        { class: 'flag-row', 'data-row': String(row) },
        h('label', { for: `flag-${row}`, class: 'prefix' }, h('code', {}, '--image'), h('span', { class: 'visually-hidden' }, ` value ${row + 1}`)),
        input,
        remove,
        h('p', { id: `flag-${row}-error`, class: 'problem error', hidden: '' }),
        h('p', { id: `flag-${row}-warning`, class: 'problem warning', hidden: '' }),
      )
    }),
  )
}

const insertFlag = (at: number): void => {
  const flags = [...state.flags]
  flags.splice(at, 0, '')
  state = { ...state, flags }
  drawFlagRows()
  update({})
  flagInput(at)?.focus()
}

const removeFlag = (row: number): void => {
  state = { ...state, flags: state.flags.filter((_, i) => i !== row) }
  drawFlagRows()
  update({})
  ;(flagInput(Math.min(row, state.flags.length - 1)) ?? el.addFlag).focus()
}

// -------------------------------------------------------------------------------------
// rendering
// -------------------------------------------------------------------------------------

const FORMAT_NAMES = { yaml: 'YAML', ini: 'INI' } as const

type ConfigProblem = Extract<Problem, { at: 'config' }>
type ConfigNotice = Extract<Notice, { at: 'config' }>

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

const showText = (node: HTMLElement, message: string | undefined): void => {
  node.hidden = message === undefined
  node.textContent = message ?? ''
}

const markInvalid = (input: HTMLElement, invalid: boolean): void => {
  if (invalid) input.setAttribute('aria-invalid', 'true')
  else input.removeAttribute('aria-invalid')
}

/**
 * Line numbers and a backdrop behind the transparent textarea: every line with an error or a
 * warning is marked in both, and an error's column is underlined.
 */
const drawEditor = (errors: ReadonlyArray<ConfigProblem>, warnings: ReadonlyArray<ConfigNotice>): void => {
  const lines = el.config.value.split('\n')
  const clamp = (line: number | undefined) => (line === undefined ? undefined : Math.min(line, lines.length))
  const errorAt = new Map<number, ConfigProblem>()
  for (const e of errors) {
    const line = clamp(e.line)
    if (line !== undefined && !errorAt.has(line)) errorAt.set(line, e)
  }
  const warningLines = new Set(warnings.flatMap((w) => (w.line !== undefined ? [clamp(w.line)!] : [])))
  const mark = (n: number) => (errorAt.has(n) ? 'error-line' : warningLines.has(n) ? 'warning-line' : undefined)
  el.gutter.replaceChildren(
    h('div', { class: 'lines' }, ...lines.map((_, i) => h('div', { class: mark(i + 1) }, String(i + 1)))),
  )
  el.backdrop.replaceChildren(
    ...lines.map((text, i) => {
      const error = errorAt.get(i + 1)
      if (error === undefined) return h('div', { class: mark(i + 1) }, text || ' ')
      const column = Math.max(0, (error.column ?? 1) - 1)
      return h(
        'div',
        { class: 'error-line' },
        text.slice(0, column),
        h('span', { class: 'error-column' }, text.slice(column, column + 1) || ' '),
        text.slice(column + 1),
      )
    }),
  )
  syncScroll()
}

/** The errors and warnings of the config text, in line order, each with a button to its line. */
const drawConfigProblems = (errors: ReadonlyArray<ConfigProblem>, warnings: ReadonlyArray<ConfigNotice>): void => {
  const items = [
    ...errors.map((e) => ({ kind: 'error' as const, ...e })),
    ...warnings.map((w) => ({ kind: 'warning' as const, ...w })),
  ].sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER))
  el.configProblems.replaceChildren(
    ...items.map((item) => {
      const jump = item.line !== undefined ? h('button', { type: 'button', class: 'link' }, `Go to line ${item.line}`) : undefined
      jump?.addEventListener('click', () => goTo(item.line!, item.column))
      return h(
        'li',
        { class: `problem ${item.kind}`, 'data-line': item.line !== undefined ? String(item.line) : undefined },
        h('span', { class: 'visually-hidden' }, item.kind === 'error' ? 'Error: ' : 'Warning: '),
        h('span', { class: 'message' }, item.message),
        ...(jump ? [' ', jump] : []),
      )
    }),
  )
}

const syncScroll = (): void => {
  const { scrollTop, scrollLeft } = el.config
  el.backdrop.style.transform = `translate(${-scrollLeft}px, ${-scrollTop}px)`
  ;(el.gutter.firstElementChild as HTMLElement | null)?.style.setProperty('transform', `translateY(${-scrollTop}px)`)
}

const goTo = (line: number, column = 1): void => {
  const lines = el.config.value.split('\n')
  const before = lines.slice(0, line - 1).reduce((n, text) => n + text.length + 1, 0)
  const offset = Math.min(before + column - 1, el.config.value.length)
  el.config.focus()
  el.config.setSelectionRange(offset, offset)
}

/** Narrow screens shorten the long pieces of a reference; the full value is in a focusable popover. */
const narrow = matchMedia('(max-width: 899px)')

/** A piece of a reference longer than this is shortened on narrow screens (a digest's hex, say). */
const LONG_PIECE = 24

/**
 * A reference as code that wraps only after `/`, `:` or `@`: each piece between them is kept
 * whole. With `shorten`, a piece longer than `LONG_PIECE` (a digest's hex) shows only its first
 * 8 and last 6 characters, and the whole piece shows on hover or focus (and is what a screen
 * reader reads).
 */
const refCode = (text: string, { shorten }: { shorten: boolean }): HTMLElement => {
  const pieces = text.split(/(?<=[/:@])/)
  return h(
    'code',
    { class: 'ref' },
    ...pieces.flatMap((piece, i) => {
      const shown =
        shorten && piece.length > LONG_PIECE
          ? h(
              'span',
              { class: 'piece long', tabindex: '0', title: piece },
              h('span', { class: 'short', 'aria-hidden': 'true' }, `${piece.slice(0, 8)}…${piece.slice(-6)}`),
              h('span', { class: 'full' }, piece),
            )
          : h('span', { class: 'piece' }, piece)
      return i === 0 ? [shown] : [h('wbr'), shown]
    }),
  )
}

/** A command line that wraps at spaces and else only after `/`, `:` or `@`. */
const breakable = (text: string): Array<Node | string> =>
  text.split(/(?<=[/:@])/).flatMap((piece, i) => (i === 0 ? [piece] : [h('wbr'), piece]))

const sourceCell = (row: Resolved['rows'][number], defaultFrom: Resolved['defaultFrom']): HTMLElement => {
  const where =
    row.source === 'default' && defaultFrom === 'FLYTE_INTERNAL_IMAGE' ? 'FLYTE_INTERNAL_IMAGE' : row.where
  return h(
    'td',
    { class: `source source-${row.source}` },
    h('span', { class: 'kind' }, row.source),
    h('span', { class: 'where' }, ...breakable(where)),
  )
}

const drawResult = (outcome: Outcome): void => {
  const resolved = outcome.resolved
  if (resolved === undefined) {
    const text = outcome.problems.length > 0 ? 'No result while an input has a problem.' : 'Nothing resolved yet.'
    el.tbody.replaceChildren(h('tr', { class: 'placeholder' }, h('td', { colspan: '3' }, text)))
    el.json.textContent = ''
    el.notes.replaceChildren()
    return
  }
  const shorten = narrow.matches
  el.tbody.replaceChildren(
    ...resolved.rows.map((row) =>
      h(
        'tr',
        { 'data-name': row.name, 'data-source': row.source, 'data-where': row.where, class: row.warning ? 'warning' : undefined },
        h('th', { scope: 'row' }, row.name),
        h('td', {}, refCode(row.full, { shorten }), ...(row.warning ? [h('p', { class: 'warning-text' }, `⚠ ${row.warning}`)] : [])),
        sourceCell(row, resolved.defaultFrom),
      ),
    ),
  )
  el.json.textContent = resolved.json
  const notes: string[] = []
  if (resolved.defaultFrom === 'FLYTE_INTERNAL_IMAGE') notes.push('The default image comes from FLYTE_INTERNAL_IMAGE.')
  // The warnings not shown on a row (a config image replaced by a flag), as `imgcfg resolve` words them.
  for (const warning of resolved.warnings) if (warning.code === 'shadowed') notes.push(warning.message)
  el.notes.replaceChildren(...notes.map((note) => h('li', {}, note)))
}

/** Where a problem's input is, in words, and how to get there. */
const whereIs = (problem: Problem): { readonly label: string; readonly go: () => void } => {
  switch (problem.at) {
    case 'config':
      return problem.line !== undefined
        ? { label: `Go to line ${problem.line}`, go: () => goTo(problem.line!, problem.column) }
        : { label: 'Go to the config file', go: () => el.config.focus() }
    case 'flag':
      return { label: `Go to --image value ${problem.row + 1}`, go: () => flagInput(problem.row)?.focus() }
    case 'internalImage':
      return { label: 'Go to FLYTE_INTERNAL_IMAGE', go: () => el.internalImage.focus() }
    case 'pythonVersion':
      return { label: 'Go to the Python version', go: () => el.python.focus() }
    case 'flytekitVersion':
      return { label: 'Go to the flytekit version', go: () => el.flytekit.focus() }
  }
}

/** Above the table, while nothing resolves: every problem, with a button to its input. */
const drawSummary = (problems: ReadonlyArray<Problem>): void => {
  el.summary.replaceChildren(
    ...problems.map((problem) => {
      const { label, go } = whereIs(problem)
      const button = h('button', { type: 'button', class: 'link' }, label)
      button.addEventListener('click', go)
      return h('li', { class: 'problem error' }, h('span', { class: 'message' }, problem.message), ' ', button)
    }),
  )
}

const drawBox = (input: HTMLInputElement, output: HTMLOutputElement, value: string, resolved: Resolved | undefined, answer: (r: Resolved) => { ok: true; text: string } | { ok: false; text: string }): void => {
  markInvalid(input, false)
  output.className = ''
  if (value === '' || resolved === undefined) {
    output.replaceChildren()
    return
  }
  const found = answer(resolved)
  markInvalid(input, !found.ok)
  output.className = found.ok ? 'found' : 'error'
  output.replaceChildren(found.ok ? refCode(found.text, { shorten: false }) : found.text)
}

// -------------------------------------------------------------------------------------
// announcements
// -------------------------------------------------------------------------------------

/**
 * The live region speaks a change of outcome (resolved, or how many problems) once typing has
 * paused, never the same outcome twice: typing inside a wrong value is not a new problem.
 */
const ANNOUNCE_AFTER_MS = 700
let announced = ''
let pendingAnnouncement = ''
let announceTimer: ReturnType<typeof setTimeout> | undefined

const announce = (outcome: Outcome): void => {
  const count = outcome.problems.length
  pendingAnnouncement =
    outcome.resolved !== undefined
      ? `Resolved: ${plural(outcome.resolved.rows.length, 'image')}.`
      : `${plural(count, 'problem')}: ${outcome.problems[0]?.message ?? ''}`
  const key = (text: string) => (outcome.resolved !== undefined ? text : `problems:${count}`)
  clearTimeout(announceTimer)
  announceTimer = setTimeout(() => {
    if (key(pendingAnnouncement) === announced) return
    announced = key(pendingAnnouncement)
    el.announce.textContent = pendingAnnouncement
  }, ANNOUNCE_AFTER_MS)
}

/** Speaks a message at once (the answer to a button). */
const say = (message: string): void => {
  el.announce.textContent = message
}

// -------------------------------------------------------------------------------------
// panes
// -------------------------------------------------------------------------------------

/**
 * A pane for another input that takes part in the resolution (an ImageSpec file, for one): it
 * draws itself into the `#panes` slot and is redrawn with every outcome.
 */
export interface Pane {
  readonly id: string
  mount(slot: HTMLElement): void
  render(outcome: Outcome, state: State): void
}

const panes: Pane[] = [imageSpecPane]

// -------------------------------------------------------------------------------------
// render
// -------------------------------------------------------------------------------------

const render = (): void => {
  const outcome: Outcome = resolve(state)
  el.formatDetected.textContent =
    state.format === 'auto' ? `detected: ${FORMAT_NAMES[outcome.detected]}` : `detected: ${FORMAT_NAMES[outcome.detected]}, overridden`

  const configErrors = outcome.problems.filter((p): p is ConfigProblem => p.at === 'config')
  const configWarnings = outcome.notices.filter((n): n is ConfigNotice => n.at === 'config')
  drawEditor(configErrors, configWarnings)
  drawConfigProblems(configErrors, configWarnings)
  markInvalid(el.config, configErrors.length > 0)
  el.editor.classList.toggle('invalid', configErrors.length > 0)

  el.flags.querySelectorAll<HTMLLIElement>('.flag-row').forEach((li) => {
    const row = Number(li.dataset.row)
    const problem = outcome.problems.find((p): p is Extract<Problem, { at: 'flag' }> => p.at === 'flag' && p.row === row)
    const notices = outcome.notices.filter((n) => n.at === 'flag' && n.row === row)
    li.classList.toggle('invalid', problem !== undefined)
    markInvalid(li.querySelector('input')!, problem !== undefined)
    showText(li.querySelector<HTMLElement>('.error')!, problem?.message)
    showText(li.querySelector<HTMLElement>('.warning')!, notices.length > 0 ? notices.map((n) => n.message).join(' ') : undefined)
  })

  const fields = [
    ['internalImage', el.internalImage, el.internalImageError],
    ['pythonVersion', el.python, el.pythonError],
    ['flytekitVersion', el.flytekit, el.flytekitError],
  ] as const
  for (const [at, input, error] of fields) {
    const problem = outcome.problems.find((p) => p.at === at)
    markInvalid(input, problem !== undefined)
    showText(error, problem?.message)
  }
  const defaultNotices = outcome.notices.filter((n) => n.at === 'default')
  showText(el.defaultWarning, defaultNotices.length > 0 ? defaultNotices.map((n) => n.message).join(' ') : undefined)

  const count = outcome.problems.length
  el.status.className = outcome.resolved === undefined ? 'error' : 'ok'
  el.status.textContent =
    outcome.resolved === undefined
      ? `Not resolved: ${plural(count, 'problem')}, marked at ${count === 1 ? 'its input' : 'their inputs'}.`
      : `${plural(outcome.resolved.rows.length, 'image')}${outcome.notices.length > 0 ? `, ${plural(outcome.notices.length, 'warning')}` : ''}.`
  drawSummary(outcome.problems)
  drawResult(outcome)
  drawBox(el.find, el.findResult, state.find, outcome.resolved, (r) => {
    const found = findImage(r.config, state.find)
    return found.ok ? { ok: true, text: found.full } : { ok: false, text: found.message }
  })
  drawBox(el.task, el.taskResult, state.task, outcome.resolved, (r) => {
    const found = taskImage(r.config, state.task)
    return found.ok ? { ok: true, text: found.image } : { ok: false, text: found.message }
  })
  el.copyJson.disabled = outcome.resolved === undefined
  el.commandStatus.textContent =
    outcome.resolved === undefined ? `These commands fail with the ${plural(count, 'problem')} above.` : 'These commands print the result above.'
  el.pyflyte.replaceChildren(...breakable(pyflyteCommand(state, outcome.format)))
  el.imgcfg.replaceChildren(...breakable(imgcfgCommand(state, outcome.format)))
  for (const pane of panes) pane.render(outcome, state)
  announce(outcome)
}

// -------------------------------------------------------------------------------------
// wiring
// -------------------------------------------------------------------------------------

const copy = async (text: string): Promise<boolean> => {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    // No clipboard permission (e.g. an embedded page): select the text so Ctrl+C works.
    const range = document.createRange()
    range.selectNodeContents(el.json)
    getSelection()?.removeAllRanges()
    getSelection()?.addRange(range)
    return document.execCommand('copy')
  }
}

const start = (): void => {
  for (const version of DefaultImages.pythonVersions) el.python.append(new Option(version, version))
  el.flytekit.append(new Option('not set (running flytekit: latest)', ''))
  for (const version of FLYTEKIT_VERSIONS) el.flytekit.append(new Option(version, version))

  el.presets.replaceChildren(
    ...presets.map((preset) => {
      const button = h('button', { type: 'button', 'data-preset': preset.id }, preset.label)
      button.addEventListener('click', () => load(preset.state))
      return h('li', {}, button)
    }),
  )

  el.repo.href = __IMGCFG_REPOSITORY__
  el.version.textContent = `v${__IMGCFG_VERSION__}`
  for (const pane of panes) pane.mount(el.panes)
  narrow.addEventListener('change', render)

  el.config.addEventListener('input', () => update({ config: el.config.value }))
  el.config.addEventListener('scroll', syncScroll)
  el.format.addEventListener('change', () => update({ format: el.format.value as FormatChoice }))
  el.addFlag.addEventListener('click', () => insertFlag(state.flags.length))
  el.python.addEventListener('change', () => update({ pythonVersion: el.python.value }))
  el.flytekit.addEventListener('change', () => update({ flytekitVersion: el.flytekit.value }))
  el.internalImage.addEventListener('input', () => update({ internalImage: el.internalImage.value }))
  el.strict.addEventListener('change', () => update({ strict: el.strict.checked }))
  el.find.addEventListener('input', () => update({ find: el.find.value }))
  el.task.addEventListener('input', () => update({ task: el.task.value }))
  el.copyJson.addEventListener('click', () => {
    void copy(el.json.textContent ?? '').then((ok) => {
      const message = ok ? 'JSON copied to the clipboard.' : 'Copy failed: the JSON is selected, press Ctrl+C.'
      showText(el.copyStatus, message)
      say(message)
    })
  })
  // The skip link focuses the result instead of navigating, which would replace the state hash.
  document.querySelector<HTMLAnchorElement>('a.skip')?.addEventListener('click', (event) => {
    event.preventDefault()
    byId('inputs').focus()
  })
  // A link pasted into the address bar of an open playground.
  window.addEventListener('pagehide', writeHash)
  window.addEventListener('hashchange', () => {
    if (location.hash === writtenHash) return
    const next = fromHash(location.hash)
    if (next !== undefined) load(next)
  })

  load(fromHash(location.hash) ?? presets[0]!.state)
}

start()
