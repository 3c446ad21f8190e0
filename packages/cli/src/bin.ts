#!/usr/bin/env node
import { nodeCapabilities } from './node.js'
import { run } from './run.js'

// A reader that stops early (`imgcfg schema | head -1`) is not an error: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 1))
}
run(process.argv.slice(2), nodeCapabilities()).then((code) => (process.exitCode = code))
