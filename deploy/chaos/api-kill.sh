#!/usr/bin/env bash
# api SIGKILL mid-upload (issue 14): a JSONL upload of echo items streams slowly into the packaged api (curl
# --limit-rate) and the api is SIGKILLed while the upload's transaction holds written item batches; it is restarted.
# Checked then: nothing half-created (no job, task or item rows, no idempotency claim, no large objects or
# temporary tables, no new files in the api's temp dir, the upload's database session gone). Then the same upload
# is retried with the same Idempotency-Key: twice at once (one creates the job; the other gets it or 409
# idempotency_key_in_use, retried), then twice more in turn: exactly one job, every item succeeded, checked by
# custom_id. One summary line.
#
#   deploy/chaos/api-kill.sh            100,000 items (25 MB) at 2 MB/s, the api killed twice
#   deploy/chaos/api-kill.sh --short    40,000 items (10 MB) at 1 MB/s, killed once (CI)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
if [ "${1:-}" = --short ]; then items=40000 rate=1M kills=1; else items=100000 rate=2M kills=2; fi

chaos_begin api-kill chaos_apikill 1
key=$(montage_demo_key chaos-api-kill "api-kill experiment") || fail "no key"
chaos_api || fail "the api did not start"

jsonl=$logs/items.jsonl
awk -v n="$items" 'BEGIN { pad = sprintf("%200s", ""); gsub(/ /, "x", pad)
  for (i = 0; i < n; i++) printf "{\"custom_id\":\"c%d\",\"input\":{\"n\":%d,\"pad\":\"%s\"}}\n", i, i, pad }' >"$jsonl"
idempotency_key=chaos-upload-$$

