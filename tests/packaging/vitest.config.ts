import { packageTestConfig } from '../../vitest.shared.js'

// Two heavy files (packing and installing; type-checking and running every documented example),
// one after the other: the machine is shared, and each starts many processes of its own.
export default packageTestConfig('packaging', { hookTimeout: 300_000, testTimeout: 120_000, fileParallelism: false })
