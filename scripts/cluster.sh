#!/usr/bin/env bash
# A Portcullis cluster on this machine, loopback only, from Debian's packages:
#   etcd (one member) <- Patroni (two PostgreSQL members: a primary and a synchronous replica)
#   <- three Portcullis nodes (same KEKs; a pgjdbc multi-host URL finds the primary)
#   <- HAProxy (health checks on /healthcheck).
#   scripts/cluster.sh up DIR        start all (first time: create); prints PORTCULLIS_CLUSTER_* lines
#   scripts/cluster.sh down DIR      stop all; fine if not running
#   scripts/cluster.sh status DIR    the lines and each part's state; exit 3 if something is down
#   scripts/cluster.sh node start|term|kill N DIR    one Portcullis node (1-3): start, SIGTERM, SIGKILL
#   scripts/cluster.sh pg kill-primary - DIR   SIGKILL the primary's Patroni and PostgreSQL (prints its name)
#   scripts/cluster.sh pg start NAME DIR       start member NAME (pg0, pg1) again
# Only PORTCULLIS_* lines go to stdout; everything else goes to stderr. Needs server/target/portcullis.jar.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
ROOT=$(readlink -f "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/..")

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -ge 2 ] || usage
cmd=$1
case $cmd in
  node | pg) [ $# -eq 4 ] || usage; verb=$2 arg=$3 dir=$(readlink -m "$4") ;;
  *) dir=$(readlink -m "$2") ;;
