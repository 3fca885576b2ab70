#!/usr/bin/env bash
# Admission-control benchmark, one command: builds the bench module, clones a throwaway database from
# montage_template, runs io.montage.bench.admission.AdmissionBench against it (the per-request cost of the api's
# local token buckets, of Bucket4j buckets shared in PostgreSQL, and of the model backlog check with 100,000 tasks
# in the queue), drops the database. No api or worker runs. ~2 min on 2 cores.
# Prints a markdown report and appends it to $BENCH_OUT (default run/bench/admission-<time>.md).
#
#   deploy/bench/run-admission-bench.sh [--note "…"]
#
# Environment: BENCH_SKIP_BUILD=1 (use the jars already built), BENCH_TIMEOUT (s, default 600), BENCH_JAVA_OPTS,
#   MONTAGE_DB_HOST/PORT/PASSWORD as for deploy/local.
set -euo pipefail
. "$(dirname "$0")/bench-lib.sh"
montage_use_jdk

: "${BENCH_TIMEOUT:=600}"
: "${BENCH_JAVA_OPTS:=-Xmx1g}"

bench_build "building (bench module and what it needs)…" bench_build_module

bench_against_db admission io.montage.bench.admission.AdmissionBench \
  --note "command: deploy/bench/run-admission-bench.sh $*" "$@"
