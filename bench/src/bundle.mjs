/**
 * Section 4: what a browser consumer pays. esbuild bundles a one-line consumer the way an
 * application would (`--bundle --minify --platform=browser`, no alias: esbuild takes core's
 * `module` condition, its ES module build on fp-ts's ES modules); we report raw and gzip bytes
 * and which packages ended up inside.
 */
import { gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'
import { int, table, verdict } from './stats.mjs'

const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url))
const TARGET_BYTES = 8 * 1024

const CONSUMERS = [
  {
    name: '`lookUpImageInfo` only',
    source: `import { lookUpImageInfo } from '@imgcfg/core/Image'\nconsole.log(lookUpImageInfo('gpu', 'ghcr.io/mycorp/gpu:1.0'))\n`,
    target: true,
  },
  {
    name: 'all of core',
    source: `import * as core from '@imgcfg/core'\nconsole.log(core)\n`,
    target: false,
  },
]

/** The package an input file belongs to (`fp-ts`, `io-ts`, `@imgcfg/core`, …). */
const packageOf = (path) => {
  const parts = path.split('node_modules/')
  if (parts.length === 1) return path === 'consumer.js' ? '(consumer)' : path.includes('packages/core/') ? '@imgcfg/core' : path
  const rest = parts[parts.length - 1].split('/')
  return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]
}

const bundle = async (source) => {
  const result = await esbuild.build({
    stdin: { contents: source, resolveDir: BENCH_DIR, sourcefile: 'consumer.js' },
    absWorkingDir: BENCH_DIR,
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
  const code = result.outputFiles[0].contents
  const output = Object.values(result.metafile.outputs)[0]
  const byPackage = new Map()
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const pkg = packageOf(path)
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + bytesInOutput)
  }
  return { raw: code.length, gzip: gzipSync(code, { level: 9 }).length, byPackage }
}

export const runBundleSection = async () => {
  const rows = []
  for (const consumer of CONSUMERS) rows.push({ consumer, ...(await bundle(consumer.source)) })
  const first = rows.find((r) => r.consumer.target)
  const met = first.raw <= TARGET_BYTES
  const markdown = [
    '## 4. Bundle size',
    '',
    "esbuild 0.28 `--bundle --minify --platform=browser --format=esm`, no alias (core's `module` condition), of a one-line consumer (`src/bundle.mjs`). gzip is level 9. \"inside\" is esbuild's metafile: output bytes per package.",
    '',
    table(
      ['consumer', 'raw bytes', 'gzip bytes', 'inside (raw bytes)'],
      rows.map((r) => [
        r.consumer.name,
        int(r.raw),
        int(r.gzip),
        [...r.byPackage].sort((a, b) => b[1] - a[1]).map(([p, b]) => `${p} ${int(b)}`).join(', '),
      ]),
    ),
    '',
    `**Target** — \`lookUpImageInfo\` alone ≤ 8 KB, read as raw minified bytes (8,192; the honest reading): ${int(first.raw)} raw (${int(first.gzip)} gzip) → ${verdict(met)}.`,
  ].join('\n')
  return { markdown, met, rows }
}
