#!/usr/bin/env bash
# Scale-out (issue 14): 1, 2, 4 and 8 worker processes against one private PostgreSQL, each worker in its own network
# namespace (a simulated machine) reaching the database with 0.5 ms and 5 ms of added latency per round trip
# (delay-relay.py: this kernel has no netem). The chaos handler's fixed service time (2 ms per item, 100 items per
# task: a worker of 4 slots is a 2,000 items/s worker, the GPU worker of docs/operations.md) makes the queue, not the
# 2 cores, the thing measured, as far as 8 small JVMs on 2 cores allow (their CPU is measured and shown).
#
# Per run: one chaos job large enough to outlast the window; after a warm-up, a window in which it measures items
# finished per second (= claimed, in steady state), claims per second and their latency p50/p99 (the workers'
# montage_worker_claims_seconds histograms, summed), the handler's busy share of the slots, PostgreSQL's CPU per
# item finished and per item enqueued (/proc: the postmaster and its backends), the workers' and the relay's CPU,
# the machine's busy share, the load average; then the job is cancelled. One table row per run, then the table
# (markdown) on stdout: docs/operations.md, "Scaling out".
#
#   deploy/chaos/scale-out.sh            1, 2, 4, 8 workers x 0.5 ms and 5 ms, 20 s windows (~15 minutes loaded)
#   deploy/chaos/scale-out.sh --short    1 and 2 workers x 0.5 ms, 8 s windows
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/network.sh"
if [ "${1:-}" = --short ]; then counts=(1 2) latencies=(0.5) warm=4 window=8; else counts=(1 2 4 8) latencies=(0.5 5) warm=6 window=20; fi
sleep_ms=2 per_task=100 slots=4
export MONTAGE_WORKER_CONCURRENCY=$slots MONTAGE_WORKER_TYPES=chaos
# heartbeats and reaping as in production's proportions but quick: the runs measure the steady state, not failures
export MONTAGE_QUEUE_LEASE_DURATION=30s MONTAGE_WORKER_HEARTBEAT_INTERVAL=10s MONTAGE_WORKER_LOST_AFTER=30s

net_begin scale-out
net_relay "${latencies[0]}"
for n in $(seq 1 "${counts[-1]}"); do net_namespace "$n"; done

# Per-le sums of the claimed-claims histogram buckets over the scrape files given, as "le count" lines.
buckets() {
  cat "$@" | awk '/^montage_worker_claims_seconds_bucket\{/ && /result="claimed"/ {
      match($0, /le="[^"]+"/); le = substr($0, RSTART + 4, RLENGTH - 5); sum[le] += $NF }
    END { for (le in sum) print le, sum[le] }'
}

# p50 and p99 (ms) of the claims between two bucket lists (files), interpolated in the bucket as Prometheus does.
quantiles() {
  python3 - "$1" "$2" <<'PY'
import sys
def read(path):
    return {float(le.replace("+Inf", "inf")): float(n) for le, n in (l.split() for l in open(path) if l.strip())}
a, b = read(sys.argv[1]), read(sys.argv[2])
edges = sorted(b)
counts = [b[e] - a.get(e, 0) for e in edges]
total = counts[-1] if counts else 0
out = []
for q in (0.5, 0.99):
    if total <= 0:
        out.append("-"); continue
    rank, lower, below = q * total, 0.0, 0.0
    for e, c in zip(edges, counts):
        if c >= rank:
            upper = e if e != float("inf") else lower
            out.append("%.1f" % (1000 * (lower + (upper - lower) * (rank - below) / max(c - below, 1e-9))))
            break
        lower, below = e, c
print(" ".join(out))
PY
}

snapshot() { # $1: a name; writes the scrapes and the counters to $logs/snap-$1.*
  local n
  for n in $(seq 1 "$workers"); do net_scrape "$n" >"$logs/snap-$1.$n.prom"; done
  buckets "$logs"/snap-"$1".*.prom >"$logs/snap-$1.buckets"
  echo "$(date +%s.%N) $(montage_system_sql "$db" "SELECT succeeded_items FROM jobs WHERE id = '$job'") $(net_pg_cpu)" \
       "$(net_cpu_of "${CHAOS_WORKERS[@]}") $(net_cpu_of "$NET_RELAY_PID") $(net_machine_cpu)" \
       "$(net_metric "$(cat "$logs"/snap-"$1".*.prom)" 'montage_worker_claims_seconds_count\{[^}]*result="claimed"[^}]*\}')" \
       "$(cat "$logs"/snap-"$1".*.prom | awk '/^montage_worker_tasks_seconds_sum\{/ && /type="chaos"/ {s += $NF} END {printf "%.3f", s}')" \
       >"$logs/snap-$1.values"
}

