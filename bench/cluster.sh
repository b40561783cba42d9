#!/usr/bin/env bash
# Throughput and p99 of POST /v1/secrets and GET payload through HAProxy with 1, 2 and 3
# Portcullis nodes on Patroni-managed PostgreSQL (scripts/cluster.sh), on this machine.
#
#   bench/cluster.sh [DURATION] [CONNECTIONS]      defaults: 20s 16
#
# One cluster is started (and stopped at the end); for each node count, HAProxy's other servers
# are put in maintenance through its admin socket, then ../shared/reference/bench.sh runs its
# post_secret and get_payload scenarios (wrk -t1) against the HAProxy frontend. Every process,
# wrk included, shares this machine's cores: expect a CPU-bound result, not a scaling curve.
# The table lands in /tmp/portcullis-bench/cluster-<timestamp>/report.txt.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
REPO=$(dirname "$BENCH_DIR")
# shellcheck source=scripts/lib.sh
. "$REPO/scripts/lib.sh"
DURATION=${1:-20s}
CONNS=${2:-16}
SHARED=${PORTCULLIS_SHARED:-$REPO/../shared}
OUT=${BENCH_ROOT:-/tmp/portcullis-bench}/cluster-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
[ -x "$SHARED/reference/bench.sh" ] || die "$SHARED/reference/bench.sh is missing (set PORTCULLIS_SHARED)"
[ -f "$REPO/server/target/portcullis.jar" ] || "$REPO/portcullis" build

CL=$OUT/cluster
trap '"$REPO/scripts/cluster.sh" down "$CL" || true' EXIT
URL=$("$REPO/scripts/cluster.sh" up "$CL" | sed -n 's/^PORTCULLIS_CLUSTER_URL=//p')

admin() { # a command for HAProxy's admin socket
  python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall((sys.argv[2]+"\n").encode()); print(s.recv(65536).decode(), end="")' "$CL/haproxy.sock" "$1"
}

printf '%-6s %-12s %10s %10s\n' nodes scenario 'req/s' 'p99 ms' >"$OUT/report.txt"
for nodes in 1 2 3; do
  for n in 1 2 3; do
    if [ "$n" -le "$nodes" ]; then admin "set server nodes/node$n state ready"; else admin "set server nodes/node$n state maint"; fi
  done
  log "$nodes node(s): bench.sh $DURATION, $CONNS connections"
  BENCH_OUT=$OUT/nodes-$nodes SCENARIOS="post_secret get_payload" \
    "$SHARED/reference/bench.sh" "$URL" "$DURATION" "$CONNS" >"$OUT/nodes-$nodes.log" 2>&1
  # bench.sh ends with a table: scenario req/s p50_ms p99_ms ...
  awk -v n="$nodes" '$1 == "post_secret" || $1 == "get_payload" { printf "%-6s %-12s %10s %10s\n", n, $1, $2, $4 }' \
    "$OUT/nodes-$nodes.log" >>"$OUT/report.txt"
done
cat "$OUT/report.txt"
log "results in $OUT"
