/**
 * Section: duplicate image names. Whether config-file's hand-rolled hash table
 * (`packages/config-file/src/names.ts`, compiled from source here) is worth its code against a
 * plain `Set` (the baseline) or `Map`: each finds the first
 * repeated name among the entries of a list as they are read, on lists of 10 to 100 000
 * realistic image names. To tell whether the difference matters, the same run also loads
 * (`parseConfigText`) YAML and INI files with the same names: the duplicate check's share of a
 * whole load is what a user could ever gain.
 */
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'
import { Bench } from 'tinybench'
import * as E from 'fp-ts/lib/Either.js'
import { parseConfigText } from '@imgcfg/config-file'
import { fixed, median, ratio, table } from './stats.mjs'

export const SIZES = [10, 1000, 10000, 100000]
const ROUNDS = 3
const NAMES_TS = new URL('../../packages/config-file/src/names.ts', import.meta.url)
const YAML_LIMIT = 1024 * 1024

// -------------------------------------------------------------------------------------
// the inputs
// -------------------------------------------------------------------------------------

const WORDS = ['gpu', 'spark', 'trainer', 'serve', 'etl', 'feature-store', 'xgboost', 'pytorch', 'ray', 'dask', 'sql']

/** Image names as teams write them: short words, versions, team prefixes; 3 to about 40 characters. */
export const imageName = (i) => {
  const word = WORDS[i % WORDS.length]
  switch (i % 6) {
    case 0:
      return `${word}-${i}`
    case 1:
      return `${word}_py3${8 + (i % 5)}_${i}`
    case 2:
      return `team-${i % 97}-${word}-${i}`
    case 3:
      return `${word}${i}`
    case 4:
      return `image-${i}`
    default:
      return `ml-platform-${word}-gpu-cuda12-${i}`
  }
}

const identifier = (i) => `ghcr.io/mycorp/${imageName(i).toLowerCase().replace(/_/g, '-')}:1.${i % 17}.0`

const yamlText = (names) => `images:\n${names.map((n, i) => `  ${n}: ${identifier(i)}\n`).join('')}`
const iniText = (names) => `[images]\n${names.map((n, i) => `${n} = ${identifier(i)}\n`).join('')}`

// -------------------------------------------------------------------------------------
// the candidates: each reads `names` in order, keeping the entries as a reader does, and
// returns the index of the first repeated name, or -1 - the number of entries kept
// -------------------------------------------------------------------------------------

const viaSet = (names) => {
  const entries = []
  const seen = new Set()
  for (let i = 0; i < names.length; i++) {
    const known = seen.size
    if (seen.add(names[i]).size === known) return i
    entries.push({ name: names[i] })
  }
  return -entries.length - 1
}

const viaMap = (names) => {
  const entries = []
  const seen = new Map()
  for (let i = 0; i < names.length; i++) {
    if (seen.has(names[i])) return i
    seen.set(names[i], entries.length)
    entries.push({ name: names[i] })
  }
  return -entries.length - 1
}

/**
 * config-file's `NameTable`, compiled from its source (it is internal to the package, so not in
 * its build's exports) by esbuild, as the package's own build does.
 */
