# win32-x64 part of scripts/build-libtoxcore.sh (sourced, not run): mingw-w64 flags, libsodium
# built from Debian's source package and linked statically into the DLL, the PE manifest and the
# PE half of --check. One self-contained DLL because koffi's first LoadLibraryW does not search
# the DLL's own folder (docs/prebuilds.md): a libsodium.dll beside it could lose to one on PATH.
# shellcheck shell=bash disable=SC2154 # variables set by build-libtoxcore.sh

pe_dlls() { "${CROSS_PREFIX}objdump" -p "$1" | sed -n 's/^[[:space:]]*DLL Name: //p'; }
pe_exports() { "${CROSS_PREFIX}objdump" -p "$1" | awk '/^\[Ordinal\/Name Pointer\] Table/ {on = 1; next} on && NF == 0 {on = 0} on {print $NF}'; }
pe_name() { "${CROSS_PREFIX}objdump" -p "$1" | sed -n 's/^Name[[:space:]]\+[0-9a-f]\+[[:space:]]\+//p' | head -n1; }
# ASLR (64-bit), relocatable, DEP: the three DllCharacteristics a modern DLL must carry.
pe_hardened() {
  local p
  p="$("${CROSS_PREFIX}objdump" -p "$1")"
  grep -q 'HIGH_ENTROPY_VA' <<<"$p" && grep -q 'DYNAMIC_BASE' <<<"$p" && grep -q 'NX_COMPAT' <<<"$p"
}

win32_flags() {
  # No -fstack-clash-protection / -fcf-protection: not implemented for this target. _FORTIFY_SOURCE=2
  # is what mingw-w64's headers implement (through libssp, linked statically like libgcc and
  # winpthreads). --no-insert-timestamp keeps the PE header reproducible.
  CFLAGS_T="-O2 -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2 -fstack-protector-strong -DSODIUM_STATIC=1 -ffile-prefix-map=BUILDDIR=."
  LDFLAGS_T="-static -static-libgcc -Wl,--no-insert-timestamp -Wl,--dynamicbase,--nxcompat,--high-entropy-va -Wl,--exclude-libs=libsodium.a:libwinpthread.a:libssp.a:libssp_nonshared.a"
  CROSS_CMAKE=(-DCMAKE_SYSTEM_NAME=Windows -DCMAKE_SYSTEM_PROCESSOR=x86_64 -DCMAKE_C_COMPILER="$CC_BIN"
    -DCMAKE_CXX_COMPILER="${CROSS_PREFIX}g++-posix" -DCMAKE_RC_COMPILER="${CROSS_PREFIX}windres"
    -DCMAKE_FIND_ROOT_PATH_MODE_PROGRAM=NEVER)
  # Not --exclude-libs,ALL: CMake's MinGW rules link the objects as a --whole-archive objects.a,
  # which ALL would hide too (a DLL with no exports). STRICT_ABI's version script limits the
  # exports to tox.h/toxencryptsave.h as on Linux; naming the static libraries keeps theirs out.
}

