// Runs library calls for the corpus in a child process, so that a call that hangs can be killed
// without taking the test runner with it. Reads a JSON list of jobs from the file named in argv;
// prints one JSON line when a job starts and one with its outcome when it ends.
//
// A job is { id, calls: { [check]: { fn, args } } }; each outcome is { right } or { left,
// message } (message = formatError(left)) or { threw } — a throw is a bug the corpus reports.
import { readFileSync } from 'node:fs'
import { DefaultImages, Image, ImageConfig, ImageFlag, Reference } from '@imgcfg/core'
import { formatConfigError as formatError, getConfigFile, loadConfigFile, loadImageSpec, parseConfigText, specifiedImages } from '@imgcfg/config-file'
import { parseImageSpecText } from '@imgcfg/config-file/text'
import * as ImageSpec from '@imgcfg/core/ImageSpec'
import * as O from 'fp-ts/lib/Option.js'
import { abbreviate } from './values.mjs'

const either = (r, map = (x) => x) =>
  r._tag === 'Left' ? { left: r.left._tag, message: formatError(r.left) } : { right: map(r.right) }

const configImages = (cfg) => specifiedImages(cfg)

/** A spec parsed from text alone names no files, so its image name needs no digests. */
const specImageName = (spec) => {
  const name = ImageSpec.imageName(spec)
  return name._tag === 'Right' ? name.right : `imageName failed: ${formatError(name.left)}`
}

/** The library functions a case may call, each turning its result into plain JSON. */
const FUNCTIONS = {
  parseIdentifier: (s) => ({ right: Image.parseIdentifier(s) }),
  lookUpImageInfo: (name, s, allow, options) => either(Image.lookUpImageInfo(name, s, allow, options)),
  referenceParse: (s) => either(Reference.parse(s)),
  parseNormalizedNamed: (s) => either(Reference.parseNormalizedNamed(s)),
  imageFlagParse: (s) => ({ right: ImageFlag.parse(s) }),
  validateImage: (values, options) => either(ImageConfig.validateImage(values, options), ImageConfig.toDict),
  fromJson: (text) => either(ImageConfig.fromJson(text), ImageConfig.toDict),
  fromJsonFile: (path) => either(ImageConfig.fromJson(readFileSync(path, 'utf8')), ImageConfig.toDict),
  fromImages: (dflt, map) => either(ImageConfig.fromImages(dflt, map), ImageConfig.toDict),
  findImageFor: (options) => either(DefaultImages.findImageFor(options)),
  parseConfigText: (text, options) => either(parseConfigText(text, options), configImages),
  parseConfigFileText: (path, options) => either(parseConfigText(readFileSync(path, 'utf8'), options), configImages),
  loadConfigFile: (path, options) => either(loadConfigFile(path, options), configImages),
  imageSpecFileText: (path, options) => either(parseImageSpecText(readFileSync(path, 'utf8'), options), specImageName),
  loadImageSpec: (path, cwd) => either(loadImageSpec(path, { cwd }), (loaded) => loaded.imageName),
  getConfigFile: (path, context) =>
    either(getConfigFile(path ?? undefined, { ...context, warn: () => undefined }), (o) =>
      O.isNone(o) ? null : { source: o.value.source ?? null, images: configImages(o.value), warnings: o.value.warnings ?? [] },
    ),
}

/** Runs one call; a throw is caught and reported as an outcome, never allowed to escape. */
const call = ({ fn, args }) => {
  const f = FUNCTIONS[fn]
  if (f === undefined) return { threw: `unknown function ${fn}` }
  try {
    const outcome = f(...args)
    return 'right' in outcome ? { right: abbreviate(outcome.right) } : outcome
  } catch (e) {
    return { threw: e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 500) : String(e).slice(0, 500) }
  }
}

// What a clean Object.prototype looks like; every job is checked against it afterwards.
const PROTOTYPE_KEYS = Reflect.ownKeys(Object.prototype).map(String).sort().join(',')
const polluted = () => Reflect.ownKeys(Object.prototype).map(String).sort().join(',') !== PROTOTYPE_KEYS || {}.polluted !== undefined

{
  const jobs = JSON.parse(readFileSync(process.argv[2], 'utf8'))
  for (const job of jobs) {
    process.stdout.write(`${JSON.stringify({ start: job.id })}\n`)
    const started = performance.now()
    const outcomes = {}
    for (const [check, c] of Object.entries(job.calls)) outcomes[check] = call(c)
    const ms = Math.round(performance.now() - started)
    process.stdout.write(`${JSON.stringify({ id: job.id, ms, outcomes, polluted: polluted() })}\n`)
  }
}
