#!/usr/bin/env bash
# Sets up a fresh machine that has Node.js and npm: the pinned pnpm, the locked dependencies,
# Debian's Chromium for the playground's browser tests, and a build of every package.
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1

PNPM_VERSION=12.4.2
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm $PNPM_VERSION" >&2
  npm install -g "pnpm@$PNPM_VERSION" >/dev/null
fi

echo "setup: installing dependencies (pnpm install --frozen-lockfile)" >&2
pnpm install --frozen-lockfile --reporter=silent

if [ -d apps/playground ] && [ ! -x /usr/bin/chromium ] && [ "${IMGCFG_SKIP_BROWSER:-}" != 1 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian's chromium for the browser tests" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: /usr/bin/chromium is missing; run as root or 'sudo apt-get install chromium' for the browser tests" >&2
  fi
fi

echo "setup: building every package" >&2
pnpm --silent build --output-logs=errors-only
echo "setup: done" >&2
