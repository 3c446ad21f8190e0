/**
 * parseImageSpecText against PyYAML itself: fast-check writes ImageSpec documents whose `env`
 * and `builder_options` (the two fields flytekit hashes without checking their type) hold
 * generated YAML, rich in what YAML 1.1 resolves differently from 1.2 (yes/no/on/off/y/n, 017,
 * 0o17, 1:30, 1_000, 1e22, .5, 1.5e+3, .inf, ~, dates, datetimes, 1 / 1.0 / true as one key,
 * anchors, merge keys). One python3 process answers `repr` of what `yaml.safe_load` gave for
 * each document, or the error's class; imgcfg's side is the spec's values written with core's
 * Python repr. The texts must be identical, or both sides must refuse the document.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as ImageSpec from '@imgcfg/core/ImageSpec'
import { parseImageSpecText } from '../src/index.js'
import { LONE_DASH } from '../src/pyyaml.js'

const probe = spawnSync('python3', ['-c', 'import yaml'], { encoding: 'utf8' })
const skipReason =
  probe.error !== undefined
    ? `python3 is not on PATH (${probe.error.message})`
    : probe.status !== 0
      ? `python3 cannot import yaml (PyYAML is not installed): ${probe.stderr.trim().split('\n').pop()}`
      : undefined
if (skipReason !== undefined) console.warn(`SKIPPED the PyYAML differential test: ${skipReason}`)

// Length-prefixed frames both ways: "<bytes>\n<document>" in, "<bytes>\n<answer>" out.
const SERVER = String.raw`
import sys, yaml
inp, out = sys.stdin.buffer, sys.stdout.buffer
while True:
    header = inp.readline()
    if not header:
        break
    doc = inp.read(int(header)).decode('utf-8')
    try:
        d = yaml.safe_load(doc)
        answer = 'ok ' + repr([d.get('env'), d.get('builder_options')])
    except Exception as e:
        answer = 'error ' + type(e).__name__
    data = answer.encode('utf-8', 'backslashreplace')
    out.write(b'%d\n' % len(data) + data)
    out.flush()
`

/** One long-lived python3 answering one document at a time. */
const pyyaml = () => {
  const child: ChildProcessWithoutNullStreams = spawn('python3', ['-c', SERVER])
  let buffer = Buffer.alloc(0)
  const waiting: Array<(answer: string) => void> = []
  child.stdout.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk])
    for (;;) {
      const newline = buffer.indexOf(10)
      if (newline < 0) return
      const size = Number(buffer.subarray(0, newline).toString())
      if (buffer.length < newline + 1 + size) return
      const answer = buffer.subarray(newline + 1, newline + 1 + size).toString('utf8')
      buffer = buffer.subarray(newline + 1 + size)
      waiting.shift()!(answer)
    }
  })
  return {
    load: (doc: string): Promise<string> =>
      new Promise((resolve) => {
        waiting.push(resolve)
        const bytes = Buffer.from(doc, 'utf8')
        child.stdin.write(`${bytes.length}\n`)
        child.stdin.write(bytes)
      }),
    close: () => child.stdin.end(),
  }
}

const ours = (doc: string): string => {
  const spec = parseImageSpecText(doc, { origin: 'spec.yaml' })
  if (E.isLeft(spec)) return spec.left._tag === 'InvalidImageSpec' && spec.left.message.endsWith(LONE_DASH) ? `refused ${LONE_DASH}` : 'error'
  const text = ImageSpec.pythonRepr([spec.right.env, spec.right.builder_options])
  return E.isLeft(text) ? 'error' : `ok ${text.right}`
}

// -------------------------------------------------------------------------------------
// generated documents
// -------------------------------------------------------------------------------------

