import { packageTestConfig } from '../../vitest.shared.js'

// One file, run once: it packs every package and installs the tarballs (slow steps, done once).
export default packageTestConfig('packaging', { hookTimeout: 300_000, testTimeout: 120_000 })
