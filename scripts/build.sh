#!/usr/bin/env bash
# Builds the native tree (build/native: the upkeep command, tests, benchmarks) and the WebAssembly
# core (build/wasm: upkeep-<host>.mjs + .wasm, one module per tracker, for the browser and node).
# `scripts/build.sh asan` builds the asan tree instead (build/asan: the unit tests and the fuzz targets
# under AddressSanitizer and UBSan, by clang), which the tests' setup-asan fixture runs.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = asan ]; then
  [ -f build/asan/build.ninja ] || cmake --preset asan >/dev/null
  exec cmake --build --preset asan
fi
[ -f build/native/build.ninja ] || cmake --preset native >/dev/null
cmake --build --preset native
[ -f build/wasm/build.ninja ] || cmake --preset wasm >/dev/null
cmake --build --preset wasm
