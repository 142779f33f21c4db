#!/usr/bin/env bash
# Every test: installs what is missing, builds native and wasm (and the unit tests under AddressSanitizer
# and UBSan, the asan preset), brings up the local Redmine (and stops it again if it was not running
# before), then runs through ctest: the unit tests (doctest, plain and sanitized), the node
# suites (CLI contract, iCalendar through ical.js, recurrence cross-checked against python-dateutil
# and rrule.js, wasm against native) and the browser tests (Chromium against the real Redmine).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
[ -f build/asan/build.ninja ] || cmake --preset asan >/dev/null
cmake --build --preset asan
if ! scripts/redmine.sh status >/dev/null 2>&1; then
  trap 'scripts/redmine.sh down' EXIT
fi
scripts/redmine.sh up
ctest --preset native "$@"
