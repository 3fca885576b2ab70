#!/usr/bin/env bash
# Poison item (issue 14): one item of a chaos job halts its worker (exit 137, as the OOM killer would). Workers are
# restarted as they die. The task holding it is requeued without counting an attempt, split after
# montage.queue.max-crashes (3) crashes, and split again at each crash until the item is alone: it fails with
# worker_crashed and every other item succeeds. One summary line.
#
#   deploy/chaos/poison.sh            1,000 items in tasks of 100, item c537 poisoned
#   deploy/chaos/poison.sh --short    200 items in tasks of 16, item c77 poisoned (CI)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
if [ "${1:-}" = --short ]; then items=200 per_task=16 poison=77; else items=1000 per_task=100 poison=537; fi
workers=2

chaos_begin poison chaos_poison $workers

started=$SECONDS
id=$(chaos_jobs submit --items "$items" --sleep-ms 2 --poison "$poison" --items-per-task "$per_task")
until chaos_jobs_done "$id"; do
  [ $((SECONDS - started)) -lt 600 ] || fail "job $id did not end in 10 minutes"
  chaos_revive
  sleep 0.5
done
chaos_jobs fates --job-ids "$id" --expect-failed "c$poison=worker_crashed" >"$logs/fates.txt" ||
  { cat "$logs/fates.txt" >&2; fail "item fates"; }
echo "poison: 1 of $items items (tasks of $per_task) killed its worker; it alone failed (worker_crashed), the other" \
     "$((items - 1)) succeeded; $CHAOS_RESTARTS worker restarts, $((SECONDS - started)) s; $(sed -E 's/.*; ([0-9]+ tasks).*/\1/' "$logs/fates.txt")"
