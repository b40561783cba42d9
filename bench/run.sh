#!/usr/bin/env bash
# Portcullis vs the real OpenStack Barbican 15, on SQLite and on PostgreSQL, in one command.
#
#   bench/run.sh [--duration 30s] [--only sqlite|postgresql] [--skip-barbican]
#                [--barbican-db both|sqlite|mysql] [--secrets 100000] [--connections 16]
#                [--raw-seconds 10] [--no-build] [--keep] [--scenarios LIST]
#
# For each database: a fresh Portcullis (java -jar server/target/portcullis.jar serve --config),
# ../shared/reference/bench.sh against it (wrk -t1 -cN: post_secret, get_payload, list_secrets),
# then `portcullis-bench load` of N secrets and the server's RSS (/proc/PID/status VmRSS, VmHWM),
# then bench/wrk/extra.sh (same wrk settings: container_create, acl_payload_read),
# then `portcullis-bench rawinsert` against the same database (server stopped): the raw
# durable insert rate, i.e. the ceiling for POST. The real Barbican (install.sh/start.sh, uwsgi
# 8 processes x 32 threads, on 127.0.0.1 only) is measured with the same bench.sh and extra.sh
# in the same run. --scenarios (comma-separated; default all five: post_secret, get_payload,
# list_secrets, container_create, acl_payload_read) measures a subset, e.g. for a quick check.
# Prints one table with ratios and PASS/MISS against the targets; everything lands in
# /tmp/portcullis-bench/<timestamp>/ (report.txt is the table). See bench/README.md.
#
# Env: PORTCULLIS_SHARED (default <repo>/../shared), JAVA_HOME (a JDK >= 21; default
#      /usr/lib/jvm/temurin-25-jdk-amd64), PORTCULLIS_JAVA_OPTS (extra JVM options for the
#      server, like the ./portcullis launcher; default options -Xss512k -XX:+UseSerialGC),
#      BENCH_ROOT (default /tmp/portcullis-bench), BARBICAN_MULTISTORE, BARBICAN_PROCESSES,
#      BARBICAN_THREADS (passed to start.sh), PORTCULLIS_JAR (server jar to run instead of
#      server/target/portcullis.jar; with --no-build), BENCH_TLS=1 (Portcullis serves HTTPS with
#      a throw-away openssl CA and certificate in its data dir; every Portcullis scenario and the
#      load run over https, Barbican stays on plain HTTP as it ships).
#      BENCH_STORE (software, the default; pkcs11: Portcullis' global default is a PKCS#11 store
#      on a private SoftHSM2 token; or vault: the global default becomes a Vault store talking to the test-only
#      FakeVaultServer from server/target/test-classes, started and stopped by this script —
#      figures then measure Portcullis plus that in-memory fake, not a real Vault; or
#      kmip: Portcullis gets a private PyKMIP server from scripts/kmip.sh as its global default
#      store, and the real Barbican its kmip_plugin store as global default, against the
#      pykmip-server its start.sh runs).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
REPO=$(dirname "$BENCH_DIR")
# shellcheck source=scripts/lib.sh
. "$REPO/scripts/lib.sh"
SHARED=$(readlink -m "${PORTCULLIS_SHARED:-$REPO/../shared}")
REF=$SHARED/reference
ROOT_OUT=${BENCH_ROOT:-/tmp/portcullis-bench}

DURATION=30s
ONLY=
SKIP_BARBICAN=0
BARBICAN_DB_MODE=both
SECRETS=100000
CONNS=16
RAW_SECONDS=10
LOAD_CONC=16
BUILD=1
KEEP=0
BASE_SCENARIOS="post_secret get_payload list_secrets"      # ../shared/reference/bench.sh
EXTRA_SCENARIOS="container_create acl_payload_read"        # bench/wrk/extra.sh
SCENARIO_LIST="$BASE_SCENARIOS $EXTRA_SCENARIOS"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }
while [ $# -gt 0 ]; do
  case $1 in
    --duration) DURATION=$2; shift 2 ;;
    --duration=*) DURATION=${1#*=}; shift ;;
    --only) ONLY=$2; shift 2 ;;
    --only=*) ONLY=${1#*=}; shift ;;
    --skip-barbican) SKIP_BARBICAN=1; shift ;;
    --barbican-db) BARBICAN_DB_MODE=$2; shift 2 ;;
    --barbican-db=*) BARBICAN_DB_MODE=${1#*=}; shift ;;
    --secrets) SECRETS=$2; shift 2 ;;
    --secrets=*) SECRETS=${1#*=}; shift ;;
    --connections) CONNS=$2; shift 2 ;;
    --connections=*) CONNS=${1#*=}; shift ;;
    --raw-seconds) RAW_SECONDS=$2; shift 2 ;;
    --raw-seconds=*) RAW_SECONDS=${1#*=}; shift ;;
    --no-build) BUILD=0; shift ;;
    --keep) KEEP=1; shift ;;
    --scenarios) SCENARIO_LIST=${2//,/ }; shift 2 ;;
    --scenarios=*) SCENARIO_LIST=${1#*=}; SCENARIO_LIST=${SCENARIO_LIST//,/ }; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
case $ONLY in '') DBS="sqlite postgresql" ;; sqlite|postgresql) DBS=$ONLY ;;
  *) echo "run.sh: --only must be sqlite or postgresql" >&2; exit 2 ;; esac
BENCH_STORE=${BENCH_STORE:-software}
case $BENCH_STORE in software|pkcs11|vault|kmip) ;;
  *) echo "run.sh: BENCH_STORE must be software, pkcs11, vault or kmip" >&2; exit 2 ;; esac
case $BARBICAN_DB_MODE in both|sqlite|mysql) ;;
  *) echo "run.sh: --barbican-db must be both, sqlite or mysql" >&2; exit 2 ;; esac
[[ $DURATION =~ ^[0-9]+[smh]?$ ]] || { echo "run.sh: bad --duration $DURATION" >&2; exit 2; }
[[ $SECRETS =~ ^[0-9]+$ && $CONNS =~ ^[0-9]+$ && $RAW_SECONDS =~ ^[0-9]+$ ]] ||
  { echo "run.sh: --secrets, --connections and --raw-seconds take integers" >&2; exit 2; }
