#!/usr/bin/env bash
# Installs everything toxync needs on a bare Debian 12 machine, as root, with no stdin:
# Debian packages (libtoxcore; the reference client toxic for the interop test and tmux to
# drive it; gcc, make, pkg-config, patchelf and the ncurses, libconfig and libcurl headers for
# scripts/build-toxic.sh, which builds toxic with NGC groups against our libtoxcore; iproute2
# for the test namespace; for the proxy leak test: tox-bootstrapd from
# toxcore-utils as relay, microsocks and tinyproxy as proxies, nftables to count packets,
# setpriv from util-linux; chromium for the webview corpus and e2e tests, driven by
# playwright-core from npm — never `playwright install`, which downloads; for code-server, the
# VS Code host of `npm start` and the extension-host/e2e tests: python3, make and g++ for its
# native modules, libkrb5-dev, ripgrep; for the linux-arm64 and win32-x64 packages' --check and
# emulated tests (test/platform/): qemu-user-static with arm64 glibc/libstdc++, wine64, mingw
# binutils; webp (cwebp, img2webp) to make the WebP files of the hostile-image corpus test — the cross compilers are installed by build-libtoxcore.sh itself), the npm packages from the lockfile, and code-server
# 4.100.3 into tools/code-server (its own package.json and lockfile; tools/code-server/install.sh).
# Idempotent: skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES=(libtoxcore2 toxic tmux gcc pkg-config patchelf xz-utils libncurses-dev libconfig-dev libcurl4-openssl-dev iproute2 util-linux ca-certificates toxcore-utils microsocks tinyproxy nftables chromium python3 make g++ libkrb5-dev ripgrep qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross wine64 binutils-mingw-w64-x86-64 webp)
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
  # tinyproxy ships a system service; the tests start their own instance in a namespace, so
  # keep the package from starting one on the host (policy-rc.d 101 = "do not start").
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1
  fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ "$made_policy" -eq 1 ] && rm -f /usr/sbin/policy-rc.d
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then systemctl disable --now tinyproxy >/dev/null 2>&1 || true; fi
fi

stamp=node_modules/.toxync-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

bash tools/code-server/install.sh
