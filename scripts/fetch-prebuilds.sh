#!/usr/bin/env bash
# Fetch Debian 12 (bookworm) libtoxcore and the shared libraries it needs into
# native-prebuilds/linux-x64/, with RUNPATH=$ORIGIN so the bundle is
# self-contained, plus the packages' copyright files and a manifest.json.
#
#   bash scripts/fetch-prebuilds.sh            # (re)build native-prebuilds/linux-x64/
#   bash scripts/fetch-prebuilds.sh --check    # verify files against manifest.json (no network)
#
# Runs as root on a Debian 12 amd64 machine, non-interactively. Installs its
# own tools (patchelf, binutils, jq) with apt-get. Idempotent: the output is a
# pure function of the package versions apt offers, so a re-run against the
# same archive state reproduces byte-identical files and manifest (no
# timestamps). Nothing is pinned: apt's candidate version of each package is
# fetched and its exact version recorded in the manifest. The one guard is
# the upstream version of libtoxcore, which toxync's bindings are written
# against (override with TOXCORE_UPSTREAM_VERSION=... or set it empty to
# accept any).
#
# Environment:
#   TOXCORE_UPSTREAM_VERSION  expected upstream libtoxcore version (default 0.2.18)
set -euo pipefail
export LC_ALL=C DEBIAN_FRONTEND=noninteractive

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PLATFORM="linux-x64"
DEB_ARCH="amd64"
OUT_REL="native-prebuilds/${PLATFORM}"
OUT="${ROOT}/${OUT_REL}"
ENTRY_PKG="libtoxcore2"
ENTRY_SONAME="libtoxcore.so.2"
EXPECTED_UPSTREAM="${TOXCORE_UPSTREAM_VERSION-0.2.18}"

# What we do NOT bundle, and why.
#
# glibc (package libc6: libc, libm, libpthread, libdl, librt, libresolv and the
# dynamic loader ld-linux) is the base system: it is always present (node /
# the VS Code Electron binary itself links it), must match the running
# dynamic loader exactly, and cannot be swapped per-library. Bundling it would
# break things rather than help. The bundle instead needs a glibc at least as
# new as the highest GLIBC_x symbol version used; that number is recorded in
# the manifest (2.34 for bookworm's builds: Debian 12, Ubuntu 22.04, RHEL 9+).
#
# libgcc_s (libgcc-s1) and libstdc++ (libstdc++6) are the compiler runtimes.
# libtoxcore and its dependencies are C and, as of bookworm, none of them has
# a DT_NEEDED on either, so they are simply not needed. We do not follow
# package Depends into them; if a future build did need them, the ELF closure
# check below fails loudly so a human can decide (the host's copy is normally
# the right one, since only one libstdc++ can live in a process).
SYSTEM_SONAMES=(libc.so.6 libm.so.6 libpthread.so.0 libdl.so.2 librt.so.1 libresolv.so.2
  libutil.so.1 ld-linux-x86-64.so.2 linux-vdso.so.1)
SYSTEM_SONAMES_RE="^($(printf '%s\n' "${SYSTEM_SONAMES[@]}" | sed 's/\./\\./g' | paste -sd'|'))\$"
SYSTEM_PKGS_RE='^(libc6|libgcc-s1|libstdc\+\+6)$'

die() { echo "fetch-prebuilds: error: $*" >&2; exit 1; }
log() { echo "fetch-prebuilds: $*" >&2; }