/** Plain scalars where YAML 1.1 (PyYAML) and YAML 1.2 part ways, and their neighbours. */
const tricky = fc.constantFrom(
  ...['yes', 'Yes', 'NO', 'on', 'Off', 'y', 'n', 'Y', 'true', 'False', 'TRUE', 'tRue'],
  ...['0', '017', '0o17', '08', '09', '0x1F', '0X1F', '0b101', '0b_1', '0x_', '1_000', '-1_0', '+12', '1:30', '-1:30', '190:20:30', '1:60', '01:30'],
  ...['1e22', '1.5e300', '.5', '-.5', '+.5', '1.5e+3', '1.5e3', '1.0e+16', '1.', '0.1', '1_0.5', '1:30.5', '.inf', '-.Inf', '+.INF', '.NaN', '.nan', '.', '1e-5', '1.0e-05', '6.02e+23'],
  ...['null', 'Null', 'NULL', '~', 'nil', 'None'],
  ...['2024-01-01', '2024-1-1', '2024-01-01 10:20:30', '2024-01-01T10:20:30Z', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.123456789 +5', '2023-02-29', '2024-02-29', '2024-13-01', '2024-01-01T25:00:00'],
  ...['=', 'a b', 'x:y', 'ghcr.io/a:1', '-', '%', 'é', 'ñandú', 'İ', 'x\u0300'],
)
const number = fc.oneof(
  fc.stringMatching(/^[-+]?[0-9][0-9_]{0,5}(\.[0-9_]{0,3})?([eE][-+]?[0-9]{1,3})?$/),
  fc.stringMatching(/^[-+]?0[xob][0-9a-fA-F_]{1,4}$/),
  fc.stringMatching(/^[-+]?[0-9]{1,2}(:[0-9]{1,2}){1,2}(\.[0-9]{0,2})?$/),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
)
const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.\/-]{0,6}$/)
const plain = fc.oneof({ arbitrary: tricky, weight: 4 }, { arbitrary: number, weight: 3 }, { arbitrary: word, weight: 1 })

const singleQuoted = (s: string): string => `'${s.replace(/'/g, "''")}'`
const doubleQuoted = (s: string): string =>
  `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`
const quotedText = fc.oneof(plain, fc.string({ maxLength: 6 }).filter((s) => !/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff\ufffe\uffff]/.test(s)))
const escape = fc.constantFrom('\\x41', '\\u00e9', '\\U0001F600', '\\0', '\\_', '\\N', '\\L', '\\P', '\\e', '\\ ')

const scalar = fc.oneof(
  { arbitrary: plain, weight: 6 },
  { arbitrary: quotedText.map(singleQuoted), weight: 1 },
  { arbitrary: quotedText.map(doubleQuoted), weight: 1 },
  { arbitrary: fc.tuple(quotedText, escape).map(([s, e]) => `"${doubleQuoted(s).slice(1, -1)}${e}"`), weight: 1 },
  // A long int: Python 3.11 refuses to read more than 4300 digits.
  { arbitrary: fc.constantFrom('1'.repeat(4300), '1'.repeat(4301)), weight: 1 },
)

const keyScalar = fc.oneof(
  fc.constantFrom('1', '1.0', 'true', 'yes', 'on', '0x1', '01', '1:0', '"1"', "'true'", '~', 'null', '2024-01-01', '.5', '0.5', 'a', 'b', '<<', '='),
  word,
)

type YNode =
  | { readonly t: 'scalar'; readonly text: string }
  | { readonly t: 'alias' }
  | { readonly t: 'seq'; readonly flow: boolean; readonly items: ReadonlyArray<YNode> }
  | { readonly t: 'map'; readonly flow: boolean; readonly pairs: ReadonlyArray<readonly [string, YNode]> }

