#!/usr/bin/env bash
# Installs code-server (pinned in package.json + package-lock.json beside this script) into
# tools/code-server/node_modules, offline-safe: nothing but the npm registry is contacted.
# Skipped when the stamp says this exact lockfile is already installed and working.
# Needs (scripts/setup.sh installs them): python3, make, g++ and Node's headers (node-gyp
# builds the native modules from source: their prebuilt downloads are not reachable),
# libkrb5-dev (kerberos), ripgrep. Pitfalls handled here, measured on npm 10 and 11:
# - npm 11 runs dependency install scripts only when allowScripts (package.json) lists them;
#   code-server's own nested install in lib/vscode needs its own list, patched in below.
# - code-server's postinstall refuses to run as root unless npm_config_unsafe_perm=true.
# - @vscode/ripgrep downloads rg from GitHub, unless it finds its cache archive in $TMPDIR:
#   we put Debian's /usr/bin/rg there.
# - node-pty runs `npx node-gyp`; npm_config_yes=true lets npx fetch node-gyp from the registry.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
cs="$here/node_modules/code-server"
stamp="$here/node_modules/.toxync-stamp"
want="$(sha256sum package-lock.json | cut -d' ' -f1) node-$(node -p 'process.versions.modules')"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$cs/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ]; then
  exit 0
fi
echo "code-server: installing $(node -p 'require("./package.json").dependencies["code-server"]') into tools/code-server (about 1-3 minutes)"
command -v rg >/dev/null || { echo "code-server: ripgrep (rg) is missing: run scripts/setup.sh" >&2; exit 1; }

work="$(mktemp -d /tmp/toxync-cs-install.XXXXXX)"
trap 'rm -rf "$work"' EXIT
# The exact archive name @vscode/ripgrep@1.15.11 looks for before downloading.
rgcache="$work/vscode-ripgrep-cache-1.15.11"
mkdir -p "$rgcache" "$work/rg"
cp "$(command -v rg)" "$work/rg/rg"
tar -C "$work/rg" -czf "$rgcache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" rg

export TMPDIR="$work" npm_config_yes=true npm_config_unsafe_perm=true
# node-gyp would download Node's headers; Debian's nodejs ships them under /usr/include/node.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi
quiet=(--no-audit --no-fund --loglevel=error)
log="$work/npm.log"
run() { "$@" >>"$log" 2>&1 || { echo "code-server: '$*' failed; last lines of its log:" >&2; tail -40 "$log" >&2; exit 1; }; }

rm -rf node_modules
run npm ci --ignore-scripts "${quiet[@]}"
# code-server's postinstall runs `npm install` in lib/vscode, whose native modules npm 11
# builds only if that package.json allows them (npm 10 ignores the field).
node -e '
  const fs = require("fs"); const f = process.argv[1];
  const p = JSON.parse(fs.readFileSync(f, "utf8"));
  p.allowScripts = Object.assign({}, p.allowScripts, Object.fromEntries(
    ["@parcel/watcher", "@vscode/deviceid", "@vscode/ripgrep", "@vscode/spdlog", "kerberos", "native-watchdog", "node-pty"].map((n) => [n, true])));
  fs.writeFileSync(f, JSON.stringify(p, null, 2) + "\n");' "$cs/lib/vscode/package.json"
run npm rebuild "${quiet[@]}"
# The nested `npm install` finds its packages already unpacked and skips their scripts: build them.
(cd "$cs/lib/vscode" && run npm rebuild "${quiet[@]}")

for f in lib/vscode/node_modules/@vscode/ripgrep/bin/rg lib/vscode/node_modules/node-pty/build/Release/pty.node lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node out/node/entry.js; do
  [ -e "$cs/$f" ] || { echo "code-server: install incomplete, $f is missing; log:" >&2; tail -40 "$log" >&2; exit 1; }
done
node "$cs/out/node/entry.js" --version >/dev/null 2>&1 || { echo "code-server: installed but 'code-server --version' fails" >&2; exit 1; }
echo "$want" > "$stamp"
echo "code-server: $(node "$cs/out/node/entry.js" --version 2>/dev/null | head -1)"
