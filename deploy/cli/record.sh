#!/usr/bin/env bash
# Records the CLI's progress bar for docs/cli.md: docs/screenshots/30-cli-progress.txt (each changed frame of a
# 120x12 tmux pane, looked at every 0.1 s while `montage jobs submit` classifies a folder of 1,000 Fashion-MNIST
# PNGs, one of them broken) and docs/screenshots/30-cli-progress.png (a frame from the middle of the run, drawn with
# DejaVu Sans Mono). Starts a throwaway packaged platform (deploy/local/lib.sh) and stops it. Needs the jars (./mvnw -B package -DskipTests), tmux, python3-pil.
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

cat >"$logs/demo.sh" <<DEMO
export MONTAGE_API_URL=$api MONTAGE_API_KEY=$key
cd "$logs"
labels='t-shirt,trouser,pullover,dress,coat,sandal,shirt,sneaker,bag,ankle boot'
echo "\\$ labels='\$labels'"
echo '\$ montage jobs submit --type classify --labels "\$labels" ./photos'
"$MONTAGE_ROOT/deploy/cli/montage" jobs submit --type classify --labels "\$labels" ./photos
sleep 600
DEMO
tmux new-session -d -s "$session" -x 120 -y 12 "bash $logs/demo.sh"
: >"$out/30-cli-progress.txt"
previous="" start=$EPOCHREALTIME
for _ in $(seq 0 3000); do   # a frame every 0.1 s, kept when it changed
  frame=$(tmux capture-pane -p -t "$session")
  if [ "$frame" != "$previous" ]; then
    printf -- '--- %5.1f s\n%s\n' "$(bc <<<"$EPOCHREALTIME - $start")" "$frame" >>"$out/30-cli-progress.txt"
    previous=$frame
  fi
  grep -qE '^job .* (succeeded|failed|cancelled): ' <<<"$frame" && break
  sleep 0.1
done
# the picture: the first frame with the bar between half-way and done (the last frame if none was caught)
/usr/bin/python3 - "$out/30-cli-progress.txt" "$out/30-cli-progress.png" <<'PY'
import re, sys
from PIL import Image, ImageDraw, ImageFont
frames = [f.split('\n', 1)[1].rstrip('\n') for f in re.split(r'^(?=--- )', open(sys.argv[1], encoding='utf-8').read(),
                                                        flags=re.M) if f.startswith('--- ')]
moving = [f for f in frames if any(50 <= int(p) < 100 for p in re.findall(r' (\d+)% ', f))]
lines = (moving or frames)[0 if moving else -1].split('\n')
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
