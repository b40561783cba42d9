#!/usr/bin/env bash
# A private, throw-away PostgreSQL cluster for tests, from Debian's postgresql package.
#   scripts/postgres.sh start DIR [PORT]   init (first time) + start; prints the two URL lines
#   scripts/postgres.sh stop DIR           fast shutdown; fine if not running
#   scripts/postgres.sh status DIR         prints the URL lines and exits 0 if running, else exits 3
# Listens on 127.0.0.1 only; its unix socket lives in DIR. Only the two PORTCULLIS_PG_* lines go
# to stdout; everything else goes to stderr.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

usage() { echo "usage: ${0##*/} start DIR [PORT] | stop DIR | status DIR" >&2; exit 2; }
if [ $# -lt 2 ] || [ -z "$2" ]; then usage; fi
cmd=$1 dir=$(readlink -m "$2") want_port=${3:-}
data=$dir/data
case $want_port in *[!0-9]*) die "PORT must be a number, got '$want_port'" ;; esac

# Newest installed major version; Debian keeps the binaries off PATH, under /usr/lib/postgresql.
pgbin=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
[ -x "${pgbin:-/nonexistent}/pg_ctl" ] ||
  die "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (run scripts/install-deps.sh)"

# PostgreSQL refuses to run as root, so root runs the server tools as the postgres user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

running() { [ -f "$data/PG_VERSION" ] && as_pg "$pgbin/pg_ctl" -D "$data" status >/dev/null 2>&1; }
# Line 4 of postmaster.pid is the port the running server listens on.
running_port() { sed -n 4p "$data/postmaster.pid"; }

print_urls() {
  echo "PORTCULLIS_PG_URL=postgresql://portcullis:portcullis@127.0.0.1:$1/portcullis"
  echo "PORTCULLIS_PG_JDBC=jdbc:postgresql://127.0.0.1:$1/portcullis?user=portcullis&password=portcullis"
}


prepare_dir() {
  mkdir -p "$dir"
  # Refuse to take over (chown) a directory that is not ours.
  if [ ! -f "$data/PG_VERSION" ] && [ -n "$(ls -A "$dir")" ]; then
    die "$dir is neither empty nor a cluster made by this script"
  fi
  # The socket path must fit in sockaddr_un (107 bytes).
  [ ${#dir} -le 90 ] || die "DIR path is too long for a unix socket: $dir"
  chmod 700 "$dir" # the socket is trust-auth: only its owner (and root) may reach it
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 ||
      useradd --system --user-group --home-dir /nonexistent --shell /usr/sbin/nologin postgres
    chown -R postgres: "$dir"
    runuser -u postgres -- test -w "$dir" ||
      die "user postgres cannot write $dir (is a parent directory closed to it?)"
  fi
}

init_cluster() {
  log "initdb in $data ($pgbin)"
  # --no-sync: nothing here needs to survive a crash. Its chatter goes to a file.
  as_pg "$pgbin/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 --auth=trust \
    --no-sync --no-instructions >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; die "initdb failed in $data"; }
  cat >>"$data/postgresql.conf" <<EOF

# --- scripts/postgres.sh: private throw-away test cluster ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
# durability is pointless for a cluster that is deleted after the tests; speed is not
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  # Superuser only through the private socket; TCP clients log in with a password.
  cat >"$data/pg_hba.conf" <<EOF
local all all trust
host  all all 127.0.0.1/32 scram-sha-256
EOF
}

start() {
  prepare_dir
  if running; then
    local port
    port=$(running_port)
    [ -z "$want_port" ] || [ "$want_port" = "$port" ] ||
      die "already running in $dir on port $port, not $want_port (stop it first)"
    log "already running on port $port"
    print_urls "$port"
    return
  fi
  [ -f "$data/PG_VERSION" ] || init_cluster
  local port=$want_port
  if [ -z "$port" ]; then
    # reuse the previous port if it is still free, so URLs stay stable across restarts
    port=$(cat "$dir/port" 2>/dev/null || true)
    if [ -z "$port" ] || port_in_use "$port"; then port=$(free_port 54329); fi
  elif port_in_use "$port"; then
    die "port $port on 127.0.0.1 is already in use"
  fi
  echo "$port" >"$dir/port"
  log "starting on 127.0.0.1:$port (log: $dir/postgres.log)"
  if ! as_pg "$pgbin/pg_ctl" -D "$data" -l "$dir/postgres.log" -o "-p $port" -w -t 60 start >&2; then
    tail -n 20 "$dir/postgres.log" >&2 || true
    die "PostgreSQL did not start (see $dir/postgres.log)"
  fi
  local i
  for ((i = 0; i < 60; i++)); do
    "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$port" && break
    sleep 0.5
  done
  "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$port" || die "PostgreSQL on port $port is not accepting connections"
  # Idempotent, so a start interrupted after initdb still ends with the role and database.
  as_pg "$pgbin/psql" -q -X -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres >&2 <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'portcullis') THEN
    CREATE ROLE portcullis LOGIN PASSWORD 'portcullis';
  END IF;
END $$;
SELECT 'CREATE DATABASE portcullis OWNER portcullis'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'portcullis') \gexec
SQL
  print_urls "$port"
}

stop() {
  if running; then
    as_pg "$pgbin/pg_ctl" -D "$data" -m fast -w -t 60 stop >&2
  else
    log "not running in $dir"
  fi
}

status() {
  if running; then print_urls "$(running_port)"; else log "not running in $dir"; exit 3; fi
}

# The server tools complain when the current directory is closed to the postgres user.
cd /
case $cmd in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
