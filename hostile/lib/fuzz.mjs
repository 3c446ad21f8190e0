// Fuzzing every public parser with fast-check: grammar-aware inputs (near-valid references,
// --image values, JSON, YAML and INI fragments) next to random strings and values. Each target
// states what must hold whatever the input: no throw, an Either whose Left formats to a located,
// one-paragraph message, and the target's own law. `runFuzz` counts throws and broken properties
// per target instead of stopping at the first, so one run reports them all.
import fc from 'fast-check'
import { DefaultImages, Image, ImageConfig, ImageFlag, Reference } from '@imgcfg/core'
import { formatConfigError as formatError, parseConfigText } from '@imgcfg/config-file'

// -------------------------------------------------------------------------------------
// arbitraries
// -------------------------------------------------------------------------------------

/** Characters that matter to the grammars, and look-alikes and invisibles that should not. */
const NASTY = ['@', ':', '/', '.', '_', '-', '[', ']', '%', '=', '#', ';', '"', "'", '\\', ' ', '\t', '\n', '\r', '\u0000', '\u001b', '\u007f', '\u0085', '\u00a0', '\u0443', '\u043e', '\uff1a', '\uff0f', '\u200b', '\u202e', '\ufeff', '\ud800', '\udc00', '🐳', 'A', 'Z', '9', '$']

const nastyChar = fc.constantFrom(...NASTY)

/** Any string: ASCII, any code unit (lone surrogates included), or made of the nasty characters. */
export const anyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: nastyChar, maxLength: 20 }),
  fc.string({ unit: fc.oneof(nastyChar, fc.constantFrom('a', 'b', '1', '0')), maxLength: 40 }),
)

const lower = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'), minLength: 1, maxLength: 8 })
const separator = fc.constantFrom('.', '_', '__', '-', '--', '---')
const component = fc.tuple(lower, fc.array(fc.tuple(separator, lower), { maxLength: 2 })).map(([a, rest]) => a + rest.map(([s, b]) => s + b).join(''))
const port = fc.option(fc.integer({ min: 0, max: 99999 }).map((p) => `:${p}`), { nil: '' })
const domain = fc.oneof(
  fc.constant(''),
  fc.constantFrom('docker.io/', 'ghcr.io/', 'localhost/', 'localhost:5000/', 'index.docker.io/', 'cr.flyte.org/', '[::1]:5000/', '[fe80::1%eth0]/', 'EXAMPLE.com/'),
  fc.tuple(fc.array(lower, { minLength: 1, maxLength: 3 }), port).map(([labels, p]) => `${labels.join('.')}${p}/`),
)
const path = fc.array(component, { minLength: 1, maxLength: 4 }).map((cs) => cs.join('/'))
const tag = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'abcXYZ019_.-'), minLength: 1, maxLength: 12 }),
  fc.constantFrom('latest', '1.0', 'v1.15.0', 'py3.11-1.15.0', '-bad', '.bad', 'a'.repeat(128), 'a'.repeat(129)),
)
const hex = (n) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n })
const digest = fc.oneof(
  fc.tuple(fc.constantFrom('sha256', 'sha384', 'sha512', 'md5', 'SHA256', 'sha256+b64', 'a', ''), fc.constantFrom(0, 31, 32, 63, 64, 65, 96, 128)).chain(([alg, n]) => hex(n).map((h) => `${alg}:${h}`)),
  fc.constantFrom('sha256:', ':', 'sha256:' + 'A'.repeat(64), 'sha256:' + 'g'.repeat(64)),
)

/** Reference-shaped text: domain/path, maybe :tag and @digest. */
const wellFormed = fc
  .tuple(domain, path, fc.option(tag, { nil: undefined }), fc.option(digest, { nil: undefined }))
  .map(([d, p, t, g]) => `${d}${p}${t !== undefined ? `:${t}` : ''}${g !== undefined ? `@${g}` : ''}`)

