#!/usr/bin/env bash
# A private, throw-away OpenStack Keystone for tests, from Debian's keystone package: SQLite and
# fernet tokens under DIR, served by uwsgi on 127.0.0.1 only.
#   scripts/keystone.sh start DIR [PORT]   set up (first time) + start; prints the PORTCULLIS_KEYSTONE_* lines
#   scripts/keystone.sh stop DIR           stop uwsgi (by its pid file); fine if not running
#   scripts/keystone.sh status DIR         prints the lines and exits 0 if running, else exits 3
#
# What the first start creates (names are fixed, passwords random and kept in DIR/credentials):
#   region RegionOne; domain Default; the bootstrap user "admin" (admin on project "admin" and on
#   the system); roles admin > member > reader (implied), creator, observer, audit,
#   key-manager:service-admin, service; project "service" with user "barbican" (role service):
#   the account Portcullis validates tokens with; service "barbican" of type key-manager
#   (endpoints only if PORTCULLIS_KEYSTONE_BARBICAN_URL is set: tests add their own, in a region
#   of their own, because their ports are dynamic); projects "portcullis-a" and "portcullis-b";
#   users, all with the one test password:
#     a-admin (admin on A), a-member, a-reader, a-creator, a-observer, a-audit,
#     a-service-admin (key-manager:service-admin on A), b-member (member on B only),
#     no-role (member of nothing), system-reader (reader on the system).
# Only the PORTCULLIS_KEYSTONE_* lines go to stdout; everything else goes to stderr.
set -euo pipefail
shopt -s inherit_errexit # a failing api call inside $(...) must stop the script
# shellcheck source=scripts/lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

usage() { echo "usage: ${0##*/} start DIR [PORT] | stop DIR | status DIR" >&2; exit 2; }
if [ $# -lt 2 ] || [ -z "$2" ]; then usage; fi
cmd=$1 dir=$(readlink -m "$2") want_port=${3:-}
case $want_port in *[!0-9]*) die "PORT must be a number, got '$want_port'" ;; esac
conf=$dir/keystone.conf
pidfile=$dir/uwsgi.pid
# Debian's interpreter and packages, never a pyenv or virtualenv python earlier on PATH.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export OS_KEYSTONE_CONFIG_FILES=$conf

running() {
  [ -f "$pidfile" ] || return 1
  local pid
  pid=$(cat "$pidfile" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q uwsgi "/proc/$pid/cmdline" 2>/dev/null
}


print_lines() {
  # shellcheck disable=SC1091
  . "$dir/credentials"
  echo "PORTCULLIS_KEYSTONE_URL=http://127.0.0.1:$1"
  echo "PORTCULLIS_KEYSTONE_ADMIN_PASSWORD=$ADMIN_PASSWORD"
  echo "PORTCULLIS_KEYSTONE_SERVICE_PASSWORD=$SERVICE_PASSWORD"
  echo "PORTCULLIS_KEYSTONE_USER_PASSWORD=$USER_PASSWORD"
}

manage() {
  keystone-manage --config-file "$conf" "$@" >>"$dir/keystone-manage.log" 2>&1 ||
    { tail -n 30 "$dir/keystone-manage.log" >&2; die "keystone-manage $1 failed (see $dir/keystone-manage.log)"; }
}

random_password() { head -c 18 /dev/urandom | base64 | tr -d '/+='; }

write_conf() {
  # No policy_dirs: Keystone's own defaults, not the Debian package's /etc/keystone/policy.d.
  cat >"$conf" <<EOF
# Written by scripts/keystone.sh: a throw-away Keystone for tests.
[DEFAULT]
log_dir = $dir
log_file = keystone.log
[database]
connection = sqlite:///$dir/keystone.sqlite
[token]
provider = fernet
expiration = 3600
[fernet_tokens]
key_repository = $dir/fernet-keys
[fernet_receipts]
key_repository = $dir/fernet-keys
[credential]
key_repository = $dir/credential-keys
[catalog]
driver = sql
[identity]
# bcrypt's minimum cost: test passwords need no protection, and each login costs ms, not 0.3 s
password_hash_rounds = 4
EOF
}

first_setup() {
  local port=$1
  log "setting up Keystone in $dir (db_sync, fernet and credential keys, bootstrap)"
  umask 077
  cat >"$dir/credentials" <<EOF
ADMIN_PASSWORD=$(random_password)
SERVICE_PASSWORD=$(random_password)
USER_PASSWORD=$(random_password)
EOF
  # shellcheck disable=SC1091
  . "$dir/credentials"
  write_conf
  local user group
  user=$(id -un) group=$(id -gn)
  manage db_sync
  # WAL: readers never block a writer. In the default rollback journal, a worker still holding a
  # read transaction makes every other worker's commit fail with "database is locked" after 5 s.
  sqlite3 "$dir/keystone.sqlite" 'PRAGMA journal_mode=WAL;' >/dev/null
  manage fernet_setup --keystone-user "$user" --keystone-group "$group"
  manage credential_setup --keystone-user "$user" --keystone-group "$group"
  manage bootstrap --bootstrap-password "$ADMIN_PASSWORD" --bootstrap-region-id RegionOne \
    --bootstrap-public-url "http://127.0.0.1:$port/v3" --bootstrap-internal-url "http://127.0.0.1:$port/v3" \
    --bootstrap-admin-url "http://127.0.0.1:$port/v3"
}

# --- Keystone's REST API through curl (one openstack CLI call costs ~2 s; this is milliseconds) --
KS=
TOKEN=
api() { # METHOD PATH [JSON] -> response body on stdout
  local method=$1 path=$2 body=${3:-} out code
  out=$(curl -sS -X "$method" -H "X-Auth-Token: $TOKEN" -H 'Content-Type: application/json' \
    ${body:+--data "$body"} -w '\n%{http_code}' "$KS$path") || die "keystone $method $path: connection failed"
  code=${out##*$'\n'}
  out=${out%$'\n'*}
  case $code in 2??) printf '%s' "$out" ;; *) die "keystone $method $path -> $code: $out" ;; esac
}

