#!/usr/bin/env bash
# Unit-style test of bench/lib/targets.sh and bench/readme-table.sh on a hand-made results.tsv
# (the figures below are invented to hit each branch; they are not measurements).
#   bench/test/targets-test.sh        exits 0 when every check passes
set -euo pipefail
if [ "${1:-}" = --help ]; then sed -n '2,4s/^# \{0,1\}//p' "$0"; exit 0; fi
HERE=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
# shellcheck source=bench/lib/targets.sh
. "$HERE/../lib/targets.sh"
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
FAILS=0
expect() {  # expect PATTERN  (grep -E on the current output)
  if grep -qE -- "$1" "$TMP/out"; then echo "ok   $1"; else echo "FAIL $1"; FAILS=$((FAILS + 1)); fi
}
t() { printf '%s\t%s\t%s\n' "$@"; }
{
  t meta_audit always -; t meta_connections 16 conns; t meta_tls 0 -; t meta_store software -
  t meta_command "bench/run.sh --duration 10s" -; t meta_date 2026-12-06T12:00:00Z -
  t meta_load_average_start 2.5 load; t meta_cores 2 cores
  t portcullis_sqlite_post_secret_cpu_us_per_req 180.5 us     # PASS (<= 200)
  t portcullis_sqlite_get_payload_cpu_us_per_req 90.0 us      # MISS (> 70)
  t portcullis_sqlite_list_secrets_cpu_us_per_req 150 us      # PASS (= 150, inclusive)
  t portcullis_sqlite_post_secret_ok_rps 7500 req/s
  t sqlite_rawinsert_durable_1t 7000 rows/s
  t sqlite_rawinsert_durable_16t 6800 rows/s                  # best 7000 -> 1.07 PASS
  t portcullis_postgresql_post_secret_ok_rps 9000 req/s
  t postgresql_rawinsert_durable_16t 17000 rows/s             # 0.53 MISS
  t portcullis_sqlite_get_payload_p99_ms 2.5 ms               # PASS
  t portcullis_sqlite_post_secret_p99_ms 16 ms                # MISS
  t portcullis_postgresql_get_payload_p99_ms 4.9 ms           # PASS
  # portcullis_postgresql_post_secret_p99_ms missing          -> MISS not measured
  t start_ready_seconds_100k 0.84 s                           # PASS
  t rss_mb_1m 300 MB                                          # MISS
  t get_payload_p50_ms_10k 2.0 ms; t get_payload_p50_ms_100k 2.1 ms; t get_payload_p50_ms_1m 2.9 ms  # 1.45 PASS
  t get_payload_p99_ms_10k 2.0 ms; t get_payload_p99_ms_1m 3.2 ms                                   # 1.60 MISS
  t list_p50_ms_10k 4.0 ms; t list_p50_ms_1m 5.0 ms                                                  # 1.25 PASS
  t list_offset_p50_ms_10k 4.0 ms; t list_offset_p50_ms_1m 40 ms                                      # 10.00 MISS
} > "$TMP/results.tsv"

targets_text "$TMP/results.tsv" > "$TMP/out"
cat "$TMP/out"; echo
expect '^PASS +CPU per request, post_secret, SQLite +180.5 us +target <= 200 us'
expect '^MISS +CPU per request, get_payload, SQLite +90.0 us +target <= 70 us'
expect '^PASS +CPU per request, list_secrets, SQLite +150 us'
expect '^PASS +group commit, SQLite: .*7000/s.* 1.07 x +target >= 1.0 x'
expect '^MISS +group commit, PostgreSQL: .*17000/s.* 0.53 x +target >= 0.6 x'
expect '^PASS +p99 GET payload, sqlite +2.5 ms +target <= 3 ms'
expect '^MISS +p99 POST secret, sqlite +16 ms'
expect '^PASS +p99 GET payload, postgresql +4.9 ms +target <= 5 ms'
expect '^MISS +p99 POST secret, postgresql +not measured'
expect '^PASS +ready after JVM start, 100k secrets, SQLite +0.84 s +target <= 1.0 s'
expect '^MISS +RSS with 1M secrets +300 MB +target <= 256 MB'
expect '^PASS +scale curve flat, GET payload p50: 1M / 10k \(2.0 / 2.1 / 2.9 ms.*1.45 x'
expect '^MISS +scale curve flat, GET payload p99: .*1.60 x'
expect '^PASS +scale curve flat, list p50: .*1.25 x'
expect '^MISS +scale curve flat, list near its end \(offset\) p50: .*10.00 x'
[ "$(grep -c 'scale curve flat, list p99' "$TMP/out")" = 0 ] && echo "ok   no list p99 line without its figures" ||
  { echo "FAIL list p99 line without figures"; FAILS=$((FAILS + 1)); }
