#!/usr/bin/env bash
# Records the CLI's progress bar for docs/cli.md: docs/screenshots/30-cli-progress.txt (the tmux pane captured
# every second while `montage jobs submit` classifies a folder of 1,000 Fashion-MNIST PNGs, one of them broken) and
# docs/screenshots/30-cli-progress.png (its last frame, drawn with DejaVu Sans Mono). Starts a throwaway packaged
# platform (deploy/local/lib.sh) and stops it. Needs the jars (./mvnw -B package -DskipTests), tmux, python3-pil.
# MONTAGE_RECORD_PORT picks the api's port (and the three after it) instead of a random one.
set -euo pipefail
. "$(dirname "$0")/../local/lib.sh"
montage_use_jdk
out=$MONTAGE_ROOT/docs/screenshots
session=montage-cli-record-$$

montage_test_platform cli_record
if [ -n "${MONTAGE_RECORD_PORT:-}" ]; then
  port=$MONTAGE_RECORD_PORT api=http://127.0.0.1:$port
  export MONTAGE_API_PORT=$port MONTAGE_API_MANAGEMENT_PORT=$((port + 1)) MONTAGE_WORKER_METRICS_PORT=$((port + 2)) \
    MONTAGE_CONSOLE_METRICS_PORT=$((port + 3))
fi
cleanup() { tmux kill-session -t "$session" 2>/dev/null || true; montage_test_platform_cleanup; }
trap cleanup EXIT

key=$(montage_demo_key record "cli recording")
montage_start "$logs"
montage_await_ready "$api" 90
montage_demo_model record
montage_await_model "$api" "$key" 90

photos=$logs/photos
/usr/bin/python3 - "$photos" <<'PY'
import gzip, os, struct, sys
from PIL import Image
folder = sys.argv[1]; os.makedirs(folder)
with gzip.open('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz') as f:
    _, count, rows, cols = struct.unpack('>IIII', f.read(16))
    for i in range(999):
        Image.frombytes('L', (cols, rows), f.read(rows * cols)).save(f'{folder}/fmnist-{i:05d}.png')
open(f'{folder}/broken.png', 'w').write('not a png')
PY

cd "$logs"
tmux new-session -d -s "$session" -x 112 -y 12 \
  "export MONTAGE_API_URL=$api MONTAGE_API_KEY=$key; printf '\$ montage jobs submit --type classify --labels %s ./photos\n' \"'t-shirt,trouser,pullover,dress,coat,sandal,shirt,sneaker,bag,ankle boot'\";
   $MONTAGE_ROOT/deploy/cli/montage jobs submit --type classify \
     --labels 't-shirt,trouser,pullover,dress,coat,sandal,shirt,sneaker,bag,ankle boot' ./photos; sleep 600"
: >"$out/30-cli-progress.txt"
for second in $(seq 0 300); do
  frame=$(tmux capture-pane -p -t "$session")
  printf -- '--- %3d s\n%s\n' "$second" "$frame" >>"$out/30-cli-progress.txt"
  grep -qE '^job .* (succeeded|failed|cancelled): ' <<<"$frame" && break
  sleep 1
done
printf '%s\n' "$frame" >"$logs/last-frame.txt"
/usr/bin/python3 - "$logs/last-frame.txt" "$out/30-cli-progress.png" <<'PY'
import sys
from PIL import Image, ImageDraw, ImageFont
lines = open(sys.argv[1], encoding='utf-8').read().rstrip('\n').split('\n')
font = ImageFont.truetype('/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf', 15)
w, h = font.getbbox('M')[2], 20
image = Image.new('RGB', (max(len(l) for l in lines) * w + 32, len(lines) * h + 32), (24, 26, 33))
draw = ImageDraw.Draw(image)
for i, line in enumerate(lines):
    colour = (130, 200, 255) if line.startswith('$') else (230, 230, 230)
    draw.text((16, 16 + i * h), line, font=font, fill=colour)
image.save(sys.argv[2])
PY
echo "recorded $out/30-cli-progress.txt and .png"
