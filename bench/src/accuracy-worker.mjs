/**
 * Runs one parser over inputs in a worker thread, posting each result as it comes, so the main
 * thread can stop a parser that backtracks for seconds on one input and go on with the next.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { PARSERS } from './parsers.mjs'

const { parser, inputs, from } = workerData
const { parts } = PARSERS.find((p) => p.name === parser)
// the clock starts once the parsers are loaded, not while the worker boots
parentPort.postMessage({ ready: true })
for (let i = from; i < inputs.length; i++) {
  let result
  try {
    result = { i, parts: parts(inputs[i]) }
  } catch (e) {
    result = { i, threw: String(e) }
  }
  parentPort.postMessage(result)
}
