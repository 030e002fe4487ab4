#!/usr/bin/env bash
# Builds libtoxcore from upstream source (TokTok/c-toxcore + its submodule TokTok/cmp) into
# native-prebuilds/<target>/: toxcore + toxencryptsave only (no toxav, no tools, no tests), release
# flags plus hardening, reproducible, with libsodium bundled beside it (RUNPATH $ORIGIN), the
# licences, and a manifest.json recording everything. `--check` verifies a committed folder offline.
#
#   bash scripts/build-libtoxcore.sh [--target T]            # build (root, Debian 12 amd64)
#   bash scripts/build-libtoxcore.sh [--target T] --check    # verify (no network, no root)
# T: linux-x64 (default), linux-arm64 (cross gcc), win32-x64 (mingw-w64; scripts/libtoxcore-win32.sh)
#
# Source. The script never downloads source. It reads two git repositories that must contain the
# pinned commits below, and exports exactly those commits with `git archive` (so the state of any
# work tree is irrelevant; git's object hashes are the integrity check):
#   TOXCORE_GIT  default $TOXYNC_SRC/c-toxcore        (TOXYNC_SRC defaults to <repo>/.cache/src)
#   CMP_GIT      default $TOXCORE_GIT/third_party/cmp, else $TOXYNC_SRC/cmp
# A maintainer with internet gets the same source with:
#   mkdir -p .cache/src && cd .cache/src
#   git clone https://github.com/TokTok/c-toxcore && git -C c-toxcore checkout d9ca3c577e5abd4303d180eb5270167b4133ea4c
#   git -C c-toxcore submodule update --init      # third_party/cmp at 52bfcfa17d2eb4322da2037ad625f5575129cece
# Bare mirrors work too: TOXCORE_GIT=/path/c-toxcore.git CMP_GIT=/path/cmp.git bash scripts/build-libtoxcore.sh
#
# Reproducible: SOURCE_DATE_EPOCH is the toxcore commit's date, build paths are mapped to "." with
# -ffile-prefix-map, and the script builds twice in two differently named directories and fails
# unless both libraries are byte-identical. Installs its build tools with apt-get when missing.
set -euo pipefail
export LC_ALL=C TZ=UTC DEBIAN_FRONTEND=noninteractive

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOXCORE_URL="https://github.com/TokTok/c-toxcore"
TOXCORE_VERSION="0.2.23"
TOXCORE_COMMIT="d9ca3c577e5abd4303d180eb5270167b4133ea4c"
CMP_URL="https://github.com/TokTok/cmp"
CMP_COMMIT="52bfcfa17d2eb4322da2037ad625f5575129cece"
# Every build is checked against this: no A/V code may ship.
FORBIDDEN_SYMBOL_RE='^(toxav_|vpx_|opus_)'

die() { echo "build-libtoxcore: error: $*" >&2; exit 1; }
log() { echo "build-libtoxcore: $*" >&2; }

TARGET="linux-x64"
MODE="build"
while (($#)); do
  case "$1" in
    --target) TARGET="${2:?--target needs a value}"; shift 2 ;;
    --target=*) TARGET="${1#*=}"; shift ;;
    --check) MODE="check"; shift ;;
    -h|--help) sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (use --target T and/or --check)" ;;
  esac
done

