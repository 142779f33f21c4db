#!/usr/bin/env bash
# Makes a Debian Redmine instance (its own database, files, logs and plugin assets), as
# `dpkg-reconfigure redmine` makes one, and brings its database up to date: Redmine's migrations, the
# plugins' and, on a new database, Redmine's default data (trackers, statuses, roles).
#   scripts/redmine/instance.sh NAME sqlite|postgresql
# Safe to rerun: an existing instance keeps its database and settings. PostgreSQL: the local cluster
# (Debian's postgresql package) on 127.0.0.1, started if it is down, with a role and a database of the
# instance's own, password in the instance's database.yml. Runs as root.
set -euo pipefail
name=$1
adapter=$2
redmine=/usr/share/redmine
config=/etc/redmine/$name
root=/var/lib/redmine/$name
as_www=(setpriv --reuid=www-data --regid=www-data --init-groups env HOME=/var/www REDMINE_INSTANCE="$name" RAILS_ENV=production)

mkdir -p "$config" "$root/files" "$root/public" "/var/cache/redmine/$name/tmp" "/var/cache/redmine/$name/plugin_assets" \
  "/var/log/redmine/$name"
ln -sfn "$config" "$root/config"
ln -sfn "/var/log/redmine/$name" "$root/log"
ln -sfn "/var/cache/redmine/$name/tmp" "$root/tmp"
ln -sfn "/var/cache/redmine/$name/plugin_assets" "$root/public/plugin_assets"
[ -s "$config/secret_key.txt" ] || (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$config/secret_key.txt")

database=$(echo "redmine_$name" | tr -c 'a-z0-9_\n' '_')
if [ ! -s "$config/database.yml" ]; then
  case "$adapter" in
    sqlite)
      mkdir -p "/var/lib/redmine-$name-db"
      chown www-data:www-data "/var/lib/redmine-$name-db"
      printf 'production:\n  adapter: sqlite3\n  database: %s\n  encoding: utf8\n' \
        "/var/lib/redmine-$name-db/redmine.sqlite3" >"$config/database.yml" ;;
    postgresql)
      password=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
      printf 'production:\n  adapter: postgresql\n  database: %s\n  host: 127.0.0.1\n  username: %s\n  password: "%s"\n  encoding: utf8\n' \
        "$database" "$database" "$password" >"$config/database.yml" ;;
    *) echo "instance.sh: the database is sqlite or postgresql, not \"$adapter\"" >&2; exit 2 ;;
  esac
fi
chown -R www-data:www-data "$config" "$root/files" "/var/cache/redmine/$name" "/var/log/redmine/$name"
chmod 640 "$config/database.yml" "$config/secret_key.txt"

if [ "$adapter" = postgresql ]; then
  cluster=$(pg_lsclusters --no-header | awk 'NR == 1 { print $1 " " $2 }')
  [ -n "$cluster" ] || { echo "instance.sh: no PostgreSQL cluster (apt-get install postgresql makes one)" >&2; exit 1; }
  pg_lsclusters --no-header | awk 'NR == 1 { exit $4 == "online" ? 0 : 1 }' || pg_ctlcluster $cluster start
  password=$(sed -n 's/^  password: "\(.*\)"$/\1/p' "$config/database.yml")
  as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups env HOME=/var/lib/postgresql "$@"; }
  if [ -z "$(as_postgres psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$database'")" ]; then
    as_postgres psql -qc "CREATE ROLE $database LOGIN PASSWORD '$password'"
  fi
  if [ -z "$(as_postgres psql -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'")" ]; then
    as_postgres createdb -O "$database" -E UTF8 -T template0 "$database"
  fi
fi

# SCHEMA=/dev/null: the schema dump after migrating would go to Debian's read-only db/ (its postinst does so).
cd "$redmine"
"${as_www[@]}" SCHEMA=/dev/null bundle exec rake db:migrate redmine:plugins:migrate
"${as_www[@]}" REDMINE_LANG=en bundle exec rake redmine:load_default_data
