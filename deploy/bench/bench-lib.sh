# Shared by the run-*-bench.sh scripts: sourced, never run. On top of deploy/local/lib.sh (JDK, jars, starting and
# stopping the platform): the bundle argument, the build, run copies of the jars, a throwaway database cloned from
# montage_template and, for the benchmarks that need one, a throwaway platform. The functions set the scripts'
# variables (bundle, classpath, out, db, port, api, logs, model) as the scripts used to set them themselves.
# shellcheck shell=bash

. "$(dirname "${BASH_SOURCE[0]}")/../local/lib.sh"

BENCH_CLASSPATH_FILE=$MONTAGE_ROOT/deploy/bench/target/classpath.txt

# The bundle directory $1 (default: the demo bundle) as an absolute path in $bundle; exits 2 if it is no bundle.
# The caller shifts it off its own arguments: shift $(($# > 0 ? 1 : 0))
bench_bundle() {
  bundle=$(cd "${1:-$MONTAGE_DEMO_BUNDLE}" && pwd)
  [ -f "$bundle/montage-model.json" ] || { echo "$bundle is not a model bundle (no montage-model.json)" >&2; exit 2; }
}

# Unless BENCH_SKIP_BUILD=1: says $1 and runs the rest as the build command. Then the bench module's classpath file
# (dependency:build-classpath, written at package) must be there.
bench_build() {
  local message=$1
  shift
  if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    echo "$message" >&2
    "$@"
  fi
  [ -f "$BENCH_CLASSPATH_FILE" ] || { echo "no $BENCH_CLASSPATH_FILE: build first (drop BENCH_SKIP_BUILD)" >&2; exit 1; }
}

# The bench module and the modules it needs, without the api (for benchmarks that start no platform).
bench_build_module() {
  (cd "$MONTAGE_ROOT" && ./mvnw -B -q -DskipTests -pl deploy/bench -am package)
}

# For a benchmark that starts no platform: the bench module built (unless BENCH_SKIP_BUILD=1), $out for report
# name $1, and $classpath over copies of the jars in a temporary directory removed when the script exits.
bench_standalone() {
  bench_build "building (bench module and what it needs)…" bench_build_module
  bench_out "$1"
  bench_work=$(mktemp -d)
  trap 'rm -rf "$bench_work"' EXIT
  bench_copy_jars "$bench_work"
}

# $out: $BENCH_OUT, or run/bench/$1-<time>.md; its directory made.
bench_out() {
  out=${BENCH_OUT:-$MONTAGE_ROOT/run/bench/$1-$(date +%Y%m%d-%H%M%S).md}
  mkdir -p "$(dirname "$out")"
}