# Per-target toolchain and flags. Every target is built on Debian 12 amd64: linux-arm64 with Debian's
# cross gcc and Debian's arm64 libsodium, win32-x64 with mingw-w64 and libsodium built from Debian's
# source package and linked statically into the DLL (scripts/libtoxcore-win32.sh).
target_config() {
  DEB_ARCH="amd64"; KIND="elf"; CROSS_PREFIX=""; ENTRY="libtoxcore.so.2"
  case "$TARGET" in
    linux-x64)
      MULTIARCH="x86_64-linux-gnu"; CC_BIN="gcc"; STRIP_BIN="strip"
      ARCH_CFLAGS="-fcf-protection"
      # Debian 12 / Ubuntu 22.04 and newer must load the bundle.
      GLIBC_MAX="2.34"
      SODIUM_PKG="libsodium23"; SODIUM_SONAME="libsodium.so.23"
      SYSTEM_SONAMES_RE='^(libc\.so\.6|libm\.so\.6|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|ld-linux-x86-64\.so\.2)$'
      ;;
    linux-arm64)
      SODIUM_ARCH="arm64"; MULTIARCH="aarch64-linux-gnu"; CROSS_PREFIX="aarch64-linux-gnu-"
      CC_BIN="${CROSS_PREFIX}gcc"; STRIP_BIN="${CROSS_PREFIX}strip"
      # BTI + pointer authentication: arm64's counterpart of -fcf-protection (NOPs on older cores).
      ARCH_CFLAGS="-mbranch-protection=standard"
      GLIBC_MAX="2.34"
      SODIUM_PKG="libsodium23"; SODIUM_SONAME="libsodium.so.23"
      SYSTEM_SONAMES_RE='^(libc\.so\.6|libm\.so\.6|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|ld-linux-aarch64\.so\.1)$'
      ;;
    win32-x64)
      KIND="pe"; CROSS_PREFIX="x86_64-w64-mingw32-"; ENTRY="libtoxcore-2.dll"
      CC_BIN="${CROSS_PREFIX}gcc-posix"; STRIP_BIN="${CROSS_PREFIX}strip"
      SODIUM_PKG="libsodium"
      # Only DLLs that every Windows 10 has in System32 (checked with objdump -p).
      WINDOWS_DLLS_RE='^(kernel32|msvcrt|ws2_32|iphlpapi|advapi32|bcrypt|user32)\.dll$'
      ;;
    *) die "unknown target ${TARGET} (linux-x64, linux-arm64, win32-x64)" ;;
  esac
  OUT_REL="native-prebuilds/${TARGET}"
  OUT="${ROOT}/${OUT_REL}"
}
target_config

