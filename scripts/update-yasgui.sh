#!/usr/bin/env bash
# Update the bundled SPARQL editor (YASGUI) in viz/static/vendor/yasgui/ from npm.
# Run by a maintainer after changing the version in viz/web/yasgui-npm/package.json;
# users and CI never need npm (the built files are committed with their licence).
set -euo pipefail
cd "$(dirname "$0")/.."
(cd viz/web/yasgui-npm && npm install --no-audit --no-fund --loglevel=error)
build=viz/web/yasgui-npm/node_modules/@zazuko/yasgui/build
dest=viz/static/vendor/yasgui
cp "$build/yasgui.min.js" "$build/yasgui.min.css" "$dest/"
version=$(node -p "require('./viz/web/yasgui-npm/node_modules/@zazuko/yasgui/package.json').version")
echo "copied @zazuko/yasgui $version into $dest; update the version and the list in $dest/NOTICE.md"