# --------------------------------------------------------------------------
# --check: verify the committed bundle against its manifest, offline.
# --------------------------------------------------------------------------
check() {
  local manifest="${OUT}/manifest.json"
  [[ -f "$manifest" ]] || die "--check: ${OUT_REL}/manifest.json does not exist (run scripts/fetch-prebuilds.sh)"
  command -v sha256sum >/dev/null || die "--check: sha256sum not found"
  # One line per file: "<path>\t<sha256>\t<size>", and "license\t<pkg>".
  local listing
  if command -v jq >/dev/null; then
    listing="$(jq -r '.packages[] | ("license\t" + .name), (.files[] | [.path, .sha256, (.size|tostring)] | join("\t"))' "$manifest")" \
      || die "--check: manifest.json is not valid JSON"
  elif command -v node >/dev/null; then
    listing="$(node -e '
      const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      for (const p of m.packages) {
        console.log("license\t" + p.name);
        for (const f of p.files) console.log([f.path, f.sha256, String(f.size)].join("\t"));
      }' "$manifest")" || die "--check: manifest.json is not valid JSON"
  else
    die "--check: needs jq or node to read manifest.json"
  fi
  [[ -n "$listing" ]] || die "--check: manifest.json lists no packages"

  local bad=0 n=0 path sha size actual_sha actual_size
  declare -A listed=()
  while IFS=$'\t' read -r path sha size; do
    if [[ "$path" == license ]]; then
      if [[ ! -s "${OUT}/licenses/${sha}.copyright" ]]; then
        echo "MISSING  ${OUT_REL}/licenses/${sha}.copyright" >&2; bad=1
      fi
      continue
    fi
    n=$((n + 1))
    listed["$path"]=1
    if [[ "$path" == */* || "$path" == .* ]]; then
      echo "BADPATH  $path (manifest paths are plain file names)" >&2; bad=1; continue
    fi
    if [[ ! -f "${OUT}/${path}" ]]; then
      echo "MISSING  ${OUT_REL}/${path}" >&2; bad=1; continue
    fi
    actual_sha="$(sha256sum "${OUT}/${path}" | cut -d' ' -f1)"
    actual_size="$(stat -c %s "${OUT}/${path}")"
    if [[ "$actual_sha" != "$sha" ]]; then
      echo "SHA256   ${OUT_REL}/${path}: expected ${sha}, got ${actual_sha}" >&2; bad=1
    elif [[ "$actual_size" != "$size" ]]; then
      echo "SIZE     ${OUT_REL}/${path}: expected ${size}, got ${actual_size}" >&2; bad=1
    else
      echo "OK       ${OUT_REL}/${path}"
    fi
  done <<<"$listing"

  # A shared object in the directory that the manifest does not list would be
  # picked up through RUNPATH=$ORIGIN without being accounted for.
  local f
  while IFS= read -r f; do
    [[ -n "$f" ]] || continue
    if [[ -z "${listed[$f]+x}" ]]; then
      echo "UNLISTED ${OUT_REL}/${f} (not in manifest.json)" >&2; bad=1
    fi
  done < <(cd "$OUT" && find . -maxdepth 1 \( -type f -o -type l \) -name '*.so*' -printf '%f\n' | sort)

  [[ -n "${listed[$ENTRY_SONAME]+x}" ]] || { echo "MISSING  entry ${ENTRY_SONAME} is not in the manifest" >&2; bad=1; }
  if (( bad )); then
    die "--check FAILED for ${OUT_REL}: re-run 'bash scripts/fetch-prebuilds.sh' (or restore the files from git)"
  fi
  echo "fetch-prebuilds: --check passed: ${n} files in ${OUT_REL} match manifest.json"
}

case "${1:-}" in
  --check) check; exit 0 ;;
  "") ;;
  -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown argument: $1 (use --check or no argument)" ;;
esac

# --------------------------------------------------------------------------
# Build mode.
# --------------------------------------------------------------------------
[[ "$(id -u)" == 0 ]] || die "must run as root (it installs tools with apt-get)"
{ command -v dpkg >/dev/null && command -v apt-get >/dev/null; } || die "needs a Debian system (dpkg, apt-get)"
host_arch="$(dpkg --print-architecture)"
[[ "$host_arch" == "$DEB_ARCH" ]] || die "builds ${PLATFORM} from ${DEB_ARCH} packages; this host is ${host_arch}"

APT_UPDATED=0
apt_update_once() {
  if (( ! APT_UPDATED )); then
    log "apt-get update"
    apt-get update -qq >&2
    APT_UPDATED=1
  fi
}
has_candidate() {
  local c
  c="$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}')"
  [[ -n "$c" && "$c" != "(none)" ]]
}
ensure_candidate() {
  has_candidate "$1" || apt_update_once
  has_candidate "$1" || die "apt has no candidate for package $1 (check /etc/apt/sources.list*)"
}

# Tools: patchelf (RUNPATH), binutils (readelf/objdump), jq (manifest).
need_pkgs=()
command -v patchelf >/dev/null || need_pkgs+=(patchelf)
{ command -v readelf >/dev/null && command -v objdump >/dev/null; } || need_pkgs+=(binutils)
command -v jq >/dev/null || need_pkgs+=(jq)
if (( ${#need_pkgs[@]} )); then
  for p in "${need_pkgs[@]}"; do ensure_candidate "$p"; done
  log "apt-get install -y ${need_pkgs[*]}"
  apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >&2
fi
ensure_candidate "$ENTRY_PKG"

WORK="$(mktemp -d /tmp/toxync-prebuilds.XXXXXX)"
STAGE=""
cleanup() {
  rm -rf "$WORK"
  if [[ -n "$STAGE" ]]; then rm -rf "$STAGE"; fi
}
trap cleanup EXIT
mkdir -p "$WORK/debs" "$WORK/x"
# apt-get download drops privileges to _apt; let it write here.
chmod 0755 "$WORK"
if getent passwd _apt >/dev/null; then chown _apt "$WORK/debs"; fi

# download PKG -> prints the path of the .deb
download() {
  local pkg="$1" deb
  ensure_candidate "$pkg"
  if ! (cd "$WORK/debs" && apt-get download -qq "${pkg}:${DEB_ARCH}" >&2); then
    # Stale package lists (e.g. a superseded security update): refresh once.
    apt_update_once
    (cd "$WORK/debs" && apt-get download -qq "${pkg}:${DEB_ARCH}" >&2) || die "apt-get download ${pkg} failed"
  fi
  deb="$(find "$WORK/debs" -maxdepth 1 -name "${pkg}_*_${DEB_ARCH}.deb" | sort | head -n1)"
  [[ -n "$deb" ]] || die "apt-get download ${pkg} produced no .deb"
  printf '%s\n' "$deb"
}

# deps_of DEB -> package names from Depends/Pre-Depends (first alternative,
# version constraints and :arch qualifiers dropped).
deps_of() {
  { dpkg-deb -f "$1" Pre-Depends; dpkg-deb -f "$1" Depends; } \
    | tr ',' '\n' | sed -e 's/|.*//' -e 's/(.*)//' -e 's/:[a-z0-9]*//' -e 's/[[:space:]]//g' \
    | grep -v '^$' || true
}

# 1. Walk the package dependency graph from libtoxcore2, skipping the base
#    system packages. Every visited package is downloaded and unpacked.
declare -A DEB_OF=()
queue=("$ENTRY_PKG")
while (( ${#queue[@]} )); do
  pkg="${queue[0]}"; queue=("${queue[@]:1}")
  [[ -n "${DEB_OF[$pkg]+x}" ]] && continue
  log "downloading ${pkg}"
  deb="$(download "$pkg")"
  DEB_OF["$pkg"]="$deb"
  mkdir -p "$WORK/x/$pkg"
  dpkg-deb -x "$deb" "$WORK/x/$pkg"
  while IFS= read -r dep; do
    if [[ "$dep" =~ $SYSTEM_PKGS_RE ]]; then continue; fi
    [[ -n "${DEB_OF[$dep]+x}" ]] || queue+=("$dep")
  done < <(deps_of "$deb")
done

entry_version="$(dpkg-deb -f "${DEB_OF[$ENTRY_PKG]}" Version)"
if [[ -n "$EXPECTED_UPSTREAM" ]]; then
  upstream="${entry_version#*:}"; upstream="${upstream%-*}"
  [[ "$upstream" == "$EXPECTED_UPSTREAM" ]] \
    || die "${ENTRY_PKG} ${entry_version} is not upstream ${EXPECTED_UPSTREAM}; set TOXCORE_UPSTREAM_VERSION=${upstream} if that is intended"
fi

# 2. Index every real (non-symlink) ELF shared object in the unpacked packages
#    by SONAME.
soname_of() { readelf -d "$1" 2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p'; }
needed_of() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\].*/\1/p'; }
declare -A SO_FILE=() SO_PKG=()
for pkg in $(printf '%s\n' "${!DEB_OF[@]}" | sort); do
  while IFS= read -r f; do
    readelf -h "$f" 2>/dev/null | grep -q 'Type:.*DYN' || continue
    so="$(soname_of "$f")"
    [[ -n "$so" ]] || continue
    if [[ -n "${SO_FILE[$so]+x}" && "${SO_FILE[$so]}" != "$f" ]]; then
      die "SONAME ${so} provided twice: ${SO_FILE[$so]} and ${f}"
    fi
    SO_FILE["$so"]="$f"; SO_PKG["$so"]="$pkg"
  done < <(find "$WORK/x/$pkg" -type f -path '*/lib/*' -name '*.so*' | sort)
done

# 3. ELF closure from the entry SONAME over DT_NEEDED. Everything not glibc
#    must be provided by a fetched package, else fail.
declare -A BUNDLE=()
todo=("$ENTRY_SONAME")
while (( ${#todo[@]} )); do
  so="${todo[0]}"; todo=("${todo[@]:1}")
  [[ -n "${BUNDLE[$so]+x}" ]] && continue
  [[ -n "${SO_FILE[$so]+x}" ]] || die "${so} is needed but no fetched package provides it (packages: ${!DEB_OF[*]})"
  BUNDLE["$so"]=1
  while IFS= read -r n; do
    if [[ "$n" =~ $SYSTEM_SONAMES_RE ]]; then continue; fi
    [[ -n "${BUNDLE[$n]+x}" ]] || todo+=("$n")
  done < <(needed_of "${SO_FILE[$so]}")
done

# 4. Assemble in a staging dir next to the output, then swap it in.
mkdir -p "$(dirname "$OUT")"
STAGE="$(mktemp -d "${OUT}.staging.XXXXXX")"
chmod 0755 "$STAGE"
mkdir -p "$STAGE/licenses"

# SPDX-ish summary of a DEP-5 copyright file: the header paragraph's License
# if it has one, else the "Files: *" paragraph's.
spdx() {
  local out=() w
  for w in $1; do
    case "$w" in
      or|OR) out+=(OR) ;; and|AND) out+=(AND) ;; with|WITH) out+=(WITH) ;;
      GPL-2+) out+=(GPL-2.0-or-later) ;; GPL-2) out+=(GPL-2.0-only) ;;
      GPL-3+) out+=(GPL-3.0-or-later) ;; GPL-3) out+=(GPL-3.0-only) ;;
      LGPL-2.1+) out+=(LGPL-2.1-or-later) ;; LGPL-2.1) out+=(LGPL-2.1-only) ;;
      LGPL-3+) out+=(LGPL-3.0-or-later) ;;
      BSD-2-clause|BSD-2-Clause) out+=(BSD-2-Clause) ;;
      BSD-3-clause|BSD-3-Clause) out+=(BSD-3-Clause) ;;
      BSD-0-clause|BSD-0-Clause|0BSD) out+=(0BSD) ;;
      Expat|MIT) out+=(MIT) ;; ISC) out+=(ISC) ;; Zlib|zlib) out+=(Zlib) ;;
      CC0|CC0-1.0) out+=(CC0-1.0) ;; Apache-2.0) out+=(Apache-2.0) ;;
      public-domain) out+=(LicenseRef-public-domain) ;;
      *) out+=("LicenseRef-${w}") ;;
    esac
  done
  echo "${out[*]}"
}
main_license() {
  awk 'BEGIN { RS = ""; FS = "\n" }
       NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /^License:/) { sub(/^License:[ \t]*/, "", $i); print $i; exit } }
       { star = 0; lic = ""
         for (i = 1; i <= NF; i++) {
           if ($i ~ /^Files:[ \t]*\*[ \t]*$/) star = 1
           if ($i ~ /^License:/) { lic = $i; sub(/^License:[ \t]*/, "", lic) }
         }
         if (star && lic != "") { print lic; exit } }' "$1"
}
all_licenses() {
  sed -n 's/^License:[[:space:]]*//p' "$1" | sed 's/[[:space:]]*$//' | sort -u
}

