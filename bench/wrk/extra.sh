#!/usr/bin/env bash
# Two more wrk scenarios for bench/run.sh, run exactly like ../shared/reference/bench.sh runs its
# own (wrk -t1 -cN --timeout 10s --latency, WARMUP not reported, then DURATION; the Lua scripts
# print their RESULT line with the shared wrk/common.lua report(), so the format is identical):
#   container_create  POST /v1/containers, a generic container referencing 2 secrets of the same
#                     project by their full hrefs (as the server returned them)
#   acl_payload_read  GET /v1/secrets/{id}/payload of N_ACL secrets of project A, read as project
#                     B by user ACL_USER with X-Roles: member, allowed only by each secret's read
#                     ACL ({"read":{"users":[ACL_USER],"project-access":true}}); Octavia's way
#
#   usage: bench/wrk/extra.sh URL [DURATION] [CONNECTIONS]     defaults: 30s 16
#
# Each scenario is set up with curl and checked before wrk runs: a sanity container is created
# and read back; every ACL secret is read once as ACL_USER (payload compared) and once as a user
# NOT in the ACL (must be refused). If a check fails (403, 404, ...) that scenario is not run: a
# "SETUP FAILED <scenario>: ..." line goes to stderr and to BENCH_OUT/setup-failed.txt, the
# other scenario still runs, and the script exits 1.
# Appends RESULT lines to BENCH_OUT/results.txt and rows to BENCH_OUT/summary.txt (bench.sh's
# format), so it can share bench.sh's output directory.
#
# Env: WRK_THREADS (1), WARMUP (5s), N_ACL (20), ACL_USER (bench-svc), SERVER_PID (optional:
#      the server's master pid, for its CPU time), BENCH_OUT (default
#      /tmp/portcullis-bench-extra/<timestamp>), SCENARIOS ("container_create acl_payload_read"),
#      PORTCULLIS_SHARED (default <repo>/../shared: common.lua is read from reference/wrk there).
set -euo pipefail

URL=${1:-http://127.0.0.1:9311}
URL=${URL%/}
DURATION=${2:-30s}
CONNS=${3:-16}
THREADS=${WRK_THREADS:-1}
WARMUP=${WARMUP:-5s}
N_ACL=${N_ACL:-20}
ACL_USER=${ACL_USER:-bench-svc}
SCENARIOS=${SCENARIOS:-container_create acl_payload_read}
HERE=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
SHARED=$(readlink -m "${PORTCULLIS_SHARED:-$REPO/../shared}")
export WRK_LUA_DIR=$SHARED/reference/wrk   # common.lua (report, read_lines), never copied
RUN=$(date +%Y%m%d-%H%M%S)
OUT=${BENCH_OUT:-/tmp/portcullis-bench-extra/$RUN}
mkdir -p "$OUT"

case "$URL" in
  http://127.*|http://localhost*|http://\[::1\]*) ;;
  https://127.*|https://localhost*|https://\[::1\]*) ;;   # curl trusts $CURL_CA_BUNDLE; wrk does not verify
  *) echo "extra.sh: refusing non-loopback target $URL" >&2; exit 1;;
esac
[[ $N_ACL =~ ^[1-9][0-9]*$ ]] || { echo "extra.sh: N_ACL must be a positive integer" >&2; exit 2; }
command -v wrk >/dev/null || { echo "extra.sh: wrk missing (../shared/reference/install.sh)" >&2; exit 1; }
command -v jq >/dev/null || { echo "extra.sh: jq missing (../shared/reference/install.sh)" >&2; exit 1; }
[ -f "$WRK_LUA_DIR/common.lua" ] || { echo "extra.sh: $WRK_LUA_DIR/common.lua not found (set PORTCULLIS_SHARED)" >&2; exit 1; }

# Same secret as bench.sh's read secrets (32-byte AES key, base64).
PAYLOAD_B64=SUm8dXs2Q2vJq1mEw1Yb0VZr3kXh7o9pW3Tq4s6uY8A=
secret_body() {
  printf '{"name":"%s","secret_type":"symmetric","algorithm":"aes","bit_length":256,"mode":"cbc","payload":"%s","payload_content_type":"application/octet-stream","payload_content_encoding":"base64"}' \
    "$1" "$PAYLOAD_B64"
}
printf '%s' "$PAYLOAD_B64" | base64 -d > "$OUT/expected-payload.bin"

