/**
 * `imgcfg parse REF`: how an image reference splits. Lenient by default (`Image.parseIdentifier`,
 * what flytekit does, never fails); `--strict` is the OCI grammar (`Reference.parse`);
 * `--normalize` adds Docker Hub's defaults and the familiar form (`Reference.parseNormalizedNamed`).
 *
 * @since 0.1.0
 */
import { formatError } from '@imgcfg/core/errors'
import * as Image from '@imgcfg/core/Image'
import * as Reference from '@imgcfg/core/Reference'
import * as E from 'fp-ts/lib/Either.js'
import type { Command, Values } from '../Command.js'
import { jsonText } from '../Output.js'
import { fields as fieldLines } from '../table.js'

const LENIENT_FIELDS = ['fqn', 'tag', 'digest'] as const
const STRICT_FIELDS = ['name', 'domain', 'path', 'tag', 'digest'] as const
const NORMALIZED_FIELDS = [...STRICT_FIELDS, 'familiar'] as const

const parseRef = (
  ref: string,
  values: Values,
): E.Either<string, { readonly parsed: object; readonly fields: ReadonlyArray<string> }> => {
  if (values.normalize === true) {
    return E.bimap(formatError, (parsed: object) => ({ parsed, fields: NORMALIZED_FIELDS }))(
      Reference.parseNormalizedNamed(ref),
    )
  }
  if (values.strict === true) {
    return E.bimap(formatError, (parsed: object) => ({ parsed, fields: STRICT_FIELDS }))(Reference.parse(ref))
  }
  return E.right({ parsed: Image.parseIdentifier(ref), fields: LENIENT_FIELDS })
}

/** @since 0.1.0 */
export const parse: Command = {
  main: async (values, [ref], io) => {
    // The lenient split never fails, but an empty argument is a mistake (an unset shell
    // variable, say), not a reference with an empty fqn. The strict parsers say so themselves.
    if (ref === '' && values.strict !== true && values.normalize !== true) {
      io.error('Nothing to parse: the reference is empty. Give an image reference, e.g. ghcr.io/org/app:1.0.')
      return 'failed'
    }
    const result = parseRef(ref!, values)
    if (E.isLeft(result)) {
      io.error(result.left)
      return 'failed'
    }
    const { parsed, fields } = result.right
    const format = (values.format as string | undefined) ?? (io.caps.stdout.isTTY === true ? 'table' : 'json')
    // JSON is exactly what the library returned: absent parts are absent.
    io.out(format === 'json' ? jsonText(parsed) : fieldLines(parsed as Record<string, unknown>, fields, io.style))
    return 'ok'
  },
}
