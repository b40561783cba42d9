#!/usr/bin/env bash
# Speed of the day-2 operator commands while a node serves 16 readers, on SQLite or PostgreSQL.
#
#   bench/ops.sh [--secrets 100000] [--projects 100] [--db sqlite|postgresql] [--connections 16]
#                [--window 10] [--batch 1000] [--no-build]
#
# 1. N secrets in P projects are sealed through the software store and inserted in batches
#    (DoctorSeed, from server/target/test-classes; N API creates take longer than what is measured);
# 2. a fresh node (two software stores: software = global default, software-2), audit on;
# 3. GET p99 with no operation running: wrk -t1 -cC -d WINDOWs get_payload over 1000 secrets of one project;
# 4. `manage store migrate --from software --to software-2 --batch B` while the same wrk runs (its
#    window covers the first WINDOW seconds of the migration): secrets/s, the readers' p99 and
#    non-2xx during the move;
# 5. the N secrets are soft-deleted with one SQL UPDATE (deleted_at two days back; what N API deletes
#    would leave behind), then `manage purge --deleted-older-than 1d` is timed.
# Each command's wall time (JVM start included) and CPU time (user+sys) and the load average are
# reported (also in /tmp/portcullis-bench/ops-<time>/report.txt).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
REPO=$(dirname "$BENCH_DIR")
# shellcheck source=scripts/lib.sh
. "$REPO/scripts/lib.sh"
# shellcheck source=bench/lib/pg-durable.sh
. "$BENCH_DIR/lib/pg-durable.sh"
SHARED=$(readlink -m "${PORTCULLIS_SHARED:-$REPO/../shared}")
[ -f "$SHARED/reference/wrk/get_payload.lua" ] || { echo "ops.sh: no $SHARED/reference/wrk (set PORTCULLIS_SHARED)" >&2; exit 2; }
SECRETS=100000; PROJECTS=100; DB=sqlite; CONNS=16; WINDOW=10; BATCH=1000; BUILD=1
while [ $# -gt 0 ]; do
  case $1 in
    --secrets) SECRETS=$2; shift 2 ;;
    --projects) PROJECTS=$2; shift 2 ;;
    --db) DB=$2; shift 2 ;;
    --batch) BATCH=$2; shift 2 ;;
    --connections) CONNS=$2; shift 2 ;;
    --window) WINDOW=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "ops.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
pick_jdk
OUT=${BENCH_ROOT:-/tmp/portcullis-bench}/ops-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
log() { printf '%s ops.sh: %s\n' "$(date +%T)" "$*" | tee -a "$OUT/run.log" >&2; }
JAR=$REPO/server/target/portcullis.jar
TEST_CLASSES=$REPO/server/target/test-classes
if [ "$BUILD" = 1 ] || [ ! -f "$JAR" ] || [ ! -f "$TEST_CLASSES/org/portcullis/ops/DoctorSeed.class" ]; then
  log "building (mvn -B -q -DskipTests package; test-compile)"
  (cd "$REPO" && MAVEN_OPTS=--sun-misc-unsafe-memory-access=allow mvn -B -q -o -DskipTests package -pl server -am \
    && MAVEN_OPTS=--sun-misc-unsafe-memory-access=allow mvn -B -q -o -pl server test-compile) > "$OUT/build.log" 2>&1
fi
PORT=$(free_port 19400)
NODE=; PG_DIR=
cleanup() {
  [ -n "$NODE" ] && kill "$NODE" 2>/dev/null || true
  [ -n "$PG_DIR" ] && "$REPO/scripts/postgres.sh" stop "$PG_DIR" >/dev/null 2>&1 || true
}
trap cleanup EXIT
case $DB in
  sqlite) SQL="sqlite:///$OUT/portcullis.sqlite"
    sql() { sqlite3 "$OUT/portcullis.sqlite" ".timeout 30000" "$1"; } ;;
  postgresql) PG_DIR=$OUT/postgres
    "$REPO/scripts/postgres.sh" start "$PG_DIR" > "$OUT/postgres.env"
    SQL=$(sed -n 's/^PORTCULLIS_PG_JDBC=//p' "$OUT/postgres.env")
    PG_URL=$(sed -n 's/^PORTCULLIS_PG_URL=//p' "$OUT/postgres.env")
    pg_durable "$PG_DIR" "$PG_URL"
    sql() { psql -q -At -X -v ON_ERROR_STOP=1 "$PG_URL" -c "$1"; } ;;
  *) echo "ops.sh: --db sqlite or postgresql" >&2; exit 2 ;;
