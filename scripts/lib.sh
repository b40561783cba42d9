# Shared helpers for the Portcullis shell scripts. Source it; it defines functions only.
# shellcheck shell=bash

# Messages go to stderr so that stdout stays machine-readable (postgres.sh prints URLs there).
log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# The test services listen on 127.0.0.1 only, each from its own base port.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {  # free_port BASE -> the first free port in BASE..BASE+499
  local p
  for ((p = $1; p < $1 + 500; p++)); do
    port_in_use "$p" || { echo "$p"; return; }
  done
  die "no free TCP port on 127.0.0.1 in $1-$(($1 + 499))"
}

# java_version_of DIR -> full version string ("25.0.3", "17.0.15", "1.8.0_412") or nothing.
# The `release` file is cheap to read; `java -version` is the fallback for JDKs without one.
java_version_of() {
  local dir=$1 v=
  if [ -r "$dir/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$dir/release")
  fi
  if [ -z "$v" ] && [ -x "$dir/bin/java" ]; then
    v=$("$dir/bin/java" -version 2>&1 | sed -n '1s/.*version "\([^"]*\)".*/\1/p')
  fi
  printf '%s' "$v"
}

# java_major VERSION -> 8 for "1.8.0_412", 21 for "21.0.5" or "21-ea".
java_major() {
  local v=$1
  case $v in 1.*) v=${v#1.} ;; esac
  v=${v%%[.+_-]*}
  case $v in '' | *[!0-9]*) echo 0 ;; *) echo "$v" ;; esac
}

