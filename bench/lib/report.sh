# shellcheck shell=bash
# report.txt: the table against Barbican, the older targets, raw insert rates, notes.
# Sourced by bench/run.sh (needs its globals: OUT, LOG, REPO, JAVA, ...); not run on its own.

res() {  # res FILE SCENARIO KEY
  [ -f "$1" ] || { echo n/a; return; }
  local line; line=$(grep "^RESULT $2 " "$1" 2>/dev/null | tail -n 1)
  [ -n "$line" ] || { echo n/a; return; }
  sed -n "s/.* $3=\([^ ]*\).*/\1/p" <<<"$line"
}
kv() { [ -f "$1" ] && sed -n "s/^$2=//p" "$1" | tail -n 1 || true; }
raw() {  # raw FILE MODE-PREFIX THREADS -> rate
  [ -f "$1" ] && awk -v m="$2" -v t="threads=$3" '$1=="RAWINSERT" && index($0," mode="m" ") && index($0," "t" ") {
    for (i=1;i<=NF;i++) if ($i ~ /^rate=/) { sub("rate=","",$i); print $i } }' "$1" | tail -n 1 || true
}
num() { [[ $1 =~ ^[0-9.]+$ ]]; }
fmt() { num "$1" && printf "%.${2:-1}f" "$1" || printf '%s' "${1:-n/a}"; }
mb() { num "$1" && awk -v k="$1" 'BEGIN{printf "%.1f", k/1024}' || echo n/a; }

