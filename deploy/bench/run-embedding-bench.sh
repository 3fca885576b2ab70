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
. "$(dirname "$0")/bench-lib.sh"
montage_use_jdk
bench_name=bench

bench_bundle "${1:-}"
shift $(($# > 0 ? 1 : 0))
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
bench_platform_defaults
export MONTAGE_INFERENCE_RUNNERS_PER_MODEL=${MONTAGE_INFERENCE_RUNNERS_PER_MODEL:-1}

bench_build "building…" montage_build_jars
bench_out "embedding-$name-$precision"
bench_platform_setup "montage_bench_$$"   # database, port, $logs; dropped on exit
bench_platform_jars

started=$SECONDS
key=$(montage_demo_key bench "embedding bench")
# the camera scenarios send more than the default 600 requests a minute: the platform is measured, not the limiter
bench_unlimited_tenants bench
montage_start "$logs"
bench_serve_bundle

timeout "$BENCH_TIMEOUT" java -Xmx1g --enable-native-access=ALL-UNNAMED -cp "$classpath" \
  io.montage.bench.EmbeddingBench --bundle "$bundle" --images "$MONTAGE_DEMO_BUNDLE/reference/images" \
  --batches "$BENCH_BATCHES" --rounds "$BENCH_ROUNDS" --round-seconds "$BENCH_ROUND_SECONDS" \
  --api "$api" --key "$key" --scenarios "$BENCH_SCENARIOS" --api-seconds "$BENCH_API_SECONDS" \
  --api-max-requests "$BENCH_API_MAX_REQUESTS" --api-warmup "$BENCH_API_WARMUP" \
  --api-warmup-seconds "$BENCH_API_WARMUP_SECONDS" --out "$out" \
  --cpu-pids "api=$MONTAGE_API_PID,worker=$MONTAGE_WORKER_PID" --database "$db" \
  --note "platform: 1 api + 1 worker + PostgreSQL $(psql_owner -d postgres -c 'SHOW server_version' | cut -d' ' -f1) on this machine, the bench client too; worker concurrency $MONTAGE_WORKER_CONCURRENCY (+$MONTAGE_WORKER_INTERACTIVE_CONCURRENCY interactive), batch sizes $MONTAGE_INFERENCE_BATCH_SIZES, max batch delay $MONTAGE_INFERENCE_MAX_BATCH_DELAY, preprocess threads $MONTAGE_INFERENCE_PREPROCESS_THREADS, runners per model $MONTAGE_INFERENCE_RUNNERS_PER_MODEL" \
  --note "OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-unset (the libgomp default: idle OpenMP threads spin before they sleep)} for the worker and the raw loop alike" \
  --note "command: ${OMP_WAIT_POLICY:+OMP_WAIT_POLICY=$OMP_WAIT_POLICY }deploy/bench/run-embedding-bench.sh ${bundle#"$MONTAGE_ROOT"/}" "$@" \
  || fail "the benchmark failed"
echo "report appended to $out (whole run $((SECONDS - started)) s)" >&2
