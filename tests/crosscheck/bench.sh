#!/usr/bin/env bash
# Expansion benchmark: the native expander (upkeep-bench-expand) and the wasm core (through the browser
# facade, in node) against rrule.js on the same generated corpus and limits. Each side warms up, then repeats whole passes over the corpus until
# at least BENCH_MIN_SECONDS (default 2) have elapsed; both parse every rule on every pass.
# Prints a small table and one JSON line:
#   {"rules", "native", "rrulejs", "wasm", "rrulejs_beside_wasm", "ratio_native_over_rrulejs",
#    "ratio_wasm_over_rrulejs"}   (the wasm ratio is measured in one node process)
# Env: UPKEEP_BENCH_BIN (default build/native/tests/bench/upkeep-bench-expand, or
# build/native/tests/upkeep-bench-expand), NODE (default node), BENCH_MIN_SECONDS.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
python=/usr/bin/python3
node="${NODE:-node}"
min_seconds="${BENCH_MIN_SECONDS:-2}"

bench_bin="${UPKEEP_BENCH_BIN:-}"
if [[ -z "$bench_bin" ]]; then
  for candidate in "$repo/build/native/tests/bench/upkeep-bench-expand" "$repo/build/native/tests/upkeep-bench-expand"; do
    if [[ -x "$candidate" ]]; then bench_bin="$candidate"; break; fi
  done
fi
if [[ -z "$bench_bin" || ! -x "$bench_bin" ]]; then
  echo "bench: no upkeep-bench-expand binary (build it, or set UPKEEP_BENCH_BIN)" >&2
  exit 1
fi
if [[ ! -d "$repo/tests/node/node_modules/rrule" ]]; then
  echo "bench: rrule.js is not installed: run 'npm ci' in tests/node" >&2
  exit 1
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$python" "$here/make_corpus.py" "$tmp/corpus.jsonl"

# Native: time one pass (after its own warm-up), then pick a repeat count that lasts min_seconds
# (plus 20 % over the probe, which runs cold).
probe="$("$bench_bin" "$tmp/corpus.jsonl" --repeat 1)"
repeat="$("$python" -c 'import json, math, sys
s = max(json.loads(sys.argv[1])["seconds"], 1e-6)
print(max(1, math.ceil(1.2 * float(sys.argv[2]) / s)))' "$probe" "$min_seconds")"
native="$("$bench_bin" "$tmp/corpus.jsonl" --repeat "$repeat")"
rrulejs="$("$node" "$repo/tests/node/bench-rrulejs.mjs" "$tmp/corpus.jsonl" --min-seconds "$min_seconds")"
wasm="$("$node" "$repo/tests/node/bench-wasm.mjs" "$tmp/corpus.jsonl" --min-seconds "$min_seconds")"

"$python" - "$native" "$rrulejs" "$repeat" "$wasm" <<'EOF'
import json, sys
native, rrulejs, wasm_run = json.loads(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[4])
native["repeat"] = int(sys.argv[3])
ratio = native["occurrences_per_second"] / rrulejs["occurrences_per_second"]
print(f"{'expander':<22} {'rules':>6} {'passes':>7} {'occ/pass':>9} {'seconds':>8} {'occurrences/s':>15}")
rows = (("native", native), ("rrule.js", rrulejs), ("wasm (node)", wasm_run["wasm"]),
        ("rrule.js (same node)", wasm_run["rrulejs"]))
for name, r in rows:
    print(f"{name:<22} {r['rules']:>6} {r['repeat']:>7} {r['occurrences'] // r['repeat']:>9} "
          f"{r['seconds']:>8.2f} {r['occurrences_per_second']:>15,.0f}")
print(f"native / rrule.js: {ratio:.1f}x")
print(f"wasm / rrule.js (same node process): {wasm_run['ratio_wasm_over_rrulejs']:.1f}x")
print(json.dumps({"rules": native["rules"], "native": native, "rrulejs": rrulejs, "wasm": wasm_run["wasm"],
                  "rrulejs_beside_wasm": wasm_run["rrulejs"], "ratio_native_over_rrulejs": round(ratio, 2),
                  "ratio_wasm_over_rrulejs": wasm_run["ratio_wasm_over_rrulejs"]}))
EOF
