#!/usr/bin/env bash
# Bulk throughput benchmark, one command: builds, starts a throwaway platform (fresh database from montage_template,
# api + worker jars, as smoke-test.sh and run-embedding-bench.sh do), registers BUNDLE_DIR as the bench tenant's
# default model, then runs io.montage.bench.bulk.BulkBench: the raw DJL loop first (platform idle), then a warm-up
# embed job and measured embed jobs uploaded as JSONL. Prints a markdown report and appends it to $BENCH_OUT
# (default run/bench/bulk-<time>.md). ~2-4 min with the defaults on 2 cores.
#
#   deploy/bench/run-bulk-bench.sh [BUNDLE_DIR] [extra BulkBench options…]
#
# BulkBench options: --sets fmnist,stamps --count 10000 --stamps-count 3000 --warmup-count N (default: as many as --count) --repeat 2
#   --batch 32 (compare at the worker's largest batch bucket) --raw-rounds 5 --raw-round-seconds 3 --note "…"
# Platform tunables (environment, exported to api and worker; defaults are the platform's own):
#   MONTAGE_WORKER_CONCURRENCY (4), MONTAGE_QUEUE_ITEMS_PER_TASK (100), MONTAGE_INFERENCE_MAX_BATCH_DELAY (5ms),
#   MONTAGE_INFERENCE_PREPROCESS_THREADS (2), MONTAGE_INFERENCE_BATCH_SIZES (1,2,4,8,16,32), and OMP_WAIT_POLICY
#   (default PASSIVE, as lib.sh starts workers; exported, so the raw loop in the bench JVM uses the same policy).
# Other knobs: BENCH_SKIP_BUILD=1, BENCH_TIMEOUT (s, default 900), BENCH_KEEP_LOGS=1,
#   BULK_JFR=1 (record api and worker with Java Flight Recorder and append their hottest methods to the report).
set -euo pipefail
. "$(dirname "$0")/bench-lib.sh"
montage_use_jdk
bench_name='bulk bench'

bench_bundle "${1:-}"
shift $(($# > 0 ? 1 : 0))
: "${BENCH_TIMEOUT:=900}"
# The worker's OpenMP wait policy (lib.sh defaults it to PASSIVE) and the raw loop's must be the same to compare.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
bench_platform_defaults
export MONTAGE_QUEUE_ITEMS_PER_TASK=${MONTAGE_QUEUE_ITEMS_PER_TASK:-100}
batch=${MONTAGE_INFERENCE_BATCH_SIZES##*,}   # the raw loop runs at the worker's largest bucket

bench_build "building…" montage_build_jars
bench_out bulk
bench_platform_setup "montage_bulk_$$"   # database, port, $logs; dropped on exit
bench_platform_jars

started=$SECONDS
key=$(montage_demo_key bench "bulk bench")
if [ "${BULK_JFR:-0}" = 1 ]; then
  mkdir -p "$logs/jfr/api" "$logs/jfr/worker"
  # one recording per process; written when montage_stop's SIGTERM ends them
  java_opts=$MONTAGE_JAVA_OPTS
  MONTAGE_JAVA_OPTS="$java_opts -XX:StartFlightRecording=dumponexit=true,settings=profile,filename=$logs/jfr/worker/"
  java $MONTAGE_JAVA_OPTS -jar "$MONTAGE_WORKER_JAR" >"$logs/worker.log" 2>&1 &
  MONTAGE_WORKER_PID=$!
  MONTAGE_JAVA_OPTS="$java_opts -XX:StartFlightRecording=dumponexit=true,settings=profile,filename=$logs/jfr/api/"
  java $MONTAGE_JAVA_OPTS -jar "$MONTAGE_API_JAR" >"$logs/api.log" 2>&1 &
  MONTAGE_API_PID=$!
  MONTAGE_JAVA_OPTS=$java_opts
else
  montage_start "$logs"
fi
bench_serve_bundle

timeout "$BENCH_TIMEOUT" java -Xmx2g --enable-native-access=ALL-UNNAMED -cp "$classpath" \
  io.montage.bench.bulk.BulkBench --bundle "$bundle" --images "$MONTAGE_DEMO_BUNDLE/reference/images" \
  --api "$api" --key "$key" --batch "$batch" --out "$out.tmp" \
  --cpu-pids "api=$MONTAGE_API_PID,worker=$MONTAGE_WORKER_PID" --database "$db" \
  --db-url "$MONTAGE_DATABASE_URL" --db-password "${MONTAGE_DB_PASSWORD:-montage}" \
  --note "command: OMP_WAIT_POLICY=$OMP_WAIT_POLICY $(env | grep -E '^MONTAGE_(WORKER|QUEUE|INFERENCE)_' | sort | tr '\n' ' ')deploy/bench/run-bulk-bench.sh ${bundle#"$MONTAGE_ROOT"/} $*" \
  "$@" || fail "the benchmark failed"

if [ "${BULK_JFR:-0}" = 1 ]; then
  montage_stop
  MONTAGE_API_PID='' MONTAGE_WORKER_PID=''
  for process in worker api; do
    recording=$(ls "$logs/jfr/$process"/*.jfr 2>/dev/null | head -n1) || true
    [ -n "$recording" ] || { echo "no JFR recording for the $process" >&2; continue; }
    {
      echo
      echo "<details><summary>JFR hot methods, $process (whole process lifetime, Java frames only: libtorch time is native)</summary>"
      echo
      echo '```'
      jfr view --width 160 hot-methods "$recording" 2>&1 | head -n 40
      echo '```'
      echo '</details>'
    } >>"$out.tmp"
  done
fi
cat "$out.tmp" >>"$out"
[ "${BULK_JFR:-0}" != 1 ] || sed -n '/JFR hot methods/,$p' "$out.tmp"
rm -f "$out.tmp"
echo "report appended to $out (whole run $((SECONDS - started)) s)" >&2
