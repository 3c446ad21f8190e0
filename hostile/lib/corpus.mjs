// The hostile-input corpus: fixture files under corpus/<kind>/, generated big inputs, file-system
// set-ups, and how each case becomes library calls (run by worker.mjs) and CLI runs. Which checks
// a case runs is decided by the keys of its expectation in corpus/manifest.json.
import { execFileSync } from 'node:child_process'
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const CORPUS = join(dirname(fileURLToPath(import.meta.url)), '..', 'corpus')

/** The default image the flag and identifier cases resolve against (no python3 probe). */
export const DEFAULT_IMAGE = 'cr.flyte.org/flyteorg/flytekit:py3.11-1.15.0'
const VERSIONS = ['--python-version', '3.11', '--flytekit-version', '1.15.0']
const RESOLVE = ['resolve', '--format', 'json']
/** A config file's images resolve after this default. */
const BASE = 'ghcr.io/org/base:1'

/** Linux refuses one argv string over 128 KiB (MAX_ARG_STRLEN); NUL cannot be in argv at all. */
const ARG_MAX = 128 * 1024 - 1

const MIB = 1024 * 1024

export const loadManifest = () => JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8'))

export const kindOf = (c) => c.id.split('/')[0]

// -------------------------------------------------------------------------------------
// generated inputs: big ones are made at test time, never committed
// -------------------------------------------------------------------------------------

const repeatTo = (unit, length) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length)

