/**
 * Section 1: reference parsing. Throughput of every parser on the same mix of valid references,
 * in rounds whose task order rotates, and accuracy on every vector of oci.json.
 */
import { readFileSync } from 'node:fs'
import { Bench } from 'tinybench'
import * as E from 'fp-ts/lib/Either.js'
import { Reference } from '@imgcfg/core'
import { MAPPING, PARSERS } from './parsers.mjs'
import { measureAccuracy, TIMEOUT_MS } from './accuracy.mjs'
import { fixed, int, median, quantile, ratio, table, verdict } from './stats.mjs'

const OCI = new URL('../../packages/test-utils/conformance/oci.json', import.meta.url)
const ROUNDS = 3
const TARGET = 1.5

const sha256 = 'sha256:26c68657ccce2cb0a31b330cb0be2b5e108d467f641c62e13ab40cbec258c68d'
const sha512 = `sha512:${'0123456789abcdef'.repeat(8)}`

/** What users write in config files: registries, ports, namespaces, tags and pinned digests. */
const REALISTIC = [
  'ubuntu:22.04',
  'python:3.11-slim',
  'cr.flyte.org/flyteorg/flytekit:py3.11-1.15.0',
  'cr.flyte.org/flyteorg/flytekit:py3.12-latest',
  'ghcr.io/flyteorg/flytekit:py3.10-sqlalchemy-1.14.6',
  `ghcr.io/mycorp/gpu@${sha256}`,
  `ghcr.io/mycorp/gpu:1.0@${sha256}`,
  '123456789012.dkr.ecr.us-east-1.amazonaws.com/ml/train:2024.06.01',
  `123456789012.dkr.ecr.eu-west-1.amazonaws.com/ml/serve@${sha256}`,
  'us-docker.pkg.dev/my-project/images/trainer:v2.3.1',
  'europe-west4-docker.pkg.dev/proj-123/repo/app_name:build-4711',
  'myregistry.azurecr.io/team/service:1.2.3-rc.1',
  'registry.gitlab.com/group/sub-group/project/image:main',
  'quay.io/prometheus/node-exporter:v1.8.1',
  'localhost:5000/spark:3.5.1',
  `localhost:5000/ns/spark@${sha512}`,
  'registry.internal.mycorp.com:8443/data/etl-job:20240601',
  '10.0.0.12:5000/feature-store/writer:latest',
  '[fd00::1]:5000/mirror/python:3.11',
  'docker.io/library/postgres:16.3-alpine',
  `nvcr.io/nvidia/pytorch:24.05-py3@${sha256}`,
  'bitnami/redis:7.2',
]

const loadVectors = () => JSON.parse(readFileSync(OCI, 'utf8')).vectors

/** The timed mix: oci.json's valid inputs plus `REALISTIC`; every one is valid for Go's Parse. */
const buildMix = (vectors) => {
  const mix = [...vectors.filter((v) => v.imgcfg.parse.ok).map((v) => v.input), ...REALISTIC]
  const rejected = mix.filter((s) => E.isLeft(Reference.parse(s)))
  if (rejected.length > 0) throw new Error(`mix inputs Reference.parse rejects: ${rejected.join(', ')}`)
  return mix
}

/** How many of the mix a parser accepts (with `parts`): a peer failing on all would show here. */
const acceptedOnMix = (parser, mix) => mix.filter((s) => parser.parts(s) !== undefined).length

/** Keeps the results alive, so no call can be optimised away. */
let sink = 0

const timeParsers = async (mix) => {
  const rounds = []
  for (let round = 0; round < ROUNDS; round++) {
    const bench = new Bench({ time: 800, iterations: 10, warmupTime: 300, warmupIterations: 5, retainSamples: true })
    const order = PARSERS.map((_, i) => PARSERS[(i + round) % PARSERS.length])
    for (const parser of order) {
      const run = parser.run
      bench.add(parser.name, () => {
        for (let i = 0; i < mix.length; i++) if (run(mix[i]) !== undefined) sink++
      }, { async: false })
    }
    await bench.run()
    const byName = {}
    for (const task of bench.tasks) {
      if (task.result.state !== 'completed') throw new Error(`${task.name}: ${task.result.state} ${task.result.error ?? ''}`)
      // one sample = one pass over the mix; convert each to references per second
      byName[task.name] = task.result.latency.samples.map((ms) => (mix.length * 1000) / ms)
    }
    rounds.push(byName)
  }
  return rounds
}

