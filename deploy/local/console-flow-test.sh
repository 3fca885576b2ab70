#!/usr/bin/env bash
# The console's whole flow in a real browser against the packaged platform (deploy/e2e): a fresh database from the
# template, api + worker + console jars, the first admin with the password MONTAGE_ADMIN_PASSWORD sets (a random
# one when unset). The flow signs in, creates a tenant and keys, registers the demo bundle (a real worker
# validates it), follows a bulk job submitted through the api, searches the playground, revokes a key, suspends the
# tenant (the api refuses both at once), reads the audit log and signs out. Prints one line per step and every
# failure; exits non-zero on any. Screenshots: deploy/e2e/target/screenshots. Needs the jars and the browser:
# ./mvnw -B -DskipTests package, deploy/local/setup-browser.sh.
#
#   deploy/local/console-flow-test.sh     (~1-2 min on 2 cores)
#   MONTAGE_KEEP_LOGS=1 …                 keep the api, worker and console logs
set -euo pipefail
. "$(dirname "$0")/lib.sh"
montage_use_jdk

e2e=$MONTAGE_ROOT/deploy/e2e
for built in "$MONTAGE_API_JAR" "$MONTAGE_WORKER_JAR" "$MONTAGE_CONSOLE_JAR" "$e2e/target/classpath.txt"; do
  [ -f "$built" ] || { echo "flow: no $built: build first (./mvnw -B -DskipTests package)" >&2; exit 1; }
done

montage_test_platform flow
trap montage_test_platform_cleanup EXIT
fail() { echo "flow: FAILED: $*" >&2; tail -n 40 "$logs"/*.log >&2; exit 1; }

started=$SECONDS
export MONTAGE_CONSOLE_PORT=$((port + 1))
# the jobs view and the models' validation are followed by server push: every half second, not every 5 s
export MONTAGE_CONSOLE_REFRESH_INTERVAL=500ms
export MONTAGE_ADMIN_PASSWORD=${MONTAGE_ADMIN_PASSWORD:-flow-$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')}
admin=flow-admin
# the platform starts while the admin command creates the first admin (each takes seconds on 2 cores)
montage_first_admin "$admin" >"$logs/admin.txt" & admin_pid=$!
montage_start "$logs"
montage_start_console "$logs"
wait "$admin_pid" || fail "admin create-admin-user / set-admin-password"
montage_await_ready "$api" 120 || fail "api not ready"
montage_await_console "http://127.0.0.1:$MONTAGE_CONSOLE_PORT/" 120 || fail "the console did not start"
echo "flow: platform up on $api and console on :$MONTAGE_CONSOLE_PORT after $((SECONDS - started)) s; running the flow…" >&2

set +e
(cd "$e2e" && MONTAGE_FLOW_CONSOLE_URL="http://127.0.0.1:$MONTAGE_CONSOLE_PORT/" MONTAGE_FLOW_API_URL=$api \
  MONTAGE_FLOW_ADMIN=$admin MONTAGE_DEMO_BUNDLE=$MONTAGE_DEMO_BUNDLE \
  java -Xmx512m -cp "target/test-classes:$(cat target/classpath.txt)" io.montage.e2e.FlowMain)
result=$?
set -e
for process in api:${MONTAGE_API_PID} worker:${MONTAGE_WORKER_PID} console:${MONTAGE_CONSOLE_PID}; do
  kill -0 "${process#*:}" 2>/dev/null || { echo "flow: the ${process%%:*} process died during the run" >&2; result=1; }
done
[ $result = 0 ] || tail -n 30 "$logs"/*.log >&2
echo "flow: finished after $((SECONDS - started)) s" >&2
exit $result
