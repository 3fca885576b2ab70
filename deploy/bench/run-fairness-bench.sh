#!/usr/bin/env bash
# Fairness benchmark (issue 8), one command: builds, starts a throwaway platform (fresh database from
# montage_template, api + worker jars, as smoke-test.sh does), serves the demo model to two tenants, then runs
# io.montage.bench.fairness.FairnessBench: tenant B's 1-text embedding latency idle, while tenant A sends the most
# costly sync requests the caps allow, while A's 100k-item bulk job runs, and idle again. Prints a markdown report
# and appends it to $BENCH_OUT (default run/bench/fairness-<time>.md). ~5 min on 2 cores.
#
#   deploy/bench/run-fairness-bench.sh [extra FairnessBench options…]
#
# FairnessBench options: --seconds 30 (per phase) --costly-images 64 --costly-labels 512 --costly-templates 8
#   --costly-clients 2 --bulk-items 100000 --note "…". Other knobs: BENCH_SKIP_BUILD=1, BENCH_TIMEOUT (s, default
#   1200), BENCH_KEEP_LOGS=1, and the platform tunables of bench_platform_defaults (bench-lib.sh).
set -euo pipefail
. "$(dirname "$0")/bench-lib.sh"
montage_use_jdk
bench_name='fairness bench'

bench_bundle ""
: "${BENCH_TIMEOUT:=1200}"
bench_platform_defaults
bench_build "building…" montage_build_jars
bench_out fairness
bench_platform_setup "montage_fairness_$$"   # database, port, $logs; dropped on exit
bench_platform_jars

started=$SECONDS
key=$(montage_demo_key bench "fairness bench: tenant A")
key_b=$(montage_demo_key bench-b "fairness bench: tenant B")
# What is measured is the platform's sharing, not the rate limiter: neither tenant's requests may be refused for rate.
bench_unlimited_tenants bench bench-b
montage_start "$logs"
bench_serve_bundle
montage_admin set-default-model --tenant bench-b --model "$model" || fail "set-default-model for tenant B"

timeout "$BENCH_TIMEOUT" java -Xmx1g -cp "$classpath" io.montage.bench.fairness.FairnessBench \
  --api "$api" --key-a "$key" --key-b "$key_b" --images "$MONTAGE_DEMO_BUNDLE/reference/images" --out "$out" \
  --note "model: $model; platform: 1 api + 1 worker + PostgreSQL $(psql_owner -d postgres -c 'SHOW server_version' | cut -d' ' -f1) on this machine, the bench client too; worker concurrency $MONTAGE_WORKER_CONCURRENCY, batch sizes $MONTAGE_INFERENCE_BATCH_SIZES, max batch delay $MONTAGE_INFERENCE_MAX_BATCH_DELAY" \
  --note "command: deploy/bench/run-fairness-bench.sh $*" "$@" || fail "the benchmark failed"
echo "report appended to $out (whole run $((SECONDS - started)) s)" >&2
