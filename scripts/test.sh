#!/usr/bin/env bash
# Every test: installs what is missing, builds, then runs the unit tests (doctest) and the node suites
# (CLI contract, iCalendar through ical.js, recurrence cross-checked against python-dateutil and rrule.js).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
ctest --preset native "$@"