# Debian's libsodium source package (the version of the installed libsodium-dev, patches applied),
# cross-compiled as a static library into $SODIUM_PREFIX. apt-get source needs a deb-src entry: if
# there is none, one is added for the same mirror and suites as the binary entries.
# The result is kept in .cache/ (keyed by the libsodium version and the compiler) for the next run.
build_static_sodium() {
  sodium_version="$(dpkg-query -W -f='${Version}' libsodium-dev)"
  local key src
  key="$(printf '%s\n' "$sodium_version" "$("$CC_BIN" --version | head -n1)" | sha256sum | cut -c1-16)"
  SODIUM_CACHE="${ROOT}/.cache/libsodium-mingw-${key}"
  src="$SODIUM_CACHE/src"
  SODIUM_PREFIX="$SODIUM_CACHE/prefix"
  export PKG_CONFIG_LIBDIR="$SODIUM_PREFIX/lib/pkgconfig" PKG_CONFIG_PATH=""
  sodium_dsc="$(find "$src" -maxdepth 1 -name 'libsodium_*.dsc' 2>/dev/null | head -n1 || true)"
  sodium_orig="$(find "$src" -maxdepth 1 -name 'libsodium_*.orig.tar.*' 2>/dev/null | head -n1 || true)"
  if [[ -f "$SODIUM_CACHE/.complete" && -n "$sodium_dsc" ]]; then log "libsodium ${sodium_version} (static, mingw-w64) from ${SODIUM_CACHE}"; return; fi
  rm -rf "$SODIUM_CACHE"
  mkdir -p "$src"
  if getent passwd _apt >/dev/null; then chown _apt "$src"; fi
  if ! (cd "$src" && apt-get source -qq --download-only "libsodium=${sodium_version}" >&2 2>/dev/null); then
    local list=/etc/apt/sources.list.d/debian.sources
    [[ -f "$list" ]] || die "no deb-src entry for libsodium and no ${list} to derive one from"
    log "adding deb-src entries (${list} with Types: deb-src) as /etc/apt/sources.list.d/toxync-deb-src.sources"
    sed 's/^Types: deb$/Types: deb-src/' "$list" >/etc/apt/sources.list.d/toxync-deb-src.sources
    apt-get update -qq >&2
    (cd "$src" && apt-get source -qq --download-only "libsodium=${sodium_version}" >&2) || die "apt-get source libsodium=${sodium_version} failed"
  fi
  sodium_dsc="$(find "$src" -maxdepth 1 -name 'libsodium_*.dsc' | head -n1)"
  sodium_orig="$(find "$src" -maxdepth 1 -name 'libsodium_*.orig.tar.*' | head -n1)"
  (cd "$src" && dpkg-source -x "$(basename "$sodium_dsc")" tree >/dev/null 2>&1) || die "dpkg-source -x failed"
  log "building libsodium ${sodium_version} (static, mingw-w64)"
  # Debian's orig tarball is the upstream git tag without a generated configure (Debian autoreconfs too).
  (cd "$src/tree" && autoreconf -fi >"$WORK/sodium-autoreconf.log" 2>&1 && ./configure --host=x86_64-w64-mingw32 --prefix="$SODIUM_PREFIX" --disable-shared --enable-static --with-pic \
    CC="$CC_BIN" CFLAGS="-O2 -fstack-protector-strong -ffile-prefix-map=$src/tree=." >"$WORK/sodium-configure.log" 2>&1 \
    && make -j "$(nproc)" >"$WORK/sodium-make.log" 2>&1 && make install >>"$WORK/sodium-make.log" 2>&1) \
    || { tail -n 30 "$WORK/sodium-configure.log" "$WORK/sodium-make.log" >&2; die "libsodium build failed"; }
  touch "$SODIUM_CACHE/.complete"
}

