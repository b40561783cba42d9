#!/usr/bin/env bash
# Server CPU time per request of one load run: the figure issue 12's CPU targets are stated in.
#
#   bench/cpu-per-request.sh PID COMMAND [ARGS...]
#
# Reads utime+stime of process PID (all its threads: /proc/PID/stat) before and after running
# COMMAND, counts the requests COMMAND reports and prints, after COMMAND's own output:
#   cpu_us_per_request N      server CPU microseconds per request (2 decimals)
#   cpu_server_seconds S      server CPU seconds spent during the run
#   requests R                requests counted
#   wall_seconds W            wall time of the run
#   jit_us_per_request J      of N, what the JIT compiler threads spent: a server still warming up
#                             shows here, and N - J is then the steadier figure to compare
# CPU time, unlike req/s, does not depend on what else the machine runs (8 agents share 2 cores
# here), so ratios between runs hold; the kernel's accounting is in clock ticks (usually 10 ms),
# hence runs of a few thousand requests or more.
#
# Requests are taken from COMMAND's output: the reference wrk scripts' "RESULT ... requests=N"
# line, else wrk's own "N requests in" line; CPU_REQUESTS=N in the environment overrides both
# (for a load tool that prints neither). Exit status: COMMAND's, or 3 when no count was found.
set -euo pipefail

[ $# -ge 2 ] || { sed -n '2,18s/^# \{0,1\}//p' "$0" >&2; exit 2; }
PID=$1; shift
[ -r "/proc/$PID/stat" ] || { echo "cpu-per-request.sh: no process $PID" >&2; exit 2; }
TCK=$(getconf CLK_TCK)

# Fields 14 and 15 (utime, stime) counted after the ")" that ends the command name, which may
# itself hold spaces.
cpu_ticks() { sed 's/.*) //' "/proc/$PID/stat" | awk '{print $12 + $13}'; }
# The same for the JIT compiler threads alive now (HotSpot names them C1/C2 CompilerThreadN).
jit_ticks() {
  local t v sum=0
  for t in /proc/"$PID"/task/*; do
    case $(cat "$t/comm" 2>/dev/null) in
      C1\ CompilerThre*|C2\ CompilerThre*)   # a compiler thread may exit meanwhile: then it adds nothing
        v=$(sed 's/.*) //' "$t/stat" 2>/dev/null | awk '{print $12 + $13}')
        sum=$((sum + ${v:-0})) ;;
    esac
  done
  echo "$sum"
}

out=$(mktemp)
trap 'rm -f "$out"' EXIT
c0=$(cpu_ticks); j0=$(jit_ticks); t0=$(date +%s.%N)
rc=0
"$@" | tee "$out" || rc=$?
t1=$(date +%s.%N); c1=$(cpu_ticks); j1=$(jit_ticks)

n=${CPU_REQUESTS:-}
[ -n "$n" ] || n=$(sed -n 's/^RESULT .* requests=\([0-9]*\).*/\1/p' "$out" | tail -n 1)
[ -n "$n" ] || n=$(sed -n 's/^ *\([0-9][0-9]*\) requests in .*/\1/p' "$out" | tail -n 1)
if [ -z "$n" ] || [ "$n" -eq 0 ]; then
  echo "cpu-per-request.sh: no request count in the command's output" >&2
  exit 3
fi
awk -v c0="$c0" -v c1="$c1" -v j0="$j0" -v j1="$j1" -v t="$TCK" -v n="$n" -v t0="$t0" -v t1="$t1" 'BEGIN {
  s = (c1 - c0) / t
  j = (j1 > j0 ? j1 - j0 : 0) / t
  printf "cpu_us_per_request %.2f\ncpu_server_seconds %.2f\nrequests %d\nwall_seconds %.2f\njit_us_per_request %.2f\n",
    s * 1e6 / n, s, n, t1 - t0, j * 1e6 / n
}'
exit "$rc"
