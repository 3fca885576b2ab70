#!/usr/bin/env bash
# Make this Debian 12 (bookworm) machine's PostgreSQL 15 ready for Montage: server + cluster, pgvector 0.8.0,
# roles, the `montage` database and the `montage_template` test template. Idempotent: re-run it freely.
# Background and measurements: docs/pgvector.md (shared notes). No pg_hba.conf edits: Debian's default
# (scram-sha-256 for host connections) accepts the passwords set here, and trust setups work anyway.
set -euo pipefail

PG_MAJOR=15
CLUSTER=${MONTAGE_PG_CLUSTER:-main}       # override only to test against a scratch cluster
DB_NAME=${MONTAGE_DB_NAME:-montage}
TEMPLATE_DB=${MONTAGE_TEMPLATE_DB:-montage_template}
DB_HOST=${MONTAGE_DB_HOST:-127.0.0.1}
DB_PORT=${MONTAGE_DB_PORT:-5432}
DB_PASSWORD=${MONTAGE_DB_PASSWORD:-montage}
PGVECTOR_VERSION=0.8.0
PGVECTOR_DEB_VERSION=0.8.0-1              # trixie's source package; bookworm has none, sid's files 404
PG_BIN=/usr/lib/postgresql/$PG_MAJOR/bin
PG_CONFIG=$PG_BIN/pg_config               # not /usr/bin/pg_config: that may be libpq-dev's, with other paths
export DEBIAN_FRONTEND=noninteractive

die() { echo "setup-db: $*" >&2; exit 1; }

# Everything below needs root (apt, make install, runuser). Re-run under sudo rather than sprinkling it around.
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || die "must run as root (and sudo is not available)"
  exec sudo --preserve-env=MONTAGE_PG_CLUSTER,MONTAGE_DB_NAME,MONTAGE_TEMPLATE_DB,MONTAGE_DB_HOST,MONTAGE_DB_PORT,MONTAGE_DB_PASSWORD,MONTAGE_SETUP_LOCK "$0" "$@"
fi

# One run at a time on this machine (run.sh in one terminal, test.sh in another): two runs on a fresh machine
# would build pgvector in the same directory and create the same roles at once. The script runs again under
# flock(1), which holds the lock until it exits; -o keeps the lock descriptor out of the script, so a PostgreSQL
# server it starts does not hold the lock forever. A second run waits, then finds everything done.
LOCK=${MONTAGE_SETUP_LOCK:-/var/lock/montage-setup-db.lock}
[ -d "$(dirname "$LOCK")" ] || LOCK=/tmp/montage-setup-db.lock
if [ "${MONTAGE_SETUP_LOCKED:-}" != "$LOCK" ]; then
  flock -n "$LOCK" true || echo "setup-db: another run holds $LOCK; waiting for it to finish"
  exec env MONTAGE_SETUP_LOCKED="$LOCK" flock -o "$LOCK" "$BASH" "$0" "$@"
fi

# Other processes may hold the dpkg lock: wait for it instead of failing.
APT=(apt-get -q -y -o DPkg::Lock::Timeout=900)
# `apt-get update` only when the wanted package version is unknown to apt (fresh image, stale lists).
apt_knows() { apt-cache show "$1" >/dev/null 2>&1; }
apt_update() { "${APT[@]}" update >/dev/null || echo "apt: update reported errors, continuing"; }

# --- 1. PostgreSQL 15 server and the 15/$CLUSTER cluster ----------------------------------------------------
if [ -x "$PG_CONFIG" ] && [ -x "$PG_BIN/postgres" ]; then
  echo "postgres: $PG_MAJOR already installed ($("$PG_BIN/postgres" --version))"
else
  apt_knows postgresql-$PG_MAJOR || apt_update
  "${APT[@]}" install postgresql-$PG_MAJOR postgresql-client-$PG_MAJOR >/dev/null
  echo "postgres: installed $("$PG_BIN/postgres" --version)"
fi