const write = (dir, name, content) => {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

/** Lines `prefix + i + suffix` joined until the text would pass `max` characters. */
const linesUpTo = (head, max, line) => {
  const parts = [head]
  let size = head.length
  for (let i = 0; ; i++) {
    const l = line(i)
    if (size + l.length > max) break
    parts.push(l)
    size += l.length
  }
  return parts.join('')
}

const mergeChain = (n) => {
  let s = 'a0: &a0 {k0: ghcr.io/org/k:0}\n'
  for (let k = 1; k < n; k++) s += `a${k}: &a${k} {<<: *a${k - 1}, k${k}: ghcr.io/org/k:${k}}\n`
  return `${s}images:\n  <<: *a${n - 1}\n`
}

const aliases = (n) => `x: &x ghcr.io/org/x:1\nimages:\n${Array.from({ length: n }, (_, i) => `  i${i}: *x\n`).join('')}`

/** Lines nested one column deeper each: `line` after i spaces, for i below n. */
const indented = (n, line) => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}${line}\n`).join('')

/** name → (dir) → identifier string | flag list | file path, by kind. */
export const GENERATORS = {
  // identifiers
  'identifier-1mib-letters': () => 'a'.repeat(MIB),
  'identifier-1mib-tag': () => `app:${'1'.repeat(MIB)}`,
  'identifier-1mib-at': () => '@'.repeat(MIB),
  'identifier-1mib-colons': () => ':'.repeat(MIB),
  'identifier-1mib-dashes': () => repeatTo('a-', MIB),
  'identifier-1mib-underscores': () => repeatTo('a__', MIB),
  'identifier-1mib-nul': () => '\u0000'.repeat(MIB),
  'identifier-100kib-letters': () => `${'a'.repeat(100 * 1024)}@`,
  // flags
  'flags-10000-names': () => Array.from({ length: 10_000 }, (_, i) => `n${i}=ghcr.io/org/n:${i}`),
  'flags-10000-last-repeats-first': () => [...Array.from({ length: 9_999 }, (_, i) => `n${i}=ghcr.io/org/n:${i}`), 'n0=ghcr.io/org/n:again'],
  'flags-1mib-value': () => [`big=${'a'.repeat(MIB)}`],
  'flags-100kib-value': () => [`big=${'a'.repeat(100 * 1024)}`],
  'flags-100kib-name': () => [`${'n'.repeat(100 * 1024)}=ghcr.io/org/a:1`, `${'n'.repeat(100 * 1024)}=ghcr.io/org/a:2`],
  // json
  'json-deep-10000-images': (dir) => write(dir, 'deep.json', `{"images": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`),
  'json-deep-100000-ignored-key': (dir) =>
    write(dir, 'deep.json', `{"images": [{"name": "a", "fqn": "x", "tag": "1", "x": ${'{"a": '.repeat(100_000)}1${'}'.repeat(100_000)}}]}`),
  'json-deep-100000-default': (dir) => write(dir, 'deep.json', `{"default_image": ${'{"a": '.repeat(100_000)}1${'}'.repeat(100_000)}}`),
  'json-100000-images': (dir) =>
    write(dir, 'many.json', `{"images": [${Array.from({ length: 100_000 }, (_, i) => `{"name": "n${i}", "fqn": "ghcr.io/org/n", "tag": "${i}", "digest": null}`).join(', ')}]}`),
  'json-100000-invalid-images': (dir) => write(dir, 'bad.json', `{"images": [${Array(100_000).fill('1').join(', ')}]}`),
  'json-1000-invalid-images': (dir) => write(dir, 'bad.json', `{"images": [${Array(1_000).fill('1').join(', ')}]}`),
  'json-1mib-name': (dir) => write(dir, 'long.json', `{"images": [{"name": "${'n'.repeat(MIB)}", "fqn": "x", "tag": "1"}]}`),
  'json-100000-keys-with-proto': (dir) =>
    write(dir, 'keys.json', `{"__proto__": {"polluted": 1}, ${Array.from({ length: 100_000 }, (_, i) => `"k${i}": ${i}`).join(', ')}, "images": []}`),
  // yaml
  'yaml-50mb': (dir) => write(dir, 'big.yaml', Buffer.alloc(50 * MIB, 'images: {}\n# padding\n')),
  'yaml-16mib-plus-1': (dir) => write(dir, 'big.yaml', Buffer.alloc(16 * MIB + 1, '# x\n')),
  'yaml-1mib-plus-1': (dir) => write(dir, 'big.yaml', `images: {}\n${repeatTo('#\n', MIB + 1 - 11)}`),
  'yaml-1mib-dense-list': (dir) => write(dir, 'dense.yaml', `x: [${repeatTo('1,', MIB - 6)}]\n`),
  'yaml-1mib-value': (dir) => write(dir, 'long.yaml', `images:\n  big: ${'a'.repeat(MIB - 20)}\n`),
  'yaml-1mib-comment-line': (dir) => write(dir, 'long.yaml', `# ${'x'.repeat(MIB - 40)}\nimages:\n  a: ghcr.io/org/a:1\n`),
  'yaml-deep-flow-list-10000': (dir) => write(dir, 'deep.yaml', `images: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`),
  'yaml-deep-flow-map-10000': (dir) => write(dir, 'deep.yaml', `images: ${'{a: '.repeat(10_000)}x${'}'.repeat(10_000)}\n`),
  'yaml-deep-block-list-10000': (dir) => write(dir, 'deep.yaml', `images:\n  a:\n    ${'- '.repeat(10_000)}x\n`),
  'yaml-deep-top-level-10000': (dir) => write(dir, 'deep.yaml', `${'['.repeat(10_000)}${']'.repeat(10_000)}\n`),
  'yaml-10000-aliases': (dir) => write(dir, 'aliases.yaml', aliases(10_000)),
  'yaml-10001-aliases': (dir) => write(dir, 'aliases.yaml', aliases(10_001)),
  'yaml-merge-chain-100': (dir) => write(dir, 'chain.yaml', mergeChain(100)),
  'yaml-merge-chain-101': (dir) => write(dir, 'chain.yaml', mergeChain(101)),
  'yaml-merge-chain-5000': (dir) => write(dir, 'chain.yaml', mergeChain(5_000)),
  'yaml-merge-fanout': (dir) =>
    write(dir, 'fanout.yaml', `b: &b {${Array.from({ length: 20 }, (_, i) => `k${i}: x:${i}`).join(', ')}}\nimages:\n  <<: [${Array(6_000).fill('*b').join(', ')}]\n`),
  'yaml-10000-documents': (dir) => write(dir, 'docs.yaml', 'images: {}\n' + '---\n'.repeat(10_000)),
  'yaml-binary-1mib': (dir) => write(dir, 'random.yaml', pseudoRandomBytes(MIB)),
  // ini
  'ini-100000-lines': (dir) => write(dir, 'many.config', `[images]\n${Array.from({ length: 100_000 }, (_, i) => `n${i} = ghcr.io/org/n:${i}\n`).join('')}`),
  'ini-100000-other-section': (dir) => write(dir, 'many.config', `[other]\n${Array.from({ length: 100_000 }, (_, i) => `n${i} = x\n`).join('')}[images]\na = ghcr.io/org/a:1\n`),
  'ini-100000-continuations': (dir) => write(dir, 'cont.config', `[images]\na = ghcr.io/org/a:1\n${'  more\n'.repeat(100_000)}`),
  'ini-100000-comments': (dir) => write(dir, 'comments.config', `${'# comment\n'.repeat(100_000)}[images]\na = ghcr.io/org/a:1\n`),
  'ini-1mib-value': (dir) => write(dir, 'long.config', `[images]\nbig = ${'a'.repeat(MIB)}:1\n`),
  'ini-1mib-name': (dir) => write(dir, 'long.config', `[images]\n${'n'.repeat(MIB)} = ghcr.io/org/a:1\n`),
  'ini-1mib-header': (dir) => write(dir, 'long.config', `[${'s'.repeat(MIB)}]\na = b\n`),
  'ini-1mib-no-delimiter': (dir) => write(dir, 'long.config', `[images]\n${'x'.repeat(MIB)}\n`),
  'ini-1mib-percent': (dir) => write(dir, 'long.config', `[images]\na = ${'%%'.repeat(MIB / 2)}\n`),
  'ini-1mib-nul': (dir) => write(dir, 'nul.config', `[images]\na = ${'\u0000'.repeat(MIB)}\n`),
  'ini-interpolation-fanout': (dir) =>
    write(dir, 'fanout.config', `[images]\nv0 = x\n${Array.from({ length: 10 }, (_, k) => `v${k + 1} = ${`%(v${k})s`.repeat(20)}\n`).join('')}`),
  'ini-binary-1mib': (dir) => write(dir, 'random.config', pseudoRandomBytes(MIB)),
  // imagespec
  'imagespec-binary-4kib': (dir) => write(dir, 'random.yaml', pseudoRandomBytes(4096)),
  'imagespec-nul-4kib': (dir) => write(dir, 'nul.yaml', Buffer.alloc(4096)),
  'imagespec-deep-flow-10000': (dir) => write(dir, 'deep.yaml', `name: app\nenv: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`),
  'imagespec-deep-dashes-10000': (dir) => write(dir, 'deep.yaml', `name: app\nenv:\n${'- '.repeat(10_000)}x\n`),
  'imagespec-deep-indented-seqs-5000': (dir) => write(dir, 'deep.yaml', `name: app\nenv:\n${indented(5_000, '-')}${' '.repeat(5_000)}x\n`),
  'imagespec-deep-indented-maps-5000': (dir) => write(dir, 'deep.yaml', `name: app\nenv:\n${indented(5_000, ' a:')}`),
  'imagespec-deep-indented-maps-10000': (dir) => write(dir, 'deep.yaml', `name: app\nenv:\n${indented(10_000, ' a:')}`),
  'imagespec-int-5000-digits': (dir) => write(dir, 'int.yaml', `name: app\nenv:\n  BIG: ${'1'.repeat(5_000)}\n`),
  'imagespec-hex-100000-digits': (dir) => write(dir, 'hex.yaml', `name: app\nenv:\n  BIG: 0x${'f'.repeat(100_000)}\n`),
  'imagespec-1mib-value': (dir) => write(dir, 'long.yaml', `name: app\nenv:\n  A: ${'a'.repeat(MIB)}\n`),
  'imagespec-100000-keys': (dir) => write(dir, 'keys.yaml', `name: app\nenv:\n${Array.from({ length: 100_000 }, (_, i) => `  k${i}: ${i}\n`).join('')}`),
  'imagespec-requirements': (dir) => {
    // The conformance vector spec-requirements-crlf, laid out in the working directory.
    write(dir, 'r.txt', 'pandas\r\nnumpy\r\n')
    return write(dir, 'spec.yaml', 'name: app\nrequirements: r.txt\n')
  },
}

