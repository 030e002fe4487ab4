#!/usr/bin/env bash
# The README's first command (`npm start`): sets up, builds, and runs the terminal demo on a
# local Tox network inside a loopback-only network namespace (nothing leaves this machine).
# The chat UI in VS Code replaces this with the chat issue.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
node scripts/build.mjs
ns=(unshare -n)
[ "$(id -u)" -eq 0 ] || ns=(unshare -rn)
exec "${ns[@]}" bash -c 'ip link set lo up && exec node dist/demo.js'