read -r cl_port cl_status < <(pg_lsclusters --no-header | awk -v v=$PG_MAJOR -v c="$CLUSTER" '$1==v && $2==c {print $3, $4}') || true
if [ -z "${cl_status:-}" ]; then
  pg_createcluster $PG_MAJOR "$CLUSTER" --port "$DB_PORT" --start >/dev/null
  echo "postgres: cluster $PG_MAJOR/$CLUSTER created and started on port $DB_PORT"
else
  [ "$cl_port" = "$DB_PORT" ] || die "cluster $PG_MAJOR/$CLUSTER listens on port $cl_port, but MONTAGE_DB_PORT=$DB_PORT"
  case "$cl_status" in
    online*) echo "postgres: cluster $PG_MAJOR/$CLUSTER already running" ;;
    # No systemd in containers: start the cluster directly instead of via systemctl.
    *) pg_ctlcluster --skip-systemctl-redirect $PG_MAJOR "$CLUSTER" start
       echo "postgres: cluster $PG_MAJOR/$CLUSTER started" ;;
  esac
fi

# --- 2. pgvector, built from Debian trixie's source package (bookworm ships none; trixie's binaries need a newer libc)
control="$("$PG_CONFIG" --sharedir)/extension/vector.control"
if grep -qs "^default_version = '$PGVECTOR_VERSION'" "$control" && [ -f "$("$PG_CONFIG" --pkglibdir)/vector.so" ]; then
  echo "pgvector: $PGVECTOR_VERSION already installed"
else
  work="${XDG_CACHE_HOME:-$HOME/.cache}/montage/pgvector"
  log="$work/build.log"
  mkdir -p "$work/apt/lists/partial"
  : >"$log"
  quiet() { "$@" >>"$log" 2>&1 || { tail -n 20 "$log" >&2; die "pgvector build failed at '$*'; full log: $log"; }; }
  # Pin server-dev (and libpq-dev) to the installed versions: unpinned, apt upgrades postgresql-15 and libpq5
  # to a newer minor and restarts the running cluster. server-dev pulls clang/llvm for JIT bitcode: expected.
  pg_ver=$(dpkg-query -W -f='${Version}' postgresql-$PG_MAJOR)
  pq_ver=$(dpkg-query -W -f='${Version}' libpq5)
  apt_knows "postgresql-server-dev-$PG_MAJOR=$pg_ver" || apt_update
  quiet "${APT[@]}" install build-essential "postgresql-server-dev-$PG_MAJOR=$pg_ver" "libpq-dev=$pq_ver"
  # A private apt directory that only knows trixie's deb-src index: the system's apt setup stays untouched.
  cat >"$work/apt/trixie-src.sources" <<EOF
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  PRIVATE_APT=(apt-get -q -y -o Dir::Etc::sourcelist=/dev/null -o "Dir::Etc::sourceparts=$work/apt"
    -o "Dir::State::Lists=$work/apt/lists" -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=
    -o APT::Sandbox::User=root)
  quiet "${PRIVATE_APT[@]}" update
  rm -rf "$work/src" && mkdir -p "$work/src"
  # Signed index + checksummed source; dpkg-source applies Debian's patches (which drop -march=native).
  (cd "$work/src" && quiet "${PRIVATE_APT[@]}" source "pgvector=$PGVECTOR_DEB_VERSION")
  src="$work/src/pgvector-$PGVECTOR_VERSION"
  quiet make -C "$src" -j"$(nproc)" PG_CONFIG="$PG_CONFIG"
  quiet make -C "$src" install PG_CONFIG="$PG_CONFIG"
  echo "pgvector: $PGVECTOR_VERSION built and installed (log: $log)"
fi
trusted=no; grep -qs "^trusted *= *true" "$control" && trusted=yes
echo "pgvector: trusted extension: $trusted (either way this script creates it as postgres)"

