# shellcheck shell=bash
# One measured database: background CPU, RSS, the extra wrk scenarios, and measure_portcullis.
# Sourced by bench/run.sh (needs its globals: OUT, LOG, REPO, JAVA, ...); not run on its own.

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

# ---------------------------------------------------------------- one database
measure_portcullis() {  # measure_portcullis sqlite|postgresql -> $OUT/<db>/...
  local db=$1 dir port sql raw_url
  dir=$OUT/$db
  mkdir -p "$dir"
  export BENCH_CPU_LOG=$dir/cpu.txt   # lib/wrk-cpu/wrk: server CPU around every wrk run
  [ "$PROFILE" = 0 ] || export BENCH_PROFILE_DIR=$dir/profile   # lib/profile.sh
  if [ "$db" = postgresql ]; then
    pg_start "$dir/pg" || return 1
    # lib/wrk-cpu/wrk: the PostgreSQL backends' CPU around every wrk run too (WRKPG lines)
    export BENCH_PG_PIDFILE=$dir/pg/data/postmaster.pid
    sql=$PG_URL
    raw_url=$PG_URL
  else
    sql=sqlite:///$dir/data/portcullis.sqlite
    raw_url=jdbc:sqlite:$dir/rawinsert.sqlite   # same filesystem, scratch file
    unset BENCH_PG_PIDFILE
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
  [ "$PROFILE" = 0 ] || { unset BENCH_PROFILE_DIR; profile_draw "$dir/profile" "Portcullis on $db,"; }
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
