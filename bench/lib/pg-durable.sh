# shellcheck shell=bash
# pg_durable DIR URL: scripts/postgres.sh makes a throw-away TEST cluster (fsync=off,
# synchronous_commit=off); a bench must measure a durable database, so both go back on (as
# bench/run.sh's lib/postgres.sh does) and are checked. Sourced by bench/ops.sh and bench/kek-rotate.sh.
pg_durable() {
  local port; port=$(sed -n 's#.*@127\.0\.0\.1:\([0-9]*\)/.*#\1#p' <<<"$2")
  local pgbin; pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  local as=(); [ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
  (cd / && "${as[@]}" "$pgbin/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$1" -p "$port" -U postgres -d postgres \
    -c "ALTER SYSTEM SET fsync = on" -c "ALTER SYSTEM SET synchronous_commit = on" \
    -c "ALTER SYSTEM SET full_page_writes = on" -c "SELECT pg_reload_conf()") >/dev/null
  local got; got=$(cd / && "${as[@]}" "$pgbin/psql" -X -q -At -h "$1" -p "$port" -U postgres -d postgres \
    -c "SHOW fsync" -c "SHOW synchronous_commit" | tr '\n' ' ')
  [ "$got" = "on on " ] || { echo "PostgreSQL is not durable (fsync, synchronous_commit: $got)" >&2; exit 2; }
}
