#!/usr/bin/env bash
# A private SoftHSM2 token directory for tests and local runs (Debian's softhsm2 package).
#   scripts/softhsm.sh start DIR    create DIR/softhsm2.conf and the tokens (first time); print the lines
#   scripts/softhsm.sh stop DIR     delete the tokens (there is no daemon: SoftHSM2 is a library)
#   scripts/softhsm.sh status DIR   print the lines and exit 0 if the tokens exist, else exit 3
# Prints PORTCULLIS_SOFTHSM2_CONF, PORTCULLIS_SOFTHSM_LIBRARY, PORTCULLIS_SOFTHSM_TOKEN (the shared
# token), PORTCULLIS_SOFTHSM_PIN, PORTCULLIS_SOFTHSM_SO_PIN and PORTCULLIS_SOFTHSM_SPARE_TOKENS on
# stdout; everything else goes to stderr.
#
# Why several tokens: the library reads SOFTHSM2_CONF once per process (at C_Initialize) and does
# not see tokens created afterwards, so a test JVM gets one token directory, made here before it
# starts. Tests share token 'portcullis' and keep apart by using their own key labels; tests that
# change a token's state (wrong PIN, PIN change) each use one of the spare tokens.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

usage() { echo "usage: ${0##*/} start DIR | stop DIR | status DIR" >&2; exit 2; }
if [ $# -lt 2 ] || [ -z "$2" ]; then usage; fi
cmd=$1 dir=$(readlink -m "$2")
conf=$dir/softhsm2.conf
PIN=1234 SO_PIN=5678
TOKEN=portcullis
SPARE=(portcullis-login portcullis-runtime portcullis-spare)

library() {
  local l
  for l in /usr/lib/softhsm/libsofthsm2.so /usr/lib/*/softhsm/libsofthsm2.so; do
    [ -f "$l" ] && { echo "$l"; return; }
  done
  die "libsofthsm2.so not found (run scripts/install-deps.sh; Debian package softhsm2)"
}

print_lines() {
  local IFS=,
  echo "PORTCULLIS_SOFTHSM2_CONF=$conf"
  echo "PORTCULLIS_SOFTHSM_LIBRARY=$(library)"
  echo "PORTCULLIS_SOFTHSM_TOKEN=$TOKEN"
  echo "PORTCULLIS_SOFTHSM_PIN=$PIN"
  echo "PORTCULLIS_SOFTHSM_SO_PIN=$SO_PIN"
  echo "PORTCULLIS_SOFTHSM_SPARE_TOKENS=${SPARE[*]}"
}

case $cmd in
  start)
    command -v softhsm2-util >/dev/null || die "softhsm2-util not found (run scripts/install-deps.sh)"
    library >/dev/null
    if [ ! -f "$conf" ]; then
      mkdir -p "$dir/tokens"
      chmod 700 "$dir"
      cat >"$conf" <<CONF
# written by scripts/softhsm.sh: a private token directory, nothing system-wide
directories.tokendir = $dir/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false
slots.mechanisms = ALL
library.reset_on_fork = false
CONF
      for label in "$TOKEN" "${SPARE[@]}"; do
        SOFTHSM2_CONF=$conf softhsm2-util --init-token --free --label "$label" --pin "$PIN" --so-pin "$SO_PIN" >&2 ||
          die "softhsm2-util could not initialise token $label in $dir"
      done
      log "SoftHSM2 tokens ${TOKEN} ${SPARE[*]} in $dir/tokens (export SOFTHSM2_CONF=$conf)"
    fi
    print_lines
    ;;
  stop)
    # Only delete what this script made.
    if [ -f "$conf" ] && grep -q 'scripts/softhsm.sh' "$conf"; then rm -rf "$dir"; fi
    ;;
  status)
    [ -f "$conf" ] || exit 3
    print_lines
    ;;
  *) usage ;;
esac
