# shellcheck shell=bash
# The issue-12 targets, one PASS/MISS line each, computed from a results.tsv only (lib/results.sh
# plus what bench/scale.sh appended), so a report can be re-made from a committed results.tsv.
# A target whose figure is missing is a MISS that says "not measured".
# Sourced by bench/run.sh, bench/readme-table.sh and bench/test/targets-test.sh; needs only awk.

declare -A TV=()
targets_load() {  # targets_load TSV -> TV[metric]=value
  TV=()
  local m v _
  while IFS=$'\t' read -r m v _; do
    [ -n "$m" ] && TV[$m]=$v
  done < "$1"
}
tv() { local v=${TV[$1]:-}; if [[ $v =~ ^[0-9]+([.][0-9]+)?$ ]]; then echo "$v"; fi; }   # numeric value or nothing

# row VERDICT LABEL VALUE THRESHOLD NOTE  (tab-separated)
row() { printf '%s\t%s\t%s\t%s\t%s\n' "$@"; }
# check LABEL VALUE UNIT OP LIMIT [NOTE]: OP is <= or >=
check() {
  local label=$1 v=$2 unit=$3 op=$4 lim=$5 note=${6:-} verdict
  if [ -z "$v" ]; then row MISS "$label" "not measured" "$op $lim $unit" "$note"; return; fi
  if awk -v v="$v" -v l="$lim" -v o="$op" 'BEGIN{exit !((o=="<=") ? v<=l : v>=l)}'; then verdict=PASS; else verdict=MISS; fi
  row "$verdict" "$label" "$v $unit" "$op $lim $unit" "$note"
}
ratio() {  # ratio A B -> A/B with 2 decimals, or nothing
  if [ -n "$1" ] && [ -n "$2" ]; then awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a/b }'; fi
}
maxof() { printf '%s\n' "$@" | awk '/^[0-9.]+$/ && (m == "" || $1 + 0 > m + 0) { m = $1 } END { printf "%s", m }'; }

targets_rows() {  # targets_rows TSV -> one tab-separated row per target
  targets_load "$1"
  local cfg= c note sc db lim label best pct sz v10 v100 v1m
  [ "${TV[meta_audit]:-always}" = always ] || cfg="run with audit ${TV[meta_audit]}; the target is for the default (always)"
  [ "${TV[meta_tls]:-0}" = 0 ] || cfg="${cfg:+$cfg; }run over HTTPS"
  [ "${TV[meta_store]:-software}" = software ] || cfg="${cfg:+$cfg; }store ${TV[meta_store]}"
  c=${TV[meta_connections]:-16}
  note=$cfg; [ "$c" = 16 ] || note="${note:+$note; }measured at $c connections, the target is at 16"

  # CPU per request, SQLite, default audit
  for sc in post_secret:200 get_payload:70 list_secrets:150; do
    lim=${sc#*:}; sc=${sc%%:*}
    check "CPU per request, $sc, SQLite" "$(tv "portcullis_sqlite_${sc}_cpu_us_per_req")" us "<=" "$lim" "$cfg"
  done

  # group commit: POST against the durable one-row-per-transaction insert rate of the same run
  best=$(maxof "$(tv sqlite_rawinsert_durable_1t)" "$(tv sqlite_rawinsert_durable_16t)")
  check "group commit, SQLite: POST / durable raw insert (best of 1 and 16 threads${best:+, $best/s})" \
    "$(ratio "$(tv portcullis_sqlite_post_secret_ok_rps)" "$best")" x ">=" 1.0 "$cfg"
  check "group commit, PostgreSQL: POST / durable raw insert at 16 threads$( [ -z "$(tv postgresql_rawinsert_durable_16t)" ] || echo " ($(tv postgresql_rawinsert_durable_16t)/s)")" \
    "$(ratio "$(tv portcullis_postgresql_post_secret_ok_rps)" "$(tv postgresql_rawinsert_durable_16t)")" x ">=" 0.6 "$cfg"

  # tail latency at 16 connections
  for db in sqlite postgresql; do
    lim=3; [ $db = sqlite ] || lim=5
    check "p99 GET payload, $db" "$(tv "portcullis_${db}_get_payload_p99_ms")" ms "<=" "$lim" "$note"
    check "p99 POST secret, $db" "$(tv "portcullis_${db}_post_secret_p99_ms")" ms "<=" 15 "$note"
  done

  # start, memory, scale curve: bench/scale.sh's lines; a missing one says why when the run tells
  local why= why1m=
  if [[ ${TV[meta_command]:-} == *--no-scale* ]]; then why="bench/run.sh ran with --no-scale: bench/scale.sh did not run"
  elif [ -z "${TV[start_ready_seconds_10k]:-}${TV[start_ready_seconds_100k]:-}${TV[rss_mb_10k]:-}" ] &&
       [ -n "${TV[meta_command]:-}" ]; then
    why="no bench/scale.sh lines in this results.tsv (see scale.out of the run)"
  fi
  why1m=$why; [ -n "$why1m" ] || [ -n "$(tv rss_mb_1m)" ] || [ -z "$(tv start_ready_seconds_10k)" ] ||
    why1m="bench/scale.sh did not reach 1M secrets in this run (--scale-sizes)"
  check "ready after JVM start, 100k secrets, SQLite" "$(tv start_ready_seconds_100k)" s "<=" 1.0 \
    "$( if [ -n "$(tv start_cpu_seconds_100k)" ]; then echo "start CPU $(tv start_cpu_seconds_100k) s${TV[scale_load_average_100k]:+, load average ${TV[scale_load_average_100k]}}"; else echo "$why"; fi )"
  check "RSS with 1M secrets" "$(tv rss_mb_1m)" MB "<=" 256 "$( [ -n "$(tv rss_mb_1m)" ] || echo "$why1m")"
  for sc in get_payload list list_offset; do
    case $sc in get_payload) label="GET payload" ;; list) label=list ;; *) label="list near its end (offset)" ;; esac
    for pct in p50 p99; do
      v10=$(tv "${sc}_${pct}_ms_10k"); v100=$(tv "${sc}_${pct}_ms_100k"); v1m=$(tv "${sc}_${pct}_ms_1m")
      # p50 of GET payload and list always has a line; the others when scale.sh wrote them
      { [ $pct = p50 ] && [ $sc != list_offset ]; } || [ -n "$v10$v1m" ] || continue
      check "scale curve flat, $label $pct: 1M / 10k (${v10:-n/a} / ${v100:-n/a} / ${v1m:-n/a} ms at 10k/100k/1M)" \
        "$(ratio "$v1m" "$v10")" x "<=" 1.5 "$( [ -n "$v1m" ] && [ -n "$v10" ] || echo "$why1m")"
    done
  done
}

targets_text() {  # targets_text TSV -> the report's lines
  targets_rows "$1" | awk -F'\t' '{ printf "%-4s  %-84s %-13s target %s%s\n", $1, $2, $3, $4, ($5 != "" ? "   (" $5 ")" : "") }'
}
targets_markdown() {  # targets_markdown TSV -> a markdown table
  echo "| issue-12 target | measured | target | result |"
  echo "|---|---|---|---|"
  targets_rows "$1" | awk -F'\t' '{ n = ($5 != "" ? " (" $5 ")" : ""); gsub(/<=/, "≤", $4); gsub(/>=/, "≥", $4);
    printf "| %s%s | %s | %s | %s |\n", $2, n, $3, $4, ($1 == "PASS" ? "PASS" : "**MISS**") }'
}
