#!/usr/bin/env bash
# Queue benchmark, one command: builds the bench module, clones a throwaway database from montage_template, runs
# io.montage.bench.queue.QueueBench against it (single-item echo jobs submitted, claimed and completed per second
# through JobQueue, against a bare FOR UPDATE SKIP LOCKED loop in plain JDBC on the same database), drops the
# database. No api or worker runs. ~1-2 min on 2 cores.
# Prints a markdown report and appends it to $BENCH_OUT (default run/bench/queue-<time>.md).
#
#   deploy/bench/run-queue-bench.sh [--jobs N] [--producers P] [--consumers C] [--rounds R] [--note "…"]
#
# Environment: BENCH_SKIP_BUILD=1 (use the jars already built), BENCH_TIMEOUT (s, default 600), BENCH_JAVA_OPTS,
#   MONTAGE_DB_HOST/PORT/PASSWORD as for deploy/local.
set -euo pipefail
. "$(dirname "$0")/bench-lib.sh"
montage_use_jdk

: "${BENCH_TIMEOUT:=600}"
: "${BENCH_JAVA_OPTS:=-Xmx1g}"

bench_build "building (bench module and what it needs)…" bench_build_module

bench_against_db queue io.montage.bench.queue.QueueBench \
  --note "command: deploy/bench/run-queue-bench.sh $*" "$@"
