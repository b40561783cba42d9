#!/usr/bin/env bash
# bench/start.sh: time to ready of one or more server jars on an existing database, interleaved
# (issue 12's "ready after JVM start" figure, without scale.sh's seeding and load). See usage().
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
# shellcheck source=../scripts/lib.sh
. "$REPO/scripts/lib.sh"

usage() {
  cat <<'EOF2'
usage: bench/start.sh --dir DIR [--starts 5] [--profile] VARIANT...

DIR is a bench/scale.sh --out directory (DIR/node holds the configuration and the database, e.g. the
100k secrets of `bench/scale.sh --out DIR --sizes 100000`). A VARIANT is JAR or JAR::JAVA_OPTS (extra
JVM options for that variant, as PORTCULLIS_JAVA_OPTS). Each run writes DIR/start/TIMESTAMP/ (OUT); each variant gets its own AOT cache in OUT/vN/, recorded by one start of its own first (reported apart, as scale.sh's first start);
then --starts rounds start every variant once in turn (A B A B ...), so all see the same load.
Each start is timed exactly as scale.sh times it (bench/lib/node-start.sh: wall clock before the
JVM's exec to the first 200 from GET /healthcheck; CPU = the JVM's utime + stime at that moment).
Prints, per variant, the median, minimum and maximum of ready seconds and CPU seconds, and the
load average before each round; OUT/starts.tsv has every start and OUT/start.log the run. --profile runs every start
under async-profiler (bench/lib/profile.sh fetches it): OUT/vN/profile.R.collapsed and .svg,
CPU samples per thread from the JVM's start to its exit (so the idle drain and the stop are in it; the
profiler adds its own cost: shares, not times). PROFILE_EVENT=wall samples every thread's wall clock
instead (where the main thread waits: a core, a lock, a sync), PROFILE_EVENT_INTERVAL sets the interval.
EOF2
}

DIR= STARTS=5 PROFILE=0 VARIANTS=()
while [ $# -gt 0 ]; do
  case $1 in
    --dir) DIR=$2; shift 2 ;;
    --starts) STARTS=$2; shift 2 ;;
    --profile) PROFILE=1; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    *) VARIANTS+=("$1"); shift ;;
  esac
done
[ -n "$DIR" ] && [ ${#VARIANTS[@]} -gt 0 ] || { usage >&2; exit 2; }
[[ $STARTS =~ ^[1-9][0-9]*$ ]] || die "--starts must be a positive number"
DIR=$(cd "$DIR" && pwd)
NODE=$DIR/node
[ -f "$NODE/portcullis.conf" ] || die "$NODE/portcullis.conf missing: run bench/scale.sh --out $DIR first"
for v in "${VARIANTS[@]}"; do [ -f "${v%%::*}" ] || die "${v%%::*} missing"; done

pick_jdk
JAVA=$JAVA_HOME/bin/java
TICK=$(getconf CLK_TCK)
OUT=$DIR/start/$(date -u +%Y%m%d-%H%M%S) LOG=$OUT/start.log
mkdir -p "$OUT"
say() { printf '%s %s\n' "$(date -u +%T)" "$*" | tee -a "$LOG" >&2; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# shellcheck source=lib/node-start.sh
. "$BENCH_DIR/lib/node-start.sh"

PORT=$(free_port $((19500 + RANDOM % 400)))
sed -i "s#^bind_port = .*#bind_port = $PORT#; s#^host_href = .*#host_href = http://127.0.0.1:$PORT#" "$NODE/portcullis.conf"
SERVER_PID=
trap 'stop_server' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

AGENT=
if [ "$PROFILE" = 1 ]; then
  # shellcheck source=lib/profile.sh
  . "$BENCH_DIR/lib/profile.sh"
  profile_setup "$OUT/async-profiler" || die "no profiler"
fi

# start_variant N LOGFILE [PROFILE_FILE]: one start of variant N with its options and cache
start_variant() {
  local v=${VARIANTS[$1]} agent=
  [ -z "${3:-}" ] || agent="-agentpath:$BENCH_PROFILER_LIB=start,event=${PROFILE_EVENT:-cpu},interval=${PROFILE_EVENT_INTERVAL:-1ms},threads,file=$3,collapsed"
  mkdir -p "$OUT/v$1"
  if [[ $v == *::* ]]; then
    PORTCULLIS_JAVA_OPTS=${v#*::} start_server "$2" "${v%%::*}" "$OUT/v$1" "$agent"
  else
    start_server "$2" "$v" "$OUT/v$1" "$agent"
  fi
}

say "bench/start.sh: ${#VARIANTS[@]} variant(s), $STARTS rounds on $NODE; $(nproc) cores, $(uptime | sed 's/.*load/load/')"
printf 'variant\tround\tload1\tready_s\tcpu_s\n' > "$OUT/starts.tsv"
for n in "${!VARIANTS[@]}"; do
  say "v$n = ${VARIANTS[$n]}: recording its AOT cache"
  start_variant "$n" "$OUT/v$n/record.log"
  stop_server
done
for r in $(seq 1 "$STARTS"); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  say "round $r (load $load)"
  for n in "${!VARIANTS[@]}"; do
    prof=
    [ "$PROFILE" = 0 ] || prof=$OUT/v$n/profile.$r.collapsed
    start_variant "$n" "$OUT/v$n/server.$r.log" "$prof"
    printf 'v%s\t%s\t%s\t%s\t%s\n' "$n" "$r" "$load" "$READY_SECONDS" "$READY_CPU_SECONDS" >> "$OUT/starts.tsv"
    stop_server
    if [ -n "$prof" ]; then
      "$JAVA" "$BENCH_DIR/flame/FlameGraph.java" "$prof" "${prof%.collapsed}.svg" "start v$n round $r" \
        >/dev/null 2>&1 || say "  could not draw $prof"
    fi
  done
done
# one line per variant: median [min-max] of ready and CPU seconds
for n in "${!VARIANTS[@]}"; do
  awk -F'\t' -v v="v$n" -v name="${VARIANTS[$n]}" '
    $1 == v { r[++k] = $4; c[k] = $5 }
    function med(a, n,   i, j, t, s) { for (i = 1; i <= n; i++) s[i] = a[i]
      for (i = 2; i <= n; i++) for (j = i; j > 1 && s[j - 1] > s[j]; j--) { t = s[j]; s[j] = s[j - 1]; s[j - 1] = t }
      return s[int((n + 1) / 2)] " [" s[1] "-" s[n] "]" }
    END { printf "%s ready %s s, CPU %s s (%s)\n", v, med(r, k), med(c, k), name }' "$OUT/starts.tsv" | tee -a "$LOG"
done
