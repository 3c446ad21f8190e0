#!/usr/bin/env bash
# Runs every package's tests through turbo, then prints one line 'N passed, N failed' summed
# from the vitest JSON reports (the line CI reads). Exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1
reports="$PWD/reports"
rm -rf "$reports"
mkdir -p "$reports"
IMGCFG_REPORT_DIR="$reports" pnpm exec turbo run test --concurrency=1 "$@"
status=$?
node scripts/summarize-reports.mjs "$reports" || status=1
exit "$status"
