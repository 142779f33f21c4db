#!/usr/bin/env bash
# A real Redmine (Debian's package, on SQLite or PostgreSQL) on 127.0.0.1 for the Upkeep demo and tests.
#   scripts/redmine.sh up       install if needed, install the plugin from its release archive, start,
#                               bootstrap, seed the demo ISMS
#   scripts/redmine.sh down     stop the server that `up` started (by its PID)
#   scripts/redmine.sh status   say whether it runs, and where
#   scripts/redmine.sh test-up    `up` for the tests (their setup fixture); remembers whether it ran before
#   scripts/redmine.sh test-down  `down` if test-up started it (scripts/test.sh, at its end)
#   scripts/redmine.sh demo-config   write the demo's configuration if missing (build/demo/isms.json)
# Safe to rerun: `up` restarts the server only when the plugin changed, and never overwrites data
# people changed.
# The database: UPKEEP_REDMINE_DB=sqlite (the default: Debian's instance "default", port 3300, state in
# build/redmine/) or postgresql (the instance "upkeep-pgsql" on the local PostgreSQL cluster, port 3301,
# state in build/redmine-pgsql/; scripts/redmine/instance.sh makes it). Both can run at once.
# Port: UPKEEP_REDMINE_PORT overrides the default.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
db=${UPKEEP_REDMINE_DB:-sqlite}
case "$db" in
  sqlite) instance=default; port=${UPKEEP_REDMINE_PORT:-3300}; state=$root/build/redmine ;;
  postgresql) instance=upkeep-pgsql; port=${UPKEEP_REDMINE_PORT:-3301}; state=$root/build/redmine-pgsql ;;
  *) echo "UPKEEP_REDMINE_DB is sqlite or postgresql, not \"$db\"" >&2; exit 2 ;;
esac
url="http://127.0.0.1:$port"
redmine=/usr/share/redmine
password=${UPKEEP_DEMO_PASSWORD:-upkeep-demo-2026}
project=${UPKEEP_DEMO_PROJECT:-isms-demo}
pidfile=$state/redmine.pid
as_www=(setpriv --reuid=www-data --regid=www-data --init-groups env HOME=/var/www REDMINE_INSTANCE="$instance")

log() { printf '==> %s\n' "$*" >&2; }
if [ "$(id -u)" -ne 0 ] && [ "${1:-}" != status ]; then
  echo "scripts/redmine.sh must run as root: it installs Debian's Redmine, writes its plugin folder and starts" >&2
  echo "the server as www-data. Run it (or scripts/demo.sh, scripts/test.sh) with sudo." >&2
  exit 1
fi
running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# Debian's Redmine (its default instance on SQLite) and, for PostgreSQL, the server, the adapter and the
# instance (made and migrated once per checkout: build/redmine-pgsql/instance.log says how it went).
install_redmine() {
  install_sqlite_redmine
  sqlite_waits_for_locks
  [ "$db" = postgresql ] || return 0
  if ! installed postgresql || ! installed redmine-pgsql; then
    log "installing PostgreSQL and Redmine's PostgreSQL adapter"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql redmine-pgsql >/dev/null
  fi
  if ! pg_is_up; then
    log "starting the PostgreSQL cluster $(pg_cluster)"
    pg_ctlcluster $(pg_cluster) start
    touch "$state/cluster-started" # for `down` to stop it again
  fi
  [ -f "$state/instance.log" ] && grep -q '^ready$' "$state/instance.log" && return
  log "making the Redmine instance $instance on PostgreSQL"
  { scripts/redmine/instance.sh "$instance" postgresql && echo ready; } >"$state/instance.log" 2>&1 ||
    { echo "making the PostgreSQL instance failed; see $state/instance.log" >&2; tail -5 "$state/instance.log" >&2; exit 1; }
}

pg_cluster() { pg_lsclusters --no-header | awk 'NR == 1 { print $1 " " $2 }'; }
pg_is_up() { pg_lsclusters --no-header | awk 'NR == 1 { exit $4 == "online" ? 0 : 1 }'; }

install_sqlite_redmine() {
  installed redmine && return
  log "installing Debian's Redmine with SQLite (about a minute)"
  debconf-set-selections <<'PRESEED'
redmine redmine/current-instances string default
redmine redmine/instances/default/dbconfig-install boolean true
redmine redmine/instances/default/database-type select sqlite3
redmine redmine/instances/default/default-language select en
PRESEED
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redmine redmine-sqlite thin >/dev/null
}

# Debian's database.yml for SQLite sets no busy timeout, so a request that writes while another thread
# of the server holds the database (Redmine sends its notification mails on a thread of its own) fails
# at once with "database is locked". Rails' own template waits 5 s; so does this instance (and the
# bootstrap puts the database in WAL mode, where readers do not hold writers up).
sqlite_waits_for_locks() {
  local config=/etc/redmine/default/database.yml
  grep -q 'adapter: sqlite3' "$config" && ! grep -q '^ *timeout:' "$config" || return 0
  log "setting SQLite's busy timeout (5 s) in $config"
  sed -i 's/^\( *\)adapter: sqlite3$/&\n\1timeout: 5000/' "$config"
}

