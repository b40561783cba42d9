# shellcheck shell=bash
# CPU per request, the bench's first-class figure: the server's CPU time (utime + stime from
# /proc/PID/stat, the PID and its direct children: the JVM, or uwsgi's master and workers) read
# just before and just after each wrk run, divided by the requests that run completed.
#
# ../shared/reference/bench.sh (read-only) and bench/wrk/extra.sh both call `wrk` by name with
# SERVER_PID in their environment, a warm-up and then the measured run for each scenario.
# cpu_wrap_wrk puts bench/lib/wrk-cpu/ first on PATH: its `wrk` runs the real one and appends one
# line per call to $BENCH_CPU_LOG, so the measured run's CPU is read exactly, warm-up excluded:
#   WRKCPU scenario=post_secret duration=10s ticks=1534 clk_tck=100 elapsed_s=10.02 requests=24410 rc=0
# The last line of a scenario is its measured run (its warm-up always comes first).
# Sourced by bench/run.sh and by the wrapper; no globals of run.sh needed.

cpu_ticks() {  # cpu_ticks PID -> utime+stime in clock ticks of PID and its direct children; fails if PID is gone
  local p sum=0 t
  [ -r "/proc/$1/stat" ] || return 1
  for p in "$1" $(pgrep -P "$1" 2>/dev/null); do
    t=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null) || continue
    sum=$((sum + ${t:-0}))
  done
  echo "$sum"
}

cpu_wrap_wrk() {  # cpu_wrap_wrk -> exports PATH (wrapper first) and BENCH_REAL_WRK
  local here real
  here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/wrk-cpu
  real=$(PATH=${PATH//"$here:"/} command -v wrk) || return 1
  export BENCH_REAL_WRK=$real
  case ":$PATH:" in *":$here:"*) ;; *) export PATH=$here:$PATH ;; esac
}

# cpu_field LOG SCENARIO KEY -> KEY of the scenario's measured run (its last line), or nothing
cpu_field() {
  [ -f "$1" ] || return 0
  awk -v s="scenario=$2" -v k="$3=" '$1=="WRKCPU" && $2==s {line=$0}
    END{ n=split(line, f, " "); for (i=1;i<=n;i++) if (index(f[i], k)==1) print substr(f[i], length(k)+1) }' "$1"
}

cpu_us_per_request() {  # cpu_us_per_request LOG SCENARIO -> microseconds of server CPU per request, or n/a
  local ticks tck req
  ticks=$(cpu_field "$1" "$2" ticks); tck=$(cpu_field "$1" "$2" clk_tck); req=$(cpu_field "$1" "$2" requests)
  if [[ $ticks =~ ^[0-9]+$ && $tck =~ ^[0-9]+$ && $req =~ ^[0-9]+$ ]] && [ "$req" -gt 0 ]; then
    awk -v t="$ticks" -v h="$tck" -v r="$req" 'BEGIN{printf "%.1f", t / h * 1e6 / r}'
  else echo n/a; fi
}

cpu_cores() {  # cpu_cores LOG SCENARIO -> server cores busy during the measured run, or n/a
  local ticks tck el
  ticks=$(cpu_field "$1" "$2" ticks); tck=$(cpu_field "$1" "$2" clk_tck); el=$(cpu_field "$1" "$2" elapsed_s)
  if [[ $ticks =~ ^[0-9]+$ && $tck =~ ^[0-9]+$ && $el =~ ^[0-9.]+$ ]]; then
    awk -v t="$ticks" -v h="$tck" -v e="$el" 'BEGIN{ if (e > 0) printf "%.2f", t / h / e; else print "n/a" }'
  else echo n/a; fi
}
