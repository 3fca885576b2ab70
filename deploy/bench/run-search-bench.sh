#!/usr/bin/env bash
# Search benchmark, one command: builds the bench module, clones a throwaway database from montage_template, runs
# io.montage.bench.search.SearchBench against it (embeds Fashion-MNIST with BUNDLE_DIR through DJL, loads 100k items
# four ways, builds the HNSW index, measures exact and HNSW search with and without filters), drops the database.
# No api or worker runs: the bench uses the shared classes (Collections, CollectionSearch, …) directly.
# Prints a markdown report and appends it to $BENCH_OUT (default run/bench/search-<time>.md). ~5-8 min on 2 cores.
#
#   deploy/bench/run-search-bench.sh [BUNDLE_DIR] [extra SearchBench options…]
#
# Options (after the bundle): --items 100000 --upsert-rows 5000 --unnest-rows 10000 --copy-text-rows 20000
#   --upsert-indexed-rows 2000 (× 3 phases after the index build) --ef-search 40,100,200 --warmup 20 --maintenance-work-mem 1GB --note "…"
# Environment: BENCH_SKIP_BUILD=1 (use the jars already built), BENCH_TIMEOUT (s, default 900), BENCH_JAVA_OPTS,
#   BENCH_CACHE=DIR (keep the embeddings there: the next run skips 1-2 min of DJL), BENCH_KEEP_DB=1 (keep the
#   loaded database for experiments with psql), MONTAGE_DB_HOST/PORT/PASSWORD as for deploy/local.
set -euo pipefail
. "$(dirname "$0")/../local/lib.sh"
montage_use_jdk

bundle=$(cd "${1:-$MONTAGE_DEMO_BUNDLE}" && pwd)
shift $(($# > 0 ? 1 : 0))
[ -f "$bundle/montage-model.json" ] || { echo "$bundle is not a model bundle (no montage-model.json)" >&2; exit 2; }
: "${BENCH_TIMEOUT:=900}"
: "${BENCH_JAVA_OPTS:=-Xmx3g}"

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  echo "building (bench module and what it needs)…" >&2
  (cd "$MONTAGE_ROOT" && ./mvnw -B -q -DskipTests -pl deploy/bench -am package)
fi
classpath_file=$MONTAGE_ROOT/deploy/bench/target/classpath.txt
[ -f "$classpath_file" ] || { echo "no $classpath_file: build first (drop BENCH_SKIP_BUILD)" >&2; exit 1; }

db=montage_search_$$
work=$(mktemp -d)
out=${BENCH_OUT:-$MONTAGE_ROOT/run/bench/search-$(date +%Y%m%d-%H%M%S).md}
mkdir -p "$(dirname "$out")"
psql_owner() { PGPASSWORD=${MONTAGE_DB_PASSWORD:-montage} psql -qAt -h "${MONTAGE_DB_HOST:-127.0.0.1}" \
  -p "${MONTAGE_DB_PORT:-5432}" -U montage_owner "$@"; }
cleanup() {
  if [ "${BENCH_KEEP_DB:-0}" = 1 ]; then
    echo "database $db kept (BENCH_KEEP_DB=1): drop it with psql … -c 'DROP DATABASE $db WITH (FORCE)'" >&2
  else
    psql_owner -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# Run copies of this checkout's jars and classes: a build started meanwhile must not swap them under us.
mkdir -p "$work/jars"
cp -r "$MONTAGE_ROOT/deploy/bench/target/classes" "$work/jars/bench-classes"
classpath=$work/jars/bench-classes
IFS=: read -r -a entries <"$classpath_file" || true  # no final newline: read says EOF
for entry in "${entries[@]}"; do
  if [[ $entry == "$MONTAGE_ROOT"/* ]]; then
    cp "$entry" "$work/jars/"
    entry=$work/jars/$(basename "$entry")
  fi
  classpath=$classpath:$entry
done

psql_owner -d postgres -c "CREATE DATABASE $db TEMPLATE montage_template"
url=jdbc:postgresql://${MONTAGE_DB_HOST:-127.0.0.1}:${MONTAGE_DB_PORT:-5432}/$db
started=$SECONDS
# shellcheck disable=SC2086
timeout "$BENCH_TIMEOUT" java $BENCH_JAVA_OPTS --enable-native-access=ALL-UNNAMED -cp "$classpath" \
  io.montage.bench.search.SearchBench --bundle "$bundle" --db-url "$url" --db-name "$db" \
  --db-password "${MONTAGE_DB_PASSWORD:-montage}" --store "$work/models" --out "$out" \
  ${BENCH_CACHE:+--cache "$BENCH_CACHE"} \
  --note "OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-unset}; command: deploy/bench/run-search-bench.sh ${bundle#"$MONTAGE_ROOT"/} $*" \
  "$@" || { echo "search bench: FAILED" >&2; exit 1; }
echo "report appended to $out (whole run $((SECONDS - started)) s)" >&2