const { node } = fc.letrec<{ node: YNode; seq: YNode; map: YNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    { arbitrary: scalar.map((text): YNode => ({ t: 'scalar', text })), weight: 5 },
    { arbitrary: fc.constant<YNode>({ t: 'alias' }), weight: 1 },
    { arbitrary: tie('seq'), weight: 2 },
    { arbitrary: tie('map'), weight: 2 },
  ),
  seq: fc.record({ t: fc.constant('seq' as const), flow: fc.boolean(), items: fc.array(tie('node'), { maxLength: 4 }) }),
  map: fc.record({
    t: fc.constant('map' as const),
    flow: fc.boolean(),
    pairs: fc.array(fc.tuple(keyScalar, fc.oneof({ arbitrary: tie('node'), weight: 4 }, { arbitrary: fc.constant<YNode>({ t: 'alias' }), weight: 1 })), {
      maxLength: 4,
    }),
  }),
}))

/** A node as text in a flow context; `alias` is what an alias node becomes. */
const flow = (n: YNode, alias: string): string => {
  switch (n.t) {
    case 'scalar':
      return n.text
    case 'alias':
      return alias
    case 'seq':
      return `[${n.items.map((v) => flow(v, alias)).join(', ')}]`
    case 'map':
      return `{${n.pairs.map(([k, v]) => `${k}: ${flow(v, alias)}`).join(', ')}}`
  }
}

const isBlock = (n: YNode): boolean => (n.t === 'seq' && !n.flow && n.items.length > 0) || (n.t === 'map' && !n.flow && n.pairs.length > 0)

/** A node as the lines of a block collection at an indentation. */
const block = (n: YNode, indent: number, alias: string): string[] => {
  const pad = ' '.repeat(indent)
  const entry = (head: string, v: YNode): string[] => (isBlock(v) ? [head, ...block(v, indent + 2, alias)] : [`${head} ${flow(v, alias)}`])
  if (n.t === 'seq') return n.items.flatMap((v) => entry(`${pad}-`, v))
  if (n.t === 'map') return n.pairs.flatMap(([k, v]) => entry(`${pad}${k}:`, v))
  return [`${pad}${flow(n, alias)}`]
}

const field = (name: string, anchor: string, n: YNode, alias: string): string[] =>
  isBlock(n) ? [`${name}:${anchor}`, ...block(n, 2, alias), ''] : [`${name}:${anchor} ${flow(n, alias)}`]

// env holds the anchor. An alias inside it would be recursive, which imgcfg refuses by design
// (PyYAML builds a value that contains itself): there it is a null instead.
const document = fc.record({ env: node, options: node }).map(({ env, options }) =>
  [`name: app`, ...field('env', ' &a', env, '~'), ...field('builder_options', '', options, '*a'), ''].join('\n'),
)

// -------------------------------------------------------------------------------------
// the law
// -------------------------------------------------------------------------------------

describe.skipIf(skipReason !== undefined)('parseImageSpecText reads what PyYAML safe_load reads (differential, python3 + PyYAML)', () => {
  let python: ReturnType<typeof pyyaml>
  beforeAll(() => {
    python = pyyaml()
  })
  afterAll(() => python.close())

  it('the same Python text, or both refuse the document', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(document, async (doc) => {
        const theirs = await python.load(doc)
        const mine = ours(doc)
        // The one refusal the generator reaches, a lone - in a flow collection (PyYAML: the
        // string '-'), comes first whatever else the document holds; its own test pins it.
        if (mine !== `refused ${LONE_DASH}`) expect(theirs.startsWith('error') ? 'error' : theirs, doc).toBe(mine)
      }),
      { numRuns: 300 },
    )
  })

  it.each([
    ['YAML 1.1 scalars', 'name: app\nenv: [yes, n, 017, 08, 1:30, 1e22, -.5, 1.5e+3, .inf, ~, 2024-01-01, 2024-01-01 10:20:30]\n'],
    ['1, 1.0 and true as one key', 'name: app\nenv: {1: a, 1.0: b, true: c}\n'],
    ['a merge key', 'name: app\nenv: &a {x: 1}\nbuilder_options: {<<: *a, y: 2}\n'],
  ])('%s', async (_, doc) => {
    const theirs = await python.load(doc)
    expect(theirs).toMatch(/^ok /)
    expect(ours(doc)).toBe(theirs)
  })
})