RUN_BASE=; RUN_EXTRA=; SCENARIOS_RUN=
for sc in $BASE_SCENARIOS $EXTRA_SCENARIOS; do   # canonical order, each once
  [[ " $SCENARIO_LIST " == *" $sc "* ]] || continue
  SCENARIOS_RUN="$SCENARIOS_RUN $sc"
  if [[ " $BASE_SCENARIOS " == *" $sc "* ]]; then RUN_BASE="$RUN_BASE $sc"; else RUN_EXTRA="$RUN_EXTRA $sc"; fi
done
for sc in $SCENARIO_LIST; do
  [[ " $BASE_SCENARIOS $EXTRA_SCENARIOS " == *" $sc "* ]] ||
    { echo "run.sh: unknown scenario $sc (known: $BASE_SCENARIOS $EXTRA_SCENARIOS)" >&2; exit 2; }
done
RUN_BASE=${RUN_BASE# }; RUN_EXTRA=${RUN_EXTRA# }; SCENARIOS_RUN=${SCENARIOS_RUN# }
[ -n "$SCENARIOS_RUN" ] || { echo "run.sh: --scenarios selects nothing" >&2; exit 2; }
EXTRA_SH=$BENCH_DIR/wrk/extra.sh
BENCH_TLS=${BENCH_TLS:-0}
BENCH_AUDIT=${BENCH_AUDIT:-always}
case $BENCH_AUDIT in always|interval|never|off) ;;
  *) echo "run.sh: BENCH_AUDIT must be always, interval, never or off" >&2; exit 2 ;; esac
case $BENCH_TLS in 0|1) ;; *) echo "run.sh: BENCH_TLS must be 0 or 1" >&2; exit 2 ;; esac
P_SCHEME=http; [ "$BENCH_TLS" = 0 ] || P_SCHEME=https

RUN=$(date +%Y%m%d-%H%M%S)
OUT=$ROOT_OUT/$RUN
[ -d "$ROOT_OUT" ] || { mkdir -p "$ROOT_OUT"; chmod 755 "$ROOT_OUT"; }
mkdir -p "$OUT"
chmod 755 "$OUT"    # the postgres and mysql users must traverse into their data dirs
BARBICAN_REF_DIR=$ROOT_OUT/barbican-ref
BARBICAN_PORT=9411
LOG=$OUT/run.log
log() { printf '%s run.sh: %s\n' "$(date +%T)" "$*" | tee -a "$LOG" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- Java
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] &&
   [ "$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 |
        sed -n 's/^ *java.specification.version = //p')" -ge 21 ] 2>/dev/null; then :
else
  JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
export JAVA_HOME
JAVA=$JAVA_HOME/bin/java
[ -x "$JAVA" ] || die "no JDK >= 21 (set JAVA_HOME)"
SERVER_JAR=${PORTCULLIS_JAR:-$REPO/server/target/portcullis.jar}
BENCH_JAR=$BENCH_DIR/target/portcullis-bench.jar

# ---------------------------------------------------------------- cleanup
PORTCULLIS_PID=
FAKE_VAULT_PID=
KMIP_DIR=
PG_DIRS=()
PG_MODE=
BARBICAN_STARTED=0
cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  if [ -n "$PORTCULLIS_PID" ]; then stop_portcullis || true; fi
  if [ -n "$FAKE_VAULT_PID" ]; then kill -TERM "$FAKE_VAULT_PID" 2>/dev/null || true; fi
  if [ -n "$KMIP_DIR" ]; then "$REPO/scripts/kmip.sh" stop "$KMIP_DIR" >>"$LOG" 2>&1 || true; fi
  if [ "$BARBICAN_STARTED" = 1 ]; then barbican_stop || true; fi
  local d
  for d in "${PG_DIRS[@]}"; do pg_stop "$d" || true; done
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP


# ---------------------------------------------------------------- PostgreSQL
# scripts/postgres.sh is a throw-away TEST cluster (fsync=off, synchronous_commit=off). A
# benchmark must be durable, so after it starts we switch fsync, synchronous_commit and
# full_page_writes back on (ALTER SYSTEM + reload, over its private unix socket) and check it.
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_psql() {  # pg_psql DIR PORT SQL...  (superuser over the socket in DIR)
  local dir=$1 port=$2; shift 2
  local args=() s
  for s in "$@"; do args+=(-c "$s"); done
  (cd / && as_pg "$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres "${args[@]}")
}
pg_start() {  # pg_start DIR -> sets PG_URL, PG_PORT
  local dir=$1 line
  PG_URL=
  if [ -x "$REPO/scripts/postgres.sh" ]; then
    PG_MODE=scripts
    PG_DIRS+=("$dir")
    while IFS= read -r line; do
      case $line in PORTCULLIS_PG_URL=*) PG_URL=${line#*=} ;; esac
    done < <("$REPO/scripts/postgres.sh" start "$dir" 2>>"$LOG")
    [ -n "$PG_URL" ] || { log "scripts/postgres.sh start failed (see $LOG)"; return 1; }
    PG_PORT=$(sed -n 's#.*@127\.0\.0\.1:\([0-9]*\)/.*#\1#p' <<<"$PG_URL")
    pg_psql "$dir" "$PG_PORT" "ALTER SYSTEM SET fsync = on" "ALTER SYSTEM SET synchronous_commit = on" \
      "ALTER SYSTEM SET full_page_writes = on" "SELECT pg_reload_conf()" >/dev/null ||
      { log "could not make PostgreSQL durable"; return 1; }
  else
    # fallback: a minimal private durable cluster (Debian's binaries, run as user postgres)
    PG_MODE=inline
    [ -x "${PGBIN:-/nonexistent}/pg_ctl" ] || { log "no PostgreSQL server binaries"; return 1; }
    mkdir -p "$dir"; chmod 700 "$dir"
    [ "$(id -u)" != 0 ] || chown postgres: "$dir"
    (cd / && as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C.UTF-8 --auth=trust \
       --no-instructions) >>"$LOG" 2>&1 || { log "initdb failed"; return 1; }
    PG_PORT=$(free_port 54329)
    cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$dir'
EOF
    printf 'local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n' > "$dir/data/pg_hba.conf"
    PG_DIRS+=("$dir")
    (cd / && as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start) >>"$LOG" 2>&1 ||
      { log "pg_ctl start failed (see $dir/postgres.log)"; return 1; }
    pg_psql "$dir" "$PG_PORT" "CREATE ROLE portcullis LOGIN PASSWORD 'portcullis'" \
      "CREATE DATABASE portcullis OWNER portcullis" >/dev/null || return 1
    PG_URL=postgresql://portcullis:portcullis@127.0.0.1:$PG_PORT/portcullis
  fi
  local fs sc
  fs=$(pg_psql "$dir" "$PG_PORT" "SHOW fsync"); sc=$(pg_psql "$dir" "$PG_PORT" "SHOW synchronous_commit")
  log "PostgreSQL ($PG_MODE) on 127.0.0.1:$PG_PORT: fsync=$fs synchronous_commit=$sc"
  if [ "$fs" != on ] || [ "$sc" != on ]; then log "PostgreSQL is not durable (fsync=$fs synchronous_commit=$sc)"; return 1; fi
}
pg_stop() {
  local dir=$1
  [ -d "$dir/data" ] || return 0
  if [ -x "$REPO/scripts/postgres.sh" ] && [ "$PG_MODE" = scripts ]; then
    "$REPO/scripts/postgres.sh" stop "$dir" >>"$LOG" 2>&1
  elif [ -f "$dir/data/postmaster.pid" ]; then
    (cd / && as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop) >>"$LOG" 2>&1
  fi
}

# ---------------------------------------------------------------- Portcullis
# BENCH_TLS=1: a throw-away CA and a server certificate for 127.0.0.1 in DIR/pki. curl (here,
# in bench.sh and extra.sh) trusts the CA through CURL_CA_BUNDLE, the Java load tool through a
# PKCS#12 trust store; wrk does not verify certificates.
make_tls() {  # make_tls DIR -> DIR/pki/{ca.pem,server.pem,server.key,truststore.p12}
  local pki=$1/pki
  mkdir -p "$pki"; chmod 700 "$pki"
  (cd "$pki" && umask 077 &&
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
      -days 2 -subj '/CN=Portcullis bench CA' -addext basicConstraints=critical,CA:TRUE \
      -addext keyUsage=critical,keyCertSign,cRLSign &&
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr \
      -subj /CN=127.0.0.1 &&
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > server.ext &&
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext \
      -out server.pem &&
    "$JAVA_HOME/bin/keytool" -importcert -noprompt -alias ca -file ca.pem -keystore truststore.p12 \
      -storetype PKCS12 -storepass bench-trust) >>"$LOG" 2>&1 || { log "make_tls: openssl/keytool failed"; return 1; }
  chmod 600 "$pki/server.key"
  export CURL_CA_BUNDLE=$pki/ca.pem
  LOAD_TLS_OPTS=("-Djavax.net.ssl.trustStore=$pki/truststore.p12" -Djavax.net.ssl.trustStorePassword=bench-trust
    -Djavax.net.ssl.trustStoreType=PKCS12)
}
LOAD_TLS_OPTS=()
# ../shared/reference/bench.sh accepts http:// targets only; with BENCH_TLS a copy of it whose
# target check also admits https://127.* runs the same wrk scripts (its wrk/ is linked, not copied).
ref_bench() {  # ref_bench -> path of bench.sh to run against Portcullis
  if [ "$BENCH_TLS" = 0 ]; then echo "$REF/bench.sh"; return; fi
  local d=$OUT/reference-https
  if [ ! -x "$d/bench.sh" ]; then
    mkdir -p "$d"; ln -sfn "$REF/wrk" "$d/wrk"
    sed 's#^  http://127\.\*|#  https://127.*|http://127.*|#' "$REF/bench.sh" > "$d/bench.sh"
    chmod 755 "$d/bench.sh"
    grep -q 'https://127' "$d/bench.sh" || { log "could not adapt $REF/bench.sh for https"; return 1; }
  fi
  echo "$d/bench.sh"
}
write_config() {  # write_config DIR PORT SQL_CONNECTION
  local dir=$1 port=$2 sql=$3 k tls_lines=
  mkdir -p "$dir"; chmod 700 "$dir"
  for k in kek kek-2; do
    (umask 077; head -c 32 /dev/urandom | base64 > "$dir/$k")
    chmod 600 "$dir/$k"
  done
  if [ "$BENCH_TLS" = 1 ]; then
    make_tls "$dir" || return 1
    tls_lines="tls_cert_file = $dir/pki/server.pem
tls_key_file = $dir/pki/server.key"
  fi
  cat > "$dir/portcullis.conf" <<EOF
[DEFAULT]
host_href = $P_SCHEME://127.0.0.1:$port
sql_connection = $sql

[portcullis]
bind_host = 127.0.0.1
bind_port = $port
data_dir = $dir
$tls_lines

[audit]
$( [ "$BENCH_AUDIT" = off ] && echo "enabled = False" || echo "fsync = $BENCH_AUDIT")

[secretstore]
enable_multiple_secret_stores = True
stores_lookup_suffix = software, software-2$( [ "${BENCH_STORE:-software}" = software ] || echo ", $BENCH_STORE")

[secretstore:software]
secret_store_plugin = store_crypto
crypto_plugin = simple_crypto
global_default = $( [ "${BENCH_STORE:-software}" = software ] && echo True || echo False)

[secretstore:software-2]
secret_store_plugin = store_crypto
crypto_plugin = simple_crypto
kek_file = $dir/kek-2

[simple_crypto_plugin]
kek_file = $dir/kek
EOF
  chmod 600 "$dir/portcullis.conf" # before any store adds a PIN or token to it
  case ${BENCH_STORE:-software} in
    software) ;;
    pkcs11) bench_pkcs11_store "$dir" ;;
    vault) store_config "$dir/portcullis.conf" ;;
    kmip) kmip_config "$dir/portcullis.conf" ;;
    *) die "BENCH_STORE must be software, pkcs11, vault or kmip (got $BENCH_STORE)" ;;
  esac
  chmod 600 "$dir/portcullis.conf"
}
# BENCH_STORE=vault: a Vault store as global default, on the fake (test code, not in the jar).
store_config() {  # store_config CONF
  local conf=$1 out
  if [ -z "$FAKE_VAULT_PID" ]; then
    out=$OUT/fake-vault.out
    "$JAVA" -cp "$REPO/server/target/test-classes:$SERVER_JAR" org.portcullis.stores.vault.FakeVaultServer \
      > "$out" 2> "$OUT/fake-vault.err" < /dev/null &
    FAKE_VAULT_PID=$!
    for _ in $(seq 1 100); do grep -q '^VAULT_TOKEN=' "$out" 2>/dev/null && break; sleep 0.2; done
    FAKE_VAULT_ADDR=$(sed -n 's/^VAULT_ADDR=//p' "$out"); FAKE_VAULT_TOKEN=$(sed -n 's/^VAULT_TOKEN=//p' "$out")
    [ -n "$FAKE_VAULT_TOKEN" ] || die "FakeVaultServer did not start (is server/target/test-classes built?), see $OUT/fake-vault.err"
    log "fake Vault (test code) on $FAKE_VAULT_ADDR, pid $FAKE_VAULT_PID"
  fi
  cat >> "$conf" <<EOF

[secretstore:vault]
secret_store_plugin = vault_plugin
global_default = True

[vault_plugin]
vault_url = $FAKE_VAULT_ADDR
root_token_id = $FAKE_VAULT_TOKEN
kv_path = barbican
EOF
}
# BENCH_STORE=pkcs11: the global default is a PKCS#11 store on a private SoftHSM2 token
# (scripts/softhsm.sh), its MKEK and HMAC key made by `portcullis manage hsm gen-mkek/gen-hmac`.
bench_pkcs11_store() {  # bench_pkcs11_store DIR  (appends to DIR/portcullis.conf)
  local dir=$1 lines k
  lines=$("$REPO/scripts/softhsm.sh" start "$dir/softhsm") || die "scripts/softhsm.sh failed"
  export SOFTHSM2_CONF
  SOFTHSM2_CONF=$(sed -n 's/^PORTCULLIS_SOFTHSM2_CONF=//p' <<<"$lines")
  cat >> "$dir/portcullis.conf" <<EOF

[secretstore:pkcs11]
secret_store_plugin = store_crypto
crypto_plugin = p11_crypto
global_default = True

[p11_crypto_plugin]
library_path = $(sed -n 's/^PORTCULLIS_SOFTHSM_LIBRARY=//p' <<<"$lines")
token_label = $(sed -n 's/^PORTCULLIS_SOFTHSM_TOKEN=//p' <<<"$lines")
login = $(sed -n 's/^PORTCULLIS_SOFTHSM_PIN=//p' <<<"$lines")
mkek_label = bench_mkek
hmac_label = bench_hmac
EOF
  for k in gen-mkek gen-hmac; do # exit 1: the key exists already
    "$JAVA" -jar "$SERVER_JAR" manage hsm "$k" --config "$dir/portcullis.conf" >&2 || [ $? = 1 ] ||
      die "portcullis manage hsm $k failed"
  done
}
# BENCH_STORE=kmip: one private PyKMIP server for the run (scripts/kmip.sh), the global default.
kmip_config() {  # kmip_config CONF
  if [ -z "$KMIP_DIR" ]; then
    KMIP_DIR=$OUT/kmip
    local out
    out=$("$REPO/scripts/kmip.sh" start "$KMIP_DIR" 2>>"$LOG") || die "scripts/kmip.sh could not start PyKMIP (see $LOG)"
    eval "$(printf '%s\n' "$out" | grep -E '^PORTCULLIS_KMIP_[A-Z_]+=[^ ;]*$' | sed 's/^/export /')"
    log "PyKMIP for the kmip store on 127.0.0.1:$PORTCULLIS_KMIP_PORT (state $KMIP_DIR)"
  fi
  cat >> "$1" <<EOF

[secretstore:kmip]
secret_store_plugin = kmip_plugin
global_default = True

[kmip_plugin]
host = $PORTCULLIS_KMIP_HOST
port = $PORTCULLIS_KMIP_PORT
certfile = $PORTCULLIS_KMIP_CERT
keyfile = $PORTCULLIS_KMIP_KEY
ca_certs = $PORTCULLIS_KMIP_CA
ssl_version = PROTOCOL_TLSv1_2
EOF
}
start_portcullis() {  # start_portcullis CONF LOGFILE PORT
  local conf=$1 logf=$2 port=$3 code
  server_jvm_opts  # the launcher's JVM options (scripts/lib.sh)
  "$JAVA" "${SERVER_JVM_OPTS[@]}" -jar "$SERVER_JAR" serve --config "$conf" > "$logf" 2>&1 < /dev/null &
  PORTCULLIS_PID=$!
  local deadline=$((SECONDS + 120))
  while :; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Project-Id: bench-probe' \
           "$P_SCHEME://127.0.0.1:$port/v1/secrets?limit=1" 2>/dev/null || true)
    [ "$code" = 200 ] && break
    if ! kill -0 "$PORTCULLIS_PID" 2>/dev/null; then
      log "Portcullis exited during startup; last lines of $logf:"; tail -n 20 "$logf" >&2
      PORTCULLIS_PID=; return 1
    fi
    if [ $SECONDS -ge $deadline ]; then log "Portcullis not ready after 120 s (http=$code), see $logf"; return 1; fi
    sleep 0.3
  done
  log "Portcullis ready: pid $PORTCULLIS_PID on $P_SCHEME://127.0.0.1:$port"
}
stop_portcullis() {
  local pid=$PORTCULLIS_PID
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then log "Portcullis $pid ignored SIGTERM for 30 s, SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true
  PORTCULLIS_PID=
}
# Background CPU: cores busy over 2 s while our server idles, i.e. what other processes use.
# The targets assume the 2 cores are ours; anything well above 0 makes the figures unreliable.
background_cpu() {  # background_cpu LABEL -> appends "LABEL cores" to $OUT/background-cpu.txt
  local a b
  a=$(awk '/^cpu /{print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8}' /proc/stat)
  sleep 2
  b=$(awk '/^cpu /{print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8}' /proc/stat)
  awk -v l="$1" -v a="$a" -v b="$b" -v n="$(nproc)" 'BEGIN{split(a,x," "); split(b,y," ");
    t=y[2]-x[2]; printf "%s %.2f\n", l, (t>0 ? (y[1]-x[1])/t*n : 0)}' >> "$OUT/background-cpu.txt"
  tail -n 1 "$OUT/background-cpu.txt" | sed 's/^/background CPU (cores): /' >> "$LOG"
}
rss_kb() { awk -v k="$2:" '$1==k{print $2}' "/proc/$1/status" 2>/dev/null || true; }  # rss_kb PID VmRSS|VmHWM
tree_rss_kb() {  # VmRSS of PID plus its direct children (uwsgi master + workers)
  local p sum=0 v
  for p in "$1" $(pgrep -P "$1" 2>/dev/null); do v=$(rss_kb "$p" VmRSS); sum=$((sum + ${v:-0})); done
  echo "$sum"
}

