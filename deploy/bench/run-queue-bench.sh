#!/usr/bin/env bash
# Queue benchmark, one command: builds the bench module, clones a throwaway database from montage_template, runs
# io.montage.bench.queue.QueueBench against it (single-item echo jobs submitted, claimed and completed per second
# through JobQueue, against a bare FOR UPDATE SKIP LOCKED loop in plain JDBC on the same database), drops the
# database. No api or worker runs. ~1-2 min on 2 cores.
# Prints a markdown report and appends it to $BENCH_OUT (default run/bench/queue-<time>.md).
#
#   deploy/bench/run-queue-bench.sh [--jobs N] [--producers P] [--consumers C] [--rounds R] [--note "…"]
#                                   [--statements]
#
# --statements: on a PostgreSQL cluster of its own (setup-db.sh's cluster 15/bench_<pid> on a free port, dropped at
# the end; the shared cluster is not restarted under everyone else's connections) that preloads pg_stat_statements,
# the last round reports each side's statements per job: calls, planning and execution time, rows.
#
# Environment: BENCH_SKIP_BUILD=1 (use the jars already built), BENCH_TIMEOUT (s, default 600), BENCH_JAVA_OPTS,
#   MONTAGE_DB_HOST/PORT/PASSWORD as for deploy/local.
set -euo pipefail
. "$(dirname "$0")/bench-lib.sh"
montage_use_jdk

: "${BENCH_TIMEOUT:=600}"
: "${BENCH_JAVA_OPTS:=-Xmx1g}"

bench_build "building (bench module and what it needs)…" bench_build_module

args=()
for arg in "$@"; do
  if [ "$arg" = --statements ]; then args+=(--statements on); else args+=("$arg"); fi
done
if [ "${args[*]}" != "$*" ]; then
  cluster=bench_$$
  export MONTAGE_DB_PORT=$((45000 + RANDOM % 5000))
  as_root=()
  [ "$(id -u)" = 0 ] || as_root=(sudo)
  drop_cluster() { "${as_root[@]}" pg_dropcluster --stop 15 "$cluster" 2>/dev/null || true; }
  trap drop_cluster EXIT # until bench_against_db's trap takes over and calls it
  BENCH_TEARDOWN=drop_cluster
  MONTAGE_PG_CLUSTER=$cluster "$MONTAGE_ROOT/deploy/local/setup-db.sh" >/dev/null
  conf=/etc/postgresql/15/$cluster/conf.d/90-bench-statements.conf
  printf "shared_preload_libraries = 'pg_stat_statements'\npg_stat_statements.track = all\npg_stat_statements.track_planning = on\n${BENCH_PG_CONF:-}" \
    | "${as_root[@]}" tee "$conf" >/dev/null
  "${as_root[@]}" pg_ctlcluster --skip-systemctl-redirect 15 "$cluster" restart
  # in the template, so the bench's clone has it; the owner may read and reset the statistics
  "${as_root[@]}" runuser -u postgres -- psql -qAt -p "$MONTAGE_DB_PORT" -d montage_template -c \
    "CREATE EXTENSION IF NOT EXISTS pg_stat_statements; GRANT pg_read_all_stats TO montage_owner;
     GRANT EXECUTE ON FUNCTION pg_stat_statements_reset(oid, oid, bigint) TO montage_owner"
fi

bench_against_db queue io.montage.bench.queue.QueueBench \
  --note "command: deploy/bench/run-queue-bench.sh $*" "${args[@]}"
