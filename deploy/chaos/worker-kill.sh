#!/usr/bin/env bash
# Worker SIGKILL loop (issue 14): chaos jobs on 2 workers, first uninterrupted, then again while the busiest worker
# (the one holding the most running tasks) is SIGKILLed (first at 1 s, then every 3-6 s) and restarted. Every item's fate is checked by
# custom_id: 0 lost, 0 duplicated (the job's counters equal its item rows), all succeeded. One summary line.
#
#   deploy/chaos/worker-kill.sh            a 10k-item job, then 5 jobs of 10k items
#   deploy/chaos/worker-kill.sh --short    one job of 3,000 items (CI)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
if [ "${1:-}" = --short ]; then rounds=("1 3000 10"); else rounds=("1 10000 5" "5 10000 5"); fi
workers=2

chaos_begin worker-kill chaos_kill $workers

busiest() {
  montage_system_sql "$db" "SELECT w.pid FROM tasks t JOIN workers w ON w.id = t.lease_owner
    WHERE t.status = 'running' AND w.status = 'running' GROUP BY w.pid ORDER BY count(*) DESC LIMIT 1"
}

# Runs $1 jobs of $2 items of $3 ms each; kills workers when $4 is 1. Sets took (seconds) and kills.
run() {
  local ids started=$SECONDS next pid
  kills=0
  ids=$(chaos_jobs submit --jobs "$1" --items "$2" --sleep-ms "$3" | paste -sd,)
  next=$((SECONDS + 1)) # the first kill as soon as tasks run: a fast machine may finish the short run in seconds
  until chaos_jobs_done "$ids"; do
    [ $((SECONDS - started)) -lt 900 ] || fail "jobs $ids did not end in 15 minutes"
    if [ "$4" = 1 ] && [ $SECONDS -ge $next ]; then
      pid=$(busiest) # nobody may hold a task this instant (between claims): then try again at the next turn
      if [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; then
        kills=$((kills + 1))
        next=$((SECONDS + 3 + RANDOM % 4))
      fi
    fi
    chaos_revive
    sleep 0.5
  done
  chaos_jobs fates --job-ids "$ids" >"$logs/fates.txt" || { cat "$logs/fates.txt" >&2; fail "item fates"; }
  took=$((SECONDS - started))
}

for round in "${rounds[@]}"; do
  read -r jobs items ms <<<"$round"
  run "$jobs" "$items" "$ms" 0
  quiet=$took
  run "$jobs" "$items" "$ms" 1
  chaotic=$took
  [ "$kills" -gt 0 ] || fail "no worker was killed during the run (it was over in ${chaotic} s)"
  echo "worker-kill: $jobs x $items items of ${ms} ms on $workers workers: uninterrupted ${quiet} s, with $kills SIGKILLs" \
       "${chaotic} s; 0 lost, 0 duplicated, all succeeded ($(grep -c '^ok' "$logs/fates.txt") job(s) checked by custom_id)"
done
