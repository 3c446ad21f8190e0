#!/usr/bin/env bash
# Sets up a fresh machine that has Node.js and npm: the pinned pnpm, the locked dependencies,
# Debian's Chromium, docker-registry and docker-credential-pass for the tests that drive them, and a
# build of every package.
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

# Debian packages the tests drive for real: Chromium (playground) and the CNCF distribution
# registry (packages/registry). Each is installed only when missing, and only as root.
apt_packages=()
[ -d apps/playground ] && [ ! -x /usr/bin/chromium ] && [ "${IMGCFG_SKIP_BROWSER:-}" != 1 ] && apt_packages+=(chromium)
[ -d packages/registry ] && [ ! -x /usr/bin/docker-registry ] && [ "${IMGCFG_SKIP_REGISTRY:-}" != 1 ] && apt_packages+=(docker-registry)
# A real Docker credential helper (docker-credential-pass) over pass and gpg, for the helper test.
[ -d packages/registry ] && [ ! -x /usr/bin/docker-credential-pass ] && [ "${IMGCFG_SKIP_REGISTRY:-}" != 1 ] && apt_packages+=(golang-docker-credential-helpers)
[ -d packages/registry ] && ! command -v pass >/dev/null 2>&1 && [ "${IMGCFG_SKIP_REGISTRY:-}" != 1 ] && apt_packages+=(pass)
if [ ${#apt_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian packages: ${apt_packages[*]}" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_packages[@]}" >/dev/null
  else
    echo "setup: missing ${apt_packages[*]}; run as root or 'sudo apt-get install ${apt_packages[*]}' for the tests that need them" >&2
  fi
fi

echo "setup: building every package" >&2
pnpm --silent build --output-logs=errors-only
echo "setup: done" >&2
