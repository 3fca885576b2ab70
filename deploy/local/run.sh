#!/usr/bin/env bash
# Brings the whole platform up on this machine: PostgreSQL + pgvector (set up if missing), build, migrations,
# api + worker, then prints the URLs and a demo key. Ctrl-C stops everything cleanly.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$MONTAGE_ROOT/deploy/local/setup-db.sh"
montage_use_jdk
echo "build: packaging api and worker with $(java -version 2>&1 | head -1)"
montage_build_jars

port=${MONTAGE_API_PORT:-8080}
api=http://127.0.0.1:$port
logs=$MONTAGE_ROOT/run/logs
key=$(montage_demo_key demo "demo key (run.sh)")

trap 'echo; echo "stopping…"; montage_stop; echo "stopped"; exit 0' INT TERM
MONTAGE_API_PORT=$port montage_start "$logs"
montage_await_ready "$api" 90 || { tail -n 30 "$logs/api.log" >&2; montage_stop; exit 1; }

cat <<MSG

Montage is up.
  API        $api            (OpenAPI: $api/openapi/montage-api-v1.yml)
  health     $api/health  ·  $api/ready
  logs       $logs/{api,worker}.log
  demo key   $key            (tenant 'demo'; shown once)

Try it:
  curl -s -X POST $api/v1/jobs -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \\
       -d '{"type":"echo","items":[{"custom_id":"a","input":{"hello":"world"}}]}'
  curl -s $api/v1/jobs -H "Authorization: Bearer $key"

Ctrl-C stops the platform.
MSG
wait "$MONTAGE_API_PID" "$MONTAGE_WORKER_PID"
