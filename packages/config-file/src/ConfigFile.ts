/**
 * Config files as text: the flytectl YAML and legacy INI formats, parsed without any file
 * system, so the browser playground can use them. Loading and discovery live in `./node.ts`.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { ConfigError } from './errors.js'
import * as Image from '@imgcfg/core/Image'
import * as ImageConfig from '@imgcfg/core/ImageConfig'
import { readIni, sectionItems, type IniOption } from './ini.js'
import { parseYamlImages, type ConfigImage } from './yaml.js'

export type { ConfigImage } from './yaml.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The two config-file formats. */
export type ConfigFormat = 'yaml' | 'ini'

/** How discovery chose a file (absent when the caller named it or passed text). */
export type ConfigSource =
  | 'explicit'
  | '_FLYTECTL_CONFIG_PYFLYTE_OVERRIDE'
  | 'FLYTECTL_CONFIG'
  | './flytekit.config'
  | '~/.flyte/config'
  | '~/.flyte/config.yaml'

/**
 * A parsed config file: where it came from and the images it declares, in file order.
 *
 * @since 0.1.0
 */
export interface ConfigFile {
  readonly path?: string
  readonly format: ConfigFormat
  readonly images: ReadonlyArray<ConfigImage>
  readonly source?: ConfigSource
  /** Things worth telling the user that are not errors (e.g. a skipped FLYTECTL_CONFIG). */
  readonly warnings?: ReadonlyArray<string>
}

/** Options of `parseConfigText`. */
export interface ParseOptions {
  readonly format: ConfigFormat
  /** The file name used in messages and stored as `path`. */
  readonly origin?: string
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * The format a file name implies, case-insensitively: `.yaml`/`.yml` is YAML, anything else INI.
 *
 * @example
 * import { formatFromPath } from '@imgcfg/config-file'
 * formatFromPath('config.YAML') // 'yaml'
 *
 * @since 0.1.0
 */
export const formatFromPath = (path: string): ConfigFormat => (/\.ya?ml$/i.test(path) ? 'yaml' : 'ini')

/**
 * Guesses the format of a text with no file name: INI when the first line that is neither blank
 * nor a comment is a `[section]` header, else YAML.
 *
 * @example
 * import { detectFormat } from '@imgcfg/config-file'
 * detectFormat('# legacy\n[images]\na=x:1\n') // 'ini'
 *
 * @since 0.1.0
 */
export const detectFormat = (text: string): ConfigFormat => {
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue
    return /^\[[^\]]+\]/.test(line) ? 'ini' : 'yaml'
  }
  return 'yaml'
}

const IMAGES_SECTION = 'images'

const parseIniImages = (text: string, origin: string | undefined): E.Either<ConfigError, ReadonlyArray<ConfigImage>> => {
  const opts = origin !== undefined ? { origin } : {}
  const read = readIni(text, opts)
  if (E.isLeft(read)) return read
  const { doc, valueStarts, defaultValueStarts } = read.right
  // readIni has refused an [internal] section already, as flytekit does.
  const index = doc.sections.findIndex((s) => s.name === IMAGES_SECTION)
  if (index === -1) return E.right([])
  const section = doc.sections[index]!
  if (doc.defaults.length === 0 && !text.includes('%')) {
    // Nothing to merge or interpolate: sectionItems would give the section's options as written,
    // in file order. (No '%' in the whole text is quicker to find out than none in any value.)
    const starts = valueStarts[index]!
    return E.right(section.options.map((option, i) => configImage(option.name, option.value, option, starts[i]!)))
  }
  const items = sectionItems(doc, IMAGES_SECTION, opts)
  if (E.isLeft(items)) return items
  // flytekit iterates the section proxy: the section's own options in file order, then the
  // [DEFAULT] options it does not override (configparser's items() would put defaults first).
  const position = new Map(section.options.map((option, i) => [option.name, i]))
  const own = items.right.filter(([name]) => position.has(name))
  own.sort(([a], [b]) => position.get(a)! - position.get(b)!)
  const inherited = items.right.filter(([name]) => !position.has(name))
  const starts = new Map<IniOption, number>()
  section.options.forEach((option, i) => starts.set(option, valueStarts[index]![i]!))
  doc.defaults.forEach((option, i) => starts.set(option, defaultValueStarts[i]!))
  return E.right([
    ...own.map(([name, identifier, option]) => configImage(name, identifier, option, starts.get(option)!)),
    ...inherited.map(([name, identifier, option]): ConfigImage => ({ ...configImage(name, identifier, option, starts.get(option)!), fromDefaults: true })),
  ])
}

