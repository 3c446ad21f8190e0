/**
 * The playground's ImageSpec pane, as data: a pasted ImageSpec YAML file read by config-file's
 * `parseImageSpecText` (PyYAML's `safe_load` rules) and named by core's `ImageSpec` (SPEC 7,
 * the functions `imgcfg image-spec` calls too). The page computes nothing itself.
 */
import { formatConfigError, parseImageSpecText } from '@imgcfg/config-file/text'
import * as ImageSpec from '@imgcfg/core/ImageSpec'
import * as E from 'fp-ts/lib/Either.js'

/** What the pane shows for the text in its box. */
export type ImageSpecAnswer =
  | {
      readonly ok: true
      /** `[registry/]name:tag`, the image `pyflyte` builds (or finds and skips building). */
      readonly imageName: string
      readonly tag: string
      readonly id: string
      /** The exact text flytekit MD5-hashes for the tag. */
      readonly hashed: string
    }
  | { readonly ok: false; readonly message: string; readonly line?: number; readonly column?: number }

/** The file name the pane's messages use. */
export const SPEC_FILE = 'imagespec.yaml'

// A page cannot read the files a spec names; the CLI can, from the working directory.
const FILES_HINT = ` A page cannot read files: run \`imgcfg image-spec ${SPEC_FILE}\` where pyflyte runs (paths are relative to the working directory).`

/**
 * The answer for one ImageSpec text; `undefined` for an empty box.
 *
 * @example
 * imageSpecAnswer('name: app\npython_version: "3.11"\n')
 * // { ok: true, imageName: 'app:…', tag: '…', id: '…', hashed: "{'name': 'app', …}" }
 */
export const imageSpecAnswer = (text: string): ImageSpecAnswer | undefined => {
  if (text.trim() === '') return undefined
  const parsed = parseImageSpecText(text, { origin: SPEC_FILE })
  if (E.isLeft(parsed)) {
    const e = parsed.left
    const at = 'line' in e && typeof e.line === 'number' ? { line: e.line, ...('column' in e && typeof e.column === 'number' ? { column: e.column } : {}) } : {}
    return { ok: false, message: formatConfigError(e), ...at }
  }
  const spec = parsed.right
  const imageName = ImageSpec.imageName(spec)
  const tag = ImageSpec.tag(spec)
  const hashed = ImageSpec.tagText(spec)
  if (E.isLeft(imageName) || E.isLeft(tag) || E.isLeft(hashed)) {
    const e = E.isLeft(imageName) ? imageName.left : E.isLeft(tag) ? tag.left : (hashed as E.Left<never>).left
    const needsFiles = e._tag === 'InvalidImageSpec' && e.problem === 'missing-file-digest'
    return { ok: false, message: `${formatConfigError(e)}${needsFiles ? `.${FILES_HINT}` : ''}` }
  }
  return { ok: true, imageName: imageName.right, tag: tag.right, id: ImageSpec.id(spec), hashed: hashed.right }
}
