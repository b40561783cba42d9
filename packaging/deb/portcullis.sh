#!/bin/bash
# /usr/bin/portcullis: runs the Portcullis jar on a Java runtime >= 21: $JAVA_HOME if it
# qualifies, else the newest under /usr/lib/jvm. PORTCULLIS_JAVA_OPTS adds JVM options.
set -euo pipefail
JAR=/usr/share/portcullis/portcullis.jar

major() { # the feature version of the runtime in $1, or 0
  local v=
  [ -r "$1/release" ] && v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$1/release")
  [ -n "$v" ] || v=$("$1/bin/java" -version 2>&1 | sed -n '1s/.*version "\([^"]*\)".*/\1/p')
  case $v in 1.*) v=${v#1.} ;; esac
  v=${v%%[.+_-]*}
  case $v in '' | *[!0-9]*) echo 0 ;; *) echo "$v" ;; esac
}

java=
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(major "$JAVA_HOME")" -ge 21 ]; then
  java=$JAVA_HOME/bin/java
else
  best=0
  for d in /usr/lib/jvm/*/; do
    d=${d%/}
    [ -x "$d/bin/java" ] || continue
    m=$(major "$d")
    if [ "$m" -ge 21 ] && [ "$m" -gt "$best" ]; then best=$m java=$d/bin/java; fi
  done
fi
if [ -z "$java" ]; then
  echo "portcullis: no Java runtime >= 21 found (JAVA_HOME or /usr/lib/jvm); install openjdk-21-jre-headless or newer" >&2
  exit 1
fi
# The source tree's scripts/jvm.options, the one list (scripts/lib.sh server_jvm_opts reads it too):
# a bounded heap, since a key manager holds no rows in memory; PORTCULLIS_JAVA_OPTS comes after
# and wins, and a collector named there replaces SerialGC.
OPTIONS=/usr/share/portcullis/jvm.options
[ -r "$OPTIONS" ] || { echo "portcullis: $OPTIONS is missing; reinstall the package" >&2; exit 1; }
mapfile -t opts < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$OPTIONS")
[[ ${PORTCULLIS_JAVA_OPTS:-} == *-XX:+Use*GC* ]] || opts+=(-XX:+UseSerialGC)
# 'serve' on JDK >= 25 with PORTCULLIS_AOT_DIR (the unit's CacheDirectory): an AOT cache, recorded
# by the first run after an upgrade when it stops, halves the start-up CPU of every later run.
if [ "${1:-}" = serve ] && [ -n "${PORTCULLIS_AOT_DIR:-}" ] && [ -w "$PORTCULLIS_AOT_DIR" ] &&
  [ "$(major "$(dirname "$(dirname "$java")")")" -ge 25 ]; then
  # The name carries the jar's and the JDK's identity (device, inode, size, change time): an upgrade
  # renames a new jar into place, whose packaged mtime may be older than the cache, and the JVM must
  # never start from classes recorded for another jar. Other caches go, and so does one cut short
  # (CACHE.config left): it is recorded anew.
  id=$(stat -L -c '%d %i %s %Z' "$JAR" "$(dirname "$(dirname "$(readlink -f "$java")")")/lib/modules" | cksum | cut -d' ' -f1)
  cache=$PORTCULLIS_AOT_DIR/portcullis-$id.aot
  for old in "$PORTCULLIS_AOT_DIR"/portcullis.aot "$PORTCULLIS_AOT_DIR"/portcullis-*.aot "$PORTCULLIS_AOT_DIR"/portcullis-*.aot.config; do
    [ -e "$old" ] && [ "$old" != "$cache" ] && [ "$old" != "$cache.config" ] && rm -f "$old"
  done
  [ ! -e "$cache.config" ] || rm -f "$cache" "$cache.config"
  if [ -f "$cache" ]; then opts+=(-XX:AOTCache="$cache"); else opts+=(-XX:AOTCacheOutput="$cache"); fi
  opts+=(-Xlog:aot*=error) # recording warns of every class it cannot keep
fi
read -r -a extra <<<"${PORTCULLIS_JAVA_OPTS:-}"
exec "$java" -XX:+ExitOnOutOfMemoryError "${opts[@]}" "${extra[@]}" -jar "$JAR" "$@"
