/**
 * flytekit 1.15.4's ImageSpec naming, without Python (SPEC 7): `make` is `ImageSpec(**fields)`
 * (defaults, lowercased `name` and `registry`, the `__post_init__` checks), `id` and `tag` are
 * flytekit's hashes of Python's repr of the spec's fields, `imageName` is `[registry/]name:tag`.
 * Pure: the digests of the files a spec names (`requirements`, `copy`) are computed by the
 * caller (see `requirementsDigest`, `copyDigest`) and passed in.
 *
 * @since 0.3.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { md5, sha1 } from '@noble/hashes/legacy'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils'
import type { ImageSpecProblem, ImgcfgError, InvalidImageSpec } from './errors.js'
import { pythonFormat } from './internal/pythonFormat.js'
import { lower } from './internal/pythonText.js'
import {
  ReprError,
  dictEntries,
  dictKey,
  isPyDate,
  isPyDateTime,
  isPyDict,
  isPyFloat,
  pyDict,
  pyFloat,
  repr,
  typeName,
  type PyDate,
  type PyDateTime,
  type PyDict,
  type PyFloat,
  type PyValue,
} from './internal/pythonValue.js'

export { dictKey, isPyDate, isPyDateTime, isPyDict, isPyFloat, pyDict, pyFloat, typeName }
export type { PyDate, PyDateTime, PyDict, PyFloat, PyValue }

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * The dataclass fields of flytekit 1.15.4's ImageSpec, in declaration order (the order of the
 * hashed dict).
 *
 * @since 0.3.0
 */
export const FIELDS = [
  'name',
  'python_version',
  'builder',
  'source_root',
  'env',
  'registry',
  'packages',
  'conda_packages',
  'conda_channels',
  'requirements',
  'apt_packages',
  'cuda',
  'cudnn',
  'base_image',
  'platform',
  'pip_index',
  'pip_extra_index_url',
  'pip_secret_mounts',
  'pip_extra_args',
  'registry_config',
  'entrypoint',
  'commands',
  'tag_format',
  'source_copy_mode',
  'copy',
  'python_exec',
  'builder_options',
  'runtime_packages',
] as const

export type Field = (typeof FIELDS)[number]

/**
 * An ImageSpec as flytekit holds it after `__post_init__`: every field, `null` for `None`.
 *
 * @since 0.3.0
 */
export type ImageSpec = { readonly _tag: 'ImageSpec' } & { readonly [K in Field]: K extends 'name' ? string : PyValue }

/** The digests `tag` puts in place of the files a spec names. */
export interface FileDigests {
  /** SHA-1 hex of the requirements file's bytes, ASCII whitespace stripped (`requirementsDigest`). */
  readonly requirements?: string
  /** flytekit's `compute_digest` of `copy` (`copyDigest`). */
  readonly copy?: string
}

/** Fields the id leaves out: "configuring this should not change the built image". */
const NOT_HASHED: ReadonlySet<Field> = new Set(['pip_secret_mounts', 'builder', 'runtime_packages'])

/** `__post_init__` requires these to be a list of strings or None. */
const STRING_LISTS = ['packages', 'conda_channels', 'conda_packages', 'apt_packages', 'pip_extra_index_url', 'entrypoint', 'commands'] as const

// flytekit's validate_container_registry_name, for an ASCII name (Python's \w is ASCII there).
const REGISTRY = /^(localhost:[0-9]{1,5}|([a-z0-9._-]+)(:[0-9]{1,5})?)(\/[A-Za-z0-9_.-]+)*$/

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

const fail = (problem: ImageSpecProblem, message: string, extra: Partial<InvalidImageSpec> = {}): E.Either<InvalidImageSpec, never> =>
  E.left({ _tag: 'InvalidImageSpec', problem, message, ...extra })

/**
 * Python's truth value of a value (flytekit tests `if self.copy:`, `if self.registry:`).
 *
 * @since 0.3.0
 */
export const pythonTruthy = (v: unknown): boolean => {
  if (v === null || v === undefined || v === false || v === '' || v === 0 || v === 0n) return false
  if (isPyFloat(v)) return v.value !== 0
  if (Array.isArray(v)) return v.length > 0
  const entries = dictEntries(v)
  return entries === undefined || entries.length > 0
}

const editDistance = (a: string, b: string): number => {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1))
      diagonal = above
    }
  }
  return row[b.length]!
}

