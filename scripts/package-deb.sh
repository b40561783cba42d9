#!/usr/bin/env bash
# Builds the Debian package from a built jar, with dpkg-deb alone (nothing is fetched, at build
# or at install time).
#   scripts/package-deb.sh JAR OUTDIR    -> OUTDIR/portcullis_VERSION_all.deb (its path on stdout)
# Contents: the jar, /usr/bin/portcullis (finds a Java >= 21) and its JVM options
# (scripts/jvm.options), the systemd unit, a sample /etc/portcullis/portcullis.conf (conffile),
# maintainer scripts (packaging/deb/). ./portcullis package builds the jar first and calls this.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
[ $# -eq 2 ] || { echo "usage: ${0##*/} JAR OUTDIR" >&2; exit 2; }
jar=$1 out=$2
root=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")
src=$root/packaging/deb
[ -f "$jar" ] || die "no jar at $jar (./portcullis build)"
command -v dpkg-deb >/dev/null || die "dpkg-deb is missing (Debian package dpkg)"
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$root/pom.xml" | head -n 1)
version=${version/-SNAPSHOT/~snapshot} # sorts before the release, as Debian versions should

tree=$(mktemp -d "${TMPDIR:-/tmp}/portcullis-deb.XXXXXX")
trap 'rm -rf "$tree"' EXIT
chmod 0755 "$tree"
install -D -m 0644 "$jar" "$tree/usr/share/portcullis/portcullis.jar"
install -D -m 0755 "$src/portcullis.sh" "$tree/usr/bin/portcullis"
install -D -m 0644 "$root/scripts/jvm.options" "$tree/usr/share/portcullis/jvm.options"
install -D -m 0644 "$src/portcullis.service" "$tree/lib/systemd/system/portcullis.service"
install -D -m 0640 "$src/portcullis.conf" "$tree/etc/portcullis/portcullis.conf"
install -D -m 0644 "$root/README.md" "$tree/usr/share/doc/portcullis/README.md"
install -D -m 0644 /dev/null "$tree/usr/share/doc/portcullis/copyright"
printf 'Portcullis - see README.md\n' >"$tree/usr/share/doc/portcullis/copyright"
mkdir -p "$tree/DEBIAN"
install -m 0755 "$src/postinst" "$src/prerm" "$src/postrm" "$tree/DEBIAN/"
echo /etc/portcullis/portcullis.conf >"$tree/DEBIAN/conffiles"
cat >"$tree/DEBIAN/control" <<CONTROL
Package: portcullis
Version: $version
Architecture: all
Maintainer: Portcullis developers <portcullis@localhost>
Section: admin
Priority: optional
Depends: passwd, coreutils
Recommends: openjdk-21-jre-headless | java21-runtime-headless
Installed-Size: $(du -sk "$tree" | cut -f1)
Description: key manager with the OpenStack Barbican v1 API
 One process and one jar serving Barbican's REST API, with SQLite or PostgreSQL,
 software, PKCS#11, KMIP and Vault secret stores, an HMAC-chained audit trail and
 Prometheus metrics. Needs a Java runtime >= 21.
CONTROL
mkdir -p "$out"
deb=$(readlink -m "$out")/portcullis_${version}_all.deb
dpkg-deb --root-owner-group -Zgzip --build "$tree" "$deb" >&2
echo "$deb"
