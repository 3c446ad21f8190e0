/** The image_spec vectors of task-image.json (flytekit 1.15.4's ImageSpec YAML files), through loadImageSpec. */
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { formatConfigError as formatError } from '../src/errors.js'
import { loadImageSpec } from '../src/index.js'
import { conformanceDir } from '../../core/test/support/vectors.js'

const vectors = JSON.parse(readFileSync(join(conformanceDir, 'task-image.json'), 'utf8')).groups.image_spec as any[]

describe('conformance: task-image.json image_spec (flytekit 1.15.4 ImageSpec(**yaml.safe_load(f)))', () => {
  it('has vectors', () => expect(vectors.length).toBeGreaterThan(30))
  for (const v of vectors) {
    it(`${v.id}${v.rule ? ` [${v.rule}]` : ''}`, () => {
      const dir = realpathSync(mkdtempSync(join(tmpdir(), 'imgcfg-spec-')))
      for (const [path, text] of Object.entries(v.input.files ?? {}) as Array<[string, string]>) {
        mkdirSync(dirname(join(dir, path)), { recursive: true })
        writeFileSync(join(dir, path), text)
      }
      const specPath = v.input.spec_path ?? 'spec.yaml'
      mkdirSync(dirname(join(dir, specPath)), { recursive: true })
      writeFileSync(join(dir, specPath), v.input.yaml)
      const result = loadImageSpec(specPath, { cwd: dir, env: {}, home: dir })
      if (v.imgcfg.ok) {
        if (E.isLeft(result)) throw new Error(`${v.id}: ${formatError(result.left)}`)
        // The hashed texts first: a mismatch there is the diff to read.
        if (v.hashed) expect(result.right.hashed).toStrictEqual(v.hashed)
        expect({ image_name: result.right.imageName, tag: result.right.tag, id: result.right.id }).toStrictEqual(v.imgcfg.ok)
      } else {
        expect(E.isLeft(result), `${v.id} should fail`).toBe(true)
        if (E.isLeft(result)) for (const s of v.imgcfg.messageIncludes ?? []) expect(formatError(result.left)).toContain(s)
      }
    })
  }
})
