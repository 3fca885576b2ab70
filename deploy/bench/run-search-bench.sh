#!/usr/bin/env bash
# Search benchmark, one command: builds the bench module, clones a throwaway database from montage_template, runs
# io.montage.bench.search.SearchBench against it (embeds Fashion-MNIST with BUNDLE_DIR through DJL, loads 100k items
# four ways, builds the HNSW index, measures CollectionSearch with and without filters in three modes: exact, HNSW at
# each ef_search, and the production default policy), drops the database.
# No api or worker runs: the bench uses the shared classes (Collections, CollectionSearch, …) directly.
# Prints a markdown report and appends it to $BENCH_OUT (default run/bench/search-<time>.md). ~5-8 min on 2 cores.
#
#   deploy/bench/run-search-bench.sh [BUNDLE_DIR] [extra SearchBench options…]
#
# Options (after the bundle): --items 100000 --upsert-rows 5000 --unnest-rows 10000 --copy-text-rows 20000
#   --upsert-indexed-rows 2000 (× 3 phases after the index build) --ef-search 40,100,200 (mode hnsw)
#   --filter-first-below 5000 (mode auto: the production default policy) --warmup 20 --maintenance-work-mem 1GB --note "…"
# Environment: BENCH_SKIP_BUILD=1 (use the jars already built), BENCH_TIMEOUT (s, default 900), BENCH_JAVA_OPTS,
#   BENCH_CACHE=DIR (keep the embeddings there: the next run skips 1-2 min of DJL), BENCH_KEEP_DB=1 (keep the
#   loaded database for experiments with psql), MONTAGE_DB_HOST/PORT/PASSWORD as for deploy/local.
set -euo pipefail
. "$(dirname "$0")/bench-lib.sh"
montage_use_jdk

bench_bundle "${1:-}"
shift $(($# > 0 ? 1 : 0))
: "${BENCH_TIMEOUT:=900}"
: "${BENCH_JAVA_OPTS:=-Xmx3g}"

bench_build "building (bench module and what it needs)…" bench_build_module

db=montage_search_$$
work=$(mktemp -d)
bench_out search
cleanup() {
  if [ "${BENCH_KEEP_DB:-0}" = 1 ]; then
    echo "database $db kept (BENCH_KEEP_DB=1): drop it with psql … -c 'DROP DATABASE $db WITH (FORCE)'" >&2
  else
    bench_drop_db "$db"
  fi
  rm -rf "$work"
}
trap cleanup EXIT

bench_copy_jars "$work"
bench_create_db "$db"
url=$(bench_db_url "$db")
started=$SECONDS
# shellcheck disable=SC2086
timeout "$BENCH_TIMEOUT" java $BENCH_JAVA_OPTS --enable-native-access=ALL-UNNAMED -cp "$classpath" \
  io.montage.bench.search.SearchBench --bundle "$bundle" --db-url "$url" --db-name "$db" \
  --db-password "${MONTAGE_DB_PASSWORD:-montage}" --out "$out" \
  ${BENCH_CACHE:+--cache "$BENCH_CACHE"} \
  --note "OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-unset}; command: deploy/bench/run-search-bench.sh ${bundle#"$MONTAGE_ROOT"/} $*" \
  "$@" || { echo "search bench: FAILED" >&2; exit 1; }
echo "report appended to $out (whole run $((SECONDS - started)) s)" >&2
