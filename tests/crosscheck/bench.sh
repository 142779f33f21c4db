#!/usr/bin/env bash
# Expansion benchmark: the native expander (upkeep-bench-expand) and the wasm core (through the browser
# facade, in node) against rrule.js on the same generated corpus and limits. Each side warms up, then repeats whole passes over the corpus until
# at least BENCH_MIN_SECONDS (default 2) have elapsed; both parse every rule on every pass.
# The corpus is measured in two parts, split by what the native CLI answers: the typical rules, which
# yield occurrences (the headline ratio), and the rules that yield nothing (impossible BYMONTHDAY/BYMONTH
# combinations and the like), which rrule.js walks day by day for 400 years and so would dominate one
# ratio over the whole corpus. Those have no occurrences: their ratio compares rules per second.
# Prints a small table for each part and one JSON line:
#   {"typical": PART, "never_matching": PART}, PART = {"rules", "native", "rrulejs", "wasm",
#    "rrulejs_beside_wasm", "ratio_native_over_rrulejs", "ratio_wasm_over_rrulejs"}
#   (the wasm ratio is measured in one node process)
# Env: UPKEEP_BENCH_BIN (default build/native/tests/bench/upkeep-bench-expand, or
# build/native/tests/upkeep-bench-expand), UPKEEP_BIN (default build/native/cli/upkeep), NODE (default
# node), BENCH_MIN_SECONDS.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
python=/usr/bin/python3
node="${NODE:-node}"
min_seconds="${BENCH_MIN_SECONDS:-2}"
upkeep_bin="${UPKEEP_BIN:-$repo/build/native/cli/upkeep}"

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
if [[ ! -x "$upkeep_bin" ]]; then
  echo "bench: no upkeep command at $upkeep_bin (build it, or set UPKEEP_BIN)" >&2
  exit 1
fi
if [[ ! -d "$repo/tests/node/node_modules/rrule" ]]; then
  echo "bench: rrule.js is not installed: run 'npm ci' in tests/node" >&2
  exit 1
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$python" "$here/make_corpus.py" "$tmp/corpus.jsonl"
"$upkeep_bin" expand --jsonl <"$tmp/corpus.jsonl" >"$tmp/answers.jsonl"
"$python" - "$tmp" <<'EOF_SPLIT'
import json, sys
tmp = sys.argv[1]
with open(f"{tmp}/corpus.jsonl") as c, open(f"{tmp}/answers.jsonl") as a:
    pairs = list(zip(c, a))
parts = {"typical": [], "never": []}
for rule, answer in pairs:
    answer = json.loads(answer)
    if "error" in answer:
        sys.exit(f"bench: the corpus has a rule upkeep rejects: {rule.strip()}: {answer['error']}")
    parts["typical" if answer["dates"] else "never"].append(rule)
for name, rules in parts.items():
    with open(f"{tmp}/{name}.jsonl", "w") as out:
        out.writelines(rules)
EOF_SPLIT

# One part's figures as one JSON line {"native", "rrulejs", "wasm"}. Native: time one pass (after its own
# warm-up), then pick a repeat count that lasts min_seconds (plus 20 % over the probe, which runs cold).
measure() {
  local corpus=$1 probe repeat native rrulejs wasm
  probe="$("$bench_bin" "$corpus" --repeat 1)"
  repeat="$("$python" -c 'import json, math, sys
s = max(json.loads(sys.argv[1])["seconds"], 1e-6)
print(max(1, math.ceil(1.2 * float(sys.argv[2]) / s)))' "$probe" "$min_seconds")"
  native="$("$bench_bin" "$corpus" --repeat "$repeat")"
  rrulejs="$("$node" "$repo/tests/node/bench-rrulejs.mjs" "$corpus" --min-seconds "$min_seconds")"
  wasm="$("$node" "$repo/tests/node/bench-wasm.mjs" "$corpus" --min-seconds "$min_seconds")"
  printf '{"native": %s, "repeat": %s, "rrulejs": %s, "wasm": %s}\n' "$native" "$repeat" "$rrulejs" "$wasm"
}
typical="$(measure "$tmp/typical.jsonl")"
never="$(measure "$tmp/never.jsonl")"

"$python" - "$typical" "$never" <<'EOF'
import json, sys

def part(text):
    run = json.loads(text)
    native = dict(run["native"], repeat=run["repeat"])
    rows = {"native": native, "rrulejs": run["rrulejs"], "wasm": run["wasm"]["wasm"],
            "rrulejs_beside_wasm": run["wasm"]["rrulejs"]}
    for r in rows.values():
        r["rules_per_second"] = r["rules"] * r["repeat"] / r["seconds"]
    return rows

def table(title, rows, measure):
    print(title)
    print(f"  {'expander':<22} {'rules':>6} {'passes':>7} {'occ/pass':>9} {'seconds':>8} {'occurrences/s':>15} {'rules/s':>12}")
    for name, key in (("native", "native"), ("rrule.js", "rrulejs"), ("wasm (node)", "wasm"),
                      ("rrule.js (same node)", "rrulejs_beside_wasm")):
        r = rows[key]
        print(f"  {name:<22} {r['rules']:>6} {r['repeat']:>7} {r['occurrences'] // r['repeat']:>9} "
              f"{r['seconds']:>8.2f} {r['occurrences_per_second']:>15,.0f} {r['rules_per_second']:>12,.0f}")
    native = rows["native"][measure] / rows["rrulejs"][measure]
    wasm = rows["wasm"][measure] / rows["rrulejs_beside_wasm"][measure]
    unit = "occurrences/s" if measure == "occurrences_per_second" else "rules/s"
    print(f"  native / rrule.js: {native:.1f}x   wasm / rrule.js (same node process): {wasm:.1f}x   ({unit})")
    return dict(rows, rules=rows["native"]["rules"], ratio_native_over_rrulejs=round(native, 2),
                ratio_wasm_over_rrulejs=round(wasm, 2))

typical = table("Typical rules (they yield occurrences): the headline ratio", part(sys.argv[1]), "occurrences_per_second")
never = table("Rules that yield nothing (rrule.js walks 400 years of periods for most)", part(sys.argv[2]), "rules_per_second")
print(json.dumps({"typical": typical, "never_matching": never}))
EOF
