import { packageTestConfig } from '../../vitest.shared.js'

export default packageTestConfig('playground', { globalSetup: ['test/globalSetup.ts'], hookTimeout: 60_000 })
