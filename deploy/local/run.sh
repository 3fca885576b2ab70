#!/usr/bin/env bash
# Brings the whole platform up on this machine: PostgreSQL + pgvector (set up if missing), build, migrations,
# api + worker + admin console, then prints the URLs, a demo key and the console's first admin login. Ctrl-C stops
# everything cleanly. MONTAGE_ADMIN_USER (default admin) and MONTAGE_ADMIN_PASSWORD choose that login.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$MONTAGE_ROOT/deploy/local/setup-db.sh"
"$MONTAGE_ROOT/deploy/local/setup-jpeg.sh"
montage_use_jdk
echo "build: packaging api, worker and console with $(java -version 2>&1 | head -1)"
montage_build_jars

port=${MONTAGE_API_PORT:-8080}
api=http://127.0.0.1:$port
logs=$MONTAGE_ROOT/run/logs
console=http://127.0.0.1:${MONTAGE_CONSOLE_PORT:-8081}/
key=$(montage_demo_key demo "demo key (run.sh)")
admin_user=${MONTAGE_ADMIN_USER:-admin}
admin_login=$(montage_first_admin "$admin_user")

trap 'echo; echo "stopping…"; montage_stop; echo "stopped"; exit 0' INT TERM
MONTAGE_API_PORT=$port montage_start "$logs"
montage_start_console "$logs"
montage_await_ready "$api" 90 || { tail -n 30 "$logs/api.log" >&2; montage_stop; exit 1; }
montage_await_console "$console" 90 || { tail -n 30 "$logs/console.log" >&2; montage_stop; exit 1; }
echo "model: registering the demo model (a worker validates it)…"
montage_demo_model demo && montage_await_model "$api" "$key" 90 ||
  { tail -n 30 "$logs/worker.log" >&2; montage_stop; exit 1; }
photo=$MONTAGE_DEMO_BUNDLE/reference/images/fmnist_test00000_label9_ankle-boot.png

cat <<MSG

Montage is up.
  API        $api            (OpenAPI: $api/openapi/montage-api-v1.yml)
  health     $api/health  ·  $api/ready
  logs       $logs/{api,worker,console}.log
  demo key   $key            (tenant 'demo'; shown once)

  console    $console        (admin console; this machine only)
  login      $admin_user, $admin_login

  model      fashion-clip-mini (trained on Fashion-MNIST; the demo tenant's default)

Try it:
  curl -s $api/v1/models -H "Authorization: Bearer $key"
  curl -s -X POST $api/v1/embeddings -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \\
       -d '{"input":"ankle boot"}'
  curl -s -X POST $api/v1/classify -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \\
       -d "{\"images\":[\"data:image/png;base64,\$(base64 -w0 $photo)\"],\"labels\":[\"ankle boot\",\"sneaker\",\"bag\",\"dress\"]}"
  curl -s -X POST $api/v1/jobs -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \\
       -d '{"type":"echo","items":[{"custom_id":"a","input":{"hello":"world"}}]}'

Ctrl-C stops the platform.
MSG
wait "$MONTAGE_API_PID" "$MONTAGE_WORKER_PID" "$MONTAGE_CONSOLE_PID"