/** Deterministic bytes (a linear congruential generator), so failures reproduce. */
const pseudoRandomBytes = (n) => {
  const bytes = Buffer.alloc(n)
  let x = 12345
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    bytes[i] = x >>> 24
  }
  return bytes
}

// -------------------------------------------------------------------------------------
// file-system set-ups
// -------------------------------------------------------------------------------------

const YAML_OK = 'images:\n  a: ghcr.io/org/a:1\n'

/** Root reads files whatever their mode, so the unreadable case runs as another user. */
const isRoot = () => process.getuid?.() === 0

/**
 * name → (dir) → { path?, env?, cwd?, stdin?, asUser? }: what the library is asked to load (`path`,
 * or discovery with `env`/`cwd` when absent) and what the CLI gets (`-c path`, or the environment).
 */
export const SETUPS = {
  missing: (dir) => ({ path: join(dir, 'missing.yaml') }),
  'missing-directory': (dir) => ({ path: join(dir, 'no', 'such', 'dir', 'config.yaml') }),
  'under-a-file': (dir) => {
    write(dir, 'file.yaml', YAML_OK)
    return { path: join(dir, 'file.yaml', 'config.yaml') }
  },
  directory: (dir) => {
    mkdirSync(join(dir, 'config.yaml'))
    return { path: join(dir, 'config.yaml') }
  },
  'directory-ini': (dir) => {
    mkdirSync(join(dir, 'flytekit.config'))
    return { path: join(dir, 'flytekit.config') }
  },
  'discovered-directory-ini': (dir) => {
    mkdirSync(join(dir, 'flytekit.config'))
    return { discover: true, cwd: dir }
  },
  'discovered-directory-yaml': (dir) => {
    mkdirSync(join(dir, 'config.yaml'))
    return { discover: true, env: { FLYTECTL_CONFIG: join(dir, 'config.yaml') } }
  },
  unreadable: (dir) => {
    // Root reads any file; the check then runs as nobody (uid 65534), for whom mode 000 is final.
    chmodSync(dir, 0o755)
    const path = write(dir, 'secret.yaml', YAML_OK)
    chmodSync(path, 0o000)
    return { path, ...(isRoot() ? { asUser: { uid: 65534, gid: 65534 } } : {}) }
  },
  'symlink-loop': (dir) => {
    symlinkSync(join(dir, 'b.yaml'), join(dir, 'a.yaml'))
    symlinkSync(join(dir, 'a.yaml'), join(dir, 'b.yaml'))
    return { path: join(dir, 'a.yaml') }
  },
  'discovered-symlink-loop': (dir) => {
    symlinkSync(join(dir, 'b.yaml'), join(dir, 'a.yaml'))
    symlinkSync(join(dir, 'a.yaml'), join(dir, 'b.yaml'))
    return { discover: true, env: { FLYTECTL_CONFIG: join(dir, 'a.yaml') } }
  },
  'dangling-symlink': (dir) => {
    symlinkSync(join(dir, 'gone.yaml'), join(dir, 'link.yaml'))
    return { path: join(dir, 'link.yaml') }
  },
  'symlink-to-dev-zero': (dir) => {
    symlinkSync('/dev/zero', join(dir, 'zero.yaml'))
    return { path: join(dir, 'zero.yaml') }
  },
  fifo: (dir) => {
    execFileSync('mkfifo', [join(dir, 'fifo.yaml')])
    return { path: join(dir, 'fifo.yaml') }
  },
  'discovered-fifo': (dir) => {
    execFileSync('mkfifo', [join(dir, 'flytekit.config')])
    return { discover: true, cwd: dir }
  },
  socket: async (dir) => {
    // A listening UNIX socket (unref'd: it never keeps the process alive); open() refuses it.
    const path = join(dir, 'socket.yaml')
    await new Promise((resolve) => {
      const server = createServer()
      server.listen(path, () => {
        server.unref()
        resolve()
      })
    })
    return { path }
  },
  'dev-zero': () => ({ path: '/dev/zero' }),
  'dev-null': () => ({ path: '/dev/null' }),
  'dev-urandom-ini': () => ({ path: '/dev/urandom' }),
  'too-long-path': (dir) => ({ path: join(dir, `${'x'.repeat(5_000)}.yaml`) }),
  'too-long-name': (dir) => ({ path: join(dir, `${'x'.repeat(300)}.yaml`) }),
  'nul-in-path': (dir) => ({ path: join(dir, 'con\u0000fig.yaml'), libraryOnly: 'argv and the environment cannot carry a NUL byte' }),
  'empty-yaml': (dir) => ({ path: write(dir, 'empty.yaml', '') }),
  'empty-ini': (dir) => ({ path: write(dir, 'flytekit.config', '') }),
  'over-16mib': (dir) => ({ path: write(dir, 'big.config', Buffer.alloc(16 * MIB + 1, '#\n')) }),
  'yaml-50mb': (dir) => ({ path: GENERATORS['yaml-50mb'](dir) }),
  'stdin-50mb': () => ({ stdin: Buffer.alloc(50 * MIB, '# padding\n') }),
  'stdin-dev-zero': () => ({ stdin: 'dev-zero' }),
  'stdin-utf16': () => ({ stdin: Buffer.from('\ufeffimages:\n  a: ghcr.io/org/a:1\n', 'utf16le') }),
  'stdin-binary': () => ({ stdin: pseudoRandomBytes(4096) }),
  'stdin-nul': () => ({ stdin: Buffer.alloc(1024) }),
}

