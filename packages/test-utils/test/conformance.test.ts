/**
 * The repository keeps copies of the conformance files (a user's clone has no ../shared); while
 * ../shared/conformance exists next to the checkout, each copy must be byte for byte the same.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { conformanceDir, loadConformance, sharedConformanceDir } from '../src/vectors.ts'

const FILES = ['flytekit.json', 'oci.json', 'task-image.json'] as const
const shared = sharedConformanceDir()

describe('the repository copy of the conformance vectors', () => {
  it.each(FILES)('%s is identical to ../shared/conformance', (file) => {
    if (shared === undefined) {
      console.warn(`../shared/conformance not found: ${file} is checked against the repository copy only`)
      return
    }
    const copy = readFileSync(join(conformanceDir, file), 'utf8')
    const upstream = readFileSync(join(shared, file), 'utf8')
    expect(copy === upstream, `${file} differs from ${shared}: refresh the copy in packages/test-utils/conformance`).toBe(true)
  })

  it('every file of ../shared/conformance has a copy', () => {
    if (shared === undefined) return
    expect(readdirSync(shared).filter((f) => f.endsWith('.json')).sort()).toEqual([...FILES].sort())
  })

  it.each(FILES)('%s parses and has vectors', (file) => {
    const parsed = loadConformance(file)
    expect(typeof parsed).toBe('object')
    expect(JSON.stringify(parsed).length).toBeGreaterThan(1000)
  })
})
