# Shared by the network experiments (partition.sh, scale-out.sh): sourced after lib.sh, never run. They need root
# and nftables: each simulated machine is a network namespace, linked by a veth pair to a bridge, where a PRIVATE
# PostgreSQL cluster listens (initdb in a temp dir, port 19710): the faults on the links and the cluster's CPU time
# are then the experiment's alone, and the machine's shared PostgreSQL is never touched. Loss and cuts: nftables in
# the namespace; latency: delay-relay.py (this kernel has no netem).
#
#   bridge mtg14br 10.147.0.1/24, PostgreSQL on 10.147.0.1:19710 (and 127.0.0.1:19710 for psql), the relay on :19711
#   namespace mtg14wN: veth mtg14nN (10.147.0.(10+N)) <-> mtg14hN on the bridge
# shellcheck shell=bash

NET_PG_BIN=/usr/lib/postgresql/15/bin
NET_PG_PORT=${NET_PG_PORT:-19710}
NET_BRIDGE=mtg14br
NET_HOST_IP=10.147.0.1
NET_METRICS_PORT=19720 # each worker's: in its own namespace they do not collide; a host worker takes 19720 + its number
# Small worker JVMs, so that 8 of them fit 2 cores: a small heap, the serial collector, the quick JIT, and the JVM
# told it has one CPU (one GC and one compiler thread, small common pools).
NET_JAVA_OPTS=${NET_JAVA_OPTS:-"-Xmx256m -Xss512k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:ActiveProcessorCount=1"}
[ "$(id -u)" = 0 ] || { echo "network experiments need root (ip netns, nft)" >&2; exit 1; }
# nftables does the loss and the cuts; a fresh Debian machine lacks it (as setup-db.sh installs PostgreSQL, this
# installs it on the first run)
command -v nft >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=900 install nftables >/dev/null ||
  { echo "network experiments need nftables (apt-get install nftables)" >&2; exit 1; }
NET_NAMESPACES=()

# The bridge the namespaces and PostgreSQL share. Removes what an interrupted run left of this file's names first.
net_bridge_up() {
  net_teardown
  ip link add "$NET_BRIDGE" type bridge
  ip addr add "$NET_HOST_IP/24" dev "$NET_BRIDGE"
  ip link set "$NET_BRIDGE" up
}

# Namespace mtg14w$1, linked to the bridge; NET_NS[$1] is its name and NET_IP[$1] its address.
declare -A NET_NS NET_IP
net_namespace() {
  local ns=mtg14w$1 ip=10.147.0.$((10 + $1))
  ip netns add "$ns"
  ip link add "mtg14h$1" type veth peer name "mtg14n$1"
  ip link set "mtg14n$1" netns "$ns"
  ip link set "mtg14h$1" master "$NET_BRIDGE" up
  ip -n "$ns" addr add "$ip/24" dev "mtg14n$1"
  ip -n "$ns" link set "mtg14n$1" up
  ip -n "$ns" link set lo up
  NET_NS[$1]=$ns NET_IP[$1]=$ip
  NET_NAMESPACES+=("$ns")
}

# Drops $2 % of the packets between namespace $1 and the host, both ways (nftables in the namespace, a table of its
# own): 100 is a full cut; `net_loss N clear` lets everything through again. TCP retransmits what was dropped, so a
# statement sent during a cut reaches the database when the link returns.
net_loss() {
  local ns=${NET_NS[$1]}
  ip netns exec "$ns" nft delete table inet mtg14 2>/dev/null || true
  [ "$2" = clear ] && return 0
  local drop="numgen random mod 100 < $2 drop"
  [ "$2" = 100 ] && drop=drop
  ip netns exec "$ns" nft -f - <<NFT
table inet mtg14 {
  chain out { type filter hook output priority 0; ip daddr $NET_HOST_IP $drop; }
  chain in { type filter hook input priority 0; ip saddr $NET_HOST_IP $drop; }
}
NFT
}

