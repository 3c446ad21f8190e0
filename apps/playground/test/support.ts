/** Test helpers: where the app lives, building it, and serving dist/ over HTTP. */
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

export const appDir = resolve(fileURLToPath(new URL('..', import.meta.url)))
export const distDir = join(appDir, 'dist')

/** Builds the app into dist/ with the project's vite.config.ts, as `pnpm build` does. */
export const buildApp = async (): Promise<void> => {
  const { build } = await import('vite')
  await build({ root: appDir, configFile: join(appDir, 'vite.config.ts'), logLevel: 'warn' })
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
}

export interface StaticServer {
  readonly url: string
  close(): Promise<void>
}

/** Serves a directory on 127.0.0.1 at a free port: just enough of a static host for the tests. */
export const serveStatic = async (root: string): Promise<StaticServer> => {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path))
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      return
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' })
    createReadStream(file).pipe(res)
  })
  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(0, '127.0.0.1', ok)
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((ok, fail) => {
        server.closeAllConnections()
        server.close((e) => (e ? fail(e) : ok()))
      }),
  }
}
