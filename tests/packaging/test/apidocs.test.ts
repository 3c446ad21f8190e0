/**
 * docs/api is TypeDoc's Markdown of the published entry points' doc comments (`pnpm docs`, with
 * typedoc.json at the root). It is committed, so it must be what the sources say today.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { node, repoRoot } from './support.js'

const typedoc = join(repoRoot, 'node_modules', 'typedoc', 'bin', 'typedoc')

const tree = (dir: string): Record<string, string> => {
  const out: Record<string, string> = {}
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name))
      else out[relative(dir, join(d, e.name))] = readFileSync(join(d, e.name), 'utf8')
    }
  }
  walk(dir)
  return out
}

describe('the API reference in docs/api', () => {
  it('is what TypeDoc makes of the sources now (else: pnpm docs)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'imgcfg-apidocs-'))
    try {
      const r = await node([typedoc, '--out', out, '--logLevel', 'Warn'], repoRoot)
      expect(r.stdout + r.stderr, 'typedoc warnings').toBe('')
      const fresh = tree(out)
      const committed = tree(join(repoRoot, 'docs', 'api'))
      expect(Object.keys(committed).sort(), 'pages (run pnpm docs)').toStrictEqual(Object.keys(fresh).sort())
      for (const [page, text] of Object.entries(fresh)) expect(committed[page], `${page} (run pnpm docs)`).toBe(text)
      expect(Object.keys(fresh)).toContain('@imgcfg/core/Image/functions/lookUpImageInfo.md')
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  }, 180_000)
})
