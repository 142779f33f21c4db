#!/usr/bin/env bash
# The main job on the embedded default: builds Upkeep, writes the starter ISO 27001:2022 configuration
# (build/demo/isms.json, kept between runs), prints its maintenance calendar for the next 12 months, and
# brings up a local Redmine with the demo ISMS project whose ISMS tab shows that calendar. Rerun safely.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh >/dev/null
upkeep=build/native/cli/upkeep
config=build/demo/isms.json
mkdir -p build/demo
[ -f "$config" ] || "$upkeep" init --organisation "Demo Ltd" -o "$config"
"$upkeep" validate "$config"
echo
"$upkeep" calendar "$config" "$@"
echo
UPKEEP_DEMO_CONFIG=$config scripts/redmine.sh up
port=${UPKEEP_REDMINE_PORT:-3300}
cat <<MSG

Upkeep demo is running.
  Open:    http://127.0.0.1:$port/projects/isms-demo/isms
  Log in:  ciso / upkeep-demo-2026   (the ISMS manager; admin / upkeep-demo-2026 is the administrator)
  Stop:    scripts/redmine.sh down
MSG