login_admin() {
  # shellcheck disable=SC1091
  . "$dir/credentials"
  local body
  body=$(jq -n --arg pw "$ADMIN_PASSWORD" '{auth: {identity: {methods: ["password"], password: {user:
    {name: "admin", domain: {id: "default"}, password: $pw}}}, scope: {project: {name: "admin", domain: {id: "default"}}}}}')
  TOKEN=$(curl -sS -D - -o /dev/null -H 'Content-Type: application/json' --data "$body" "$KS/v3/auth/tokens" |
    tr -d '\r' | sed -n 's/^[Xx]-[Ss]ubject-[Tt]oken: //p')
  [ -n "$TOKEN" ] || die "could not log in to Keystone at $KS as admin"
}

# find-or-create by name; prints the id
ensure() { # COLLECTION SINGULAR NAME JSON-OBJECT
  local coll=$1 one=$2 name=$3 json=$4 id
  id=$(api GET "/v3/$coll?name=$(jq -rn --arg n "$name" '$n|@uri')" | jq -r ".${coll}[0].id // empty")
  [ -n "$id" ] || id=$(api POST "/v3/$coll" "{\"$one\": $json}" | jq -r ".$one.id")
  echo "$id"
}
role_id() { ensure roles role "$1" "$(jq -n --arg n "$1" '{name: $n}')"; }
project_id() { ensure projects project "$1" "$(jq -n --arg n "$1" '{name: $n, domain_id: "default"}')"; }
user_id() { # NAME PASSWORD
  ensure users user "$1" "$(jq -n --arg n "$1" --arg p "$2" '{name: $n, password: $p, domain_id: "default"}')"
}

populate() {
  # shellcheck disable=SC1091
  . "$dir/credentials"
  login_admin
  local r
  declare -A role
  for r in admin member reader creator observer audit key-manager:service-admin service; do
    role[$r]=$(role_id "$r")
  done
  local service_project a b
  service_project=$(project_id service)
  a=$(project_id portcullis-a)
  b=$(project_id portcullis-b)
  api PUT "/v3/projects/$service_project/users/$(user_id barbican "$SERVICE_PASSWORD")/roles/${role[service]}" >/dev/null
  local name
  for name in admin member reader creator observer audit; do
    api PUT "/v3/projects/$a/users/$(user_id "a-$name" "$USER_PASSWORD")/roles/${role[$name]}" >/dev/null
  done
  api PUT "/v3/projects/$a/users/$(user_id a-service-admin "$USER_PASSWORD")/roles/${role[key-manager:service-admin]}" >/dev/null
  api PUT "/v3/projects/$b/users/$(user_id b-member "$USER_PASSWORD")/roles/${role[member]}" >/dev/null
  user_id no-role "$USER_PASSWORD" >/dev/null
  api PUT "/v3/system/users/$(user_id system-reader "$USER_PASSWORD")/roles/${role[reader]}" >/dev/null

  local service
  service=$(api GET '/v3/services?type=key-manager' | jq -r '.services[0].id // empty')
  [ -n "$service" ] || service=$(api POST /v3/services \
    '{"service": {"name": "barbican", "type": "key-manager", "description": "Portcullis (Barbican API)"}}' |
    jq -r .service.id)
  if [ -n "${PORTCULLIS_KEYSTONE_BARBICAN_URL:-}" ]; then
    local iface
    for iface in public internal admin; do
      api POST /v3/endpoints "$(jq -n --arg s "$service" --arg i "$iface" --arg u "$PORTCULLIS_KEYSTONE_BARBICAN_URL" \
        '{endpoint: {service_id: $s, interface: $i, url: $u, region_id: "RegionOne"}}')" >/dev/null
    done
  fi
  touch "$dir/populated"
}

