# shellcheck shell=bash
# PNG plots of one run, from its results.tsv, with gnuplot (Debian gnuplot-nox, pngcairo):
#   throughput.png  ok req/s per scenario: Portcullis SQLite, Portcullis PostgreSQL, Barbican SQLite, Barbican MariaDB
#   p99.png         p99 latency per scenario, same bars
#   cpu.png         server CPU per request per scenario, same bars
#   scale.png       GET payload and list latency (p50, p99) against the number of secrets (bench/scale.sh)
# Log scales: Portcullis and Barbican are two orders of magnitude apart.
# Sourced by bench/run.sh; also `bash bench/lib/plots.sh DIR` re-makes the plots of DIR/results.tsv.

plots_data() {  # plots_data TSV FIGURE -> "scenario v1 v2 v3 v4" lines, "?" where missing
  awk -F'\t' -v fig="$2" '
    { v[$1] = $2 }
    END {
      n = split("post_secret get_payload list_secrets container_create acl_payload_read", sc, " ")
      split("portcullis_sqlite portcullis_postgresql barbican_sqlite barbican_mysql", who, " ")
      for (i = 1; i <= n; i++) {
        line = sc[i]; any = 0
        for (j = 1; j <= 4; j++) {
          k = who[j] "_" sc[i] "_" fig; x = (k in v && v[k] ~ /^[0-9.]+$/ && v[k] > 0) ? v[k] : "?"
          if (x != "?" && j <= 2) any = 1
          line = line " " x
        }
        if (any) print line
      }
    }' "$1"
}

plot_bars() {  # plot_bars TSV FIGURE TITLE YLABEL PNG
  local dat=${5%.png}.dat
  plots_data "$1" "$2" > "$dat"
  [ -s "$dat" ] || { rm -f "$dat"; return 0; }
  gnuplot 2>>"${5%/*}/plots.log" <<EOF
set terminal pngcairo size 1000,560 font "DejaVu Sans,10"
set output "$5"
set title "$3"
set ylabel "$4"
set logscale y
set grid ytics
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set datafile missing "?"
set key top right
set xtics noenhanced
set yrange [*:*]
plot "$dat" using 2:xtic(1) title "Portcullis SQLite" lc rgb "#1f77b4", \
     "" using 3 title "Portcullis PostgreSQL" lc rgb "#2ca02c", \
     "" using 4 title "Barbican 15 SQLite" lc rgb "#d62728", \
     "" using 5 title "Barbican 15 MariaDB" lc rgb "#ff7f0e"
EOF
  rm -f "$dat"
}

plot_scale() {  # plot_scale TSV PNG: bench/scale.sh's <scenario>_<p50|p99>_ms_<size> lines
  local dat=${2%.png}.dat
  awk -F'\t' '
    function size(s) { return s == "10k" ? 10000 : s == "100k" ? 100000 : s == "1m" ? 1000000 : s + 0 }
    $1 ~ /^(get_payload|list|list_offset)_p(50|99)_ms_/ && $2 ~ /^[0-9.]+$/ {
      split($1, f, "_ms_"); n = size(f[2]); if (n <= 0) next
      val[f[1], n] = $2; sizes[n] = 1 }
    END {
      split("get_payload_p50 get_payload_p99 list_p50 list_p99 list_offset_p50", c, " ")
      m = asorti(sizes, s, "@ind_num_asc")
      for (i = 1; i <= m; i++) { line = s[i]
        for (j = 1; j <= 5; j++) line = line " " (((c[j], s[i]) in val) ? val[c[j], s[i]] : "?")
        print line }
    }' "$1" > "$dat"
  [ -s "$dat" ] || { rm -f "$dat"; return 0; }
  gnuplot 2>>"${2%/*}/plots.log" <<EOF
set terminal pngcairo size 900,520 font "DejaVu Sans,10"
set output "$2"
set title "Portcullis (SQLite): latency against the number of secrets (flat = within 1.5x of 10k)"
set xlabel "secrets in the database"
set ylabel "latency (ms)"
set logscale x
set xtics ("10k" 10000, "100k" 100000, "1M" 1000000, "10M" 10000000)
set offsets graph 0.05, graph 0.05, graph 0.15, 0
set grid
set datafile missing "?"
set key top left
set yrange [0:*]
plot "$dat" using 1:2 with linespoints title "GET payload p50" lc rgb "#1f77b4" pt 7, \
     "" using 1:3 with linespoints title "GET payload p99" lc rgb "#1f77b4" dt 2 pt 5, \
     "" using 1:4 with linespoints title "list p50" lc rgb "#2ca02c" pt 7, \
     "" using 1:5 with linespoints title "list p99" lc rgb "#2ca02c" dt 2 pt 5, \
     "" using 1:6 with linespoints title "list near its end (offset) p50" lc rgb "#9467bd" pt 9
EOF
  rm -f "$dat"
}

write_plots() {  # write_plots DIR -> DIR/{throughput,p99,cpu,scale}.png from DIR/results.tsv
  local d=$1 t=$1/results.tsv
  command -v gnuplot >/dev/null || { echo "plots: gnuplot missing (scripts/install-deps.sh installs gnuplot-nox): no PNG" >&2; return 1; }
  plot_bars "$t" ok_rps "Throughput per scenario (2xx responses per second, log scale)" "requests/s" "$d/throughput.png"
  plot_bars "$t" p99_ms "p99 latency per scenario (log scale)" "p99 (ms)" "$d/p99.png"
  plot_bars "$t" cpu_us_per_req "Server CPU per request (utime+stime / requests, log scale)" "CPU per request (µs)" "$d/cpu.png"
  plot_scale "$t" "$d/scale.png"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case ${1:-} in ''|-h|--help) echo "usage: bash bench/lib/plots.sh DIR   (re-makes DIR/*.png from DIR/results.tsv)"; exit 0 ;; esac
  write_plots "${1%/}"
fi
