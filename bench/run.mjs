/**
 * `pnpm bench`: every benchmark of issue 7 in one process run, on the same inputs each time.
 * Prints the results and writes them to bench/RESULTS.md.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg } from 'node:os'
import { runReferenceSection } from './src/reference.mjs'
import { runConfigSection } from './src/config.mjs'
import { runCliSection } from './src/cli.mjs'
import { runBundleSection } from './src/bundle.mjs'
import { runTasksSection } from './src/tasks.mjs'
import { table } from './src/stats.mjs'

// read from node_modules directly: some packages' exports maps do not expose package.json
const versionOf = (pkg) => JSON.parse(readFileSync(new URL(`./node_modules/${pkg}/package.json`, import.meta.url), 'utf8')).version

const quiet = (file, args) => {
  try {
    return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return 'unknown'
  }
}

const machine = () => {
  const cpuInfo = quiet('cat', ['/proc/cpuinfo'])
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuInfo)?.[1] ?? cpus()[0]?.model ?? 'unknown'
  return [
    `- date: ${new Date().toISOString()}`,
    `- machine: nproc ${quiet('nproc', [])} (available parallelism ${availableParallelism()}), CPU ${model}, load average at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    `- node ${process.version}, V8 ${process.versions.v8}, ${process.platform}/${process.arch}`,
    `- commit ${quiet('git', ['rev-parse', '--short', 'HEAD'])}${quiet('git', ['status', '--porcelain']) === '' ? '' : ' (working tree has changes)'}`,
    `- harness tinybench ${versionOf('tinybench')}, esbuild ${versionOf('esbuild')}; peers @swimlane/docker-reference ${versionOf('@swimlane/docker-reference')}, docker-parse-image ${versionOf('docker-parse-image')}, parse-docker-image-name ${versionOf('parse-docker-image-name')}`,
  ].join('\n')
}

const section = async (title, run) => {
  process.stderr.write(`bench: ${title}…\n`)
  const started = performance.now()
  const result = await run()
  process.stderr.write(`bench: ${title} done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`)
  return result
}

const header = machine()
const reference = await section('reference parsing', runReferenceSection)
const config = await section('config loading', runConfigSection)
const cli = await section('CLI cold start', runCliSection)
const bundle = await section('bundle size', runBundleSection)
const tasks = await section('lint --tasks against ripgrep', runTasksSection)

const loadAtEnd = loadavg().map((l) => l.toFixed(2)).join(' ')

const status = (met) => (met === undefined ? 'not measured' : met ? 'met' : '**missed**')
const summary = table(
  ['target', 'measured', 'status'],
  [
    [
      '`Reference.parse` ≥ 1.5× the fastest peer, the only parser at 100%',
      `${reference.strictRatio.toFixed(2)}× ${reference.fastestPeer}`,
      status(reference.met),
    ],
    [
      'config loading linear: 10× images ≤ 11× time',
      `worst ${config.worst.format} ${config.worst.n / 10}→${config.worst.n}: ${config.worst.growth.toFixed(2)}×`,
      status(config.met),
    ],
    [
      'CLI cold start ≤ 1.5× `node -e 0`',
      cli.met === undefined ? 'CLI not built' : `${cli.rows.find((r) => r.c.measured).ratio.toFixed(2)}×`,
      status(cli.met),
    ],
    ['`lookUpImageInfo` bundle ≤ 8 KB (raw)', `${bundle.rows[0].raw} B raw, ${bundle.rows[0].gzip} B gzip`, status(bundle.met)],
    [
      '`lint --tasks` ≤ 2× `rg -c` on 20 000 files',
      tasks.met === undefined ? 'not measured' : `${tasks.ratio.toFixed(2)}×, peak ${Math.round(tasks.kb / 1024)} MB`,
      status(tasks.met),
    ],
  ],
  ['l', 'l', 'l'],
)

const markdown = `# Benchmarks

Written by \`pnpm bench\` (\`bench/run.mjs\`); do not edit by hand. **Ratios are the figures that
count**: absolute times depend on the machine and on what else it is doing, while each ratio
compares measurements taken in the same process run, interleaved or in rotating rounds, on the
same inputs.

${header}
- load average at end ${loadAtEnd}: with other work on the machine, absolute times move between runs; growth ratios of the config loads are the most sensitive (see the per-round columns)

${summary}

${reference.markdown}

${config.markdown}

${cli.markdown}

${bundle.markdown}

${tasks.markdown}
`

writeFileSync(new URL('./RESULTS.md', import.meta.url), markdown)
process.stdout.write(markdown)
