#!/usr/bin/env bash
# bench/doctor.sh [--secrets N] [--projects P] [--runs R]: how long `portcullis manage doctor`
# takes on a node holding N secrets (default 100000, in P projects, default 100) on SQLite. In a
# temporary directory: seals and inserts the N secrets through the software store with DoctorSeed
# (server test classes; the API path is too slow on a busy 2-core machine), starts a node (java
# -jar server/target/portcullis.jar serve) and checks it serves one of them, then runs the doctor R
# times (default 3) while the node serves, printing each run's wall time (JVM start included) and
# the doctor's own elapsed_ms, the process's CPU time (user+sys: what a busy machine does not
# inflate) and the doctor's per-check timings. Needs server/target/portcullis.jar and server/target/test-classes
# (./portcullis build; mvn -pl server test-compile). Everything is removed afterwards.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$BENCH_DIR")
. "$REPO/scripts/lib.sh"
SECRETS=100000
RUNS=3
PROJECTS=100
while [ $# -gt 0 ]; do
  case $1 in
    --secrets) SECRETS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --projects) PROJECTS=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1" ;;
  esac
done
pick_jdk
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
SERVER_JAR=$REPO/server/target/portcullis.jar
TEST_CLASSES=$REPO/server/target/test-classes
[ -f "$SERVER_JAR" ] && [ -f "$TEST_CLASSES/org/portcullis/ops/DoctorSeed.class" ] ||
  die "build first: ./portcullis build; mvn -pl server -am test-compile"

DIR=$(mktemp -d /tmp/portcullis-doctor-bench.XXXXXX)
SERVER_PID=
cleanup() { if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null || true; fi; rm -rf "$DIR"; }
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
log "sealing and inserting $SECRETS secrets in $PROJECTS projects"
"$JAVA" -cp "$SERVER_JAR:$TEST_CLASSES" org.portcullis.ops.DoctorSeed "$DIR/portcullis.conf" "$SECRETS" "$PROJECTS" \
  2>"$DIR/seed.err" | grep '^SEED' >&2
"$JAVA" -jar "$SERVER_JAR" serve --config "$DIR/portcullis.conf" > "$DIR/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 600); do
  curl -fsS "http://127.0.0.1:$PORT/healthcheck" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || die "the node did not start, see $DIR/server.log"
  sleep 0.2
done
ID=$(sqlite3 "$DIR/portcullis.sqlite" "SELECT id || ' ' || project_id FROM secrets LIMIT 1" 2>/dev/null || true)
if [ -n "$ID" ]; then
  read -r sid proj <<<"$ID"
  got=$(curl -fsS -H "X-Project-Id: $proj" -H 'Accept: text/plain' "http://127.0.0.1:$PORT/v1/secrets/$sid/payload") ||
    die "the node does not serve a seeded secret"
  log "the node serves seeded secret $sid: '$got'"
fi
for r in $(seq 1 "$RUNS"); do
  TIMEFORMAT='%R %U %S'
  set +e
  { time "$JAVA" -jar "$SERVER_JAR" manage doctor --config "$DIR/portcullis.conf" --format json \
      > "$DIR/doctor.json" 2>/dev/null; } 2> "$DIR/time.txt"
  code=$?
  set -e
  read -r real user sys < "$DIR/time.txt"
  inner=$(sed -n 's/.*"elapsed_ms":\([0-9]*\).*/\1/p' "$DIR/doctor.json")
  timings=$(sed -n 's/.*"timings_ms":\({[^}]*}\).*/\1/p' "$DIR/doctor.json")
  echo "RESULT doctor run=$r secrets=$SECRETS exit=$code wall_s=$real cpu_s=$(echo "$user + $sys" | bc) doctor_ms=$inner" \
    "timings_ms=$timings load=$(cut -d' ' -f1 /proc/loadavg)"
done