glibc_min="0"
pkgs_json="$WORK/packages.jsonl"
: >"$pkgs_json"
for pkg in $(printf '%s\n' "${!DEB_OF[@]}" | sort); do
  deb="${DEB_OF[$pkg]}"
  files_json="$WORK/files-$pkg.jsonl"
  : >"$files_json"
  for so in $(printf '%s\n' "${!BUNDLE[@]}" | sort); do
    [[ "${SO_PKG[$so]}" == "$pkg" ]] || continue
    dst="$STAGE/$so"
    cp "$(readlink -f "${SO_FILE[$so]}")" "$dst"   # real file, named by SONAME
    chmod 0644 "$dst"
    # shellcheck disable=SC2016 # a literal $ORIGIN, expanded by ld.so
    patchelf --set-rpath '$ORIGIN' "$dst"
    rp="$(readelf -d "$dst" | sed -n 's/.*(RUNPATH).*\[\(.*\)\].*/\1/p')"
    # shellcheck disable=SC2016
    [[ "$rp" == '$ORIGIN' ]] || die "patchelf did not set RUNPATH on ${so} (got '${rp}')"
    [[ "$(soname_of "$dst")" == "$so" ]] || die "SONAME of ${so} changed after patchelf"
    v="$(objdump -T "$dst" | grep -oE 'GLIBC_[0-9]+(\.[0-9]+)*' | sed 's/GLIBC_//' | sort -V | tail -n1 || true)"
    if [[ -n "$v" ]]; then glibc_min="$(printf '%s\n%s\n' "$glibc_min" "$v" | sort -V | tail -n1)"; fi
    jq -cn --arg path "$so" --arg sha "$(sha256sum "$dst" | cut -d' ' -f1)" \
      --argjson size "$(stat -c %s "$dst")" --arg soname "$so" \
      --arg needed "$(needed_of "$dst")" \
      '{path: $path, sha256: $sha, size: $size, soname: $soname,
        needed: ($needed | split("\n") | map(select(length > 0)))}' >>"$files_json"
  done
  if [[ ! -s "$files_json" ]]; then
    log "note: ${pkg} was fetched (a Depends) but ships no library in the ELF closure; not bundled"
    continue
  fi
  copyright="$WORK/x/$pkg/usr/share/doc/$pkg/copyright"
  [[ -f "$copyright" ]] || die "${pkg} has no usr/share/doc/${pkg}/copyright"
  cp "$copyright" "$STAGE/licenses/${pkg}.copyright"
  chmod 0644 "$STAGE/licenses/${pkg}.copyright"
  lic="$(main_license "$copyright")"
  [[ -n "$lic" ]] || die "cannot determine the main licence of ${pkg} from its copyright file (not DEP-5?)"
  all="$(while IFS= read -r l; do spdx "$l"; done < <(all_licenses "$copyright") | sort -u)"
  source_pkg="$(dpkg-deb -f "$deb" Source | sed 's/ .*//')"
  [[ -n "$source_pkg" ]] || source_pkg="$(dpkg-deb -f "$deb" Package)"
  jq -cn \
    --arg name "$(dpkg-deb -f "$deb" Package)" \
    --arg version "$(dpkg-deb -f "$deb" Version)" \
    --arg arch "$(dpkg-deb -f "$deb" Architecture)" \
    --arg source "$source_pkg" \
    --arg license "$(spdx "$lic")" \
    --arg all "$all" \
    --arg deb "$(basename "$deb")" \
    --arg debsha "$(sha256sum "$deb" | cut -d' ' -f1)" \
    --slurpfile files "$files_json" \
    '{name: $name, version: $version, architecture: $arch, source_package: $source,
      license: $license,
      licenses_in_copyright: ($all | split("\n") | map(select(length > 0))),
      copyright_file: ("licenses/" + $name + ".copyright"),
      deb: {file: $deb, sha256: $debsha},
      files: ($files | sort_by(.path))}' >>"$pkgs_json"
