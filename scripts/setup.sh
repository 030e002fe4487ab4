#!/usr/bin/env bash
# Installs everything toxync needs on a bare Debian 12 machine, as root, with no stdin:
# Debian packages (libtoxcore and the reference client toxic for the interop test, tmux to
# drive it, iproute2 for the test namespace) and the npm packages from the lockfile.
# Idempotent: skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES=(libtoxcore2 toxic tmux iproute2 util-linux ca-certificates)
missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages: ${missing[*]} (run as root, or apt-get install them)" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

stamp=node_modules/.toxync-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
