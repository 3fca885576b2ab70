#!/usr/bin/env bash
# Soak and memory (issue 14), one command: builds api, worker and the bench module, starts a throwaway platform
# (database from montage_template, its own ports: api SOAK_PORT, management +10, worker metrics +11), with Native Memory
# Tracking on in api and worker, registers the demo model as tenant bench's default, and runs
# io.montage.bench.soak.SoakBench: SOAK_ITEMS embed items (texts, Fashion-MNIST PNGs and SOAK_CAMERA_PER_MILLE ‰
# camera-size JPEGs) uploaded as SOAK_JOBS JSONL jobs made as they are sent, sampled every SOAK_INTERVAL s (worker
# and api RSS, heap, NMT; the items/tasks/jobs tables' sizes; items/s). Writes soak.csv, the report and PNGs to
# run/bench/soak-<time>/ (PNGs to SOAK_PNG_DIR if set, e.g. docs/reliability), prints the summary line last.
#
#   deploy/bench/run-soak.sh            # 1M items, ~40-60 min on 2 shared cores
#   SOAK_ITEMS=50000 deploy/bench/run-soak.sh
#
# Knobs: SOAK_ITEMS (1000000), SOAK_JOBS (1), SOAK_CAMERA_PER_MILLE (10), SOAK_INTERVAL (5), SOAK_MAX_SECONDS (5400:
# the run stops there and reports what finished), SOAK_STEADY_FROM (0.2: the fit starts at this share of the items),
# SOAK_AUTOVACUUM_EVERY (60 s; 0: off — the stand-in for autovacuum, which the shared test cluster runs without:
# io.montage.bench.soak.Autovacuum), SOAK_PORT (19800), SOAK_PNG_DIR, SOAK_PNG_PREFIX (soak), BENCH_SKIP_BUILD=1, BENCH_KEEP_LOGS=1, and the platform's
# MONTAGE_* tunables (bench_platform_defaults).
set -euo pipefail
. "$(dirname "$0")/bench-lib.sh"
montage_use_jdk
bench_name='soak'

: "${SOAK_ITEMS:=1000000}" "${SOAK_JOBS:=1}" "${SOAK_CAMERA_PER_MILLE:=10}" "${SOAK_INTERVAL:=5}"
: "${SOAK_MAX_SECONDS:=5400}" "${SOAK_STEADY_FROM:=0.2}" "${SOAK_AUTOVACUUM_EVERY:=60}"
: "${SOAK_PORT:=19800}" "${SOAK_PNG_PREFIX:=soak}"
bench_bundle ""
bench_platform_defaults
export MONTAGE_QUEUE_ITEMS_PER_TASK=${MONTAGE_QUEUE_ITEMS_PER_TASK:-100}
# NMT for VM.native_memory; the heap as the platform's scripts give it
MONTAGE_JAVA_OPTS="${MONTAGE_JAVA_OPTS} -XX:NativeMemoryTracking=summary"

soak_build() { (cd "$MONTAGE_ROOT" && ./mvnw -B -q -DskipTests -pl api,worker,deploy/bench -am package); }
bench_build "building api, worker and the bench module…" soak_build
run_dir=$MONTAGE_ROOT/run/bench/soak-$(date +%Y%m%d-%H%M%S)
mkdir -p "$run_dir"
png_dir=${SOAK_PNG_DIR:-$run_dir}
BENCH_PORT=$SOAK_PORT bench_platform_setup "montage_soak_$$"   # database, port, $logs; dropped on exit
bench_platform_jars

started=$SECONDS
key=$(montage_demo_key bench "soak")
bench_unlimited_tenants bench
montage_start "$logs"
bench_serve_bundle

echo "soak: $SOAK_ITEMS items in $SOAK_JOBS job(s); samples, report and plots in $run_dir" >&2
java -Xmx512m -Djava.awt.headless=true --add-opens jdk.attach/sun.tools.attach=ALL-UNNAMED -cp "$classpath" \
  io.montage.bench.soak.SoakBench --api "$api" --key "$key" --images "$MONTAGE_DEMO_BUNDLE/reference/images" \
  --items "$SOAK_ITEMS" --jobs "$SOAK_JOBS" --camera-per-mille "$SOAK_CAMERA_PER_MILLE" --interval "$SOAK_INTERVAL" \
  --max-seconds "$SOAK_MAX_SECONDS" --steady-from "$SOAK_STEADY_FROM" --autovacuum-every "$SOAK_AUTOVACUUM_EVERY" \
  --worker-pid "$MONTAGE_WORKER_PID" --api-pid "$MONTAGE_API_PID" \
  --worker-metrics "http://127.0.0.1:$MONTAGE_WORKER_METRICS_PORT/metrics" \
  --api-metrics "http://127.0.0.1:$MONTAGE_API_MANAGEMENT_PORT/prometheus" \
  --db-url "$MONTAGE_DATABASE_URL" --db-password "${MONTAGE_DB_PASSWORD:-montage}" \
  --csv "$run_dir/soak.csv" --png-dir "$png_dir" --png-prefix "$SOAK_PNG_PREFIX" --out "$run_dir/report.md" \
  --note "command: SOAK_ITEMS=$SOAK_ITEMS SOAK_JOBS=$SOAK_JOBS SOAK_CAMERA_PER_MILLE=$SOAK_CAMERA_PER_MILLE deploy/bench/run-soak.sh; $(env | grep -E '^MONTAGE_(WORKER|QUEUE|INFERENCE)_' | sort | tr '\n' ' ')MONTAGE_JAVA_OPTS=$MONTAGE_JAVA_OPTS" \
  --note "machine: $(nproc) cores, load average at start $(cut -d' ' -f1-3 /proc/loadavg)" \
  || fail "the soak failed"
echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg); whole run $((SECONDS - started)) s" | tee -a "$run_dir/report.md" >&2
