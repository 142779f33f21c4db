#!/usr/bin/env bash
# Every test: installs what is missing, builds native and wasm, brings up the local Redmine (and stops
# it again if it was not running before), then runs through ctest: the unit tests (doctest), the node
# suites (CLI contract, iCalendar through ical.js, recurrence cross-checked against python-dateutil
# and rrule.js, wasm against native) and the browser tests (Chromium against the real Redmine).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
if ! scripts/redmine.sh status >/dev/null 2>&1; then
  trap 'scripts/redmine.sh down' EXIT
fi
scripts/redmine.sh up
ctest --preset native "$@"
