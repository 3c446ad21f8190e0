/**
 * `imgcfg lint`: problems in a config file that flytekit accepts silently. Findings go to stderr
 * as `file:line:col: message` (like a compiler's diagnostics), sorted by line and column, so
 * stdout is empty when it fails; `--format json` prints them on stdout (findings.ts).
 *
 * @since 0.1.0
 */
import { formatConfigError, type ConfigFile, type ConfigImage } from '@imgcfg/config-file'
import { formatError, quote, truncate, visible } from '@imgcfg/core/errors'
import * as Image from '@imgcfg/core/Image'
import * as Reference from '@imgcfg/core/Reference'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import type { Command } from '../Command.js'
import { loadConfig } from '../config.js'
import { findingsJson, formatFinding, sortFindings, type Finding } from '../findings.js'
import { lintTasks } from './lintTasks.js'

/** A finding of one config-file entry, before it is located in its file. */
interface EntryFinding {
  readonly entry: ConfigImage
  readonly rule: 'default-section' | 'duplicate-name' | 'default-name' | 'invalid-reference' | 'floating'
  readonly message: string
}

/**
 * The findings for one file, in file order. Duplicate names in the text are parse errors
 * already (YAML keys, configparser options); the check here covers whatever reaches the list.
 */
export const lintConfig = (file: ConfigFile): ReadonlyArray<EntryFinding> => {
  const findings: EntryFinding[] = []
  const seen = new Map<string, ConfigImage>()
  for (const entry of file.images) {
    // Shortened like every other message: a 1 MiB name or identifier must not become the finding.
    const name = quote(truncate(entry.name))
    if (entry.fromDefaults === true) {
      findings.push({
        entry,
        rule: 'default-section',
        message: `image ${name} comes from the [DEFAULT] section: configparser copies [DEFAULT] options into [images], so flytekit takes it as an image. Move it out of [DEFAULT] if it is not one.`,
      })
    }
    const first = seen.get(entry.name)
    if (first !== undefined) {
      const at = first.line !== undefined ? ` (first at line ${first.line})` : ''
      findings.push({ entry, rule: 'duplicate-name', message: `duplicate image name ${name}${at}.` })
    } else seen.set(entry.name, entry)
    if (entry.name === 'default') {
      findings.push({
        entry,
        rule: 'default-name',
        message:
          'an image named "default" in a config file is never the default image: flytekit takes that from --image, FLYTE_INTERNAL_IMAGE or its own version, so this entry is shadowed. Rename it, or pass the image with --image.',
      })
    }
    const ref = Reference.parse(entry.identifier)
    if (E.isLeft(ref)) findings.push({ entry, rule: 'invalid-reference', message: `image ${name}: ${formatError(ref.left)}` })
    const id = Image.parseIdentifier(entry.identifier)
    if (id.tag === undefined && id.digest === undefined) {
      findings.push({
        entry,
        rule: 'floating',
        message: `image ${name} (${quote(truncate(entry.identifier))}) has no tag or digest, so it floats: each run may get a different image. Pin it with a tag (:1.0) or a digest (@sha256:…).`,
      })
    }
  }
  return findings
}

/** The findings of a file, located and sorted by line and column. */
const located = (file: ConfigFile, where: string): ReadonlyArray<Finding> =>
  sortFindings(
    lintConfig(file).map((f) => ({
      file: where,
      line: f.entry.line ?? null,
      column: f.entry.line !== undefined ? (f.entry.column ?? null) : null,
      severity: 'error',
      rule: f.rule,
      image: f.entry.name,
      message: f.message,
    })),
  )

/** @since 0.1.0 */
export const lint: Command = {
  main: async (values, positionals, io) => {
    if (values.tasks === true) return lintTasks(values, positionals, io)
    const loaded = await loadConfig(values, io)
    if (E.isLeft(loaded)) {
      io.error(formatConfigError(loaded.left))
      return 'failed'
    }
    if (O.isNone(loaded.right)) {
      io.error(
        values.config === ''
          ? 'No config file to lint (-c was empty).'
          : 'No config file to lint: none given with -c, and none at $FLYTECTL_CONFIG, ./flytekit.config, ~/.flyte/config or ~/.flyte/config.yaml.',
      )
      return 'failed'
    }
    const file = loaded.right.value
    const where = file.path ?? '<stdin>'
    const findings = located(file, where)
    const images = `${file.images.length} image${file.images.length === 1 ? '' : 's'}`
    if (values.format === 'json') {
      io.out(findingsJson(findings, { file: where, images: file.images.length, problems: findings.length }))
      return findings.length === 0 ? 'ok' : 'failed'
    }
    if (findings.length === 0) {
      io.out(`${visible(where)}: ${images}, no problems`)
      return 'ok'
    }
    for (const f of findings) io.caps.stderr.write(`${formatFinding(f)}\n`)
    io.error(`${findings.length} problem${findings.length === 1 ? '' : 's'} in ${visible(where)} (${images}).`)
    return 'failed'
  },
}
