#!/usr/bin/env bash
# A private Prometheus for tests, from Debian's prometheus package.
#   scripts/prometheus.sh start DIR   start (idempotent); prints the two PORTCULLIS_PROMETHEUS_* lines
#   scripts/prometheus.sh stop DIR    stop; fine if not running
# It listens on 127.0.0.1 only and scrapes every second whatever targets a test lists in
# DIR/targets/*.json (Prometheus file service discovery: it notices new files itself), so a test
# registers the node it started without restarting Prometheus. Only the PORTCULLIS_* lines go to
# stdout; everything else goes to stderr.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

usage() { echo "usage: ${0##*/} start DIR | stop DIR" >&2; exit 2; }
if [ $# -lt 2 ] || [ -z "$2" ]; then usage; fi
cmd=$1 dir=$(readlink -m "$2")
command -v prometheus >/dev/null || die "prometheus is not installed (run scripts/install-deps.sh)"

running() { [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; }

print_lines() {
  echo "PORTCULLIS_PROMETHEUS_URL=http://127.0.0.1:$(cat "$dir/port")"
  echo "PORTCULLIS_PROMETHEUS_TARGETS=$dir/targets"
}

start() {
  mkdir -p "$dir/targets" "$dir/data"
  if running; then
    log "already running on port $(cat "$dir/port")"
    print_lines
    return
  fi
  local port
  port=$(free_port 19090)
  echo "$port" >"$dir/port"
  cat >"$dir/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: portcullis
    file_sd_configs:
      - files: ['$dir/targets/*.json']
YAML
  log "starting on 127.0.0.1:$port (log: $dir/prometheus.log)"
  setsid prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
    --web.listen-address="127.0.0.1:$port" --storage.tsdb.retention.time=1d \
    >"$dir/prometheus.log" 2>&1 </dev/null &
  echo $! >"$dir/pid"
  local i
  for ((i = 0; i < 120; i++)); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/-/ready" 2>/dev/null && { print_lines; return; }
    running || break
    sleep 0.5
  done
  tail -n 20 "$dir/prometheus.log" >&2 || true
  die "Prometheus did not become ready (see $dir/prometheus.log)"
}

stop() {
  if ! running; then
    log "not running in $dir"
    return
  fi
  local pid i
  pid=$(cat "$dir/pid")
  kill "$pid"
  for ((i = 0; i < 60; i++)); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$dir/pid"; return; }
    sleep 0.5
  done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$dir/pid"
}

case $cmd in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
