#!/usr/bin/env bash
# Master-key rotation with --reseal of N secrets while a node serves 16 clients.
#
#   bench/kek-rotate.sh [--secrets 100000] [--projects 100] [--only sqlite|postgresql]
#                       [--connections 16] [--batch 500] [--no-build] [--keep]
#
# For each database: N secrets in P projects are sealed under the old master KEK and inserted in
# batches (DoctorSeed, from server/target/test-classes), a node starts with kek_file = new key and
# previous_kek_files = old key,
# then wrk (-t1 -cN, get_payload over 100 of the secrets) measures GET p99 for 10 s alone, and
# again in 5 s rounds while `portcullis manage kek rotate --reseal` runs against the same
# database. Prints secrets re-sealed per second and the GET p99 before and during (the worst
# round). Targets (issue 14): >= 2,000 secrets/s; GET p99 at most doubled. Output and logs in
# $BENCH_ROOT/kek-<timestamp>/ (report.txt).
#
# Env: JAVA_HOME (JDK >= 21), BENCH_ROOT (default /tmp/portcullis-bench), PORTCULLIS_SHARED
#      (default <repo>/../shared: its reference/wrk scripts drive wrk).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
REPO=$(dirname "$BENCH_DIR")
# shellcheck source=scripts/lib.sh
. "$REPO/scripts/lib.sh"
# shellcheck source=bench/lib/pg-durable.sh
. "$BENCH_DIR/lib/pg-durable.sh"
SHARED=$(readlink -m "${PORTCULLIS_SHARED:-$REPO/../shared}")
export WRK_LUA_DIR=$SHARED/reference/wrk

SECRETS=100000
PROJECTS=100
ONLY=
CONNS=16
BATCH=500
BUILD=1
KEEP=0
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }
while [ $# -gt 0 ]; do
  case $1 in
    --secrets) SECRETS=$2; shift 2 ;;
    --projects) PROJECTS=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    --connections) CONNS=$2; shift 2 ;;
    --batch) BATCH=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "kek-rotate.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || die "wrk is not installed"
[ -f "$WRK_LUA_DIR/get_payload.lua" ] || die "$WRK_LUA_DIR/get_payload.lua not found: set PORTCULLIS_SHARED"
pick_jdk
JAVA=$JAVA_HOME/bin/java
SERVER_JAR=$REPO/server/target/portcullis.jar
TEST_CLASSES=$REPO/server/target/test-classes
if [ "$BUILD" = 1 ]; then
  (cd "$REPO" && MAVEN_OPTS=--sun-misc-unsafe-memory-access=allow mvn -B -q -o -DskipTests package -pl server -am \
    && MAVEN_OPTS=--sun-misc-unsafe-memory-access=allow mvn -B -q -o -pl server test-compile) || die "build failed"
fi
[ -f "$TEST_CLASSES/org/portcullis/ops/DoctorSeed.class" ] || die "no $TEST_CLASSES (mvn -pl server test-compile)"
OUT=${BENCH_ROOT:-/tmp/portcullis-bench}/kek-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
PID=
PG_DIR=
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
  [ -n "$PG_DIR" ] && "$REPO/scripts/postgres.sh" stop "$PG_DIR" >/dev/null 2>&1 || true
  [ "$KEEP" = 1 ] || rm -rf "$OUT"/*/data
}
trap cleanup EXIT

conf() {  # conf FILE SQL PORT KEK [PREVIOUS]
  cat > "$1" <<CONF
[DEFAULT]
sql_connection = $2

[portcullis]
bind_host = 127.0.0.1
bind_port = $3
data_dir = $(dirname "$1")

[simple_crypto_plugin]
kek_file = $4
${5:+previous_kek_files = $5}
CONF
  chmod 600 "$1"
}
start() {  # start CONF LOG PORT
  server_jvm_opts
  "$JAVA" "${SERVER_JVM_OPTS[@]}" -jar "$SERVER_JAR" serve --config "$1" > "$2" 2>&1 < /dev/null &
  PID=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Project-Id: probe' "http://127.0.0.1:$3/v1/secrets?limit=1")" = 200 ]; do
    kill -0 "$PID" 2>/dev/null || { tail -20 "$2" >&2; die "the node did not start"; }
    sleep 0.2
  done
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=; }
p99() { sed -n 's/.* p99_ms=\([^ ]*\).*/\1/p' "$1"; }

