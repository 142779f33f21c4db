#!/usr/bin/env bash
# The main job on the embedded default: writes the starter ISO 27001:2022 configuration
# (build/demo/isms.json, kept between runs) and prints its maintenance calendar for the next 12 months.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh >/dev/null
upkeep=build/native/cli/upkeep
mkdir -p build/demo
[ -f build/demo/isms.json ] || "$upkeep" init --organisation "Demo Ltd" -o build/demo/isms.json
"$upkeep" validate build/demo/isms.json
echo
"$upkeep" calendar build/demo/isms.json "$@"
