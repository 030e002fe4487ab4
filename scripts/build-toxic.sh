#!/usr/bin/env bash
# Builds toxic (the curses Tox client, TokTok/toxic) with NGC group chats against toxync's own
# libtoxcore 0.2.23 (native-prebuilds/linux-x64), as a third-party reference peer for the group
# interop test and bench. Debian 12's toxic package is built against libtoxcore 0.2.18: no groups.
# Not shipped: a test tool only (tools/ is outside the .vsix allowlist).
#
#   bash scripts/build-toxic.sh            # build if needed; prints the binary's absolute path
#   bash scripts/build-toxic.sh --vendor   # regenerate tools/toxic/*.tar.xz from git (maintainer)
#
# Source. CI reaches only the npm registry and Debian's mirror, so the pinned sources are
# committed (docs/decisions.md): tools/toxic/toxic-<ver>.tar.xz is `git archive` of toxic's
# release tag (LICENSE, README.md, Makefile, cfg/, src/), tools/toxic/toxcore-<ver>-headers.tar.xz
# holds the four public headers of the c-toxcore commit our libtoxcore was built from (tox.h and
# what it includes, toxencryptsave.h). Their sha256 are pinned below and checked before a build.
# `--vendor` makes both again from repositories holding the pinned commits:
#   TOXIC_GIT (default .cache/src/toxic), TOXCORE_GIT (default .cache/src/c-toxcore).
#
# Build: toxic's own Makefile, ENABLE_RELEASE=1, and everything optional off: no audio/video
# (DISABLE_AV, DISABLE_VI), X11, sound or desktop notifications, QR codes, games or Python. It
# needs gcc, make, pkg-config, libncurses-dev, libconfig-dev and libcurl4-openssl-dev (installed by
# scripts/setup.sh). The binary gets RUNPATH $ORIGIN/../../../native-prebuilds/linux-x64, so it
# loads exactly the libtoxcore.so.2 the tests use, and must show "Toxcore version 0.2.23".
#
# Cache: .cache/toxic/<key>/toxic (gitignored), key = sha256 of this script, both tarballs and
# libtoxcore.so.2. A cached build is reused at once; a lock serialises concurrent callers.
set -euo pipefail
export LC_ALL=C TZ=UTC

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOXIC_VERSION="0.16.2"
TOXIC_COMMIT="07dba324aa06916c6c96ed5104240d304a662050" # tag v0.16.2
TOXIC_TAR="tools/toxic/toxic-${TOXIC_VERSION}.tar.xz"
TOXIC_SHA256="10a87f97c32847a403641d0a50bf691e92f1bbf91d8f1402cc6dfe36f1838bd5"
TOXCORE_VERSION="0.2.23"
TOXCORE_COMMIT="d9ca3c577e5abd4303d180eb5270167b4133ea4c" # = scripts/build-libtoxcore.sh
HEADERS_TAR="tools/toxic/toxcore-${TOXCORE_VERSION}-headers.tar.xz"
HEADERS_SHA256="8913de75d1c10d84d1cc7fa868b93053a34e488f28e6d42e1476bc4c388d96c8"
HEADERS=(toxcore/tox.h toxcore/tox_options.h toxcore/tox_log_level.h toxencryptsave/toxencryptsave.h)
LIBDIR_REL="native-prebuilds/linux-x64"
MAKE_FLAGS=(VERSION="${TOXIC_VERSION}" ENABLE_RELEASE=1 DISABLE_AV=1 DISABLE_VI=1 DISABLE_X11=1 DISABLE_SOUND_NOTIFY=1 DISABLE_DESKTOP_NOTIFY=1
  DISABLE_QRCODE=1 DISABLE_QRPNG=1 DISABLE_GAMES=1 ENABLE_PYTHON=0 ENABLE_TOX_EXPERIMENTAL=0)

die() { echo "build-toxic: error: $*" >&2; exit 1; }
log() { echo "build-toxic: $*" >&2; }

# Deterministic tar.xz of a tree (sorted, fixed owner and mtime), so --vendor reproduces the pins.
pack() { # DIR OUT
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 --format=gnu -C "$1" -cf - . | xz -9e -T1 >"$2"
}

vendor() {
  local src="${TOXYNC_SRC:-${ROOT}/.cache/src}" tmp
  local toxic_git="${TOXIC_GIT:-${src}/toxic}" toxcore_git="${TOXCORE_GIT:-${src}/c-toxcore}"
  git -C "$toxic_git" cat-file -e "${TOXIC_COMMIT}^{commit}" 2>/dev/null || die "no toxic commit ${TOXIC_COMMIT} in ${toxic_git}"
  git -C "$toxcore_git" cat-file -e "${TOXCORE_COMMIT}^{commit}" 2>/dev/null || die "no c-toxcore commit ${TOXCORE_COMMIT} in ${toxcore_git}"
  tmp="$(mktemp -d /tmp/toxync-toxic-vendor.XXXXXX)"
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" EXIT
  mkdir -p "$tmp/toxic" "$tmp/headers/tox" "${ROOT}/tools/toxic"
  git -C "$toxic_git" archive --format=tar "$TOXIC_COMMIT" LICENSE README.md Makefile cfg src | tar -x -C "$tmp/toxic"
  for h in "${HEADERS[@]}"; do git -C "$toxcore_git" show "${TOXCORE_COMMIT}:${h}" >"$tmp/headers/tox/$(basename "$h")"; done
  git -C "$toxcore_git" show "${TOXCORE_COMMIT}:LICENSE" >"$tmp/headers/LICENSE"
  pack "$tmp/toxic" "${ROOT}/${TOXIC_TAR}"
  pack "$tmp/headers" "${ROOT}/${HEADERS_TAR}"
  log "wrote ${TOXIC_TAR} ($(sha256sum "${ROOT}/${TOXIC_TAR}" | cut -d' ' -f1)) and ${HEADERS_TAR} ($(sha256sum "${ROOT}/${HEADERS_TAR}" | cut -d' ' -f1)): pin these sha256 in this script"
}

