/**
 * Summarises a `node --cpu-prof` profile: the functions with the most self time and the most
 * inclusive time. Usage: node bench/tools/cpuprofile-top.mjs <file.cpuprofile> [rows]
 */
import { readFileSync } from 'node:fs'

const [file, rowsArg] = process.argv.slice(2)
if (file === undefined) {
  process.stderr.write('usage: node bench/tools/cpuprofile-top.mjs <file.cpuprofile> [rows]\n')
  process.exit(2)
}
const rows = Number(rowsArg ?? 20)
const profile = JSON.parse(readFileSync(file, 'utf8'))
const byId = new Map(profile.nodes.map((node) => [node.id, node]))
const parentOf = new Map()
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id)

const label = ({ callFrame: f }) =>
  `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`

// timeDeltas[i] is the time before sample i, in microseconds
const self = new Map()
const inclusive = new Map()
let total = 0
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0
  total += dt
  const key = label(byId.get(id))
  self.set(key, (self.get(key) ?? 0) + dt)
  const seen = new Set()
  for (let cur = id; cur !== undefined; cur = parentOf.get(cur)) {
    const k = label(byId.get(cur))
    if (seen.has(k)) continue
    seen.add(k)
    inclusive.set(k, (inclusive.get(k) ?? 0) + dt)
  }
})

const print = (title, map) => {
  process.stdout.write(`${title}\n`)
  for (const [k, t] of [...map].sort((a, b) => b[1] - a[1]).slice(0, rows)) {
    process.stdout.write(`${((100 * t) / total).toFixed(1).padStart(6)}%  ${(t / 1000).toFixed(1).padStart(9)} ms  ${k}\n`)
  }
}
print(`self time (total ${(total / 1000).toFixed(0)} ms)`, self)
print('inclusive time', inclusive)
