import { buildApp } from './support.js'

/** One production build for all test files: the browser tests load it, the bundle test reads it. */
export default async function setup(): Promise<void> {
  await buildApp()
}
