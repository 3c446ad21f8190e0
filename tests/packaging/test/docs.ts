/**
 * Executable documentation: the TypeScript blocks of the READMEs and the `@example`s of the
 * packages' doc comments, as programs. Each is type-checked and run; a line whose comment states
 * a value (`expr // 'x:1'`, or `expr` then `// Right({ … })` on the next line) has that value
 * checked, when the comment is a JavaScript expression (with `Right`, `Left`, `Some`, `None`
 * standing for fp-ts's constructors). A comment in prose (`// FLYTE_INTERNAL_IMAGE when set`) or
 * with an ellipsis is a remark, not a claim.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { transformSync } from 'esbuild'

export interface Example {
  /** Where it is: `README.md:82` or `packages/core/src/Image.ts:5`. */
  readonly where: string
  /** The source file whose doc comment holds it (undefined for a README). */
  readonly source?: string
  /** Its line numbers in that file start here (the first line of code). */
  readonly line: number
  readonly code: string
}

const helpers = {
  Right: (right: unknown) => ({ _tag: 'Right', right }),
  Left: (left: unknown) => ({ _tag: 'Left', left }),
  Some: (value: unknown) => ({ _tag: 'Some', value }),
  None: { _tag: 'None' },
}

/** The value a comment states, when it is an expression that evaluates (else undefined: prose). */
export const claimOf = (comment: string): { readonly source: string } | undefined => {
  const source = comment.trim()
  // An ellipsis outside quotes elides something: a sketch, not a value.
  const unquoted = source.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, "''")
  if (source === '' || unquoted.includes('…') || unquoted.includes('...')) return undefined
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    new Function(...Object.keys(helpers), `"use strict"; return (${source})`)(...Object.values(helpers))
    return { source }
  } catch {
    return undefined
  }
}

const parses = (statement: string): boolean => {
  try {
    transformSync(statement, { loader: 'ts', format: 'esm' })
    return true
  } catch {
    return false
  }
}

/** `const a = expr` or a bare expression, one line; undefined when the line is neither. */
const valueOf = (line: string): { readonly binding?: string; readonly expression: string } | undefined => {
  const trimmed = line.trim()
  if (trimmed === '' || /^(import|export|if|for|while|return|type|interface)\b/.test(trimmed)) return undefined
  const declared = /^(?:const|let)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(.+)$/.exec(trimmed)
  if (declared) return parses(trimmed) ? { binding: declared[1]!, expression: declared[2]! } : undefined
  if (/^(const|let|var|function|class)\b/.test(trimmed)) return undefined
  const expression = trimmed.replace(/;$/, '')
  if (!parses(trimmed) || !parses(`(${expression})`)) return undefined
  // `console.log(x)` followed by what it prints: the claim is about x.
  const logged = /^console\.log\(([\s\S]*)\)$/.exec(expression)
  return logged && parses(`(${logged[1]})`) ? { expression: logged[1]! } : { expression }
}

/** Splits `code // comment` (a `//` outside quotes); undefined when there is no comment. */
const splitComment = (line: string): { code: string; comment: string } | undefined => {
  let quote: string | undefined
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (quote) {
      if (c === '\\') i++
      else if (c === quote) quote = undefined
    } else if (c === "'" || c === '"' || c === '`') quote = c
    else if (c === '/' && line[i + 1] === '/') return { code: line.slice(0, i), comment: line.slice(i + 2) }
  }
  return undefined
}

export interface Program {
  readonly text: string
  /** How many claims it checks. */
  readonly claims: number
}

/**
 * The example as a program that checks its claims: each claimed line becomes a call to
 * `__claim(line, value, expected)`, which records a mismatch; the program prints the mismatches
 * as JSON on its last line.
 */