/**
 * The known field closest to an unknown key, when it is close enough to be a likely typo.
 *
 * @since 0.3.0
 */
export const closestField = (key: string): string | undefined => {
  let best: string | undefined
  let bestDistance = Infinity
  for (const f of FIELDS) {
    const d = editDistance(key.toLowerCase(), f)
    if (d < bestDistance) {
      best = f
      bestDistance = d
    }
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined
}

// Python's `$` also matches just before a final newline.
const matchesRegistry = (s: string): boolean => REGISTRY.test(s) || (s.endsWith('\n') && REGISTRY.test(s.slice(0, -1)))

const isStringList = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string')

/**
 * `ImageSpec(**fields)`: the defaults (`name` "flytekit", `platform` "linux/amd64", the rest
 * None), `name` and `registry` lowercased as Python 3.11 does, and flytekit's checks (registry
 * name, lists of strings, pip_secret_mounts). A spec with `source_root` or `source_copy_mode` is
 * refused: its tag hashes the modules a Python process has loaded, which no other tool can know.
 *
 * @example
 * import * as ImageSpec from '@imgcfg/core/ImageSpec'
 * import * as E from 'fp-ts/lib/Either.js'
 * const spec = ImageSpec.make({ name: 'My-Image', registry: 'GHCR.io/Acme' })
 * E.chain(ImageSpec.imageName)(spec) // Right('ghcr.io/acme/my-image:UAzCTdt7HGmMWcCqlu9KiQ')
 *
 * @since 0.3.0
 */
export const make = (fields: unknown): E.Either<ImgcfgError, ImageSpec> => {
  const entries = dictEntries(fields)
  if (entries === undefined)
    return fail('not-a-mapping', `must be a mapping of field names to values, not ${typeName(fields)} (flytekit: ImageSpec() argument after ** must be a mapping)`)
  const given = new Map<Field, PyValue>()
  for (const [key, value] of entries) {
    if (typeof key !== 'string') return fail('type', `keys must be strings, not ${typeName(key)} (${safeRepr(key)})`)
    if (value === undefined) continue
    if (!(FIELDS as ReadonlyArray<string>).includes(key)) {
      const closest = closestField(key)
      return fail('unknown-key', `unknown key (flytekit: ImageSpec.__init__() got an unexpected keyword argument '${key}').`, {
        key,
        ...(closest !== undefined ? { closest } : {}),
      })
    }
    given.set(key as Field, value)
  }
  const spec: Record<string, PyValue> = {}
  for (const f of FIELDS) spec[f] = given.has(f) ? given.get(f)! : f === 'name' ? 'flytekit' : f === 'platform' ? 'linux/amd64' : null

  const name = spec.name
  if (typeof name !== 'string') return fail('type', `must be a string, not ${typeName(name)} (flytekit calls name.lower())`, { key: 'name' })
  spec.name = lower(name)

  const registry = spec.registry
  if (pythonTruthy(registry)) {
    if (typeof registry !== 'string')
      return fail('type', `must be a string, not ${typeName(registry)} (flytekit calls registry.lower())`, { key: 'registry' })
    const lowered = lower(registry)
    if (/[^\x00-\x7f]/.test(lowered))
      return fail(
        'unsupported',
        `${safeRepr(lowered)} has non-ASCII characters; flytekit checks them with Python's Unicode \\w and \\d, which imgcfg does not imitate.`,
        { key: 'registry' },
      )
    if (!matchesRegistry(lowered))
      return fail(
        'registry',
        `Invalid container registry name: ${safeRepr(lowered)}. Expected formats: 'localhost:30000' (for local registries), 'ghcr.io/username' (for GitHub Container Registry), 'docker.io/username' (for docker hub).`,
        { key: 'registry' },
      )
    spec.registry = lowered
  }

  if (spec.source_root !== null)
    return fail(
      'source-root',
      "the image tag hashes the files of the Python modules a pyflyte process has loaded from source_root, so it cannot be known outside that process; imgcfg will not guess it. Use copy to name the files instead.",
      { key: 'source_root' },
    )
  if (spec.source_copy_mode !== null)
    return fail(
      'source-root',
      `flytekit requires source_root with source_copy_mode ("Field source_root for image spec ${spec.name} must be set when copy is set"), and with source_root the tag depends on the modules a Python process has loaded, which imgcfg cannot know.`,
      { key: 'source_copy_mode' },
    )

  for (const f of STRING_LISTS) {
    const v = spec[f]
    if (v !== null && !isStringList(v)) return fail('type', `${f} must be a list of strings or None, not ${safeRepr(v)}`, { key: f })
  }
  const mounts = spec.pip_secret_mounts
  if (mounts !== null && !(Array.isArray(mounts) && mounts.length === 0))
    return fail('type', 'pip_secret_mounts must be a list of tuples of two strings or None (a YAML file cannot write a Python tuple)', {
      key: 'pip_secret_mounts',
    })

  const made = { _tag: 'ImageSpec', ...spec } as unknown as ImageSpec
  // Every value must have a Python repr (id is total from here on).
  for (const f of FIELDS) {
    try {
      repr(made[f])
    } catch (e) {
      if (e instanceof ReprError) return fail('value', `cannot be hashed as flytekit would: ${e.message}`, { key: f })
      throw e
    }
  }
  return E.right(made)
}

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

const safeRepr = (v: unknown): string => {
  try {
    const text = repr(v)
    return text.length > 80 ? `${text.slice(0, 80)}…` : text
  } catch {
    return typeName(v)
  }
}

const hashedDict = (spec: ImageSpec, replace: Partial<Record<Field, PyValue>> = {}): PyDict =>
  pyDict(
    FIELDS.filter((f) => !NOT_HASHED.has(f))
      .map((f) => [f, f in replace ? replace[f]! : spec[f]] as const)
      .filter(([, v]) => v !== null),
  )

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** `base64.urlsafe_b64encode(bytes)` without the `=` padding. */
const base64url = (bytes: Uint8Array): string => {
  let out = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0)
    const chars = [18, 12, 6, 0].map((shift) => BASE64URL[(n >> shift) & 63]!)
    out += chars.slice(0, Math.min(4, bytes.length - i + 1)).join('')
  }
  return out
}

