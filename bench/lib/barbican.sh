# shellcheck shell=bash
# The real Barbican 15 (../shared/reference): measured in the same run, or its published figures.
# Sourced by bench/run.sh (needs its globals: OUT, LOG, REPO, JAVA, ...); not run on its own.

barbican_env() { env BARBICAN_REF_DIR="$BARBICAN_REF_DIR" BARBICAN_PORT="$BARBICAN_PORT" "$@"; }
barbican_stop() { barbican_env "$REF/stop.sh" >>"$LOG" 2>&1; BARBICAN_STARTED=0; }
measure_barbican() {  # measure_barbican sqlite|mysql -> $OUT/barbican-<db>/results.txt
  local db=$1 dir pid
  dir=$OUT/barbican-$db
  mkdir -p "$dir"
  export BENCH_CPU_LOG=$dir/cpu.txt   # lib/wrk-cpu/wrk: uwsgi's CPU (master + workers) around every wrk run
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
