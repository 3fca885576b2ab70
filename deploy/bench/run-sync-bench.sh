#!/usr/bin/env bash
# The sync path's fixed cost (issue 10): 1-input embedding requests (a short text, a small image) from one client,
# against api nodes of ONE platform (same database, same worker, demo model) that differ only in their caches,
# taken in turns ROUNDS times so that every variant sees the same machine: all caches on; the key cache only (the
# lookups of model, default and worker liveness read each time); none. Round 1 of the first variant also runs the
# raw DJL loop at batch 1 (the model's own latency). BENCH_JFR=FILE records the cached api with JFR (profile
# settings) during its first round. Then each node's database transactions per request. Reports go to $BENCH_OUT
# (default run/bench/sync-<time>.md).
#
#   deploy/bench/run-sync-bench.sh [ROUNDS]      (default 2; ~1 min per variant and round; 0: transactions only)
set -euo pipefail
. "$(dirname "$0")/bench-lib.sh"
montage_use_jdk
bench_name=sync-bench
rounds=${1:-2}
: "${BENCH_SCENARIOS:=1x1:text,1x1:small}" "${BENCH_API_SECONDS:=15}" "${BENCH_API_MAX_REQUESTS:=1500}"
variants=("cached=" "keys only=MONTAGE_INFERENCE_API_LOOKUP_CACHE_ENABLED=false"
  "uncached=MONTAGE_INFERENCE_API_LOOKUP_CACHE_ENABLED=false MONTAGE_AUTH_KEY_CACHE_ENABLED=false")

bench_bundle ""
bench_platform_defaults
bench_build "building…" montage_build_jars
bench_out sync
bench_platform_setup "montage_sync_$$"
bench_platform_jars
started=$SECONDS
key=$(montage_demo_key bench "sync bench")
# one client sends ~50-200 requests a second: far over the default rate limit and daily items
bench_unlimited_tenants bench
montage_start "$logs"
bench_serve_bundle
urls=("$api") pids=("$MONTAGE_API_PID")
trap 'kill "${pids[@]:1}" 2>/dev/null || true; bench_platform_cleanup' EXIT
for ((v = 1; v < ${#variants[@]}; v++)); do   # the others: more api nodes on the next ports
  # shellcheck disable=SC2086  # the variant's settings are words of env's command line
  env MONTAGE_API_PORT=$((port + v)) MONTAGE_API_MANAGEMENT_PORT=$((port + 11 + v)) ${variants[v]#*=} java $MONTAGE_JAVA_OPTS -jar "$MONTAGE_API_JAR" \
    >"$logs/api-$v.log" 2>&1 &
  pids+=($!) urls+=("http://127.0.0.1:$((port + v))")
done
for ((v = 1; v < ${#variants[@]}; v++)); do
  montage_await_model "${urls[v]}" "$key" 90 || fail "api node '${variants[v]%%=*}' does not serve"
done

for ((r = 1; r <= rounds; r++)); do
  for ((v = 0; v < ${#variants[@]}; v++)); do
    raw=(--skip-raw)
    if [ $r = 1 ] && [ $v = 0 ]; then
      raw=(--batches 1 --rounds 3 --round-seconds 2)
      [ -z "${BENCH_JFR:-}" ] || jcmd "${pids[0]}" JFR.start name=sync settings=profile filename="$BENCH_JFR" >&2
    fi
    timeout 900 java -Xmx512m --enable-native-access=ALL-UNNAMED -cp "$classpath" io.montage.bench.EmbeddingBench \
      --bundle "$bundle" --images "$MONTAGE_DEMO_BUNDLE/reference/images" --camera 0x0 --decode-passes 1 "${raw[@]}" \
      --api "${urls[v]}" --key "$key" --scenarios "$BENCH_SCENARIOS" --api-seconds "$BENCH_API_SECONDS" \
      --api-max-requests "$BENCH_API_MAX_REQUESTS" --api-warmup 20 --api-warmup-seconds 10 --out "$out" \
      --cpu-pids "api=${pids[v]},worker=$MONTAGE_WORKER_PID" --database "$db" \
      --title "Sync path: ${variants[v]%%=*}, round $r" --note "api settings: ${variants[v]#*=}${variants[v]:+ (defaults otherwise)}" \
      --note "command: deploy/bench/run-sync-bench.sh $rounds" || fail "the benchmark failed"
    if [ $r = 1 ] && [ $v = 0 ] && [ -n "${BENCH_JFR:-}" ]; then jcmd "${pids[0]}" JFR.stop name=sync >&2; fi
  done
done
# Database transactions per request, which no neighbour's load changes: each node's commits over BENCH_TX_REQUESTS
# 1-text requests, counted by pg_stat_database (backends report within 10 s; the worker's are the same for all).
commits() { sleep 11; psql_owner -d "$db" -c "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '$db'"; }
{ echo; echo "### Sync path: database transactions per 1-text request (${BENCH_TX_REQUESTS:=300} requests per node)"; echo
  echo "| api node | transactions per request (the worker's included) |"; echo "|---|---:|"; } >>"$out"
for ((v = 0; v < ${#variants[@]}; v++)); do
  before=$(commits)
  for ((i = 0; i < BENCH_TX_REQUESTS; i++)); do
    curl -fsS -o /dev/null -X POST "${urls[v]}/v1/embeddings" -H "Authorization: Bearer $key" \
      -H 'Content-Type: application/json' -d '{"input":"a photo of a shirt"}' || fail "a request failed"
  done
  after=$(commits)
  echo "| ${variants[v]%%=*} | $(awk "BEGIN { printf \"%.2f\", ($after - $before) / $BENCH_TX_REQUESTS }") |" >>"$out"
done
tail -n $((${#variants[@]} + 2)) "$out"
echo "reports appended to $out (whole run $((SECONDS - started)) s)" >&2
