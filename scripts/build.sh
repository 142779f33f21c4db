#!/usr/bin/env bash
# Builds the native tree (build/native: the upkeep command, tests, benchmarks) and the WebAssembly
# core (build/wasm: upkeep-<host>.mjs + .wasm, one module per tracker, for the browser and node).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build/native/build.ninja ] || cmake --preset native >/dev/null
cmake --build --preset native
[ -f build/wasm/build.ninja ] || cmake --preset wasm >/dev/null
cmake --build --preset wasm
