#!/usr/bin/python3
"""Cross-check `upkeep expand --jsonl` against python-dateutil and rrule.js.

For every corpus line our dates must equal dateutil's exactly, and rrule.js's
exactly (except for the one class of rules where rrule.js is known wrong, see
RRULEJS_SKIP).  Prints each mismatch, then `crosscheck: N passed, M failed`;
exits 1 if anything failed.

--references-only compares dateutil with rrule.js instead (no upkeep binary
needed): that is how the rrule.js skip class below was found.

usage: crosscheck.py [--corpus FILE] [--references-only] [--quiet]
  UPKEEP_BIN   upkeep CLI (default build/native/cli/upkeep in the repo)
  NODE         node executable (default: node); npm deps in tests/node
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
NODE_DIR = os.path.join(REPO, "tests", "node")
PY = "/usr/bin/python3"  # the interpreter that has python3-dateutil
TIMEOUT = 900


def rrulejs_skip_reason(rule):
    """Why rrule.js cannot be trusted on this rule, or None.

    rrule.js 2.8.1 picks BYSETPOS days in buildPoslist (src/iter/poslist.ts)
    with `tmp.slice(pos)[0]` for a negative pos: a position beyond the start
    of a period's set is clamped to its first day instead of being skipped,
    and a negative and a positive position naming the same day are not
    de-duplicated (it compares Date objects by identity), so that day comes
    out twice.  dateutil skips and de-duplicates, as RFC 5545 says.  Positive
    positions take a different path and agree with dateutil, so only rules
    with a negative BYSETPOS value are left out of the rrule.js comparison.
    """
    for part in rule.split(";"):
        name, _, value = part.partition("=")
        if name.upper() == "BYSETPOS" and any(v.strip().startswith("-") for v in value.split(",")):
            return "negative BYSETPOS (rrule.js 2.8.1 clamps out-of-range negative positions and duplicates days)"
    return None


def split_mixed_byday(rule):
    """The two rules whose union `rule` means, when its BYDAY mixes plain and ordinal weekdays; else None.

    RFC 5545 reads a BYDAY list as a list of days, so `BYDAY=1FR,FR` is the first Friday plus every
    Friday, and Upkeep expands it so.  dateutil and rrule.js keep only the days matching both kinds
    (an intersection, empty whenever the weekdays differ).  For such a rule the reference is the union
    of dateutil's expansions of the plain part and of the ordinal part, which holds only without
    BYSETPOS and COUNT (both would apply to the whole set): the corpus has no such mixed rule.
    """
    parts = [p.split("=", 1) for p in rule.split(";") if p]
    names = {name.upper() for name, _ in parts}
    byday = next((value for name, value in parts if name.upper() == "BYDAY"), None)
    if byday is None:
        return None
    days = byday.split(",")
    plain = [d for d in days if d.strip().isalpha()]
    ordinal = [d for d in days if not d.strip().isalpha()]
    if not plain or not ordinal:
        return None
    if "BYSETPOS" in names or "COUNT" in names:
        raise SystemExit(f"crosscheck: no reference for mixed BYDAY with BYSETPOS or COUNT: {rule}")
    with_days = lambda chosen: ";".join(f"{n}={','.join(chosen) if n.upper() == 'BYDAY' else v}" for n, v in parts)
    return with_days(plain), with_days(ordinal)


def run(cmd, stdin_path=None):
    t0 = time.monotonic()
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    try:
        proc = subprocess.run(cmd, stdin=stdin, capture_output=True, timeout=TIMEOUT)
    finally:
        if stdin_path:
            stdin.close()
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr.decode(errors="replace"))
        raise SystemExit(f"crosscheck: {' '.join(cmd)} exited with {proc.returncode}")
    lines = [json.loads(line) for line in proc.stdout.decode().splitlines() if line.strip()]
    return lines, time.monotonic() - t0


def describe(a_name, a, b_name, b):
    """One line saying where two expander answers first differ."""
    if "dates" not in a or "dates" not in b:
        return f"{a_name}: {json.dumps(a)[:200]}  {b_name}: {json.dumps(b)[:200]}"
    da, db = a["dates"], b["dates"]
    i = next((k for k in range(min(len(da), len(db))) if da[k] != db[k]), min(len(da), len(db)))
    first_a = da[i] if i < len(da) else "(end)"
    first_b = db[i] if i < len(db) else "(end)"
    return (f"first difference at #{i}: {a_name} {first_a}, {b_name} {first_b} "
            f"({a_name} {len(da)} dates, {b_name} {len(db)} dates)")


def union_of_parts(items, tmp):
    """{corpus index: dateutil's answer for the RFC 5545 union} for the mixed-BYDAY rules."""
    mixed = {n: split_mixed_byday(item["rrule"]) for n, item in enumerate(items)}
    mixed = {n: halves for n, halves in mixed.items() if halves}
    if not mixed:
        return {}
    derived = os.path.join(tmp, "mixed-byday-halves.jsonl")
    with open(derived, "w", encoding="utf-8") as f:
        for n, halves in mixed.items():
            for half in halves:
                f.write(json.dumps({**items[n], "rrule": half}) + "\n")
    answers, _ = run([PY, os.path.join(HERE, "dateutil_expand.py"), derived])
    union = {}
    for k, n in enumerate(mixed):
        a, b = answers[2 * k], answers[2 * k + 1]
        if "dates" not in a or "dates" not in b:
            union[n] = {"error": f"dateutil failed on a half: {a} {b}"}
        else:
            union[n] = {"dates": sorted(set(a["dates"]) | set(b["dates"]))[: items[n]["limit"]]}
    return union


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", help="existing corpus JSONL (default: generate one)")
    ap.add_argument("--references-only", action="store_true",
                    help="compare dateutil with rrule.js; upkeep is not run")
    ap.add_argument("--quiet", action="store_true", help="do not list each mismatch")
    args = ap.parse_args()

    if not os.path.isdir(os.path.join(NODE_DIR, "node_modules", "rrule")):
        raise SystemExit(f"crosscheck: rrule.js is not installed: run `npm ci` in {NODE_DIR}")

    with tempfile.TemporaryDirectory(prefix="upkeep-crosscheck-") as tmp:
        corpus = args.corpus
        if not corpus:
            corpus = os.path.join(tmp, "corpus.jsonl")
            subprocess.run([PY, os.path.join(HERE, "make_corpus.py"), corpus], check=True)
        with open(corpus, encoding="utf-8") as f:
            items = [json.loads(line) for line in f if line.strip()]

        results, timing = {}, {}
        results["dateutil"], timing["dateutil"] = run([PY, os.path.join(HERE, "dateutil_expand.py"), corpus])
        union_reference = union_of_parts(items, tmp)
        results["rrule.js"], timing["rrule.js"] = run(
            [os.environ.get("NODE", "node"), os.path.join(NODE_DIR, "rrulejs-expand.mjs"), corpus])
        if args.references_only:
            subject = "dateutil"
        else:
            upkeep = os.environ.get("UPKEEP_BIN") or os.path.join(REPO, "build", "native", "cli", "upkeep")
            if not os.access(upkeep, os.X_OK):
                raise SystemExit(f"crosscheck: no upkeep binary at {upkeep} (set UPKEEP_BIN)")
            results["ours"], timing["ours"] = run([upkeep, "expand", "--jsonl"], stdin_path=corpus)
            subject = "ours"

    passed = failed = deviations = 0
    skipped = {}
    for name, lines in results.items():
        if len(lines) != len(items):
            print(f"crosscheck: {name} wrote {len(lines)} lines for {len(items)} corpus lines")
    for n, item in enumerate(items):
        got = results[subject][n] if n < len(results[subject]) else {"error": "no output line"}
        problems = []
        for ref in ("dateutil", "rrule.js"):
            if ref == subject:
                continue
            want = results[ref][n] if n < len(results[ref]) else {"error": "no output line"}
            if n in union_reference and subject == "ours":
                if ref == "rrule.js":
                    continue  # rrule.js intersects like dateutil: nothing of its own to compare
                want, ref = union_reference[n], "dateutil (union of the BYDAY halves)"
                deviations += 1
            elif ref == "rrule.js":
                reason = rrulejs_skip_reason(item["rrule"])
                if reason:
                    skipped[reason] = skipped.get(reason, 0) + 1
                    continue
            if "error" in want:  # a reference error is a corpus problem: never a pass
                problems.append(f"{ref} failed: {want['error']}")
            elif got != want:
                problems.append(describe(subject, got, ref, want))
        if problems:
            failed += 1
            if not args.quiet:
                print(f"MISMATCH corpus line {n + 1}: dtstart={item['dtstart']} "
                      f"rrule={item['rrule']} limit={item['limit']}")
                for p in problems:
                    print("  " + p)
        else:
            passed += 1

    print("timings: " + ", ".join(f"{k} {v:.2f}s" for k, v in timing.items()))
    if deviations:
        print(f"mixed plain and ordinal BYDAY ({deviations} rules): checked against the RFC 5545 union of "
              "dateutil's expansions of each half, not dateutil's intersection")
    for reason, count in skipped.items():
        print(f"rrule.js comparison skipped for {count} rules: {reason}")
    print(f"crosscheck: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
