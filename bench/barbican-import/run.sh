#!/usr/bin/env bash
# Import rate of `portcullis manage import barbican`, SQLite -> SQLite, including the read-back of
# every payload: a Barbican 15 SQLite database filled with N simple_crypto secrets (populate.py,
# the schema taken from the reference Barbican's database), imported into a fresh Portcullis.
#   bench/barbican-import/run.sh BARBICAN_SQLITE [N]
# BARBICAN_SQLITE: a database `barbican-manage db upgrade` made (scripts/barbican.sh start DIR
# leaves one in DIR/ref/barbican.sqlite); it is only read, for its schema. N defaults to 20000.
# Prints the import's own report and "secrets/s" for the whole command (JVM start included).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/scripts/lib.sh"
[ $# -ge 1 ] || { echo "usage: $0 BARBICAN_SQLITE [N]" >&2; exit 2; }
schema=$1 n=${2:-20000}
pick_jdk
JAR=${PORTCULLIS_JAR:-$ROOT/server/target/portcullis.jar}
[ -f "$JAR" ] || die "build first: ./portcullis build (or set PORTCULLIS_JAR)"
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-barbican-import.XXXXXX")
trap 'rm -rf "$work"' EXIT
kek=$(python3 -c 'import os,base64;print(base64.urlsafe_b64encode(os.urandom(32)).decode())')
python3 "$ROOT/bench/barbican-import/populate.py" "$schema" "$work/barbican.sqlite" "$kek" "$n"
cat >"$work/barbican.conf" <<CONF
[DEFAULT]
sql_connection = sqlite:///$work/barbican.sqlite
[simple_crypto_plugin]
kek = $kek
CONF
head -c 32 /dev/urandom | base64 >"$work/kek"
chmod 400 "$work/kek"
cat >"$work/portcullis.conf" <<CONF
[DEFAULT]
sql_connection = sqlite:///$work/portcullis.sqlite
[portcullis]
data_dir = $work
auth_strategy = noauth
[simple_crypto_plugin]
kek_file = $work/kek
CONF
chmod 600 "$work/portcullis.conf"
# Create the schema first, so the timed run measures the import, not the migrations.
"$JAVA_HOME/bin/java" -jar "$JAR" manage import barbican --config "$work/portcullis.conf" \
  --barbican-config "$work/barbican.conf" --project none-yet >/dev/null
start=$(date +%s.%N)
/usr/bin/time -f "%U %S" -o "$work/cpu" "$JAVA_HOME/bin/java" -jar "$JAR" manage import barbican --config "$work/portcullis.conf" \
  --barbican-config "$work/barbican.conf" | grep -v "^  secret  *project"
end=$(date +%s.%N)
# Wall time depends on what else runs on the machine; CPU time (user + system) says what the
# import itself costs. Both are printed, with the load average.
python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); c=sum(map(float, open(sys.argv[4]).read().split())); print('imported %d secrets in %.1f s wall: %.0f secrets/s; %.1f s CPU: %.0f secrets per CPU-second (JVM start and read of the source included)' % (int(sys.argv[3]), s, int(sys.argv[3])/s, c, int(sys.argv[3])/c))" "$start" "$end" "$n" "$work/cpu"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
