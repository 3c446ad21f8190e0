/**
 * `imgcfg default-image`: flytekit's `DefaultImages.default_image()` on this machine.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { chooseDefaultImage } from '../defaults.js'
import type { Command } from '../Command.js'

/** @since 0.1.0 */
export const defaultImage: Command = {
  main: async (values, _positionals, io) => {
    const chosen = await chooseDefaultImage(values, io)
    if (E.isLeft(chosen)) {
      io.error(chosen.left)
      return 'failed'
    }
    io.out(chosen.right.image)
    return 'ok'
  },
}
