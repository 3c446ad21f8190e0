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
  /** For a problem: which rule it breaks, and the image its placeholder names, when one does. */
  readonly rule?: string
  readonly imageName?: string
}

const RULES = { 'not-found': 'unknown-image', attribute: 'unknown-attribute', 'no-version': 'no-version' } as const

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** Every template of the scan, resolved; the failing ones are located at their placeholder. */
export const checkTemplates = (scan: TaskScan, config: ImageConfig.ImageConfig): ReadonlyArray<TaskFinding> =>
  scan.files.flatMap((file) =>
    file.templates.map((t): TaskFinding => {
      if (t.prefix !== undefined && /f/i.test(t.prefix)) {
        // Python turns {{ into { in an f-string before flytekit sees the text.
        return {
          path: file.path,
          line: t.line,
          column: t.column,
          template: t.template,
          rule: 'f-string',
          problem: `container_image ${quote(truncate(t.template))} is an f-string: Python turns each {{ into {, so flytekit gets no placeholder and registers the text as it is. Drop the f from ${quote(t.prefix)} (or double the braces again: {{{{ … }}}}).`,
        }
      }
      const image = ContainerImage.getRegisterableContainerImage(t.template, config)
      if (E.isRight(image)) {
        // flytekit registers whatever the template gives; a reference the OCI grammar rejects
        // (a digest pasted after a colon, say) fails only when the pod pulls it.
        const ref = Reference.parse(image.right)
        return {
          path: file.path,
          line: t.line,
          column: t.column,
          template: t.template,
          image: image.right,
          ...(E.isLeft(ref) ? { rule: 'invalid-reference', problem: `container_image ${quote(truncate(t.template))} resolves to a reference no registry accepts. ${formatError(ref.left)}` } : {}),
        }
      }
      const error = image.left
      const at = error._tag === 'ContainerImageError' ? t.placeholders.find((p) => p.offset === error.offset) : undefined
      const rule = error._tag === 'ContainerImageError' ? RULES[error.problem] : error._tag === 'NoDefaultImage' ? 'no-default-image' : 'invalid-template'
      return {
        path: file.path,
        line: at?.line ?? t.line,
        column: at?.column ?? t.column,
        template: t.template,
        problem: formatError(error),
        rule,
        ...(error._tag === 'ContainerImageError' ? { imageName: error.name } : {}),
      }
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
  const templates = checkTemplates(scan, resolved.right.config)
  // A path given on the command line that does not exist is a mistake, not a file to skip.
  const missing = scan.warnings.filter((w) => w.reason === 'missing')
  const findings = sortFindings([
    ...templates.flatMap((t): Finding[] =>
      t.problem === undefined
        ? []
        : [{ file: t.path, line: t.line, column: t.column, severity: 'error', rule: t.rule ?? 'invalid-template', image: t.imageName ?? null, message: t.problem }],
    ),
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
    // templates keep their own shape: the rule and image name are the findings'.
    const shown = templates.map(({ rule: _rule, imageName: _imageName, ...t }) => t)
    io.out(findingsJson(findings, counts, { templates: shown, warnings: scan.warnings }))
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