done

# shellcheck disable=SC1091
suite="$(. /etc/os-release && echo "${VERSION_CODENAME:-unknown}")"
jq -n \
  --arg platform "$PLATFORM" --arg entry "$ENTRY_SONAME" --arg suite "$suite" \
  --arg glibc "$glibc_min" --arg sys "$(printf '%s\n' "${SYSTEM_SONAMES[@]}")" \
  --slurpfile pkgs "$pkgs_json" \
  '{platform: $platform,
    generated_by: "scripts/fetch-prebuilds.sh",
    entry: $entry,
    source: ("Debian " + $suite + " (" + "amd64" + ")"),
    runpath: "$ORIGIN",
    requires: {glibc: $glibc, system_sonames: ($sys | split("\n") | map(select(length > 0)))},
    packages: ($pkgs | sort_by(.name))}' >"$STAGE/manifest.json"
chmod 0644 "$STAGE/manifest.json"

# Swap in atomically-enough: remove the old bundle, rename the staged one.
rm -rf "$OUT"
mv "$STAGE" "$OUT"
STAGE=""

bash "${BASH_SOURCE[0]}" --check >/dev/null
log "wrote ${OUT_REL}/ ($(du -sb "$OUT" | cut -f1) bytes, needs glibc >= ${glibc_min}):"
jq -r '.packages[] | "  \(.name) \(.version) [\(.license)] -> \([.files[].path] | join(", "))"' "$OUT/manifest.json" >&2
