import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { distDir } from './support.js'

// dist/ is built once by globalSetup.ts.
const assets = join(distDir, 'assets')
const scripts = readdirSync(assets).filter((f) => f.endsWith('.js'))
const code = scripts.map((f) => readFileSync(join(assets, f), 'utf8')).join('\n')
const NODE_BUILTINS = ['fs', 'path', 'os', 'url', 'process', 'module', 'crypto', 'stream', 'util', 'buffer', 'events']

describe('the bundle is a static, browser-only page', () => {
  it('imports no Node built-in', () => {
    const specifiers = [...code.matchAll(/(?:\bfrom|\bimport|\brequire)\s*\(?\s*["'`]([^"'`]+)["'`]/g)].map((m) => m[1])
    expect(specifiers.filter((s) => s!.startsWith('node:') || NODE_BUILTINS.includes(s!))).toEqual([])
    expect(code).not.toMatch(/\brequire\(/)
  })

  it("takes fp-ts's ES modules, not its CommonJS build", () => {
    const map = JSON.parse(readFileSync(join(assets, `${scripts[0]}.map`), 'utf8')) as { sources: string[] }
    const fpts = map.sources.filter((s) => s.includes('/fp-ts/'))
    expect(fpts.length).toBeGreaterThan(0)
    expect(fpts.filter((s) => !s.includes('/fp-ts/es6/'))).toEqual([])
    expect(map.sources.filter((s) => s.includes('/io-ts/') && !s.includes('/io-ts/es6/'))).toEqual([])
  })

  it('stays small', () => {
    const gzip = gzipSync(code).length
    console.log(`playground bundle: ${(code.length / 1024).toFixed(1)} kB raw, ${(gzip / 1024).toFixed(1)} kB gzip`)
    expect(scripts).toHaveLength(1)
    expect(gzip).toBeLessThan(80 * 1024)
  })
})
