/**
 * The CLI as a function: `run(argv, capabilities)` parses the arguments, loads the one
 * subcommand asked for, and returns the exit code. Nothing here touches the process, so tests
 * call it in-process with fakes.
 *
 * @example
 * import { memoryFileSystem } from '@imgcfg/config-file'
 * import { run } from './run.js'
 * const out: string[] = []
 * const writer = { write: (text: string) => void out.push(text) }
 * const code = await run(['default-image', '--python-version', '3.11', '--flytekit-version', '1.15.0'], {
 *   stdout: writer, stderr: writer, env: {}, cwd: '/w', home: '/h', fs: memoryFileSystem({}),
 *   readStdin: async () => '', probePython: async () => undefined,
 * })
 * code // 0
 * out.join('') // 'cr.flyte.org/flyteorg/flytekit:py3.11-1.15.0\n'
 *
 * @since 0.1.0
 */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { FLYTEKIT_VERSION_FORM, isFlytekitVersion } from '@imgcfg/core/DefaultImages'
import { editDistance, truncate, visible } from '@imgcfg/core/errors'
import pkg from '../package.json' with { type: 'json' }
import type { Capabilities } from './Capabilities.js'
import type { Command, Values } from './Command.js'
import { COMMANDS, GLOBAL } from './help.js'
import { makeIo, type Io } from './Output.js'

export type { Capabilities, PythonProbe, Writer } from './Capabilities.js'
export type { Command, Outcome, Values } from './Command.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Exit codes: success, a well-formed request that fails, a usage error. */
export const EXIT = { ok: 0, failed: 1, usage: 2, notBuilt: 3 } as const

type Options = NonNullable<ParseArgsConfig['options']>

interface Spec {
  readonly options: Options
  readonly positionals: ReadonlyArray<string>
  readonly choices?: Readonly<Record<string, ReadonlyArray<string>>>
  /** Options that only make sense with another one. */
  readonly requires?: Readonly<Record<string, string>>
  /** How many positionals are required (default: all of `positionals`). */
  readonly minPositionals?: number
  /** A usage problem the option table cannot express, as a sentence; `undefined` when fine. */
  readonly check?: (values: Values, positionals: ReadonlyArray<string>) => string | undefined
  readonly load: () => Promise<Command>
}

// -------------------------------------------------------------------------------------
// commands
// -------------------------------------------------------------------------------------

const help = { help: { type: 'boolean', short: 'h' } } as const
const config = {
  config: { type: 'string', short: 'c' },
  'config-format': { type: 'string' },
} as const
const versions = {
  'python-version': { type: 'string' },
  'flytekit-version': { type: 'string' },
} as const
const imageOptions = {
  ...help,
  ...config,
  ...versions,
  image: { type: 'string', short: 'i', multiple: true },
  strict: { type: 'boolean' },
} as const
const configFormats = { 'config-format': ['yaml', 'ini'] }
const configFormatNeedsConfig = { 'config-format': 'config' }
const registryOptions = {
  'insecure-registry': { type: 'string', multiple: true },
  'docker-config': { type: 'string' },
  timeout: { type: 'string' },
} as const

/** The longest --timeout: one hour (the registry package's MAX_TIMEOUT_MS, not imported so usage checks load nothing). */
const MAX_TIMEOUT_MS = 3_600_000

/** --timeout is `10`, `2.5s` or `500ms`, at most an hour; --insecure-registry is `host[:port]`. */
const checkRegistryOptions = (values: Values): string | undefined => {
  const timeout = values.timeout as string | undefined
  const match = timeout === undefined ? null : /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(timeout)
  if (timeout !== undefined && (match === null || Number.parseFloat(timeout) <= 0)) {
    return `--timeout must be a positive number of seconds (10, 2.5s) or milliseconds (500ms), not ${quote(timeout)}`
  }
  const ms = match === null ? undefined : Number(match[1]) * (match[2] === 'ms' ? 1 : 1000)
  if (ms !== undefined && (ms < 1 || ms > MAX_TIMEOUT_MS)) {
    return `--timeout must be between 1ms and ${MAX_TIMEOUT_MS / 1000}s (one hour), not ${quote(timeout!)}`
  }
  const bad = ((values['insecure-registry'] ?? []) as ReadonlyArray<string>).find((r) => !/^[^\s/]+$/.test(r))
  return bad === undefined ? undefined : `--insecure-registry takes host[:port] (localhost:5000), not ${quote(bad)}`
}

