#!/usr/bin/env bash
# Network partition (issue 14): a worker in its own network namespace ("the zombie"), linked to a private PostgreSQL
# by a veth pair, beside a worker on the host. A chaos job runs on both; the zombie's link gets delay (20 ms per round
# trip, delay-relay.py: this kernel has no netem) and 5 % packet loss (nftables), then a full cut (every packet
# dropped both ways) longer than the lease, then it comes back. Shows, with figures:
# the zombie stops claiming (it holds no lease once the reaper took them back), another worker finishes the work,
# and when the link returns the zombie's late writes (heartbeats, completions sent during the cut and retransmitted
# by TCP) are refused by the lease token: counted by montage_worker_lease_refusals_total and the log lines. Every
# item is checked by custom_id: 0 lost, 0 duplicated. One summary line. Needs root (ip netns, tc).
#
#   deploy/chaos/partition.sh            20,000 items of 20 ms, delay 20 ms + 5 % loss for 10 s, a 20 s cut
#   deploy/chaos/partition.sh --short    8,000 items, 6 s of delay + loss, a 15 s cut (CI)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/network.sh"
if [ "${1:-}" = --short ]; then items=8000 clean_s=3 degraded_s=6 cut_s=15; else items=20000 clean_s=5 degraded_s=10 cut_s=20; fi
ms=20 # per item: a task of 100 items runs 2 s, so the zombie's running tasks end during the cut

net_begin partition
net_namespace 1
net_relay 0
net_worker 0 # on the host, straight to PostgreSQL: it also migrates the new database
chaos_await_workers 1 180 || fail "the host worker did not start"
net_worker 1 "$NET_RELAY_URL" # the zombie-to-be, in mtg14w1, through the relay
chaos_await_workers 2 180 || fail "the namespaced worker did not start"
zombie=$(montage_system_sql "$db" "SELECT id FROM workers WHERE pid = ${CHAOS_WORKERS[1]} AND status = 'running'")
[ -n "$zombie" ] || fail "no workers row for the namespaced worker"

held() { montage_system_sql "$db" "SELECT count(*) FROM tasks WHERE status = 'running' AND lease_owner = '$zombie'"; }
zombie_status() { montage_system_sql "$db" "SELECT status FROM workers WHERE id = '$zombie'"; }
claims() { net_metric "$(net_scrape 1)" 'montage_worker_claims_seconds_count\{[^}]*result="claimed"[^}]*\}'; }
refused() { net_metric "$(net_scrape 1)" "montage_worker_lease_refusals_total\\{[^}]*write=\"$1\"[^}]*\\}"; }

ids=$(chaos_jobs submit --jobs 1 --items "$items" --sleep-ms "$ms" | paste -sd,)
deadline=$((SECONDS + 60))
until [ "$(held)" -gt 0 ]; do [ $SECONDS -lt $deadline ] || fail "the zombie never claimed"; sleep 0.2; done
sleep "$clean_s"
claims_clean=$(claims)

net_delay 20
net_loss 1 5
sleep "$degraded_s"
claims_degraded=$(claims)
[ "$claims_degraded" -gt "$claims_clean" ] || fail "the zombie claimed nothing under delay + loss"

# The cut: sample what the zombie holds each second; it can neither claim nor heartbeat.
held_at_cut=$(held)
net_loss 1 100
cut_at=$SECONDS
released_after="" lost_after="" held_max_after=0
while [ $((SECONDS - cut_at)) -lt "$cut_s" ]; do
  sleep 1
  h=$(held)
  if [ -z "$released_after" ]; then
    [ "$h" = 0 ] && released_after=$((SECONDS - cut_at))
  elif [ "$h" -gt "$held_max_after" ]; then
    held_max_after=$h # a claim by the cut-off zombie after its leases were taken back: must stay 0
  fi
  [ -z "$lost_after" ] && [ "$(zombie_status)" = lost ] && lost_after=$((SECONDS - cut_at))
done
[ -n "$released_after" ] || fail "the zombie's leases were not taken back during a ${cut_s} s cut"
[ "$held_max_after" = 0 ] || fail "the cut-off zombie held $held_max_after lease(s) after they were taken back"
[ -n "$lost_after" ] || fail "the zombie was not marked lost during the cut"
done_in_cut=$(montage_system_sql "$db" "SELECT succeeded_items FROM jobs WHERE id = '$ids'")

# The link returns: TCP retransmits what the zombie sent during the cut; the lease token refuses it. Wait for the
# zombie to heartbeat its workers row back to running and claim again.
net_loss 1 clear
net_delay 0
restored_at=$SECONDS
deadline=$((SECONDS + 60))
until [ "$(zombie_status)" = running ]; do [ $SECONDS -lt $deadline ] || fail "the zombie did not come back"; sleep 0.5; done
back_after=$((SECONDS - restored_at))

deadline=$((SECONDS + 600))
until chaos_jobs_done "$ids"; do [ $SECONDS -lt $deadline ] || fail "job $ids did not end"; sleep 0.5; done
chaos_jobs fates --job-ids "$ids" >"$logs/fates.txt" || { cat "$logs/fates.txt" >&2; fail "item fates"; }
claims_after=$(claims)
heartbeats=$(refused heartbeat) completions=$(refused completion) failures=$(refused failure)
# one "its result is dropped" line per refused end; a refused heartbeat logs only when it stops a running task
logged=$(grep -c 'its result is dropped' "$logs/worker-1.log" || true)
[ $((heartbeats + completions + failures)) -gt 0 ] || fail "no late write of the zombie was refused"
[ "$logged" = $((completions + failures)) ] || fail "refused ends: counter $((completions + failures)), log lines $logged"

echo "partition: $items items of ${ms} ms on a host worker + a namespaced one; zombie claims: $claims_clean clean," \
     "+$((claims_degraded - claims_clean)) in ${degraded_s} s of 20 ms delay + 5 % loss;" \
     "cut ${cut_s} s holding $held_at_cut lease(s): taken back after ${released_after} s, lost after ${lost_after} s," \
     "0 claims while cut, $done_in_cut items done by then; link back: zombie running again after ${back_after} s," \
     "late writes refused by the lease token: $heartbeats heartbeat(s), $completions completion(s), $failures failure(s)" \
     "(ends: $logged log lines); +$((claims_after - claims_degraded)) claims after;" \
     "0 lost, 0 duplicated ($(grep -c '^ok' "$logs/fates.txt") job checked by custom_id); load $(net_load)"
