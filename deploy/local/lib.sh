# Shared by the scripts in deploy/local: sourced, never run. Finds a JDK, builds, starts and stops the platform.
# shellcheck shell=bash

MONTAGE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Montage builds with Java 25 (the worker's release: its JPEG decoder uses the FFM API; the rest targets 21): use
# JAVA_HOME if it is >= 25, else the newest JDK >= 25 under /usr/lib/jvm.
montage_use_jdk() {
  local candidate version best="" best_version=0
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    version=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 |
      awk -F'= ' '/java.specification.version/ {print $2}')
    version=${version%%.*}
    if [ "$candidate" = "${JAVA_HOME:-}" ] && [ "${version:-0}" -ge 25 ]; then best=$candidate; break; fi
    if [ "${version:-0}" -ge 25 ] && [ "$version" -gt "$best_version" ]; then best=$candidate; best_version=$version; fi
  done
  [ -n "$best" ] || { echo "Montage needs a JDK >= 25 (set JAVA_HOME or install one under /usr/lib/jvm)" >&2; return 1; }
  export JAVA_HOME=$best PATH=$best/bin:$PATH
}

montage_build_jars() {
  (cd "$MONTAGE_ROOT" && ./mvnw -B -q -DskipTests package)
}

MONTAGE_API_JAR=$MONTAGE_ROOT/api/target/montage-api-0.1.0-SNAPSHOT.jar
MONTAGE_WORKER_JAR=$MONTAGE_ROOT/worker/target/montage-worker-0.1.0-SNAPSHOT.jar
MONTAGE_CONSOLE_JAR=$MONTAGE_ROOT/console/target/montage-console-0.1.0-SNAPSHOT.jar
MONTAGE_JAVA_OPTS=${MONTAGE_JAVA_OPTS:-"-Xmx1g"}
# Admin commands are one-offs: the quick JIT alone starts them a third faster.
MONTAGE_ADMIN_JAVA_OPTS=${MONTAGE_ADMIN_JAVA_OPTS:-"$MONTAGE_JAVA_OPTS -XX:TieredStopAtLevel=1"}
MONTAGE_DEMO_BUNDLE=$MONTAGE_ROOT/deploy/models/fashion-clip-mini
# api and worker must see the same model store: one absolute path for both.
export MONTAGE_MODELS_STORE=${MONTAGE_MODELS_STORE:-$MONTAGE_ROOT/run/models}

# Runs an admin command; its stdout is the result, its log goes to stderr only when it fails.
montage_admin() {
  local log
  log=$(mktemp)
  java $MONTAGE_ADMIN_JAVA_OPTS -jar "$MONTAGE_API_JAR" admin "$@" 2>"$log" || { cat "$log" >&2; rm -f "$log"; return 1; }
  rm -f "$log"
}

# Prints a new key for tenant $1 (created if missing). Also applies pending migrations.
montage_demo_key() {
  montage_admin create-key --tenant "$1" --create-tenant --name "$2"
}

# Registers the demo model (harmless when it already is), waits for a worker to validate it, and makes it the
# default of tenant $1 (and of every further tenant named, all at once). Needs a running worker.
montage_demo_model() {
  local model tenant pid pids=() failed=0
  model=$(montage_admin register-model --source "$MONTAGE_DEMO_BUNDLE" --wait 120) || return 1
  for tenant in "$@"; do
    montage_admin set-default-model --tenant "$tenant" --model "$model" & pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  return $failed
}

# Waits until a worker serves the tenant's default model: an embedding request answers 200 instead of 503.
montage_await_model() {
  local url=$1 key=$2 deadline=$((SECONDS + ${3:-60})) code
  while :; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$url/v1/embeddings" -H "Authorization: Bearer $key" \
      -H 'Content-Type: application/json' -d '{"input":"warm up"}')
    [ "$code" = 200 ] && return 0
    [ $SECONDS -ge $deadline ] && { echo "no worker serves the demo model (last answer $code)" >&2; return 1; }
    sleep 0.5
  done
}

# Starts api and worker in the background, logs under $1; sets MONTAGE_API_PID and MONTAGE_WORKER_PID.
montage_start() {
  local logs=$1
  mkdir -p "$logs"
  # libtorch's OpenMP threads spin while idle; on a shared machine that stalls them (docs/benchmarks.md)
  OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE} java $MONTAGE_JAVA_OPTS -jar "$MONTAGE_WORKER_JAR" >"$logs/worker.log" 2>&1 &
  MONTAGE_WORKER_PID=$!
  java $MONTAGE_JAVA_OPTS -jar "$MONTAGE_API_JAR" >"$logs/api.log" 2>&1 &
  MONTAGE_API_PID=$!
}