# pick_jdk: export JAVA_HOME (and put its bin first on PATH) for a JDK >= 21.
# Keeps a suitable $JAVA_HOME; else the newest JDK (has bin/javac) under $PORTCULLIS_JVM_ROOT
# (default /usr/lib/jvm). Sets PORTCULLIS_JDK_VERSION. Exits 1 with what it found if none fits.
pick_jdk() {
  local want=21 root=${PORTCULLIS_JVM_ROOT:-/usr/lib/jvm} found=() best='' best_v='' d real v
  local -A seen=()
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(java_version_of "$JAVA_HOME")
    if [ -x "$JAVA_HOME/bin/javac" ] && [ "$(java_major "$v")" -ge "$want" ]; then
      best=$JAVA_HOME best_v=$v
    else
      log "ignoring JAVA_HOME=$JAVA_HOME (version '${v:-unknown}', need a JDK >= $want)"
    fi
  fi
  if [ -z "$best" ]; then
    for d in "$root"/*; do
      [ -x "$d/bin/javac" ] || continue
      real=$(readlink -f "$d")
      [ -z "${seen[$real]:-}" ] || continue # java-1.17.0-… is a symlink to java-17-…
      seen[$real]=1
      v=$(java_version_of "$real")
      found+=("$real (${v:-unknown version})")
      [ "$(java_major "$v")" -ge "$want" ] || continue
      # newest wins: compare full versions with sort -V
      if [ -z "$best" ] || [ "$(printf '%s\n%s\n' "$best_v" "$v" | sort -V | tail -n 1)" = "$v" ]; then
        best=$real best_v=$v
      fi
    done
  fi
  if [ -z "$best" ]; then
    log "error: no JDK >= $want found (JAVA_HOME='${JAVA_HOME:-}', looked in $root/*)."
    if [ ${#found[@]} -gt 0 ]; then
      local IFS=';'
      log "found only: ${found[*]}"
    else
      log "found no JDK there at all."
    fi
    log "install a JDK >= $want under $root (Debian bookworm itself ships only 17) or set JAVA_HOME to one."
    exit 1
  fi
  export JAVA_HOME=$best PORTCULLIS_JDK_VERSION=$best_v
  export PATH="$JAVA_HOME/bin:$PATH"
}

# jvm_options FILE: the options of a jvm.options file (one a line, '#' starts a comment) on stdout.
jvm_options() {
  sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$1"
}

# The server's JVM options (scripts/jvm.options, the list the Debian package installs too), shared
# by the launcher and bench/run.sh; PORTCULLIS_JAVA_OPTS is appended and wins, and a collector
# named there replaces SerialGC (two collectors stop the JVM from starting).
server_jvm_opts() {
  local file opts=() extra=()
  file=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/jvm.options
  [ -r "$file" ] || die "no JVM options file at $file"
  mapfile -t opts < <(jvm_options "$file")
  [[ ${PORTCULLIS_JAVA_OPTS:-} == *-XX:+Use*GC* ]] || opts+=(-XX:+UseSerialGC)
  read -r -a extra <<<"${PORTCULLIS_JAVA_OPTS:-}"
  SERVER_JVM_OPTS=("${opts[@]}" "${extra[@]}")
}

# aot_identity FILE...: a short name for these files as they are now (device, inode, size, change
# time). An upgrade writes a new jar (dpkg renames a new file into place; a build rewrites it), so
# its identity changes even when the release's mtime is older than the cache: the JVM must never
# start from classes recorded for another jar (a stale cache ends in NoSuchMethodError).
aot_identity() {
  stat -L -c '%d %i %s %Z' "$@" | cksum | cut -d' ' -f1
}

# server_aot_opts JAR [DIR]: sets SERVER_AOT_OPTS, the JVM's ahead-of-time cache for a server run
# of JAR, kept in DIR (default: beside the jar; none if it is not writable). JDK >= 25: an AOT cache
# (classes loaded and linked, method profiles); JDK 19-24: a dynamic CDS archive. The first run
# after a build records it when the JVM exits (SIGTERM included; a SIGKILLed run records none and
# the next run tries again), every later run starts from it: about half the start-up CPU and 20 MB
# less RSS (bench/scale.sh). The cache's name carries the identity of the jar and the JDK (see
# aot_identity), so another jar or JDK gets a cache of its own and the stale one is removed.
# PORTCULLIS_AOT=0, or a cache named in PORTCULLIS_JAVA_OPTS, turns this off.
server_aot_opts() {
  local jar=$1 dir=${2:-$(dirname "$1")} major cache
  SERVER_AOT_OPTS=()
  [ "${PORTCULLIS_AOT:-1}" != 0 ] && [ -d "$dir" ] && [ -w "$dir" ] || return 0
  [[ ${PORTCULLIS_JAVA_OPTS:-} != *AOTCache* && ${PORTCULLIS_JAVA_OPTS:-} != *SharedArchiveFile* ]] || return 0
  major=$(java_major "${PORTCULLIS_JDK_VERSION:-0}")
  local ext
  if [ "$major" -ge 25 ]; then
    ext=aot
  elif [ "$major" -ge 19 ]; then
    ext=jsa
  else
    return 0
  fi
  cache=$dir/portcullis-$(aot_identity "$jar" "$JAVA_HOME/lib/modules").$ext
  # Caches of other jars or JDKs go; so does one whose recording was cut short (the JVM deletes
  # CACHE.config once CACHE is complete; a kill during the write leaves both): it is recorded anew.
  local old
  for old in "$dir"/portcullis.$ext "$dir"/portcullis-*.$ext "$dir"/portcullis-*.$ext.config; do
    [ -e "$old" ] && [ "$old" != "$cache" ] && [ "$old" != "$cache.config" ] && rm -f "$old"
  done
  [ ! -e "$cache.config" ] || rm -f "$cache" "$cache.config"
  if [ "$major" -lt 25 ]; then
    SERVER_AOT_OPTS=(-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile="$cache")
  elif [ -f "$cache" ]; then
    SERVER_AOT_OPTS=(-XX:AOTCache="$cache" -Xlog:aot*=error)
  else # recording lists every class it cannot keep as a warning: noise in the server's log
    SERVER_AOT_OPTS=(-XX:AOTCacheOutput="$cache" -Xlog:aot*=error)
  fi
}

# new_kek FILE: a software store's KEK (32 random bytes, base64) with mode 0400, unless FILE exists
# (a node's KEK must never change under its data).
new_kek() {
  [ -f "$1" ] && return 0
  (umask 077; head -c 32 /dev/urandom | base64 >"$1")
  chmod 400 "$1"
}

# software_stores KEK1 KEK2: the store sections of a node with two software stores, "software"
# (the global default, KEK1) and "software-2" (KEK2): what the bench and cluster nodes run.
software_stores() {
  cat <<EOF
[secretstore]
enable_multiple_secret_stores = True
stores_lookup_suffix = software, software-2

[secretstore:software]
secret_store_plugin = store_crypto
crypto_plugin = simple_crypto
global_default = True
kek_file = $1

[secretstore:software-2]
secret_store_plugin = store_crypto
crypto_plugin = simple_crypto
kek_file = $2
EOF
}
