#!/usr/bin/env bash
# No Docker daemon runs here, so the compose file's database bootstrap is checked the way the postgres image runs
# it: a fresh PostgreSQL 15 cluster (initdb, this machine's PostgreSQL and pgvector, port 19520 or
# MONTAGE_COMPOSE_TEST_PORT, in a temp dir), initdb/10-montage.sql through psql as the superuser with
# MONTAGE_DB_PASSWORD in the environment, then the migrate service's command (`admin migrate` as montage_owner) and
# a login as montage_app. The cluster is stopped and deleted at the end.
set -euo pipefail
. "$(dirname "$0")/../local/lib.sh"
montage_use_jdk
[ -f "$MONTAGE_API_JAR" ] || { echo "compose: $MONTAGE_API_JAR is missing: ./mvnw -B -DskipTests package first" >&2; exit 1; }
bin=/usr/lib/postgresql/15/bin
port=${MONTAGE_COMPOSE_TEST_PORT:-19520}
password=compose-test-$$
dir=$(mktemp -d)
chown postgres "$dir"
as_postgres() { runuser -u postgres -- "$@"; }
cleanup() {
  as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
fail() { echo "compose: FAILED: $*" >&2; exit 1; }

as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 >/dev/null
as_postgres "$bin/pg_ctl" -D "$dir/data" -o "-p $port -k $dir -c listen_addresses=127.0.0.1" -l "$dir/log" -w start >/dev/null
# as the image's entrypoint runs a .sql file of /docker-entrypoint-initdb.d
as_postgres env MONTAGE_DB_PASSWORD="$password" "$bin/psql" -v ON_ERROR_STOP=1 -X -q -h "$dir" -p "$port" -U postgres \
  -d postgres -f "$MONTAGE_ROOT/deploy/compose/initdb/10-montage.sql" || fail "initdb/10-montage.sql"
echo "compose: initdb/10-montage.sql made the roles and the montage database in a fresh cluster"

MONTAGE_DATABASE_URL=jdbc:postgresql://127.0.0.1:$port/montage MONTAGE_DATABASE_PASSWORD=$password \
  MONTAGE_DATABASE_OWNER_PASSWORD=$password montage_admin migrate >/dev/null || fail "admin migrate (the migrate service)"
sql() { PGPASSWORD=$password psql -X -q -At -h 127.0.0.1 -p "$port" -U "$1" -d montage -c "$2"; }
applied=$(sql montage_owner "SELECT count(*) FROM flyway_schema_history WHERE success")
[ "$applied" -gt 0 ] || fail "no migration applied"
vector=$(sql montage_app "SELECT extversion FROM pg_extension WHERE extname = 'vector'") || fail "montage_app cannot log in"
[ -n "$vector" ] || fail "no vector extension"
[ "$(sql montage_app "SET ROLE montage_system; SELECT count(*) FROM tenants")" = 0 ] ||
  fail "montage_app cannot enter montage_system"
echo "compose: the migrate service's command applied $applied migrations as montage_owner (pgvector $vector); montage_app logs in"