# bench/wrk/extra.sh: container_create and acl_payload_read, same wrk settings as bench.sh; its
# RESULT lines are appended to OUTDIR/results.txt (bench.sh's). A scenario whose setup check
# fails (e.g. 403/404) is not run; the reason is in OUTDIR/setup-failed.txt and in the report.
run_extra() {  # run_extra LABEL PID URL OUTDIR LOGFILE
  [ -n "$RUN_EXTRA" ] || return 0
  local label=$1 pid=$2 url=$3 out=$4 lf=$5
  background_cpu "${label,,}-extra"; label=${label/-/ }
  log "$label: bench/wrk/extra.sh $url $DURATION $CONNS ($RUN_EXTRA)"
  if SCENARIOS="$RUN_EXTRA" SERVER_PID=$pid BENCH_OUT=$out PORTCULLIS_SHARED=$SHARED \
       "$EXTRA_SH" "$url" "$DURATION" "$CONNS" > "$lf" 2>&1; then
    grep -E "^(${RUN_EXTRA// /|}) " "$out/summary.txt" >&2 || true
  else
    log "$label: extra.sh failed, see $lf"
    if [ -f "$out/setup-failed.txt" ]; then sed 's/^/  /' "$out/setup-failed.txt" | tee -a "$LOG" >&2; fi
    grep -E "^(${RUN_EXTRA// /|}) " "$out/summary.txt" >&2 || true
  fi
}