write_report() {  # -> stdout: the whole report
  ncpu=$(nproc)
  echo "Portcullis vs OpenStack Barbican 15.0.1 -- $(date -u +%FT%TZ), $ncpu cores, wrk -t1 -c$CONNS, $DURATION per scenario (+$WARMUP warm-up, not counted), loopback"
  [ "$PROFILE" = 0 ] || echo "PROFILED (--profile): async-profiler sampled every measured Portcullis run; its cost is in these figures, read <db>/profile/ for shares"
  [ "$BENCH_TLS" = 0 ] || echo "Portcullis over HTTPS (BENCH_TLS=1: TLS from the JDK, ECDSA P-256 certificate; wrk negotiates TLS 1.3); Barbican over plain HTTP"
  echo "Portcullis: $(basename "$SERVER_JAR"), JVM $("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p') $(server_jvm_opts; echo "${SERVER_JVM_OPTS[*]}")"
  for db in $DBS; do
    r=$(ref_for "$db"); d=${REF_DIR[$r]:-}
    case $d in
      *-readme) src="figures published in reference/README.md (NOT measured in this run)" ;;
      *barbican-sqlite) src="Barbican on SQLite, measured in this run" ;;
      *barbican-mysql) src="Barbican on MariaDB (Barbican 15 cannot run PostgreSQL with simple_crypto), measured in this run" ;;
      *) src="none" ;;
    esac
    printf 'reference for the %-10s rows: %s\n' "$db" "$src"
  done
  echo "Load average (1 min): $LOAD_AVG_START at the start, $(cut -d' ' -f1 /proc/loadavg) now, on $ncpu cores"
  echo "Barbican: uwsgi ${BARBICAN_PROCESSES:-8} processes x ${BARBICAN_THREADS:-32} threads, noauth, simple_crypto. ok/s = 2xx responses per second;"
  echo "ratio = Portcullis ok/s / Barbican ok/s. Latencies in ms (wrk, all responses). us/req = server CPU time"
  echo "(utime+stime of the server process and its children, measured run only) per request, in microseconds."
  echo
  printf '%-10s %-16s | %9s %7s %7s %7s %8s | %8s %8s %7s %7s %7s %8s | %8s  %s\n' \
    db scenario "P req/s" "P err" "P p50" "P p99" "P us/req" "B ok/s" "B req/s" "B non2x" "B p50" "B p99" "B us/req" ratio "target"
  printf -- '-%.0s' $(seq 1 154); echo
  for db in $DBS; do
    pf=$OUT/$db/wrk/results.txt
    bf=${REF_DIR[$(ref_for "$db")]:-/nonexistent}/results.txt
    for sc in $SCENARIOS_RUN; do
      prps=$(res "$pf" $sc rps); preq=$(res "$pf" $sc requests)
      perr=n/a
      if num "$preq"; then
        perr=$(( $(res "$pf" $sc non2xx) + $(res "$pf" $sc connect_err) + $(res "$pf" $sc read_err) \
                 + $(res "$pf" $sc write_err) + $(res "$pf" $sc timeouts) ))
      fi
      brps=$(res "$bf" $sc rps); breq=$(res "$bf" $sc requests); bnon=$(res "$bf" $sc non2xx)
      pok=n/a; bok=n/a; ratio=n/a
      num "$preq" && num "$prps" && pok=$(awk -v r="$prps" -v n="$preq" -v e="$(res "$pf" $sc non2xx)" 'BEGIN{print (n>0 ? r*(n-e)/n : 0)}')
      num "$breq" && num "$brps" && bok=$(awk -v r="$brps" -v n="$breq" -v e="$bnon" 'BEGIN{print (n>0 ? r*(n-e)/n : 0)}')
      if num "$pok" && num "$bok"; then
        ratio=$(awk -v p="$pok" -v b="$bok" 'BEGIN{ if (b>0) printf "%.1f", p/b; else print (p>0 ? "inf" : "n/a") }')
      fi
      case $sc in post_secret) want=20 ;; get_payload|list_secrets) want=30 ;; *) want= ;; esac
      if [ -z "$want" ]; then
        tgt="no target (ratio reported)"; verdict=
      else
        verdict="MISS"
        if [ "$ratio" = inf ] || { num "$ratio" && awk -v r="$ratio" -v w=$want 'BEGIN{exit !(r>=w)}'; }; then verdict=PASS; fi
        [ "$ratio" = n/a ] && verdict="n/a"
        tgt=">=${want}x"
      fi
      if [ $sc = post_secret ]; then
        tgt="$tgt, 0 errors"
        { [ "$perr" = 0 ] || [ "$verdict" = n/a ]; } || verdict=MISS
      fi
      printf '%-10s %-16s | %9s %7s %7s %7s %8s | %8s %8s %7s %7s %7s %8s | %7s%s  %s %s\n' "$db" "$sc" \
        "$(fmt "$prps")" "$perr" "$(fmt "$(res "$pf" $sc p50_ms)" 2)" "$(fmt "$(res "$pf" $sc p99_ms)" 2)" \
        "$(fmt "$(cpu_us_per_request "$OUT/$db/cpu.txt" $sc)" 0)" \
        "$(fmt "$bok")" "$(fmt "$brps")" "$bnon" "$(fmt "$(res "$bf" $sc p50_ms)" 0)" "$(fmt "$(res "$bf" $sc p99_ms)" 0)" \
        "$(fmt "$(cpu_us_per_request "$(dirname "$bf")/cpu.txt" $sc)" 0)" \
        "$ratio" "$( [ "$ratio" = n/a ] || echo x)" "$tgt" "$verdict"
    done
  done
  echo
  echo "Targets beyond the ratios:"
  for db in $DBS; do
    pf=$OUT/$db/wrk/results.txt
    p99=$(res "$pf" get_payload p99_ms)
    # issue 12's tail targets: 3 ms on SQLite, 5 ms on PostgreSQL (the same limits as targets.txt)
    lim=5; [ "$db" = sqlite ] && lim=3
    v=MISS; num "$p99" && awk -v p="$p99" -v l="$lim" 'BEGIN{exit !(p<=l)}' && v=PASS; num "$p99" || v=n/a
    printf '  %-10s get_payload p99 %8s ms            target <= %s ms      %s\n' "$db" "$(fmt "$p99" 2)" "$lim" "$v"
    rf=$OUT/$db/rss.txt
    rss=$(kv "$rf" rss_kb); hwm=$(kv "$rf" hwm_kb)
    lok=$(sed -n 's/^LOAD .* ok=\([0-9]*\) .*/\1/p' "$OUT/$db/load.txt" 2>/dev/null || true)
    lerr=$(sed -n 's/^LOAD .* errors=\([0-9]*\) .*/\1/p' "$OUT/$db/load.txt" 2>/dev/null || true)
    lrate=$(sed -n 's/^LOAD .* rate=\([0-9.]*\) .*/\1/p' "$OUT/$db/load.txt" 2>/dev/null || true)
    # secrets held by the server: wrk post_secret (warm-up + run, 2xx only) + 100 read ids + loaded
    # (extra.sh runs after this reading)
    held=0
    for f in "$OUT/$db/wrk/post_secret.warmup.txt" "$OUT/$db/wrk/post_secret.txt"; do
      [ -f "$f" ] || continue
      held=$((held + $(awk '/^RESULT post_secret/{for(i=1;i<=NF;i++){if($i~/^requests=/){split($i,a,"=");n=a[2]} if($i~/^non2xx=/){split($i,b,"=");e=b[2]}} s+=n-e} END{print s+0}' "$f")))
    done
    held=$(( ${held:-0} + ${lok:-0} ))
    [ -z "$RUN_BASE" ] || held=$((held + 100))   # bench.sh's read ids
    v=MISS; num "$rss" && [ "$rss" -le $((256 * 1024)) ] && v=PASS; num "$rss" || v=n/a
    [ "${lok:-0}" -ge "$SECRETS" ] || v="$v (load incomplete)"
    printf '  %-10s RSS after loading %s secrets: VmRSS %s MB, VmHWM %s MB (%s secrets held; start %s MB, after wrk %s MB)   target <= 256 MB   %s\n' \
      "$db" "${lok:-0}" "$(mb "$rss")" "$(mb "$hwm")" "$held" "$(mb "$(kv "$rf" rss_start_kb)")" "$(mb "$(kv "$rf" rss_after_wrk_kb)")" "$v"
    printf '  %-10s load: %s secrets created at %s/s, %s errors (concurrency %s)\n' "$db" "${lok:-0}" "$(fmt "${lrate:-n/a}")" "${lerr:-n/a}" "$LOAD_CONC"
  done
  echo
  echo "Raw insert rate of the same database (one row per committed transaction, server stopped) = the ceiling for POST:"
  for db in $DBS; do
    f=$OUT/$db/rawinsert.txt
    if [ "$db" = sqlite ]; then dm="wal+synchronous=FULL"; nm="wal+synchronous=NORMAL"; dl="WAL, synchronous=FULL (durable)"; nl="synchronous=NORMAL"
    else dm="synchronous_commit=on"; nm="synchronous_commit=off"; dl="fsync=on, synchronous_commit=on (durable)"; nl="synchronous_commit=off"; fi
    d1=$(raw "$f" "$dm" 1); d16=$(raw "$f" "$dm" 16); n1=$(raw "$f" "$nm" 1); n16=$(raw "$f" "$nm" 16)
    pok=$(res "$OUT/$db/wrk/results.txt" post_secret rps)
    best=$(printf '%s\n%s\n' "${d1:-0}" "${d16:-0}" | sort -g | tail -n 1)
    pct=n/a; num "$pok" && num "$best" && pct=$(awk -v p="$pok" -v b="$best" 'BEGIN{ if (b>0) printf "%.0f%%", 100*p/b; else print "n/a"}')
    printf '  %-10s %s: %s/s (1 thread), %s/s (16 threads); %s: %s/s, %s/s; Portcullis POST %s req/s = %s of the best durable figure\n' \
      "$db" "$dl" "$(fmt "$d1" 0)" "$(fmt "$d16" 0)" "$nl" "$(fmt "$n1" 0)" "$(fmt "$n16" 0)" "$(fmt "$pok")" "$pct"
  done
  if [ -s "$OUT/background-cpu.txt" ]; then
    echo
    printf 'Background CPU just before each bench.sh / extra.sh (cores busy with other processes, of %s): %s\n' "$(nproc)" \
      "$(awk '{printf "%s%s %s", (NR>1 ? ", " : ""), $1, $2}' "$OUT/background-cpu.txt")"
    if awk '$2 > 0.25 {bad=1} END{exit !bad}' "$OUT/background-cpu.txt"; then
      echo "WARNING: other processes were using the CPU; the figures above are not reliable. Re-run on an idle machine."
    fi
  fi
  for db in $DBS; do
    [ "${PORTCULLIS_OK[$db]:-0}" = 1 ] || echo "NOTE: the Portcullis run on $db failed; see $OUT/run.log and $OUT/$db/"
  done
  # extra scenarios whose setup check failed (not run; their rows say n/a)
  for f in $(for db in $DBS; do echo "$OUT/$db/wrk/setup-failed.txt"; done) \
           $(for db in $DBS; do echo "${REF_DIR[$(ref_for "$db")]:-/nonexistent}/setup-failed.txt"; done | sort -u); do
    [ -f "$f" ] || continue
    case $f in "$OUT"/barbican-*) who=${f#"$OUT"/barbican-}; who="Barbican on ${who%/setup-failed.txt}" ;;
               *) who="Portcullis on $(basename "$(dirname "$(dirname "$f")")")" ;; esac
    sed "s|^|NOTE: $who: |" "$f"
  done
  if [ -n "$RUN_EXTRA" ] && [ "$SKIP_BARBICAN" = 1 ]; then
    echo "NOTE: reference/README.md publishes no Barbican figures for $RUN_EXTRA, so their ratios are n/a with --skip-barbican"
  fi
  echo
  echo "raw data: $OUT"
}
