/**
 * `imgcfg schema`: the JSON Schema of `resolve --format json`.
 *
 * @since 0.1.0
 */
import * as ImageConfig from '@imgcfg/core/ImageConfig'
import type { Command } from '../Command.js'
import { jsonText } from '../Output.js'

/** @since 0.1.0 */
export const schema: Command = {
  main: async (_values, _positionals, io) => {
    io.out(jsonText(ImageConfig.schema()))
    return 'ok'
  },
}
