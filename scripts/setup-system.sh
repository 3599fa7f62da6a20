#!/usr/bin/env bash
# System pieces the tests need beyond Python packages: a Java runtime (HermiT, for `reason`),
# Debian's Chromium (browser tests) and Virtuoso 7 (virtuoso-opensource: the tests start
# their own server on 127.0.0.1 over a temp database; the package's own service is not used). The SPARQL editor is bundled (viz/static/vendor/yasgui).
# Idempotent: installs only what is missing. Needs root (or sudo) for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v virtuoso-t >/dev/null 2>&1 || need_apt+=(virtuoso-opensource)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup-system: installing ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
