#!/usr/bin/env bash
# Portcullis vs the real OpenStack Barbican 15, on SQLite and on PostgreSQL, in one command.
#
#   bench/run.sh [--duration 30s] [--only sqlite|postgresql] [--skip-barbican]
#                [--barbican-db both|sqlite|mysql] [--secrets 100000] [--connections 16]
#                [--raw-seconds 10] [--no-build] [--keep] [--scenarios LIST]
#                [--scale | --no-scale] [--scale-sizes 10000,100000,1000000] [--warmup 5s]
#                [--profile]
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
# Every wrk run also reads the server's CPU time before and after (bench/lib/cpu.sh): CPU per
# request (us) is a column of the report. bench/scale.sh (start time, RSS and latency at 10k,
# 100k, 1M secrets) runs when present (--scale requires it, --no-scale skips it).
# Prints one table with ratios and PASS/MISS against the targets, then one PASS/MISS line per
# issue-12 target; everything lands in /tmp/portcullis-bench/<timestamp>/: report.txt,
# results.tsv (metric<TAB>value<TAB>unit), targets.txt, *.png (gnuplot). bench/readme-table.sh
# DIR puts a run's figures into README.md. See bench/README.md.
# --profile: a CPU profile (async-profiler) of each Portcullis scenario's measured run only, with
# an SVG flame graph, in <db>/profile/ (bench/lib/profile.sh); the profiler costs throughput, so
# such a run's figures are for shares and the report's header says it was profiled.
#
# Env: PORTCULLIS_SHARED (default <repo>/../shared), JAVA_HOME (a JDK >= 21; default
#      /usr/lib/jvm/temurin-25-jdk-amd64), PORTCULLIS_JAVA_OPTS (extra JVM options for the
#      server, like the ./portcullis launcher; default: scripts/jvm.options plus -XX:+UseSerialGC),
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
#      pykmip-server its start.sh runs). BENCH_DB_POOL=N sets Portcullis' [database]
#      max_pool_size (default: the server's own, 16; on PostgreSQL the pool reads and writes share).
#      BENCH_DB_READ_LIMIT=N sets its [database] read_limit (PostgreSQL; default: the server's own).
#      BENCH_THREAD_LOG=FILE: per wrk call, CPU and scheduler waits per server thread group
#      (lib/wrk-cpu/wrk).
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

RUN_ARGS=("$@")
SCALE=auto
SCALE_SIZES=
PROFILE=0
WARMUP=${WARMUP:-5s}   # bench.sh and wrk/extra.sh read it: the unreported run before each scenario
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
    --warmup) WARMUP=$2; shift 2 ;;
    --warmup=*) WARMUP=${1#*=}; shift ;;
    --scale) SCALE=1; shift ;;
    --no-scale) SCALE=0; shift ;;
    --scale-sizes) SCALE_SIZES=$2; shift 2 ;;
    --scale-sizes=*) SCALE_SIZES=${1#*=}; shift ;;
    --profile) PROFILE=1; shift ;;
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
[[ $WARMUP =~ ^[0-9]+[smh]?$ ]] || { echo "run.sh: bad --warmup $WARMUP" >&2; exit 2; }
export WARMUP
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

SCALE_SH=$BENCH_DIR/scale.sh
if [ "$SCALE" = auto ]; then SCALE=0; [ ! -x "$SCALE_SH" ] || SCALE=1
elif [ "$SCALE" = 1 ] && [ ! -x "$SCALE_SH" ]; then echo "run.sh: --scale: $SCALE_SH not found" >&2; exit 2; fi
LOAD_AVG_START=$(cut -d' ' -f1 /proc/loadavg)
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


for lib in cpu profile postgres portcullis measure barbican report results targets plots; do
  # shellcheck source=/dev/null
  . "$BENCH_DIR/lib/$lib.sh"
done

# ---------------------------------------------------------------- main
log "output in $OUT"
[ -x "$REF/bench.sh" ] || die "reference scripts not found in $REF (set PORTCULLIS_SHARED)"
command -v wrk >/dev/null && command -v jq >/dev/null || {
  log "wrk/jq missing: running $REF/install.sh"; "$REF/install.sh" >>"$LOG" 2>&1 || die "install.sh failed"; }
cpu_wrap_wrk || die "cannot put bench/lib/wrk-cpu/wrk in front of wrk"   # CPU per request (lib/cpu.sh)

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
if [ "$PROFILE" = 1 ]; then   # lib/wrk-cpu/wrk attaches it around each measured run
  profile_setup "$OUT/async-profiler" || die "--profile: no async-profiler"
  export BENCH_MEASURED_DURATION=$DURATION
fi

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

if [ "$SCALE" = 1 ]; then   # its own Portcullis nodes, before Barbican, nothing else running
  log "bench/scale.sh --out $OUT${SCALE_SIZES:+ --sizes $SCALE_SIZES} (output: $OUT/scale.out)"
  "$SCALE_SH" --out "$OUT" ${SCALE_SIZES:+--sizes "$SCALE_SIZES"} > "$OUT/scale.out" 2>&1 ||
    log "bench/scale.sh failed, see $OUT/scale.out (its targets will say not measured)"
fi

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

write_results >> "$OUT/results.tsv"   # appended: bench/scale.sh wrote its lines there already
targets_text "$OUT/results.tsv" > "$OUT/targets.txt"
{ write_report; echo; echo "Issue-12 targets (from results.tsv; a missing figure is a MISS that says not measured):"
  cat "$OUT/targets.txt"; } > "$OUT/report.txt"
write_plots "$OUT" || log "no plots"
echo >&2
cat "$OUT/report.txt"
log "done: $OUT/report.txt"
