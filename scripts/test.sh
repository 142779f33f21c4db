#!/usr/bin/env bash
# Every test: installs what is missing, builds native and wasm, then runs through ctest: the unit tests
# (doctest, plain and sanitized), the node suites (CLI contract, iCalendar through ical.js, recurrence
# cross-checked against python-dateutil and rrule.js, wasm against native), TypeScript's check of web/,
# the C++ formatting, the browser tests (Chromium against the real Redmine, on SQLite and on PostgreSQL)
# and the packages installed as administrators would. What only some suites need is made by ctest as a
# fixture, beside the tests that need none of it: the asan tree (clang with AddressSanitizer and UBSan)
# and each local Redmine, brought up when one of its suites is selected and stopped here at the end if it
# was not running before.
# Arguments go to ctest and select a part, e.g. `scripts/test.sh -L unit` or `-LE 'redmine|pgsql'` (the
# labels are listed in tests/CMakeLists.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
trap 'for db in sqlite postgresql; do UPKEEP_REDMINE_DB=$db scripts/redmine.sh test-down; done' EXIT
ctest --preset native "$@"