start() {
  if ! command -v keystone-manage >/dev/null || [ ! -x /usr/bin/keystone-wsgi-public ]; then
    die "Debian's keystone package is not installed (run scripts/install-deps.sh)"
  fi
  [ -f /usr/lib/uwsgi/plugins/python3_plugin.so ] || die "uwsgi-plugin-python3 is not installed (run scripts/install-deps.sh)"
  mkdir -p "$dir"
  chmod 700 "$dir"
  if running; then
    local port
    port=$(cat "$dir/port")
    [ -z "$want_port" ] || [ "$want_port" = "$port" ] ||
      die "already running in $dir on port $port, not $want_port (stop it first)"
    log "already running on port $port"
    print_lines "$port"
    return
  fi
  if [ ! -f "$dir/populated" ] && [ -n "$(ls -A "$dir")" ]; then
    die "$dir is neither empty nor a Keystone made by this script (remove it and retry)"
  fi
  local port=$want_port
  if [ -z "$port" ]; then
    port=$(cat "$dir/port" 2>/dev/null || true)
    if [ -z "$port" ] || port_in_use "$port"; then port=$(free_port 55357); fi
  elif port_in_use "$port"; then
    die "port $port on 127.0.0.1 is already in use"
  fi
  [ -f "$dir/populated" ] || first_setup "$port"
  echo "$port" >"$dir/port"
  KS=http://127.0.0.1:$port
  log "starting Keystone on $KS (log: $dir/keystone.log, $dir/uwsgi.log)"
  # uwsgi's own HTTP parser in each worker (--http-socket). Workers are processes with one thread
  # each: Keystone's SQLite engine shares connections across threads and then fails with
  # "database is locked". The http-socket closes each connection after one answer without saying
  # so; "Connection: close" keeps clients (Java's HttpClient) from reusing a dead connection.
  # Root is fine here (CI): --uid is not needed for a throw-away server.
  uwsgi --plugins python3 --http-socket "127.0.0.1:$port" --wsgi-file /usr/bin/keystone-wsgi-public \
    --master --processes 2 --threads 1 --lazy-apps --die-on-term --no-orphans \
    --buffer-size 65535 --need-app --add-header 'Connection: close' --env "OS_KEYSTONE_CONFIG_FILES=$conf" --chdir "$dir" \
    --pidfile "$pidfile" --daemonize "$dir/uwsgi.log" >&2 ||
    die "uwsgi did not start (see $dir/uwsgi.log)"
  local i
  for ((i = 0; i < 120; i++)); do
    curl -sf -o /dev/null "$KS/v3" && break
    running || { tail -n 30 "$dir/uwsgi.log" >&2; die "Keystone exited during start (see $dir/uwsgi.log)"; }
    sleep 0.25
  done
  curl -sf -o /dev/null "$KS/v3" || { tail -n 30 "$dir/uwsgi.log" >&2; die "Keystone on $KS does not answer"; }
  if [ ! -f "$dir/populated" ]; then
    populate
  fi
  print_lines "$port"
}

stop() {
  if running; then
    local pid i
    pid=$(cat "$pidfile")
    kill -TERM "$pid"
    for ((i = 0; i < 100; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    ! kill -0 "$pid" 2>/dev/null || die "uwsgi (pid $pid) did not stop"
    rm -f "$pidfile"
  else
    log "not running in $dir"
  fi
}

status() {
  if running; then print_lines "$(cat "$dir/port")"; else log "not running in $dir"; exit 3; fi
}

case $cmd in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