RESP=$OUT/setup-response.tmp
# req METHOD PATH [curl args...] -> prints the HTTP status (000 if no answer); body in $RESP
req() {
  local m=$1 p=$2; shift 2
  curl -s -o "$RESP" -w '%{http_code}' --max-time 60 -X "$m" "$URL$p" "$@" 2>/dev/null || true
}
body_snippet() { tr -d '\r\n' < "$RESP" 2>/dev/null | head -c 300; }
FAILED=0
setup_failed() {  # setup_failed SCENARIO MESSAGE
  local msg="SETUP FAILED $1: $2 -- not running $1"
  echo "extra.sh: $msg" >&2
  echo "$msg" >> "$OUT/setup-failed.txt"
  FAILED=1
}
# create_secret PROJECT NAME -> prints the secret_ref href as the server returned it
create_secret() {
  local code ref
  code=$(req POST /v1/secrets -H "X-Project-Id: $1" -H 'Content-Type: application/json' \
         -H 'Accept: application/json' -d "$(secret_body "$2")")
  ref=$(jq -r '.secret_ref // empty' "$RESP" 2>/dev/null || true)
  if [ "$code" != 201 ] || [ -z "$ref" ]; then
    echo "POST /v1/secrets (project $1) answered HTTP $code: $(body_snippet)"; return 1
  fi
  echo "$ref"
}

# ---------------------------------------------------------------- container_create
CONTAINER_PROJECT=bench-container-$RUN
setup_container_create() {
  local r1 r2 code cref n
  r1=$(create_secret "$CONTAINER_PROJECT" bench-container-a) || { setup_failed container_create "$r1"; return 1; }
  r2=$(create_secret "$CONTAINER_PROJECT" bench-container-b) || { setup_failed container_create "$r2"; return 1; }
  printf '%s\n%s\n' "$r1" "$r2" > "$OUT/container-refs.txt"
  # sanity: the very body the Lua script sends, then read the container back
  code=$(req POST /v1/containers -H "X-Project-Id: $CONTAINER_PROJECT" -H 'Content-Type: application/json' \
         -H 'Accept: application/json' \
         -d "{\"type\":\"generic\",\"name\":\"bench\",\"secret_refs\":[{\"name\":\"a\",\"secret_ref\":\"$r1\"},{\"name\":\"b\",\"secret_ref\":\"$r2\"}]}")
  cref=$(jq -r '.container_ref // empty' "$RESP" 2>/dev/null || true)
  if [ "$code" != 201 ] || [ -z "$cref" ]; then
    setup_failed container_create "sanity POST /v1/containers (project $CONTAINER_PROJECT) answered HTTP $code: $(body_snippet)"
    return 1
  fi
  code=$(req GET "/v1/containers/${cref##*/}" -H "X-Project-Id: $CONTAINER_PROJECT" -H 'Accept: application/json')
  n=$(jq -r '.secret_refs | length' "$RESP" 2>/dev/null || echo 0)
  if [ "$code" != 200 ] || [ "$n" != 2 ]; then
    setup_failed container_create "sanity GET of the new container answered HTTP $code with $n secret_refs (want 200, 2): $(body_snippet)"
    return 1
  fi
  echo "extra.sh: container_create: project $CONTAINER_PROJECT, secrets ${r1##*/} ${r2##*/}, sanity container ${cref##*/} OK" >&2
}

# ---------------------------------------------------------------- acl_payload_read
ACL_OWNER=bench-acl-owner-$RUN
ACL_READER=bench-acl-reader-$RUN
setup_acl_payload_read() {
  local i ref id code
  : > "$OUT/acl-ids.txt"
  for i in $(seq 1 "$N_ACL"); do
    ref=$(create_secret "$ACL_OWNER" "bench-acl-$i") || { setup_failed acl_payload_read "$ref"; return 1; }
    id=${ref##*/}
    code=$(req PUT "/v1/secrets/$id/acl" -H "X-Project-Id: $ACL_OWNER" -H 'Content-Type: application/json' \
           -H 'Accept: application/json' -d "{\"read\":{\"users\":[\"$ACL_USER\"],\"project-access\":true}}")
    case $code in 200|201) ;; *)
      setup_failed acl_payload_read "PUT /v1/secrets/$id/acl (project $ACL_OWNER) answered HTTP $code: $(body_snippet)"
      return 1 ;;
    esac
    echo "$id" >> "$OUT/acl-ids.txt"
  done
  # sanity: every secret readable by ACL_USER from the other project, with the right bytes ...
  while read -r id; do
    code=$(req GET "/v1/secrets/$id/payload" -H "X-Project-Id: $ACL_READER" -H "X-User-Id: $ACL_USER" \
           -H 'X-Roles: member' -H 'Accept: application/octet-stream')
    if [ "$code" != 200 ]; then
      setup_failed acl_payload_read "sanity GET /v1/secrets/$id/payload as project $ACL_READER, user $ACL_USER, role member answered HTTP $code (want 200; the read ACL should allow it): $(body_snippet)"
      return 1
    fi
    cmp -s "$RESP" "$OUT/expected-payload.bin" ||
      { setup_failed acl_payload_read "sanity GET /v1/secrets/$id/payload returned other bytes than the stored payload"; return 1; }
  done < "$OUT/acl-ids.txt"
  # ... and refused to a user of that project who is not in the ACL (else the ACL is not what is measured)
  id=$(head -n 1 "$OUT/acl-ids.txt")
  code=$(req GET "/v1/secrets/$id/payload" -H "X-Project-Id: $ACL_READER" -H "X-User-Id: $ACL_USER-not-listed" \
         -H 'X-Roles: member' -H 'Accept: application/octet-stream')
  case $code in 403|404) ;; *)
    setup_failed acl_payload_read "sanity GET /v1/secrets/$id/payload as user $ACL_USER-not-listed (not in the ACL) answered HTTP $code, want 403: the server does not enforce the read ACL, so the scenario would not measure it"
    return 1 ;;
  esac
  echo "extra.sh: acl_payload_read: $N_ACL secrets of $ACL_OWNER, read ACL for $ACL_USER; read as $ACL_READER OK (200, same bytes), user not in the ACL refused ($code)" >&2
}

