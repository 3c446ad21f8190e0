/**
 * `imgcfg pin -c FILE [--write]`: a tag moves, so the same config can run different code
 * tomorrow. pin asks the registry which digest each tagged identifier of the file points at now
 * and rewrites it to `fqn@sha256:…`: as a unified diff on stdout, or in the file itself with
 * `--write` (an in-place edit of just the tags, so comments, order and formatting stay; written
 * to a temporary file in the same directory and renamed over the original).
 *
 * @since 0.1.0
 */
import * as nodePath from 'node:path'
import { formatConfigError, type ConfigImage } from '@imgcfg/config-file'
import { formatError, quote, truncate, visible } from '@imgcfg/core/errors'
import * as Image from '@imgcfg/core/Image'
import { verifyImages, type ResolvedDigest } from '@imgcfg/registry'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { loadConfig, locationOf, STDIN_ORIGIN, type LoadedConfig } from '../config.js'
import type { Command } from '../Command.js'
import type { Io } from '../Output.js'
import { registryOptions, reportFailures } from './verify.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** One replacement in the text: `[start, end)` becomes `text`. */
export interface Edit {
  readonly start: number
  readonly end: number
  readonly text: string
}

/** A tagged entry of the file that can be pinned where it is written. */
interface Candidate {
  readonly entry: ConfigImage & { readonly valueRange: readonly [number, number] }
  readonly image: Image.Image
  readonly tag: string
}

// -------------------------------------------------------------------------------------
// editing
// -------------------------------------------------------------------------------------

/**
 * The edit that pins a value as written: its `:tag` ending becomes `@digest`. Works whatever
 * surrounds the tag (YAML quotes, a block scalar, an INI `%(registry)s` prefix); `undefined`
 * when the written value does not end with the tag (an INI tag that comes from interpolation).
 *
 * @example
 * pinEdit('x: "ghcr.io/a:1" # c', [3, 16], '1', 'sha256:…') // { start: 13, end: 15, text: '@sha256:…' }
 */