# --- 3. Roles and databases, as the postgres superuser over the unix socket (works whatever pg_hba says) -----
export PGOPTIONS="-c client_min_messages=warning"
psql_su() { runuser -u postgres -- "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -p "$DB_PORT" "$@"; }
query() { psql_su -d "${2:-postgres}" -c "$1"; }

# ensure_role NAME ATTRIBUTES: create it, or re-apply the attributes (and password) so they converge.
ensure_role() {
  local verb=CREATE what=created
  [ "$(query "select 1 from pg_roles where rolname = '$1'")" = 1 ] && verb=ALTER what="already exists (attributes re-applied)"
  psql_su -d postgres -v pw="$DB_PASSWORD" <<<"$verb ROLE $1 $2;"
  echo "role $1: $what"
}
ensure_role montage_owner "LOGIN CREATEDB NOSUPERUSER NOCREATEROLE NOBYPASSRLS PASSWORD :'pw'"
# NOINHERIT: the app is a member of montage_system only to SET LOCAL ROLE into it; it must not hold montage_system's
# privileges the rest of the time (then a grant such as "workers is system-only" would mean nothing).
ensure_role montage_app "LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'pw'"
# Cross-tenant system work (queue claims, key lookup): the app enters it with SET LOCAL ROLE montage_system.
ensure_role montage_system "NOLOGIN NOSUPERUSER BYPASSRLS"
# The KEDA scaler's login (deploy/k8s/keda.yaml): deploy/k8s/scaler/grants.sql lets it call montage_queue_overview()
# and read model names, nothing else; deploy/manifests' KedaQueryTest logs in as it.
ensure_role montage_scaler "LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'pw'"

# ensure_member ROLE MEMBER: direct membership (montage_owner needs it to grant to, and set privileges for, the others).
ensure_member() {
  if [ "$(query "select 1 from pg_auth_members where roleid = '$1'::regrole and member = '$2'::regrole")" = 1 ]; then
    echo "grant $1 to $2: already done"
  else
    query "GRANT $1 TO $2" && echo "grant $1 to $2: granted"
  fi
}
ensure_member montage_system montage_app
ensure_member montage_app montage_owner
ensure_member montage_system montage_owner

# ensure_db NAME: a database owned by montage_owner with the vector extension (created as postgres: without a
# trusted extension only a superuser may create it).
ensure_db() {
  local owner
  owner=$(query "select pg_get_userbyid(datdba) from pg_database where datname = '$1'")
  if [ -z "$owner" ]; then
    query "CREATE DATABASE \"$1\" OWNER montage_owner" && echo "database $1: created"
  elif [ "$owner" != montage_owner ]; then
    query "ALTER DATABASE \"$1\" OWNER TO montage_owner" && echo "database $1: owner changed from $owner"
  else
    echo "database $1: already exists"
  fi
  if [ -n "$(query "select extversion from pg_extension where extname = 'vector'" "$1")" ]; then
    echo "database $1: extension vector already present"
  else
    query "CREATE EXTENSION IF NOT EXISTS vector" "$1" && echo "database $1: extension vector created"
  fi
}
ensure_db "$TEMPLATE_DB"
# A template lets montage_owner run `CREATE DATABASE x TEMPLATE montage_template` for throwaway test databases.
query "ALTER DATABASE \"$TEMPLATE_DB\" IS_TEMPLATE true"
ensure_db "$DB_NAME"

# --- 4. Prove password login over TCP as the application would connect -------------------------------------
export PGPASSWORD="$DB_PASSWORD"
"$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$DB_HOST" -p "$DB_PORT" -U montage_app -d "$DB_NAME" -c 'select 1' >/dev/null
v=$("$PG_BIN/psql" -X -At -v ON_ERROR_STOP=1 -h "$DB_HOST" -p "$DB_PORT" -U montage_owner -d "$DB_NAME" \
  -c "select extversion from pg_extension where extname = 'vector'")
[ "$v" = "$PGVECTOR_VERSION" ] || die "expected vector $PGVECTOR_VERSION in $DB_NAME, found '${v:-none}'"
echo "ready: postgresql://$DB_HOST:$DB_PORT/$DB_NAME (owner montage_owner, app montage_app)"