export const runReferenceSection = async () => {
  const vectors = loadVectors()
  const mix = buildMix(vectors)
  const accuracy = []
  for (const parser of PARSERS) accuracy.push(await measureAccuracy(parser.name, vectors))
  const rounds = await timeParsers(mix)

  const peers = PARSERS.filter((p) => p.kind === 'peer')
  const rows = PARSERS.map((parser) => {
    const samples = rounds.flatMap((r) => r[parser.name])
    const roundMedians = rounds.map((r) => median(r[parser.name]))
    return {
      parser,
      accepted: acceptedOnMix(parser, mix),
      median: median(samples),
      p25: quantile(samples, 0.25),
      p75: quantile(samples, 0.75),
      samples: samples.length,
      roundMedians,
    }
  })
  const fastestPeerPerRound = rounds.map((_, i) =>
    Math.max(...rows.filter((r) => r.parser.kind === 'peer').map((r) => r.roundMedians[i])),
  )
  for (const row of rows) row.ratios = row.roundMedians.map((m, i) => m / fastestPeerPerRound[i])
  const fastestPeer = rows
    .filter((r) => r.parser.kind === 'peer')
    .reduce((a, b) => (median(b.ratios) > median(a.ratios) ? b : a))

  const strict = rows.find((r) => r.parser.name === 'imgcfg Reference.parse')
  const strictAcc = accuracy.find((a) => a.parser === strict.parser.name)
  const perfect = (a) => a.validRight === a.valid && a.invalidRejected === a.invalid
  const onlyPerfect = perfect(strictAcc) && accuracy.filter(perfect).length === 1
  const strictRatio = median(strict.ratios)
  const met = strictRatio >= TARGET && onlyPerfect

  const speedTable = table(
    ['parser', 'accepts of the mix', 'refs/s (median)', 'p25–p75', 'samples', 'ratio to fastest peer (median of rounds)', 'ratio per round'],
    rows.map((r) => [
      r.parser.name,
      `${r.accepted}/${mix.length}`,
      int(r.median),
      `${int(r.p25)}–${int(r.p75)}`,
      String(r.samples),
      ratio(median(r.ratios)),
      r.ratios.map((x) => fixed(x)).join(', '),
    ]),
  )
  const accTable = table(
    ['parser', 'valid: right parts', 'valid: right name/tag/digest', 'invalid: rejected', 'all right', 'crashed', `timed out (> ${TIMEOUT_MS} ms)`],
    accuracy.map((a) => [
      a.parser,
      `${a.validRight}/${a.valid}`,
      `${a.validName}/${a.valid}`,
      `${a.invalidRejected}/${a.invalid}`,
      `${fixed((100 * (a.validRight + a.invalidRejected)) / (a.valid + a.invalid), 1)}%`,
      String(a.threw),
      a.timedOut.length === 0 ? '0' : `${a.timedOut.length} (${a.timedOut.join(', ')})`,
    ]),
  )

  const markdown = [
    '## 1. Reference parsing',
    '',
    `The mix: the ${mix.length - REALISTIC.length} valid inputs of \`oci.json\` plus ${REALISTIC.length} realistic registry/port/digest references (\`src/reference.mjs\`), ${mix.length} in all, every one valid for Go's \`Parse\`. One sample is one pass over the whole mix; refs/s = mix size ÷ sample time. ${ROUNDS} rounds, each with every parser (tinybench: 300 ms warm-up, 800 ms measured), the order rotated each round; ratios are taken within a round and their median reported. "accepts of the mix" shows each peer is really exercised: its throughput is for accepting (almost) all of the mix, not for failing fast.`,
    '',
    speedTable,
    '',
    `**Target** — strict \`Reference.parse\` ≥ ${TARGET}× the fastest peer (${fastestPeer.parser.name}) and the only parser at 100%: ${fixed(strictRatio)}× and ${onlyPerfect ? 'the only one at 100%' : 'not the only one at 100%'} → ${verdict(met)}.`,
    '',
    `### Accuracy on oci.json (${vectors.length} vectors: ${strictAcc.valid} valid, ${strictAcc.invalid} invalid)`,
    '',
    'A valid vector counts when the parser accepts it with the recorded `domain`, `path`, `tag` and `digest` (absent = `null`/`undefined`/`\'\'`); an invalid one when it is rejected (the reason is not compared; the core test suite checks imgcfg\'s reasons). The second column compares `domain/path` joined, which forgives a peer its own domain convention. Each parser runs in a worker thread; an input that takes over ' + `${TIMEOUT_MS} ms is stopped and counted as wrong. "crashed" counts inputs on which the parser threw an unexpected error (counted as a rejection).`,
    '',
    accTable,
    '',
    'How each result was read:',
    '',
    ...MAPPING.map(([name, text]) => `- **${name}**: ${text}`),
  ].join('\n')

  return { markdown, met, strictRatio, fastestPeer: fastestPeer.parser.name, rows, accuracy, sink }
}
