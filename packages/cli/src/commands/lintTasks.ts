/**
 * `imgcfg lint --tasks PATH...`: every task image template in the Python files under the paths,
 * resolved against the configuration `imgcfg resolve` gives for the same options. Reports
 * `file:line:column: message` for each placeholder flytekit would fail on (an image the
 * configuration lacks, an attribute it rejects) and each template that resolves to a reference
 * the OCI grammar rejects, sorted, then a summary.
 *
 * @since 0.2.0
 */
import { scanTaskFiles, type TaskScan } from '@imgcfg/config-file'
import * as ContainerImage from '@imgcfg/core/ContainerImage'
import { formatError, quote, truncate, visible } from '@imgcfg/core/errors'
import type * as ImageConfig from '@imgcfg/core/ImageConfig'
import * as Reference from '@imgcfg/core/Reference'
import * as E from 'fp-ts/lib/Either.js'
import type { Values } from '../Command.js'
import { findingsJson, formatFinding, sortFindings, type Finding } from '../findings.js'
import type { Io } from '../Output.js'
import { resolveConfig } from './resolve.js'

/** One template of the scan, with what it resolves to or why it fails, located in its file. */
export interface TaskFinding {
  readonly path: string
  readonly line: number
  readonly column: number
  readonly template: string
  readonly image?: string
  readonly problem?: string
}

/** A template, and the finding it makes when it fails. */
export interface CheckedTemplate {
  readonly template: TaskFinding
  readonly finding?: Finding
}

const RULES = { 'not-found': 'unknown-image', attribute: 'unknown-attribute', 'no-version': 'no-version' } as const

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** A failing template as a finding: at its placeholder, by the rule it breaks. */
const failed = (template: TaskFinding & { readonly problem: string }, rule: string, image?: string): CheckedTemplate => ({
  template,
  finding: { file: template.path, line: template.line, column: template.column, severity: 'error', rule, image: image ?? null, message: template.problem },
})

/** Every template of the scan, resolved; the failing ones are located at their placeholder. */
export const checkTemplates = (scan: TaskScan, config: ImageConfig.ImageConfig): ReadonlyArray<CheckedTemplate> =>
  scan.files.flatMap((file) =>
    file.templates.map((t): CheckedTemplate => {
      const at = { path: file.path, line: t.line, column: t.column, template: t.template }
      if (t.prefix !== undefined && /f/i.test(t.prefix)) {
        // Python turns {{ into { in an f-string before flytekit sees the text.
        const problem = `container_image ${quote(truncate(t.template))} is an f-string: Python turns each {{ into {, so flytekit gets no placeholder and registers the text as it is. Drop the f from ${quote(t.prefix)} (or double the braces again: {{{{ … }}}}).`
        return failed({ ...at, problem }, 'f-string')
      }
      const image = ContainerImage.getRegisterableContainerImage(t.template, config)
      if (E.isRight(image)) {
        // flytekit registers whatever the template gives; a reference the OCI grammar rejects
        // (a digest pasted after a colon, say) fails only when the pod pulls it.
        const ref = Reference.parse(image.right)
        if (E.isRight(ref)) return { template: { ...at, image: image.right } }
        const problem = `container_image ${quote(truncate(t.template))} resolves to a reference no registry accepts. ${formatError(ref.left)}`
        return failed({ ...at, image: image.right, problem }, 'invalid-reference')
      }
      const error = image.left
      if (error._tag !== 'ContainerImageError') {
        return failed({ ...at, problem: formatError(error) }, error._tag === 'NoDefaultImage' ? 'no-default-image' : 'invalid-template')
      }
      const placeholder = t.placeholders.find((p) => p.offset === error.offset)
      const where = { ...at, line: placeholder?.line ?? t.line, column: placeholder?.column ?? t.column }
      return failed({ ...where, problem: formatError(error) }, RULES[error.problem], error.name)
    }),
  )

/** A progress line on a terminal, once a scan takes longer than a second. */
const progress = (io: Io): { readonly onFile: (n: number) => void; readonly done: () => void } => {
  const start = Date.now()
  let shown = false
  return {
    onFile: (n) => {
      if (io.caps.stderr.isTTY !== true || n % 25 !== 0 || Date.now() - start < 1_000) return
      shown = true
      io.caps.stderr.write(`\rimgcfg: scanning… ${n} files`)
    },
    done: () => {
      if (shown) io.caps.stderr.write('\r\u001b[K')
    },
  }
}

export const lintTasks = async (values: Values, paths: ReadonlyArray<string>, io: Io): Promise<'ok' | 'failed'> => {
  const resolved = await resolveConfig(values, io)
  if (E.isLeft(resolved)) {
    io.error(resolved.left)
    return 'failed'
  }
  const bar = progress(io)
  const scan = await scanTaskFiles(paths.length > 0 ? paths : ['.'], { cwd: io.caps.cwd, fs: io.caps.fs, onFile: bar.onFile })
  bar.done()
  const checked = checkTemplates(scan, resolved.right.config)
  const templates = checked.map((c) => c.template)
  const findings = sortFindings([
    ...checked.flatMap((c) => (c.finding !== undefined ? [c.finding] : [])),
    // A PATH given that does not exist is a mistake, not a file to skip: an error.
    ...scan.warnings.map((w): Finding => ({
      file: w.path,
      line: null,
      column: null,
      severity: w.reason === 'missing' ? 'error' : 'warning',
      rule: w.reason === 'missing' ? 'missing-path' : w.reason,
      image: null,
      message: w.reason === 'missing' ? `${w.message} (a PATH given to lint --tasks)` : w.message,
    })),
  ])
  const problems = findings.filter((f) => f.severity === 'error')
  const summary = `${plural(templates.length, 'template')} in ${plural(scan.files.length, 'file')} (${plural(scan.filesScanned, 'file')} scanned), ${problems.length === 0 ? 'no problems' : plural(problems.length, 'problem')}`
  if (values.format === 'json') {
    const counts = { templates: templates.length, files: scan.files.length, filesScanned: scan.filesScanned, problems: problems.length }
    io.out(findingsJson(findings, counts, { templates, warnings: scan.warnings }))
    return problems.length === 0 ? 'ok' : 'failed'
  }
  for (const w of scan.warnings) if (w.reason !== 'missing') io.warn(`${visible(w.path)}: ${w.message}`)
  if (problems.length === 0) {
    io.out(`${summary}.`)
    return 'ok'
  }
  for (const f of problems) io.caps.stderr.write(`${formatFinding(f)}\n`)
  io.error(`${summary}.`)
  return 'failed'
}