/** Up to three single-character edits with the nasty characters. */
const mutate = (arb) =>
  fc.tuple(arb, fc.array(fc.tuple(fc.constantFrom('insert', 'delete', 'replace'), fc.nat(), nastyChar), { maxLength: 3 })).map(([s, edits]) => {
    let out = s
    for (const [op, at, ch] of edits) {
      const i = out.length === 0 ? 0 : at % (out.length + 1)
      if (op === 'insert') out = out.slice(0, i) + ch + out.slice(i)
      else if (op === 'delete') out = out.slice(0, i) + out.slice(i + 1)
      else out = out.slice(0, i) + ch + out.slice(i + 1)
    }
    return out
  })

/** Identifiers: near-valid references (edited or not), long repetitions, anything. */
export const identifier = fc.oneof(
  { weight: 3, arbitrary: wellFormed },
  { weight: 4, arbitrary: mutate(wellFormed) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('a', 'a-', 'a__', ':', '@', '/', 'a.', '[', '0'), fc.integer({ min: 1, max: 2000 })).map(([u, n]) => u.repeat(n)) },
  { weight: 2, arbitrary: anyString },
)

const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype', 'valueOf']
const imageName = fc.oneof(fc.constantFrom(...PROTO_NAMES, 'default', 'DEFAULT', '', ' ', 'gpu', 'a=b'), lower, anyString)

/** One --image value: bare, name=identifier, or broken around the =. */
export const flagValue = fc.oneof(
  identifier,
  fc.tuple(imageName, identifier).map(([n, id]) => `${n}=${id}`),
  fc.constantFrom('=', '==x', 'name=', '', 'default=', '=x:1', 'default=x:1', 'a=x:1'),
)

const jsonImage = fc.record(
  {
    name: fc.oneof(imageName, fc.anything({ maxDepth: 1 })),
    fqn: fc.oneof(path, fc.anything({ maxDepth: 1 })),
    tag: fc.oneof(fc.constant(null), tag, fc.constant(''), fc.integer()),
    digest: fc.oneof(fc.constant(null), digest, fc.constant('')),
    extra: anyString,
  },
  { requiredKeys: [] },
)
const jsonConfig = fc.record(
  { default_image: fc.oneof(fc.constant(null), jsonImage, anyString), images: fc.oneof(fc.constant(null), fc.array(jsonImage, { maxLength: 4 }), fc.integer()) },
  { requiredKeys: [] },
)

/** Values for fromDict: near-valid configurations and anything at all. */
export const dictValue = fc.oneof(jsonConfig, fc.anything({ maxDepth: 3, withNullPrototype: true, withBigInt: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true }))

/** JSON text: valid JSON of anything, near-valid configurations (edited), __proto__ keys, junk. */
export const jsonText = fc.oneof(
  fc.json({ maxDepth: 3 }),
  jsonConfig.map((c) => JSON.stringify(c)),
  mutate(jsonConfig.map((c) => JSON.stringify(c))),
  jsonConfig.map((c) => `{"__proto__": {"polluted": true}, ${JSON.stringify(c).slice(1)}`.replace(/, \}$/, '}')),
  fc.integer({ min: 1, max: 3000 }).map((n) => `{"images": ${'['.repeat(n)}${']'.repeat(n)}}`),
  anyString,
)

