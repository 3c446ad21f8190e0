/**
 * `imgcfg task-image TEMPLATE...`: the image each task's `container_image` gets, resolved as
 * flytekit registers it (`get_registerable_container_image`, SPEC 6) against the configuration
 * `imgcfg resolve` gives for the same options.
 *
 * @since 0.2.0
 */
import * as ContainerImage from '@imgcfg/core/ContainerImage'
import { formatError, truncate, visible, type ImgcfgError } from '@imgcfg/core/errors'
import * as E from 'fp-ts/lib/Either.js'
import { stringify } from 'yaml'
import type { Command } from '../Command.js'
import { jsonText } from '../Output.js'
import { table } from '../table.js'
import { resolveConfig } from './resolve.js'

/**
 * Resolves every template; prints them all when each resolves, else one located sentence per
 * template that fails (and nothing on stdout).
 *
 * @since 0.2.0
 */
export const taskImage: Command = {
  main: async (values, templates, io) => {
    const resolved = await resolveConfig(values, io)
    if (E.isLeft(resolved)) {
      io.error(resolved.left)
      return 'failed'
    }
    const config = resolved.right.config
    const results = templates.map((template) => ({ template, image: ContainerImage.getRegisterableContainerImage(template, config) }))
    const failures = results.flatMap((r, i) => (E.isLeft(r.image) ? [{ index: i, error: r.image.left }] : []))
    if (failures.length > 0) {
      for (const { index, error } of failures) io.error(describe(index, templates.length, error))
      return 'failed'
    }
    const rows = results.map((r) => ({ template: r.template, image: (r.image as E.Right<string>).right }))
    const format = (values.format as string | undefined) ?? (io.caps.stdout.isTTY === true ? 'table' : 'json')
    if (format === 'json') io.out(jsonText(rows))
    else if (format === 'yaml') io.out(stringify(rows))
    else io.out(table(['TEMPLATE', 'IMAGE'], rows.map((r) => [shown(r.template), r.image]), io.style))
    return 'ok'
  },
}

// The message names the template and the offset already; with several, say which argument.
const describe = (index: number, count: number, error: ImgcfgError): string =>
  count === 1 ? formatError(error) : `template ${index + 1}: ${formatError(error)}`

// A template is the user's text: shortened and made visible before it reaches a terminal.
const shown = (template: string): string => visible(truncate(template))