export const pinEdit = (text: string, range: readonly [number, number], tag: string, digest: string): Edit | undefined => {
  const written = text.slice(range[0], range[1])
  const suffix = `:${tag}`
  const at = written.lastIndexOf(suffix)
  if (at === -1 || !/^["']?\s*$/.test(written.slice(at + suffix.length))) return undefined
  return { start: range[0] + at, end: range[0] + at + suffix.length, text: `@${digest}` }
}

/** Applies non-overlapping edits. */
export const applyEdits = (text: string, edits: ReadonlyArray<Edit>): string => {
  let out = ''
  let at = 0
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    out += text.slice(at, edit.start) + edit.text
    at = edit.end
  }
  return out + text.slice(at)
}

// -------------------------------------------------------------------------------------
// diff
// -------------------------------------------------------------------------------------

const CONTEXT = 3

/**
 * A unified diff of two texts with the same number of lines (pinning never adds or removes
 * one), `patch -p0` compatible.
 */
export const unifiedDiff = (path: string, before: string, after: string): string => {
  const split = (t: string) => {
    const lines = t.split('\n')
    const newlineAtEnd = lines[lines.length - 1] === ''
    if (newlineAtEnd) lines.pop()
    return { lines, newlineAtEnd }
  }
  const a = split(before)
  const b = split(after)
  const changed = a.lines.flatMap((line, i) => (line !== b.lines[i] ? [i] : []))
  if (changed.length === 0) return ''
  // Hunks: changed lines whose contexts touch are one hunk.
  const hunks: Array<[number, number]> = []
  for (const i of changed) {
    const from = Math.max(0, i - CONTEXT)
    const to = Math.min(a.lines.length - 1, i + CONTEXT)
    const last = hunks[hunks.length - 1]
    if (last !== undefined && from <= last[1] + 1) last[1] = to
    else hunks.push([from, to])
  }
  const out = [`--- ${path}`, `+++ ${path}`]
  const noNewline = (i: number, side: typeof a) => (i === side.lines.length - 1 && !side.newlineAtEnd ? ['\\ No newline at end of file'] : [])
  for (const [from, to] of hunks) {
    const count = to - from + 1
    out.push(`@@ -${from + 1},${count} +${from + 1},${count} @@`)
    for (let i = from; i <= to; ) {
      if (a.lines[i] === b.lines[i]) {
        out.push(` ${a.lines[i]}`, ...noNewline(i, a))
        i++
        continue
      }
      let j = i
      while (j <= to && a.lines[j] !== b.lines[j]) j++
      for (let k = i; k < j; k++) out.push(`-${a.lines[k]}`, ...noNewline(k, a))
      for (let k = i; k < j; k++) out.push(`+${b.lines[k]}`, ...noNewline(k, b))
      i = j
    }
  }
  return `${out.join('\n')}\n`
}

// -------------------------------------------------------------------------------------
// command
// -------------------------------------------------------------------------------------

/** The tagged entries that can be pinned; the others are reported on stderr. */
const candidatesOf = (file: LoadedConfig, io: Io): ReadonlyArray<Candidate> => {
  const out: Candidate[] = []
  for (const entry of file.images) {
    const where = `${locationOf(file, entry)}: image ${quote(truncate(entry.name))}`
    const { fqn, tag, digest } = Image.parseIdentifier(entry.identifier)
    if (digest !== undefined) continue
    if (tag === undefined) {
      io.note(`${where} (${quote(truncate(entry.identifier))}) has no tag, so there is nothing to pin; give it a tag or a digest.`)
      continue
    }
    if (entry.valueRange === undefined) {
      io.warn(`${where} is not written in one place of its own (a YAML alias, or an INI value over several lines); pin it by hand.`)
      continue
    }
    out.push({ entry: { ...entry, valueRange: entry.valueRange }, image: { name: entry.name, fqn, tag }, tag })
  }
  return out
}

/**
 * `imgcfg pin -c FILE [--write]`.
 *
 * @since 0.1.0
 */
export const pin: Command = {
  main: async (values, _positionals, io) => {
    const loaded = await loadConfig(values, io)
    if (E.isLeft(loaded)) {
      io.error(formatConfigError(loaded.left))
      return 'failed'
    }
    const file = O.toUndefined(loaded.right)
    if (file === undefined) {
      io.error('pin needs a config file: give one with -c FILE.')
      return 'failed'
    }
    const path = file.path ?? STDIN_ORIGIN
    // Value ranges index this text exactly as it was parsed.
    const text = file.text
    const candidates = candidatesOf(file, io)
    const checks = await verifyImages(candidates.map((c) => c.image), registryOptions(values, io, candidates.length))()
    if (reportFailures(checks, io)) return 'failed'
    const edits = new Map<number, Edit>()
    candidates.forEach((candidate, i) => {
      const result = checks[i]!.result as E.Right<ResolvedDigest>
      const edit = pinEdit(text, candidate.entry.valueRange, candidate.tag, result.right.digest)
      if (edit === undefined) {
        io.warn(`${locationOf(file, candidate.entry)}: image ${quote(truncate(candidate.entry.name))}: its tag is not written at the end of the value (interpolated?); pin it by hand.`)
      } else edits.set(edit.start, edit)
    })
    if (edits.size === 0) {
      io.note(`${visible(path)}: nothing to pin (${file.images.length} image${file.images.length === 1 ? '' : 's'}).`)
      return 'ok'
    }
    const pinned = applyEdits(text, [...edits.values()])
    const count = `${edits.size} image${edits.size === 1 ? '' : 's'}`
    if (values.write !== true) {
      io.caps.stdout.write(unifiedDiff(path, text, pinned))
      return 'ok'
    }
    const written = io.caps.fs.writeAtomically(nodePath.resolve(io.caps.cwd, path), text, pinned)
    if (E.isLeft(written)) {
      io.error(written.left)
      return 'failed'
    }
    io.note(`pinned ${count} in ${visible(path)}.`)
    return 'ok'
  },
}