case "${1:-}" in
  --vendor) vendor; exit 0 ;;
  "") ;;
  -h|--help) sed -n '2,27p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown argument: $1" ;;
esac

[[ "$(uname -s)-$(uname -m)" == Linux-x86_64 ]] || die "builds for linux-x64 only (the libtoxcore it links is ${LIBDIR_REL})"
LIB="${ROOT}/${LIBDIR_REL}/libtoxcore.so.2"
[[ -f "$LIB" ]] || die "${LIBDIR_REL}/libtoxcore.so.2 is missing"
for f in "$TOXIC_TAR:$TOXIC_SHA256" "$HEADERS_TAR:$HEADERS_SHA256"; do
  got="$(sha256sum "${ROOT}/${f%%:*}" 2>/dev/null | cut -d' ' -f1)" || true
  [[ "$got" == "${f#*:}" ]] || die "${f%%:*}: sha256 ${got:-missing}, pinned ${f#*:} (restore it from git)"
done

key="$(cat "${BASH_SOURCE[0]}" "${ROOT}/${TOXIC_TAR}" "${ROOT}/${HEADERS_TAR}" "$LIB" | sha256sum | cut -c1-16)"
CACHE="${ROOT}/.cache/toxic"
OUT="${CACHE}/${key}"
if [[ -x "${OUT}/toxic" ]]; then echo "${OUT}/toxic"; exit 0; fi

mkdir -p "$CACHE"
exec 9>"${CACHE}/.lock"
flock 9
if [[ -x "${OUT}/toxic" ]]; then echo "${OUT}/toxic"; exit 0; fi # built by the caller we waited for

for t in gcc make pkg-config xz flock patchelf; do command -v "$t" >/dev/null || die "needs ${t} (scripts/setup.sh installs the build tools)"; done
for p in ncursesw libconfig libcurl; do pkg-config --exists "$p" || die "needs the pkg-config package ${p} (libncurses-dev, libconfig-dev, libcurl4-openssl-dev; scripts/setup.sh installs them)"; done

started=$SECONDS
WORK="$(mktemp -d "${CACHE}/build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/src" "$WORK/toxcore/lib" "$WORK/toxcore/pkgconfig"
tar -xJf "${ROOT}/${TOXIC_TAR}" -C "$WORK/src"
tar -xJf "${ROOT}/${HEADERS_TAR}" -C "$WORK/toxcore"
# toxic finds toxcore through pkg-config: a .pc naming the vendored headers and our library.
ln -s "$LIB" "$WORK/toxcore/lib/libtoxcore.so"
cat >"$WORK/toxcore/pkgconfig/toxcore.pc" <<EOF
Name: toxcore
Description: toxync's libtoxcore ${TOXCORE_VERSION} (${LIBDIR_REL})
Version: ${TOXCORE_VERSION}
Cflags: -I${WORK}/toxcore
Libs: -L${WORK}/toxcore/lib -ltoxcore
EOF
log "building toxic ${TOXIC_VERSION} (${TOXIC_COMMIT:0:12}) against ${LIBDIR_REL}/libtoxcore.so.2 (${TOXCORE_VERSION})"
(cd "$WORK/src" && PKG_CONFIG_PATH="$WORK/toxcore/pkgconfig" make -j"$(nproc)" "${MAKE_FLAGS[@]}" \
  USER_CFLAGS="-D_FORTIFY_SOURCE=2" USER_LDFLAGS="-Wl,-z,relro,-z,now") >"$WORK/build.log" 2>&1 \
  || { tail -n 40 "$WORK/build.log" >&2; die "make failed"; }
bin="$WORK/src/build/toxic"
# shellcheck disable=SC2016 # a literal $ORIGIN, expanded by ld.so
patchelf --set-rpath '$ORIGIN/../../../'"${LIBDIR_REL}" "$bin"
if readelf -d "$bin" | grep -Eq 'NEEDED.*(toxav|opus|vpx|openal|X11)'; then die "the build links A/V or X11 libraries"; fi
# Staged beside its final place (same depth, so the RUNPATH resolves), checked, then renamed.
staged="${OUT}.staging"
rm -rf "$staged"
mkdir -p "$staged"
cp "$bin" "$staged/toxic"
cp "$WORK/src/LICENSE" "$staged/LICENSE"
# Debian's libtoxcore2 (0.2.18) would be found if the RUNPATH missed: the version line catches it.
version="$("$staged/toxic" -v 2>&1 | tr '\n' ' ')" || true
[[ "$version" == *"Toxic version ${TOXIC_VERSION}"*"Toxcore version ${TOXCORE_VERSION}"* ]] || { rm -rf "$staged"; die "the built toxic reports: ${version}"; }
rm -rf "$OUT"
mv "$staged" "$OUT"
log "built ${OUT#"${ROOT}"/}/toxic in $((SECONDS - started)) s (${version% })"
echo "${OUT}/toxic"
