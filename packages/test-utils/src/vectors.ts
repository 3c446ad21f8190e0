/**
 * Shared by the conformance tests of every package: where the vectors are (the repository's
 * copies, and `../shared/conformance` when the checkout has it), loading them, building the
 * configurations their recipes describe, and the `view`/`exact` comparisons of conventions.
 *
 * The core functions come from the caller (`conformance(core)`): core's own tests pass its
 * sources, the other packages the built `@imgcfg/core`, and this package depends on no package
 * it helps test.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import { expect } from 'vitest'

const here = dirname(fileURLToPath(import.meta.url))

/** The repository's copies of the conformance files. */
export const conformanceDir = resolve(here, '../conformance')

/** `../shared/conformance` next to the repository, when this checkout has it. */
export const sharedConformanceDir = (): string | undefined => {
  const candidates = [
    process.env.IMGCFG_SHARED_DIR ? join(process.env.IMGCFG_SHARED_DIR, 'conformance') : undefined,
    resolve(here, '../../../../shared/conformance'),
  ]
  return candidates.find((dir): dir is string => dir !== undefined && existsSync(dir))
}

/** One conformance file, parsed. */
export const loadConformance = (file: 'flytekit.json' | 'oci.json' | 'task-image.json'): any =>
  JSON.parse(readFileSync(join(conformanceDir, file), 'utf8'))

/** An error of any package: only its tag matters here. */
type AnyError = { readonly _tag: string }

export interface Vector {
  readonly id: string
  readonly note?: string
  readonly rule?: string
  readonly imgcfg: {
    readonly call: { readonly fn: string; readonly args: ReadonlyArray<any>; readonly [k: string]: any } | null
    readonly ok?: unknown
    readonly compare?: 'view' | 'exact'
    readonly error?: boolean
    readonly messageIncludes?: ReadonlyArray<string>
    readonly skip?: string
  }
}

export const loadFlytekit = (): { groups: Record<string, ReadonlyArray<Vector>>; rules: Record<string, string> } =>
  JSON.parse(readFileSync(join(conformanceDir, 'flytekit.json'), 'utf8'))

/** The core modules the recipe helpers call. */
export interface Core {
  readonly Image: any
  readonly ImageConfig: any
  readonly DefaultImages: any
}

/** The helpers that build and view core values, over the core the caller tests. */
export const conformance = (core: Core) => {
  const { Image, ImageConfig, DefaultImages } = core
  /** flytekit fields: `null` becomes absent. */
  const fields = (f: any) => ({
    name: f.name,
    fqn: f.fqn,
    ...(f.tag !== undefined ? { tag: f.tag } : {}),
    ...(f.digest !== undefined ? { digest: f.digest } : {}),
  })

  const mustImage = (f: any) => {
    const made = Image.make(fields(f))
    if (E.isLeft(made)) throw new Error(`vector image ${JSON.stringify(f)} does not build`)
    return made.right
  }

  const imageView = (img: any) => ({
    ...Image.toDict(img),
    full: Image.full(img),
    version: Image.version(img) ?? null,
  })

  const configView = (c: any) => ({
    default_image: c.defaultImage ? imageView(c.defaultImage) : null,
    images: c.images.map(imageView),
  })

    const nn = <A>(a: A | null | undefined): A | undefined => (a === null ? undefined : a)

  /** Resolves a validateImage `defaultImage` that may be a `DefaultImages.defaultImage` call. */
  const validateOptions = (opts: any): E.Either<AnyError, any> => {
    if (typeof opts.defaultImage === 'string') return E.right(opts)
    const options = opts.defaultImage['DefaultImages.defaultImage']
    return E.map((defaultImage: string) => ({ ...opts, defaultImage }))(DefaultImages.defaultImage(options))
  }

  /** Builds the configuration a recipe describes. */
  const buildRecipe = (recipe: any): E.Either<AnyError, any> => {
    if ('fromImages' in recipe) {
      const [d, pairs] = recipe.fromImages
      return ImageConfig.fromImages(nn(d), nn(pairs))
    }
    if ('validateImage' in recipe) {
      const [values, opts] = recipe.validateImage
      return E.chain((o: any): E.Either<AnyError, any> => ImageConfig.validateImage(values, o))(validateOptions(opts))
    }
    if ('createFrom' in recipe) {
      const [d, others] = recipe.createFrom
      return E.right(
        ImageConfig.createFrom(
          d ? mustImage(d) : undefined,
          others === undefined ? undefined : others.map(mustImage),
        ),
      )
    }
    if ('literal' in recipe) {
      const { defaultImage, images } = recipe.literal
      return E.right({
        ...(defaultImage ? { defaultImage: mustImage(defaultImage) } : {}),
        images: (images ?? []).map(mustImage),
      })
    }
    throw new Error(`unknown recipe ${JSON.stringify(recipe)}`)
  }
  return { fields, mustImage, imageView, configView, validateOptions, buildRecipe }
}

/** `view`: key order ignored, null and undefined equal. */
export const normalizeView = (u: unknown): unknown => {
  if (u === undefined || u === null) return null
  if (Array.isArray(u)) return u.map(normalizeView)
  if (typeof u === 'object') {
    return Object.fromEntries(
      Object.entries(u as object)
        .filter(([, v]) => v !== undefined && v !== null)
        .map(([k, v]) => [k, normalizeView(v)])
        .sort(([a], [b]) => (a! < b! ? -1 : 1)),
    )
  }
  return u
}

/** Checks an Either (or plain) result against a vector's expectation. */
export const expectVector = (
  v: Vector,
  result: E.Either<AnyError, unknown> | { plain: unknown },
  view: (a: any) => unknown = (a) => a,
  formatError: (e: any) => string,
): void => {
  const exp = v.imgcfg
  if (exp.error) {
    expect('plain' in result ? 'plain' : result._tag, `${v.id} should fail`).toBe('Left')
    if (!('plain' in result) && E.isLeft(result)) {
      const message = formatError(result.left)
      for (const part of exp.messageIncludes ?? []) expect(message).toContain(part)
    }
    return
  }
  let actual: unknown
  if ('plain' in result) actual = result.plain
  else {
    if (E.isLeft(result)) throw new Error(`${v.id}: expected success, got ${formatError(result.left)}`)
    actual = result.right
  }
  const viewed = actual === null || actual === undefined ? null : view(actual)
  if (exp.compare === 'exact') expect(viewed).toStrictEqual(exp.ok)
  else expect(normalizeView(viewed)).toEqual(normalizeView(exp.ok))
}
