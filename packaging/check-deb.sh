#!/bin/sh
# Builds the Debian package with CPack and checks what is in it.
#
#   check-deb.sh CPACK CPACK_CONFIG OUT_DIR [INSTALL_PREFIX]
#
# INSTALL_PREFIX is the build's CMAKE_INSTALL_PREFIX: the binary's built-in
# default web directory comes from it, and must be the packaged
# /usr/share/carecoop/web. With a prefix other than /usr (the dev preset's
# /usr/local) that mismatch is only warned about.
#
# Run by ctest as `packaging_deb` (label packaging) after the build. Exits
# non-zero, naming every missing piece, when the package lacks the binary,
# the web front end, the schema, the systemd unit, the man page, the
# copyright file or a sane control file.
set -eu

if [ $# -lt 3 ] || [ $# -gt 4 ]; then
	echo "usage: $0 CPACK CPACK_CONFIG OUT_DIR [INSTALL_PREFIX]" >&2
	exit 2
fi
cpack=$1
config=$2
out=$3
prefix=${4:-/usr}

failures=0
fail() {
	echo "check-deb: FAIL: $*" >&2
	failures=$((failures + 1))
}

for tool in dpkg-deb dpkg-shlibdeps; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "check-deb: FAIL: $tool not found (install dpkg-dev)" >&2
		exit 1
	}
done

rm -rf "$out"
mkdir -p "$out"
echo "check-deb: $cpack -G DEB --config $config -B $out"
if ! "$cpack" -G DEB --config "$config" -B "$out" >"$out/cpack.log" 2>&1; then
	cat "$out/cpack.log" >&2
	echo "check-deb: FAIL: cpack -G DEB failed" >&2
	exit 1
fi

set -- "$out"/*.deb
if [ $# -ne 1 ] || [ ! -f "$1" ]; then
	cat "$out/cpack.log" >&2
	echo "check-deb: FAIL: expected exactly one .deb in $out, found: $*" >&2
	exit 1
fi
deb=$1
echo "check-deb: built $deb"

# --- contents ---------------------------------------------------------------
dpkg-deb -c "$deb" >"$out/contents.txt" || {
	echo "check-deb: FAIL: dpkg-deb -c cannot read $deb" >&2
	exit 1
}
# Paths as dpkg-deb prints them (./usr/...), one per line.
awk '{ p = $6; for (i = 7; i <= NF; i++) p = p " " $i; print p }' \
	"$out/contents.txt" >"$out/paths.txt"

has() { # has DESCRIPTION EXTENDED-REGEX
	grep -Eq "^$2\$" "$out/paths.txt" || fail "package lacks $1 (no path matching $2)"
}
has "the binary" '\./usr/bin/carecoop'
has "the web front end" '\./usr/share/carecoop/web/index\.html'
has "the first schema migration" '\./usr/share/carecoop/schema/001_[^/]+\.sql'
has "the systemd unit" '\./(usr/)?lib/systemd/system/carecoop\.service'
has "the man page" '\./usr/share/man/man1/carecoop\.1(\.gz)?'
has "the copyright file" '\./usr/share/doc/carecoop/copyright'
has "the Debian changelog" '\./usr/share/doc/carecoop/changelog\.Debian(\.gz)?'

grep -Eq '^-rwxr-xr-x +root/root .* \./usr/bin/carecoop$' "$out/contents.txt" ||
	fail "usr/bin/carecoop is not an executable owned by root/root"
if grep -Eq '(^| )\./usr/local/|/build/' "$out/paths.txt"; then
	fail "package holds paths under /usr/local or a build directory"
fi

# Every migration in the source tree is shipped.
schema_src=$(dirname "$0")/../schema
for f in "$schema_src"/[0-9][0-9][0-9]_*.sql; do
	[ -e "$f" ] || continue
	has "schema/$(basename "$f")" "\\./usr/share/carecoop/schema/$(basename "$f" | sed 's/\./\\./g')"
done

# --- control ----------------------------------------------------------------
package=$(dpkg-deb -f "$deb" Package)
[ "$package" = carecoop ] || fail "control Package is '$package', not 'carecoop'"

depends=$(dpkg-deb -f "$deb" Depends)
if [ -z "$depends" ]; then
	fail "control has no Depends line (dpkg-shlibdeps did not run?)"
else
	for lib in libc6 libsqlite3 libmicrohttpd libjansson libargon2 libical3 libqrencode4; do
		case "$depends" in
		*"$lib"*) ;;
		*) fail "Depends lacks $lib: $depends" ;;
		esac
	done
fi

for field in Version Architecture Maintainer Description Section; do
	[ -n "$(dpkg-deb -f "$deb" "$field")" ] || fail "control has no $field"
done
maintainer=$(dpkg-deb -f "$deb" Maintainer)
[ "$maintainer" = "carecoop developers <dev@carecoop.example>" ] ||
	fail "control Maintainer is '$maintainer'"

dpkg-deb -I "$deb" >"$out/info.txt"
for script in postinst prerm postrm; do
	grep -Eq "^ +[0-9]+ bytes, +[0-9]+ lines +\\* +$script( |\$)" "$out/info.txt" ||
		fail "control archive lacks an executable $script"
done

# --- the payload works ------------------------------------------------------
root="$out/root"
mkdir -p "$root"
dpkg-deb -x "$deb" "$root"
if [ -x "$root/usr/bin/carecoop" ]; then
	"$root/usr/bin/carecoop" --version >"$out/version.txt" 2>&1 ||
		fail "the packaged binary fails on --version: $(cat "$out/version.txt")"
	"$root/usr/bin/carecoop" --help >"$out/help.txt" 2>&1 ||
		fail "the packaged binary fails on --help: $(cat "$out/help.txt")"
	if ! grep -q ' /usr/share/carecoop/web' "$out/help.txt"; then
		if [ "$prefix" = /usr ]; then
			fail "the packaged binary's default --web is not /usr/share/carecoop/web: $(grep -i 'defaults' "$out/help.txt")"
		else
			echo "check-deb: WARNING: built with CMAKE_INSTALL_PREFIX=$prefix, so the packaged" \
				"binary's default --web is not /usr/share/carecoop/web (the unit passes --web, but" \
				"a hand-run 'carecoop serve' would miss it): build packages with the release preset" >&2
		fi
	fi
else
	fail "usr/bin/carecoop did not extract as an executable"
fi
unit=$(find "$root" -path '*/systemd/system/carecoop.service' | head -n 1)
if [ -n "$unit" ]; then
	grep -q '^ExecStart=/usr/bin/carecoop serve ' "$unit" ||
		fail "the unit does not start /usr/bin/carecoop serve"
	grep -q '^DynamicUser=yes' "$unit" || fail "the unit does not use DynamicUser"
fi
man=$(find "$root/usr/share/man/man1" -name 'carecoop.1*' 2>/dev/null | head -n 1)
if [ -n "$man" ]; then
	case "$man" in
	*.gz) gzip -t "$man" || fail "the man page is not valid gzip" ;;
	esac
fi

if [ "$failures" -ne 0 ]; then
	echo "check-deb: package contents:" >&2
	cat "$out/contents.txt" >&2
	echo "check-deb: control:" >&2
	cat "$out/info.txt" >&2
	echo "check-deb: $failures check(s) FAILED for $deb" >&2
	exit 1
fi
echo "check-deb: ok: $deb"
echo "check-deb: Depends: $depends"
