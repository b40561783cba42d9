#!/usr/bin/env bash
# bench/scale.sh: start time, memory and the latency curve of one Portcullis node as its database
# grows (issue 12). See usage() below; results are appended to DIR/results.tsv.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
# shellcheck source=../scripts/lib.sh
. "$REPO/scripts/lib.sh"

usage() {
  cat <<'EOF'
usage: bench/scale.sh --out DIR [--sizes 10000,100000,1000000] [--db sqlite|postgresql]
                      [--duration 10s] [--warmup 15s] [--conns 16] [--starts 3]

Grows one database through each size in turn (ascending) and measures at each:
  start      time from the JVM's start to its first 200 from GET /healthcheck, --starts times
             (median reported; each start also reports the server's CPU seconds until then)
  memory     VmRSS of the server right after it is ready and after the warm load below
  latency    wrk (-t1 -c CONNS -d DURATION --timeout 30s, after an unreported run of --warmup) on GET
             payload of sampled secrets, list (limit=10) and list with an offset 20 from the end of the list.
             The server was just started: with a 3 s warm-up its throughput still more than doubled during the
             measured GET run (the JIT compiling), and the slow requests that made its p99 fell in 2 s of it.

The secrets are seeded with the server's own configuration loader, store registry and secret
repository (org.portcullis.bench.Seed, in transactions of 10,000): real, sealed, decryptable
rows in one project; a sample of them is read back through the API and compared byte for byte
before anything is measured.

How start is timed: the script takes the wall clock (date +%s.%N) just before it execs the JVM
and polls GET /healthcheck every 20 ms; start_ready_seconds_SIZE is the time of the first 200
minus that. The process's own start (/proc/PID/stat starttime) is within a few ms of it and is
logged for comparison. The JVM options are the launcher's (scripts/lib.sh server_jvm_opts),
including its AOT cache (scripts/lib.sh server_aot_opts), kept in DIR: the first start records
it (reported apart as start_ready_first_seconds_SIZE), the later ones start from it.
PORTCULLIS_AOT=0 measures without the cache.

Lines appended to DIR/results.tsv (metric<TAB>value<TAB>unit), SIZE = 10k, 100k, 1m, ...:
  seed_rate_SIZE, scale_load_average_SIZE, start_ready_seconds_SIZE, start_ready_first_seconds_SIZE, start_cpu_seconds_SIZE,
  rss_start_mb_SIZE, rss_mb_SIZE, hwm_mb_SIZE,
  NAME_{p50,p99}_ms_SIZE, NAME_rps_SIZE, NAME_cpu_us_SIZE, NAME_errors_SIZE
  for NAME in get_payload, list, list_offset
(*_cpu_us_*: the server's CPU time per request during the run, the figure that holds on a busy
machine). Also DIR/scale.log (the run), DIR/SIZE/ (server logs, wrk output).

A DIR that holds an earlier SQLite run's database is reused: the sizes start from the secrets it
holds (so a new build can be measured on the same 1M rows; its first start migrates them).

Needs: the reference wrk scripts ($PORTCULLIS_SHARED/reference/wrk, default ../shared beside the
repository), a built jar (./portcullis build) and bench classes (mvn -pl bench -am package), wrk, curl,
and for --db postgresql scripts/postgres.sh. Nothing but DIR is written; the servers and the
PostgreSQL it starts are stopped on exit.
EOF
}

OUT= SIZES=10000,100000,1000000 DB=sqlite DURATION=10s WARMUP=15s CONNS=16 STARTS=3
while [ $# -gt 0 ]; do
  case $1 in
    --out) OUT=$2; shift 2 ;;
    --sizes) SIZES=$2; shift 2 ;;
    --db) DB=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --conns) CONNS=$2; shift 2 ;;
    --starts) STARTS=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$OUT" ] || { usage >&2; exit 2; }
case $DB in sqlite|postgresql) ;; *) die "--db must be sqlite or postgresql" ;; esac
[[ $STARTS =~ ^[1-9][0-9]*$ ]] || die "--starts must be a positive number"

pick_jdk
JAVA=$JAVA_HOME/bin/java
SERVER_JAR=${PORTCULLIS_JAR:-$REPO/server/target/portcullis.jar}
BENCH_CLASSES=$BENCH_DIR/target/classes
[ -f "$SERVER_JAR" ] || die "$SERVER_JAR missing: run ./portcullis build"
[ -f "$BENCH_CLASSES/org/portcullis/bench/Seed.class" ] || die "bench classes missing: mvn -pl bench -am package"
command -v wrk >/dev/null && command -v curl >/dev/null || die "wrk and curl are needed"
SHARED=$(readlink -m "${PORTCULLIS_SHARED:-$REPO/../shared}")
WRK_LUA_DIR=$SHARED/reference/wrk
[ -f "$WRK_LUA_DIR/common.lua" ] || die "$WRK_LUA_DIR/common.lua missing (set PORTCULLIS_SHARED to the shared directory)"
export WRK_LUA_DIR

mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
LOG=$OUT/scale.log RESULTS=$OUT/results.tsv
NODE=$OUT/node PROJECT=scale-bench
SERVER_PID= PG_DIR=

say() { printf '%s %s\n' "$(date -u +%T)" "$*" | tee -a "$LOG" >&2; }
metric() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$RESULTS"; say "  $1 = $2 $3"; }
label() {  # 10000 -> 10k, 1000000 -> 1m
  local n=$1
  if [ $((n % 1000000)) = 0 ]; then echo "$((n / 1000000))m"
  elif [ $((n % 1000)) = 0 ]; then echo "$((n / 1000))k"
  else echo "$n"; fi
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
rss_mb() { awk -v k="$2:" '$1==k{printf "%.0f", $2 / 1024}' "/proc/$1/status" 2>/dev/null; }
TICK=$(getconf CLK_TCK)

cleanup() {
  local rc=$?
  stop_server
  [ -z "$PG_DIR" ] || "$REPO/scripts/postgres.sh" stop "$PG_DIR" >>"$LOG" 2>&1 || true
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- the node
PORT=$(free_port $((19500 + RANDOM % 400)))  # a random base: other runs on this machine start from 19500 too
write_config() {
  local sql
  mkdir -p "$NODE"; chmod 700 "$NODE"
  new_kek "$NODE/kek"
  if [ "$DB" = postgresql ]; then
    PG_DIR=$OUT/postgres
    sql=$("$REPO/scripts/postgres.sh" start "$PG_DIR" 2>>"$LOG" | sed -n 's/^PORTCULLIS_PG_URL=//p')
    [ -n "$sql" ] || die "scripts/postgres.sh start failed (see $LOG)"
  else
    sql=sqlite:///$NODE/portcullis.db
  fi
  cat > "$NODE/portcullis.conf" <<EOF
[DEFAULT]
host_href = http://127.0.0.1:$PORT
sql_connection = $sql

[portcullis]
bind_host = 127.0.0.1
bind_port = $PORT
data_dir = $NODE
auth_strategy = noauth

[simple_crypto_plugin]
kek_file = $NODE/kek
EOF
  chmod 600 "$NODE/portcullis.conf"
}

# start_server, stop_server: the same start as bench/start.sh
# shellcheck source=lib/node-start.sh
. "$BENCH_DIR/lib/node-start.sh"

# ---------------------------------------------------------------- steps
seed() {  # seed COUNT SIZE_DIR
  local n=$1 dir=$2 line
  say "seeding $n secrets"
  line=$("$JAVA" --enable-native-access=ALL-UNNAMED -Xmx512m -cp "$SERVER_JAR:$BENCH_CLASSES" org.portcullis.bench.Seed \
    "$NODE/portcullis.conf" "$PROJECT" "$n" "$dir/seeded.tsv" 200 2>>"$dir/seed.log" | grep '^SEED ') ||
    die "seeding failed (see $dir/seed.log)"
  say "  $line"
  cat "$dir/seeded.tsv" >> "$OUT/samples.tsv"
  SEED_RATE=$(sed -n 's/.*rate=\([0-9]*\).*/\1/p' <<<"$line")
}

verify() {  # every 10th sample, read back through the API, byte for byte
  local id b64 got checked=0
  while IFS=$'\t' read -r id b64; do
    got=$(curl -sf -H "X-Project-Id: $PROJECT" -H 'Accept: application/octet-stream' \
      "http://127.0.0.1:$PORT/v1/secrets/$id/payload" | base64 -w0) || die "GET payload of $id failed"
    [ "$got" = "$b64" ] || die "secret $id reads back as $got, seeded as $b64"
    checked=$((checked + 1))
  done < <(awk 'NR % 10 == 1' "$OUT/samples.tsv")
  say "  $checked seeded secrets read back byte for byte"
}

check_total() {  # the list's total counts every seeded secret
  local want=$1 total
  total=$(curl -sf -H "X-Project-Id: $PROJECT" "http://127.0.0.1:$PORT/v1/secrets?limit=1" |
    sed -n 's/.*"total" *: *\([0-9]*\).*/\1/p')
  [ "$total" = "$want" ] || die "list total is '$total', expected $want"
}

run_wrk() {  # run_wrk NAME SIZE_LABEL SIZE_DIR LUA ARGS...
  local name=$1 l=$2 dir=$3 lua=$4 url="http://127.0.0.1:$PORT" c0 c1 line rps reqs
  shift 4
  wrk -t1 -c"$CONNS" -d"$WARMUP" -s "$lua" "$url" -- "$@" > "$dir/$name.warmup.txt" 2>&1 || true
  c0=$(cpu_ticks "$SERVER_PID")
  wrk -t1 -c"$CONNS" -d"$DURATION" --timeout 30s --latency -s "$lua" "$url" -- "$@" > "$dir/$name.txt" 2>&1 ||
    die "wrk $name failed (see $dir/$name.txt)"
  c1=$(cpu_ticks "$SERVER_PID")
  line=$(grep '^RESULT ' "$dir/$name.txt") || die "wrk $name printed no RESULT (see $dir/$name.txt)"
  field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$line"; }
  rps=$(field rps); reqs=$(field requests)
  metric "${name}_p50_ms_$l" "$(field p50_ms)" ms
  metric "${name}_p99_ms_$l" "$(field p99_ms)" ms
  metric "${name}_rps_$l" "$rps" req/s
  metric "${name}_errors_$l" $(($(field non2xx) + $(field timeouts) + $(field connect_err) + $(field read_err))) requests
  [ "${reqs:-0}" -gt 0 ] || { say "  wrk $name completed no request in $DURATION: $line"; return 0; }
  metric "${name}_cpu_us_$l" "$(awk -v d=$((c1 - c0)) -v hz="$TICK" -v n="$reqs" 'BEGIN{printf "%.0f", d / hz * 1e6 / n}')" us/req
}

median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR + 1) / 2)]}'; }

