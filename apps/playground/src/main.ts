/**
 * The playground page: reads the inputs into a `State`, resolves it on every keystroke, and draws
 * the result and the problems where they belong. The state is mirrored in the URL hash.
 */
import * as DefaultImages from '@imgcfg/core/DefaultImages'
import { presets } from './presets.js'
import { findImage, imgcfgCommand, taskImage, pyflyteCommand, resolve, type Outcome, type Problem, type Resolved } from './Resolve.js'
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
  config: byId<HTMLTextAreaElement>('config'),
  format: byId<HTMLSelectElement>('format'),
  formatDetected: byId('format-detected'),
  gutter: byId('gutter'),
  backdrop: byId('backdrop'),
  configError: byId('config-error'),
  flags: byId<HTMLOListElement>('flags'),
  addFlag: byId<HTMLButtonElement>('add-flag'),
  python: byId<HTMLSelectElement>('python'),
  pythonError: byId('python-error'),
  flytekit: byId<HTMLSelectElement>('flytekit'),
  flytekitError: byId('flytekit-error'),
  internalImage: byId<HTMLInputElement>('internal-image'),
  internalImageError: byId('internal-image-error'),
  strict: byId<HTMLInputElement>('strict'),
  status: byId('status'),
  result: byId('result'),
  tbody: byId<HTMLTableElement>('images').tBodies[0]!,
  notes: byId('notes'),
  find: byId<HTMLInputElement>('find'),
  findResult: byId<HTMLOutputElement>('find-result'),
  task: byId<HTMLInputElement>('task'),
  taskResult: byId<HTMLOutputElement>('task-result'),
  copyJson: byId<HTMLButtonElement>('copy-json'),
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
let lastGood: Resolved | undefined
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
  lastGood = undefined
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
        'aria-describedby': `flag-${row}-error flags-help`,
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
        h('p', { id: `flag-${row}-error`, class: 'error', hidden: '' }),
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

const showError = (node: HTMLElement, message: string | undefined, ...extra: ReadonlyArray<Node>): void => {
  node.hidden = message === undefined
  node.replaceChildren(...(message === undefined ? [] : [message, ...extra]))
}

const markInvalid = (input: HTMLElement, invalid: boolean): void => {
  if (invalid) input.setAttribute('aria-invalid', 'true')
  else input.removeAttribute('aria-invalid')
}

