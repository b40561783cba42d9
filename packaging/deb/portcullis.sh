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
read -r -a extra <<<"${PORTCULLIS_JAVA_OPTS:-}"
exec "$java" --enable-native-access=ALL-UNNAMED -XX:+ExitOnOutOfMemoryError "${extra[@]}" -jar "$JAR" "$@"