# ---------------------------------------------------------------- main
say "bench/scale.sh: sizes $SIZES, $DB, wrk -c$CONNS -d$DURATION (warm-up $WARMUP), $STARTS starts; $(nproc) cores, $(uptime | sed 's/.*load/load/')"
have=0 first=1
if [ "$DB" = sqlite ] && [ -f "$NODE/portcullis.db" ] && [ -s "$OUT/seeded-count" ]; then
  # DIR holds the database of an earlier run: grow it from there (a new build migrates it first)
  have=$(cat "$OUT/seeded-count")
  sed -i "s#^bind_port = .*#bind_port = $PORT#; s#^host_href = .*#host_href = http://127.0.0.1:$PORT#" "$NODE/portcullis.conf"
  say "reusing $NODE with $have seeded secrets"
else
  write_config
  : > "$OUT/samples.tsv"
fi
IFS=, read -r -a sizes <<<"$SIZES"
for n in $(printf '%s\n' "${sizes[@]}" | sort -n); do
  [[ $n =~ ^[0-9]+$ ]] && [ "$n" -ge "$have" ] || die "sizes must be ascending numbers (got $n after $have)"
  l=$(label "$n"); dir=$OUT/$l; mkdir -p "$dir"
  say "== $l secrets ($(uptime | sed 's/.*load/load/'))"
  [ "$n" = "$have" ] || seed $((n - have)) "$dir"
  have=$n; echo "$have" > "$OUT/seeded-count"
  [ -z "${SEED_RATE:-}" ] || metric "seed_rate_$l" "$SEED_RATE" secrets/s
  SEED_RATE=
  # the figures of a busy machine read differently: its 1-minute load average before the starts
  metric "scale_load_average_$l" "$(cut -d' ' -f1 /proc/loadavg)" load
  times=() cpus=()
  for i in $(seq 1 "$STARTS"); do
    stop_server
    start_server "$dir/server.$i.log" "$SERVER_JAR" "$OUT"
    if [ "$first" = 1 ]; then
      # the first start after a build may write the launcher's AOT cache at exit: reported apart
      metric "start_ready_first_seconds_$l" "$READY_SECONDS" s
      first=0; stop_server; start_server "$dir/server.$i.cached.log" "$SERVER_JAR" "$OUT"
    fi
    times+=("$READY_SECONDS"); cpus+=("$READY_CPU_SECONDS")
  done
  metric "start_ready_seconds_$l" "$(printf '%s\n' "${times[@]}" | median)" s
  metric "start_cpu_seconds_$l" "$(printf '%s\n' "${cpus[@]}" | median)" s
  metric "rss_start_mb_$l" "$(rss_mb "$SERVER_PID" VmRSS)" MB
  verify
  check_total "$n"
  cut -f1 "$OUT/samples.tsv" > "$dir/ids.txt"
  run_wrk get_payload "$l" "$dir" "$WRK_LUA_DIR/get_payload.lua" "$PROJECT" "$dir/ids.txt"
  run_wrk list "$l" "$dir" "$WRK_LUA_DIR/list_secrets.lua" "$PROJECT"
  run_wrk list_offset "$l" "$dir" "$BENCH_DIR/wrk/list_offset.lua" "$PROJECT" $((n - 20))
  metric "rss_mb_$l" "$(rss_mb "$SERVER_PID" VmRSS)" MB
  metric "hwm_mb_$l" "$(rss_mb "$SERVER_PID" VmHWM)" MB
  stop_server
done
say "done: $RESULTS"
