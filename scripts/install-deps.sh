#!/usr/bin/env bash
# Installs what Upkeep needs to build and test, from Debian's and npm's registries. Idempotent: installs
# only what is missing, so reruns take a second. Needs root (or sudo) for apt-get.
#   scripts/install-deps.sh            build + native tests (C++ toolchain, headers, node test deps)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(g++ cmake ninja-build nodejs npm python3 python3-dateutil
          nlohmann-json3-dev libhowardhinnant-date-dev doctest-dev libcpp-httplib-dev)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "==> apt-get install ${missing[*]}"
  sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Node test dependencies (rrule.js, ical.js), pinned by tests/node/package-lock.json.
stamp=tests/node/node_modules/.upkeep-lock
if [ ! -f "$stamp" ] || ! cmp -s tests/node/package-lock.json "$stamp"; then
  echo "==> npm ci (tests/node)"
  (cd tests/node && npm ci --no-audit --no-fund --loglevel=error)
  cp tests/node/package-lock.json "$stamp"
fi
