/**
 * Section 3: CLI cold start. Each command is a fresh `node` process started from the repository
 * root, the commands interleaved run by run so a change in the machine's load touches all alike.
 * Two diagnostic rows split the CLI's time: the same command with both versions given (so it
 * does not ask `python3`), and `python3 -c 0` alone.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { fixed, int, median, quantile, ratio, table, verdict } from './stats.mjs'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const BIN = 'packages/cli/dist/bin.js'
const RUNS = 21
const WARMUP = 2
const TARGET = 1.5

const RESOLVE = [BIN, 'resolve', '-c', 'examples/config.yaml', '--format', 'json']

const COMMANDS = [
  { name: '`node -e 0`', file: process.execPath, args: ['-e', '0'], baseline: true },
  { name: '`imgcfg resolve -c examples/config.yaml --format json`', file: process.execPath, args: RESOLVE, cli: true, measured: true },
  {
    name: 'diagnostic: the same with `--python-version 3.11 --flytekit-version 1.15.0` (no python3 probe)',
    file: process.execPath,
    args: [...RESOLVE, '--python-version', '3.11', '--flytekit-version', '1.15.0'],
    cli: true,
  },
  { name: 'diagnostic: `python3 -c 0`', file: 'python3', args: ['-c', '0'], optional: true },
]

const runOnce = (command) => {
  const start = process.hrtime.bigint()
  const result = spawnSync(command.file, command.args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  return { ms, result }
}

/** The CLI must really resolve the example: exit 0 and JSON naming its images. */
const checkCli = (command) => {
  const { result } = runOnce(command)
  if (result.error !== undefined || result.status !== 0) {
    throw new Error(`${command.args.join(' ')} exited ${result.status}: ${result.error ?? result.stderr}`)
  }
  const json = JSON.parse(result.stdout)
  const names = (json.images ?? []).map((i) => i.name)
  if (!['xyz', 'abc', 'bcd'].every((n) => names.includes(n))) {
    throw new Error(`${command.args.join(' ')} printed no images xyz, abc, bcd: ${result.stdout.slice(0, 200)}`)
  }
  return json
}

export const runCliSection = async () => {
  if (!existsSync(new URL(`../../${BIN}`, import.meta.url))) {
    const markdown = ['## 3. CLI cold start', '', `**CLI not built**: \`${BIN}\` does not exist, so this part was not measured. Run \`pnpm bench\` again once the CLI builds.`].join('\n')
    return { markdown, met: undefined }
  }
  const resolved = checkCli(COMMANDS[1])
  checkCli(COMMANDS[2])
  const commands = COMMANDS.filter((c) => !c.optional || !runOnce(c).result.error)
  const times = new Map(commands.map((c) => [c, []]))
  for (let run = 0; run < WARMUP + RUNS; run++) {
    // rotate the order too, so no command always runs right after the same other one
    for (let i = 0; i < commands.length; i++) {
      const c = commands[(i + run) % commands.length]
      const { ms, result } = runOnce(c)
      if (result.status !== 0) throw new Error(`${c.name} exited ${result.status}`)
      if (run >= WARMUP) times.get(c).push(ms)
    }
  }
  const baseline = median(times.get(commands[0]))
  const rows = commands.map((c) => {
    const t = times.get(c)
    return { c, median: median(t), p25: quantile(t, 0.25), p75: quantile(t, 0.75), min: Math.min(...t), max: Math.max(...t), ratio: median(t) / baseline }
  })
  const measured = rows.find((r) => r.c.measured)
  const noProbe = rows.find((r) => r.c.cli && !r.c.measured)
  const met = measured.ratio <= TARGET
  const markdown = [
    '## 3. CLI cold start',
    '',
    `From the repository root; ${RUNS} measured runs of each command after ${WARMUP} warm-up runs, interleaved (the order rotates every run); wall time of \`spawnSync\`, stdout captured. The CLI's output is checked (exit 0, JSON with the example's images; default image \`${resolved.default_image?.fqn}:${resolved.default_image?.tag}\`).`,
    '',
    table(
      ['command', 'median (ms)', 'p25–p75 (ms)', 'min–max (ms)', 'ratio to `node -e 0`'],
      rows.map((r) => [r.c.name, fixed(r.median, 1), `${fixed(r.p25, 1)}–${fixed(r.p75, 1)}`, `${int(r.min)}–${int(r.max)}`, ratio(r.ratio)]),
    ),
    '',
    `**Target** — the CLI ≤ ${TARGET}× node's own start: ${ratio(measured.ratio)} → ${verdict(met)}. Without the python3 probe the same command takes ${ratio(noProbe.ratio)}; the probe accounts for ${fixed(measured.median - noProbe.median, 0)} ms of the median.`,
  ].join('\n')
  return { markdown, met, rows }
}