# Latency: this kernel has no netem (sch_netem is not built in), so workers reach PostgreSQL through
# delay-relay.py on the bridge, which forwards what they send $1 ms late (one delay per round trip). Sets
# NET_RELAY_URL, the JDBC URL through it.
net_relay() {
  NET_RELAY_PORT=$((NET_PG_PORT + 1))
  echo "$1" >"$logs/relay.delay"
  python3 "$MONTAGE_ROOT/deploy/chaos/delay-relay.py" "$NET_HOST_IP" "$NET_RELAY_PORT" 127.0.0.1 "$NET_PG_PORT" \
    "$logs/relay.delay" "$logs/relay.stats" 2>"$logs/relay.log" &
  NET_RELAY_PID=$!
  NET_RELAY_URL=jdbc:postgresql://$NET_HOST_IP:$NET_RELAY_PORT/$db
  local deadline=$((SECONDS + 10))
  until (exec 3<>"/dev/tcp/$NET_HOST_IP/$NET_RELAY_PORT") 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { cat "$logs/relay.log" >&2; return 1; }
    sleep 0.1
  done
}

# Sets the relay's delay to $1 ms, for every connection at once.
net_delay() {
  echo "$1" >"$logs/relay.delay"
  kill -HUP "$NET_RELAY_PID"
}

# How late the relay forwarded chunks since the last call, against their due time: "chunks p50 p99 max" (ms).
net_relay_lateness() {
  rm -f "$logs/relay.stats"
  kill -USR1 "$NET_RELAY_PID"
  local deadline=$((SECONDS + 5))
  until [ -s "$logs/relay.stats" ]; do [ $SECONDS -lt $deadline ] || { echo "? ? ? ?"; return; }; sleep 0.1; done
  cat "$logs/relay.stats"
}

# A private PostgreSQL 15 cluster on the bridge (trust for the bridge's subnet: it lives for one experiment), with
# Montage's roles and database $1, and the vector extension; the first worker migrates it. Sets db and exports what
# the workers, chaos_jobs and montage_system_sql read.
net_postgres() {
  NET_PG_DIR=$(mktemp -d /var/tmp/montage-net-pg.XXXXXX)
  chown postgres "$NET_PG_DIR"
  runuser -u postgres -- "$NET_PG_BIN/initdb" -D "$NET_PG_DIR/data" -A trust -U postgres -E UTF8 \
    >"$NET_PG_DIR/initdb.log" 2>&1 || { cat "$NET_PG_DIR/initdb.log" >&2; return 1; }
  echo "host all all 10.147.0.0/24 trust" >>"$NET_PG_DIR/data/pg_hba.conf"
  runuser -u postgres -- "$NET_PG_BIN/pg_ctl" -D "$NET_PG_DIR/data" -l "$NET_PG_DIR/postgresql.log" -w -s \
    -o "-p $NET_PG_PORT -k $NET_PG_DIR -c listen_addresses=127.0.0.1,$NET_HOST_IP -c max_connections=200" start
  NET_PG_PID=$(head -1 "$NET_PG_DIR/data/postmaster.pid")
  db=$1
  psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$NET_PG_PORT" -U postgres -d postgres <<SQL
CREATE ROLE montage_owner LOGIN CREATEDB PASSWORD 'montage';
CREATE ROLE montage_app LOGIN NOINHERIT PASSWORD 'montage';
CREATE ROLE montage_system NOLOGIN BYPASSRLS;
GRANT montage_system TO montage_app, montage_owner;
GRANT montage_app TO montage_owner;
CREATE DATABASE $db OWNER montage_owner;
\c $db
CREATE EXTENSION vector;
SQL
  export MONTAGE_DB_HOST=127.0.0.1 MONTAGE_DB_PORT=$NET_PG_PORT
  export MONTAGE_DATABASE_URL=jdbc:postgresql://$NET_HOST_IP:$NET_PG_PORT/$db
  logs=$(mktemp -d)
  export MONTAGE_MODELS_STORE=$logs/models
}

# Starts worker number $1 with the chaos handler, in namespace NET_NS[$1] if there is one (else on the host),
# connecting to the JDBC URL $2 (default: PostgreSQL itself); adds its pid to CHAOS_WORKERS (lib.sh stops them).
net_worker() {
  local in_ns=() port=$NET_METRICS_PORT
  if [ -n "${NET_NS[$1]:-}" ]; then in_ns=(ip netns exec "${NET_NS[$1]}"); else port=$((NET_METRICS_PORT + $1)); fi
  MONTAGE_DATABASE_URL=${2:-$MONTAGE_DATABASE_URL} MONTAGE_WORKER_METRICS_PORT=$port OMP_WAIT_POLICY=PASSIVE \
    "${in_ns[@]}" java $NET_JAVA_OPTS \
    -cp "$MONTAGE_WORKER_JAR:$CHAOS_CLASSES" io.montage.worker.WorkerMain >>"$logs/worker-$1.log" 2>&1 &
  CHAOS_WORKERS[$1]=$!
}