# ---------------------------------------------------------------- Barbican
barbican_env() { env BARBICAN_REF_DIR="$BARBICAN_REF_DIR" BARBICAN_PORT="$BARBICAN_PORT" "$@"; }
barbican_stop() { barbican_env "$REF/stop.sh" >>"$LOG" 2>&1; BARBICAN_STARTED=0; }
measure_barbican() {  # measure_barbican sqlite|mysql -> $OUT/barbican-<db>/results.txt
  local db=$1 dir pid
  dir=$OUT/barbican-$db
  mkdir -p "$dir"
  log "reference Barbican on $db: install.sh"
  BARBICAN_DB=$db "$REF/install.sh" >>"$dir/install.log" 2>&1 || { log "install.sh failed, see $dir/install.log"; return 1; }
  barbican_stop   # only what start.sh started from our own state dir
  BARBICAN_PORT=$(free_port 9411) || return 1
  log "reference Barbican on $db: start.sh on 127.0.0.1:$BARBICAN_PORT (state $BARBICAN_REF_DIR)"
  BARBICAN_STARTED=1
  BARBICAN_DB=$db BARBICAN_FRESH=1 barbican_env "$REF/start.sh" >>"$dir/start.log" 2>&1 ||
    { log "start.sh failed, see $dir/start.log and $BARBICAN_REF_DIR/"; return 1; }
  if [ "$BENCH_STORE" = kmip ]; then
    # start.sh configures [secretstore:kmip] (kmip_plugin -> its own pykmip-server) beside the
    # default software store. oslo.config reads ~/.barbican/barbican.conf.d/ after the file, so
    # a drop-in there makes kmip the global default; it needs a restart (start.sh rewrites the
    # file, and FRESH would delete the drop-in).
    barbican_env "$REF/stop.sh" >>"$dir/start.log" 2>&1
    mkdir -p "$BARBICAN_REF_DIR/home/.barbican/barbican.conf.d"
    printf '[secretstore:software]\nglobal_default = False\n\n[secretstore:kmip]\nglobal_default = True\n' \
      > "$BARBICAN_REF_DIR/home/.barbican/barbican.conf.d/kmip-default.conf"
    BARBICAN_DB=$db barbican_env "$REF/start.sh" >>"$dir/start.log" 2>&1 ||
      { log "start.sh (kmip as global default) failed, see $dir/start.log"; return 1; }
    curl -sf -H 'X-Project-Id: bench-check' "http://127.0.0.1:$BARBICAN_PORT/v1/secret-stores/global-default" |
      grep -q '"kmip_plugin"' || { log "Barbican did not take kmip as its global default store"; return 1; }
    log "reference Barbican on $db: kmip_plugin is the global default store"
  fi
  pid=$(cat "$BARBICAN_REF_DIR/barbican-api.pid")
  if [ -n "$RUN_BASE" ]; then
    background_cpu "barbican-$db"
    log "reference Barbican on $db: bench.sh http://127.0.0.1:$BARBICAN_PORT $DURATION $CONNS"
    SCENARIOS="$RUN_BASE" SERVER_PID=$pid BENCH_OUT=$dir "$REF/bench.sh" "http://127.0.0.1:$BARBICAN_PORT" "$DURATION" "$CONNS" \
      > "$dir/bench.out" 2>&1 || { log "bench.sh failed against Barbican, see $dir/bench.out"; barbican_stop; return 1; }
    cat "$dir/summary.txt" >&2
  fi
  echo "rss_kb=$(tree_rss_kb "$pid")" > "$dir/rss.txt"
  run_extra "Barbican-$db" "$pid" "http://127.0.0.1:$BARBICAN_PORT" "$dir" "$dir/extra.out"
  cp "$BARBICAN_REF_DIR/barbican-api.log" "$dir/" 2>/dev/null || true
  barbican_stop
}
# Figures published in ../shared/reference/README.md (2 cores, 30 s, -c16), used with
# --skip-barbican. Unknown latencies are "n/a".
readme_reference() {  # readme_reference sqlite|mysql -> results.txt in RESULT format
  local dir=$OUT/barbican-$1-readme
  mkdir -p "$dir"
  if [ "$1" = sqlite ]; then cat > "$dir/results.txt" <<'EOF'
RESULT post_secret rps=105.0 p50_ms=n/a p90_ms=n/a p99_ms=n/a max_ms=n/a requests=3150 non2xx=2910 connect_err=0 read_err=0 write_err=0 timeouts=0
RESULT get_payload rps=130.0 p50_ms=106 p90_ms=n/a p99_ms=575 max_ms=n/a requests=3900 non2xx=0 connect_err=0 read_err=0 write_err=0 timeouts=0
RESULT list_secrets rps=130.0 p50_ms=114 p90_ms=n/a p99_ms=547 max_ms=n/a requests=3900 non2xx=0 connect_err=0 read_err=0 write_err=0 timeouts=0
EOF
  else cat > "$dir/results.txt" <<'EOF'
RESULT post_secret rps=97.5 p50_ms=159 p90_ms=n/a p99_ms=360 max_ms=n/a requests=2925 non2xx=0 connect_err=0 read_err=0 write_err=0 timeouts=0
RESULT get_payload rps=120.0 p50_ms=117 p90_ms=n/a p99_ms=565 max_ms=n/a requests=3600 non2xx=0 connect_err=0 read_err=0 write_err=0 timeouts=0
RESULT list_secrets rps=74.0 p50_ms=205 p90_ms=n/a p99_ms=751 max_ms=n/a requests=2220 non2xx=0 connect_err=0 read_err=0 write_err=0 timeouts=0
EOF
  fi
}

