/**
 * Docker credential helpers (`docker-credential-NAME`, named by `credHelpers` or `credsStore` in
 * the Docker config file), run as Docker does: `docker-credential-NAME get`, the server URL on
 * stdin, `{"Username": …, "Secret": …}` on stdout; the username `<token>` means the secret is an
 * identity token. Node only.
 *
 * @since 0.1.0
 */
import { spawn } from 'node:child_process'
import * as E from 'fp-ts/lib/Either.js'
import type { Credentials } from './DockerConfig.js'
import { said } from './text.js'

/** What a helper said: credentials, none for this server, or why it could not be asked. */
export type HelperAnswer = E.Either<string, Credentials | undefined>

/** The helper's answer is never larger than this. */
const MAX_OUTPUT = 64 * 1024

/** What helpers print when they have nothing for the server (docker-credential-helpers' ErrCredentialsNotFound). */
const NOT_FOUND = /credentials not found|not found in (native )?keychain|no credentials/i

/** Names a helper may have: it becomes part of a program name looked up on PATH. */
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

/** SIGKILL to the helper's process group (it leads one: spawned detached), else to the helper alone. */
const killGroup = (child: ReturnType<typeof spawn>): void => {
  try {
    if (child.pid !== undefined && process.platform !== 'win32') {
      process.kill(-child.pid, 'SIGKILL')
      return
    }
  } catch {
    // The group is gone already, or was never made: the helper alone, below.
  }
  child.kill('SIGKILL')
}

/**
 * Runs `docker-credential-<helper> get` for `serverUrl`. A Left is a sentence saying why there are
 * no credentials (missing helper, failure, timeout, unreadable answer); it never holds the secret.
 *
 * @since 0.1.0
 */
export const runHelper = (
  helper: string,
  serverUrl: string,
  options: { readonly env?: Readonly<Record<string, string | undefined>>; readonly timeoutMs: number },
): Promise<HelperAnswer> =>
  new Promise((resolve) => {
    if (!HELPER_NAME.test(helper)) {
      resolve(E.left('the helper name is not a program name'))
      return
    }
    const program = `docker-credential-${helper}`
    const source = `the credential helper ${program}`
    let stdout = ''
    let stderr = ''
    let done = false
    const finish = (answer: HelperAnswer) => {
      if (done) return
      done = true
      clearTimeout(timer)
      resolve(answer)
    }
    let child: ReturnType<typeof spawn>
    try {
      child = spawn(program, ['get'], {
        env: Object.fromEntries(Object.entries(options.env ?? {}).filter((kv): kv is [string, string] => typeof kv[1] === 'string')),
        stdio: ['pipe', 'pipe', 'pipe'],
        // Its own process group, so a timeout can end whatever it started too (gpg, pass, a
        // keychain agent it waits on), not only the helper.
        detached: process.platform !== 'win32',
      })
    } catch (e) {
      resolve(E.left(`it could not be started (${said(e instanceof Error ? e.message : String(e))})`))
      return
    }
    const timer = setTimeout(() => {
      killGroup(child)
      finish(E.left(`it did not answer within ${options.timeoutMs % 1000 === 0 ? `${options.timeoutMs / 1000} s` : `${options.timeoutMs} ms`}`))
    }, options.timeoutMs)
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdout.length < MAX_OUTPUT) stdout += chunk
    })
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < MAX_OUTPUT) stderr += chunk
    })
    child.on('error', (e: NodeJS.ErrnoException) => {
      finish(E.left(e.code === 'ENOENT' ? `it is not installed (no ${program} on PATH)` : e.code === 'EACCES' ? `${program} is not executable` : `it could not be started (${e.code ?? 'error'})`))
    })
    child.stdin!.on('error', () => {
      // A helper that exits without reading stdin: its exit status tells.
    })
    child.stdin!.end(serverUrl)
    child.on('close', (code, signal) => {
      if (code !== 0) {
        if (NOT_FOUND.test(stdout) || NOT_FOUND.test(stderr)) {
          finish(E.right(undefined))
          return
        }
        const words = (stderr.trim() || stdout.trim()).split('\n')[0] ?? ''
        finish(E.left(`it failed (${signal !== null ? `killed by ${signal}` : `exit status ${code}`})${words !== '' ? `: ${said(words)}` : ''}`))
        return
      }
      let json: unknown
      try {
        json = JSON.parse(stdout)
      } catch {
        // The output may hold the secret: it is not quoted.
        finish(E.left('its answer is not the JSON object {"Username": …, "Secret": …}'))
        return
      }
      const { Username: username, Secret: secret } = (typeof json === 'object' && json !== null ? json : {}) as { Username?: unknown; Secret?: unknown }
      if (typeof secret !== 'string' || secret === '') {
        finish(E.right(undefined))
        return
      }
      if (username === '<token>') {
        finish(E.right({ _tag: 'IdentityToken', token: secret, source }))
        return
      }
      if (typeof username !== 'string' || username === '') {
        finish(E.left('its answer has a secret but no username'))
        return
      }
      finish(E.right({ _tag: 'Basic', username, password: secret, source }))
    })
  })
