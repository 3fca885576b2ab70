#!/usr/bin/env bash
# Checks the units of deploy/systemd: `test.sh verify` runs systemd-analyze verify on them (any remark fails);
# `test.sh` (or `test.sh start`) also starts them under a real systemd and checks the platform they start.
#
# PID 1 here is not systemd, and a system manager runs only as PID 1. A user manager (systemd --user, run as root)
# does run, once /run/systemd/system exists (its "booted with systemd" test): this script makes that directory, a
# montage user, /opt/montage (the JDK and the jars) and nothing else, in a private mount namespace of its own
# (unshare), so the machine outside sees none of it. The units are copied unchanged; one test drop-in points
# EnvironmentFile at a copy of montage.env with this test's database and ports, and puts the model store and the
# DJL cache where a user manager's StateDirectory= and CacheDirectory= are (under $XDG_STATE_HOME, or
# $XDG_CONFIG_HOME before systemd 254, and $XDG_CACHE_HOME; not /var/lib and /var/cache as under the system
# manager). User=, ExecStart= and the hardening
# are the shipped ones. Ports: 19500-19510 (MONTAGE_SYSTEMD_TEST_PORT moves them).
set -euo pipefail
. "$(dirname "$0")/../local/lib.sh"
montage_use_jdk
mode=${1:-start}
units=(montage-migrate.service montage-api.service montage-worker@8090.service montage-console.service)

if [ "${MONTAGE_SYSTEMD_NAMESPACE:-}" != 1 ]; then
  exec env MONTAGE_SYSTEMD_NAMESPACE=1 unshare --mount --propagation private "$0" "$@"
fi
fail() { echo "systemd: FAILED: $*" >&2; exit 1; }

# /opt/montage as the README installs it, in this namespace only
mount -t tmpfs montage-opt /opt
mkdir -p /opt/montage/jre/bin
ln -s "$JAVA_HOME/bin/java" /opt/montage/jre/bin/java
for jar in "$MONTAGE_API_JAR" "$MONTAGE_WORKER_JAR" "$MONTAGE_CONSOLE_JAR"; do
  name=$(basename "$jar" -0.1.0-SNAPSHOT.jar)
  # copied, not linked: the units' PrivateTmp hides a checkout under /tmp (as CI's clean clone is)
  if [ -f "$jar" ]; then cp "$jar" "/opt/montage/$name.jar"; else touch "/opt/montage/$name.jar"; fi
done

remarks=$(cd "$MONTAGE_ROOT/deploy/systemd" && systemd-analyze verify "${units[@]}" 2>&1) || fail "systemd-analyze verify: $remarks"
[ -z "$remarks" ] || fail "systemd-analyze verify has remarks: $remarks"
echo "systemd: systemd-analyze verify: no remarks on ${units[*]}"
[ "$mode" = verify ] && exit 0
for jar in "$MONTAGE_API_JAR" "$MONTAGE_WORKER_JAR" "$MONTAGE_CONSOLE_JAR"; do
  [ -f "$jar" ] || fail "$jar is missing: ./mvnw -B -DskipTests package first"
done

