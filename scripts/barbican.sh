#!/usr/bin/env bash
# The real OpenStack Barbican 15 (Debian bookworm packages) for the adoption tests, through the
# shared reference scripts (../shared/reference: start.sh / stop.sh), with its state in DIR.
#   scripts/barbican.sh start DIR   a fresh Barbican (SQLite, software + KMIP stores, noauth) on a
#                                   free port; prints the PORTCULLIS_BARBICAN_* lines
#   scripts/barbican.sh stop DIR    stops what start started there; fine if not running
# BARBICAN_DB=mysql uses a private MariaDB instead of SQLite (needs mariadb-server, python3-pymysql).
# The reference's PyKMIP store listens on the fixed port 5696 (start.sh chooses it): one Barbican
# per machine at a time. Small worker counts: the tests populate it through one client.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

usage() { echo "usage: ${0##*/} start DIR | stop DIR" >&2; exit 2; }
if [ $# -lt 2 ] || [ -z "$2" ]; then usage; fi
cmd=$1 dir=$(readlink -m "$2")
REF=${PORTCULLIS_SHARED:-$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../shared}/reference
[ -x "$REF/start.sh" ] || die "the Barbican reference scripts are not at $REF (set PORTCULLIS_SHARED)"

case $cmd in
  start)
    [ -x /usr/bin/barbican-manage ] || die "Barbican is not installed (scripts/install-deps.sh installs it)"
    mkdir -p "$dir"
    port=$(free_port 19311)
    BARBICAN_REF_DIR=$dir/ref BARBICAN_PORT=$port BARBICAN_FRESH=1 BARBICAN_PROCESSES=2 BARBICAN_THREADS=8 \
      "$REF/start.sh" >"$dir/start.log" 2>&1 || { cat "$dir/start.log" >&2; die "Barbican did not start"; }
    echo "$port" >"$dir/port"
    echo "PORTCULLIS_BARBICAN_URL=http://127.0.0.1:$port"
    echo "PORTCULLIS_BARBICAN_CONF=$dir/ref/home/.barbican/barbican.conf"
    echo "PORTCULLIS_BARBICAN_DIR=$dir/ref"
    echo "PORTCULLIS_BARBICAN_DB=${BARBICAN_DB:-sqlite}"
    ;;
  stop)
    BARBICAN_REF_DIR=$dir/ref "$REF/stop.sh" >&2 || true
    ;;
  *) usage ;;
esac