/** Line numbers and a backdrop behind the transparent textarea; the error line is marked in both. */
const drawEditor = (problem: Extract<Problem, { at: 'config' }> | undefined): void => {
  const lines = el.config.value.split('\n')
  const errorLine = problem?.line !== undefined ? Math.min(problem.line, lines.length) : undefined
  el.gutter.replaceChildren(
    h('div', { class: 'lines' }, ...lines.map((_, i) => h('div', i + 1 === errorLine ? { class: 'error-line' } : {}, String(i + 1)))),
  )
  el.backdrop.replaceChildren(
    ...lines.map((text, i) => {
      if (i + 1 !== errorLine) return h('div', {}, text || ' ')
      const column = Math.max(0, (problem?.column ?? 1) - 1)
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

/** A reference as code that wraps after `/`, `:`, `@` and `.`, and inside long digests. */
const refCode = (text: string): HTMLElement => {
  const parts = text.split(/(?<=[/:@.])/).flatMap((part) => part.match(/.{1,16}/g) ?? [''])
  return h('code', {}, ...parts.flatMap((part, i) => (i === 0 ? [part] : [h('wbr'), part])))
}

const sourceCell = (source: string, title: string): HTMLElement =>
  h('td', { class: `source source-${source}`, title }, source)

const drawResult = (resolved: Resolved | undefined): void => {
  if (resolved === undefined) {
    el.tbody.replaceChildren(h('tr', { class: 'placeholder' }, h('td', { colspan: '5' }, 'Nothing resolved yet.')))
    el.json.textContent = ''
    el.notes.textContent = ''
    return
  }
  const defaultTitle =
    resolved.defaultFrom === 'FLYTE_INTERNAL_IMAGE' ? 'from FLYTE_INTERNAL_IMAGE' : "flytekit's default image (DefaultImages)"
  el.tbody.replaceChildren(
    ...resolved.rows.map((row) =>
      h(
        'tr',
        { 'data-name': row.name, 'data-source': row.source, 'data-where': row.where, class: row.warning ? 'warning' : undefined },
        h('th', { scope: 'row' }, row.name, ...(row.isDefault ? [' ', h('span', { class: 'badge' }, 'default image')] : [])),
        h('td', {}, refCode(row.full), ...(row.warning ? [h('p', { class: 'warning-text' }, `⚠ ${row.warning}`)] : [])),
        h('td', {}, refCode(row.fqn)),
        h(
          'td',
          {},
          row.digest !== undefined
            ? h('span', {}, h('span', { class: 'kind' }, 'digest '), refCode(row.digest))
            : row.tag !== undefined
              ? h('span', {}, h('span', { class: 'kind' }, 'tag '), refCode(row.tag))
              : h('span', { class: 'kind' }, 'none'),
        ),
        sourceCell(
          row.source,
          row.source === 'default' ? `${defaultTitle}: ${row.where}` : row.where,
        ),
      ),
    ),
  )
  el.json.textContent = resolved.json
  const notes: string[] = []
  if (resolved.defaultFrom === 'FLYTE_INTERNAL_IMAGE') notes.push('The default image comes from FLYTE_INTERNAL_IMAGE.')
  // The warnings not shown on a row (a config image replaced by a flag), as `imgcfg resolve` words them.
  for (const warning of resolved.warnings) if (warning.code === 'shadowed') notes.push(warning.message)
  el.notes.textContent = notes.join(' ')
}

const drawFind = (resolved: Resolved | undefined): void => {
  markInvalid(el.find, false)
  if (state.find === '' || resolved === undefined) {
    el.findResult.replaceChildren()
    return
  }
  const found = findImage(resolved.config, state.find)
  markInvalid(el.find, !found.ok)
  el.findResult.className = found.ok ? 'found' : 'error'
  el.findResult.replaceChildren(found.ok ? h('code', {}, found.full) : found.message)
}

const drawTask = (resolved: Resolved | undefined): void => {
  markInvalid(el.task, false)
  if (state.task === '' || resolved === undefined) {
    el.taskResult.replaceChildren()
    return
  }
  const found = taskImage(resolved.config, state.task)
  markInvalid(el.task, !found.ok)
  el.taskResult.className = found.ok ? 'found' : 'error'
  el.taskResult.replaceChildren(found.ok ? h('code', {}, found.image) : found.message)
}

const render = (): void => {
  const outcome: Outcome = resolve(state)
  el.formatDetected.textContent =
    state.format === 'auto' ? `detected: ${FORMAT_NAMES[outcome.detected]}` : `detected: ${FORMAT_NAMES[outcome.detected]}, overridden`

  const configProblem = outcome.problems.find((p): p is Extract<Problem, { at: 'config' }> => p.at === 'config')
  drawEditor(configProblem)
  markInvalid(el.config, configProblem !== undefined)
  el.config.closest('.editor')?.classList.toggle('invalid', configProblem !== undefined)
  const line = configProblem?.line
  const jump = line !== undefined ? h('button', { type: 'button', class: 'link' }, `Go to line ${line}`) : undefined
  jump?.addEventListener('click', () => goTo(line!, configProblem?.column))
  showError(el.configError, configProblem?.message, ...(jump ? [document.createTextNode(" "), jump] : []))

  el.flags.querySelectorAll<HTMLLIElement>('.flag-row').forEach((li) => {
    const row = Number(li.dataset.row)
    const problem = outcome.problems.find((p): p is Extract<Problem, { at: 'flag' }> => p.at === 'flag' && p.row === row)
    li.classList.toggle('invalid', problem !== undefined)
    markInvalid(li.querySelector('input')!, problem !== undefined)
    showError(li.querySelector<HTMLElement>('.error')!, problem?.message)
  })

  const fields = [
    ['internalImage', el.internalImage, el.internalImageError],
    ['pythonVersion', el.python, el.pythonError],
    ['flytekitVersion', el.flytekit, el.flytekitError],
  ] as const
  for (const [at, input, error] of fields) {
    const problem = outcome.problems.find((p) => p.at === at)
    markInvalid(input, problem !== undefined)
    showError(error, problem?.message)
  }

  if (outcome.resolved !== undefined) lastGood = outcome.resolved
  const stale = outcome.resolved === undefined
  el.result.classList.toggle('stale', stale && lastGood !== undefined)
  const count = outcome.problems.length
  el.status.className = stale ? 'error' : 'ok'
  el.status.textContent = stale
    ? `${count} problem${count === 1 ? '' : 's'}: see the marked input${count === 1 ? '' : 's'}.${lastGood ? ' Showing the last result that resolved.' : ''}`
    : `${outcome.resolved!.rows.length} image${outcome.resolved!.rows.length === 1 ? '' : 's'}; default ${outcome.resolved!.rows[0]?.full ?? 'none'}.`
  drawResult(lastGood)
  drawFind(lastGood)
  drawTask(lastGood)
  el.pyflyte.textContent = pyflyteCommand(state, outcome.format)
  el.imgcfg.textContent = imgcfgCommand(state, outcome.format)
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
      el.status.textContent = ok ? 'JSON copied to the clipboard.' : 'Copy failed: the JSON is selected, press Ctrl+C.'
    })
  })
  // The skip link focuses the result instead of navigating, which would replace the state hash.
  document.querySelector<HTMLAnchorElement>('a.skip')?.addEventListener('click', (event) => {
    event.preventDefault()
    byId('outputs').focus()
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
