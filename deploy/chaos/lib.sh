# Shared by the chaos experiments: sourced, never run. Each experiment runs the packaged worker on a database of its
# own (montage_test_platform), with this module's chaos task handler beside the worker's jar, and failure detection
# shortened so that a crash costs seconds, not a minute.
# shellcheck shell=bash
. "$(dirname "${BASH_SOURCE[0]}")/../local/lib.sh"
montage_use_jdk

CHAOS_CLASSES=$MONTAGE_ROOT/deploy/chaos/target/classes
for built in "$MONTAGE_WORKER_JAR" "$CHAOS_CLASSES" "$MONTAGE_ROOT/deploy/chaos/target/classpath.txt"; do
  [ -e "$built" ] || { echo "chaos: no $built: build first (./mvnw -B -DskipTests package)" >&2; exit 1; }
done
CHAOS_CP=$CHAOS_CLASSES:$(cat "$MONTAGE_ROOT/deploy/chaos/target/classpath.txt")
# A lease of 6 s heartbeated every 2 s, reaped every second: a killed worker's tasks are claimable 6-7 s later.
export MONTAGE_QUEUE_LEASE_DURATION=${MONTAGE_QUEUE_LEASE_DURATION:-6s}
export MONTAGE_WORKER_HEARTBEAT_INTERVAL=${MONTAGE_WORKER_HEARTBEAT_INTERVAL:-2s}
export MONTAGE_WORKER_REAP_INTERVAL=${MONTAGE_WORKER_REAP_INTERVAL:-1s}
export MONTAGE_WORKER_LOST_AFTER=${MONTAGE_WORKER_LOST_AFTER:-6s}
export MONTAGE_WORKER_POLL_INTERVAL=${MONTAGE_WORKER_POLL_INTERVAL:-500ms}
CHAOS_WORKERS=()

# The harness (ChaosJobs) against this experiment's database: submit | fates, then its arguments. Prints the
# harness's answer lines only (job ids; ok/FAILED lines), not the libraries' log lines.
chaos_jobs() {
  java -cp "$CHAOS_CP" io.montage.chaos.ChaosJobs "$1" --db-url "$MONTAGE_DATABASE_URL" "${@:2}" >"$logs/harness.out"
  local status=$?
  grep -E '^([0-9a-f]{8}-[0-9a-f-]{27}|ok |FAILED )' "$logs/harness.out" || true
  return $status
}

# Starts worker number $1 (log $logs/worker-$1.log) with the chaos handler on its classpath; adds its pid to
# CHAOS_WORKERS.
chaos_worker() {
  OMP_WAIT_POLICY=PASSIVE java $MONTAGE_JAVA_OPTS -cp "$MONTAGE_WORKER_JAR:$CHAOS_CLASSES" io.montage.worker.WorkerMain \
    >>"$logs/worker-$1.log" 2>&1 &
  CHAOS_WORKERS[$1]=$!
  disown "$!" # its SIGKILL is the experiment, not news for the terminal
}

# Restarts every worker of CHAOS_WORKERS that is not alive any more; adds how many to CHAOS_RESTARTS. Never in a
# subshell: the new pids must reach CHAOS_WORKERS.
CHAOS_RESTARTS=0
chaos_revive() {
  local n
  for n in "${!CHAOS_WORKERS[@]}"; do
    if ! kill -0 "${CHAOS_WORKERS[$n]}" 2>/dev/null; then
      chaos_worker "$n"
      CHAOS_RESTARTS=$((CHAOS_RESTARTS + 1))
    fi
  done
}

# Waits until $1 workers are registered as running (at most $2 seconds): the first one also migrated the database.
chaos_await_workers() {
  local deadline=$((SECONDS + ${2:-90}))
  until [ "$(montage_system_sql "$db" "SELECT count(*) FROM workers WHERE status = 'running'" 2>/dev/null)" -ge "$1" ] 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "chaos: $1 worker(s) did not start; see $logs" >&2; return 1; }
    sleep 0.5
  done
}

# Whether every job of the comma-separated ids $1 has ended.
chaos_jobs_done() {
  local ids="'${1//,/\',\'}'"
  [ "$(montage_system_sql "$db" "SELECT count(*) FROM jobs WHERE id IN ($ids) AND status IN ('queued', 'running')")" = 0 ]
}

# Starts the packaged api (log $logs/api.log, appended across restarts; its temp files under $logs/api-tmp, where an
# experiment can count what a killed api left) and waits until it is ready (at most $1 seconds); sets
# MONTAGE_API_PID, which chaos_cleanup stops.
chaos_api() {
  # a stray api on this port would answer the readiness check (and the experiment's requests) instead
  ! curl -s -o /dev/null "$api/ready" 2>/dev/null || { echo "chaos: port $port is taken" >&2; return 1; }
  mkdir -p "$logs/api-tmp"
  java $MONTAGE_JAVA_OPTS -Djava.io.tmpdir="$logs/api-tmp" -jar "$MONTAGE_API_JAR" >>"$logs/api.log" 2>&1 &
  MONTAGE_API_PID=$!
  disown "$!" # its SIGKILL is the experiment
  montage_await_ready "$api" "${1:-90}"
}

chaos_stop_workers() {
  local pid
  for pid in "${CHAOS_WORKERS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${CHAOS_WORKERS[@]}"; do while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done; done
}

# Begins experiment $1 on a database of its own ($2) with $3 workers, stopped and dropped at exit; fail() ends it.
chaos_begin() {
  CHAOS_NAME=$1
  montage_test_platform "$2"
  trap chaos_cleanup EXIT
  local n
  for n in $(seq 1 "$3"); do chaos_worker "$n"; done
  chaos_await_workers "$3" || fail "workers did not start"
}

fail() {
  echo "$CHAOS_NAME: FAILED: $*" >&2
  tail -n 20 "$logs"/worker-*.log "$logs"/api.log 2>/dev/null >&2
  exit 1
}

chaos_cleanup() {
  chaos_stop_workers
  if [ -n "${MONTAGE_API_PID:-}" ]; then # disowned: montage_stop cannot wait for it
    kill -TERM "$MONTAGE_API_PID" 2>/dev/null || true
    while kill -0 "$MONTAGE_API_PID" 2>/dev/null; do sleep 0.2; done
  fi
  montage_test_platform_cleanup || true # its error is printed; the teardown below still runs
  [ -z "${CHAOS_TEARDOWN:-}" ] || "$CHAOS_TEARDOWN" # what the experiment made besides (a cluster of its own)
}