// Two chunks load on demand: `full` has the config-file parsers (yaml among them), `light` does
// not, so `parse`, `schema` and `default-image` start faster.
const SPECS: Readonly<Record<string, Spec>> = {
  resolve: {
    options: { ...imageOptions, format: { type: 'string' } },
    positionals: [],
    choices: { ...configFormats, format: ['table', 'json', 'yaml'] },
    requires: configFormatNeedsConfig,
    load: () => import('./commands/full.js').then((m) => m.resolve),
  },
  find: {
    options: imageOptions,
    positionals: ['NAME'],
    choices: configFormats,
    requires: configFormatNeedsConfig,
    load: () => import('./commands/full.js').then((m) => m.find),
  },
  'task-image': {
    options: { ...imageOptions, format: { type: 'string' } },
    positionals: ['TEMPLATE...'],
    choices: { ...configFormats, format: ['table', 'json', 'yaml'] },
    requires: configFormatNeedsConfig,
    load: () => import('./commands/full.js').then((m) => m.taskImage),
  },
  'image-spec': {
    options: { ...help, format: { type: 'string' } },
    positionals: ['FILE...'],
    choices: { format: ['table', 'json', 'yaml'] },
    load: () => import('./commands/full.js').then((m) => m.imageSpec),
  },
  'default-image': {
    options: { ...help, ...versions },
    positionals: [],
    load: () => import('./commands/light.js').then((m) => m.defaultImage),
  },
  parse: {
    options: { ...help, strict: { type: 'boolean' }, normalize: { type: 'boolean' }, format: { type: 'string' } },
    positionals: ['REF'],
    choices: { format: ['table', 'json'] },
    load: () => import('./commands/light.js').then((m) => m.parse),
  },
  lint: {
    options: { ...imageOptions, tasks: { type: 'boolean' }, format: { type: 'string' } },
    positionals: ['PATH...'],
    minPositionals: 0,
    choices: { ...configFormats, format: ['text', 'json'] },
    requires: configFormatNeedsConfig,
    check: (values, positionals) =>
      values.tasks !== true && positionals.length > 0
        ? `lint takes paths only with --tasks (got ${quote(positionals[0]!)})`
        : values.tasks !== true
          ? (['image', 'strict', 'python-version', 'flytekit-version']
              .filter((o) => values[o] !== undefined)
              .map((o) => `--${o} applies to lint --tasks`)[0])
          : undefined,
    load: () => import('./commands/full.js').then((m) => m.lint),
  },
  schema: {
    options: help,
    positionals: [],
    load: () => import('./commands/light.js').then((m) => m.schema),
  },
  verify: {
    options: { ...imageOptions, ...registryOptions, format: { type: 'string' } },
    positionals: [],
    choices: { ...configFormats, format: ['table', 'json'] },
    requires: configFormatNeedsConfig,
    check: checkRegistryOptions,
    load: () => import('./commands/verify.js').then((m) => m.verify),
  },
  pin: {
    options: { ...help, ...config, ...registryOptions, write: { type: 'boolean' }, update: { type: 'boolean' } },
    positionals: [],
    choices: configFormats,
    requires: configFormatNeedsConfig,
    check: (values) =>
      values.config === undefined || values.config === ''
        ? 'pin needs the config file to pin: -c FILE'
        : values.write === true && values.config === '-'
          ? "--write needs a file to write, not '-' (stdin)"
          : checkRegistryOptions(values),
    load: () => import('./commands/pin.js').then((m) => m.pin),
  },
}

/**
 * Every command's name, from the table `run` dispatches on (so a test can walk them all).
 *
 * @since 0.2.0
 */
export const COMMAND_NAMES: ReadonlyArray<string> = Object.keys(SPECS)

// -------------------------------------------------------------------------------------
// run
// -------------------------------------------------------------------------------------

class UsageError {
  constructor(readonly message: string) {}
}

/**
 * Runs the CLI and returns its exit code. Never throws: an unexpected failure is reported as a
 * sentence and exit code 1.
 *
 * @since 0.1.0
 */
export const run = async (argv: ReadonlyArray<string>, caps: Capabilities): Promise<number> => {
  const io = makeIo(caps)
  const [first, ...rest] = argv
  try {
    if (first === undefined) {
      caps.stderr.write(GLOBAL)
      return EXIT.usage
    }
    if (first === '-h' || first === '--help') return printHelp(io, GLOBAL)
    if (first === '--version') return printHelp(io, `${pkg.version}\n`)
    if (first === 'help') return helpCommand(rest, io)
    const spec = SPECS[first]
    if (spec === undefined) {
      throw new UsageError(
        first.startsWith('-') ? `unknown option ${quote(first)}` : `unknown command ${quote(first)}${didYouMean(first, Object.keys(SPECS))}`,
      )
    }
    const parsed = parseCommand(first, spec, rest)
    if (parsed.values.help === true) return printHelp(io, COMMANDS[first]!)
    const command = await spec.load()
    const outcome = await command.main(parsed.values, parsed.positionals, io)
    return outcome === 'ok' ? EXIT.ok : outcome === 'not-built' ? EXIT.notBuilt : EXIT.failed
  } catch (e) {
    if (e instanceof UsageError) {
      const command = first !== undefined && SPECS[first] !== undefined ? ` ${first}` : ''
      io.error(`${e.message}.\nRun 'imgcfg${command} --help' for usage.`)
      return EXIT.usage
    }
    // A bug, not a user error: say so in one sentence, without a stack trace.
    io.error(`internal error: ${e instanceof Error ? e.message : String(e)}. Please report it.`)
    return EXIT.failed
  }
}

