/**
 * `imgcfg image-spec FILE...`: the image flytekit builds for each ImageSpec file (SPEC 7), with
 * its tag and id, computed as flytekit 1.15.4 does, without Python. Nothing is built.
 *
 * @since 0.3.0
 */
import { formatConfigError, loadImageSpec, type LoadedImageSpec } from '@imgcfg/config-file'
import { truncate, visible } from '@imgcfg/core/errors'
import * as E from 'fp-ts/lib/Either.js'
import { stringify } from 'yaml'
import type { Command } from '../Command.js'
import { jsonText } from '../Output.js'
import { table } from '../table.js'

interface Row {
  readonly file: string
  readonly imageName: string
  readonly tag: string
  readonly id: string
}

const row = (file: string, loaded: LoadedImageSpec): Row => ({ file, imageName: loaded.imageName, tag: loaded.tag, id: loaded.id })

/**
 * Computes every file's name; prints them all when each loads, else one located sentence per
 * file that fails (and nothing on stdout).
 *
 * @since 0.3.0
 */
export const imageSpec: Command = {
  main: async (values, files, io) => {
    const { caps } = io
    const results = files.map((file) => ({ file, loaded: loadImageSpec(file, { cwd: caps.cwd, env: caps.env, home: caps.home, fs: caps.fs }) }))
    const failures = results.flatMap((r) => (E.isLeft(r.loaded) ? [r.loaded.left] : []))
    if (failures.length > 0) {
      for (const error of failures) io.error(formatConfigError(error))
      return 'failed'
    }
    const rows = results.map((r) => row(r.file, (r.loaded as E.Right<LoadedImageSpec>).right))
    const format = (values.format as string | undefined) ?? (io.caps.stdout.isTTY === true ? 'table' : 'json')
    if (format === 'json') io.out(jsonText(rows))
    else if (format === 'yaml') io.out(stringify(rows))
    else io.out(table(['FILE', 'IMAGE', 'ID'], rows.map((r) => [visible(truncate(r.file, 60)), r.imageName, r.id]), io.style))
    return 'ok'
  },
}