esac
pgbin=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
JAR=$ROOT/server/target/portcullis.jar
MEMBERS=(pg0 pg1)
NODES=(1 2 3)

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
# A killed process stays in the table as a zombie until whoever inherited it reaps it (here PID 1,
# on its own schedule): that is not alive, or a node killed a moment ago would never be restarted.
alive() {
  local state
  [ -f "$1" ] || return 1
  state=$(sed -n 's/^[0-9]* (.*) \([A-Za-z]\) .*/\1/p' "/proc/$(cat "$1")/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}
port_of() { cat "$dir/ports/$1"; }
http_code() { curl -s -o /dev/null -m 5 -w '%{http_code}' "$1" || true; }

# wait_for SECONDS WHAT COMMAND...: polls COMMAND until it succeeds; generous, never a margin.
wait_for() {
  local secs=$1 what=$2 i
  shift 2
  for ((i = 0; i < secs * 5; i++)); do
    "$@" && return 0
    sleep 0.2
  done
  die "$what: not within $secs s (logs in $dir)"
}

prepare() {
  command -v patroni >/dev/null && command -v etcd >/dev/null && command -v haproxy >/dev/null ||
    die "patroni, etcd-server and haproxy are needed (run scripts/install-deps.sh)"
  [ -f "$JAR" ] || die "$JAR is missing (./portcullis build)"
  mkdir -p "$dir/ports"
  chmod 711 "$dir"
  if [ ! -f "$dir/secrets" ]; then
    (umask 077; {
      echo "SU_PW=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
      echo "REPL_PW=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
      echo "APP_PW=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
    } >"$dir/secrets")
  fi
  local name base=$((20000 + RANDOM % 20000))
  for name in etcd_client etcd_peer pg0 pg0_rest pg1 pg1_rest haproxy node1 node2 node3; do
    if [ ! -f "$dir/ports/$name" ]; then
      base=$(free_port "$base")
      echo "$base" >"$dir/ports/$name"
      base=$((base + 1))
    fi
  done
}

start_etcd() {
  alive "$dir/etcd.pid" && return
  mkdir -p "$dir/etcd"
  local c p
  c=$(port_of etcd_client) p=$(port_of etcd_peer)
  setsid etcd --name e0 --data-dir "$dir/etcd/data" --listen-client-urls "http://127.0.0.1:$c" \
    --advertise-client-urls "http://127.0.0.1:$c" --listen-peer-urls "http://127.0.0.1:$p" \
    --initial-advertise-peer-urls "http://127.0.0.1:$p" --initial-cluster "e0=http://127.0.0.1:$p" \
    >"$dir/etcd/etcd.log" 2>&1 </dev/null &
  echo $! >"$dir/etcd.pid"
  wait_for 60 "etcd on $c" curl -sf -m 2 "http://127.0.0.1:$c/health" -o /dev/null
}

patroni_config() { # NAME
  local n=$1 m=$dir/$1
  # shellcheck disable=SC1091
  . "$dir/secrets"
  mkdir -p "$m"
  cat >"$m/patroni.yml" <<EOF
scope: portcullis
name: $n
restapi:
  listen: 127.0.0.1:$(port_of "${n}_rest")
  connect_address: 127.0.0.1:$(port_of "${n}_rest")
etcd3:
  hosts: 127.0.0.1:$(port_of etcd_client)
bootstrap:
  dcs:
    # A dead primary's leader key lapses after ttl; loop_wait + 2 * retry_timeout <= ttl.
    ttl: 10
    loop_wait: 1
    retry_timeout: 4
    maximum_lag_on_failover: 1048576
    # An acknowledged commit is on both members; the replica may be promoted without losing it.
    synchronous_mode: true
    postgresql:
      # A killed primary that comes back rejoins as a replica, rewound if it ran ahead.
      use_pg_rewind: true
      parameters:
        wal_level: replica
        hot_standby: "on"
        max_wal_senders: 5
        max_replication_slots: 5
        wal_log_hints: "on"
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
postgresql:
  listen: 127.0.0.1:$(port_of "$n")
  connect_address: 127.0.0.1:$(port_of "$n")
  data_dir: $m/data
  bin_dir: $pgbin
  pgpass: $m/pgpass
  authentication:
    superuser:
      username: postgres
      password: $SU_PW
    replication:
      username: replicator
      password: $REPL_PW
  parameters:
    unix_socket_directories: $m
  pg_hba:
    - local all all trust
    - host replication replicator 127.0.0.1/32 scram-sha-256
    - host all all 127.0.0.1/32 scram-sha-256
EOF
  chmod 600 "$m/patroni.yml"
  [ "$(id -u)" != 0 ] || chown -R postgres: "$m"
}

start_member() { # NAME
  local n=$1
  alive "$dir/$n/patroni.pid" && return
  [ -f "$dir/$n/patroni.yml" ] || patroni_config "$n"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 ||
      useradd --system --user-group --home-dir /nonexistent --shell /usr/sbin/nologin postgres
  fi
  local as=()
  # setpriv execs (runuser would fork), so the pid file names Patroni itself.
  [ "$(id -u)" != 0 ] || as=(setpriv --reuid=postgres --regid=postgres --init-groups)
  (cd / && exec setsid "${as[@]}" patroni "$dir/$n/patroni.yml" >>"$dir/$n/patroni.log" 2>&1 </dev/null) &
  echo $! >"$dir/$n/patroni.pid"
}

primary() { # prints the member that answers Patroni's /primary with 200
  local n
  for n in "${MEMBERS[@]}"; do
    [ "$(http_code "http://127.0.0.1:$(port_of "${n}_rest")/primary")" = 200 ] && { echo "$n"; return 0; }
  done
  return 1
}
has_primary() { primary >/dev/null; }
has_sync() { local n; for n in "${MEMBERS[@]}"; do [ "$(http_code "http://127.0.0.1:$(port_of "${n}_rest")/sync")" = 200 ] && return 0; done; return 1; }

create_app_database() {
  local p
  p=$(primary)
  # shellcheck disable=SC1091
  . "$dir/secrets"
  as_pg "$pgbin/psql" -q -X -v ON_ERROR_STOP=1 -h "$dir/$p" -p "$(port_of "$p")" -U postgres -d postgres >&2 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'portcullis') THEN
    CREATE ROLE portcullis LOGIN PASSWORD '$APP_PW';
  END IF;
END \$\$;
SELECT 'CREATE DATABASE portcullis OWNER portcullis'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'portcullis') \gexec
SQL
}

jdbc_url() {
  # shellcheck disable=SC1091
  . "$dir/secrets"
  # Every member; the driver connects to the one that is primary (read-write) and re-checks the
  # others' roles every 2 s, so after a failover new connections go to the promoted member.
  echo "jdbc:postgresql://127.0.0.1:$(port_of pg0),127.0.0.1:$(port_of pg1)/portcullis?targetServerType=primary&hostRecheckSeconds=2&user=portcullis&password=$APP_PW"
}

node_config() { # N
  local n=$1 d=$dir/node$1
  mkdir -p "$d"
  new_kek "$dir/kek-1"; new_kek "$dir/kek-2"
  (umask 077; { cat <<EOF
[DEFAULT]
sql_connection = $(jdbc_url)

[portcullis]
bind_host = 127.0.0.1
bind_port = $(port_of "node$n")
data_dir = $d
auth_strategy = noauth
db_wait_seconds = 3
drain_timeout_seconds = 20

EOF
    software_stores "$dir/kek-1" "$dir/kek-2"; } >"$d/portcullis.conf"
  )
}

node_healthy() { [ "$(http_code "http://127.0.0.1:$(port_of "node$1")/healthcheck")" = 200 ]; }

start_node() { # N [wait]
  local n=$1 d=$dir/node$1
  alive "$d/node.pid" && return
  [ -f "$d/portcullis.conf" ] || node_config "$n"
  pick_jdk >/dev/null 2>&1 || pick_jdk
  setsid "$JAVA_HOME/bin/java" -Xmx384m -XX:+UseSerialGC -jar "$JAR" serve --config "$d/portcullis.conf" \
    >>"$d/node.log" 2>&1 </dev/null &
  echo $! >"$d/node.pid"
  [ "${2:-wait}" = nowait ] || wait_for 180 "portcullis node $n healthy" node_healthy "$n"
}

haproxy_config() {
  cat >"$dir/haproxy.cfg" <<EOF
global
    maxconn 2048
    stats socket $dir/haproxy.sock mode 600 level admin

defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    # A connection refused (a node stopped or killed) is tried again on another node: the
    # request never reached the first one, so this is safe for POST too.
    retries 3
    option redispatch 1
    retry-on conn-failure

frontend portcullis
    bind 127.0.0.1:$(port_of haproxy)
    default_backend nodes

backend nodes
    balance roundrobin
    option httpchk GET /healthcheck
    http-check expect status 200
    default-server inter 1s fall 2 rise 2
EOF
  local n
  for n in "${NODES[@]}"; do
    echo "    server node$n 127.0.0.1:$(port_of "node$n") check" >>"$dir/haproxy.cfg"
  done
}

start_haproxy() {
  alive "$dir/haproxy.pid" && return
  haproxy_config
  haproxy -q -f "$dir/haproxy.cfg" -D -p "$dir/haproxy.pid" || die "haproxy did not start ($dir/haproxy.cfg)"
  wait_for 60 "haproxy" bash -c "[ \"\$(curl -s -o /dev/null -m 5 -w '%{http_code}' http://127.0.0.1:$(port_of haproxy)/healthcheck)\" = 200 ]"
}

print_lines() {
  echo "PORTCULLIS_CLUSTER_URL=http://127.0.0.1:$(port_of haproxy)"
  echo "PORTCULLIS_CLUSTER_DIR=$dir"
  echo "PORTCULLIS_CLUSTER_JDBC=$(jdbc_url)"
}

up() {
  prepare
  start_etcd
  local n
  for n in "${MEMBERS[@]}"; do start_member "$n"; done
  wait_for 180 "a PostgreSQL primary (Patroni)" has_primary
  wait_for 180 "a synchronous replica (Patroni)" has_sync
  create_app_database
  # The first node registers the stores and KEK fingerprints alone (concurrent first starts race
  # on that registration); the others then start side by side.
  start_node 1
  for n in "${NODES[@]:1}"; do start_node "$n" nowait; done
  for n in "${NODES[@]:1}"; do wait_for 180 "portcullis node $n healthy" node_healthy "$n"; done
  start_haproxy
  log "up: HAProxy on $(port_of haproxy), primary $(primary)"
  print_lines
}

stop_pid() { # PIDFILE SIGNAL
  local f=$1 i
  alive "$f" || return 0
  kill "-$2" "$(cat "$f")" 2>/dev/null || true
  for ((i = 0; i < 300; i++)); do alive "$f" || return 0; sleep 0.2; done
  kill -KILL "$(cat "$f")" 2>/dev/null || true
}

down() {
  [ -d "$dir/ports" ] || { log "no cluster in $dir"; return; }
  local n
  # The nodes drain side by side (each stops after its balancer has seen it unhealthy, or 10 s).
  for n in "${NODES[@]}"; do stop_pid "$dir/node$n/node.pid" TERM & done
  wait
  stop_pid "$dir/haproxy.pid" TERM
  for n in "${MEMBERS[@]}"; do stop_pid "$dir/$n/patroni.pid" TERM; done
  # A member killed by a test may have left its postmaster running on its own.
  for n in "${MEMBERS[@]}"; do
    [ -f "$dir/$n/data/postmaster.pid" ] && as_pg "$pgbin/pg_ctl" -D "$dir/$n/data" -m immediate stop >&2 2>&1 || true
  done
  stop_pid "$dir/etcd.pid" TERM
  log "down"
}

status() {
  [ -d "$dir/ports" ] || { log "no cluster in $dir"; exit 3; }
  local rc=0 n
  alive "$dir/etcd.pid" && log "etcd: up" || { log "etcd: down"; rc=3; }
  for n in "${MEMBERS[@]}"; do
    if [ "$(http_code "http://127.0.0.1:$(port_of "${n}_rest")/primary")" = 200 ]; then log "$n: primary"
    elif [ "$(http_code "http://127.0.0.1:$(port_of "${n}_rest")/replica")" = 200 ]; then log "$n: replica"
    else log "$n: down"; rc=3; fi
  done
  for n in "${NODES[@]}"; do node_healthy "$n" && log "node$n: healthy" || { log "node$n: not healthy"; rc=3; }; done
  alive "$dir/haproxy.pid" && log "haproxy: up" || { log "haproxy: down"; rc=3; }
  print_lines
  exit "$rc"
}

node() {
  case $verb in
    start) start_node "$arg" ;;
    term) stop_pid "$dir/node$arg/node.pid" TERM ;;
    kill) # returns once the process is gone, so that a start right after it starts a new node
      local f=$dir/node$arg/node.pid i
      alive "$f" && kill -KILL "$(cat "$f")"
      for ((i = 0; i < 300; i++)); do alive "$f" || break; sleep 0.2; done
      true ;;
    *) usage ;;
  esac
}

pg() {
  case $verb in
    kill-primary)
      local p pm
      p=$(primary) || die "no primary to kill"
      pm=$(head -n 1 "$dir/$p/data/postmaster.pid")
      # The whole member dies, as a machine would: Patroni first (else it restarts PostgreSQL).
      kill -KILL "$(cat "$dir/$p/patroni.pid")" "$pm" 2>/dev/null || true
      echo "PORTCULLIS_CLUSTER_KILLED=$p" ;;
    start) start_member "$arg" ;;
    *) usage ;;
  esac
}

case $cmd in
  up) up ;;
  down) down ;;
  status) status ;;
  node) node ;;
  pg) pg ;;
  *) usage ;;
esac