export const toProgram = (example: Example, id: string): Program => {
  const lines = localImports(example).split('\n')
  const out: string[] = []
  let claims = 0
  const check = (line: string, comment: string, at: number): string | undefined => {
    const claim = claimOf(comment)
    const value = valueOf(line)
    if (!claim || !value) return undefined
    claims++
    const expected = `(() => (${claim.source}))()`
    return value.binding
      ? `${line.trim().replace(/;$/, '')}; __claim(${at}, ${value.binding}, ${expected})`
      : `__claim(${at}, ${value.expression}, ${expected})`
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const at = example.line + i
    const inline = splitComment(line)
    if (inline && inline.code.trim() !== '') {
      out.push(check(inline.code, inline.comment, at) ?? line)
      continue
    }
    // `expr` then `// value` alone on the next line (one line only: a longer comment is prose).
    const next = lines[i + 1]
    const after = lines[i + 2]
    if (next !== undefined && /^\s*\/\//.test(next) && !(after !== undefined && /^\s*\/\/\s/.test(after) && !/^\s*\/\/\s*$/.test(after))) {
      const replaced = check(line, next.replace(/^\s*\/\//, ''), at)
      if (replaced) {
        out.push(replaced, next)
        i++
        continue
      }
    }
    out.push(line)
  }
  const preamble = [
    "import { isDeepStrictEqual as __equal, inspect as __inspect } from 'node:util'",
    'const Right = <A>(right: A) => ({ _tag: "Right" as const, right })',
    'const Left = <E>(left: E) => ({ _tag: "Left" as const, left })',
    'const Some = <A>(value: A) => ({ _tag: "Some" as const, value })',
    'const None = { _tag: "None" as const }',
    'void Right; void Left; void Some; void None',
    `const __mismatches: string[] = (((globalThis as any).__docs ??= {})[${JSON.stringify(id)}] = [])`,
    ...(/\bassert\./.test(example.code) && !/import .*\bassert\b/.test(example.code) ? ["import * as assert from 'node:assert'"] : []),
    // A string of the text with an ellipsis stands for any string that has what it shows around
    // each `…` (a literal `…` matches itself); everything else is compared strictly.
    'const __matches = (actual: unknown, expected: unknown): boolean => {',
    "  if (typeof expected === 'string' && expected.includes('…')) {",
    "    const parts = expected.split('…').map((p) => p.replace(/[.*+?^${}()|[\\]\\\\]/g, '\\\\$&'))",
    "    return typeof actual === 'string' && new RegExp(`^${parts.join('[\\\\s\\\\S]*')}$`).test(actual)",
    '  }',
    '  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => __matches(actual[i], e))',
    "  if (typeof expected === 'object' && expected !== null && Object.getPrototypeOf(expected) === Object.prototype) {",
    "    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return false",
    '    const a = actual as Record<string, unknown>, e = expected as Record<string, unknown>',
    '    const keys = Object.keys(e)',
    '    return Object.keys(a).length === keys.length && keys.every((k) => k in a && __matches(a[k], e[k]))',
    '  }',
    '  return __equal(actual, expected)',
    '}',
    'const __claim = (line: number, actual: unknown, expected: unknown): void => {',
    '  if (!__matches(actual, expected)) __mismatches.push(`line ${line}: got ${__inspect(actual, { depth: 8 })}, the text says ${__inspect(expected, { depth: 8 })}`)',
    '}',
  ]
  // Imports first (ES modules hoist them anyway), then the helpers, then the example's body.
  const imports = out.filter((l) => /^\s*import\b/.test(l))
  const body = out.filter((l) => !/^\s*import\b/.test(l))
  return {
    text: [...imports, ...preamble, ...body, 'export {}', ''].join('\n'),
    claims,
  }
}

/**
 * An `@example` of an internal module imports it relatively (`./ini.js`) or not at all (it shows
 * a function of the file it is in): both become imports of that source file.
 */
const localImports = (example: Example): string => {
  if (!example.source) return example.code
  const dir = dirname(example.source)
  const code = example.code.replace(/from '(\.{1,2}\/[^']+)\.js'/g, (_, path: string) => `from '${join(dir, path)}.ts'`)
  if (/^\s*import\b/m.test(code)) return code
  const exported = [...readFileSync(example.source, 'utf8').matchAll(/^export (?:const|function|async function) (\w+)/gm)].map((m) => m[1]!)
  const used = exported.filter((name) => new RegExp(`\\b${name}\\b`).test(code))
  return used.length === 0 ? code : `${code}\nimport { ${used.join(', ')} } from '${example.source}'`
}

const tsBlocks = (root: string, file: string): Example[] => {
  const text = readFileSync(join(root, file), 'utf8')
  const examples: Example[] = []
  const re = /^```ts\n([\s\S]*?)^```/gm
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const line = text.slice(0, m.index).split('\n').length
    examples.push({ where: `${file}:${line}`, line: line + 1, code: m[1]! })
  }
  return examples
}

const docExamples = (root: string, file: string): Example[] => {
  const lines = readFileSync(join(root, file), 'utf8').split('\n')
  const examples: Example[] = []
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*\*\s*@example\s*$/.test(lines[i]!)) continue
    const body: string[] = []
    let j = i + 1
    for (; j < lines.length; j++) {
      const l = lines[j]!
      if (/^\s*\*\//.test(l) || /^\s*\*\s*@\w+/.test(l)) break
      body.push(l.replace(/^\s*\* ?/, ''))
    }
    const code = body.join('\n').replace(/^```ts\n|```\s*$/gm, '').trimEnd()
    examples.push({ where: `${file}:${i + 1}`, source: join(root, file), line: i + 2, code })
  }
  return examples
}

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  )

/** Every README TypeScript block and every `@example` of the published packages' sources. */
export const allExamples = (root: string): Example[] => {
  const packages = ['core', 'config-file', 'registry', 'cli']
  const readmes = ['README.md', ...packages.map((p) => `packages/${p}/README.md`)]
  const sources = packages.flatMap((p) => walk(join(root, 'packages', p, 'src')).map((f) => relative(root, f)))
  return [...readmes.flatMap((f) => tsBlocks(root, f)), ...sources.flatMap((f) => docExamples(root, f))]
}
