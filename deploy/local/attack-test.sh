#!/usr/bin/env bash
# The attack and cross-tenant suites (deploy/attack, see its README) against the packaged platform, started the way
# smoke-test.sh starts it: a fresh database from the template, api + worker jars, the demo model (and the fused
# demo, for /v1/predict) registered and served. Tenants and keys come from the admin command: tenant attack-a with every scope and one key per scope, a
# revoked and an expired key of attack-a, tenant attack-b (the other tenant of the cross-tenant suite), a suspended
# tenant, attack-cost (the costly requests, so their quota use never starves the rest), and an evaluation run of
# attack-b's on a one-image dataset of its own (the cross-tenant suite's GET /v1/evaluations/{id}). Prints one summary
# line per suite and every failure; exits non-zero on any. Needs the jars: ./mvnw -B -DskipTests package.
#
#   deploy/local/attack-test.sh                      both suites (~3-4 min on 2 cores)
#   ATTACK_SUITE=cross-tenant deploy/local/attack-test.sh    one suite (attack | cross-tenant)
#   MONTAGE_KEEP_LOGS=1 …                            keep the api and worker logs
#   ATTACK_VERBOSE=1 …                               list every request, passed or not
set -euo pipefail
. "$(dirname "$0")/lib.sh"
montage_use_jdk

classpath_file=$MONTAGE_ROOT/deploy/attack/target/classpath.txt
for built in "$MONTAGE_API_JAR" "$MONTAGE_WORKER_JAR" "$classpath_file"; do
  [ -f "$built" ] || { echo "attack: no $built: build first (./mvnw -B -DskipTests package)" >&2; exit 1; }
done

montage_test_platform attack
trap montage_test_platform_cleanup EXIT
fail() { echo "attack: FAILED: $*" >&2; tail -n 40 "$logs"/*.log >&2; exit 1; }

# Runs "name admin-arguments…" lines all at once (an admin command takes seconds to start), the stdout of each into
# $logs/admin.<name>; fails if one fails.
admin_at_once() {
  local name args i pids=() names=()
  while read -r name args; do
    # shellcheck disable=SC2086 # the arguments are words
    montage_admin $args >"$logs/admin.$name" &
    pids+=($!) names+=("$name")
  done
  for i in "${!pids[@]}"; do wait "${pids[$i]}" || fail "admin ${names[$i]}"; done
}

started=$SECONDS
# the tenants first (this also migrates the new database), then the rest of tenant attack-a's keys
admin_at_once <<'KEYS'
all create-key --tenant attack-a --create-tenant --name every-scope
tenant-b create-key --tenant attack-b --create-tenant --name the-other-tenant
suspended create-key --tenant attack-suspended --create-tenant --name suspended
cost create-key --tenant attack-cost --create-tenant --name costly-requests
KEYS
montage_start "$logs"
admin_at_once <<'KEYS'
jobs-read create-key --tenant attack-a --name only-jobs-read --scope jobs:read
jobs-write create-key --tenant attack-a --name only-jobs-write --scope jobs:write
inference create-key --tenant attack-a --name only-inference --scope inference
collections-read create-key --tenant attack-a --name only-collections-read --scope collections:read
collections-write create-key --tenant attack-a --name only-collections-write --scope collections:write
evaluations-read create-key --tenant attack-a --name only-evaluations-read --scope evaluations:read
revoked create-key --tenant attack-a --name revoked
expired create-key --tenant attack-a --name expired
KEYS
keys=$logs/keys.properties
for name in all jobs-read jobs-write inference collections-read collections-write evaluations-read revoked expired tenant-b suspended cost; do
  echo "key.$name=$(cat "$logs/admin.$name")"
done >"$keys"
# the revoked key by the key itself (as a leaked one would be), the suspended tenant by its slug
admin_at_once <<KEYS
revoke revoke-key $(cat "$logs/admin.revoked")
suspend suspend-tenant --tenant attack-suspended
KEYS
# no admin command expires a key: the operator's SQL, before any request uses it
montage_system_sql "$db" "UPDATE api_keys SET expires_at = now() - interval '1 day' WHERE name = 'expired'" >/dev/null

montage_await_ready "$api" 120 || fail "api not ready"
montage_demo_model attack-a attack-b attack-cost || fail "the demo model did not become ready"
montage_await_model "$api" "$(cat "$logs/admin.all")" 90 || fail "no worker serves the demo model"
# tenant B's dataset for an evaluation run the cross-tenant suite probes with A's key: a one-pixel GIF of one class
b_zip=$logs/b-eval-secret.zip
python3 - "$b_zip" <<'ZIP'
import base64, sys, zipfile
gif = base64.b64decode("R0lGODlhAQABAAAAACwAAAAAAQABAAACAkQBADs=")
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("dot/1.gif", gif)
ZIP
# and its evaluation run (GET /v1/evaluations/{id} with A's key must answer as for an id that never existed); one
# admin command after the other: each holds a pool of database connections
montage_admin import-dataset --tenant attack-b --name b-eval-secret --zip "$b_zip" >/dev/null ||
  fail "admin import-dataset"
demo_model=$(montage_system_sql "$db" "SELECT name || '@' || version FROM models WHERE status = 'ready' AND kind = 'clip' LIMIT 1")
montage_admin evaluate --tenant attack-b --dataset b-eval-secret --model "$demo_model" --task zero-shot \
  --templates 'b-eval-secret {}' >"$logs/admin.b-evaluation" || fail "admin evaluate"
echo "evaluation.tenant-b=$(cat "$logs/admin.b-evaluation")" >>"$keys"
# after the evaluation above, which takes the one ready model: the fused demo, for the predict probes
# (validated by the worker, so it serves it from then on)
montage_admin register-model --source "$MONTAGE_ROOT/deploy/models/tuxpaint-fused-mini" --wait 120 >/dev/null ||
  fail "the fused demo model did not become ready"
echo "attack: platform up on $api after $((SECONDS - started)) s; running the suites…" >&2

set +e
java -Xmx1g -Djava.awt.headless=true -cp "$MONTAGE_ROOT/deploy/attack/target/classes:$(cat "$classpath_file")" \
  io.montage.attack.AttackMain --url "$api" --keys "$keys" --suite "${ATTACK_SUITE:-all}" ${ATTACK_VERBOSE:+--verbose}
result=$?
set -e
for process in api:${MONTAGE_API_PID} worker:${MONTAGE_WORKER_PID}; do
  kill -0 "${process#*:}" 2>/dev/null || { echo "attack: the ${process%%:*} process died during the run" >&2; result=1; }
done
if grep -l OutOfMemoryError "$logs"/*.log >/dev/null 2>&1; then
  echo "attack: OutOfMemoryError in $(grep -l OutOfMemoryError "$logs"/*.log | xargs -n1 basename | tr '\n' ' ')" >&2
  result=1
fi
echo "attack: finished after $((SECONDS - started)) s" >&2
exit $result
