#!/usr/bin/env bash
# Release artefacts from the build trees (scripts/build.sh builds them), each with a .sha256 beside it:
#   scripts/package.sh plugin   dist/upkeep-redmine-VERSION.tar.gz: the Redmine plugin, wasm core included,
#                               to unpack into Redmine's plugins/ folder (docs/install.md)
#   scripts/package.sh deb      dist/upkeep_VERSION_amd64.deb: the upkeep command, its man page, and a
#                               systemd timer and cron line for a daily sync (CPack, cli/CMakeLists.txt)
#   scripts/package.sh          both
# Prints the paths of what it made. The same sources give the same archive, byte for byte: files sorted,
# owned by root, dated by the last commit (SOURCE_DATE_EPOCH when set).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
dist=${UPKEEP_DIST:-$root/dist}
version=$(sed -n 's/^project(upkeep VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
[ -n "$version" ] || { echo "no project version in CMakeLists.txt" >&2; exit 1; }
: "${SOURCE_DATE_EPOCH:=$(git log -1 --format=%ct 2>/dev/null || echo 0)}"
export SOURCE_DATE_EPOCH

need() {
  for f in "$@"; do
    [ -f "$f" ] || { echo "missing $f: run scripts/build.sh first" >&2; exit 1; }
  done
}

checksum() { (cd "$(dirname "$1")" && sha256sum "$(basename "$1")" >"$(basename "$1").sha256"); }

# The plugin folder as Redmine loads it: the Ruby side, the page scripts and styles under assets/ (which
# Redmine mirrors to its plugin_assets at boot), the wasm core, and VERSION (CMake's project version).
plugin() {
  need build/wasm/wasm/upkeep-redmine.mjs build/wasm/wasm/upkeep-redmine.wasm \
       build/wasm/wasm/upkeep-redmine-tickets.mjs build/wasm/wasm/upkeep-redmine-tickets.wasm \
       web/vendor/node_modules/uplot/dist/uPlot.esm.js
  local work stage archive=$dist/upkeep-redmine-$version.tar.gz
  work=$(mktemp -d)
  stage=$work/upkeep
  mkdir -p "$stage/assets/javascripts/core"
  cp -a plugin-manifest/redmine/upkeep/. "$stage/"
  cp -a web/. "$stage/assets/javascripts/"
  # Jira's page belongs to the Forge app (plugin-manifest/jira-cloud/build-page.mjs).
  rm -rf "$stage/assets/javascripts/jira"
  # Of the third-party packages (web/vendor, from npm), only the built files the pages load.
  local vendor=$stage/assets/javascripts/vendor
  rm -rf "$vendor/node_modules" "$vendor"/package*.json
  mkdir -p "$vendor/node_modules/uplot/dist"
  cp web/vendor/node_modules/uplot/dist/uPlot.esm.js web/vendor/node_modules/uplot/dist/uPlot.min.css \
    web/vendor/node_modules/uplot/LICENSE "$vendor/node_modules/uplot/dist/"
  # The core's two modules (web/redmine/redmine-cores.js). .js, not .mjs: Rack serves .mjs as
  # application/octet-stream, which browsers refuse for modules.
  local module
  for module in upkeep-redmine upkeep-redmine-tickets; do
    cp "build/wasm/wasm/$module.mjs" "$stage/assets/javascripts/core/$module.js"
    cp "build/wasm/wasm/$module.wasm" "$stage/assets/javascripts/core/$module.wasm"
  done
  echo "$version" >"$stage/VERSION"
  chmod -R u=rwX,go=rX "$stage"
  mkdir -p "$dist"
  tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
    -C "$work" -cf - upkeep | gzip -9n >"$archive"
  rm -rf "$work"
  checksum "$archive"
  echo "$archive"
}

deb() {
  need build/native/cli/upkeep build/native/CPackConfig.cmake build/native/upkeep.1.gz
  mkdir -p "$dist"
  local log
  log=$(cd build/native && cpack -G DEB -B "$dist/.cpack" 2>&1) || { echo "$log" >&2; exit 1; }
  local package=$dist/upkeep_${version}_amd64.deb
  mv "$dist/.cpack/upkeep_${version}_amd64.deb" "$package"
  rm -rf "$dist/.cpack"
  checksum "$package"
  echo "$package"
}

case "${1:-all}" in
  plugin) plugin ;;
  deb) deb ;;
  all) plugin; deb ;;
  *) echo "usage: scripts/package.sh [plugin|deb|all]" >&2; exit 2 ;;
esac