# POSTs the items with the Idempotency-Key, at $1 bytes/s (0: at full speed); prints "<status> <bytes sent> <job id
# or problem code>".
upload() {
  local body=$logs/answer-$BASHPID.json limit=() answer
  [ "$1" = 0 ] || limit=(--limit-rate "$1")
  answer=$(curl -s -o "$body" -w '%{http_code} %{size_upload}' "${limit[@]}" --max-time 300 -X POST \
    "$api/v1/jobs?type=echo" -H "Authorization: Bearer $key" -H 'Content-Type: application/x-ndjson' \
    -H "Idempotency-Key: $idempotency_key" --data-binary @"$jsonl") || true
  echo "$answer $(sed -nE 's/.*"(id|code)":"([^"]+)".*/\2/p' "$body" 2>/dev/null | head -n 1)"
}

# Rows of the upload's open transaction: an api session that inserted items and has not ended.
open_upload() {
  psql_owner -d "$db" -c "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
    AND usename = 'montage_app' AND state <> 'idle' AND xact_start IS NOT NULL AND query LIKE '%INSERT INTO items%'"
}

# What a half-created upload would leave, as "name=count" pairs; all must be 0.
leftovers() {
  local rows
  rows=$(montage_system_sql "$db" "SELECT 'jobs=' || (SELECT count(*) FROM jobs) || ' tasks=' || (SELECT count(*) FROM tasks)
    || ' items=' || (SELECT count(*) FROM items) || ' idempotency_keys=' ||
    (SELECT count(*) FROM jobs WHERE idempotency_key IS NOT NULL) || ' large_objects=' ||
    (SELECT count(*) FROM pg_largeobject_metadata) || ' temp_tables=' ||
    (SELECT count(*) FROM pg_class WHERE relpersistence = 't')")
  echo "$rows temp_files=$(comm -13 "$logs/tmp-before" <(find "$logs/api-tmp" -type f | sort) | wc -l)"
}

sent_at_kill=() restart_s=()
for kill in $(seq 1 "$kills"); do
  find "$logs/api-tmp" -type f | sort >"$logs/tmp-before"
  upload "$rate" >"$logs/killed-upload.txt" &
  uploader=$!
  deadline=$((SECONDS + 60))
  until [ "$(open_upload)" -ge 1 ]; do # the first batch of 5,000 items is written: the upload is half in
    [ $SECONDS -lt $deadline ] || fail "the upload's transaction never wrote items"
    sleep 0.2
  done
  sleep "$kill" # the second kill further into the upload
  kill -KILL "$MONTAGE_API_PID"
  wait "$uploader"
  read -r status sent _ <"$logs/killed-upload.txt"
  # no answer: 000, or curl's 100 Continue (it sends Expect: 100-continue with a large body) and then nothing
  [ "$status" = 000 ] || [ "$status" = 100 ] || fail "the killed upload was answered $status"
  # what curl had sent, for the summary: not what the api had read (the sockets' buffers hold megabytes), so the
  # evidence that the kill came mid-upload is the open transaction above and the missing answer
  sent_at_kill+=("$((sent * 100 / $(stat -c %s "$jsonl")))%")
  deadline=$((SECONDS + 30))
  while [ "$(open_upload)" != 0 ]; do # PostgreSQL sees the socket close and rolls the transaction back
    [ $SECONDS -lt $deadline ] || fail "the killed api's transaction is still open after 30 s"
    sleep 0.2
  done
  left=$(leftovers)
  [ "$left" = "jobs=0 tasks=0 items=0 idempotency_keys=0 large_objects=0 temp_tables=0 temp_files=0" ] ||
    fail "the killed upload left: $left"
  started=$SECONDS
  chaos_api || fail "the api did not restart"
  restart_s+=("$((SECONDS - started))")
done
written=$(psql_owner -d "$db" -c "SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = 'items'")

# The client retries: twice at once, then twice in turn. A 409 idempotency_key_in_use (the other one was still
# being written) is retried until the job is there.
retry() {
  local answer tries=0
  answer=$(upload 0)
  while [ "${answer%% *}" = 409 ] && [[ $answer == *idempotency_key_in_use ]] && [ $tries -lt 30 ]; do
    echo "409-in-use" >>"$logs/retries.txt"
    sleep 1
    answer=$(upload 0)
    tries=$((tries + 1))
  done
  echo "$answer"
}
: >"$logs/retries.txt"
retry >"$logs/retry-1.txt" & first=$!
retry >"$logs/retry-2.txt" & second=$!
wait "$first" "$second"
retry >"$logs/retry-3.txt"
retry >"$logs/retry-4.txt"
statuses=$(for n in 1 2 3 4; do cut -d' ' -f1 "$logs/retry-$n.txt"; done | sort | uniq -c | awk '{printf "%s%s x %s", sep, $1, $2; sep=", "}')
ids=$(cut -d' ' -f3 "$logs"/retry-*.txt | sort -u)
[ "$(wc -l <<<"$ids")" = 1 ] && [[ $ids =~ ^[0-9a-f-]{36}$ ]] || fail "the retries answered: $(cat "$logs"/retry-*.txt)"
[ "$(cut -d' ' -f1 "$logs"/retry-*.txt | sort | tr '\n' ' ')" = "200 200 200 201 " ] ||
  fail "expected one 201 and three 200: $(cat "$logs"/retry-*.txt)"
[ "$(montage_system_sql "$db" "SELECT count(*) FROM jobs")" = 1 ] || fail "more than one job"

deadline=$((SECONDS + 300))
until chaos_jobs_done "$ids"; do
  [ $SECONDS -lt $deadline ] || fail "job $ids did not end in 5 minutes"
  sleep 0.5
done
chaos_jobs fates --job-ids "$ids" >"$logs/fates.txt" || { cat "$logs/fates.txt" >&2; fail "item fates"; }
echo "api-kill: $kills SIGKILL(s) of the api mid-upload ($items items, $(($(stat -c %s "$jsonl") / 1000000)) MB at" \
     "${rate}B/s; killed at ${sent_at_kill[*]} sent; $written item rows written and rolled back), nothing" \
     "half-created; api restarts ${restart_s[*]} s; 4 retries with the same Idempotency-Key, 2 at once: $statuses" \
     "($(wc -l <"$logs/retries.txt") idempotency_key_in_use waits), 1 job, $(sed -E 's/^ok job [^:]*: [0-9]+ items, ([0-9]+) succeeded.*/\1/' "$logs/fates.txt") of $items items succeeded (checked by" \
     "custom_id: 0 lost, 0 duplicated)"
