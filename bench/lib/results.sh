# shellcheck shell=bash
# $OUT/results.tsv: every figure of the run as `metric<TAB>value<TAB>unit`, the input of the
# issue-12 target lines (lib/targets.sh), the plots (lib/plots.sh) and bench/readme-table.sh.
# bench/scale.sh --out $OUT appends its own lines (start, RSS and latency per database size).
# Names: portcullis_<db>_<scenario>_<figure>, barbican_<sqlite|mysql>_<scenario>_<figure>,
# <db>_rawinsert_<durable|nondurable>_<1|16>t, portcullis_<db>_rss_mb, meta_* (strings).
# Sourced by bench/run.sh (needs OUT, DBS, SCENARIOS_RUN, REF_DIR, ref_for, res, raw, kv).

int0() { if [[ $1 =~ ^[0-9]+$ ]]; then echo "$1"; else echo 0; fi; }
tsv() { printf '%s\t%s\t%s\n' "$1" "${2:-n/a}" "${3:--}"; }   # tsv METRIC VALUE UNIT

# wrk figures of one server: tsv_wrk PREFIX RESULTS_FILE CPU_LOG
tsv_wrk() {
  local pre=$1 f=$2 cpu=$3 sc rps req non err k
  for sc in $SCENARIOS_RUN; do
    rps=$(res "$f" "$sc" rps); req=$(res "$f" "$sc" requests); non=$(res "$f" "$sc" non2xx)
    [ "$rps" != n/a ] || continue
    tsv "${pre}_${sc}_rps" "$rps" req/s
    if [[ $req =~ ^[0-9]+$ && $non =~ ^[0-9]+$ ]] && [ "$req" -gt 0 ]; then
      tsv "${pre}_${sc}_ok_rps" "$(awk -v r="$rps" -v n="$req" -v e="$non" 'BEGIN{printf "%.1f", r*(n-e)/n}')" req/s
      err=$non
      k="connect_err write_err timeouts"
      # Barbican's uwsgi closes every connection: wrk counts a read error per request there (bench/README.md)
      [[ $pre == barbican_* ]] || k="$k read_err"
      for k in $k; do err=$((err + $(int0 "$(res "$f" "$sc" $k)"))); done
      tsv "${pre}_${sc}_errors" "$err" count
    fi
    tsv "${pre}_${sc}_p50_ms" "$(res "$f" "$sc" p50_ms)" ms
    tsv "${pre}_${sc}_p99_ms" "$(res "$f" "$sc" p99_ms)" ms
    tsv "${pre}_${sc}_cpu_us_per_req" "$(cpu_us_per_request "$cpu" "$sc")" us
    tsv "${pre}_${sc}_server_cores" "$(cpu_cores "$cpu" "$sc")" cores
  done
}

write_results() {  # -> stdout
  local db r d f m t
  tsv meta_date "$(date -u +%FT%TZ)"
  tsv meta_command "bench/run.sh ${RUN_ARGS[*]}"
  tsv meta_cores "$(nproc)" cores
  tsv meta_load_average_start "$LOAD_AVG_START" load
  tsv meta_load_average_end "$(cut -d' ' -f1 /proc/loadavg)" load
  tsv meta_connections "$CONNS" conns
  tsv meta_duration "$DURATION"
  tsv meta_audit "$BENCH_AUDIT"
  tsv meta_tls "$BENCH_TLS"
  tsv meta_store "$BENCH_STORE"
  tsv meta_secrets_loaded_target "$SECRETS" secrets
  for db in $DBS; do
    tsv_wrk "portcullis_$db" "$OUT/$db/wrk/results.txt" "$OUT/$db/cpu.txt"
    f=$OUT/$db/rss.txt
    if [ -f "$f" ]; then
      tsv "portcullis_${db}_rss_mb" "$(mb "$(kv "$f" rss_kb)")" MB
      tsv "portcullis_${db}_secrets_loaded" \
        "$(sed -n 's/^LOAD .* ok=\([0-9]*\) .*/\1/p' "$OUT/$db/load.txt" 2>/dev/null | tail -n 1)" secrets
    fi
    f=$OUT/$db/rawinsert.txt
    if [ "$db" = sqlite ]; then m=("wal+synchronous=FULL" "wal+synchronous=NORMAL")
    else m=("synchronous_commit=on" "synchronous_commit=off"); fi
    for t in 1 16; do
      tsv "${db}_rawinsert_durable_${t}t" "$(raw "$f" "${m[0]}" $t)" rows/s
      tsv "${db}_rawinsert_nondurable_${t}t" "$(raw "$f" "${m[1]}" $t)" rows/s
    done
  done
  for r in sqlite mysql; do
    d=${REF_DIR[$r]:-}
    [ -n "$d" ] || continue
    case $d in *-readme) tsv "barbican_${r}_source" published ;;
               *barbican-sqlite) tsv "barbican_${r}_source" "measured-sqlite" ;;
               *) tsv "barbican_${r}_source" "measured-$r" ;; esac
    tsv_wrk "barbican_$r" "$d/results.txt" "$d/cpu.txt"
  done
}