const indent = fc.constantFrom('', '', '  ', '    ', ' ', '\t', '  \t')
const yamlKey = fc.oneof(
  fc.constantFrom('images', '<<', ...PROTO_NAMES, 'default', '? a', '"quoted"', "'single'", '1', 'null', '~', 'true', '&a k', '*a', '!!str k', '[a]', '{a: b}'),
  lower,
  anyString,
)
const yamlValue = fc.oneof(
  fc.constant(''),
  identifier,
  fc.constantFrom('*a', '&a x:1', '&a', '[a, b]', '{a: b}', '{<<: *a}', '[*a, *a]', '|', '>-', '!!binary aGk=', '!!str 1', '!!python/object:os.system', '[', '{', '"unterminated', "'x'", 'yes', '1.0', 'null', '~', '- x', '"\\0"', '"\\x"'),
  anyString,
)
const yamlLine = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(indent, yamlKey, yamlValue).map(([i, k, v]) => `${i}${k}: ${v}`) },
  { weight: 2, arbitrary: fc.tuple(indent, yamlValue).map(([i, v]) => `${i}- ${v}`) },
  { weight: 2, arbitrary: fc.constantFrom('images:', '  <<: *a', 'base: &a {x: y:1}', '---', '...', '%YAML 1.2', '%TAG ! tag:x,2000:', '# comment', '', 'images: *a') },
  { weight: 1, arbitrary: anyString },
)
const lineBreak = fc.constantFrom('\n', '\n', '\n', '\r\n', '\r')

/** YAML-shaped text: lines of keys, values, anchors, merges and markers, with odd breaks. */
export const yamlText = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(fc.boolean(), fc.array(yamlLine, { maxLength: 12 }), lineBreak).map(([head, lines, nl]) => (head ? ['images:', ...lines] : lines).join(nl)) },
  // Deep nesting makes the parser run out of stack, which costs ~50 ms a time: rare, mostly shallow.
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('[', '{a: ', '- ', '{'), fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 100 }) }, fc.integer({ min: 100, max: 3000 }))).map(([u, n]) => `images: ${u.repeat(n)}`) },
  { weight: 3, arbitrary: anyString },
)

const iniName = fc.oneof(fc.constantFrom(...PROTO_NAMES, 'a', 'A', 'images', 'default', ''), lower, anyString)
const iniValue = fc.oneof(identifier, fc.constantFrom('%(a)s', '%(A)s', '%%', '%', '%(', '%()s', '%(a)', '%(__proto__)s', '%(images)s', '100%'), fc.tuple(iniName, identifier).map(([n, id]) => `%(${n})s/${id}`), anyString)
const iniLine = fc.oneof(
  { weight: 2, arbitrary: fc.tuple(indent, fc.oneof(fc.constantFrom('images', 'DEFAULT', 'internal', ...PROTO_NAMES, ''), anyString)).map(([i, s]) => `${i}[${s}]`) },
  { weight: 6, arbitrary: fc.tuple(indent, iniName, fc.constantFrom('=', ':', ' = ', ' : ', '=='), iniValue).map(([i, n, d, v]) => `${i}${n}${d}${v}`) },
  { weight: 1, arbitrary: fc.constantFrom('# comment', '; comment', '', '  continued', '[images]', '[DEFAULT]') },
  { weight: 1, arbitrary: anyString },
)

/** INI-shaped text: sections, options with % traps, continuations and comments. */
export const iniText = fc.oneof(
  fc.tuple(fc.boolean(), fc.array(iniLine, { maxLength: 12 }), lineBreak).map(([head, lines, nl]) => (head ? ['[images]', ...lines] : lines).join(nl)),
  anyString,
)