# The staged folder: the DLL, the licences and manifest.json; then --check.
finish_pe() {
  local lib="$1"
  mkdir -p "$(dirname "$OUT")"
  STAGE="$(mktemp -d "${OUT}.staging.XXXXXX")"
  chmod 0755 "$STAGE"
  mkdir -p "$STAGE/licenses"
  cp "$lib" "$STAGE/$ENTRY"
  chmod 0644 "$STAGE/$ENTRY"
  cp "$WORK/a/src/LICENSE" "$STAGE/licenses/c-toxcore.LICENSE"
  cp "$WORK/a/src/third_party/cmp/LICENSE" "$STAGE/licenses/cmp.LICENSE"
  cp "$SODIUM_CACHE/src/tree/LICENSE" "$STAGE/licenses/libsodium.LICENSE"
  cp "$SODIUM_CACHE/src/tree/debian/copyright" "$STAGE/licenses/libsodium.copyright"
  chmod 0644 "$STAGE"/licenses/*
  local n
  while IFS= read -r n; do
    [[ "${n,,}" =~ $WINDOWS_DLLS_RE ]] || die "${ENTRY} imports ${n}, which is not a Windows system DLL"
  done < <(pe_dlls "$STAGE/$ENTRY")
  local f="$STAGE/$ENTRY" cmake_flags_json
  cmake_flags_json="$(printf '%s\n' "${CMAKE_FLAGS[@]}" | jq -R . | jq -sc .)"
  jq -n \
    --arg target "$TARGET" --arg entry "$ENTRY" \
    --arg tv "$TOXCORE_VERSION" --arg turl "$TOXCORE_URL" --arg tc "$TOXCORE_COMMIT" \
    --arg curl "$CMP_URL" --arg cc "$CMP_COMMIT" --arg sde "$SOURCE_DATE_EPOCH" \
    --arg compiler "$("$CC_BIN" --version | head -n1)" --arg cmake "$(cmake --version | head -n1)" \
    --arg binutils "$("${CROSS_PREFIX}ld" --version | head -n1)" --arg mingw "$(dpkg-query -W -f='${Version}' mingw-w64-x86-64-dev)" \
    --arg cflags "${CFLAGS_T//BUILDDIR/<builddir>}" --arg ldflags "$LDFLAGS_T" --argjson cmakeflags "$cmake_flags_json" \
    --argjson crossflags "$(printf '%s\n' "${CROSS_CMAKE[@]}" | jq -R . | jq -sc .)" \
    --arg sver "$sodium_version" --arg sdsc "$(basename "$sodium_dsc")" --arg sdscsha "$(sha256sum "$sodium_dsc" | cut -d' ' -f1)" \
    --arg sorig "$(basename "$sodium_orig")" --arg sorigsha "$(sha256sum "$sodium_orig" | cut -d' ' -f1)" \
    --arg sha "$(sha256sum "$f" | cut -d' ' -f1)" --argjson size "$(stat -c %s "$f")" --arg name "$(pe_name "$f")" \
    --arg needed "$(pe_dlls "$f")" \
    '{target: $target,
      generated_by: "scripts/build-libtoxcore.sh",
      entry: $entry,
      requires: {windows: "10 (x64)"},
      build: {compiler: $compiler, mingw_w64: $mingw, cmake: $cmake, linker: $binutils,
              source_date_epoch: ($sde | tonumber), cmake_flags: ($cmakeflags + $crossflags), cflags: $cflags, ldflags: $ldflags,
              post: "strip --strip-unneeded", reproducible: "built twice in different directories, byte-identical"},
      components: [
        {name: "c-toxcore", version: $tv, repository: $turl, commit: $tc, license: "GPL-3.0-or-later",
         license_files: ["licenses/c-toxcore.LICENSE"], files: [$entry], note: "toxcore + toxencryptsave; BUILD_TOXAV=OFF"},
        {name: "cmp", repository: $curl, commit: $cc, license: "MIT", license_files: ["licenses/cmp.LICENSE"],
         files: [$entry], note: "third_party/cmp, compiled into libtoxcore"},
        {name: "libsodium", version: $sver, source: "Debian bookworm source package, cross-built static (--disable-shared)",
         dsc: {file: $sdsc, sha256: $sdscsha}, orig: {file: $sorig, sha256: $sorigsha},
         license: "ISC", license_files: ["licenses/libsodium.LICENSE", "licenses/libsodium.copyright"], files: [$entry],
         note: "linked statically into the DLL"},
        {name: "mingw-w64 runtime (libgcc, winpthreads, libssp)", license: "GPL-3.0-or-later WITH GCC-exception-3.1 AND MIT AND ZPL-2.1",
         license_files: [], files: [$entry], note: "static; the GCC runtime library exception applies"}
      ],
      files: [{path: $entry, sha256: $sha, size: $size, soname: $name,
               needed: ($needed | split("\n") | map(select(length > 0)))}]}' >"$STAGE/manifest.json"
  chmod 0644 "$STAGE/manifest.json"
  rm -rf "$OUT"
  mv "$STAGE" "$OUT"
  STAGE=""
  bash "${ROOT}/scripts/build-libtoxcore.sh" --target "$TARGET" --check >/dev/null
  log "wrote ${OUT_REL}/ ($(du -sb "$OUT" | cut -f1) bytes)"
}

# --check for a PE folder: sha256/size, the DLL name, imports only from Windows itself, ASLR + DEP,
# no A/V exports, licence files present, no unlisted DLL.
check_pe() {
  local manifest="${OUT}/manifest.json"
  [[ -f "$manifest" ]] || die "--check: ${OUT_REL}/manifest.json does not exist"
  for t in sha256sum "${CROSS_PREFIX}objdump" node; do command -v "$t" >/dev/null || die "--check needs ${t} (binutils-mingw-w64-x86-64, coreutils, node)"; done
  local listing bad=0 n=0 kind path sha size needed name actual f
  listing="$(node -e '
    const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    if (m.entry !== process.argv[2]) throw new Error("entry is " + m.entry);
    for (const c of m.components) for (const l of c.license_files) console.log("license\t" + l);
    for (const f of m.files) console.log(["file", f.path, f.sha256, String(f.size), f.needed.join(","), f.soname].join("\t"));
  ' "$manifest" "$ENTRY")" || die "--check: manifest.json is not valid (node could not read it)"
  declare -A listed=()
  while IFS=$'\t' read -r kind path sha size needed name; do
    if [[ "$kind" == license ]]; then
      [[ "$path" == licenses/* && "$path" != *..* && -s "${OUT}/${path}" ]] || { echo "LICENSE  ${OUT_REL}/${path} missing" >&2; bad=1; }
      continue
    fi
    n=$((n + 1)); listed["$path"]=1
    f="${OUT}/${path}"
    if [[ "$path" == */* || ! -f "$f" ]]; then echo "MISSING  ${OUT_REL}/${path}" >&2; bad=1; continue; fi
    actual="$(sha256sum "$f" | cut -d' ' -f1)"
    if [[ "$actual" != "$sha" || "$(stat -c %s "$f")" != "$size" ]]; then
      echo "SHA256   ${OUT_REL}/${path}: expected ${sha} (${size} bytes), got ${actual}" >&2; bad=1; continue
    fi
    [[ "$(pe_name "$f")" == "$name" ]] || { echo "NAME     ${path}: '$(pe_name "$f")', manifest says ${name}" >&2; bad=1; }
    [[ "$(pe_dlls "$f" | paste -sd,)" == "$needed" ]] || { echo "NEEDED   ${path}: $(pe_dlls "$f" | paste -sd,), manifest says ${needed}" >&2; bad=1; }
    local d
    while IFS= read -r d; do
      [[ "${d,,}" =~ $WINDOWS_DLLS_RE ]] || { echo "IMPORT   ${path} needs ${d}, not a Windows system DLL" >&2; bad=1; }
    done < <(pe_dlls "$f")
    pe_hardened "$f" || { echo "HARDEN   ${path}: not HIGH_ENTROPY_VA + DYNAMIC_BASE + NX_COMPAT" >&2; bad=1; }
    local exports
    exports="$(pe_exports "$f")" # not piped into grep -q: its early exit would fail the pipeline (pipefail)
    if grep -Eq "$FORBIDDEN_SYMBOL_RE" <<<"$exports"; then echo "AV       ${path} exports toxav_/vpx_/opus_ symbols" >&2; bad=1; fi
    grep -qx 'tox_new' <<<"$exports" || { echo "EXPORTS  ${path} does not export tox_new" >&2; bad=1; }
  done <<<"$listing"
  [[ -n "${listed[$ENTRY]+x}" ]] || { echo "MISSING  entry ${ENTRY} is not in the manifest" >&2; bad=1; }
  local g
  while IFS= read -r g; do
    [[ -z "$g" || -n "${listed[$g]+x}" ]] || { echo "UNLISTED ${OUT_REL}/${g}" >&2; bad=1; }
  done < <(cd "$OUT" && find . -maxdepth 1 \( -type f -o -type l \) \( -name '*.so*' -o -name '*.dll' -o -name '*.dylib' \) -printf '%f\n' | sort)
  ((bad == 0)) || die "--check FAILED for ${OUT_REL} (restore the files from git or re-run scripts/build-libtoxcore.sh)"
  echo "build-libtoxcore: --check passed: ${n} file in ${OUT_REL} matches manifest.json (imports only Windows DLLs, ASLR + DEP, no toxav)"
}