/** An INI image; its value range when the raw value is one line, starting at offset `start`. */
const configImage = (name: string, identifier: string, option: IniOption, start: number): ConfigImage =>
  option.value.includes('\n')
    ? { name, identifier, line: option.line, column: option.column }
    : { name, identifier, line: option.line, column: option.column, valueRange: [start, start + option.value.length] }

/**
 * Parses config-file text. Pure and browser-safe; every error carries the origin, line and column.
 *
 * @example
 * import { parseConfigText } from '@imgcfg/config-file'
 * parseConfigText('[images]\ngpu=ghcr.io/org/gpu:1\n', { format: 'ini', origin: 'flytekit.config' })
 *
 * @since 0.1.0
 */
export const parseConfigText = (text: string, options: ParseOptions): E.Either<ConfigError, ConfigFile> => {
  if (typeof text !== 'string') {
    return E.left({ _tag: 'InvalidArgument', fn: 'parseConfigText', message: 'expected the text of a config file' })
  }
  const format: ConfigFormat = options?.format === 'ini' ? 'ini' : 'yaml'
  const origin = typeof options?.origin === 'string' ? options.origin : undefined
  // A UTF-8 byte-order mark is an editor artefact, not content.
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text
  const images = format === 'yaml' ? parseYamlImages(body, origin) : parseIniImages(body, origin)
  // Value ranges index the text as given, byte-order mark included.
  const shift = text.length - body.length
  const shifted = (image: ConfigImage): ConfigImage =>
    shift === 0 || image.valueRange === undefined
      ? image
      : { ...image, valueRange: [image.valueRange[0] + shift, image.valueRange[1] + shift] }
  return E.map((list: ReadonlyArray<ConfigImage>): ConfigFile => ({
    ...(origin !== undefined ? { path: origin } : {}),
    format,
    images: shift === 0 ? list : list.map(shifted),
  }))(images)
}

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/**
 * The `[name, identifier]` pairs a config file declares, in file order.
 *
 * @example
 * import { specifiedImages } from '@imgcfg/config-file'
 * specifiedImages({ format: 'yaml', images: [{ name: 'a', identifier: 'x:1' }] }) // [['a', 'x:1']]
 *
 * @since 0.1.0
 */
export const specifiedImages = (cfg: ConfigFile): ReadonlyArray<readonly [name: string, identifier: string]> =>
  (cfg?.images ?? []).map((image) => [image.name, image.identifier] as const)

/**
 * The pure heart of `auto`: a default image from `imgName` (tag required, none when empty) and
 * the file's images (tags optional).
 *
 * @example
 * import { imageConfigFromFile } from '@imgcfg/config-file'
 * imageConfigFromFile({ format: 'yaml', images: [{ name: 'a', identifier: 'x' }] }, 'base:1')
 *
 * @since 0.1.0
 */
export const imageConfigFromFile = (
  cfg: ConfigFile | undefined,
  imgName?: string,
): E.Either<ConfigError, ImageConfig.ImageConfig> => {
  let dflt: Image.Image | undefined
  if (imgName !== undefined && imgName !== null && imgName !== '') {
    const looked = Image.lookUpImageInfo('default', imgName, false)
    if (E.isLeft(looked)) return looked
    dflt = looked.right
  }
  const entries = cfg?.images ?? []
  // ImageConfig.createFrom(dflt, others), built in place: every image here comes from
  // lookUpImageInfo, so createFrom's filter and copies would only allocate.
  const images: Image.Image[] = dflt === undefined ? [] : [dflt]
  for (let i = 0; i < entries.length; i++) {
    const looked = Image.lookUpImageInfo(entries[i]!.name, entries[i]!.identifier, true)
    if (E.isLeft(looked)) return looked
    images.push(looked.right)
  }
  return E.right(dflt === undefined ? { images } : { defaultImage: dflt, images })
}

/**
 * What `pyflyte run` does with a config file: the file's images whose names `config.images`
 * lacks are appended after the config's own; the config's default stays.
 *
 * @example
 * import { patchWithFile } from '@imgcfg/config-file'
 * import * as ImageConfig from '@imgcfg/core/ImageConfig'
 * patchWithFile({ format: 'yaml', images: [{ name: 'a', identifier: 'x:1' }] }, ImageConfig.createFrom())
 *
 * @since 0.1.0
 */
export const patchWithFile = (
  cfg: ConfigFile | undefined,
  config: ImageConfig.ImageConfig,
): E.Either<ConfigError, ImageConfig.ImageConfig> => {
  if (cfg === undefined) return E.right(config)
  const fromFile = imageConfigFromFile(cfg)
  if (E.isLeft(fromFile)) return fromFile
  const own = new Set(config.images.map((image) => image.name))
  const images = [...config.images, ...fromFile.right.images.filter((image) => !own.has(image.name))]
  return E.right(config.defaultImage ? { defaultImage: config.defaultImage, images } : { images })
}
