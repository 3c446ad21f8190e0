/**
 * The test settings every package shares: tests under test/, a generous timeout for the
 * spawned processes and real servers, and, when IMGCFG_REPORT_DIR is set (scripts/test.sh), a
 * JSON report that scripts/summarize-reports.mjs sums into the line CI reads.
 */
import { defineConfig, type ViteUserConfig } from 'vitest/config'

export const packageTestConfig = (report: string, test: NonNullable<ViteUserConfig['test']> = {}) => {
  const reportDir = process.env.IMGCFG_REPORT_DIR
  return defineConfig({
    test: {
      include: ['test/**/*.test.ts'],
      testTimeout: 30_000,
      reporters: reportDir ? ['default', ['json', { outputFile: `${reportDir}/${report}.json` }]] : ['default'],
      ...test,
    },
  })
}
