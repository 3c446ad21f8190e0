import { defineConfig } from 'vitest/config'

const reportDir = process.env.IMGCFG_REPORT_DIR

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    reporters: reportDir ? ['default', ['json', { outputFile: `${reportDir}/hostile.json` }]] : ['default'],
  },
})
