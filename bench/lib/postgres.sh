# shellcheck shell=bash
# PostgreSQL for the bench: a durable private cluster (scripts/postgres.sh, or an inline initdb fallback).
# Sourced by bench/run.sh (needs its globals: OUT, LOG, REPO, JAVA, ...); not run on its own.

# scripts/postgres.sh is a throw-away TEST cluster (fsync=off, synchronous_commit=off). A
# benchmark must be durable, so after it starts we switch fsync, synchronous_commit and
# full_page_writes back on (ALTER SYSTEM + reload, over its private unix socket) and check it.
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_psql() {  # pg_psql DIR PORT SQL...  (superuser over the socket in DIR)
  local dir=$1 port=$2; shift 2
  local args=() s
  for s in "$@"; do args+=(-c "$s"); done
  (cd / && as_pg "$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres "${args[@]}")
}
pg_start() {  # pg_start DIR -> sets PG_URL, PG_PORT
  local dir=$1 line
  PG_URL=
  if [ -x "$REPO/scripts/postgres.sh" ]; then
    PG_MODE=scripts
    PG_DIRS+=("$dir")
    while IFS= read -r line; do
      case $line in PORTCULLIS_PG_URL=*) PG_URL=${line#*=} ;; esac
    done < <("$REPO/scripts/postgres.sh" start "$dir" 2>>"$LOG")
    [ -n "$PG_URL" ] || { log "scripts/postgres.sh start failed (see $LOG)"; return 1; }
    PG_PORT=$(sed -n 's#.*@127\.0\.0\.1:\([0-9]*\)/.*#\1#p' <<<"$PG_URL")
    pg_psql "$dir" "$PG_PORT" "ALTER SYSTEM SET fsync = on" "ALTER SYSTEM SET synchronous_commit = on" \
      "ALTER SYSTEM SET full_page_writes = on" "SELECT pg_reload_conf()" >/dev/null ||
      { log "could not make PostgreSQL durable"; return 1; }
  else
    # fallback: a minimal private durable cluster (Debian's binaries, run as user postgres)
    PG_MODE=inline
    [ -x "${PGBIN:-/nonexistent}/pg_ctl" ] || { log "no PostgreSQL server binaries"; return 1; }
    mkdir -p "$dir"; chmod 700 "$dir"
    [ "$(id -u)" != 0 ] || chown postgres: "$dir"
    (cd / && as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C.UTF-8 --auth=trust \
       --no-instructions) >>"$LOG" 2>&1 || { log "initdb failed"; return 1; }
    PG_PORT=$(free_port 54329)
    cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$dir'
EOF
    printf 'local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n' > "$dir/data/pg_hba.conf"
    PG_DIRS+=("$dir")
    (cd / && as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start) >>"$LOG" 2>&1 ||
      { log "pg_ctl start failed (see $dir/postgres.log)"; return 1; }
    pg_psql "$dir" "$PG_PORT" "CREATE ROLE portcullis LOGIN PASSWORD 'portcullis'" \
      "CREATE DATABASE portcullis OWNER portcullis" >/dev/null || return 1
    PG_URL=postgresql://portcullis:portcullis@127.0.0.1:$PG_PORT/portcullis
  fi
  local fs sc
  fs=$(pg_psql "$dir" "$PG_PORT" "SHOW fsync"); sc=$(pg_psql "$dir" "$PG_PORT" "SHOW synchronous_commit")
  log "PostgreSQL ($PG_MODE) on 127.0.0.1:$PG_PORT: fsync=$fs synchronous_commit=$sc"
  if [ "$fs" != on ] || [ "$sc" != on ]; then log "PostgreSQL is not durable (fsync=$fs synchronous_commit=$sc)"; return 1; fi
}
pg_stop() {
  local dir=$1
  [ -d "$dir/data" ] || return 0
  if [ -x "$REPO/scripts/postgres.sh" ] && [ "$PG_MODE" = scripts ]; then
    "$REPO/scripts/postgres.sh" stop "$dir" >>"$LOG" 2>&1
  elif [ -f "$dir/data/postmaster.pid" ]; then
    (cd / && as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop) >>"$LOG" 2>&1
  fi
}
