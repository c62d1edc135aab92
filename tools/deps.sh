#!/bin/sh
# deps.sh — make sure the Debian packages liang needs are installed.
# As root it installs what is missing; otherwise it prints the exact
# apt-get line to run and fails.
set -eu

# Build: compiler, pkg-config and the libraries liang links; the CJK font
# the PDF reports embed (subset) by default.
# Tests: python3 (the data generator and assertions), sqlite3 (to compare
# databases), xmllint (well-formed feeds and sitemaps), and for the
# browser tests Chromium, a Java runtime (the Nu HTML Checker) and a CJK
# font; Node.js only where the machine has none.
PACKAGES="gcc make pkg-config libc6-dev libsqlite3-dev libyaml-dev libjpeg-dev libpng-dev
libxml2-dev libicu-dev libcmark-gfm-dev libcmark-gfm-extensions-dev
libturbojpeg0-dev libhpdf-dev libharfbuzz-dev libqrencode-dev fonts-wqy-zenhei
python3 sqlite3 libxml2-utils chromium default-jre-headless fonts-noto-cjk
qpdf poppler-utils zbar-tools"
command -v node >/dev/null 2>&1 || PACKAGES="$PACKAGES nodejs npm"
# `make bench` (deps.sh bench) also times Hugo on the same data.
[ "${1:-}" = bench ] && PACKAGES="$PACKAGES hugo"

missing=""
for p in $PACKAGES; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ]; then
	echo "deps: installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
	echo "liang 需要以下软件包，请先运行 / liang needs these packages; run:" >&2
	echo "  sudo apt-get install -y$missing" >&2
	exit 1
fi