printf '%-10s %8s %10s %12s %8s %14s %14s %6s\n' database secrets seconds secrets/s cpu_s "GET p99 alone" "GET p99 during" \
  load | tee "$OUT/report.txt"
for db in sqlite postgresql; do
  [ -n "$ONLY" ] && [ "$ONLY" != "$db" ] && continue
  dir=$OUT/$db/data
  mkdir -p "$dir"
  if [ "$db" = sqlite ]; then
    sql="sqlite:///$dir/portcullis.sqlite"
  else
    PG_DIR=$OUT/$db/postgres
    "$REPO/scripts/postgres.sh" start "$PG_DIR" > "$OUT/$db/postgres.env"
    sql=$(sed -n 's/^PORTCULLIS_PG_JDBC=//p' "$OUT/$db/postgres.env")
    pg_durable "$PG_DIR" "$(sed -n 's/^PORTCULLIS_PG_URL=//p' "$OUT/$db/postgres.env")"
  fi
  new_kek "$dir/kek-old"; new_kek "$dir/kek-new"
  port=$(free_port 19500)
  conf "$dir/portcullis.conf" "$sql" "$port" "$dir/kek-old"
  # Sealed through the store and inserted in batches (DoctorSeed): N API creates would take longer
  # than the rotation on a busy machine, and what is measured is the rotation.
  "$JAVA" -cp "$SERVER_JAR:$TEST_CLASSES" org.portcullis.ops.DoctorSeed "$dir/portcullis.conf" "$SECRETS" "$PROJECTS" \
    2> "$OUT/$db/seed.err" | tee "$OUT/$db/seed.txt" >&2
  conf "$dir/portcullis.conf" "$sql" "$port" "$dir/kek-new" "$dir/kek-old"
  start "$dir/portcullis.conf" "$OUT/$db/node-new.log" "$port"
  url=http://127.0.0.1:$port
  curl -s -H 'X-Project-Id: seed-1' "$url/v1/secrets?limit=100" \
    | grep -o '"secret_ref": *"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/' > "$OUT/$db/ids.txt"
  wrk -t1 -c"$CONNS" -d10s --timeout 10s --latency -s "$WRK_LUA_DIR/get_payload.lua" "$url" -- seed-1 "$OUT/$db/ids.txt" > "$OUT/$db/wrk-alone.txt" 2>&1
  t0=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$OUT/$db/rotate.cpu" "$JAVA" -XX:+UseSerialGC -jar "$SERVER_JAR" manage kek rotate --config "$dir/portcullis.conf" --reseal --batch "$BATCH" \
    > "$OUT/$db/rotate.log" 2>&1 &
  rot=$!
  worst=0; round=0
  while kill -0 "$rot" 2>/dev/null; do
    round=$((round + 1))
    wrk -t1 -c"$CONNS" -d5s --timeout 10s --latency -s "$WRK_LUA_DIR/get_payload.lua" "$url" -- seed-1 "$OUT/$db/ids.txt" > "$OUT/$db/wrk-during-$round.txt" 2>&1
    v=$(p99 "$OUT/$db/wrk-during-$round.txt"); worst=$(awk -v a="$worst" -v b="${v:-0}" 'BEGIN{print (b > a) ? b : a}')
  done
  wait "$rot" || die "rotate failed: $(tail -5 "$OUT/$db/rotate.log")"
  t1=$(date +%s.%N)
  resealed=$(sed -n 's/.* \([0-9]*\) payload(s) re-sealed.*/\1/p' "$OUT/$db/rotate.log")
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')
  cpu=$(awk '{printf "%.1f", $1 + $2}' "$OUT/$db/rotate.cpu")
  printf '%-10s %8s %10s %12.0f %8s %14s %14s %6s\n' "$db" "$resealed" "$secs" \
    "$(awk -v n="$resealed" -v s="$secs" 'BEGIN{print n/s}')" "$cpu" "$(p99 "$OUT/$db/wrk-alone.txt") ms" "$worst ms" \
    "$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUT/report.txt"
  stop
  [ -n "$PG_DIR" ] && { "$REPO/scripts/postgres.sh" stop "$PG_DIR" >/dev/null; PG_DIR=; }
done
echo "kek-rotate.sh: the rotation's own rate (without JVM start) is in $OUT/*/rotate.log; report: $OUT/report.txt" >&2
