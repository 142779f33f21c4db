#!/usr/bin/env bash
# Installs what Upkeep needs to build and test, from Debian's and npm's registries. Idempotent: installs
# only what is missing, so a rerun takes a second. Runs as root (or with sudo) for apt-get.
# Redmine itself is installed by scripts/redmine.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

# clang with its libFuzzer runtime builds the asan tree (the unit tests and the fuzz targets); help2man
# and dpkg-dev (dpkg-shlibdeps) make the Debian package, whose test checks its units with systemd-analyze.
packages=(g++ clang libclang-rt-14-dev cmake ninja-build pkg-config clang-format curl python3 python3-dateutil
          nlohmann-json3-dev libhowardhinnant-date-dev doctest-dev libcpp-httplib-dev
          emscripten binaryen chromium help2man dpkg-dev systemd)

# Node.js: Debian 12's (18) or newer with npm on PATH (machines may carry a newer one than Debian's).
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "==> apt-get install ${missing[*]}" >&2
  sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Node dependencies, pinned by each package-lock.json: uPlot, which the ISMS tab draws its charts with
# (web/vendor); terser, which minifies the wasm module's JavaScript glue (wasm/tools); for the tests rrule.js and ical.js, playwright-core (which drives Debian's Chromium: it
# never downloads a browser of its own), TypeScript, which checks web/, and Ajv, with which the Jira double
# checks requests and answers against Atlassian's OpenAPI description (and Atlassian's @forge/manifest,
# @forge/lint and @forge/csp check the Forge app; tests/jira/.npmrc runs no install scripts: @forge/lint
# pulls in keytar, a native module that would build against headers from the internet and that the
# linter never loads); the Forge app's own packages (@forge/api, @forge/resolver, @forge/kvs, and
# @forge/bridge and esbuild for its page: plugin-manifest/jira-cloud).
for dir in web/vendor wasm/tools tests/node tests/redmine tests/types tests/jira plugin-manifest/jira-cloud; do
  stamp=$dir/node_modules/.upkeep-lock
  if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
    echo "==> npm ci ($dir)" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$stamp"
  fi
done
