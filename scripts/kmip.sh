#!/usr/bin/env bash
# A private, throw-away PyKMIP server (Debian python3-pykmip) for tests, on 127.0.0.1 with its own CA.
#   scripts/kmip.sh start DIR   certificates (first time), config, start; prints the PORTCULLIS_KMIP_* lines
#   scripts/kmip.sh stop DIR    stops the server's process group; fine if not running
#   scripts/kmip.sh status DIR  prints the lines and exits 0 if running, else exits 3
# DIR gets: ca.crt; server.{crt,key}; client.{crt,key} (CN=portcullis, owner of what it creates) and
# other.{crt,key} (CN=other, a second identity for permission tests); keys are mode 0600, EC P-256,
# PKCS#8 PEM. server.conf uses its own database_path under DIR (PyKMIP's default /tmp/pykmip.database
# would be shared by every server). Only PORTCULLIS_KMIP_* lines go to stdout.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

usage() { echo "usage: ${0##*/} start DIR | stop DIR | status DIR" >&2; exit 2; }
if [ $# -lt 2 ] || [ -z "$2" ]; then usage; fi
cmd=$1 dir=$(readlink -m "$2")
PY=/usr/bin/python3 # the Debian interpreter that has the kmip package (not a pyenv/venv python3)
SERVER=/usr/bin/pykmip-server

running() { [ -f "$dir/server.pid" ] && kill -0 "$(cat "$dir/server.pid")" 2>/dev/null; }

print_env() {
  echo "PORTCULLIS_KMIP_HOST=127.0.0.1"
  echo "PORTCULLIS_KMIP_PORT=$(cat "$dir/port")"
  echo "PORTCULLIS_KMIP_CA=$dir/ca.crt"
  echo "PORTCULLIS_KMIP_CERT=$dir/client.crt"
  echo "PORTCULLIS_KMIP_KEY=$dir/client.key"
  echo "PORTCULLIS_KMIP_OTHER_CERT=$dir/other.crt"
  echo "PORTCULLIS_KMIP_OTHER_KEY=$dir/other.key"
}

# EC P-256 key as unencrypted PKCS#8 PEM, mode 0600 (Portcullis refuses group/world-readable keys).
ec_key() {
  (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null)
  chmod 600 "$1"
}

# sign NAME CN EXTENSIONS: NAME.crt signed by the CA
sign() {
  openssl req -new -key "$dir/$1.key" -subj "/CN=$2" -out "$dir/$1.csr" 2>/dev/null
  printf '%b' "$3" >"$dir/$1.ext"
  openssl x509 -req -in "$dir/$1.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 825 -sha256 \
    -extfile "$dir/$1.ext" -out "$dir/$1.crt" 2>/dev/null
  rm -f "$dir/$1.csr" "$dir/$1.ext"
}

make_certs() {
  log "creating a throw-away CA and certificates in $dir"
  ec_key "$dir/ca.key"
  openssl req -x509 -new -key "$dir/ca.key" -sha256 -days 825 -subj "/CN=portcullis-test-kmip-ca" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$dir/ca.crt" 2>/dev/null
  ec_key "$dir/server.key"
  sign server localhost 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyAgreement\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n'
  # PyKMIP requires EKU clientAuth and takes the owner identity from the (single) subject CN.
  local who
  for who in client:portcullis other:other; do
    ec_key "$dir/${who%%:*}.key"
    sign "${who%%:*}" "${who#*:}" 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyAgreement\nextendedKeyUsage=clientAuth\n'
  done
  rm -f "$dir/ca.srl"
}

# Ready = a TLS handshake with the client certificate succeeds (the port alone opens earlier).
tls_ready() {
  timeout 5 openssl s_client -connect "127.0.0.1:$1" -CAfile "$dir/ca.crt" -cert "$dir/client.crt" \
    -key "$dir/client.key" -verify_return_error -brief </dev/null >/dev/null 2>&1
}

start() {
  [ -x "$SERVER" ] && "$PY" -c 'import kmip' 2>/dev/null ||
    die "pykmip-server is not installed (scripts/install-deps.sh installs python3-pykmip)"
  mkdir -p "$dir/policies"
  chmod 700 "$dir"
  if running; then
    log "already running on port $(cat "$dir/port")"
    print_env
    return
  fi
  [ -s "$dir/client.crt" ] || make_certs
  local port
  port=$(cat "$dir/port" 2>/dev/null || true)
  if [ -z "$port" ] || port_in_use "$port"; then port=$(free_port 15696); fi
  echo "$port" >"$dir/port"
  cat >"$dir/server.conf" <<CONF
[server]
hostname=127.0.0.1
port=$port
certificate_path=$dir/server.crt
key_path=$dir/server.key
ca_path=$dir/ca.crt
auth_suite=TLS1.2
policy_path=$dir/policies
enable_tls_client_auth=True
tls_cipher_suites=
    ECDHE-ECDSA-AES128-GCM-SHA256
    ECDHE-ECDSA-AES256-GCM-SHA384
logging_level=INFO
database_path=$dir/pykmip.sqlite
CONF
  log "starting pykmip-server on 127.0.0.1:$port (log: $dir/server.log)"
  # setsid: its own process group, so stop can also end the policy-monitor child it forks.
  setsid "$PY" "$SERVER" -f "$dir/server.conf" -l "$dir/server.log" >"$dir/server.out" 2>&1 </dev/null &
  echo $! >"$dir/server.pid"
  local i
  for ((i = 0; i < 100; i++)); do
    if tls_ready "$port"; then
      print_env
      return
    fi
    running || { tail -n 20 "$dir/server.out" "$dir/server.log" >&2 2>/dev/null || true; die "pykmip-server died (see $dir)"; }
    sleep 0.2
  done
  stop
  die "pykmip-server did not accept TLS on 127.0.0.1:$port within 20 s (see $dir/server.log)"
}

stop() {
  if ! running; then
    log "not running in $dir"
    rm -f "$dir/server.pid"
    return
  fi
  local pid i
  pid=$(cat "$dir/server.pid")
  # Started with setsid: its process group id is its pid. End the group (server + policy monitor).
  kill -TERM -- "-$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$dir/server.pid"
  log "stopped pykmip-server (pid $pid)"
}

status() {
  if running; then print_env; else log "not running in $dir"; exit 3; fi
}

case $cmd in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