const loadNameTable = async () => {
  const result = await esbuild.build({
    entryPoints: [fileURLToPath(NAMES_TS)],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  })
  const source = result.outputFiles[0].text
  return (await import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`)).NameTable
}

/** As the readers use it: `clear` before a read, `add` before each entry is pushed, `release` after. */
const viaNameTable = (table) => (names) => {
  const entries = []
  table.clear()
  try {
    for (let i = 0; i < names.length; i++) {
      if (!table.add(entries, names[i])) return i
      entries.push({ name: names[i] })
    }
    return -entries.length - 1
  } finally {
    table.release()
  }
}

/** The baseline first. */
const candidates = (NameTable) => [
  { name: 'Set (baseline)', find: viaSet },
  { name: 'Map', find: viaMap },
  { name: 'NameTable (names.ts)', find: viaNameTable(new NameTable()) },
]

// -------------------------------------------------------------------------------------
// the run
// -------------------------------------------------------------------------------------

let sink = 0

/**
 * The process's CPU time in ms (user + system, all its threads, so garbage collection counts),
 * not wall-clock time: on a shared machine, time given to other processes does not count.
 */
const cpuNow = () => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

/** Runs per sample, so one sample of a small case is well above the clock's microsecond. */
const repsFor = (n) => Math.max(1, Math.round(100000 / n))

export const runNamesSection = async () => {
  const CANDIDATES = candidates(await loadNameTable())
  const cases = SIZES.map((n) => {
    const names = Array.from({ length: n }, (_, i) => imageName(i))
    // a repeated name at the end: every candidate reads the whole list and finds it
    const withRepeat = [...names, names[Math.floor(n / 2)]]
    for (const c of CANDIDATES) {
      if (c.find(names) !== -n - 1 || c.find(withRepeat) !== n) throw new Error(`${c.name} is wrong on ${n} names`)
    }
    // YAML files are read up to 1 MiB (config-file's limit): 100 000 names are over it
    const files = [
      { format: 'yaml', text: yamlText(names) },
      { format: 'ini', text: iniText(names) },
    ].filter((f) => f.format !== 'yaml' || f.text.length <= YAML_LIMIT)
    for (const f of files) {
      const parsed = parseConfigText(f.text, { format: f.format })
      if (E.isLeft(parsed) || parsed.right.images.length !== n) throw new Error(`${f.format} ${n}: not ${n} images`)
    }
    return { n, names, files, times: {} }
  })

  const tasks = []
  for (const c of cases) {
    const reps = repsFor(c.n)
    const repeat = (f) => () => {
      for (let k = 0; k < reps; k++) sink += f()
    }
    for (const cand of CANDIDATES) {
      tasks.push({ key: `${c.n} ${cand.name}`, c, reps, slot: cand.name, run: repeat(() => cand.find(c.names)) })
    }
    for (const f of c.files) {
      const load = () => parseConfigText(f.text, { format: f.format })._tag.length
      tasks.push({ key: `${c.n} load ${f.format}`, c, reps, slot: `load ${f.format}`, run: repeat(load) })
    }
  }
  for (let round = 0; round < ROUNDS; round++) {
    const bench = new Bench({ time: 200, iterations: 5, warmupTime: 50, warmupIterations: 2, retainSamples: true, now: cpuNow })
    for (let i = 0; i < tasks.length; i++) {
      const t = tasks[(i + round) % tasks.length]
      bench.add(t.key, t.run, { async: false })
    }
    await bench.run()
    for (const task of bench.tasks) {
      if (task.result.state !== 'completed') throw new Error(`${task.name}: ${task.result.state} ${task.result.error ?? ''}`)
      const t = tasks.find((x) => x.key === task.name)
      ;(t.c.times[t.slot] ??= []).push(median(task.result.latency.samples) / t.reps)
    }
  }

  const rows = []
  for (const c of cases) {
    const base = c.times['Set (baseline)']
    const loads = { yaml: c.times['load yaml'] ? median(c.times['load yaml']) : NaN, ini: median(c.times['load ini']) }
    for (const cand of CANDIDATES) {
      const t = c.times[cand.name]
      const perRound = t.map((ms, i) => ms / base[i])
      const saved = median(base) - median(t)
      rows.push({
        n: c.n,
        name: cand.name,
        ms: median(t),
        nsPerName: (1e6 * median(t)) / c.n,
        ratio: median(perRound),
        perRound,
        shareYaml: median(t) / loads.yaml,
        shareIni: median(t) / loads.ini,
        savedYaml: saved / loads.yaml,
        savedIni: saved / loads.ini,
      })
    }
    rows.push({ n: c.n, load: loads })
  }

  const pct = (x) => (Number.isNaN(x) ? '— (over 1 MiB)' : `${fixed(100 * x, 1)}%`)
  const ms = (x) => (Number.isNaN(x) ? 'over the 1 MiB YAML limit' : `${fixed(x, 3)} ms`)
  const candidateRows = rows.filter((r) => r.load === undefined)
  const tableRow = (n) => candidateRows.find((r) => r.n === n && r.name.startsWith('NameTable'))
  const largest = tableRow(SIZES[SIZES.length - 1])
  const mid = tableRow(SIZES[SIZES.length - 2])
  // the largest size a YAML file holds under its 1 MiB limit: where a reader could gain most
  const big = tableRow(10000)
  const smallRows = candidateRows.filter((r) => r.n <= 1000 && r.name.startsWith('NameTable'))
  // worth it if it saves a twentieth of a load where it helps
  const earns = big.savedYaml > 0.05 && big.savedIni > 0.05
  const markdown = [
    "## 6. Duplicate image names: a Set, a Map, or config-file's NameTable",
    '',
    `Each candidate reads n realistic image names (\`src/names.mjs\`: words, versions, team prefixes, 3 to 40 characters) as a config reader does, keeping the entries and checking each name against those before it; every candidate is first checked to find a repeat placed at the end. Times are the process's CPU time (\`process.cpuUsage\`, all its threads, so garbage collection counts), not wall-clock: on a shared machine, time given to other processes does not count; small cases are repeated within a sample. Ratio = time ÷ the \`Set\`'s, within a round; ${ROUNDS} rounds in rotating order, median reported. "share of a load" is the candidate's time ÷ one \`parseConfigText\` of a YAML or INI file with the same names (${rows.filter((r) => r.load).map((r) => `${r.n.toLocaleString('en-US')}: YAML ${ms(r.load.yaml)}, INI ${ms(r.load.ini)}`).join('; ')}), measured in the same rounds; "saved" is what the candidate saves against the \`Set\`, as a share of that load (negative: it costs more).`,
    '',
    table(
      ['names', 'candidate', 'ms per read', 'ns per name', 'ratio to Set', 'per round', 'share of a YAML load', 'share of an INI load', 'saved (YAML)', 'saved (INI)'],
      candidateRows.map((r) => [
        r.n.toLocaleString('en-US'),
        r.name,
        fixed(r.ms, 4),
        fixed(r.nsPerName, 1),
        ratio(r.ratio),
        r.perRound.map((x) => fixed(x)).join(', '),
        pct(r.shareYaml),
        pct(r.shareIni),
        pct(r.savedYaml),
        pct(r.savedIni),
      ]),
      ['r', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
    `**Verdict** — the NameTable ${earns ? 'earns its code' : 'does not earn its code: a `Set` would do'}: at ${big.n.toLocaleString('en-US')} names it takes ${ratio(big.ratio)} the Set's time, saving ${pct(big.savedYaml)} of a YAML load and ${pct(big.savedIni)} of an INI load (it keeps its table from read to read, while a \`Set\` of more than 4 096 entries allocates its backing store in V8's large-object space on every read); with 1 000 names or fewer it costs at most ${pct(-Math.min(...smallRows.map((r) => Math.min(r.savedYaml, r.savedIni))))} of a load more than a Set.`,
    '',
    `At ${largest.n.toLocaleString('en-US')} names the NameTable takes ${ratio(largest.ratio)} the Set's time and would save ${pct(largest.savedIni)} of an INI load; at ${mid.n.toLocaleString('en-US')} names, ${ratio(mid.ratio)} and ${pct(mid.savedYaml)} of a YAML load, ${pct(mid.savedIni)} of an INI load.`,
  ].join('\n')
  return { markdown, rows, earns, sink }
}
