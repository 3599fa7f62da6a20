#!/usr/bin/env bash
# System pieces the tests need beyond Python packages: a Java runtime (HermiT, for `reason`),
# Debian's Chromium (browser tests) and the SPARQL editor from npm (served locally, no CDN).
# Idempotent: installs only what is missing. Needs root (or sudo) for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup-system: installing ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ -f viz/web/yasgui-npm/package.json ]; then
  if [ ! -d viz/web/yasgui-npm/node_modules ] || [ viz/web/yasgui-npm/package-lock.json -nt viz/web/yasgui-npm/node_modules ]; then
    echo "setup-system: npm ci in viz/web/yasgui-npm (SPARQL editor)"
    (cd viz/web/yasgui-npm && npm ci --no-audit --no-fund --loglevel=error)
    touch viz/web/yasgui-npm/node_modules
  fi
fi
