/**
 * `imgcfg verify`: asks the registries whether every image of the configuration `imgcfg resolve`
 * gives exists, so a typo or a deleted tag is found at the keyboard rather than when the task
 * fails to pull on the cluster; and whether a pinned tag (`name:tag@sha256:…`) still points at
 * its digest. Also the registry options and the progress line `pin` shares.
 *
 * @since 0.1.0
 */
import * as Image from '@imgcfg/core/Image'
import * as ImageFlag from '@imgcfg/core/ImageFlag'
import { visible } from '@imgcfg/core/errors'
import {
  describeMediaType,
  formatRegistryError,
  isMissing,
  verifyImages,
  type ImageCheck,
  type RegistryOptions,
  type ResolveError,
  type ResolvedDigest,
} from '@imgcfg/registry'
import * as nodePath from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import type { Command, Values } from '../Command.js'
import { jsonText, type Io } from '../Output.js'
import { table } from '../table.js'
import { resolveConfig, type Resolved } from './resolve.js'

// -------------------------------------------------------------------------------------
// registry options
// -------------------------------------------------------------------------------------

/** More images than this get a progress line on a terminal. */
const PROGRESS_THRESHOLD = 3

/** `10`, `2.5s` or `500ms` (run.ts has checked the form and the range). */
const timeoutMs = (value: string | undefined): number | undefined => {
  const match = value === undefined ? null : /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(value)
  return match === null ? undefined : Number(match[1]) * (match[2] === 'ms' ? 1 : 1000)
}

/** The registry options from --insecure-registry, --docker-config and --timeout. */
export const registryOptions = (values: Values, io: Io, total: number): RegistryOptions => {
  const { caps } = io
  const dockerConfig = values['docker-config'] as string | undefined
  const timeout = timeoutMs(values.timeout as string | undefined)
  return {
    insecureRegistries: (values['insecure-registry'] ?? []) as ReadonlyArray<string>,
    ...(dockerConfig !== undefined ? { dockerConfig: nodePath.resolve(caps.cwd, dockerConfig) } : {}),
    ...(timeout !== undefined ? { timeoutMs: timeout } : {}),
    env: caps.env,
    home: caps.home,
    ...(caps.stderr.isTTY === true && total > PROGRESS_THRESHOLD ? { onProgress: progressLine(io) } : {}),
  }
}

/** `imgcfg: checking images 3/12` on one terminal line, rewritten in place and cleared at the end. */
const progressLine =
  (io: Io) =>
  (done: number, total: number): void => {
    io.caps.stderr.write(done < total ? `\rimgcfg: checking images ${done}/${total}` : '\r\u001b[K')
  }

// -------------------------------------------------------------------------------------
// reporting
// -------------------------------------------------------------------------------------

/**
 * One image that failed: missing, not checkable, a pinned tag that has moved, or the image of an
 * ImageSpec file that is not in the registry yet (`pyflyte` builds it).
 */
export interface Failure {
  readonly name: string
  readonly kind: 'missing' | 'error' | 'moved' | 'not-built'
  readonly message: string
}

/** `sha256:0123abcd…`: enough to tell digests apart in a table; JSON has them whole. */
export const shortDigest = (digest: string): string => {
  const colon = digest.indexOf(':')
  return colon !== -1 && digest.length > colon + 13 ? `${digest.slice(0, colon + 13)}…` : digest
}

/** Every digest inside a reference, shortened. */
const shortDigests = (reference: string): string => reference.replace(/([a-z0-9]+:[a-f0-9]{12})[a-f0-9]{20,}/g, '$1…')

/** The failures of a check as `Failure`s. */
export const failuresOf = (checks: ReadonlyArray<ImageCheck>): ReadonlyArray<Failure> =>
  checks.flatMap((c) =>
    E.isLeft(c.result) ? [{ name: c.image.name, kind: isMissing(c.result.left) ? ('missing' as const) : ('error' as const), message: formatRegistryError(c.result.left) }] : [],
  )