# ---------------------------------------------------------------- wrk (as bench.sh)
cpu_of_tree() {  # total utime+stime (clock ticks) of pid + its children
  local p sum=0
  for p in "$1" $(pgrep -P "$1" 2>/dev/null); do
    [ -r "/proc/$p/stat" ] || continue
    sum=$(( sum + $(awk '{print $14 + $15}' "/proc/$p/stat") ))
  done
  echo $sum
}
machine_busy() { awk '/^cpu /{print $2+$3+$4+$7+$8; exit}' /proc/stat; }   # ticks
TCK=$(getconf CLK_TCK)

run_wrk() {  # run_wrk NAME DURATION ARGS-AFTER-URL...
  local name=$1 dur=$2; shift 2
  wrk -t"$THREADS" -c"$CONNS" -d"$dur" --timeout 10s --latency \
      -s "$HERE/$name.lua" "$URL" -- "$@"
}

[ -s "$OUT/summary.txt" ] ||
  printf "%-13s %9s %9s %9s %9s %8s %7s %s\n" scenario req/s p50_ms p99_ms max_ms non2xx timeout "cpu(server/machine, cores)" > "$OUT/summary.txt"
for sc in $SCENARIOS; do
  case $sc in
    container_create)
      setup_container_create || continue
      args=("$CONTAINER_PROJECT" "$OUT/container-refs.txt") ;;
    acl_payload_read)
      setup_acl_payload_read || continue
      args=("$ACL_READER" "$ACL_USER" "$OUT/acl-ids.txt") ;;
    *) echo "extra.sh: unknown scenario $sc" >&2; exit 2 ;;
  esac
  run_wrk "$sc" "$WARMUP" "${args[@]}" > "$OUT/$sc.warmup.txt" 2>&1 || true
  s0=${SERVER_PID:+$(cpu_of_tree "$SERVER_PID")}; m0=$(machine_busy); t0=$(date +%s.%N)
  run_wrk "$sc" "$DURATION" "${args[@]}" > "$OUT/$sc.txt" 2>&1 || true
  t1=$(date +%s.%N); m1=$(machine_busy); s1=${SERVER_PID:+$(cpu_of_tree "$SERVER_PID")}
  line=$(grep '^RESULT' "$OUT/$sc.txt" || true)
  if [ -z "$line" ]; then
    echo "extra.sh: wrk failed for $sc:" >&2; cat "$OUT/$sc.txt" >&2; FAILED=1; continue
  fi
  get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< "$line"; }
  el=$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')
  mach=$(awk -v a="$m0" -v b="$m1" -v t="$TCK" -v e="$el" 'BEGIN{printf "%.2f", (b-a)/t/e}')
  if [ -n "${SERVER_PID:-}" ]; then
    srv=$(awk -v a="$s0" -v b="$s1" -v t="$TCK" -v e="$el" 'BEGIN{printf "%.2f", (b-a)/t/e}')
  else srv=n/a; fi
  printf "%-13s %9s %9s %9s %9s %8s %7s %s/%s\n" "$sc" "$(get rps)" "$(get p50_ms)" "$(get p99_ms)" \
    "$(get max_ms)" "$(get non2xx)" "$(get timeouts)" "$srv" "$mach" | tee -a "$OUT/summary.txt"
  echo "$line" >> "$OUT/results.txt"
done
rm -f "$RESP"
echo "extra.sh: raw wrk output and results in $OUT" >&2
exit "$FAILED"