[ "$(wc -l < "$TMP/out")" = 15 ] && echo "ok   15 target lines" || { echo "FAIL $(wc -l < "$TMP/out") lines, want 15"; FAILS=$((FAILS + 1)); }

# a non-default config is named on the CPU lines; another connection count on the p99 lines
sed -i 's/^meta_audit\talways/meta_audit\tinterval/; s/^meta_connections\t16/meta_connections\t8/' "$TMP/results.tsv"
targets_text "$TMP/results.tsv" > "$TMP/out"
expect '^PASS +CPU per request, post_secret.*\(run with audit interval; the target is for the default \(always\)\)'
expect '^PASS +p99 GET payload, sqlite.*measured at 8 connections, the target is at 16'

# markdown rows for the README
targets_markdown "$TMP/results.tsv" > "$TMP/out"
expect '^\| CPU per request, get_payload, SQLite .*\| 90.0 us \| ≤ 70 us \| \*\*MISS\*\* \|$'

# readme-table.sh rewrites only the block between the markers
if [ -x "$HERE/../readme-table.sh" ]; then
  printf 'intro\n<!-- bench:begin -->\nold figures\n<!-- bench:end -->\noutro\n' > "$TMP/README.md"
  cp "$TMP/results.tsv" "$TMP/report-results.tsv"; mkdir -p "$TMP/rep"; cp "$TMP/results.tsv" "$TMP/rep/results.tsv"
  "$HERE/../readme-table.sh" --readme "$TMP/README.md" "$TMP/rep" > /dev/null 2>&1
  cp "$TMP/README.md" "$TMP/out"
  expect '^intro$'
  expect '^outro$'
  expect '^\| CPU per request, post_secret, SQLite'
  grep -q 'old figures' "$TMP/out" && { echo "FAIL old block kept"; FAILS=$((FAILS + 1)); } || echo "ok   old block replaced"
  "$HERE/../readme-table.sh" --readme "$TMP/README.md" "$TMP/rep" > /dev/null 2>&1
  cmp -s "$TMP/README.md" "$TMP/out" && echo "ok   idempotent" || { echo "FAIL second run changed README"; FAILS=$((FAILS + 1)); }
fi

# a run without bench/scale.sh says why its start, RSS and scale lines are missing
{ t meta_command "bench/run.sh --duration 10s --no-scale" -; t portcullis_sqlite_post_secret_cpu_us_per_req 180.5 us; } \
  > "$TMP/noscale.tsv"
targets_text "$TMP/noscale.tsv" > "$TMP/out"
expect '^MISS +ready after JVM start, 100k secrets, SQLite +not measured .*\(bench/run.sh ran with --no-scale'
expect '^MISS +RSS with 1M secrets +not measured .*--no-scale'
expect '^MISS +scale curve flat, list p50: .*not measured .*--no-scale'
# scale.sh ran up to 100k only: the 1M lines say so; the start line carries its CPU and load
{ t meta_command "bench/run.sh --scale-sizes 10000,100000" -; t start_ready_seconds_10k 0.9 s; t start_ready_seconds_100k 0.95 s
  t start_cpu_seconds_100k 1.6 s; t scale_load_average_100k 0.4 load; t list_p50_ms_10k 4.0 ms; } > "$TMP/no1m.tsv"
targets_text "$TMP/no1m.tsv" > "$TMP/out"
expect '^PASS +ready after JVM start, 100k secrets, SQLite +0.95 s .*\(start CPU 1.6 s, load average 0.4\)'
expect '^MISS +RSS with 1M secrets +not measured .*did not reach 1M'
expect '^MISS +scale curve flat, list p50: .*did not reach 1M'

[ "$FAILS" = 0 ] && echo "targets-test: all checks passed" || { echo "targets-test: $FAILS check(s) failed"; exit 1; }