# ---------------------------------------------------------------- one database
measure_portcullis() {  # measure_portcullis sqlite|postgresql -> $OUT/<db>/...
  local db=$1 dir port sql raw_url
  dir=$OUT/$db
  mkdir -p "$dir"
  if [ "$db" = postgresql ]; then
    pg_start "$dir/pg" || return 1
    sql=$PG_URL
    raw_url=$PG_URL
  else
    sql=sqlite:///$dir/data/portcullis.sqlite
    raw_url=jdbc:sqlite:$dir/rawinsert.sqlite   # same filesystem, scratch file
  fi
  port=$(free_port 9311) || return 1
  write_config "$dir/data" "$port" "$sql" || return 1
  local url=$P_SCHEME://127.0.0.1:$port bench_sh
  bench_sh=$(ref_bench) || return 1
  start_portcullis "$dir/data/portcullis.conf" "$dir/portcullis.log" "$port" || return 1
  echo "rss_start_kb=$(rss_kb "$PORTCULLIS_PID" VmRSS)" > "$dir/rss.txt"
  if [ -n "$RUN_BASE" ]; then
    background_cpu "portcullis-$db"
    log "Portcullis on $db: bench.sh $url $DURATION $CONNS"
    if SCENARIOS="$RUN_BASE" SERVER_PID=$PORTCULLIS_PID BENCH_OUT=$dir/wrk "$bench_sh" "$url" "$DURATION" "$CONNS" \
         > "$dir/bench.out" 2>&1; then
      cat "$dir/wrk/summary.txt" >&2
    else
      log "bench.sh failed against Portcullis on $db, see $dir/bench.out"; tail -n 5 "$dir/bench.out" >&2
    fi
  fi
  echo "rss_after_wrk_kb=$(rss_kb "$PORTCULLIS_PID" VmRSS)" >> "$dir/rss.txt"
  log "Portcullis on $db: load $SECRETS secrets (concurrency $LOAD_CONC)"
  "$JAVA" "${LOAD_TLS_OPTS[@]}" -jar "$BENCH_JAR" load "$url" "bench-load-$RUN" "$SECRETS" "$LOAD_CONC" \
    > "$dir/load.txt" 2> "$dir/load.err" || log "load failed, see $dir/load.err"
  grep '^LOAD' "$dir/load.txt" >&2 || true
  sleep 2
  { echo "rss_kb=$(rss_kb "$PORTCULLIS_PID" VmRSS)"; echo "hwm_kb=$(rss_kb "$PORTCULLIS_PID" VmHWM)"; } >> "$dir/rss.txt"
  # after the RSS reading, so that the containers and ACL secrets they create do not change it
  run_extra "Portcullis-$db" "$PORTCULLIS_PID" "$url" "$dir/wrk" "$dir/extra.out"
  kill -0 "$PORTCULLIS_PID" 2>/dev/null || log "Portcullis died during the run, see $dir/portcullis.log"
  stop_portcullis
  log "raw insert rate of $db ($RAW_SECONDS s per mode, server stopped)"
  "$JAVA" -jar "$BENCH_JAR" rawinsert "$raw_url" "$RAW_SECONDS" 1 16 > "$dir/rawinsert.txt" 2> "$dir/rawinsert.err" ||
    log "rawinsert failed, see $dir/rawinsert.err"
  cat "$dir/rawinsert.txt" >&2
  rm -f "$dir"/rawinsert.sqlite*
  if [ "$db" = postgresql ]; then
    pg_stop "$dir/pg" || true
    PG_DIRS=()
    [ "$KEEP" = 1 ] || rm -rf "$dir/pg/data"
  fi
  [ "$KEEP" = 1 ] || rm -f "$dir"/data/portcullis.sqlite*
  return 0
}

# ---------------------------------------------------------------- main
log "output in $OUT"
[ -x "$REF/bench.sh" ] || die "reference scripts not found in $REF (set PORTCULLIS_SHARED)"
command -v wrk >/dev/null && command -v jq >/dev/null || {
  log "wrk/jq missing: running $REF/install.sh"; "$REF/install.sh" >>"$LOG" 2>&1 || die "install.sh failed"; }

if [ "$BUILD" = 1 ]; then
  log "building (mvn -B -q -DskipTests package in $REPO)"
  mv_opts=${MAVEN_OPTS:-}
  [ "$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')" -lt 23 ] ||
    mv_opts="$mv_opts --sun-misc-unsafe-memory-access=allow"
  (cd "$REPO" && MAVEN_OPTS=$mv_opts mvn -B -q -DskipTests package) > "$OUT/build.log" 2>&1 ||
    { tail -n 30 "$OUT/build.log" >&2; die "build failed, see $OUT/build.log"; }
fi
[ -f "$SERVER_JAR" ] || die "$SERVER_JAR missing"
[ -f "$BENCH_JAR" ] || die "$BENCH_JAR missing"

# which Barbican each row is compared with
ref_for() {
  case $BARBICAN_DB_MODE in
    sqlite) echo sqlite ;;
    mysql) echo mysql ;;
    both) if [ "$1" = postgresql ]; then echo mysql; else echo sqlite; fi ;;
  esac
}
declare -A REF_DIR=()
declare -A PORTCULLIS_OK=()
for db in $DBS; do
  if measure_portcullis "$db"; then PORTCULLIS_OK[$db]=1; else PORTCULLIS_OK[$db]=0; log "Portcullis on $db FAILED"; stop_portcullis || true; fi
  for d in "${PG_DIRS[@]}"; do pg_stop "$d" || true; done; PG_DIRS=()
done

