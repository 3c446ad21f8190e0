/**
 * Accuracy on oci.json: a valid vector counts when the parser accepts it with the recorded parts,
 * an invalid one when the parser rejects it. Each parser runs in a worker; an input that takes
 * longer than `TIMEOUT_MS` (a backtracking regular expression) ends the worker, counts as wrong
 * and is listed, and a new worker carries on from the next input.
 */
import { Worker } from 'node:worker_threads'
import { sameName, sameParts } from './parsers.mjs'

export const TIMEOUT_MS = 1000

const WORKER = new URL('./accuracy-worker.mjs', import.meta.url)

/** `{ parts | threw | timedOut }` for each input, in order. */
const runAll = (parser, inputs) =>
  new Promise((resolve, reject) => {
    const results = new Array(inputs.length)
    const start = (from) => {
      if (from >= inputs.length) return resolve(results)
      const worker = new Worker(WORKER, { workerData: { parser, inputs, from } })
      let next = from
      let timer
      const arm = () => {
        clearTimeout(timer)
        timer = setTimeout(() => {
          results[next] = { timedOut: true }
          worker.removeAllListeners('exit')
          void worker.terminate().then(() => start(next + 1))
        }, TIMEOUT_MS)
      }
      worker.on('message', (m) => {
        if (m.ready !== true) {
          results[m.i] = m
          next = m.i + 1
        }
        arm()
      })
      worker.on('error', (e) => {
        clearTimeout(timer)
        reject(e)
      })
      worker.on('exit', () => {
        clearTimeout(timer)
        if (next < inputs.length) reject(new Error(`${parser}: worker exited at input ${next}`))
        else resolve(results)
      })
    }
    start(0)
  })

/**
 * @returns {Promise<{ parser: string, validRight: number, validName: number, valid: number,
 *   invalidRejected: number, invalid: number, threw: number, timedOut: string[], wrong: string[] }>}
 */
export const measureAccuracy = async (parser, vectors) => {
  const results = await runAll(parser, vectors.map((v) => v.input))
  const acc = { parser, validRight: 0, validName: 0, valid: 0, invalidRejected: 0, invalid: 0, threw: 0, timedOut: [], wrong: [] }
  vectors.forEach((v, i) => {
    const r = results[i]
    const expected = v.imgcfg.parse
    if (r.timedOut) acc.timedOut.push(v.id)
    if (r.threw !== undefined) acc.threw++
    const parts = r.timedOut || r.threw !== undefined ? undefined : r.parts
    if (expected.ok) {
      acc.valid++
      if (sameParts(parts, expected)) acc.validRight++
      else acc.wrong.push(v.id)
      if (sameName(parts, expected)) acc.validName++
    } else {
      acc.invalid++
      if (parts === undefined && !r.timedOut) acc.invalidRejected++
      else acc.wrong.push(v.id)
    }
  })
  return acc
}
