#!/usr/bin/env bash
# Speed of the day-2 operator commands on SQLite, while a node serves 16 readers.
#
#   bench/ops.sh [--secrets 100000] [--connections 16] [--window 10] [--no-build]
#
# 1. a fresh node (SQLite, two software stores: software = global default, software-2), audit on;
# 2. `portcullis-bench load` of N secrets into project ops-bench (16 in flight);
# 3. GET p99 with no operation running: wrk -t1 -cC -d WINDOWs get_payload over 1000 of those secrets;
# 4. `manage store migrate --from software --to software-2 --project ops-bench --batch 1000` while
#    the same wrk runs (its window covers the first WINDOW seconds of the migration): secrets/s, and
#    the readers' p99 and non-2xx during the move;
# 5. the N secrets are soft-deleted with one SQL UPDATE (deleted_at two days back; what N API deletes
#    would leave behind), then `manage purge --deleted-older-than 1d` is timed.
# Prints a report (also in /tmp/portcullis-bench/ops-<time>/report.txt).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
REPO=$(dirname "$BENCH_DIR")
# shellcheck source=scripts/lib.sh
. "$REPO/scripts/lib.sh"
SHARED=$(readlink -m "${PORTCULLIS_SHARED:-$REPO/../shared}")
[ -f "$SHARED/reference/wrk/get_payload.lua" ] || { echo "ops.sh: no $SHARED/reference/wrk (set PORTCULLIS_SHARED)" >&2; exit 2; }
SECRETS=100000; CONNS=16; WINDOW=10; BUILD=1
while [ $# -gt 0 ]; do
  case $1 in
    --secrets) SECRETS=$2; shift 2 ;;
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
BJAR=$BENCH_DIR/target/portcullis-bench.jar
if [ "$BUILD" = 1 ] || [ ! -f "$JAR" ] || [ ! -f "$BJAR" ]; then
  log "building (mvn -B -q -DskipTests package)"
  (cd "$REPO" && MAVEN_OPTS=--sun-misc-unsafe-memory-access=allow mvn -B -q -o -DskipTests package) > "$OUT/build.log" 2>&1
fi
PORT=$(free_port 19400)
new_kek "$OUT/kek-1"; new_kek "$OUT/kek-2"
{ cat <<CONF
[DEFAULT]
sql_connection = sqlite:///$OUT/portcullis.sqlite

[portcullis]
bind_host = 127.0.0.1
bind_port = $PORT
data_dir = $OUT
auth_strategy = noauth

CONF
  software_stores "$OUT/kek-1" "$OUT/kek-2"; } > "$OUT/portcullis.conf"
chmod 600 "$OUT/portcullis.conf"
"$JAVA_HOME/bin/java" -Xss512k -XX:+UseSerialGC -jar "$JAR" serve --config "$OUT/portcullis.conf" > "$OUT/node.log" 2>&1 &
NODE=$!
trap 'kill $NODE 2>/dev/null || true' EXIT
URL=http://127.0.0.1:$PORT
for _ in $(seq 120); do curl -fs "$URL/" >/dev/null 2>&1 && break; sleep 0.5; done
log "node on $URL (pid $NODE); loading $SECRETS secrets"
"$JAVA_HOME/bin/java" -jar "$BJAR" load "$URL" ops-bench "$SECRETS" 16 > "$OUT/load.log" 2>&1
sqlite3 "$OUT/portcullis.sqlite" "SELECT id FROM secrets WHERE project_id = 'ops-bench' LIMIT 1000" > "$OUT/ids.txt"
WRK="wrk -t1 -c$CONNS -d${WINDOW}s -s $SHARED/reference/wrk/get_payload.lua $URL -- ops-bench $OUT/ids.txt"
export WRK_LUA_DIR=$SHARED/reference/wrk
log "baseline: $CONNS readers for ${WINDOW}s"
$WRK > "$OUT/wrk-baseline.txt" 2>&1
log "migrating software -> software-2 while $CONNS readers run"
$WRK > "$OUT/wrk-migrate.txt" 2>&1 &
WRKPID=$!
start=$(date +%s.%N)
"$JAVA_HOME/bin/java" -jar "$JAR" manage store migrate --config "$OUT/portcullis.conf" --from software --to software-2 \
  --project ops-bench --batch 1000 > "$OUT/migrate.txt" 2>"$OUT/migrate.err"
end=$(date +%s.%N)
wait $WRKPID || true
migrate_s=$(echo "$end - $start" | bc)
log "purge: soft-deleting the $SECRETS rows, then manage purge"
twodays=$(( ($(date +%s) - 172800) * 1000 ))
sqlite3 "$OUT/portcullis.sqlite" ".timeout 30000" "UPDATE secrets SET deleted = 1, deleted_at = $twodays, payload = NULL WHERE project_id = 'ops-bench'"
start=$(date +%s.%N)
"$JAVA_HOME/bin/java" -jar "$JAR" manage purge --config "$OUT/portcullis.conf" --deleted-older-than 1d > "$OUT/purge.txt" 2>"$OUT/purge.err"
end=$(date +%s.%N)
purge_s=$(echo "$end - $start" | bc)
res() { grep '^RESULT' "$1" | sed 's/.*p99_ms=\([^ ]*\).*non2xx=\([^ ]*\).*/p99 \1 ms, non-2xx \2/'; }
{
  echo "bench/ops.sh  $(date -u +%FT%TZ)  $(nproc) cores  secrets=$SECRETS readers=$CONNS"
  echo "load:      $(grep '^LOAD' "$OUT/load.log" || tail -1 "$OUT/load.log")"
  echo "migrate:   $(grep '^moved' "$OUT/migrate.txt")  wall ${migrate_s}s (JVM start and store checks included)"
  echo "readers:   baseline $(res "$OUT/wrk-baseline.txt"); during migration $(res "$OUT/wrk-migrate.txt")"
  echo "purge:     $(grep '^purged' "$OUT/purge.txt" | head -1)  wall ${purge_s}s (JVM start included)"
} | tee "$OUT/report.txt"
