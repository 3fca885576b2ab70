#!/usr/bin/env bash
# End-to-end check of the packaged platform, the way run.sh starts it: fresh database from the template, api +
# worker jars, a key from the admin command, an echo job through the queue, the demo model registered and served
# (embeddings, zero-shot classification), the fused demo's held-out accuracy through /v1/predict, the console with
# its first admin, then a graceful stop. First, that Java 17 (where installed) is told which Java each jar needs.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
montage_use_jdk

montage_test_platform smoke
trap montage_test_platform_cleanup EXIT
fail() { echo "smoke: FAILED: $*" >&2; tail -n 40 "$logs"/*.log >&2; montage_stop; exit 1; }

# a Java older than a jar's is told which one it needs (the jars' Java 8 launcher), not UnsupportedClassVersionError
old_java=/usr/lib/jvm/java-17-openjdk-amd64/bin/java
if [ -x "$old_java" ]; then
  for jar in "$MONTAGE_API_JAR" "$MONTAGE_WORKER_JAR" "$MONTAGE_CONSOLE_JAR"; do
    said=$("$old_java" -jar "$jar" admin --help 2>&1) && status=0 || status=$?
    [ "$status" = 3 ] && [[ $said == "Montage needs Java "[0-9]*" or newer; found 17 ("* ]] ||
      fail "Java 17 ran $jar: exit $status, $said"
  done
fi

key=$(montage_demo_key smoke "smoke test")
[[ $key == mtg_live_* ]] || fail "admin create-key printed no key"
montage_start "$logs"
montage_await_ready "$api" 90 || fail "api not ready"

job=$(curl -fsS -X POST "$api/v1/jobs" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  -d '{"type":"echo","items":[{"custom_id":"a","input":{"x":1}},{"custom_id":"b","input":{"fail":"on purpose"}}]}')
id=$(sed -E 's/.*"id":"([^"]+)".*/\1/' <<<"$job")
status=""
for _ in $(seq 1 60); do
  status=$(curl -fsS "$api/v1/jobs/$id" -H "Authorization: Bearer $key" | sed -E 's/.*"status":"([a-z]+)".*/\1/')
  [ "$status" = succeeded ] && break
  sleep 0.5
done
[ "$status" = succeeded ] || fail "job $id ended '$status', expected succeeded"
items=$(curl -fsS "$api/v1/jobs/$id/items" -H "Authorization: Bearer $key")
grep -q '"echo":{"x":1}' <<<"$items" || fail "item a has no echo result: $items"
grep -q '"code":"echo_failed"' <<<"$items" || fail "item b did not fail with echo_failed: $items"
code=$(curl -s -o /dev/null -w '%{http_code}' "$api/v1/jobs" -H "Authorization: Bearer ${key}x")
[ "$code" = 401 ] || fail "a corrupted key got $code, expected 401"

montage_demo_model smoke || fail "the demo model did not become ready"
montage_await_model "$api" "$key" 90 || fail "no worker serves the demo model"
post() { curl -fsS -X POST "$api/v1/$1" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d @-; }
images=$MONTAGE_DEMO_BUNDLE/reference/images
embedded=$(printf '{"input":["ankle boot",{"image":"data:image/jpeg;base64,%s"}]}' "$(base64 -w0 "$images/tuxpaint_dog_q90.jpg")" | post embeddings)
[ "$(grep -o '"object":"embedding"' <<<"$embedded" | wc -l)" = 2 ] || fail "embeddings of a text and a photo: $embedded"
for pair in "fmnist_test00000_label9_ankle-boot.png:ankle boot" "fmnist_test00002_label1_trouser.png:trouser" \
            "fmnist_test00018_label8_bag.png:bag"; do
  answer=$(printf '{"images":["%s"],"labels":["t-shirt/top","trouser","pullover","dress","coat","sandal","shirt","sneaker","bag","ankle boot"]}' \
    "$(base64 -w0 "$images/${pair%%:*}")" | post classify)
  grep -q "\"labels\":\[{\"label\":\"${pair#*:}\"" <<<"$answer" || fail "classify ${pair%%:*}: $answer"
done

# A camera-size photo near the image limit embeds synchronously as a binary form part (no base64). There is no
# camera photo corpus here: LargePhoto upscales a real photo with camera-like noise until it is over 12 MiB.
photo=$logs/large-photo.jpg
java -cp "$MONTAGE_ROOT/deploy/bench/target/classes:$(cat "$MONTAGE_ROOT/deploy/bench/target/classpath.txt")" \
  io.montage.bench.inputs.LargePhoto "$images/tuxpaint_dog_q90.jpg" "$photo" 12582912 >"$logs/large-photo.txt" ||
  fail "could not make the large photo"
embedded=$(curl -fsS -X POST "$api/v1/embeddings" -H "Authorization: Bearer $key" -F "input=@$photo" -F 'input=a dog') ||
  fail "a $(stat -c %s "$photo")-byte photo as a form part: $(cat "$logs/large-photo.txt")"
[ "$(grep -o '"object":"embedding"' <<<"$embedded" | wc -l)" = 2 ] || fail "form embeddings of a photo and a text: ${embedded:0:300}"

b64() { base64 -w0 "$images/$1"; }
printf '{"name":"catalog"}' | post collections >/dev/null || fail "create a collection"
printf '{"items":[{"id":"boot","image":"%s","metadata":{"kind":"shoe"}},{"id":"bag","image":"%s","metadata":{"kind":"bag"}},{"id":"trousers","image":"%s"}]}' \
  "$(b64 fmnist_test00000_label9_ankle-boot.png)" "$(b64 fmnist_test00018_label8_bag.png)" "$(b64 fmnist_test00002_label1_trouser.png)" |
  post collections/catalog/items >/dev/null || fail "add images to the collection"
found=$(printf '{"query":{"text":"ankle boot"},"top_k":3}' | post collections/catalog/search)
grep -q '"data":\[{"id":"boot"' <<<"$found" || fail "text search for an ankle boot: $found"
found=$(printf '{"query":{"text":"ankle boot"},"filter":{"kind":"bag"}}' | post collections/catalog/search)
grep -q '"data":\[{"id":"bag"' <<<"$found" || fail "filtered search: $found"

# The fused demo answers its whole held-out split through /v1/predict (JSON, then a form) as its trainer did.
montage_admin register-model --source "$MONTAGE_ROOT/deploy/models/tuxpaint-fused-mini" --wait 120 >/dev/null ||
  fail "the fused demo model did not become ready"
predicted=""
for _ in $(seq 1 60); do # validated: the worker loads it on the registry's notification
  predicted=$(/usr/bin/python3 "$MONTAGE_ROOT/deploy/models/check_predict_api.py" "$api" "$key" 2>&1) && break
  grep -q no_worker_for_model <<<"$predicted" || fail "$predicted"
  sleep 0.5
done
grep -q '^predict: .* right through /v1/predict' <<<"$predicted" || fail "$predicted"
echo "$predicted"

bulk=$(printf '{"custom_id":"t1","text":"sneaker"}\nnot json\n{"custom_id":"i1","image":"%s"}\n' "$(b64 fmnist_test00009_label7_sneaker.png)" |
  curl -fsS -X POST "$api/v1/jobs?type=embed" -H "Authorization: Bearer $key" -H 'Content-Type: application/x-ndjson' --data-binary @-)
bulk_id=$(sed -E 's/.*"id":"([^"]+)".*/\1/' <<<"$bulk")
for _ in $(seq 1 60); do
  curl -fsS "$api/v1/jobs/$bulk_id" -H "Authorization: Bearer $key" | grep -q '"status":"succeeded"' && break
  sleep 0.5
done
[ "$(curl -fsS "$api/v1/jobs/$bulk_id/results" -H "Authorization: Bearer $key" | grep -c '"embedding"')" = 2 ] ||
  fail "bulk results of job $bulk_id"
curl -fsS "$api/v1/jobs/$bulk_id/errors" -H "Authorization: Bearer $key" | grep -q '"code":"invalid_json"' ||
  fail "bulk errors of job $bulk_id"

# The packaged console: the first admin from the admin command, the sign-in page served, on this machine only.
export MONTAGE_CONSOLE_PORT=$((port + 1))
montage_first_admin smoke-admin | grep -q '^password .*shown once' || fail "no generated password for the first admin"
montage_start_console "$logs"
montage_await_console "http://127.0.0.1:$MONTAGE_CONSOLE_PORT/" 60 || fail "the console did not start"
curl -fsS -D - -o /dev/null "http://127.0.0.1:$MONTAGE_CONSOLE_PORT/login" | grep -qi 'set-cookie: MONTAGE_CONSOLE=.*HttpOnly; SameSite=Strict' ||
  fail "the console's session cookie is not HttpOnly and SameSite=Strict"

montage_stop
workers=$(psql_owner -d "$db" -c "SELECT status FROM workers")
[ "$workers" = stopped ] || fail "worker row says '$workers' after SIGTERM, expected stopped"
echo "smoke test passed: echo job $id through api + worker with a per-item error, bad key refused, demo model"
echo "registered, validated and served (embeddings of a text and a photo, a >12 MiB photo as a form part, zero-shot"
echo "classify), the fused demo's held-out accuracy through /v1/predict (JSON and a form), a collection searched by"
echo "text with and without a filter, a bulk JSONL job with a bad line, the console's"
echo "sign-in page with its first admin, graceful stop"