work=$(mktemp -d "$MONTAGE_ROOT/deploy/systemd/.test-XXXXXX") # not under /tmp: the units have a private /tmp
chmod 755 "$work"
db=montage_systemd_$$
base=${MONTAGE_SYSTEMD_TEST_PORT:-19500}
export XDG_RUNTIME_DIR=$work/runtime XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state XDG_CACHE_HOME=$work/cache
mkdir -p "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME/systemd/user" "$XDG_STATE_HOME" "$XDG_CACHE_HOME"
# where a user manager puts StateDirectory=: $XDG_STATE_HOME from systemd 254 on, $XDG_CONFIG_HOME before
state=$XDG_STATE_HOME
[ "$(systemctl --version | awk 'NR == 1 {print $2}')" -ge 254 ] || state=$XDG_CONFIG_HOME
chmod 700 "$XDG_RUNTIME_DIR"
manager=""
cleanup() {
  if [ -n "$manager" ]; then
    systemctl --user stop "${units[@]}" 2>/dev/null || true
    kill "$manager" 2>/dev/null || true
    wait "$manager" 2>/dev/null || true
  fi
  psql_owner -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
  if [ "${MONTAGE_KEEP_LOGS:-0}" = 1 ]; then echo "logs kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
psql_owner -d postgres -c "CREATE DATABASE $db TEMPLATE montage_template"

# the montage user the sysusers file creates, in this namespace's copies of passwd and group
uid=$(awk -F: '$1 == "montage" {print $3}' /etc/passwd)
if [ -z "$uid" ]; then
  cp /etc/passwd "$work/passwd"; cp /etc/group "$work/group"
  echo "montage:x:19599:19599:Montage model serving:/var/lib/montage:/usr/sbin/nologin" >>"$work/passwd"
  echo "montage:x:19599:" >>"$work/group"
  mount --bind "$work/passwd" /etc/passwd
  mount --bind "$work/group" /etc/group
fi
mount -t tmpfs montage-run /run/systemd
mkdir -p /run/systemd/system
# the nodes a system manager makes at boot, which ProtectHome=, ProtectKernelTunables= and ProtectKernelLogs= mount
# over what they hide
mkdir /run/systemd/inaccessible
(cd /run/systemd/inaccessible && mkdir dir && touch reg && mkfifo fifo && mknod chr c 0 0 && mknod blk b 0 0 &&
  /usr/bin/python3 -c 'import socket; socket.socket(socket.AF_UNIX).bind("sock")' && chmod 0000 dir reg fifo chr blk sock)

units_dir=$XDG_CONFIG_HOME/systemd/user
cp "$MONTAGE_ROOT"/deploy/systemd/*.service "$units_dir/"
cp -r "$MONTAGE_ROOT/deploy/systemd/montage-.service.d" "$units_dir/"
sed -e "s#^MONTAGE_DATABASE_URL=.*#MONTAGE_DATABASE_URL=jdbc:postgresql://${MONTAGE_DB_HOST:-127.0.0.1}:${MONTAGE_DB_PORT:-5432}/$db#" \
    -e "s#^MONTAGE_DATABASE_PASSWORD=.*#MONTAGE_DATABASE_PASSWORD=${MONTAGE_DB_PASSWORD:-montage}#" \
    -e "s#^MONTAGE_DATABASE_OWNER_PASSWORD=.*#MONTAGE_DATABASE_OWNER_PASSWORD=${MONTAGE_DB_PASSWORD:-montage}#" \
    -e "s#^MONTAGE_MODELS_STORE=.*#MONTAGE_MODELS_STORE=$state/montage/models#" \
    "$MONTAGE_ROOT/deploy/systemd/montage.env" >"$work/montage.env"
cat >>"$work/montage.env" <<ENV
MONTAGE_API_PORT=$base
MONTAGE_API_MANAGEMENT_PORT=$((base + 1))
MONTAGE_CONSOLE_PORT=$((base + 2))
MONTAGE_CONSOLE_METRICS_PORT=$((base + 3))
DJL_CACHE_DIR=$XDG_CACHE_HOME/montage/djl
ENV
cat >"$units_dir/montage-.service.d/90-test.conf" <<CONF
[Service]
EnvironmentFile=
EnvironmentFile=$work/montage.env
CONF
# the worker's instance is its metrics port
units[2]=montage-worker@$((base + 10)).service

/lib/systemd/systemd --user >"$work/manager.log" 2>&1 &
manager=$!
for _ in $(seq 1 50); do systemctl --user is-system-running >/dev/null 2>&1 && break; sleep 0.2; done
systemctl --user is-system-running >/dev/null 2>&1 || fail "the user manager did not start: $(cat "$work/manager.log")"

logs() { journalctl --user -u "$1" --no-pager 2>/dev/null | tail -n 30 || true; systemctl --user status "$1" --no-pager -l 2>&1 | tail -n 30; }
systemctl --user start "${units[1]}" "${units[2]}" "${units[3]}" || fail "start: $(logs montage-migrate.service)"
[ "$(systemctl --user show -p ActiveState --value montage-migrate.service)" = active ] || fail "migrations: $(logs montage-migrate.service)"
echo "systemd: montage-migrate.service ran admin migrate (Requires= pulled it in before the others)"

await() { # url seconds unit
  local deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || fail "$1 did not answer in $2 s: $(logs "$3")"
    sleep 0.5
  done
}
api=http://127.0.0.1:$base
await "$api/health" 120 "${units[1]}"
await "$api/ready" 30 "${units[1]}"
await "http://127.0.0.1:$((base + 2))/login" 120 "${units[3]}"
await "http://127.0.0.1:$((base + 10))/-/healthy" 120 "${units[2]}"
echo "systemd: api /health and /ready, console /login, worker /-/healthy answer"

for unit in "${units[1]}" "${units[2]}" "${units[3]}"; do
  pid=$(systemctl --user show -p MainPID --value "$unit")
  [ "$(stat -c %U "/proc/$pid")" = montage ] || fail "$unit runs as $(stat -c %U "/proc/$pid"), not montage"
  grep -q '^NoNewPrivs:[[:space:]]*1' "/proc/$pid/status" || fail "$unit may gain privileges"
  grep -q '^CapEff:[[:space:]]*0000000000000000' "/proc/$pid/status" || fail "$unit holds capabilities"
  findmnt --task "$pid" -n -o OPTIONS --target /usr | grep -qE '(^|,)ro(,|$)' ||
    fail "$unit sees /usr writable (ProtectSystem=strict)"
  findmnt --task "$pid" -n -o OPTIONS --target "$state/montage" | grep -qE '(^|,)rw(,|$)' ||
    fail "$unit cannot write its state directory: $(findmnt --task "$pid" -n -o TARGET,OPTIONS --target "$state/montage")"
done
echo "systemd: each runs as montage, without capabilities or new privileges, on a read-only /usr"

for _ in $(seq 1 60); do
  workers=$(psql_owner -d "$db" -c "SET ROLE montage_system; SELECT status FROM workers")
  [ "$workers" = running ] && break
  sleep 0.5
done
[ "$workers" = running ] || fail "the worker registered no row (workers: '$workers'): $(logs "${units[2]}")"
# the device line needs libtorch, which DJL unpacked into the cache directory under the unit's hardening
device=$(psql_owner -d "$db" -c "SET ROLE montage_system; SELECT device FROM workers")
[[ $device == cpu\(*PyTorch* ]] || fail "the worker's device is '$device', not libtorch on the CPU: $(logs "${units[2]}")"
[ -n "$(find "$XDG_CACHE_HOME/montage/djl" -name 'libtorch*.so*' -print -quit)" ] || fail "no libtorch in the DJL cache"
echo "systemd: the worker runs libtorch ($device), unpacked into its CacheDirectory"

systemctl --user stop "${units[2]}"
workers=$(psql_owner -d "$db" -c "SET ROLE montage_system; SELECT status FROM workers")
[ "$workers" = stopped ] || fail "after systemctl stop the worker row says '$workers', expected stopped"
[ "$(systemctl --user show -p Result --value "${units[2]}")" = success ] || fail "the worker's stop was not clean"
echo "systemd: systemctl stop drains the worker (its row: stopped, exit 143 counted a success)"
echo "systemd: units started and checked under systemd $(systemctl --version | awk 'NR == 1 {print $2}')"
