# shellcheck shell=bash
# Starting and stopping one Portcullis node the way the launcher does, timed from the JVM's exec
# to its first 200 from GET /healthcheck: shared by bench/scale.sh and bench/start.sh so that both
# measure "ready" exactly alike. Needs JAVA, NODE (holding portcullis.conf), PORT, TICK and the
# functions say, die and cpu_ticks (PID -> utime + stime in ticks) from the sourcing script, and
# scripts/lib.sh (server_jvm_opts, server_aot_opts).

# start_server LOGFILE JAR AOT_DIR [AGENT] -> SERVER_PID, READY_SECONDS, READY_CPU_SECONDS
# The JVM options are the launcher's (server_jvm_opts, PORTCULLIS_JAVA_OPTS included), with its
# AOT cache for JAR kept in AOT_DIR (recorded by the first start there, at exit). AGENT, when
# given, is one more JVM option placed first (bench/start.sh --profile: async-profiler).
start_server() {
  local logf=$1 jar=$2 aot_dir=$3 agent=${4:-} t0 t1 code deadline pre=()
  [ -z "$agent" ] || pre=("$agent")
  server_jvm_opts
  server_aot_opts "$jar" "$aot_dir"
  t0=$(date +%s.%N)
  "$JAVA" "${pre[@]}" "${SERVER_AOT_OPTS[@]}" "${SERVER_JVM_OPTS[@]}" -jar "$jar" serve --config "$NODE/portcullis.conf" \
    > "$logf" 2>&1 < /dev/null &
  SERVER_PID=$!
  deadline=$((SECONDS + 180))
  while :; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthcheck" 2>/dev/null || true)
    [ "$code" = 200 ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 20 "$logf" >&2; die "the server exited during start (see $logf)"; }
    [ $SECONDS -lt $deadline ] || die "the server was not ready after 180 s (see $logf)"
    sleep 0.02
  done
  t1=$(date +%s.%N)
  # the answer must be our node's: another process may have taken the port between two starts
  for _ in $(seq 1 100); do grep -q "listening on http://127.0.0.1:$PORT " "$logf" && break; sleep 0.02; done
  kill -0 "$SERVER_PID" 2>/dev/null && grep -q "listening on http://127.0.0.1:$PORT " "$logf" ||
    die "GET /healthcheck on port $PORT was answered, but not by the node just started (see $logf)"
  READY_CPU_SECONDS=$(awk -v t="$(cpu_ticks "$SERVER_PID")" -v hz="$TICK" 'BEGIN{printf "%.2f", t / hz}')
  READY_SECONDS=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b - a}')
  # the process's own start, for comparison: boot time + starttime ticks
  local pstart
  pstart=$(awk -v hz="$TICK" -v boot="$(awk '/^btime/{print $2}' /proc/stat)" '{printf "%.2f", boot + $22 / hz}' \
    "/proc/$SERVER_PID/stat")
  say "  ready in $READY_SECONDS s (launch at $t0, process start $pstart), $READY_CPU_SECONDS s CPU"
}

stop_server() {
  [ -n "${SERVER_PID:-}" ] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  # up to 3 minutes: a run that records the AOT cache writes it after the drain, at exit
  for _ in $(seq 1 900); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}
