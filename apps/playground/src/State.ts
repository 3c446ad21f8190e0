/**
 * What the user typed, and its encoding in the URL hash so a result can be shared as a link.
 * The hash is plain `URLSearchParams` (readable, and stable across browsers).
 */

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** `auto` detects the format from the text; the others override the detection. */
export type FormatChoice = 'auto' | 'yaml' | 'ini'

export interface State {
  readonly config: string
  readonly format: FormatChoice
  /** The `--image` values, one per row, in order. Empty rows are kept (they are being typed). */
  readonly flags: ReadonlyArray<string>
  readonly pythonVersion: string
  /** An explicit flytekit version; `''` means none (the running flytekit's, i.e. `latest`). */
  readonly flytekitVersion: string
  /** `FLYTE_INTERNAL_IMAGE`; `''` means unset. */
  readonly internalImage: string
  readonly strict: boolean
  /** The name typed in the "find image" box. */
  readonly find: string
  /** The template typed in the "task container_image" box. */
  readonly task: string
}

/** The Python version the selects start on. */
export const DEFAULT_PYTHON_VERSION = '3.12'

export const empty: State = {
  config: '',
  format: 'auto',
  flags: [],
  pythonVersion: DEFAULT_PYTHON_VERSION,
  flytekitVersion: '',
  internalImage: '',
  strict: false,
  find: '',
  task: '',
}

// -------------------------------------------------------------------------------------
// hash
// -------------------------------------------------------------------------------------

const KEYS = {
  config: 'config',
  format: 'format',
  flag: 'image',
  pythonVersion: 'python',
  flytekitVersion: 'flytekit',
  internalImage: 'FLYTE_INTERNAL_IMAGE',
  strict: 'strict',
  find: 'find',
  task: 'task',
} as const

/**
 * The hash (without `#`) for a state. Defaults are left out so links stay short; the Python
 * version is always written, which also marks the hash as a playground state.
 *
 * @example
 * toHash({ ...empty, flags: ['x:1'] }) // 'image=x%3A1&python=3.12'
 */
export const toHash = (state: State): string => {
  const params = new URLSearchParams()
  if (state.config !== '') params.set(KEYS.config, state.config)
  if (state.format !== 'auto') params.set(KEYS.format, state.format)
  for (const flag of state.flags) params.append(KEYS.flag, flag)
  params.set(KEYS.pythonVersion, state.pythonVersion)
  if (state.flytekitVersion !== '') params.set(KEYS.flytekitVersion, state.flytekitVersion)
  if (state.internalImage !== '') params.set(KEYS.internalImage, state.internalImage)
  if (state.strict) params.set(KEYS.strict, '1')
  if (state.find !== '') params.set(KEYS.find, state.find)
  if (state.task !== '') params.set(KEYS.task, state.task)
  return params.toString()
}

/**
 * The state a hash describes, or `undefined` when the hash is empty or not ours (so the caller
 * can fall back to a preset). Unknown keys are ignored; odd values are kept, so that a link with
 * an unsupported Python version shows that error instead of silently changing it.
 *
 * @example
 * fromHash('#python=3.11&strict=1')?.strict // true
 */
export const fromHash = (hash: string): State | undefined => {
  const params = new URLSearchParams(hash.replace(/^#/, ''))
  if (![...params.keys()].some((key) => (Object.values(KEYS) as string[]).includes(key))) return undefined
  const format = params.get(KEYS.format)
  return {
    config: params.get(KEYS.config) ?? '',
    format: format === 'yaml' || format === 'ini' ? format : 'auto',
    flags: params.getAll(KEYS.flag),
    pythonVersion: params.get(KEYS.pythonVersion) ?? DEFAULT_PYTHON_VERSION,
    flytekitVersion: params.get(KEYS.flytekitVersion) ?? '',
    internalImage: params.get(KEYS.internalImage) ?? '',
    strict: ['1', 'true', 'yes', 'on'].includes(params.get(KEYS.strict) ?? ''),
    find: params.get(KEYS.find) ?? '',
    task: params.get(KEYS.task) ?? '',
  }
}