const version = fc.oneof(fc.constantFrom('3.8', '3.9', '3.10', '3.11', '3.12', '3.13', '3.7', '3', '', ' 3.11', '3.11\n'), anyString)
/** DefaultImages options: versions, an environment, or any value at all. */
export const findImageOptions = fc.oneof(
  { weight: 5, arbitrary: fc.record(
    {
      pythonVersion: version,
      flytekitVersion: fc.oneof(fc.constantFrom('v1.15.0', 'V1.15.0', 'vv1', 'v', '1.15.4.dev12'), anyString),
      runningFlytekitVersion: fc.oneof(fc.constantFrom('1.15.0', 'dev', ''), anyString),
      env: fc.dictionary(fc.constantFrom('FLYTE_INTERNAL_IMAGE', '__proto__', 'PATH'), fc.oneof(identifier, fc.constant(undefined))),
    },
    { requiredKeys: ['pythonVersion'] },
  ) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
)

// -------------------------------------------------------------------------------------
// properties
// -------------------------------------------------------------------------------------

// Raw control characters (a newline aside) and bidirectional overrides: never in a message.
const INVISIBLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

/** What is wrong with an Either result, or undefined: a Left must format to a clean message. */
const checkEither = (r, { origin } = {}) => {
  if (r === null || typeof r !== 'object' || (r._tag !== 'Left' && r._tag !== 'Right')) return `not an Either: ${String(r)}`
  if (r._tag === 'Right') return undefined
  const message = formatError(r.left)
  if (typeof message !== 'string' || message === '') return `no message for ${r.left?._tag}`
  if (INVISIBLE.test(message)) return `invisible character in the message: ${JSON.stringify(message.slice(0, 200))}`
  if (r.left._tag !== 'DecodeFailure') {
    if (message.includes('\n')) return `a message of several lines: ${JSON.stringify(message.slice(0, 200))}`
    if (message.length > 2_500) return `a message of ${message.length} characters`
  }
  if (origin !== undefined && (r.left._tag === 'ConfigSyntaxError' || r.left._tag === 'InternalSection')) {
    if (r.left.origin !== origin) return `an error that does not name the file: ${message}`
    if (r.left.line === undefined) return `an error without a line: ${message}`
  }
  return undefined
}

const eq = (a, b) => JSON.stringify(a) === JSON.stringify(b)

/** Each public parser: its name, its inputs, and what must hold for every one of them. */
export const TARGETS = [
  {
    name: 'Image.parseIdentifier',
    arbitrary: identifier,
    check: (s) => {
      const id = Image.parseIdentifier(s)
      if (typeof id.fqn !== 'string') return 'fqn is not a string'
      for (const k of ['tag', 'digest']) if (k in id && (typeof id[k] !== 'string' || id[k] === '')) return `${k} is present but empty`
      if (id.tag !== undefined && id.digest !== undefined) return 'both tag and digest'
      return undefined
    },
  },
  {
    name: 'Image.lookUpImageInfo (lenient)',
    arbitrary: fc.tuple(imageName, identifier, fc.boolean()),
    check: ([name, s, allow]) => {
      const r = Image.lookUpImageInfo(name, s, allow)
      const bad = checkEither(r)
      if (bad) return bad
      if (r._tag === 'Right' && (r.right.name !== name || (!allow && r.right.tag === undefined && r.right.digest === undefined))) return 'wrong image'
      return undefined
    },
  },
  {
    name: 'Image.lookUpImageInfo (strict)',
    arbitrary: fc.tuple(imageName, identifier),
    check: ([name, s]) => {
      const r = Image.lookUpImageInfo(name, s, false, { strict: true })
      const bad = checkEither(r)
      if (bad) return bad
      if (r._tag === 'Right' && Reference.parse(s)._tag !== 'Right') return 'strict accepted what Reference.parse rejects'
      return undefined
    },
  },
  {
    name: 'Reference.parse',
    arbitrary: identifier,
    check: (s) => {
      const r = Reference.parse(s)
      const bad = checkEither(r)
      if (bad) return bad
      // The law: what parses prints back to something that parses to the same reference.
      if (r._tag === 'Right' && !eq(Reference.parse(Reference.toString(r.right)), r)) return 'parse(toString(ref)) is not ref'
      return undefined
    },
  },
  {
    name: 'Reference.parseNormalizedNamed',
    arbitrary: identifier,
    check: (s) => {
      const r = Reference.parseNormalizedNamed(s)
      const bad = checkEither(r)
      if (bad) return bad
      if (r._tag === 'Right' && (typeof r.right.name !== 'string' || typeof r.right.familiar !== 'string')) return 'no name or familiar form'
      return undefined
    },
  },
  {
    name: 'ImageFlag.parse',
    arbitrary: flagValue,
    check: (s) => {
      const f = ImageFlag.parse(s)
      if (typeof f.name !== 'string' || typeof f.identifier !== 'string' || typeof f.isDefault !== 'boolean') return 'not a flag'
      if (!f.isDefault && ImageFlag.format(f) !== s) return 'format(parse(s)) is not s'
      return undefined
    },
  },
  {
    name: 'ImageConfig.validateImage',
    arbitrary: fc.tuple(fc.array(flagValue, { maxLength: 8 }), identifier, fc.boolean()),
    check: ([values, defaultImage, strict]) => checkEither(ImageConfig.validateImage(values, { defaultImage, strict })),
  },
  {
    name: 'ImageConfig.fromJson',
    arbitrary: jsonText,
    check: (s) => checkEither(ImageConfig.fromJson(s)),
  },
  {
    name: 'ImageConfig.fromDict',
    arbitrary: dictValue,
    check: (u) => {
      const r = ImageConfig.fromDict(u)
      const bad = checkEither(r)
      if (bad) return bad
      // The law: what decodes encodes to the wire format, which decodes to the same thing.
      if (r._tag === 'Right' && !eq(ImageConfig.fromDict(ImageConfig.toDict(r.right)), r)) return 'fromDict(toDict(c)) is not c'
      return undefined
    },
  },
  {
    name: 'DefaultImages.findImageFor',
    arbitrary: findImageOptions,
    check: (o) => checkEither(DefaultImages.findImageFor(o)),
  },
  {
    name: 'parseConfigText (yaml)',
    arbitrary: yamlText,
    check: (s) => checkEither(parseConfigText(s, { format: 'yaml', origin: 'fuzz.yaml' }), { origin: 'fuzz.yaml' }),
  },
  {
    name: 'parseConfigText (ini)',
    arbitrary: iniText,
    check: (s) => checkEither(parseConfigText(s, { format: 'ini', origin: 'fuzz.config' }), { origin: 'fuzz.config' }),
  },
]

// -------------------------------------------------------------------------------------
// running
// -------------------------------------------------------------------------------------

const hash = (s) => {
  let h = 0
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0
  return h
}

const show = (input) => {
  let s
  try {
    s = JSON.stringify(input, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))
  } catch {
    s = String(input)
  }
  return s === undefined ? String(input) : s.length > 300 ? `${s.slice(0, 300)}… (${s.length} characters)` : s
}

