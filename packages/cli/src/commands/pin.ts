/**
 * `imgcfg pin -c FILE [--write] [--update]`: a tag moves, so the same config can run different
 * code tomorrow. pin asks the registry which digest each tagged identifier of the file points at
 * now and rewrites it to `fqn:tag@sha256:…` (the digest pins it for docker, containerd and
 * flytekit alike; the tag stays for people): as a unified diff on stdout, or in the file itself
 * with `--write` (an in-place edit after the tag, so comments, order and formatting stay;
 * written to a temporary file in the same directory and renamed over the original).
 * `--update` re-pins the pinned tags that have moved since.
 *
 * @since 0.1.0
 */
import * as nodePath from 'node:path'
import { formatConfigError, type ConfigImage } from '@imgcfg/config-file'
import { quote, truncate, visible } from '@imgcfg/core/errors'
import * as Image from '@imgcfg/core/Image'
import { verifyImages, type ResolvedDigest } from '@imgcfg/registry'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { loadConfig, locationOf, STDIN_ORIGIN, type LoadedConfig } from '../config.js'
import type { Command } from '../Command.js'
import type { Io } from '../Output.js'
import { failuresOf, registryOptions, reportFailures, shortDigest } from './verify.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** One replacement in the text: `[start, end)` becomes `text`. */
export interface Edit {
  readonly start: number
  readonly end: number
  readonly text: string
}

/** A tagged entry of the file that can be pinned (or re-pinned) where it is written. */
interface Candidate {
  readonly entry: ConfigImage & { readonly valueRange: readonly [number, number] }
  /** The tag to resolve. */
  readonly image: Image.Image
  readonly tag: string
  /** The digest it is pinned to already (`--update`). */
  readonly pinned?: string
}

// -------------------------------------------------------------------------------------
// editing
// -------------------------------------------------------------------------------------

/** Whether what follows a tag or digest in the written value is only a closing quote and spaces. */
const endsValue = (rest: string): boolean => /^["']?\s*$/.test(rest)

/**
 * The edit that pins a value as written: `@digest` goes after its `:tag` ending, so the tag stays
 * readable. Works whatever surrounds the tag (YAML quotes, a block scalar, an INI `%(registry)s`
 * prefix); `undefined` when the written value does not end with the tag (an INI tag that comes
 * from interpolation).
 *
 * @example
 * pinEdit('x: "ghcr.io/a:1" # c', [3, 16], '1', 'sha256:…') // { start: 15, end: 15, text: '@sha256:…' }
 */
export const pinEdit = (text: string, range: readonly [number, number], tag: string, digest: string): Edit | undefined => {
  const written = text.slice(range[0], range[1])
  const suffix = `:${tag}`
  const at = written.lastIndexOf(suffix)
  if (at === -1 || !endsValue(written.slice(at + suffix.length))) return undefined
  const end = range[0] + at + suffix.length
  return { start: end, end, text: `@${digest}` }
}

/**
 * The edit that re-pins a value written `…:tag@old`: the digest is replaced; `undefined` when the
 * value does not end with `@old`.
 */
export const repinEdit = (text: string, range: readonly [number, number], old: string, digest: string): Edit | undefined => {
  const written = text.slice(range[0], range[1])
  const at = written.lastIndexOf(`@${old}`)
  if (at === -1 || !endsValue(written.slice(at + old.length + 1))) return undefined
  return { start: range[0] + at + 1, end: range[0] + at + 1 + old.length, text: digest }
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

/** The tag written beside a digest (`app:2.1@sha256:…`), which the parsed identifier drops. */
const tagBesideDigest = (identifier: string): string | undefined => {
  const at = identifier.lastIndexOf('@')
  return at === -1 ? undefined : Image.parseIdentifier(identifier.slice(0, at)).tag
}

/** The tagged entries that can be pinned (and with `update`, the pinned ones); the others are reported on stderr. */
const candidatesOf = (file: LoadedConfig, io: Io, update: boolean): ReadonlyArray<Candidate> => {
  const out: Candidate[] = []
  for (const entry of file.images) {
    const where = `${locationOf(file, entry)}: image ${quote(truncate(entry.name))}`
    const { fqn, tag: bare, digest } = Image.parseIdentifier(entry.identifier)
    const tag = digest !== undefined ? tagBesideDigest(entry.identifier) : bare
    // Pinned already: only --update looks again, and only when the tag was kept to look at.
    if (digest !== undefined && (!update || tag === undefined)) continue
    if (tag === undefined) {
      io.note(`${where} (${quote(truncate(entry.identifier))}) has no tag, so there is nothing to pin; give it a tag or a digest.`)
      continue
    }
    if (entry.valueRange === undefined) {
      io.warn(`${where} is not written in one place of its own (a YAML alias, or an INI value over several lines); pin it by hand.`)
      continue
    }
    out.push({ entry: { ...entry, valueRange: entry.valueRange }, image: { name: entry.name, fqn, tag }, tag, ...(digest !== undefined ? { pinned: digest } : {}) })
  }
  return out
}

/**
 * `imgcfg pin -c FILE [--write] [--update]`.
 *
 * @since 0.1.0
 */
export const pin: Command = {
  main: async (values, _positionals, io) => {
    const loaded = await loadConfig(values, io)
    // run.ts requires -c FILE, so there is always a file (None only satisfies the type).
    if (E.isLeft(loaded) || O.isNone(loaded.right)) {
      io.error(E.isLeft(loaded) ? formatConfigError(loaded.left) : 'pin needs a config file: give one with -c FILE.')
      return 'failed'
    }
    const file = loaded.right.value
    const path = file.path ?? STDIN_ORIGIN
    const update = values.update === true
    // Value ranges index this text exactly as it was parsed.
    const text = file.text
    const candidates = candidatesOf(file, io, update)
    const checks = await verifyImages(candidates.map((c) => c.image), registryOptions(values, io, candidates.length))()
    if (reportFailures(failuresOf(checks), checks.length, io)) return 'failed'
    // By start: two entries of one written value (none today) would edit it once.
    const edits = new Map<number, Edit>()
    const moved: string[] = []
    candidates.forEach((candidate, i) => {
      const { digest } = (checks[i]!.result as E.Right<ResolvedDigest>).right
      const where = `${locationOf(file, candidate.entry)}: image ${quote(truncate(candidate.entry.name))}`
      if (candidate.pinned === digest) return
      const edit =
        candidate.pinned !== undefined
          ? repinEdit(text, candidate.entry.valueRange, candidate.pinned, digest)
          : pinEdit(text, candidate.entry.valueRange, candidate.tag, digest)
      if (edit === undefined) {
        io.warn(`${where}: its ${candidate.pinned !== undefined ? 'digest' : 'tag'} is not written at the end of the value (interpolated?); pin it by hand.`)
        return
      }
      edits.set(edit.start, edit)
      if (candidate.pinned !== undefined) {
        moved.push(`${where}: tag ${quote(truncate(candidate.tag))} has moved: pinned ${shortDigest(candidate.pinned)}, now ${shortDigest(digest)}.`)
      }
    })
    for (const line of moved) io.note(line)
    if (edits.size === 0) {
      const n = file.images.length
      io.note(`${visible(path)}: nothing to ${update ? 'update' : 'pin'} (${n} image${n === 1 ? '' : 's'}).`)
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
    io.note(`${update ? 're-pinned' : 'pinned'} ${count} in ${visible(path)}.`)
    return 'ok'
  },
}
