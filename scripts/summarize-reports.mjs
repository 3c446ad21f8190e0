// Sums vitest JSON reports into the one line CI understands: 'N passed, N failed'.
// A package whose report is missing or unreadable counts as one failure, so a crash is never
// mistaken for success.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const dir = process.argv[2] ?? 'reports'
const expected = JSON.parse(readFileSync(new URL('./test-packages.json', import.meta.url), 'utf8'))
let passed = 0
let failed = 0
let skipped = 0
const seen = new Set()
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
  const name = file.replace(/\.json$/, '')
  seen.add(name)
  try {
    const report = JSON.parse(readFileSync(join(dir, file), 'utf8'))
    passed += report.numPassedTests
    failed += report.numFailedTests
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
    // A test file that failed to load has no tests but is still a failure.
    const brokenFiles = (report.testResults ?? []).filter(
      (r) => r.status === 'failed' && (r.assertionResults ?? []).length === 0,
    ).length
    failed += brokenFiles
    console.log(`${name}: ${report.numPassedTests} passed, ${report.numFailedTests + brokenFiles} failed`)
  } catch (e) {
    failed += 1
    console.log(`${name}: unreadable report (${e.message})`)
  }
}
for (const name of expected) {
  if (!seen.has(name)) {
    failed += 1
    console.log(`${name}: no report (its tests did not run)`)
  }
}
if (skipped) console.log(`${skipped} skipped`)
// The last line, exactly as CI reads it.
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed > 0 ? 1 : 0)