# --------------------------------------------------------------------------------------------
# --check: the committed files against manifest.json, plus the ELF properties we promise.
# --------------------------------------------------------------------------------------------
elf_runpath() { readelf -d "$1" | sed -n 's/.*(RUNPATH).*\[\(.*\)\].*/\1/p'; }
elf_soname() { readelf -d "$1" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p'; }
elf_needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\].*/\1/p'; }
elf_glibc() { objdump -T "$1" | grep -oE 'GLIBC_[0-9]+(\.[0-9]+)*' | sed 's/GLIBC_//' | sort -uV | tail -n1 || true; }
# Full RELRO = a PT_GNU_RELRO segment and eager binding (BIND_NOW / FLAGS_1 NOW).
elf_full_relro() {
  readelf -lW "$1" | grep -q 'GNU_RELRO' && readelf -d "$1" | grep -Eq '\(BIND_NOW\)|\(FLAGS\).*BIND_NOW|\(FLAGS_1\).*NOW'
}
elf_defined_symbols() { readelf --dyn-syms -W "$1" | awk '$1 ~ /^[0-9]+:$/ && $7 != "UND" && NF >= 8 {print $8}' | sed 's/@.*//'; }
version_le() { [[ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" == "$1" ]]; }

check() {
  local manifest="${OUT}/manifest.json"
  [[ -f "$manifest" ]] || die "--check: ${OUT_REL}/manifest.json does not exist"
  for t in sha256sum readelf objdump node; do command -v "$t" >/dev/null || die "--check needs ${t} (binutils, coreutils, node)"; done
  # One line per fact: "file\t<path>\t<sha256>\t<size>\t<needed,...>", "license\t<path>", "glibc\t<v>".
  local listing
  listing="$(node -e '
    const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    if (m.entry !== process.argv[2]) throw new Error("entry is " + m.entry);
    console.log("glibc\t" + m.requires.glibc);
    for (const c of m.components) for (const l of c.license_files) console.log("license\t" + l);
    for (const f of m.files) console.log(["file", f.path, f.sha256, String(f.size), f.needed.join(",")].join("\t"));
  ' "$manifest" "$ENTRY")" || die "--check: manifest.json is not valid (node could not read it)"

  local bad=0 n=0 kind path sha size needed actual glibc_manifest="" glibc_max="0" v
  declare -A listed=()
  while IFS=$'\t' read -r kind path sha size needed; do
    case "$kind" in
      glibc) glibc_manifest="$path"; continue ;;
      license)
        if [[ "$path" != licenses/* || "$path" == *..* || ! -s "${OUT}/${path}" ]]; then
          echo "LICENSE  ${OUT_REL}/${path} missing or outside licenses/" >&2; bad=1
        fi
        continue ;;
    esac
    n=$((n + 1)); listed["$path"]=1
    if [[ "$path" == */* || "$path" == .* ]]; then echo "BADPATH  $path" >&2; bad=1; continue; fi
    local f="${OUT}/${path}"
    if [[ ! -f "$f" ]]; then echo "MISSING  ${OUT_REL}/${path}" >&2; bad=1; continue; fi
    actual="$(sha256sum "$f" | cut -d' ' -f1)"
    if [[ "$actual" != "$sha" || "$(stat -c %s "$f")" != "$size" ]]; then
      echo "SHA256   ${OUT_REL}/${path}: expected ${sha} (${size} bytes), got ${actual} ($(stat -c %s "$f") bytes)" >&2; bad=1; continue
    fi
    local was_bad=$bad; bad=0
    # shellcheck disable=SC2016 # a literal $ORIGIN, expanded by ld.so
    [[ "$(elf_runpath "$f")" == '$ORIGIN' ]] || { echo "RUNPATH  ${path}: '$(elf_runpath "$f")', want \$ORIGIN" >&2; bad=1; }
    [[ "$(elf_soname "$f")" == "$path" ]] || { echo "SONAME   ${path}: '$(elf_soname "$f")'" >&2; bad=1; }
    [[ "$(elf_needed "$f" | paste -sd,)" == "$needed" ]] || { echo "NEEDED   ${path}: $(elf_needed "$f" | paste -sd,), manifest says ${needed}" >&2; bad=1; }
    elf_full_relro "$f" || { echo "RELRO    ${path}: not full RELRO (GNU_RELRO + BIND_NOW)" >&2; bad=1; }
    # Not `... | grep -q`: grep's early exit would SIGPIPE the reader and, under pipefail, hide a hit.
    local syms; syms="$(elf_defined_symbols "$f")"
    if grep -Eq "$FORBIDDEN_SYMBOL_RE" <<<"$syms"; then
      echo "AV       ${path} exports $(grep -Ec "$FORBIDDEN_SYMBOL_RE" <<<"$syms") toxav_/vpx_/opus_ symbols" >&2; bad=1
    fi
    v="$(elf_glibc "$f")"; [[ -z "$v" ]] || glibc_max="$(printf '%s\n%s\n' "$glibc_max" "$v" | sort -V | tail -n1)"
    ((bad)) || echo "OK       ${OUT_REL}/${path}"
    ((was_bad == 0)) || bad=1
  done <<<"$listing"
  [[ "$glibc_max" == "$glibc_manifest" ]] || { echo "GLIBC    files need ${glibc_max}, manifest says ${glibc_manifest}" >&2; bad=1; }
  version_le "$glibc_max" "$GLIBC_MAX" || { echo "GLIBC    files need ${glibc_max} > floor ${GLIBC_MAX}" >&2; bad=1; }
  [[ -n "${listed[$ENTRY]+x}" ]] || { echo "MISSING  entry ${ENTRY} is not in the manifest" >&2; bad=1; }
  # A library in the folder that the manifest does not list would load through RUNPATH=$ORIGIN unaccounted for.
  local g
  while IFS= read -r g; do
    [[ -z "$g" || -n "${listed[$g]+x}" ]] || { echo "UNLISTED ${OUT_REL}/${g}" >&2; bad=1; }
  done < <(cd "$OUT" && find . -maxdepth 1 \( -type f -o -type l \) \( -name '*.so*' -o -name '*.dll' -o -name '*.dylib' \) -printf '%f\n' | sort)
  ((bad == 0)) || die "--check FAILED for ${OUT_REL} (restore the files from git or re-run scripts/build-libtoxcore.sh)"
  echo "build-libtoxcore: --check passed: ${n} files in ${OUT_REL} match manifest.json (full RELRO, RUNPATH \$ORIGIN, no toxav, glibc ${glibc_max} <= ${GLIBC_MAX})"
}

# win32-x64: the PE checks, the static libsodium and the DLL's manifest.
if [[ "$KIND" == pe ]]; then
  # shellcheck source=scripts/libtoxcore-win32.sh
  source "${ROOT}/scripts/libtoxcore-win32.sh"
fi
if [[ "$MODE" == check ]]; then
  if [[ "$KIND" == pe ]]; then check_pe; else check; fi
  exit 0
fi

# --------------------------------------------------------------------------------------------
# Build mode.
# --------------------------------------------------------------------------------------------
[[ "$(id -u)" == 0 ]] || die "build mode runs as root (it installs build tools with apt-get)"
[[ "$(dpkg --print-architecture)" == "$DEB_ARCH" ]] || die "builds ${TARGET} natively on ${DEB_ARCH} only"

APT_UPDATED=0
apt_install() {
  ((APT_UPDATED)) || { log "apt-get update"; apt-get update -qq >&2; APT_UPDATED=1; }
  log "apt-get install $*"
  apt-get install -y -qq --no-install-recommends "$@" >&2
}
need=()
tools=(cmake make pkg-config gcc g++ libsodium-dev patchelf binutils jq git dpkg-dev)
case "$TARGET" in
  linux-arm64) tools+=(gcc-aarch64-linux-gnu g++-aarch64-linux-gnu binutils-aarch64-linux-gnu) ;;
  win32-x64) tools+=(gcc-mingw-w64-x86-64-posix g++-mingw-w64-x86-64-posix binutils-mingw-w64-x86-64 mingw-w64-x86-64-dev autoconf automake libtool) ;;