# Worker $1's metrics (Prometheus text), from the host through its link; empty when it does not answer in 2 s.
net_scrape() {
  local host=127.0.0.1 port=$((NET_METRICS_PORT + $1))
  if [ -n "${NET_NS[$1]:-}" ]; then host=${NET_IP[$1]} port=$NET_METRICS_PORT; fi
  curl -s -m 2 "http://$host:$port/metrics" || true
}

# The sum of the series $2 (a name with its labels, as a regex) in scrape text $1; 0 when absent.
net_metric() {
  { grep -E "^$2 " <<<"$1" || true; } | awk '{sum += $NF} END {printf "%d\n", sum}'
}

# CPU seconds the private PostgreSQL used so far: the postmaster, its live children, and (cutime) the children it
# reaped, read from /proc.
net_pg_cpu() {
  local hz children
  hz=$(getconf CLK_TCK)
  children=$(pgrep -P "$NET_PG_PID" | tr '\n' ' ')
  # fields 14-17 of /proc/PID/stat: utime stime cutime cstime (clock ticks); the name field has no spaces here
  cat "/proc/$NET_PG_PID/stat" $(for c in $children; do echo "/proc/$c/stat"; done) 2>/dev/null |
    awk -v hz="$hz" -v pm="$NET_PG_PID" '{t += $14 + $15; if ($1 == pm) t += $16 + $17} END {printf "%.2f\n", t / hz}'
}

# CPU seconds the processes $@ used so far (utime + stime).
net_cpu_of() {
  local hz
  hz=$(getconf CLK_TCK)
  (for p in "$@"; do cat "/proc/$p/stat" 2>/dev/null; done) | awk -v hz="$hz" '{t += $14 + $15} END {printf "%.2f\n", t / hz}'
}

# The machine's busy CPU seconds so far (all cores: everything but idle and iowait), from /proc/stat.
net_machine_cpu() {
  awk -v hz="$(getconf CLK_TCK)" '/^cpu / {printf "%.2f\n", ($2 + $3 + $4 + $7 + $8 + $9) / hz}' /proc/stat
}

net_load() { cut -d' ' -f1 /proc/loadavg; }

# Stops the workers, the private cluster, and removes the namespaces, links and bridge (also what an interrupted
# run left). MONTAGE_KEEP_LOGS=1 keeps the logs (the cluster's log is copied beside them).
net_teardown() {
  local ns link
  if [ ${#CHAOS_WORKERS[@]} -gt 0 ]; then chaos_stop_workers; fi
  if [ -n "${NET_RELAY_PID:-}" ]; then kill "$NET_RELAY_PID" 2>/dev/null; wait "$NET_RELAY_PID" 2>/dev/null || true; fi
  NET_RELAY_PID=
  if [ -n "${NET_PG_DIR:-}" ] && [ -d "$NET_PG_DIR" ]; then
    runuser -u postgres -- "$NET_PG_BIN/pg_ctl" -D "$NET_PG_DIR/data" -m fast -w -s stop || true
    [ "${MONTAGE_KEEP_LOGS:-0}" = 1 ] && cp "$NET_PG_DIR/postgresql.log" "$logs/" 2>/dev/null
    rm -rf "$NET_PG_DIR"
    NET_PG_DIR=
  fi
  for ns in $(ip netns list | awk '/^mtg14w[0-9]+/ {print $1}'); do ip netns del "$ns"; done
  for link in $(ip -o link show | awk -F': ' '$2 ~ /^mtg14(h[0-9]+|br)(@|$)/ {sub(/@.*/, "", $2); print $2}'); do
    ip link del "$link" 2>/dev/null || true
  done
  if [ -n "${logs:-}" ] && [ -d "$logs" ]; then
    if [ "${MONTAGE_KEEP_LOGS:-0}" = 1 ]; then rm -rf "$logs/models"; echo "logs kept in $logs" >&2; else rm -rf "$logs"; fi
  fi
}

# Begins network experiment $1 on a private cluster: bridge, PostgreSQL, database montage_net; torn down at exit.
net_begin() {
  CHAOS_NAME=$1
  net_bridge_up
  trap net_teardown EXIT
  net_postgres montage_net
}
