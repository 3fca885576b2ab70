#!/usr/bin/env bash
# PostgreSQL restart mid-load (issue 14): the packaged api and 2 workers run on a PostgreSQL cluster of the
# experiment's own (made by setup-db.sh as cluster 15/chaos_<pid> on port MONTAGE_CHAOS_PG_PORT, dropped at the end:
# the shared cluster is never touched). Chaos bulk jobs run and synchronous embedding requests (the demo model) arrive
# in 2 loops, each with a client timeout of 40 s, while the cluster is stopped and started again. Checked: every bulk
# item succeeded once (by custom_id), every synchronous request was answered (200, or a 503 problem while the
# database was away; never a 500, never a timeout), and the api and the workers (never restarted) serve again without
# an operator: the time from the database's return to the first synchronous 200 and to the first bulk item done.
# One summary line per restart.
#
#   deploy/chaos/pg-restart.sh            3 jobs of 10,000 items; a fast stop, then an immediate one (a crash), 10 s down
#   deploy/chaos/pg-restart.sh --short    2 jobs of 5,000 items; one fast stop, 5 s down (CI)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
if [ "${1:-}" = --short ]; then jobs=2 items=5000 stops=(fast) down=5; else jobs=3 items=10000 stops=(fast immediate) down=10; fi
workers=2
client_timeout=40

# The private cluster: setup-db.sh's roles, template and pgvector on a port of its own.
cluster=chaos_$$
export MONTAGE_DB_PORT=${MONTAGE_CHAOS_PG_PORT:-$((45000 + RANDOM % 5000))}
as_root=()
[ "$(id -u)" = 0 ] || as_root=(sudo) # the cluster is the postgres user's, as setup-db.sh makes it
pg() { "${as_root[@]}" pg_ctlcluster --skip-systemctl-redirect 15 "$cluster" "$@"; }
drop_cluster() { "${as_root[@]}" pg_dropcluster --stop 15 "$cluster" 2>/dev/null || true; }
CHAOS_TEARDOWN=drop_cluster
trap drop_cluster EXIT
MONTAGE_PG_CLUSTER=$cluster "$MONTAGE_ROOT/deploy/local/setup-db.sh" >/dev/null || { echo "pg-restart: no cluster" >&2; exit 1; }

chaos_begin pg-restart chaos_pgrestart $workers
key=$(montage_demo_key chaos-pg-restart "pg-restart experiment") || fail "no key"
chaos_api || fail "the api did not start"
montage_demo_model chaos-pg-restart >/dev/null || fail "the demo model did not become ready"
montage_await_model "$api" "$key" 120 || fail "no worker serves the demo model"

# Synchronous requests in loop $1 until $logs/stop-sync exists: "<start epoch s> <status> <seconds> <code>" lines.
sync_loop() {
  local answer body=$logs/sync-$1.json
  while [ ! -e "$logs/stop-sync" ]; do
    local started
    started=$(date +%s.%N)
    answer=$(curl -s -o "$body" -w '%{http_code} %{time_total}' --max-time $client_timeout -X POST \
      "$api/v1/embeddings" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
      -d "{\"input\":\"a red sneaker, loop $1\"}") || true
    echo "$started $answer $(sed -nE 's/.*"code":"([^"]+)".*/\1/p' "$body" 2>/dev/null | head -n 1)" >>"$logs/sync.txt"
    sleep 0.2
  done
}

: >"$logs/sync.txt"
sync_loop 1 & loop1=$!
sync_loop 2 & loop2=$!
ids=$(chaos_jobs submit --jobs "$jobs" --items "$items" --sleep-ms 5 | paste -sd,)
started=$SECONDS
summaries=()
for stop in "${stops[@]}"; do
  sleep 3 # load running
  since=$(date +%s.%N)
  pg stop -m "$stop" || fail "pg_ctlcluster stop -m $stop"
  sleep "$down"
  pg start || fail "pg_ctlcluster start"
  up=$(date +%s.%N)
  # back: the first synchronous 200 of a request sent after the database was up, and the first bulk item done
  deadline=$((SECONDS + 120))
  until sync_back=$(awk -v up="$up" '$1 >= up && $2 == 200 { printf "%.1f", $1 + $3 - up; exit }' "$logs/sync.txt") &&
        [ -n "$sync_back" ]; do
    [ $SECONDS -lt $deadline ] || fail "no synchronous request succeeded in 120 s after the restart"
    sleep 0.5
  done
  until bulk_back=$(montage_system_sql "$db" "SELECT round(extract(epoch FROM min(finished_at)) - $up, 1) FROM items
          WHERE finished_at > to_timestamp($up)") && [ -n "$bulk_back" ]; do
    [ $SECONDS -lt $deadline ] || fail "no bulk item was done in 120 s after the restart"
    sleep 0.5
  done
  summaries+=("$stop stop, $(awk -v a="$since" -v b="$up" 'BEGIN { printf "%.1f", b - a }') s down: first sync 200 ${sync_back} s and first bulk item ${bulk_back} s after the restart")
  echo "$since $up" >>"$logs/outages.txt"
done

until chaos_jobs_done "$ids"; do
  [ $((SECONDS - started)) -lt 600 ] || fail "jobs $ids did not end in 10 minutes"
  sleep 0.5
done
sleep 3 # synchronous requests after the bulk load
touch "$logs/stop-sync"
wait "$loop1" "$loop2"
chaos_jobs fates --job-ids "$ids" >"$logs/fates.txt" || { cat "$logs/fates.txt" >&2; fail "item fates"; }
for n in $(seq 1 $workers); do kill -0 "${CHAOS_WORKERS[$n]}" 2>/dev/null || fail "worker $n exited"; done
kill -0 "$MONTAGE_API_PID" 2>/dev/null || fail "the api exited"

# The synchronous requests' answers: by status and code, the slowest, and what was not a 200 or a 503 problem.
answers=$(awk '{ print $2 ($4 == "" ? "" : " " $4) }' "$logs/sync.txt" | sort | uniq -c | awk '{ $1 = $1 " x"; print }' | paste -sd, | sed 's/,/, /g')
slowest=$(awk '$3 > max { max = $3 } END { printf "%.1f", max }' "$logs/sync.txt")
bad=$(awk '!($2 == 200 || ($2 == 503 && $4 != "")) { n++ } END { print n + 0 }' "$logs/sync.txt")
[ "$bad" = 0 ] || fail "$bad synchronous request(s) were neither a 200 nor a 503 problem: $answers"
tail_ok=$(tail -n 4 "$logs/sync.txt" | awk '$2 != 200 { n++ } END { print n + 0 }')
[ "$tail_ok" = 0 ] || fail "the last synchronous requests still failed: $(tail -n 4 "$logs/sync.txt")"
# Tasks that finished while the database was away and could not record it: they run again once their lease expires.
redone=$(cat "$logs"/worker-*.log | grep -c 'could not record the end of task' || true)
for summary in "${summaries[@]}"; do echo "pg-restart: $summary"; done
echo "pg-restart: $(wc -l <"$logs/sync.txt") synchronous requests: $answers; slowest ${slowest} s (client timeout" \
     "${client_timeout} s); bulk $jobs x $items items: $(grep -c '^ok' "$logs/fates.txt") job(s) ok by custom_id," \
     "0 lost, 0 duplicated ($redone task(s) ran again: their end could not be recorded); api and $workers workers" \
     "never restarted, $((SECONDS - started)) s"