for db in $DBS; do
  r=$(ref_for "$db")
  [ -z "${REF_DIR[$r]:-}" ] || continue
  if [ "$SKIP_BARBICAN" = 1 ]; then
    readme_reference "$r"; REF_DIR[$r]=$OUT/barbican-$r-readme
  elif measure_barbican "$r"; then
    REF_DIR[$r]=$OUT/barbican-$r
  elif [ "$r" = mysql ] && { [ -n "${REF_DIR[sqlite]:-}" ] ||
         { measure_barbican sqlite && REF_DIR[sqlite]=$OUT/barbican-sqlite; }; }; then
    log "Barbican on MariaDB failed: comparing with Barbican on SQLite instead"
    REF_DIR[mysql]=${REF_DIR[sqlite]}
  else
    log "reference Barbican on $r FAILED: using the figures from $REF/README.md"
    readme_reference "$r"; REF_DIR[$r]=$OUT/barbican-$r-readme
  fi
done

# ---------------------------------------------------------------- report
res() {  # res FILE SCENARIO KEY
  [ -f "$1" ] || { echo n/a; return; }
  local line; line=$(grep "^RESULT $2 " "$1" 2>/dev/null | tail -n 1)
  [ -n "$line" ] || { echo n/a; return; }
  sed -n "s/.* $3=\([^ ]*\).*/\1/p" <<<"$line"
}
kv() { [ -f "$1" ] && sed -n "s/^$2=//p" "$1" | tail -n 1 || true; }
raw() {  # raw FILE MODE-PREFIX THREADS -> rate
  [ -f "$1" ] && awk -v m="$2" -v t="threads=$3" '$1=="RAWINSERT" && index($0," mode="m" ") && index($0," "t" ") {
    for (i=1;i<=NF;i++) if ($i ~ /^rate=/) { sub("rate=","",$i); print $i } }' "$1" | tail -n 1 || true
}
num() { [[ $1 =~ ^[0-9.]+$ ]]; }
fmt() { num "$1" && printf "%.${2:-1}f" "$1" || printf '%s' "${1:-n/a}"; }
mb() { num "$1" && awk -v k="$1" 'BEGIN{printf "%.1f", k/1024}' || echo n/a; }