esac
new_kek "$OUT/kek-1"; new_kek "$OUT/kek-2"
{ cat <<CONF
[DEFAULT]
sql_connection = $SQL

[portcullis]
bind_host = 127.0.0.1
bind_port = $PORT
data_dir = $OUT
auth_strategy = noauth

CONF
  software_stores "$OUT/kek-1" "$OUT/kek-2"; } > "$OUT/portcullis.conf"
chmod 600 "$OUT/portcullis.conf"
log "sealing and inserting $SECRETS secrets in $PROJECTS projects ($DB)"
"$JAVA_HOME/bin/java" -cp "$JAR:$TEST_CLASSES" org.portcullis.ops.DoctorSeed "$OUT/portcullis.conf" "$SECRETS" "$PROJECTS" \
  > "$OUT/load.log" 2> "$OUT/seed.err"
"$JAVA_HOME/bin/java" -Xss512k -XX:+UseSerialGC -jar "$JAR" serve --config "$OUT/portcullis.conf" > "$OUT/node.log" 2>&1 &
NODE=$!
URL=http://127.0.0.1:$PORT
for _ in $(seq 120); do curl -fs "$URL/" >/dev/null 2>&1 && break; sleep 0.5; done
log "node on $URL (pid $NODE)"
sql "SELECT id FROM secrets WHERE project_id = 'seed-1' LIMIT 1000" > "$OUT/ids.txt"
WRK="wrk -t1 -c$CONNS -d${WINDOW}s -s $SHARED/reference/wrk/get_payload.lua $URL -- seed-1 $OUT/ids.txt"
export WRK_LUA_DIR=$SHARED/reference/wrk
# timed NAME COMMAND...: runs it, keeping its wall and CPU seconds in $OUT/NAME.time
timed() {
  local name=$1; shift
  local t0; t0=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$OUT/$name.cpu" "$@"
  echo "$(echo "$(date +%s.%N) - $t0" | bc) $(awk '{print $1 + $2}' "$OUT/$name.cpu") $(cut -d' ' -f1 /proc/loadavg)" \
    > "$OUT/$name.time"
}
log "baseline: $CONNS readers for ${WINDOW}s"
$WRK > "$OUT/wrk-baseline.txt" 2>&1
log "migrating software -> software-2 while $CONNS readers run"
$WRK > "$OUT/wrk-migrate.txt" 2>&1 &
WRKPID=$!
timed migrate "$JAVA_HOME/bin/java" -XX:+UseSerialGC -jar "$JAR" manage store migrate --config "$OUT/portcullis.conf" \
  --from software --to software-2 --batch "$BATCH" > "$OUT/migrate.txt" 2>"$OUT/migrate.err"
wait $WRKPID || true
log "purge: soft-deleting the $SECRETS rows, then manage purge"
twodays=$(( ($(date +%s) - 172800) * 1000 ))
sql "UPDATE secrets SET deleted = true, deleted_at = $twodays, payload = NULL"
timed purge "$JAVA_HOME/bin/java" -XX:+UseSerialGC -jar "$JAR" manage purge --config "$OUT/portcullis.conf" \
  --deleted-older-than 1d > "$OUT/purge.txt" 2>"$OUT/purge.err"
res() { grep '^RESULT' "$1" | sed 's/.*p99_ms=\([^ ]*\).*non2xx=\([^ ]*\).*/p99 \1 ms, non-2xx \2/'; }
times() { read -r w c l < "$OUT/$1.time"; echo "wall ${w}s, cpu ${c}s, load $l (JVM start included)"; }
{
  echo "bench/ops.sh  $(date -u +%FT%TZ)  $(nproc) cores  db=$DB secrets=$SECRETS projects=$PROJECTS readers=$CONNS"
  echo "seed:      $(grep '^SEED' "$OUT/load.log" || tail -1 "$OUT/load.log")"
  echo "migrate:   $(grep '^moved' "$OUT/migrate.txt")  $(times migrate)"
  echo "readers:   baseline $(res "$OUT/wrk-baseline.txt"); during migration $(res "$OUT/wrk-migrate.txt")"
  echo "purge:     $(grep '^purged' "$OUT/purge.txt" | head -1)  $(times purge)"
} | tee "$OUT/report.txt"