rows=()
measure() { # $1 workers, $2 latency: one run
  local items started t0 i0 pg0 w0 r0 m0 c0 h0 t1 i1 pg1 w1 r1 m1 c1 h1 dt enqueue
  items=$(( (workers < 4 ? workers : 4) * 2000 * (warm + window + 15) ))
  enqueue=$(net_pg_cpu)
  job=$(chaos_jobs submit --jobs 1 --items "$items" --sleep-ms "$sleep_ms" --items-per-task "$per_task")
  # PostgreSQL's CPU for the submission (a few claims may start before the harness has exited: a slight overcount)
  enqueue=$(awk -v a="$enqueue" -v b="$(net_pg_cpu)" -v n="$items" 'BEGIN {printf "%.3f", 1000 * (b - a) / n}')
  started=$SECONDS
  until [ "$(montage_system_sql "$db" "SELECT succeeded_items FROM jobs WHERE id = '$job'")" -gt 0 ]; do
    [ $((SECONDS - started)) -lt 60 ] || fail "job $job did not start"
    sleep 0.2
  done
  sleep "$warm"
  net_relay_lateness >/dev/null # from here on
  snapshot a
  sleep "$window"
  snapshot b
  read -r lateness_n lateness_p50 lateness_p99 lateness_max <<<"$(net_relay_lateness)"
  read -r t0 i0 pg0 w0 r0 m0 c0 h0 <"$logs/snap-a.values"
  read -r t1 i1 pg1 w1 r1 m1 c1 h1 <"$logs/snap-b.values"
  chaos_jobs_done "$job" && fail "job $job of $items items ended inside the window: make it larger"
  chaos_jobs cancel --job-ids "$job" >/dev/null
  read -r p50 p99 <<<"$(quantiles "$logs/snap-a.buckets" "$logs/snap-b.buckets")"
  local row
  row=$(awk -v n="$1" -v lat="$2" -v dt="$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')" -v items=$((i1 - i0)) \
      -v pg=$(awk -v a="$pg0" -v b="$pg1" 'BEGIN {print b - a}') -v w=$(awk -v a="$w0" -v b="$w1" 'BEGIN {print b - a}') \
      -v r=$(awk -v a="$r0" -v b="$r1" 'BEGIN {print b - a}') -v m=$(awk -v a="$m0" -v b="$m1" 'BEGIN {print b - a}') \
      -v claims=$((c1 - c0)) -v busy=$(awk -v a="$h0" -v b="$h1" 'BEGIN {print b - a}') -v slots="$slots" \
      -v ideal=$(( $1 * slots * 1000 / sleep_ms )) -v p50="$p50" -v p99="$p99" \
      -v late="$lateness_p50/$lateness_p99" -v cores="$(nproc)" -v ld="$(net_load)" -v enq="$enqueue" 'BEGIN {
        printf "| %d | %s ms | %.0f | %.0f | %.2f | %.1f | %s / %s | %.0f %% | %.3f | %s | %.0f %% | %.0f %% | %.0f %% | %.0f %% | %s | %s |\n",
          n, lat, items / dt, ideal, items / dt / ideal, claims / dt, p50, p99, 100 * busy / (dt * n * slots),
          1000 * pg / items, enq, 100 * pg / dt, 100 * w / dt, 100 * r / dt, 100 * m / (dt * cores), late, ld }')
  rows+=("$row")
  echo "$row"
  # the cancelled job's running tasks stop at their next heartbeat (<= 10 s)
  started=$SECONDS
  until [ "$(montage_system_sql "$db" "SELECT count(*) FROM tasks WHERE status = 'running'")" = 0 ]; do
    [ $((SECONDS - started)) -lt 60 ] || fail "the cancelled job's tasks did not stop"
    sleep 0.5
  done
}

workers=0
header="| workers | added RTT | items/s | nominal | ratio | claims/s | claim p50 / p99 (ms) | slots busy | PostgreSQL CPU per item (ms) | its enqueue, per item (ms) | PostgreSQL CPU (of a core) | workers' CPU | relay CPU | machine busy (2 cores) | relay late p50/p99 (ms) | load |"
echo "$header"
for count in "${counts[@]}"; do
  while [ "$workers" -lt "$count" ]; do
    workers=$((workers + 1))
    net_worker "$workers" "$NET_RELAY_URL" # the first one migrates the database
    [ "$workers" = 1 ] && { chaos_await_workers 1 180 || fail "worker 1 did not start"; }
  done
  chaos_await_workers "$workers" 240 || fail "$workers workers did not start"
  for latency in "${latencies[@]}"; do
    net_delay "$latency"
    measure "$workers" "$latency"
  done
done

echo
echo "scale-out: chaos items of ${sleep_ms} ms, ${per_task} per task, ${slots} slots per worker (nominal 2,000 items/s per worker); $(date -u +%FT%TZ)"
echo "$header"
echo "|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|"
printf '%s\n' "${rows[@]}"
