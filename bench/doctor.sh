#!/usr/bin/env bash
# bench/doctor.sh [--secrets N] [--runs R]: how long `portcullis manage doctor` takes on a node
# holding N secrets (default 100000) on SQLite. Starts a node (java -jar server/target/portcullis.jar
# serve) on a free port in a temporary directory, loads N secrets over HTTP with
# `portcullis-bench load` (16 clients), then runs the doctor R times (default 3) while the node
# serves, printing each run's wall time (JVM start included) and the doctor's own elapsed_ms.
# Needs server/target/portcullis.jar and bench/target/portcullis-bench.jar (./portcullis build;
# mvn -pl bench -am package -DskipTests). Everything is removed afterwards.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$BENCH_DIR")
. "$REPO/scripts/lib.sh"
SECRETS=100000
RUNS=3
while [ $# -gt 0 ]; do
  case $1 in
    --secrets) SECRETS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1" ;;
  esac
done
pick_jdk
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
SERVER_JAR=$REPO/server/target/portcullis.jar
BENCH_JAR=$BENCH_DIR/target/portcullis-bench.jar
[ -f "$SERVER_JAR" ] && [ -f "$BENCH_JAR" ] || die "build first: ./portcullis build; mvn -pl bench -am package -DskipTests"

DIR=$(mktemp -d /tmp/portcullis-doctor-bench.XXXXXX)
SERVER_PID=
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null; rm -rf "$DIR"; }
trap cleanup EXIT
PORT=$(free_port 19400)
(umask 077; head -c 32 /dev/urandom | base64 > "$DIR/kek")
cat > "$DIR/portcullis.conf" <<CONF
[DEFAULT]
sql_connection = sqlite:///$DIR/portcullis.sqlite

[portcullis]
bind_host = 127.0.0.1
bind_port = $PORT
data_dir = $DIR
auth_strategy = noauth

[simple_crypto_plugin]
kek_file = $DIR/kek
CONF
chmod 600 "$DIR/portcullis.conf"
"$JAVA" -jar "$SERVER_JAR" serve --config "$DIR/portcullis.conf" > "$DIR/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 600); do
  curl -fsS "http://127.0.0.1:$PORT/healthcheck" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || die "the node did not start, see $DIR/server.log"
  sleep 0.2
done
log "loading $SECRETS secrets"
"$JAVA" -jar "$BENCH_JAR" load "http://127.0.0.1:$PORT" doctor-bench "$SECRETS" 16 | grep '^LOAD' >&2
for r in $(seq 1 "$RUNS"); do
  t0=$(date +%s%N)
  set +e
  out=$("$JAVA" -jar "$SERVER_JAR" manage doctor --config "$DIR/portcullis.conf" --format json 2>/dev/null)
  code=$?
  set -e
  t1=$(date +%s%N)
  inner=$(printf '%s' "$out" | sed -n 's/.*"elapsed_ms":\([0-9]*\).*/\1/p')
  echo "RESULT doctor run=$r secrets=$SECRETS exit=$code wall_ms=$(( (t1 - t0) / 1000000 )) doctor_ms=$inner load=$(cut -d' ' -f1 /proc/loadavg)"
done
