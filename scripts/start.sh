#!/usr/bin/env bash
# The README's first command (`npm start`): installs what is missing (scripts/setup.sh: Debian
# packages, npm packages, code-server in tools/code-server), builds and packages the extension
# (.vsix), then runs VS Code in the browser (code-server) with toxync installed, next to a
# local Tox network with an echo bot — all inside a loopback-only network namespace, reachable
# from your browser through a forwarder on 127.0.0.1 (tools/devhost/start.ts explains the design).
#   npm start                   # local demo network; prints the URL and the echo bot's Tox ID
#   npm start -- --port 9000    # another local port (default 8080)
#   npm start -- --public       # the public Tox network instead (needs internet)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/package.sh
vsix="$PWD/toxync-$(node -p 'require("./package.json").version')-linux-x64.vsix"
exec node dist/start.js --vsix "$vsix" "$@"
