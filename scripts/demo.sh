#!/usr/bin/env bash
# The main job on the embedded default: builds Upkeep, writes the starter ISO 27001:2022 configuration
# for an organisation certified eight months ago (build/demo/isms.json, kept between runs), prints its
# maintenance calendar for the next 12 months, brings up a local Redmine with the demo ISMS project
# (its ISMS tab shows that calendar), syncs the calendar into tickets there, and gives the demo the
# history its people would have made since (work done on time and late, a change assessed, an incident,
# a nonconformity closed). Rerun safely: a second run writes nothing new.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh >/dev/null
upkeep=build/native/cli/upkeep
config=build/demo/isms.json
UPKEEP_DEMO_CONFIG=$config scripts/redmine.sh demo-config
"$upkeep" validate "$config"
echo
"$upkeep" calendar "$config" "$@"
echo
UPKEEP_DEMO_CONFIG=$config scripts/redmine.sh up
port=${UPKEEP_REDMINE_PORT:-3300}
url=http://127.0.0.1:$port
# Sync as the demo's Upkeep account; its key comes from the bootstrap's credentials, never argv.
rm -f build/redmine/upkeep-bot.key
(umask 077 && python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["api_keys"]["upkeep-bot"])' \
  build/redmine/credentials.json > build/redmine/upkeep-bot.key)
"$upkeep" sync --url "$url" --project isms-demo --api-key-file build/redmine/upkeep-bot.key
node scripts/redmine/seed-demo-history.mjs --url "$url" --project isms-demo --config "$config"
cat <<MSG

Upkeep demo is running.
  ISMS tab:  $url/projects/isms-demo/isms
  Tickets:   $url/projects/isms-demo/issues?set_filter=1&status_id=*&sort=due_date
  Log in:    ciso / upkeep-demo-2026   (the ISMS manager; admin / upkeep-demo-2026 is the administrator)
             auditor / upkeep-demo-2026   (the certification body's auditor: reads, edits nothing)
  Stop:      scripts/redmine.sh down
MSG
