// `pnpm release`: the dry run of a release. Builds everything, packs every public package as it
// would be published (workspace:* becomes the version), and checks each tarball with publint
// (strict) and, for the libraries, arethetypeswrong (node16 profile). Publishes nothing: after a
// green run, `pnpm changeset version` then `pnpm changeset publish` are the real steps.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const bin = (name) => join(root, 'node_modules', '.bin', name)
const step = (what, command, args, cwd = root) => {
  console.log(`\n$ ${[command, ...args].join(' ')}${cwd === root ? '' : `   (in ${cwd.replace(root, '')})`}`)
  const r = spawnSync(command, args, { cwd, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } })
  if (r.status !== 0) console.log(`release: ${what} failed (exit ${r.status ?? r.signal})`)
  return r.status === 0
}

if (!step('the build', 'pnpm', ['--silent', 'build', '--output-logs=errors-only'])) process.exit(1)
step('changeset status', bin('changeset'), ['status'])

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => ({ dir: join(root, 'packages', dir), pkg: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) }))
  .filter(({ pkg }) => !pkg.private)
const out = mkdtempSync(join(tmpdir(), 'imgcfg-release-'))
const failed = []
try {
  for (const { dir, pkg } of packages) {
    const before = new Set(readdirSync(out))
    if (!step(`pnpm pack of ${pkg.name}`, 'pnpm', ['pack', '--pack-destination', out], dir)) {
      failed.push(`${pkg.name}: pack`)
      continue
    }
    const tarball = join(out, readdirSync(out).find((f) => !before.has(f)))
    if (!step(`publint of ${pkg.name}`, bin('publint'), ['run', tarball, '--strict', '--level', 'warning'])) failed.push(`${pkg.name}: publint`)
    // A package with only a command (no exports, no types) has nothing for attw to resolve.
    if (pkg.exports && !step(`attw of ${pkg.name}`, bin('attw'), [tarball, '--profile', 'node16', '--format', 'table-flipped'])) {
      failed.push(`${pkg.name}: attw`)
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true })
}
console.log(
  failed.length === 0
    ? `\nrelease: ${packages.map((p) => `${p.pkg.name}@${p.pkg.version}`).join(', ')} pack and pass publint and attw. Nothing was published.`
    : `\nrelease: not ready: ${failed.join(', ')}`,
)
process.exit(failed.length === 0 ? 0 : 1)