const printHelp = (io: Io, text: string): number => {
  io.caps.stdout.write(text)
  return EXIT.ok
}

const helpCommand = (rest: ReadonlyArray<string>, io: Io): number => {
  const [name] = rest
  if (name === undefined) return printHelp(io, GLOBAL)
  const text = COMMANDS[name]
  if (text === undefined) throw new UsageError(`unknown command ${quote(name)}${didYouMean(name, Object.keys(SPECS))}`)
  return printHelp(io, text)
}

const parseCommand = (
  name: string,
  spec: Spec,
  args: ReadonlyArray<string>,
): { values: Values; positionals: ReadonlyArray<string> } => {
  let parsed: { values: Values; positionals: string[] }
  try {
    // Values are strings, string arrays and booleans by the option table; parseArgs types them wider.
    parsed = parseArgs({ args: [...args], options: spec.options, allowPositionals: true, strict: true }) as typeof parsed
  } catch (e) {
    throw new UsageError(describeParseError(e, spec.options))
  }
  if (parsed.values.help === true) return parsed
  for (const [option, allowed] of Object.entries(spec.choices ?? {})) {
    const value = parsed.values[option]
    if (typeof value === 'string' && !allowed.includes(value)) {
      throw new UsageError(`--${option} must be ${allowed.join(', ').replace(/, ([^,]*)$/, ' or $1')}, not ${quote(value)}`)
    }
  }
  const flytekitVersion = parsed.values['flytekit-version']
  if (typeof flytekitVersion === 'string' && !isFlytekitVersion(flytekitVersion)) {
    throw new UsageError(`--flytekit-version must be ${FLYTEKIT_VERSION_FORM}, not ${quote(flytekitVersion)}`)
  }
  for (const [option, needed] of Object.entries(spec.requires ?? {})) {
    if (parsed.values[option] !== undefined && parsed.values[needed] === undefined) {
      throw new UsageError(`--${option} applies to the file given with --${needed}; give one`)
    }
  }
  const problem = spec.check?.(parsed.values, parsed.positionals)
  if (problem !== undefined) throw new UsageError(problem)
  const wanted = spec.positionals
  // A last positional written `NAME...` takes one or more arguments.
  const variadic = wanted.at(-1)?.endsWith('...') === true
  if (parsed.positionals.length < (spec.minPositionals ?? wanted.length)) {
    throw new UsageError(`${name} needs ${wanted.slice(parsed.positionals.length).join(' ')}`)
  }
  if (!variadic && parsed.positionals.length > wanted.length) {
    throw new UsageError(`unexpected argument ${quote(parsed.positionals[wanted.length]!)}`)
  }
  return parsed
}

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

// What the user typed, shortened and with control characters escaped, so an ESC in an unknown
// command cannot reach the terminal raw.
const quote = (s: string): string => `'${visible(truncate(s))}'`

/** parseArgs' messages, rewritten as one short sentence, with a suggestion for typos. */
const describeParseError = (e: unknown, options: Options): string => {
  const code = (e as { code?: string }).code
  const message = e instanceof Error ? e.message : String(e)
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? ''
  // parseArgs names an option as '-c, --config <value>'.
  const option = quoted.replace(/ <value>$/, '')
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const names = Object.entries(options).flatMap(([long, o]) => [`--${long}`, ...(o.short ? [`-${o.short}`] : [])])
    return `unknown option ${quote(quoted)}${didYouMean(quoted.split('=')[0]!, names)}`
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/argument missing/.test(message)) return `option ${option} needs a value`
    if (/ambiguous/.test(message)) {
      const long = /'(--[\w-]+)=-XYZ'/.exec(message)?.[1] ?? option
      return `option ${option} needs a value but is followed by an option; write ${long}=VALUE for a value that starts with '-'`
    }
    if (/does not take an argument/.test(message)) return `option ${option} does not take a value`
  }
  const sentence = message.split(/\.\s/)[0]!.replace(/\.$/, '')
  return sentence.charAt(0).toLowerCase() + sentence.slice(1)
}

const didYouMean = (input: string, candidates: ReadonlyArray<string>): string => {
  if (input.length < 4 || input.length > 64) return ''
  const close = candidates.filter((c) => editDistance(input, c) <= Math.max(1, Math.floor(c.length / 4)))
  return close.length === 1 ? ` (did you mean ${quote(close[0]!)}?)` : ''
}