esac
# Debian's arm64 libsodium .deb is fetched through multiarch (a download only; nothing arm64 is installed).
if [[ "$TARGET" == linux-arm64 ]] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
  log "dpkg --add-architecture arm64"; dpkg --add-architecture arm64; APT_UPDATED=0
fi
for p in "${tools[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
((${#need[@]} == 0)) || apt_install "${need[@]}"

TOXYNC_SRC="${TOXYNC_SRC:-${ROOT}/.cache/src}"
TOXCORE_GIT="${TOXCORE_GIT:-${TOXYNC_SRC}/c-toxcore}"
if [[ -z "${CMP_GIT:-}" ]]; then
  CMP_GIT="${TOXCORE_GIT}/third_party/cmp"
  git -C "$CMP_GIT" cat-file -e "${CMP_COMMIT}^{commit}" 2>/dev/null || CMP_GIT="${TOXYNC_SRC}/cmp"
fi
git -C "$TOXCORE_GIT" cat-file -e "${TOXCORE_COMMIT}^{commit}" 2>/dev/null \
  || die "no c-toxcore commit ${TOXCORE_COMMIT} in ${TOXCORE_GIT} (see --help for how to get the source)"
git -C "$CMP_GIT" cat-file -e "${CMP_COMMIT}^{commit}" 2>/dev/null \
  || die "no cmp commit ${CMP_COMMIT} in ${CMP_GIT} (run git -C c-toxcore submodule update --init)"
gitlink="$(git -C "$TOXCORE_GIT" ls-tree "$TOXCORE_COMMIT" third_party/cmp | awk '{print $3}')"
[[ "$gitlink" == "$CMP_COMMIT" ]] || die "c-toxcore ${TOXCORE_COMMIT} pins third_party/cmp at ${gitlink}, expected ${CMP_COMMIT}"
SOURCE_DATE_EPOCH="$(git -C "$TOXCORE_GIT" log -1 --format=%ct "$TOXCORE_COMMIT")"
export SOURCE_DATE_EPOCH

# Flags. -O2 without -DNDEBUG: toxcore's assert()s stay in, an abort beats running on with a broken
# invariant. BUILDDIR is replaced by each build's directory, which -ffile-prefix-map then hides.
CFLAGS_T="-O2 -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=3 -fstack-protector-strong -fstack-clash-protection ${ARCH_CFLAGS:-} -ffile-prefix-map=BUILDDIR=."
LDFLAGS_T="-Wl,-z,relro,-z,now -Wl,--as-needed"
# Cross builds: the toolchain by name, and pkg-config confined to the target's own libsodium.
CROSS_CMAKE=()
case "$TARGET" in
  linux-arm64)
    CROSS_CMAKE=(-DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR=aarch64 -DCMAKE_C_COMPILER="$CC_BIN"
      -DCMAKE_CXX_COMPILER="${CROSS_PREFIX}g++" -DCMAKE_FIND_ROOT_PATH_MODE_PROGRAM=NEVER) ;;
  win32-x64) win32_flags ;;
esac
CMAKE_FLAGS=(-DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE= -DCMAKE_CXX_FLAGS_RELEASE=
  -DENABLE_SHARED=ON -DENABLE_STATIC=OFF -DSTRICT_ABI=ON -DEXPERIMENTAL_API=OFF
  -DBUILD_TOXAV=OFF -DMUST_BUILD_TOXAV=OFF -DDHT_BOOTSTRAP=OFF -DBOOTSTRAP_DAEMON=OFF
  -DUNITTEST=OFF -DAUTOTEST=OFF -DBUILD_MISC_TESTS=OFF -DBUILD_FUN_UTILS=OFF -DBUILD_FUZZ_TESTS=OFF
  -DBUILD_TESTING=OFF -DCMAKE_SKIP_RPATH=ON)

WORK="$(mktemp -d /tmp/toxync-libtoxcore.XXXXXX)"
STAGE=""
cleanup() { rm -rf "$WORK"; if [[ -n "$STAGE" ]]; then rm -rf "$STAGE"; fi; }
trap cleanup EXIT
chmod 0755 "$WORK"

# build_once DIR: exports the pinned trees into DIR/src, builds only the shared library in
# DIR/build, strips it and prints its path.
build_once() {
  local dir="$1" so
  mkdir -p "$dir/src/third_party/cmp" "$dir/build"
  git -C "$TOXCORE_GIT" archive --format=tar "$TOXCORE_COMMIT" | tar -x -C "$dir/src"
  git -C "$CMP_GIT" archive --format=tar "$CMP_COMMIT" | tar -x -C "$dir/src/third_party/cmp"
  CC="$CC_BIN" cmake -S "$dir/src" -B "$dir/build" "${CMAKE_FLAGS[@]}" "${CROSS_CMAKE[@]}" \
    -DCMAKE_C_FLAGS="${CFLAGS_T//BUILDDIR/$dir}" -DCMAKE_SHARED_LINKER_FLAGS="$LDFLAGS_T" >"$dir/cmake.log" 2>&1 \
    || { tail -n 30 "$dir/cmake.log" >&2; die "cmake configure failed"; }
  cmake --build "$dir/build" --target toxcore_shared -j "$(nproc)" >"$dir/build.log" 2>&1 \
    || { tail -n 30 "$dir/build.log" >&2; die "build failed"; }
  so="$(find "$dir/build" -maxdepth 1 -type f \( -name 'libtoxcore.so.*' -o -name 'libtoxcore*.dll' \) | sort | head -n1)"
  [[ -n "$so" ]] || die "the build produced no libtoxcore.so.* / .dll"
  cp "$so" "$dir/$ENTRY"
  "$STRIP_BIN" --strip-unneeded "$dir/$ENTRY"
  if [[ "$KIND" == pe ]]; then printf '%s\n' "$dir/$ENTRY"; return; fi
  # shellcheck disable=SC2016 # a literal $ORIGIN, expanded by ld.so
  patchelf --set-rpath '$ORIGIN' "$dir/$ENTRY"
  printf '%s\n' "$dir/$ENTRY"
}

if [[ "$KIND" == pe ]]; then build_static_sodium; else
  # libsodium: Debian's own binary, the same version as the headers we compiled against.
  sodium_version="$(dpkg-query -W -f='${Version}' libsodium-dev)"
  mkdir -p "$WORK/debs" "$WORK/sodium"
  if getent passwd _apt >/dev/null; then chown _apt "$WORK/debs"; fi
  (cd "$WORK/debs" && apt-get download -qq "${SODIUM_PKG}:${SODIUM_ARCH:-$DEB_ARCH}=${sodium_version}" >&2) \
    || { APT_UPDATED=0; apt-get update -qq >&2; (cd "$WORK/debs" && apt-get download -qq "${SODIUM_PKG}:${SODIUM_ARCH:-$DEB_ARCH}=${sodium_version}" >&2); } \
    || die "apt-get download ${SODIUM_PKG}=${sodium_version} failed"
  sodium_deb="$(find "$WORK/debs" -maxdepth 1 -name "${SODIUM_PKG}_*.deb" | head -n1)"
  dpkg-deb -x "$sodium_deb" "$WORK/sodium"
  sodium_so="$(readlink -f "$WORK/sodium/usr/lib/${MULTIARCH}/${SODIUM_SONAME}")"
  [[ -f "$sodium_so" ]] || die "${SODIUM_PKG} has no usr/lib/${MULTIARCH}/${SODIUM_SONAME}"
  
  if [[ "$TARGET" == linux-arm64 ]]; then
    # Link against the arm64 library that ships; the headers are arch-independent.
    SYSROOT="$WORK/sodium-sysroot"
    mkdir -p "$SYSROOT/lib/pkgconfig" "$SYSROOT/include"
    cp -r /usr/include/sodium.h /usr/include/sodium "$SYSROOT/include/"
    ln -s "$sodium_so" "$SYSROOT/lib/libsodium.so"
    printf 'prefix=%s\nName: libsodium\nDescription: libsodium (%s, arm64)\nVersion: %s\nLibs: -L${prefix}/lib -lsodium\nCflags: -I${prefix}/include\n' \
      "$SYSROOT" "$sodium_version" "${sodium_version%%-*}" >"$SYSROOT/lib/pkgconfig/libsodium.pc"
    export PKG_CONFIG_LIBDIR="$SYSROOT/lib/pkgconfig" PKG_CONFIG_PATH=""
  fi
fi

log "building c-toxcore ${TOXCORE_VERSION} (${TOXCORE_COMMIT}) twice, SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH}"
lib_a="$(build_once "$WORK/a")"
lib_b="$(build_once "$WORK/build-two")"
if ! cmp -s "$lib_a" "$lib_b"; then
  die "not reproducible: two builds differ ($(sha256sum "$lib_a" "$lib_b" | cut -d' ' -f1 | paste -sd' '))"
fi
log "reproducible: both builds are $(sha256sum "$lib_a" | cut -d' ' -f1)"
if [[ "$KIND" == pe ]]; then finish_pe "$lib_a"; exit 0; fi

mkdir -p "$(dirname "$OUT")"
STAGE="$(mktemp -d "${OUT}.staging.XXXXXX")"
chmod 0755 "$STAGE"
mkdir -p "$STAGE/licenses"
cp "$lib_a" "$STAGE/$ENTRY"
cp "$sodium_so" "$STAGE/$SODIUM_SONAME"
# shellcheck disable=SC2016
patchelf --set-rpath '$ORIGIN' "$STAGE/$SODIUM_SONAME"
chmod 0644 "$STAGE"/*.so*
cp "$WORK/a/src/LICENSE" "$STAGE/licenses/c-toxcore.LICENSE"
cp "$WORK/a/src/third_party/cmp/LICENSE" "$STAGE/licenses/cmp.LICENSE"
cp "$WORK/sodium/usr/share/doc/${SODIUM_PKG}/copyright" "$STAGE/licenses/${SODIUM_PKG}.copyright"
chmod 0644 "$STAGE"/licenses/*

# The closure must be exactly: our two files + glibc.
for f in "$STAGE"/*.so*; do
  while IFS= read -r n; do
    [[ "$n" =~ $SYSTEM_SONAMES_RE || -f "$STAGE/$n" ]] || die "$(basename "$f") needs ${n}, which is neither glibc nor bundled"
  done < <(elf_needed "$f")
done

files_json="$WORK/files.jsonl"; : >"$files_json"
glibc_min="0"
for f in "$STAGE/$ENTRY" "$STAGE/$SODIUM_SONAME"; do
  v="$(elf_glibc "$f")"; [[ -z "$v" ]] || glibc_min="$(printf '%s\n%s\n' "$glibc_min" "$v" | sort -V | tail -n1)"
  jq -cn --arg path "$(basename "$f")" --arg sha "$(sha256sum "$f" | cut -d' ' -f1)" --argjson size "$(stat -c %s "$f")" \
    --arg soname "$(elf_soname "$f")" --arg needed "$(elf_needed "$f")" --arg glibc "$v" \
    '{path: $path, sha256: $sha, size: $size, soname: $soname, glibc: $glibc,
      needed: ($needed | split("\n") | map(select(length > 0)))}' >>"$files_json"
done
version_le "$glibc_min" "$GLIBC_MAX" || die "the libraries need glibc ${glibc_min}, above the floor ${GLIBC_MAX}"

cmake_flags_json="$(printf '%s\n' "${CMAKE_FLAGS[@]}" | jq -R . | jq -sc .)"
jq -n \
  --arg target "$TARGET" --arg entry "$ENTRY" --arg glibc "$glibc_min" \
  --arg tv "$TOXCORE_VERSION" --arg turl "$TOXCORE_URL" --arg tc "$TOXCORE_COMMIT" \
  --arg curl "$CMP_URL" --arg cc "$CMP_COMMIT" --arg sde "$SOURCE_DATE_EPOCH" \
  --arg compiler "$("$CC_BIN" --version | head -n1)" --arg cmake "$(cmake --version | head -n1)" \
  --arg binutils "$("${CROSS_PREFIX}ld" --version | head -n1)" --arg patchelf "$(patchelf --version)" \
  --arg cflags "${CFLAGS_T//BUILDDIR/<builddir>}" --arg ldflags "$LDFLAGS_T" --argjson cmakeflags "$cmake_flags_json" \
  --arg spkg "$SODIUM_PKG" --arg sarch "${SODIUM_ARCH:-$DEB_ARCH}" --arg sver "$sodium_version" --arg sdeb "$(basename "$sodium_deb")" \
  --arg sdebsha "$(sha256sum "$sodium_deb" | cut -d' ' -f1)" --arg sso "$SODIUM_SONAME" \
  --slurpfile files "$files_json" \
  '{target: $target,
    generated_by: "scripts/build-libtoxcore.sh",
    entry: $entry,
    runpath: "$ORIGIN",
    requires: {glibc: $glibc},
    build: {compiler: $compiler, cmake: $cmake, linker: $binutils, patchelf: $patchelf,
            source_date_epoch: ($sde | tonumber), cmake_flags: $cmakeflags, cflags: $cflags, ldflags: $ldflags,
            post: "strip --strip-unneeded; patchelf --set-rpath $ORIGIN", reproducible: "built twice in different directories, byte-identical"},
    components: [
      {name: "c-toxcore", version: $tv, repository: $turl, commit: $tc, license: "GPL-3.0-or-later",
       license_files: ["licenses/c-toxcore.LICENSE"], files: [$entry], note: "toxcore + toxencryptsave; BUILD_TOXAV=OFF"},
      {name: "cmp", repository: $curl, commit: $cc, license: "MIT", license_files: ["licenses/cmp.LICENSE"],
       files: [$entry], note: "third_party/cmp, compiled into libtoxcore"},
      {name: $spkg, version: $sver, source: ("Debian bookworm package (" + $sarch + ")"), deb: {file: $sdeb, sha256: $sdebsha},
       license: "ISC", license_files: [("licenses/" + $spkg + ".copyright")], files: [$sso]}
    ],
    files: ($files | sort_by(.path))}' >"$STAGE/manifest.json"
chmod 0644 "$STAGE/manifest.json"

rm -rf "$OUT"
mv "$STAGE" "$OUT"
STAGE=""
bash "${BASH_SOURCE[0]}" --target "$TARGET" --check >/dev/null
log "wrote ${OUT_REL}/ ($(du -sb "$OUT" | cut -f1) bytes, glibc >= ${glibc_min})"
