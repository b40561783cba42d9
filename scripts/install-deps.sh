#!/usr/bin/env bash
# Install the Debian packages Portcullis needs to build and test, plus any named as arguments.
# Idempotent: installs only what is missing, and touches apt only if something is.
#   scripts/install-deps.sh [EXTRA-PACKAGE...]
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

pkgs=(
  maven                                          # build
  curl jq                                        # conformance checks use them against the API
  sqlite3 postgresql                             # the two databases (postgres.sh runs a private cluster)
  keystone uwsgi-plugin-python3                  # a real Keystone for token auth tests (keystone.sh)
  python3-barbicanclient python3-openstackclient # the real Barbican clients for conformance
  wrk gnuplot-nox                                # bench/ (gnuplot: the bench run's PNG plots)
  procps                                         # pgrep/ps used by tests and scripts
  softhsm2 opensc                                # PKCS#11 store tests (softhsm.sh); pkcs11-tool checks key attributes
  python3-pykmip openssl                         # scripts/kmip.sh: a real KMIP server (pykmip-server) + its test CA
  prometheus                                     # scripts/prometheus.sh scrapes a node; promtool checks deploy/monitoring
  barbican-api python3-barbican uwsgi-core       # scripts/barbican.sh: the real Barbican 15 the import is tested against
  mariadb-server python3-pymysql                 # scripts/barbican-mariadb.sh: that Barbican on MariaDB, an import source
  patroni etcd-server haproxy                    # scripts/cluster.sh: HA PostgreSQL and the balancer (ClusterIT)
  "$@"
)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  log "all ${#pkgs[@]} packages already installed"
  exit 0
fi
[ "$(id -u)" = 0 ] || die "missing packages: ${missing[*]} (run this script as root to install them)"

log "installing: ${missing[*]}"
# Package postinst scripts would start system services (postgresql listens on :5432, etc.).
# policy-rc.d exiting 101 forbids that; remove it afterwards only if it was ours.
created_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  created_policy=1
fi
trap '[ "$created_policy" = 0 ] || rm -f /usr/sbin/policy-rc.d' EXIT

export DEBIAN_FRONTEND=noninteractive
apt-get update -q || die "apt-get update failed"
apt-get install -y -q "${missing[@]}" || die "apt-get install failed for: ${missing[*]}"
log "done"