# Starts the admin console in the background, log under $1; sets MONTAGE_CONSOLE_PID.
montage_start_console() {
  mkdir -p "$1"
  java $MONTAGE_JAVA_OPTS -jar "$MONTAGE_CONSOLE_JAR" >"$1/console.log" 2>&1 &
  MONTAGE_CONSOLE_PID=$!
}

# Waits until the console at $1 serves its sign-in page (at most $2 seconds).
montage_await_console() {
  local url=$1 deadline=$((SECONDS + ${2:-60}))
  until curl -fsS -o /dev/null "${url}login" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ] || ! kill -0 "$MONTAGE_CONSOLE_PID" 2>/dev/null; then
      echo "the console did not start; see its log" >&2
      return 1
    fi
    sleep 0.5
  done
}

# The console's first operator ($1, an admin): created if missing. Prints how to sign in: a generated password
# (shown this once), the one MONTAGE_ADMIN_PASSWORD sets (on every run), or that the account exists already.
montage_first_admin() {
  local password
  password=$(montage_admin create-admin-user --username "$1" --if-missing) || return 1
  if [ -n "${MONTAGE_ADMIN_PASSWORD:-}" ]; then
    montage_admin set-admin-password --username "$1" >/dev/null || return 1
    echo "password from MONTAGE_ADMIN_PASSWORD"
  elif [ -n "$password" ]; then
    echo "password $password   (generated; shown once)"
  else
    echo "password as printed when it was created (a new one: admin set-admin-password --username $1)"
  fi
}

# Waits until the api answers /ready (at most $2 seconds).
montage_await_ready() {
  local url=$1 deadline=$((SECONDS + ${2:-60}))
  until curl -fsS "$url/ready" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ] || ! kill -0 "$MONTAGE_API_PID" 2>/dev/null; then
      echo "the api did not become ready; see its log" >&2
      return 1
    fi
    sleep 0.5
  done
}

psql_owner() { PGPASSWORD=${MONTAGE_DB_PASSWORD:-montage} psql -qAt -h "${MONTAGE_DB_HOST:-127.0.0.1}" \
  -p "${MONTAGE_DB_PORT:-5432}" -U montage_owner "$@"; }

# Operator SQL in database $1 as the cross-tenant system role, for what no admin command does (suspend a tenant,
# backdate a key's expiry). Prints the result rows.
montage_system_sql() {
  psql_owner -d "$1" -c "SET ROLE montage_system; $2"
}

# A throwaway platform for a test of the packaged jars: database montage_$1_<pid> cloned from montage_template, a
# random api port (and the metrics ports beside it), a temp dir for logs and the model store. Sets db, port, api, logs; exports what api and worker
# read. Pair it with `trap montage_test_platform_cleanup EXIT`.
montage_test_platform() {
  db=montage_$1_$$
  port=${MONTAGE_TEST_PORT:-$((20000 + RANDOM % 20000))} # a fixed one where ports are shared out
  api=http://127.0.0.1:$port
  logs=$(mktemp -d)
  export MONTAGE_MODELS_STORE=$logs/models
  export MONTAGE_DATABASE_URL=jdbc:postgresql://${MONTAGE_DB_HOST:-127.0.0.1}:${MONTAGE_DB_PORT:-5432}/$db
  export MONTAGE_API_PORT=$port
  # the metrics ports beside it (the console takes port + 1): test platforms run side by side (ADR 0026)
  export MONTAGE_API_MANAGEMENT_PORT=$((port + 2)) MONTAGE_WORKER_METRICS_PORT=$((port + 3)) \
    MONTAGE_CONSOLE_METRICS_PORT=$((port + 4))
  psql_owner -d postgres -c "CREATE DATABASE $db TEMPLATE montage_template"
}

# Stops the platform and drops what montage_test_platform made (MONTAGE_KEEP_LOGS=1 keeps the logs).
montage_test_platform_cleanup() {
  montage_stop
  psql_owner -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
  if [ "${MONTAGE_KEEP_LOGS:-0}" = 1 ]; then rm -rf "$logs/models"; echo "logs kept in $logs" >&2; else rm -rf "$logs"; fi
}

# SIGTERM all and wait: the worker drains or releases its tasks, the api finishes its requests, the console closes
# its sessions.
montage_stop() {
  local pid
  for pid in ${MONTAGE_API_PID:-} ${MONTAGE_WORKER_PID:-} ${MONTAGE_CONSOLE_PID:-}; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in ${MONTAGE_API_PID:-} ${MONTAGE_WORKER_PID:-} ${MONTAGE_CONSOLE_PID:-}; do wait "$pid" 2>/dev/null || true; done
}