const hashText = (text: string): string => base64url(md5(utf8ToBytes(text)))

/**
 * The exact text flytekit hashes for the id: `str()` of the fields that are not None, without
 * `pip_secret_mounts`, `builder` and `runtime_packages`.
 *
 * @since 0.3.0
 */
export const idText = (spec: ImageSpec): string => repr(hashedDict(spec))

/**
 * flytekit's `ImageSpec.id`: the URL-safe base64 MD5 of `idText`, without `=`.
 *
 * @example
 * import * as ImageSpec from '@imgcfg/core/ImageSpec'
 * import * as E from 'fp-ts/lib/Either.js'
 * E.map(ImageSpec.id)(ImageSpec.make({ name: 'app', python_version: 3 })) // Right('kaJOvGzksS_L8BJPi4WhAA')
 *
 * @since 0.3.0
 */
export const id = (spec: ImageSpec): string => hashText(idText(spec))

/**
 * The exact text flytekit hashes for the tag: as `idText`, with `requirements` and `copy`
 * replaced by their files' digests and without `registry_config`.
 *
 * @since 0.3.0
 */
export const tagText = (spec: ImageSpec, files: FileDigests = {}): E.Either<ImgcfgError, string> => {
  const replace: Partial<Record<Field, PyValue>> = { registry_config: null }
  if (pythonTruthy(spec.copy)) {
    if (files.copy === undefined)
      return fail('missing-file-digest', 'the tag hashes the files copy names: pass their digest (copyDigest) as files.copy', { key: 'copy' })
    replace.copy = files.copy
  }
  if (pythonTruthy(spec.requirements)) {
    if (typeof spec.requirements !== 'string')
      return fail('type', `must be a path (a string), not ${typeName(spec.requirements)}`, { key: 'requirements' })
    if (files.requirements === undefined)
      return fail('missing-file-digest', 'the tag hashes the requirements file: pass its digest (requirementsDigest) as files.requirements', {
        key: 'requirements',
      })
    replace.requirements = files.requirements
  }
  return E.right(repr(hashedDict(spec, replace)))
}

/**
 * flytekit's `ImageSpec.tag`: the id of the spec with its files' digests in place (`-` written
 * `_`), through `tag_format` when it is set.
 *
 * @example
 * import * as ImageSpec from '@imgcfg/core/ImageSpec'
 * import * as E from 'fp-ts/lib/Either.js'
 * E.chain(ImageSpec.tag)(ImageSpec.make({ name: 'app', tag_format: '{spec_hash:.8}' })) // Right('n5S0QLoh')
 *
 * @since 0.3.0
 */
