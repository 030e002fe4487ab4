#!/usr/bin/env bash
# `npm run package`: builds the bundles and packs toxync-<version>-linux-x64.vsix with
# @vscode/vsce for the one platform whose native files it carries (libtoxcore prebuilds and
# koffi's addon; see .vscodeignore and docs/prebuilds.md for the other targets), then checks
# the file list and prints the size. `--no-build` packs the current dist/ as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
target=linux-x64
[ "${1:-}" = "--no-build" ] || node scripts/build.mjs
version=$(node -p 'require("./package.json").version')
out="toxync-${version}-${target}.vsix"
rm -f "$out"
# --allow-missing-repository: there is no public repository URL to name; without the flag
# vsce would stop and ask on stdin; the README keeps its links as written (no base URL to prepend).
npx vsce package --target "$target" --allow-missing-repository --no-rewrite-relative-links --out "$out" >/dev/null
node scripts/vsix-files.mjs "$out"