# Installs the plugin from its release archive (scripts/package.sh), as docs/install.md tells
# administrators to: check the checksum, unpack into plugins/ (which Debian's instances share), migrate
# this instance; prints "changed" when this instance has not yet run that archive, for the caller to
# restart its server.
deploy_plugin() {
  local archive work sum
  archive=$(scripts/package.sh plugin)
  (cd "$(dirname "$archive")" && sha256sum --quiet -c "$(basename "$archive").sha256") >&2
  sum=$(cut -d' ' -f1 "$archive.sha256")
  work=$(mktemp -d)
  tar -xzf "$archive" -C "$work"
  if ! diff -rq "$work/upkeep" "$redmine/plugins/upkeep" >/dev/null 2>&1; then
    log "installing $(basename "$archive") into $redmine/plugins/upkeep"
    mkdir -p "$redmine/plugins"
    rm -rf "$redmine/plugins/upkeep"
    mv "$work/upkeep" "$redmine/plugins/upkeep"
    chmod 755 "$redmine/plugins/upkeep"
  fi
  rm -rf "$work"
  [ "$(cat "$state/plugin.sha256" 2>/dev/null)" = "$sum" ] && return
  # SCHEMA=/dev/null: the schema dump after migrating would go to Debian's read-only db/ (as its postinst does).
  (cd "$redmine" && "${as_www[@]}" SCHEMA=/dev/null bundle exec rake redmine:plugins:migrate RAILS_ENV=production) \
    >"$state/migrate.log" 2>&1 || { echo "plugin migration failed; see $state/migrate.log" >&2; exit 1; }
  echo "$sum" >"$state/plugin.sha256"
  echo changed
}

# Redmine as Debian's package runs it, with what Debian's web server examples put in front of it
# (scripts/redmine/config.ru): /plugin_assets/ from the folder Redmine mirrors plugin assets to at boot.
start_server() {
  log "starting Redmine on $url"
  served=$(mktemp /tmp/upkeep-config.XXXXXX.ru)
  cp scripts/redmine/config.ru "$served"
  chmod 644 "$served"
  (cd "$redmine" && exec "${as_www[@]}" bundle exec rackup "$served" -E production -o 127.0.0.1 -p "$port") \
    >"$state/server.log" 2>&1 &
  echo $! >"$pidfile"
}

wait_for_http() {
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$url/login" 2>/dev/null && return
    running || { echo "Redmine exited while starting; see $state/server.log" >&2; tail -20 "$state/server.log" >&2; exit 1; }
    sleep 1
  done
  echo "Redmine did not answer on $url within 120 s; see $state/server.log" >&2
  exit 1
}

bootstrap() {
  local script
  script=$(mktemp /tmp/upkeep-bootstrap.XXXXXX.rb)
  cp scripts/redmine/bootstrap.rb "$script"
  chmod 644 "$script"
  log "bootstrapping (REST API, Upkeep setup, demo project and users)"
  local out
  out=$(cd "$redmine" && "${as_www[@]}" UPKEEP_DEMO_PASSWORD="$password" UPKEEP_DEMO_PROJECT="$project" \
        bundle exec rails runner -e production "$script" 2>"$state/bootstrap.log") || {
    rm -f "$script"; echo "bootstrap failed; see $state/bootstrap.log" >&2; tail -20 "$state/bootstrap.log" >&2; exit 1; }
  rm -f "$script"
  (umask 077 && printf '%s\n' "$out" | sed -n 's/^UPKEEP-CREDENTIALS //p' >"$state/credentials.json")
  [ -s "$state/credentials.json" ] || { echo "bootstrap printed no credentials" >&2; exit 1; }
}

# The demo ISMS: the starter configuration of an organisation certified eight months ago.
ensure_demo_config() {
  local config=${UPKEEP_DEMO_CONFIG:-build/demo/isms.json}
  [ -f "$config" ] && return
  mkdir -p "$(dirname "$config")"
  build/native/cli/upkeep init --organisation "Demo Ltd" --decision-date "$(date -d '8 months ago' +%F)" -o "$config"
}

stop_server() {
  running || { rm -f "$pidfile"; return; }
  local pid
  pid=$(cat "$pidfile")
  kill "$pid"
  for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  rm -f "$pidfile"
  log "stopped Redmine (pid $pid)"
}

case "${1:-}" in
  up)
    mkdir -p "$state"
    install_redmine
    changed=$(deploy_plugin)
    if running && [ -n "$changed" ]; then stop_server; fi
    if running; then
      bootstrap
    else
      start_server
      bootstrap
      wait_for_http
      rm -f "$served"
    fi
    ensure_demo_config
    node scripts/redmine/put-config.mjs --url "$url" --project "$project" --file "${UPKEEP_DEMO_CONFIG:-build/demo/isms.json}" \
      --credentials "$state/credentials.json" --if-missing
    ;;
  test-up)
    mkdir -p "$state"
    running || touch "$state/stop-after-tests"
    exec "$root/scripts/redmine.sh" up ;;
  test-down)
    [ -f "$state/stop-after-tests" ] || exit 0
    rm -f "$state/stop-after-tests"
    exec "$root/scripts/redmine.sh" down ;;
  down)
    stop_server
    if [ -f "$state/cluster-started" ]; then
      pg_ctlcluster $(pg_cluster) stop
      rm -f "$state/cluster-started"
      log "stopped the PostgreSQL cluster $(pg_cluster)"
    fi ;;
  demo-config) ensure_demo_config ;;
  status)
    if running; then echo "Redmine ($db) runs on $url (pid $(cat "$pidfile"))"; else echo "Redmine ($db) is not running"; exit 3; fi ;;
  *) echo "usage: scripts/redmine.sh up|down|status|demo-config|test-up|test-down" >&2; exit 2 ;;
esac