// -------------------------------------------------------------------------------------
// from a case to calls and CLI runs
// -------------------------------------------------------------------------------------

const read = (c) => readFileSync(join(CORPUS, c.input))

/** Why a value cannot reach the CLI as an argument, or undefined when it can. */
const argvProblem = (values) =>
  values.some((v) => v.includes('\u0000'))
    ? 'argv cannot carry a NUL byte'
    : values.some((v) => Buffer.byteLength(v) > ARG_MAX)
      ? 'Linux limits one argument to 128 KiB (MAX_ARG_STRLEN)'
      : undefined

const cliRun = (values, run) => {
  const skip = argvProblem(values)
  return skip === undefined ? run() : { skip }
}

/**
 * Prepares a case in `dir`: the worker job (library calls), the CLI runs, and the placeholder
 * values (`{dir}`, `{file}`) its expectations use. Only the checks its expectation names are made.
 */
export const prepare = async (c, dir) => {
  const kind = kindOf(c)
  const wants = new Set(Object.keys(c.expect))
  const calls = {}
  const cli = {}
  const vars = { dir }
  const want = (check, make) => {
    if (wants.has(check)) make()
  }
  const generated = c.generate !== undefined ? await GENERATORS[c.generate](dir) : undefined
  let asUser
  switch (kind) {
    case 'identifiers': {
      const id = generated ?? read(c).toString('utf8')
      want('parseIdentifier', () => (calls.parseIdentifier = { fn: 'parseIdentifier', args: [id] }))
      want('lookUpImageInfo', () => (calls.lookUpImageInfo = { fn: 'lookUpImageInfo', args: ['app', id, false, {}] }))
      want('strict', () => (calls.strict = { fn: 'lookUpImageInfo', args: ['app', id, false, { strict: true }] }))
      want('normalized', () => (calls.normalized = { fn: 'parseNormalizedNamed', args: [id] }))
      want('cli', () => (cli.cli = cliRun([id], () => ({ args: ['parse', '--strict', '--', id] }))))
      want('cliResolve', () => (cli.cliResolve = cliRun([id], () => ({ args: [...RESOLVE, '-c', '', ...VERSIONS, '-i', `app=${id}`] }))))
      break
    }
    case 'flags': {
      const values = generated ?? JSON.parse(read(c).toString('utf8'))
      want('validateImage', () => (calls.validateImage = { fn: 'validateImage', args: [values, { defaultImage: DEFAULT_IMAGE }] }))
      want('cli', () => (cli.cli = cliRun(values, () => ({ args: [...RESOLVE, '-c', '', ...VERSIONS, ...values.flatMap((v) => ['-i', v])] }))))
      break
    }
    case 'json': {
      const path = generated ?? join(CORPUS, c.input)
      want('fromJson', () => (calls.fromJson = { fn: 'fromJsonFile', args: [path] }))
      break
    }
    case 'yaml':
    case 'ini': {
      const path = generated ?? join(CORPUS, c.input)
      vars.file = path
      const format = kind
      want('load', () => (calls.load = { fn: 'loadConfigFile', args: [path] }))
      want('text', () => (calls.text = { fn: 'parseConfigFileText', args: [path, { format, origin: `config.${kind === 'yaml' ? 'yaml' : 'ini'}` }] }))
      want('cli', () => (cli.cli = { args: [...RESOLVE, '-c', path, '-i', BASE] }))
      want('cliStrict', () => (cli.cliStrict = { args: [...RESOLVE, '-c', path, '-i', BASE, '--strict'] }))
      want('cliStdin', () => (cli.cliStdin = { args: [...RESOLVE, '-c', '-', '-i', BASE], stdin: readFileSync(path) }))
      want('cliLint', () => (cli.cliLint = { args: ['lint', '-c', path] }))
      break
    }
    case 'imagespec': {
      // Paths inside a spec are relative to the working directory (flytekit): the case's own.
      const path = generated ?? join(CORPUS, c.input)
      vars.file = path
      want('load', () => (calls.load = { fn: 'loadImageSpec', args: [path, dir] }))
      want('text', () => (calls.text = { fn: 'imageSpecFileText', args: [path, { origin: 'spec.yaml' }] }))
      want('cli', () => (cli.cli = { args: ['image-spec', '--format', 'json', path], options: { cwd: dir } }))
      break
    }
    case 'fs': {
      const setup = await SETUPS[c.setup](dir)
      asUser = setup.asUser
      if (setup.path !== undefined) vars.file = setup.path
      const context = { env: setup.env ?? {}, cwd: setup.cwd ?? dir, home: dir }
      want('load', () => {
        if (setup.discover) calls.load = { fn: 'getConfigFile', args: [null, context] }
        else calls.load = { fn: 'loadConfigFile', args: [setup.path] }
      })
      want('cli', () => {
        if (setup.libraryOnly) return (cli.cli = { skip: setup.libraryOnly })
        const options = { env: setup.env ?? {}, cwd: setup.cwd ?? dir, home: dir, ...(setup.asUser ?? {}) }
        if (setup.stdin !== undefined) {
          const stdin = setup.stdin === 'dev-zero' ? 'dev-zero' : setup.stdin
          cli.cli = { args: [...RESOLVE, '-c', '-', '-i', BASE], options, stdin }
        } else if (setup.discover) cli.cli = { args: [...RESOLVE, '-i', BASE], options }
        else cli.cli = { args: [...RESOLVE, '-c', setup.path, '-i', BASE], options }
      })
      break
    }
    default:
      throw new Error(`unknown corpus kind ${kind} (${c.id})`)
  }
  for (const k of Object.keys(calls)) if (calls[k] === undefined) delete calls[k]
  return { job: { id: c.id, calls, ...(c.timeoutMs ? { timeoutMs: c.timeoutMs } : {}), ...(asUser ? { asUser } : {}) }, cli, vars }
}

/** Opens what a CLI run reads as stdin: a buffer, or a real /dev/zero file descriptor. */
export const stdinFor = (run) => {
  if (run.stdin === 'dev-zero') {
    const fd = openSync('/dev/zero', 'r')
    return { stdin: fd, close: () => closeSync(fd) }
  }
  return { stdin: run.stdin, close: () => undefined }
}