/**
 * Failures on stderr: a header line and one line per image. Returns whether there were any.
 */
export const reportFailures = (failures: ReadonlyArray<Failure>, total: number, io: Io): boolean => {
  if (failures.length === 0) return false
  const kinds = new Set(failures.map((f) => f.kind))
  const one = failures.length === 1
  const what =
    kinds.size > 1
      ? 'could not be verified'
      : kinds.has('missing')
        ? one ? 'does not exist' : 'do not exist'
        : kinds.has('moved')
          ? one ? 'has moved' : 'have moved'
          : kinds.has('not-built')
            ? one ? 'is not built yet' : 'are not built yet'
            : 'could not be verified'
  const count = one && total === 1 ? 'The image' : `${failures.length} of ${total} images`
  const names = failures.map((f) => visible(f.name))
  const width = Math.max(...names.map((n) => n.length))
  io.error(`${count} ${what}:\n${failures.map((f, i) => `  ${names[i]!.padEnd(width)}  ${f.message}`).join('\n')}`)
  return true
}

/**
 * The tag written beside the digest of each image (`app:2.1@sha256:…`), by index: what the
 * resolved image no longer carries (the digest pins it; the tag is only a label, as in flytekit).
 */
const writtenTags = (values: Values, resolved: Resolved): ReadonlyArray<string | undefined> => {
  const flags = (values.image ?? []) as ReadonlyArray<string>
  const tagBesideDigest = (identifier: string | undefined): string | undefined => {
    const at = identifier?.lastIndexOf('@') ?? -1
    return at === -1 ? undefined : Image.parseIdentifier(identifier!.slice(0, at)).tag
  }
  return resolved.config.images.map((image, i) => {
    if (image.digest === undefined) return undefined
    const origin = resolved.origins[i]
    if (origin?.kind === 'flag') return tagBesideDigest(ImageFlag.parse(flags[origin.index] ?? '').identifier)
    if (origin?.kind === 'config' && resolved.file !== undefined) {
      const entries = resolved.file.images.filter((e) => e.name === image.name)
      const entry = entries.find((e) => e.line === origin.line && e.column === origin.column) ?? entries.at(-1)
      return tagBesideDigest(entry?.identifier)
    }
    return undefined
  })
}

/** What `verify --format json` prints for one image: every key always there (null when it does not apply). */
interface JsonImage {
  readonly name: string
  readonly reference: string
  readonly status: 'ok' | 'missing' | 'error' | 'moved' | 'not-built'
  readonly digest: string | null
  readonly mediaType: string | null
  readonly tag: string | null
  /** For a pinned tag: the digest it points at now. */
  readonly tagDigest: string | null
  readonly error: string | null
}

// -------------------------------------------------------------------------------------
// commands
// -------------------------------------------------------------------------------------

/**
 * `imgcfg verify`: checks every image `imgcfg resolve` resolves (the manifest of its tag, or of
 * its digest when it is pinned, read and hashed), and for a pinned image that names its tag
 * (`name:tag@sha256:…`) whether the tag still points there; exits 1 listing those that are
 * missing, could not be checked or have moved, or 3 when the only missing images are those of
 * ImageSpec files, which `pyflyte` would build.
 *
 * @since 0.1.0
 */
