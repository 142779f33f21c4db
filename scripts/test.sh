#!/usr/bin/env bash
# Every test: installs what is missing, builds native and wasm (and the unit tests under AddressSanitizer
# and UBSan, the asan preset), brings up the local Redmine on SQLite and on PostgreSQL (and stops each
# again if it was not running before), then runs through ctest: the unit tests (doctest, plain and
# sanitized), the node suites (CLI contract, iCalendar through ical.js, recurrence cross-checked against
# python-dateutil and rrule.js, wasm against native), TypeScript's check of web/, the C++ formatting, the
# browser tests (Chromium against the real Redmine) and the packages installed as administrators would.
# Arguments go to ctest and select a part, e.g. `scripts/test.sh -L unit` or `-LE 'redmine|pgsql'` (the
# labels are listed in tests/CMakeLists.txt): the sanitized build and each Redmine are then set up only
# when a selected test needs them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh

# The labels of the tests that the arguments select, as ctest reads them; "?" when it cannot tell.
selected_labels() {
  ctest --preset native --show-only=json-v1 "$@" 2>/dev/null | node -e '
    let text = "";
    process.stdin.on("data", (chunk) => { text += chunk; });
    process.stdin.on("end", () => {
      const labels = JSON.parse(text).tests.flatMap((t) => t.properties?.find((p) => p.name === "LABELS")?.value ?? ["?"]);
      console.log([...new Set(labels)].join("\n"));
    });' || echo '?'
}
labels=$(selected_labels "$@")
needs() { grep -qxF -e "$1" -e '?' <<<"$labels"; }

if needs asan; then
  [ -f build/asan/build.ninja ] || cmake --preset asan >/dev/null
  cmake --build --preset asan
fi
# Each Redmine (SQLite, PostgreSQL) that a selected test needs; stopped at the end if it was not running.
stop_at_exit=()
trap 'for db in "${stop_at_exit[@]}"; do UPKEEP_REDMINE_DB=$db scripts/redmine.sh down; done' EXIT
bring_up() {
  UPKEEP_REDMINE_DB=$1 scripts/redmine.sh status >/dev/null 2>&1 || stop_at_exit+=("$1")
  UPKEEP_REDMINE_DB=$1 scripts/redmine.sh up
}
if needs redmine; then bring_up sqlite; fi
if needs pgsql; then bring_up postgresql; fi
ctest --preset native "$@"
