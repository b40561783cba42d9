#!/usr/bin/env bash
# A second real Barbican 15 for the adoption tests, on a private MariaDB (BARBICAN_DB=mysql of the
# shared reference) with its software store only: the reference's KMIP store listens on the fixed
# port 5696, which scripts/barbican.sh's instance holds, so this one runs beside it without one.
#   scripts/barbican-mariadb.sh start DIR   prints PORTCULLIS_BARBICAN_MARIADB_* lines
#   scripts/barbican-mariadb.sh stop DIR    stops it and its MariaDB; fine if not running
set -euo pipefail
here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
BARBICAN_DB=mysql BARBICAN_MULTISTORE=0 "$here/barbican.sh" "$@" | sed 's/^PORTCULLIS_BARBICAN_/PORTCULLIS_BARBICAN_MARIADB_/'
