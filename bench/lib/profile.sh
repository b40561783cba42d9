# shellcheck shell=bash
# --profile: a CPU profile of each scenario's measured run, from async-profiler (Maven Central,
# tools.profiler:async-profiler), attached to the running server for exactly that wrk call and
# detached after it, so start, load and warm-up are not in it. JFR's CPU sampler recorded almost
# nothing under load on this machine (round 9); async-profiler samples every thread, the JIT
# compiler's and the kernel's time included. Each profile is collapsed stacks (one line per stack,
# the thread's name first, then a count): <db>/profile/<scenario>.collapsed, drawn as
# <scenario>.svg and <scenario>.txt by bench/flame/FlameGraph.java.
# The profiler costs throughput (sampling every PROFILE_INTERVAL of CPU): a profiled run's
# figures are for shares, not for the report's targets; the report says so in its header.
# Sourced by bench/run.sh (profile_setup, profile_draw) and by lib/wrk-cpu/wrk (profile_attach).

ASYNC_PROFILER_VERSION=4.1
PROFILE_INTERVAL=${PROFILE_INTERVAL:-1ms}

# profile_setup DIR -> exports BENCH_PROFILER_LIB (the agent, unpacked into DIR) or fails saying why
profile_setup() {
  local dir=$1 arch jar m2=${HOME}/.m2/repository/tools/profiler/async-profiler
  case $(uname -m) in x86_64) arch=linux-x64 ;; aarch64) arch=linux-arm64 ;;
    *) echo "async-profiler has no build for $(uname -m)" >&2; return 1 ;; esac
  jar=$m2/$ASYNC_PROFILER_VERSION/async-profiler-$ASYNC_PROFILER_VERSION.jar
  if [ ! -f "$jar" ]; then
    mvn -B -q dependency:get -Dartifact="tools.profiler:async-profiler:$ASYNC_PROFILER_VERSION" >&2 ||
      { echo "could not fetch async-profiler $ASYNC_PROFILER_VERSION from Maven Central" >&2; return 1; }
  fi
  mkdir -p "$dir"
  unzip -o -q "$jar" "$arch/libasyncProfiler.so" -d "$dir" ||
    { echo "could not unpack $arch/libasyncProfiler.so from $jar" >&2; return 1; }
  export BENCH_PROFILER_LIB=$dir/$arch/libasyncProfiler.so
}

# profile_agent PID ARGS: one async-profiler command in the running JVM PID (jcmd loads the agent
# once and passes later commands to it). The quotes keep jcmd from splitting ARGS at its '='.
profile_agent() {
  "${JAVA_HOME:?}/bin/jcmd" "$1" JVMTI.agent_load "$BENCH_PROFILER_LIB" "\"$2\"" > /dev/null
}

# profile_wanted DURATION -> true when this wrk call is to be profiled: --profile is on, SERVER_PID
# is a JVM (not Barbican's uwsgi) and the call runs for the measured duration (when the warm-up
# has the same duration, the measured run comes last and its profile replaces the warm-up's)
profile_wanted() {
  [ -n "${BENCH_PROFILE_DIR:-}" ] && [ -n "${BENCH_PROFILER_LIB:-}" ] && [ -n "${SERVER_PID:-}" ] &&
    [ "$1" = "${BENCH_MEASURED_DURATION:-}" ] &&
    [[ $(readlink "/proc/$SERVER_PID/exe" 2>/dev/null) == */java ]]
}

# profile_draw DIR TITLE: an SVG flame graph and the top methods beside every profile in DIR
profile_draw() {
  local f
  for f in "$1"/*.collapsed; do
    [ -f "$f" ] || continue
    "$JAVA" "$BENCH_DIR/flame/FlameGraph.java" "$f" "${f%.collapsed}.svg" "$2 $(basename "$f" .collapsed)" \
      >/dev/null 2>&1 || echo "could not draw $f" >&2
  done
}