{
  ncpu=$(nproc)
  echo "Portcullis vs OpenStack Barbican 15.0.1 -- $(date -u +%FT%TZ), $ncpu cores, wrk -t1 -c$CONNS, $DURATION per scenario (+5 s warm-up), loopback"
  [ "$BENCH_TLS" = 0 ] || echo "Portcullis over HTTPS (BENCH_TLS=1: TLS from the JDK, ECDSA P-256 certificate; wrk negotiates TLS 1.3); Barbican over plain HTTP"
  echo "Portcullis: $(basename "$SERVER_JAR"), JVM $("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p') $(server_jvm_opts; echo "${SERVER_JVM_OPTS[*]}")"
  for db in $DBS; do
    r=$(ref_for "$db"); d=${REF_DIR[$r]:-}
    case $d in
      *-readme) src="figures published in reference/README.md (NOT measured in this run)" ;;
      *barbican-sqlite) src="Barbican on SQLite, measured in this run" ;;
      *barbican-mysql) src="Barbican on MariaDB (Barbican 15 cannot run PostgreSQL with simple_crypto), measured in this run" ;;
      *) src="none" ;;
    esac
    printf 'reference for the %-10s rows: %s\n' "$db" "$src"
  done
  echo "Barbican: uwsgi ${BARBICAN_PROCESSES:-8} processes x ${BARBICAN_THREADS:-32} threads, noauth, simple_crypto. ok/s = 2xx responses per second;"
  echo "ratio = Portcullis ok/s / Barbican ok/s. Latencies in ms (wrk, all responses)."
  echo
  printf '%-10s %-16s | %9s %7s %7s %7s | %8s %8s %7s %7s %7s | %8s  %s\n' \
    db scenario "P req/s" "P err" "P p50" "P p99" "B ok/s" "B req/s" "B non2x" "B p50" "B p99" ratio "target"
  printf -- '-%.0s' $(seq 1 136); echo
  for db in $DBS; do
    pf=$OUT/$db/wrk/results.txt
    bf=${REF_DIR[$(ref_for "$db")]:-/nonexistent}/results.txt
    for sc in $SCENARIOS_RUN; do
      prps=$(res "$pf" $sc rps); preq=$(res "$pf" $sc requests)
      perr=n/a
      if num "$preq"; then
        perr=$(( $(res "$pf" $sc non2xx) + $(res "$pf" $sc connect_err) + $(res "$pf" $sc read_err) \
                 + $(res "$pf" $sc write_err) + $(res "$pf" $sc timeouts) ))
      fi
      brps=$(res "$bf" $sc rps); breq=$(res "$bf" $sc requests); bnon=$(res "$bf" $sc non2xx)
      pok=n/a; bok=n/a; ratio=n/a
      num "$preq" && num "$prps" && pok=$(awk -v r="$prps" -v n="$preq" -v e="$(res "$pf" $sc non2xx)" 'BEGIN{print (n>0 ? r*(n-e)/n : 0)}')
      num "$breq" && num "$brps" && bok=$(awk -v r="$brps" -v n="$breq" -v e="$bnon" 'BEGIN{print (n>0 ? r*(n-e)/n : 0)}')
      if num "$pok" && num "$bok"; then
        ratio=$(awk -v p="$pok" -v b="$bok" 'BEGIN{ if (b>0) printf "%.1f", p/b; else print (p>0 ? "inf" : "n/a") }')
      fi
      case $sc in post_secret) want=20 ;; get_payload|list_secrets) want=30 ;; *) want= ;; esac
      if [ -z "$want" ]; then
        tgt="no target (ratio reported)"; verdict=
      else
        verdict="MISS"
        if [ "$ratio" = inf ] || { num "$ratio" && awk -v r="$ratio" -v w=$want 'BEGIN{exit !(r>=w)}'; }; then verdict=PASS; fi
        [ "$ratio" = n/a ] && verdict="n/a"
        tgt=">=${want}x"
      fi
      if [ $sc = post_secret ]; then
        tgt="$tgt, 0 errors"
        { [ "$perr" = 0 ] || [ "$verdict" = n/a ]; } || verdict=MISS
      fi
      printf '%-10s %-16s | %9s %7s %7s %7s | %8s %8s %7s %7s %7s | %7sx  %s %s\n' "$db" "$sc" \
        "$(fmt "$prps")" "$perr" "$(fmt "$(res "$pf" $sc p50_ms)" 2)" "$(fmt "$(res "$pf" $sc p99_ms)" 2)" \
        "$(fmt "$bok")" "$(fmt "$brps")" "$bnon" "$(fmt "$(res "$bf" $sc p50_ms)" 0)" "$(fmt "$(res "$bf" $sc p99_ms)" 0)" \
        "$ratio" "$tgt" "$verdict"
    done
  done
  echo
  echo "Targets beyond the ratios:"
  for db in $DBS; do
    pf=$OUT/$db/wrk/results.txt
    p99=$(res "$pf" get_payload p99_ms)
    v=MISS; num "$p99" && awk -v p="$p99" 'BEGIN{exit !(p<=5)}' && v=PASS; num "$p99" || v=n/a
    printf '  %-10s get_payload p99 %8s ms            target <= 5 ms      %s\n' "$db" "$(fmt "$p99" 2)" "$v"
    rf=$OUT/$db/rss.txt
    rss=$(kv "$rf" rss_kb); hwm=$(kv "$rf" hwm_kb)
    lok=$(sed -n 's/^LOAD .* ok=\([0-9]*\) .*/\1/p' "$OUT/$db/load.txt" 2>/dev/null || true)
    lerr=$(sed -n 's/^LOAD .* errors=\([0-9]*\) .*/\1/p' "$OUT/$db/load.txt" 2>/dev/null || true)
    lrate=$(sed -n 's/^LOAD .* rate=\([0-9.]*\) .*/\1/p' "$OUT/$db/load.txt" 2>/dev/null || true)
    # secrets held by the server: wrk post_secret (warm-up + run, 2xx only) + 100 read ids + loaded
    # (extra.sh runs after this reading)
    held=0
    for f in "$OUT/$db/wrk/post_secret.warmup.txt" "$OUT/$db/wrk/post_secret.txt"; do
      [ -f "$f" ] || continue
      held=$((held + $(awk '/^RESULT post_secret/{for(i=1;i<=NF;i++){if($i~/^requests=/){split($i,a,"=");n=a[2]} if($i~/^non2xx=/){split($i,b,"=");e=b[2]}} s+=n-e} END{print s+0}' "$f")))
    done
    held=$(( ${held:-0} + ${lok:-0} ))
    [ -z "$RUN_BASE" ] || held=$((held + 100))   # bench.sh's read ids
    v=MISS; num "$rss" && [ "$rss" -le $((256 * 1024)) ] && v=PASS; num "$rss" || v=n/a
    [ "${lok:-0}" -ge "$SECRETS" ] || v="$v (load incomplete)"
    printf '  %-10s RSS after loading %s secrets: VmRSS %s MB, VmHWM %s MB (%s secrets held; start %s MB, after wrk %s MB)   target <= 256 MB   %s\n' \
      "$db" "${lok:-0}" "$(mb "$rss")" "$(mb "$hwm")" "$held" "$(mb "$(kv "$rf" rss_start_kb)")" "$(mb "$(kv "$rf" rss_after_wrk_kb)")" "$v"
    printf '  %-10s load: %s secrets created at %s/s, %s errors (concurrency %s)\n' "$db" "${lok:-0}" "$(fmt "${lrate:-n/a}")" "${lerr:-n/a}" "$LOAD_CONC"
  done
  echo
  echo "Raw insert rate of the same database (one row per committed transaction, server stopped) = the ceiling for POST:"
  for db in $DBS; do
    f=$OUT/$db/rawinsert.txt
    if [ "$db" = sqlite ]; then dm="wal+synchronous=FULL"; nm="wal+synchronous=NORMAL"; dl="WAL, synchronous=FULL (durable)"; nl="synchronous=NORMAL"
    else dm="synchronous_commit=on"; nm="synchronous_commit=off"; dl="fsync=on, synchronous_commit=on (durable)"; nl="synchronous_commit=off"; fi
    d1=$(raw "$f" "$dm" 1); d16=$(raw "$f" "$dm" 16); n1=$(raw "$f" "$nm" 1); n16=$(raw "$f" "$nm" 16)
    pok=$(res "$OUT/$db/wrk/results.txt" post_secret rps)
    best=$(printf '%s\n%s\n' "${d1:-0}" "${d16:-0}" | sort -g | tail -n 1)
    pct=n/a; num "$pok" && num "$best" && pct=$(awk -v p="$pok" -v b="$best" 'BEGIN{ if (b>0) printf "%.0f%%", 100*p/b; else print "n/a"}')
    printf '  %-10s %s: %s/s (1 thread), %s/s (16 threads); %s: %s/s, %s/s; Portcullis POST %s req/s = %s of the best durable figure\n' \
      "$db" "$dl" "$(fmt "$d1" 0)" "$(fmt "$d16" 0)" "$nl" "$(fmt "$n1" 0)" "$(fmt "$n16" 0)" "$(fmt "$pok")" "$pct"
  done
  if [ -s "$OUT/background-cpu.txt" ]; then
    echo
    printf 'Background CPU just before each bench.sh / extra.sh (cores busy with other processes, of %s): %s\n' "$(nproc)" \
      "$(awk '{printf "%s%s %s", (NR>1 ? ", " : ""), $1, $2}' "$OUT/background-cpu.txt")"
    if awk '$2 > 0.25 {bad=1} END{exit !bad}' "$OUT/background-cpu.txt"; then
      echo "WARNING: other processes were using the CPU; the figures above are not reliable. Re-run on an idle machine."
    fi
  fi
  for db in $DBS; do
    [ "${PORTCULLIS_OK[$db]:-0}" = 1 ] || echo "NOTE: the Portcullis run on $db failed; see $OUT/run.log and $OUT/$db/"
  done
  # extra scenarios whose setup check failed (not run; their rows say n/a)
  for f in $(for db in $DBS; do echo "$OUT/$db/wrk/setup-failed.txt"; done) \
           $(for db in $DBS; do echo "${REF_DIR[$(ref_for "$db")]:-/nonexistent}/setup-failed.txt"; done | sort -u); do
    [ -f "$f" ] || continue
    case $f in "$OUT"/barbican-*) who=${f#"$OUT"/barbican-}; who="Barbican on ${who%/setup-failed.txt}" ;;
               *) who="Portcullis on $(basename "$(dirname "$(dirname "$f")")")" ;; esac
    sed "s|^|NOTE: $who: |" "$f"
  done
  if [ -n "$RUN_EXTRA" ] && [ "$SKIP_BARBICAN" = 1 ]; then
    echo "NOTE: reference/README.md publishes no Barbican figures for $RUN_EXTRA, so their ratios are n/a with --skip-barbican"
  fi
  echo
  echo "raw data: $OUT"
} > "$OUT/report.txt"

echo >&2
cat "$OUT/report.txt"
log "done: $OUT/report.txt"
