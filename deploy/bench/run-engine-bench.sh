#!/usr/bin/env bash
# Engine benchmark, one command: builds the bench module, makes the ViT-B/32-size random bundle and the ONNX exports
# it needs under deploy/models/build/ (once; the demo models' ONNX bundles are committed), then
# io.montage.bench.engines.EngineBench runs libtorch and OnnxRuntime side by side on the CPU, pass by pass, for
# fashion-clip-mini (both towers), tuxpaint-fused-mini (predict) and the ViT-B/32 bundle (both towers), batch 1, 8
# and 32. No database, api or worker. ~8 min on 2 cores. Prints a markdown report and appends it to $BENCH_OUT
# (default run/bench/engines-<time>.md).
#
#   deploy/bench/run-engine-bench.sh [--batches 1,8,32] [--seconds 5] [--threads N] [--note "…"]
#
# Environment: BENCH_SKIP_BUILD=1 (use the jars already built), BENCH_SKIP_VIT=1 (the demo models only),
# BENCH_TIMEOUT (s, default 1500), BENCH_JAVA_OPTS.
set -euo pipefail
. "$(dirname "$0")/bench-lib.sh"
montage_use_jdk

: "${BENCH_TIMEOUT:=1500}"
: "${BENCH_JAVA_OPTS:=-Xmx2g}"
models=$MONTAGE_ROOT/deploy/models
pairs="$models/fashion-clip-mini:$models/fashion-clip-mini-onnx,$models/tuxpaint-fused-mini:$models/tuxpaint-fused-mini-onnx"
if [ -z "${BENCH_SKIP_VIT:-}" ]; then
  vit=$models/build/vit-b32-random
  [ -f "$vit/model.pt" ] || /usr/bin/python3 "$models/export_hf_clip.py" --random-vit-b32 "$vit"
  [ -f "$vit-onnx/image.onnx" ] || /usr/bin/python3 "$models/export_onnx.py" "$vit" "$vit-onnx" >/dev/null
  pairs="$pairs,$vit:$vit-onnx"
fi

# as deploy/local starts workers (docs/operations.md): libtorch's OpenMP threads sleep instead of spinning
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
bench_build "building (bench module and what it needs)…" bench_build_module
bench_out engines
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bench_copy_jars "$work"
# shellcheck disable=SC2086
timeout "$BENCH_TIMEOUT" java $BENCH_JAVA_OPTS --enable-native-access=ALL-UNNAMED -cp "$classpath" \
  io.montage.bench.engines.EngineBench --pairs "$pairs" --out "$out" \
  --note "OMP_WAIT_POLICY=$OMP_WAIT_POLICY (libtorch's OpenMP threads; OnnxRuntime has its own pool)" \
  --note "command: deploy/bench/run-engine-bench.sh $*" "$@"
echo "report appended to $out" >&2
