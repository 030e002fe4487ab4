#!/usr/bin/env bash
# `npm run package`: builds the bundles and packs one .vsix per target with @vscode/vsce --target:
# toxync-<version>-<target>.vsix for linux-x64, linux-arm64 and win32-x64, each carrying only its
# own native-prebuilds/<target>/ and koffi's addon for that target, then checks each file list
# (scripts/vsix-files.mjs) and prints the sizes. `--no-build` packs the current dist/ as it is;
# `--target T` packs only T.
#
# linux-x64 (this machine) is packed from the repository, with .vscodeignore. koffi's addons for the
# other targets are not in node_modules (npm installs only the host's), so each of those is packed
# from a staging folder .cache/vsix/<target>/: the same allowlisted files, native-prebuilds/<target>/,
# koffi's runtime files, and @koromix/koffi-<target> from the registry (scripts/foreign-packages.sh).
# The staged package.json lists only koffi under "dependencies" (the others are bundled into dist/
# by esbuild and never read at run time), so that vsce's `npm list` sees exactly what is staged.
set -euo pipefail
cd "$(dirname "$0")/.."
build=1
targets=(linux-x64 linux-arm64 win32-x64)
while (($#)); do
  case "$1" in
    --no-build) build=0; shift ;;
    --target) targets=("${2:?--target needs a value}"); shift 2 ;;
    *) echo "package: unknown argument $1" >&2; exit 2 ;;
  esac
done
((build == 0)) || node scripts/build.mjs
version=$(node -p 'require("./package.json").version')
vsce_bin="$(pwd)/node_modules/.bin/vsce"
# --allow-missing-repository: there is no public repository URL to name; without the flag
# vsce would stop and ask on stdin; the README keeps its links as written (no base URL to prepend).
vsce_flags=(--allow-missing-repository --no-rewrite-relative-links)

# koffi's addon folder inside its per-target package: linux_arm64/, win32_x64/.
addon_dir() { echo "${1/-/_}"; }

stage() {
  local t="$1" dir=".cache/vsix/$1" koffi_pkg
  koffi_pkg="$(bash scripts/foreign-packages.sh koffi "$t")"
  rm -rf "$dir"
  mkdir -p "$dir/native-prebuilds" "$dir/node_modules/koffi/src/koffi/src" "$dir/node_modules/@koromix/koffi-$t/$(addon_dir "$t")" "$dir/data"
  cp -a README.md LICENSE dist media "$dir/"
  cp data/nodes.json "$dir/data/"
  cp -a "native-prebuilds/$t" "$dir/native-prebuilds/"
  node -e '
    const fs = require("fs");
    const p = JSON.parse(fs.readFileSync("package.json", "utf8"));
    p.dependencies = { koffi: p.dependencies.koffi };
    fs.writeFileSync(process.argv[1] + "/package.json", JSON.stringify(p, null, 2) + "\n");
  ' "$dir"
  for f in package.json index.cjs LICENSE.txt src/koffi/index.cjs src/koffi/src/static.cjs; do cp "node_modules/koffi/$f" "$dir/node_modules/koffi/$f"; done
  cp "$koffi_pkg/package.json" "$koffi_pkg/index.js" "$dir/node_modules/@koromix/koffi-$t/"
  cp "$koffi_pkg/$(addon_dir "$t")/koffi.node" "$dir/node_modules/@koromix/koffi-$t/$(addon_dir "$t")/"
  # The repository's allowlist with this target's folders instead of linux-x64's.
  sed -e "s#native-prebuilds/linux-x64/#native-prebuilds/$t/#" \
    -e "s#@koromix/koffi-linux-x64/linux_x64/#@koromix/koffi-$t/$(addon_dir "$t")/#" \
    -e "s#@koromix/koffi-linux-x64/#@koromix/koffi-$t/#" .vscodeignore >"$dir/.vscodeignore"
}

for t in "${targets[@]}"; do
  out="toxync-${version}-${t}.vsix"
  rm -f "$out"
  if [ "$t" = linux-x64 ]; then
    npx vsce package --target "$t" "${vsce_flags[@]}" --out "$out" >/dev/null
  else
    stage "$t"
    (cd ".cache/vsix/$t" && "$vsce_bin" package --target "$t" "${vsce_flags[@]}" --out "../../../$out" >/dev/null)
  fi
  node scripts/vsix-files.mjs "$out" --target "$t"
done
