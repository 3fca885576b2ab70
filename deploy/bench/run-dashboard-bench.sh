#!/usr/bin/env bash
# Console dashboard benchmark (issue 9), one command: builds the bench module, clones a throwaway database from
# montage_template, runs io.montage.bench.dashboard.DashboardBench against it (1,000,000 items queued and a day of
# history written with SQL; every read the dashboard makes per refresh timed and EXPLAIN-ed; the cost of the
# recent-failures index to the writing of outcomes), drops the database. No api or worker runs. ~3 min on 2 cores.
# Prints a markdown report and appends it to $BENCH_OUT (default run/bench/dashboard-<time>.md).
#
#   deploy/bench/run-dashboard-bench.sh [--items 1000000] [--runs 30] [--write-tasks 100] [--note "…"]
#
# Environment: BENCH_SKIP_BUILD=1 (use the jars already built), BENCH_TIMEOUT (s, default 900), BENCH_JAVA_OPTS,
#   MONTAGE_DB_HOST/PORT/PASSWORD as for deploy/local.
set -euo pipefail
. "$(dirname "$0")/bench-lib.sh"
montage_use_jdk

: "${BENCH_TIMEOUT:=900}"
: "${BENCH_JAVA_OPTS:=-Xmx1g}"

bench_build "building (bench module and what it needs)…" bench_build_module

bench_against_db dashboard io.montage.bench.dashboard.DashboardBench \
  --manifest "$MONTAGE_DEMO_BUNDLE/montage-model.json" --note "command: deploy/bench/run-dashboard-bench.sh $*" "$@"
