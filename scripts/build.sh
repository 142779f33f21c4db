#!/usr/bin/env bash
# Configures and builds the native tree (build/native): the upkeep command, tests and benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build/native/build.ninja ] || cmake --preset native >/dev/null
cmake --build --preset native
