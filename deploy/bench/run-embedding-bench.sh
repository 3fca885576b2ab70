#!/usr/bin/env bash
# Embedding benchmark, one command: builds, starts a throwaway platform (fresh database from montage_template, api +
# worker jars, as smoke-test.sh does), registers BUNDLE_DIR as the bench tenant's default model, then runs
# io.montage.bench.EmbeddingBench: the raw DJL loop first (the platform idle, same machine state), then the api load.
# Prints a markdown report and appends it to $BENCH_OUT (default run/bench/embedding-<model>-<time>.md).
#
#   deploy/bench/run-embedding-bench.sh [BUNDLE_DIR] [extra EmbeddingBench options…]
#
# BUNDLE_DIR defaults to the demo bundle. Knobs (environment): see deploy/bench/README.md.
set -euo pipefail
. "$(dirname "$0")/../local/lib.sh"
montage_use_jdk

bundle=$(cd "${1:-$MONTAGE_DEMO_BUNDLE}" && pwd)
shift $(($# > 0 ? 1 : 0))
[ -f "$bundle/montage-model.json" ] || { echo "$bundle is not a model bundle (no montage-model.json)" >&2; exit 2; }
name=$(sed -nE 's/^ *"name": *"([^"]+)".*/\1/p' "$bundle/montage-model.json" | head -n1)
precision=$(sed -nE 's/^ *"precision": *"([^"]+)".*/\1/p' "$bundle/montage-model.json" | head -n1)

# A full-size model runs ~10 images/s on 2 cores: fewer, longer rounds and fewer requests, so a run stays < 10 min.
if [ "$(stat -c %s "$bundle/model.pt")" -gt 100000000 ]; then
  : "${BENCH_BATCHES:=1,8,32}" "${BENCH_ROUNDS:=3}" "${BENCH_ROUND_SECONDS:=3}"
  : "${BENCH_SCENARIOS:=1x1:small,1x1:camera,4x1:small,1x8:small,4x8:small,4x8:camera}"
  : "${BENCH_API_SECONDS:=20}" "${BENCH_API_MAX_REQUESTS:=200}" "${BENCH_API_WARMUP:=1}" "${BENCH_API_WARMUP_SECONDS:=0}"
else
  : "${BENCH_BATCHES:=1,8,32}" "${BENCH_ROUNDS:=5}" "${BENCH_ROUND_SECONDS:=2}"
  : "${BENCH_SCENARIOS:=1x1:small,1x1:camera,4x1:small,16x1:small,1x8:small,4x8:small,4x8:small:base64,4x8:camera}"
  : "${BENCH_API_SECONDS:=15}" "${BENCH_API_MAX_REQUESTS:=2000}" "${BENCH_API_WARMUP:=5}" "${BENCH_API_WARMUP_SECONDS:=20}"
fi
: "${BENCH_TIMEOUT:=900}"
# The platform's own defaults, exported so that the report can state them; override any of them to experiment.
export MONTAGE_WORKER_CONCURRENCY=${MONTAGE_WORKER_CONCURRENCY:-4}
export MONTAGE_INFERENCE_BATCH_SIZES=${MONTAGE_INFERENCE_BATCH_SIZES:-1,2,4,8,16,32}
export MONTAGE_INFERENCE_MAX_BATCH_DELAY=${MONTAGE_INFERENCE_MAX_BATCH_DELAY:-5ms}
export MONTAGE_INFERENCE_PREPROCESS_THREADS=${MONTAGE_INFERENCE_PREPROCESS_THREADS:-2}
export MONTAGE_INFERENCE_RUNNERS_PER_MODEL=${MONTAGE_INFERENCE_RUNNERS_PER_MODEL:-1}

[ "${BENCH_SKIP_BUILD:-0}" = 1 ] || { echo "building…" >&2; montage_build_jars; }
classpath_file=$MONTAGE_ROOT/deploy/bench/target/classpath.txt
[ -f "$classpath_file" ] || { echo "no $classpath_file: build first (drop BENCH_SKIP_BUILD)" >&2; exit 1; }

db=montage_bench_$$
port=$((20000 + RANDOM % 20000))
api=http://127.0.0.1:$port
logs=$(mktemp -d)
out=${BENCH_OUT:-$MONTAGE_ROOT/run/bench/embedding-$name-$precision-$(date +%Y%m%d-%H%M%S).md}
mkdir -p "$(dirname "$out")"
export MONTAGE_MODELS_STORE=$logs/models   # the registered copy of the bundle goes away with the logs
export MONTAGE_DATABASE_URL=jdbc:postgresql://${MONTAGE_DB_HOST:-127.0.0.1}:${MONTAGE_DB_PORT:-5432}/$db
export MONTAGE_API_PORT=$port
psql_owner() { PGPASSWORD=${MONTAGE_DB_PASSWORD:-montage} psql -qAt -h "${MONTAGE_DB_HOST:-127.0.0.1}" \
  -p "${MONTAGE_DB_PORT:-5432}" -U montage_owner "$@"; }
fail() { echo "bench: FAILED: $*" >&2; tail -n 40 "$logs"/*.log >&2; exit 1; }
cleanup() {
  montage_stop
  psql_owner -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
  if [ "${BENCH_KEEP_LOGS:-0}" = 1 ]; then rm -rf "$logs/models" "$logs/jars"; echo "logs kept in $logs" >&2; else rm -rf "$logs"; fi
}

trap cleanup EXIT
psql_owner -d postgres -c "CREATE DATABASE $db TEMPLATE montage_template"
# Run copies of the jars and classes: a build started meanwhile in this checkout must not swap them under us.
mkdir -p "$logs/jars"
cp "$MONTAGE_API_JAR" "$MONTAGE_WORKER_JAR" "$logs/jars/"
cp -r "$MONTAGE_ROOT/deploy/bench/target/classes" "$logs/jars/bench-classes"
classpath=$logs/jars/bench-classes:$(sed "s#$MONTAGE_WORKER_JAR#$logs/jars/$(basename "$MONTAGE_WORKER_JAR")#" "$classpath_file")
MONTAGE_API_JAR=$logs/jars/$(basename "$MONTAGE_API_JAR")
MONTAGE_WORKER_JAR=$logs/jars/$(basename "$MONTAGE_WORKER_JAR")

started=$SECONDS
key=$(montage_demo_key bench "embedding bench")
montage_start "$logs"
montage_await_ready "$api" 90 || fail "api not ready"
echo "registering $bundle (the worker validates it; a full-size model takes a minute or two)…" >&2
model=$(montage_admin register-model --source "$bundle" --wait 300) || fail "the model did not become ready"
montage_admin set-default-model --tenant bench --model "$model" || fail "set-default-model"
montage_await_model "$api" "$key" 300 || fail "no worker serves $model"
echo "platform up and serving $model after $((SECONDS - started)) s; benchmarking…" >&2

timeout "$BENCH_TIMEOUT" java -Xmx1g --enable-native-access=ALL-UNNAMED -cp "$classpath" \
  io.montage.bench.EmbeddingBench --bundle "$bundle" --images "$MONTAGE_DEMO_BUNDLE/reference/images" \
  --batches "$BENCH_BATCHES" --rounds "$BENCH_ROUNDS" --round-seconds "$BENCH_ROUND_SECONDS" \
  --api "$api" --key "$key" --scenarios "$BENCH_SCENARIOS" --api-seconds "$BENCH_API_SECONDS" \
  --api-max-requests "$BENCH_API_MAX_REQUESTS" --api-warmup "$BENCH_API_WARMUP" \
  --api-warmup-seconds "$BENCH_API_WARMUP_SECONDS" --out "$out" \
  --cpu-pids "api=$MONTAGE_API_PID,worker=$MONTAGE_WORKER_PID" --database "$db" \
  --note "platform: 1 api + 1 worker + PostgreSQL $(psql_owner -d postgres -c 'SHOW server_version' | cut -d' ' -f1) on this machine, the bench client too; worker concurrency $MONTAGE_WORKER_CONCURRENCY, batch sizes $MONTAGE_INFERENCE_BATCH_SIZES, max batch delay $MONTAGE_INFERENCE_MAX_BATCH_DELAY, preprocess threads $MONTAGE_INFERENCE_PREPROCESS_THREADS, runners per model $MONTAGE_INFERENCE_RUNNERS_PER_MODEL" \
  --note "OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-unset (the libgomp default: idle OpenMP threads spin before they sleep)} for the worker and the raw loop alike" \
  --note "command: ${OMP_WAIT_POLICY:+OMP_WAIT_POLICY=$OMP_WAIT_POLICY }deploy/bench/run-embedding-bench.sh ${bundle#"$MONTAGE_ROOT"/}" "$@" \
  || fail "the benchmark failed"
echo "report appended to $out (whole run $((SECONDS - started)) s)" >&2
