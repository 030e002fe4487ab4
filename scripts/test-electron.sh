#!/usr/bin/env bash
# The extension-host tests in desktop VS Code (@vscode/test-electron), for machines that have
# it: VSCODE_EXECUTABLE=/path/to/code bash scripts/test-electron.sh. Not run by `npm test`
# (CI uses code-server). Runs inside a loopback-only network namespace like every Tox test;
# VS Code reaches the X/Wayland display through its unix socket, which the namespace keeps.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${VSCODE_EXECUTABLE:?set VSCODE_EXECUTABLE to the VS Code executable}"
node scripts/build.mjs
ns=(unshare -n)
[ "$(id -u)" -eq 0 ] || ns=(unshare -rn)
exec "${ns[@]}" bash -c 'ip link set lo up && exec node out/test/in-exthost/electronRunner.js'
