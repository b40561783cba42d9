# shellcheck shell=bash
# Portcullis for the bench: its config (TLS, stores), start and stop.
# Sourced by bench/run.sh (needs its globals: OUT, LOG, REPO, JAVA, ...); not run on its own.

# BENCH_TLS=1: a throw-away CA and a server certificate for 127.0.0.1 in DIR/pki. curl (here,
# in bench.sh and extra.sh) trusts the CA through CURL_CA_BUNDLE, the Java load tool through a
# PKCS#12 trust store; wrk does not verify certificates.
make_tls() {  # make_tls DIR -> DIR/pki/{ca.pem,server.pem,server.key,truststore.p12}
  local pki=$1/pki
  mkdir -p "$pki"; chmod 700 "$pki"
  (cd "$pki" && umask 077 &&
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
      -days 2 -subj '/CN=Portcullis bench CA' -addext basicConstraints=critical,CA:TRUE \
      -addext keyUsage=critical,keyCertSign,cRLSign &&
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr \
      -subj /CN=127.0.0.1 &&
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > server.ext &&
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext \
      -out server.pem &&
    "$JAVA_HOME/bin/keytool" -importcert -noprompt -alias ca -file ca.pem -keystore truststore.p12 \
      -storetype PKCS12 -storepass bench-trust) >>"$LOG" 2>&1 || { log "make_tls: openssl/keytool failed"; return 1; }
  chmod 600 "$pki/server.key"
  export CURL_CA_BUNDLE=$pki/ca.pem
  LOAD_TLS_OPTS=("-Djavax.net.ssl.trustStore=$pki/truststore.p12" -Djavax.net.ssl.trustStorePassword=bench-trust
    -Djavax.net.ssl.trustStoreType=PKCS12)
}
LOAD_TLS_OPTS=()
# ../shared/reference/bench.sh accepts http:// targets only; with BENCH_TLS a copy of it whose
# target check also admits https://127.* runs the same wrk scripts (its wrk/ is linked, not copied).
ref_bench() {  # ref_bench -> path of bench.sh to run against Portcullis
  if [ "$BENCH_TLS" = 0 ]; then echo "$REF/bench.sh"; return; fi
  local d=$OUT/reference-https
  if [ ! -x "$d/bench.sh" ]; then
    mkdir -p "$d"; ln -sfn "$REF/wrk" "$d/wrk"
    sed 's#^  http://127\.\*|#  https://127.*|http://127.*|#' "$REF/bench.sh" > "$d/bench.sh"
    chmod 755 "$d/bench.sh"
    grep -q 'https://127' "$d/bench.sh" || { log "could not adapt $REF/bench.sh for https"; return 1; }
  fi
  echo "$d/bench.sh"
}
write_config() {  # write_config DIR PORT SQL_CONNECTION
  local dir=$1 port=$2 sql=$3 k tls_lines=
  mkdir -p "$dir"; chmod 700 "$dir"
  for k in kek kek-2; do
    (umask 077; head -c 32 /dev/urandom | base64 > "$dir/$k")
    chmod 600 "$dir/$k"
  done
  if [ "$BENCH_TLS" = 1 ]; then
    make_tls "$dir" || return 1
    tls_lines="tls_cert_file = $dir/pki/server.pem
tls_key_file = $dir/pki/server.key"
  fi
  cat > "$dir/portcullis.conf" <<EOF
[DEFAULT]
host_href = $P_SCHEME://127.0.0.1:$port
sql_connection = $sql

[portcullis]
bind_host = 127.0.0.1
bind_port = $port
data_dir = $dir
$tls_lines

[audit]
$( [ "$BENCH_AUDIT" = off ] && echo "enabled = False" || echo "fsync = $BENCH_AUDIT")
$( [ -z "${BENCH_DB_POOL:-}${BENCH_DB_READ_LIMIT:-}" ] || printf '\n[database]\n')
$( [ -z "${BENCH_DB_POOL:-}" ] || printf 'max_pool_size = %s\n' "$BENCH_DB_POOL")
$( [ -z "${BENCH_DB_READ_LIMIT:-}" ] || printf 'read_limit = %s\n' "$BENCH_DB_READ_LIMIT")

[secretstore]
enable_multiple_secret_stores = True
stores_lookup_suffix = software, software-2$( [ "${BENCH_STORE:-software}" = software ] || echo ", $BENCH_STORE")

[secretstore:software]
secret_store_plugin = store_crypto
crypto_plugin = simple_crypto
global_default = $( [ "${BENCH_STORE:-software}" = software ] && echo True || echo False)

[secretstore:software-2]
secret_store_plugin = store_crypto
crypto_plugin = simple_crypto
kek_file = $dir/kek-2

[simple_crypto_plugin]
kek_file = $dir/kek
EOF
  chmod 600 "$dir/portcullis.conf" # before any store adds a PIN or token to it
  case ${BENCH_STORE:-software} in
    software) ;;
    pkcs11) bench_pkcs11_store "$dir" ;;
    vault) store_config "$dir/portcullis.conf" ;;
    kmip) kmip_config "$dir/portcullis.conf" ;;
    *) die "BENCH_STORE must be software, pkcs11, vault or kmip (got $BENCH_STORE)" ;;
  esac
  chmod 600 "$dir/portcullis.conf"
}
# BENCH_STORE=vault: a Vault store as global default, on the fake (test code, not in the jar).
store_config() {  # store_config CONF
  local conf=$1 out
  if [ -z "$FAKE_VAULT_PID" ]; then
    out=$OUT/fake-vault.out
    "$JAVA" -cp "$REPO/server/target/test-classes:$SERVER_JAR" org.portcullis.stores.vault.FakeVaultServer \
      > "$out" 2> "$OUT/fake-vault.err" < /dev/null &
    FAKE_VAULT_PID=$!
    for _ in $(seq 1 100); do grep -q '^VAULT_TOKEN=' "$out" 2>/dev/null && break; sleep 0.2; done
    FAKE_VAULT_ADDR=$(sed -n 's/^VAULT_ADDR=//p' "$out"); FAKE_VAULT_TOKEN=$(sed -n 's/^VAULT_TOKEN=//p' "$out")
    [ -n "$FAKE_VAULT_TOKEN" ] || die "FakeVaultServer did not start (is server/target/test-classes built?), see $OUT/fake-vault.err"
    log "fake Vault (test code) on $FAKE_VAULT_ADDR, pid $FAKE_VAULT_PID"
  fi
  cat >> "$conf" <<EOF

[secretstore:vault]
secret_store_plugin = vault_plugin
global_default = True

[vault_plugin]
vault_url = $FAKE_VAULT_ADDR
root_token_id = $FAKE_VAULT_TOKEN
kv_path = barbican
EOF
}
# BENCH_STORE=pkcs11: the global default is a PKCS#11 store on a private SoftHSM2 token
# (scripts/softhsm.sh), its MKEK and HMAC key made by `portcullis manage hsm gen-mkek/gen-hmac`.
bench_pkcs11_store() {  # bench_pkcs11_store DIR  (appends to DIR/portcullis.conf)
  local dir=$1 lines k
  lines=$("$REPO/scripts/softhsm.sh" start "$dir/softhsm") || die "scripts/softhsm.sh failed"
  export SOFTHSM2_CONF
  SOFTHSM2_CONF=$(sed -n 's/^PORTCULLIS_SOFTHSM2_CONF=//p' <<<"$lines")
  cat >> "$dir/portcullis.conf" <<EOF

[secretstore:pkcs11]
secret_store_plugin = store_crypto
crypto_plugin = p11_crypto
global_default = True

[p11_crypto_plugin]
library_path = $(sed -n 's/^PORTCULLIS_SOFTHSM_LIBRARY=//p' <<<"$lines")
token_label = $(sed -n 's/^PORTCULLIS_SOFTHSM_TOKEN=//p' <<<"$lines")
login = $(sed -n 's/^PORTCULLIS_SOFTHSM_PIN=//p' <<<"$lines")
mkek_label = bench_mkek
hmac_label = bench_hmac
EOF
  for k in gen-mkek gen-hmac; do # exit 1: the key exists already
    "$JAVA" -jar "$SERVER_JAR" manage hsm "$k" --config "$dir/portcullis.conf" >&2 || [ $? = 1 ] ||
      die "portcullis manage hsm $k failed"
  done
}
# BENCH_STORE=kmip: one private PyKMIP server for the run (scripts/kmip.sh), the global default.
kmip_config() {  # kmip_config CONF
  if [ -z "$KMIP_DIR" ]; then
    KMIP_DIR=$OUT/kmip
    local out
    out=$("$REPO/scripts/kmip.sh" start "$KMIP_DIR" 2>>"$LOG") || die "scripts/kmip.sh could not start PyKMIP (see $LOG)"
    eval "$(printf '%s\n' "$out" | grep -E '^PORTCULLIS_KMIP_[A-Z_]+=[^ ;]*$' | sed 's/^/export /')"
    log "PyKMIP for the kmip store on 127.0.0.1:$PORTCULLIS_KMIP_PORT (state $KMIP_DIR)"
  fi
  cat >> "$1" <<EOF

[secretstore:kmip]
secret_store_plugin = kmip_plugin
global_default = True

[kmip_plugin]
host = $PORTCULLIS_KMIP_HOST
port = $PORTCULLIS_KMIP_PORT
certfile = $PORTCULLIS_KMIP_CERT
keyfile = $PORTCULLIS_KMIP_KEY
ca_certs = $PORTCULLIS_KMIP_CA
ssl_version = PROTOCOL_TLSv1_2
EOF
}
start_portcullis() {  # start_portcullis CONF LOGFILE PORT
  local conf=$1 logf=$2 port=$3 code
  server_jvm_opts  # the launcher's JVM options (scripts/lib.sh)
  "$JAVA" "${SERVER_JVM_OPTS[@]}" -jar "$SERVER_JAR" serve --config "$conf" > "$logf" 2>&1 < /dev/null &
  PORTCULLIS_PID=$!
  local deadline=$((SECONDS + 120))
  while :; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Project-Id: bench-probe' \
           "$P_SCHEME://127.0.0.1:$port/v1/secrets?limit=1" 2>/dev/null || true)
    [ "$code" = 200 ] && break
    if ! kill -0 "$PORTCULLIS_PID" 2>/dev/null; then
      log "Portcullis exited during startup; last lines of $logf:"; tail -n 20 "$logf" >&2
      PORTCULLIS_PID=; return 1
    fi
    if [ $SECONDS -ge $deadline ]; then log "Portcullis not ready after 120 s (http=$code), see $logf"; return 1; fi
    sleep 0.3
  done
  log "Portcullis ready: pid $PORTCULLIS_PID on $P_SCHEME://127.0.0.1:$port"
}
stop_portcullis() {
  local pid=$PORTCULLIS_PID
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then log "Portcullis $pid ignored SIGTERM for 30 s, SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true
  PORTCULLIS_PID=
}
