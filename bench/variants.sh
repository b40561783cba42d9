#!/usr/bin/env bash
# What the audit trail, TLS and each secret store cost, in one command and one table: runs
# bench/run.sh back to back for each variant (Portcullis on SQLite, POST secret and GET payload,
# Barbican skipped), then prints the variants side by side with their change against the first.
#
#   bench/variants.sh [--duration 20s] [VARIANT...]
#
# Variants (default: audit-off audit-always audit-interval tls-audit-off tls-audit-always):
#   audit-off | audit-always | audit-interval | audit-never    BENCH_AUDIT=off|always|interval|never
#   tls-audit-off | tls-audit-always                           the same over HTTPS (BENCH_TLS=1)
#   store-pkcs11 | store-kmip | store-vault                    BENCH_STORE=..., audit always
# Output: $BENCH_ROOT/variants-<timestamp>/ (one run.sh directory per variant, table.txt).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
DURATION=20s
if [ "${1:-}" = --duration ]; then DURATION=$2; shift 2; fi
case ${1:-} in -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;; esac
VARIANTS=("$@")
[ ${#VARIANTS[@]} -gt 0 ] || VARIANTS=(audit-off audit-always audit-interval tls-audit-off tls-audit-always)

env_of() {  # env_of VARIANT -> the environment run.sh gets
  case $1 in
    audit-off | audit-always | audit-interval | audit-never) echo "BENCH_AUDIT=${1#audit-}" ;;
    tls-audit-off | tls-audit-always) echo "BENCH_TLS=1 BENCH_AUDIT=${1#tls-audit-}" ;;
    store-pkcs11 | store-kmip | store-vault) echo "BENCH_STORE=${1#store-} BENCH_AUDIT=always" ;;
    *) echo "variants.sh: unknown variant $1" >&2; exit 2 ;;
  esac
}
for v in "${VARIANTS[@]}"; do env_of "$v" >/dev/null; done

OUT=${BENCH_ROOT:-/tmp/portcullis-bench}/variants-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
build=()
for v in "${VARIANTS[@]}"; do
  echo "variants.sh: $v ($(env_of "$v"))" >&2
  # shellcheck disable=SC2046 # the variant's VAR=VALUE words
  env $(env_of "$v") BENCH_ROOT="$OUT/$v" "$BENCH_DIR/run.sh" --only sqlite --skip-barbican \
    --scenarios post_secret,get_payload --duration "$DURATION" --secrets 1000 --raw-seconds 2 --no-scale "${build[@]}" \
    > "$OUT/$v.log" 2>&1 || echo "variants.sh: $v failed, see $OUT/$v.log" >&2
  build=(--no-build)
done

field() {  # field VARIANT SCENARIO COLUMN(2=req/s, 4=p99)
  awk -v s="$2" -v c="$3" '$1 == s { print $c }' "$OUT/$1"/*/sqlite/wrk/summary.txt 2>/dev/null || true
}
{
  echo "Portcullis on SQLite, wrk -t1 -c16, $DURATION per scenario, $(nproc) cores, $(date -u +%FT%TZ)"
  printf '%-18s | %12s %9s %8s | %12s %9s %8s\n' variant "POST req/s" "p99 ms" change "GET req/s" "p99 ms" change
  base_post=$(field "${VARIANTS[0]}" post_secret 2); base_get=$(field "${VARIANTS[0]}" get_payload 2)
  for v in "${VARIANTS[@]}"; do
    post=$(field "$v" post_secret 2); get=$(field "$v" get_payload 2)
    printf '%-18s | %12s %9s %8s | %12s %9s %8s\n' "$v" "${post:-n/a}" "$(field "$v" post_secret 4)" \
      "$(awk -v a="$post" -v b="$base_post" 'BEGIN { if (a > 0 && b > 0) printf "%+.0f%%", 100 * (a / b - 1); else print "n/a" }')" \
      "${get:-n/a}" "$(field "$v" get_payload 4)" \
      "$(awk -v a="$get" -v b="$base_get" 'BEGIN { if (a > 0 && b > 0) printf "%+.0f%%", 100 * (a / b - 1); else print "n/a" }')"
  done
  echo "change: against ${VARIANTS[0]}. Per-variant reports: $OUT/<variant>/*/report.txt"
} | tee "$OUT/table.txt"