export const verify: Command = {
  main: async (values, _positionals, io) => {
    // What verify checks is, by construction, exactly what `imgcfg resolve` prints.
    const resolved = await resolveConfig(values, io)
    if (E.isLeft(resolved)) {
      io.error(resolved.left)
      return 'failed'
    }
    const images = resolved.right.config.images
    const tags = writtenTags(values, resolved.right)
    // A pinned tag is asked about too: what it points at now.
    const tagImages = images.flatMap((image, i) => (tags[i] !== undefined ? [{ name: image.name, fqn: image.fqn, tag: tags[i] }] : []))
    const checks = await verifyImages([...images, ...tagImages], registryOptions(values, io, images.length + tagImages.length))()
    const tagChecks = new Map<number, E.Either<ResolveError, ResolvedDigest>>()
    let next = images.length
    images.forEach((_image, i) => {
      if (tags[i] !== undefined) tagChecks.set(i, checks[next++]!.result)
    })

    const failures: Failure[] = []
    // The keys in one order, always.
    const ordered = (r: JsonImage): JsonImage => ({
      name: r.name,
      reference: r.reference,
      status: r.status,
      digest: r.digest,
      mediaType: r.mediaType,
      tag: r.tag,
      tagDigest: r.tagDigest,
      error: r.error,
    })
    const rows: JsonImage[] = images.map((image, i): JsonImage => {
      const { result } = checks[i]!
      const base = { name: image.name, reference: Image.full(image), tag: tags[i] ?? null }
      if (E.isLeft(result)) {
        const origin = resolved.right.origins[i]
        const spec = origin?.kind === 'imagespec' ? origin.path : undefined
        const kind = !isMissing(result.left) ? 'error' : spec !== undefined ? 'not-built' : 'missing'
        const message =
          kind === 'not-built'
            ? `${visible(Image.full(image))}: not built yet (the registry has no such image); pyflyte builds it from the ImageSpec file ${visible(spec!)} when it runs or registers a task with it.`
            : formatRegistryError(result.left)
        failures.push({ name: image.name, kind, message })
        return { ...base, status: kind, digest: null, mediaType: null, tagDigest: null, error: message }
      }
      const ok = { ...base, digest: result.right.digest, mediaType: result.right.mediaType, error: null }
      const now = tagChecks.get(i)
      if (now === undefined) return { ...ok, status: 'ok', tagDigest: null }
      if (E.isLeft(now)) {
        if (isMissing(now.left)) {
          // The digest is still there; only the label is gone.
          io.warn(`${visible(`${image.fqn}:${tags[i]!}`)}: tag ${JSON.stringify(visible(tags[i]!))} no longer exists; the pinned digest still does.`)
          return { ...ok, status: 'ok', tagDigest: null }
        }
        const message = formatRegistryError(now.left)
        failures.push({ name: image.name, kind: 'error', message })
        return { ...ok, status: 'error', tagDigest: null, error: message }
      }
      if (now.right.digest === result.right.digest) return { ...ok, status: 'ok', tagDigest: now.right.digest }
      const message = `${visible(`${image.fqn}:${tags[i]!}`)}: tag ${JSON.stringify(visible(tags[i]!))} has moved: pinned ${shortDigest(result.right.digest)}, now ${shortDigest(now.right.digest)}. Run imgcfg pin --update to re-pin it.`
      failures.push({ name: image.name, kind: 'moved', message })
      return { ...ok, status: 'moved', tagDigest: now.right.digest, error: message }
    })

    const format = (values.format as string | undefined) ?? (io.caps.stdout.isTTY === true ? 'table' : 'json')
    if (format === 'json') io.out(jsonText(rows.map(ordered)))
    if (reportFailures(failures, images.length, io)) return failures.every((f) => f.kind === 'not-built') ? 'not-built' : 'failed'
    if (format === 'table') {
      const cells = rows.map((r, i) => {
        // A pinned tag is shown as written: name:tag@sha256:….
        const at = r.reference.lastIndexOf('@')
        const reference = tags[i] !== undefined && at !== -1 ? `${r.reference.slice(0, at)}:${tags[i]}${r.reference.slice(at)}` : r.reference
        return [visible(r.name), visible(shortDigests(reference)), r.digest !== null ? shortDigest(r.digest) : '', r.mediaType !== null ? describeMediaType(r.mediaType) : '']
      })
      io.out(table(['NAME', 'REFERENCE', 'DIGEST', 'TYPE'], cells, io.style, { width: io.caps.stdout.columns, shrink: [1, 0] }))
    }
    return 'ok'
  },
}
