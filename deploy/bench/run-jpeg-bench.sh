#!/usr/bin/env bash
# JPEG decoding benchmark, one command: builds the bench module, then io.montage.bench.decode.JpegDecodeBench
# decodes the camera-size set (the demo bundle's Tux Paint photos upscaled to 1024×768, JPEG q90) with the JDK's
# decoder and with libjpeg-turbo, and preprocesses libjpeg-turbo's pixels PIL-exactly to a CLIP-style RGB 224 and
# the demo model's L 28 tensor, all interleaved on one thread. No database, api or worker. ~1 min on 2 cores.
# Prints a markdown report and appends it to $BENCH_OUT (default run/bench/jpeg-<time>.md).
#
#   deploy/bench/run-jpeg-bench.sh [--passes N] [--note "…"]
#
# Environment: BENCH_SKIP_BUILD=1 (use the jars already built), BENCH_TIMEOUT (s, default 600), BENCH_JAVA_OPTS.
set -euo pipefail
. "$(dirname "$0")/bench-lib.sh"
montage_use_jdk
"$MONTAGE_ROOT/deploy/local/setup-jpeg.sh"

: "${BENCH_TIMEOUT:=600}"
: "${BENCH_JAVA_OPTS:=-Xmx1g}"

bench_standalone jpeg
# shellcheck disable=SC2086
timeout "$BENCH_TIMEOUT" java $BENCH_JAVA_OPTS --enable-native-access=ALL-UNNAMED -cp "$classpath" \
  io.montage.bench.decode.JpegDecodeBench --images "$MONTAGE_DEMO_BUNDLE/reference/images" --out "$out" \
  --note "command: deploy/bench/run-jpeg-bench.sh $*" "$@"
echo "report appended to $out" >&2