/**
 * Runs `total` generated inputs, shared equally between the targets (`only`: names to keep), in
 * batches drawn with seeds derived from `seed`, so a run reproduces. Resolves per-target counts:
 * inputs, throws, broken properties, a few examples of each, and the time spent in the target.
 */
export const runFuzz = ({ total = 1_000_000, seed = 42, only, batch = 1_000, onProgress } = {}) => {
  const targets = only === undefined ? TARGETS : TARGETS.filter((t) => only.some((o) => t.name.toLowerCase().includes(o.toLowerCase())))
  const per = Math.ceil(total / Math.max(targets.length, 1))
  const results = []
  for (const target of targets) {
    const stat = { name: target.name, inputs: 0, throws: 0, broken: 0, examples: [], ms: 0, generateMs: 0 }
    for (let b = 0; stat.inputs < per; b++) {
      const n = Math.min(batch, per - stat.inputs)
      const g0 = performance.now()
      const inputs = fc.sample(target.arbitrary, { numRuns: n, seed: (seed + hash(target.name) + b * 7919) | 0 })
      const t0 = performance.now()
      stat.generateMs += t0 - g0
      for (const input of inputs) {
        try {
          const problem = target.check(input)
          if (problem !== undefined) {
            stat.broken += 1
            if (stat.examples.length < 5) stat.examples.push({ input: show(input), problem })
          }
        } catch (e) {
          stat.throws += 1
          if (stat.examples.length < 5) stat.examples.push({ input: show(input), threw: e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 300) : show(e) })
        }
      }
      stat.ms += performance.now() - t0
      stat.inputs += inputs.length
      onProgress?.(stat)
    }
    results.push(stat)
  }
  return results
}