# Run copies of this checkout's jars and classes under $1/jars: a build started meanwhile must not swap them under
# us. Sets $classpath: the bench classes, then the module's classpath with every entry inside this checkout (the
# worker, shared and migrations jars) replaced by its copy.
bench_copy_jars() {
  local dir=$1 entry
  local -a entries
  mkdir -p "$dir/jars"
  cp -r "$MONTAGE_ROOT/deploy/bench/target/classes" "$dir/jars/bench-classes"
  classpath=$dir/jars/bench-classes
  IFS=: read -r -a entries <"$BENCH_CLASSPATH_FILE" || true  # no final newline: read says EOF
  for entry in "${entries[@]}"; do
    if [[ $entry == "$MONTAGE_ROOT"/* ]]; then
      cp "$entry" "$dir/jars/"
      entry=$dir/jars/$(basename "$entry")
    fi
    classpath=$classpath:$entry
  done
}

# ---- a benchmark against a throwaway database, with no platform running ----------------------------------------

# Runs bench class $2 against a database montage_$1_<pid> cloned from montage_template (dropped on exit), with the
# database's URL and password, --out $out (run/bench/$1-<time>.md) and the remaining arguments; BENCH_TIMEOUT and
# BENCH_JAVA_OPTS as the caller set them. Exits 1 when the bench fails.
bench_against_db() {
  local name=$1 class=$2
  shift 2
  db=montage_${name}_$$
  work=$(mktemp -d)
  bench_out "$name"
  trap bench_against_db_cleanup EXIT
  bench_copy_jars "$work"
  bench_create_db "$db"
  local started=$SECONDS
  # shellcheck disable=SC2086
  timeout "$BENCH_TIMEOUT" java $BENCH_JAVA_OPTS -cp "$classpath" "$class" \
    --db-url "$(bench_db_url "$db")" --db-password "${MONTAGE_DB_PASSWORD:-montage}" --out "$out" "$@" \
    || { echo "$name bench: FAILED" >&2; exit 1; }
  echo "report appended to $out (whole run $((SECONDS - started)) s)" >&2
}

bench_against_db_cleanup() {
  bench_drop_db "$db"
  rm -rf "$work"
  ${BENCH_TEARDOWN:-} # the caller's own (its EXIT trap is this one now), e.g. a private cluster's drop
}

psql_owner() { PGPASSWORD=${MONTAGE_DB_PASSWORD:-montage} psql -qAt -h "${MONTAGE_DB_HOST:-127.0.0.1}" \
  -p "${MONTAGE_DB_PORT:-5432}" -U montage_owner "$@"; }

# The JDBC URL of database $1 on MONTAGE_DB_HOST/PORT.
bench_db_url() {
  echo "jdbc:postgresql://${MONTAGE_DB_HOST:-127.0.0.1}:${MONTAGE_DB_PORT:-5432}/$1"
}

bench_create_db() {
  psql_owner -d postgres -c "CREATE DATABASE $1 TEMPLATE montage_template"
}

bench_drop_db() {
  psql_owner -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" || true
}

# ---- a throwaway platform (api + worker), as deploy/local/smoke-test.sh starts one --------------------------------

# The platform's own defaults, exported so that the reports can state them; override any of them to experiment.
bench_platform_defaults() {
  export MONTAGE_WORKER_CONCURRENCY=${MONTAGE_WORKER_CONCURRENCY:-4}
  export MONTAGE_WORKER_INTERACTIVE_CONCURRENCY=${MONTAGE_WORKER_INTERACTIVE_CONCURRENCY:-2}
  export MONTAGE_INFERENCE_BATCH_SIZES=${MONTAGE_INFERENCE_BATCH_SIZES:-1,2,4,8,16,32}
  export MONTAGE_INFERENCE_MAX_BATCH_DELAY=${MONTAGE_INFERENCE_MAX_BATCH_DELAY:-5ms}
  export MONTAGE_INFERENCE_PREPROCESS_THREADS=${MONTAGE_INFERENCE_PREPROCESS_THREADS:-2}
}

# Database $1 cloned from montage_template, dropped on exit with the temp dir $logs (logs, jar copies, model store;
# BENCH_KEEP_LOGS=1 keeps the logs); the api port BENCH_PORT or a random one, the worker's metrics port and the api's
# management port above it (port + 10, + 11: bench nodes take port + 1, + 2, and their management ports + 12, + 13).
# Sets db, port, api, logs; exports what api and worker read. $bench_name names the benchmark in fail's message.
bench_platform_setup() {
  db=$1
  port=${BENCH_PORT:-$((20000 + RANDOM % 20000))}
  api=http://127.0.0.1:$port
  export MONTAGE_API_MANAGEMENT_PORT=$((port + 10)) MONTAGE_WORKER_METRICS_PORT=$((port + 11))
  logs=$(mktemp -d)
  export MONTAGE_MODELS_STORE=$logs/models   # the registered copy of the bundle goes away with the logs
  MONTAGE_DATABASE_URL=$(bench_db_url "$db")
  export MONTAGE_DATABASE_URL
  export MONTAGE_API_PORT=$port
  trap bench_platform_cleanup EXIT
  bench_create_db "$db"
}

bench_platform_cleanup() {
  montage_stop
  bench_drop_db "$db"
  if [ "${BENCH_KEEP_LOGS:-0}" = 1 ]; then rm -rf "$logs/models" "$logs/jars"; echo "logs kept in $logs" >&2; else rm -rf "$logs"; fi
}

fail() { echo "${bench_name:-bench}: FAILED: $*" >&2; tail -n 40 "$logs"/*.log >&2; exit 1; }

# Lifts the quotas and the rate limit of tenants $@ so far that a benchmark's load is never refused for them (it is
# still counted). Call it before montage_start: an api node keeps a tenant's limit for limits-for (30 s) once read.
bench_unlimited_tenants() {
  local tenant
  for tenant in "$@"; do
    montage_admin set-quotas --tenant "$tenant" --requests-per-minute 1000000 --burst 100000 \
      --items-per-day 1000000000 >/dev/null || fail "set-quotas for tenant $tenant"
  done
}

# Run copies of the bench classpath (bench_copy_jars) and of the api and worker jars, under $logs/jars; api and
# worker start from the copies.
bench_platform_jars() {
  bench_copy_jars "$logs"
  cp "$MONTAGE_API_JAR" "$logs/jars/"
  [ -f "$logs/jars/$(basename "$MONTAGE_WORKER_JAR")" ] || cp "$MONTAGE_WORKER_JAR" "$logs/jars/"
  MONTAGE_API_JAR=$logs/jars/$(basename "$MONTAGE_API_JAR")
  MONTAGE_WORKER_JAR=$logs/jars/$(basename "$MONTAGE_WORKER_JAR")
}

# Once the platform is started: waits for the api, registers $bundle (the worker validates it), makes it tenant
# bench's default model and waits until a worker serves it with key $key. Sets model. $started: when the run began.
bench_serve_bundle() {
  montage_await_ready "$api" 90 || fail "api not ready"
  echo "registering $bundle (the worker validates it; a full-size model takes a minute or two)…" >&2
  model=$(montage_admin register-model --source "$bundle" --wait 300) || fail "the model did not become ready"
  montage_admin set-default-model --tenant bench --model "$model" || fail "set-default-model"
  montage_await_model "$api" "$key" 300 || fail "no worker serves $model"
  echo "platform up and serving $model after $((SECONDS - started)) s; benchmarking…" >&2
}