export const tag = (spec: ImageSpec, files: FileDigests = {}): E.Either<ImgcfgError, string> =>
  E.chain((text: string): E.Either<ImgcfgError, string> => {
    const hash = hashText(text).replace(/-/g, '_')
    const format = spec.tag_format
    if (!pythonTruthy(format)) return E.right(hash)
    if (typeof format !== 'string') return fail('type', `must be a string, not ${typeName(format)} (flytekit calls tag_format.format())`, { key: 'tag_format' })
    const formatted = pythonFormat(format, { spec_hash: hash })
    if (formatted.ok) return E.right(formatted.value)
    return fail(
      'tag-format',
      formatted.field !== undefined && formatted.field !== 'spec_hash'
        ? `${safeRepr(format)} names the field {${formatted.field}}; the only field flytekit passes is {spec_hash} (${formatted.message}).`
        : `${safeRepr(format)} is not a format string Python accepts: ${formatted.message}.`,
      { key: 'tag_format' },
    )
  })(tagText(spec, files))

/**
 * flytekit's `ImageSpec.image_name()`: `[registry/]name:tag`.
 *
 * @example
 * import * as ImageSpec from '@imgcfg/core/ImageSpec'
 * import * as E from 'fp-ts/lib/Either.js'
 * E.chain(ImageSpec.imageName)(ImageSpec.make({ name: 'app', registry: 'localhost:30000' }))
 * // Right('localhost:30000/app:nBQZDJJE_a9WyktBmlvmJA')
 *
 * @since 0.3.0
 */
export const imageName = (spec: ImageSpec, files: FileDigests = {}): E.Either<ImgcfgError, string> =>
  E.map((t: string) => `${pythonTruthy(spec.registry) ? `${spec.registry as string}/` : ''}${spec.name}:${t}`)(tag(spec, files))

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/**
 * Python 3.11's `repr` of a value (the text flytekit hashes is `repr` of a dict), or a Left for
 * a value Python cannot write (an int of more than 4300 digits) or that has no Python
 * counterpart.
 *
 * @example
 * import * as ImageSpec from '@imgcfg/core/ImageSpec'
 * ImageSpec.pythonRepr(['it\'s', 1e16, 0.0001, null]) // Right("[\"it's\", 1e+16, 0.0001, None]")
 *
 * @since 0.3.0
 */
export const pythonRepr = (value: unknown): E.Either<ImgcfgError, string> => {
  try {
    return E.right(repr(value))
  } catch (e) {
    if (e instanceof ReprError) return fail('value', `cannot be written as Python would: ${e.message}`)
    throw e
  }
}

/** Python's `str.lower()` as of Python 3.11 (Unicode 14.0), including the final sigma. */
export const pythonLower = (s: string): string => lower(s)

const ASCII_WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d, 0x0b, 0x0c])

/**
 * The digest flytekit puts in place of `requirements`: SHA-1 hex of the file's bytes with
 * ASCII whitespace (`b' \t\n\r\x0b\x0c'`) stripped from both ends.
 *
 * @since 0.3.0
 */
export const requirementsDigest = (bytes: Uint8Array): string => {
  let start = 0
  let end = bytes.length
  while (start < end && ASCII_WHITESPACE.has(bytes[start]!)) start++
  while (end > start && ASCII_WHITESPACE.has(bytes[end - 1]!)) end--
  return bytesToHex(sha1(bytes.subarray(start, end)))
}

/** One file as flytekit's `compute_digest` hashes it: its bytes, then its relative path. */
export interface DigestedFile {
  readonly bytes: Uint8Array
  /** The path relative to the directory walked (`/`-separated), or the file name for a listed file. */
  readonly path: string
}

/**
 * flytekit's `compute_digest` over files in the order it visits them: MD5 of each file's bytes
 * followed by its relative path with the separators removed, as hex.
 *
 * @since 0.3.0
 */
export const copyDigest = (files: Iterable<DigestedFile>): string => {
  const hasher = md5.create()
  for (const f of files) {
    hasher.update(f.bytes)
    hasher.update(utf8ToBytes(f.path.split('/').join('')))
  }
  return bytesToHex(hasher.digest())
}
