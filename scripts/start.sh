#!/usr/bin/env bash
# The README's first command (`npm start`): installs what is missing (scripts/setup.sh: Debian
# packages, npm packages, code-server in tools/code-server), builds and packages the extension
# (.vsix), then runs VS Code in the browser (code-server) with toxync installed, next to a
# local Tox network with an echo bot — all inside a loopback-only network namespace, reachable
# from your browser through a forwarder on 127.0.0.1 (tools/devhost/start.ts explains the design).
#   npm start                   # local demo network; prints the URL and the echo bot's Tox ID
#   npm start -- --port 9000    # another local port (default 8080)
#   npm start -- --public       # the public Tox network instead (needs internet)
# TOXYNC_START_PREPACKAGED=1 skips set-up and packaging when the .vsix exists (the npm-start
# signal test uses it: it measures stopping, not installing).
set -euo pipefail
cd "$(dirname "$0")/.."

# SIGINT/SIGTERM to this script's PID (npm forwards what it gets to us; a process manager or an
# IDE's stop button signals only the PID it started) must stop the step in progress with all
# it started, not just this shell: the step runs in the background so the trap runs at once,
# and the trap signals the step's whole process tree (listed before signalling, so nothing is
# re-parented away first). `<&0` keeps the terminal as the step's stdin.
tree() {
  local c
  for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do tree "$c"; done
  echo "$1"
}
step() {
  "$@" <&0 &
  local pid=$!
  trap 'kill -TERM $(tree '"$pid"') 2>/dev/null || true; wait '"$pid"' || true; exit 143' INT TERM
  wait "$pid"
  trap - INT TERM
}

vsix="$PWD/toxync-$(node -p 'require("./package.json").version')-linux-x64.vsix"
if [ "${TOXYNC_START_PREPACKAGED:-}" != 1 ] || [ ! -f "$vsix" ]; then
  step bash scripts/setup.sh
  step bash scripts/package.sh
fi
# exec: start.js takes this PID, so the signal reaches the process that knows what to stop.
exec node dist/start.js --vsix "$vsix" "$@"
