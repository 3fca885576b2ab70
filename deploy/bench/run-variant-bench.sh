#!/usr/bin/env bash
# Variant benchmark, one command: builds the bench module, then io.montage.bench.raw.VariantBench loads a bundle and
# its variants (deploy/models/make_variants.py) into one JVM through DJL and measures, side by side: weights, the
# resident memory each load added, each tower's items/s at batch 1, 8 and 32 (interleaved rounds) and the cosine of
# every variant's embeddings with the first bundle's. No database, api or worker. ~1-2 min for the demo model.
# Prints a markdown report and appends it to $BENCH_OUT (default run/bench/variants-<time>.md).
#
#   deploy/bench/run-variant-bench.sh [BUNDLE_DIR] [extra VariantBench options…]
#
# BUNDLE_DIR defaults to the demo bundle; its variants are BUNDLE_DIR-int8 and BUNDLE_DIR-bf16 (those that exist).
# Environment: BENCH_SKIP_BUILD=1 (use the jars already built), BENCH_TIMEOUT (s, default 600), BENCH_JAVA_OPTS.
set -euo pipefail
. "$(dirname "$0")/bench-lib.sh"
montage_use_jdk

bench_bundle "${1:-}"
shift $(($# > 0 ? 1 : 0))
bundles=$bundle
for variant in int8 bf16; do
  [ -f "$bundle-$variant/montage-model.json" ] && bundles="$bundles,$bundle-$variant"
done
: "${BENCH_TIMEOUT:=600}"
: "${BENCH_JAVA_OPTS:=-Xmx1g}"

bench_standalone variants
# shellcheck disable=SC2086
timeout "$BENCH_TIMEOUT" java $BENCH_JAVA_OPTS --enable-native-access=ALL-UNNAMED -cp "$classpath" \
  io.montage.bench.raw.VariantBench --bundles "$bundles" --images "$MONTAGE_DEMO_BUNDLE/reference/images" \
  --out "$out" --note "OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-unset}" \
  --note "command: deploy/bench/run-variant-bench.sh ${bundle#"$MONTAGE_ROOT"/} $*" "$@"
echo "report appended to $out" >&2
