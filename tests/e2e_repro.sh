#!/bin/sh
# e2e_repro.sh — reproducible builds: the same input built in two
# different directories, a second apart, under another time zone and
# locale (and without SOURCE_DATE_EPOCH, so the date comes from the
# data) gives the same files, byte for byte.
# Uses $LIANG and the data generator of ../shared (or $LIANG_SHARED).
set -u
LIANG=$(realpath "${LIANG:-./liang}")
ROOT=$(pwd)
SHARED=${LIANG_SHARED:-$ROOT/../shared}
GEN=$SHARED/tools/gen-data
T=$(mktemp -d /tmp/liang-repro-XXXXXX)
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL repro: $*" >&2; }
tree_hash() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum); }

# build SITE into OUT with the given TZ and LANG, the clock unset, and a
# cache of its own: every photo is derived again, not taken from the
# cache another build filled
build() { # build SITE OUT TZ LANG
	rm -rf "$2.cache"
	env -u SOURCE_DATE_EPOCH TZ="$3" LANG="$4" LC_ALL="$4" LIANG_CACHE_DIR="$2.cache" \
		"$LIANG" build -C "$1" -o "$2" -q
}

same() { # same NAME DIR1 DIR2
	if [ "$(tree_hash "$2")" = "$(tree_hash "$3")" ]; then ok; else
		bad "$1: the two builds differ"
		diff -rq "$2" "$3" 2>&1 | head -10 | sed 's/^/    /' >&2
		# and how the first of them differs, for a failure seen only once
		first=$(diff -rq "$2" "$3" 2>/dev/null | sed -n 's/^Files \(.*\) and .* differ$/\1/p' | head -1)
		[ -n "$first" ] && diff "$first" "$3/${first#"$2"/}" 2>&1 | head -12 | cut -c1-300 | sed 's/^/    /' >&2
	fi
}

sites="fixture"
mkdir -p "$T/a" "$T/elsewhere/b"
cp -R "$ROOT/tests/fixtures/base" "$T/a/fixture"
if [ -x "$GEN" ] && command -v python3 >/dev/null; then
	python3 "$GEN" --out "$T/a/gen" --preset S --photos "$SHARED/media" --hostile -q
	sites="fixture gen"
else
	skip=$((skip + 1))
	echo "SKIP repro: $GEN not found: generated site not tested" >&2
fi
for s in $sites; do
	rm -rf "$T/a/$s/out"
	cp -R "$T/a/$s" "$T/elsewhere/b/$s"
	build "$T/a/$s" "$T/a/$s/out" UTC C.UTF-8 && ok || bad "$s: first build"
	sleep 1
	build "$T/elsewhere/b/$s" "$T/elsewhere/out-$s" Asia/Shanghai zh_CN.UTF-8 && ok || bad "$s: second build"
	same "$s" "$T/a/$s/out" "$T/elsewhere/out-$s"
	# the trees compared hold PDFs and derived photos (when the PDF font
	# is installed: without it the build makes none)
	if [ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ]; then
		[ -n "$(find "$T/a/$s/out" -name '*.pdf' | head -1)" ] && ok || bad "$s: no PDF to compare"
	fi
	[ -n "$(find "$T/a/$s/out" -name '*.w400.jpg' | head -1)" ] && ok || bad "$s: no derived photo to compare"
	# a third build over the old out/ (replacing it) changes nothing either
	sleep 1
	build "$T/a/$s" "$T/a/$s/out" America/New_York POSIX && ok || bad "$s: rebuild"
	same "$s rebuilt" "$T/a/$s/out" "$T/elsewhere/out-$s"
done

# A site of more than 1 MB of data is built by liang started again, once,
# with the C library's allocator tuned (main.c, S_tune_allocator); set
# GLIBC_TUNABLES (even empty) leaves liang as it was started. Both give
# the same files. A sanitizer's build keeps its own allocator.
if [ -x "$GEN" ] && command -v python3 >/dev/null; then
	python3 "$GEN" --out "$T/big" --collectives 350 -q
	for how in tuned plain; do
		rm -rf "$T/big-$how" "$T/big-$how.cache"
		if [ $how = tuned ]; then
			env -u GLIBC_TUNABLES LIANG_TIMINGS=1 LIANG_CACHE_DIR="$T/big-$how.cache" \
				"$LIANG" build -C "$T/big" -o "$T/big-$how" -q 2>"$T/big-$how.err"
		else
			GLIBC_TUNABLES= LIANG_TIMINGS=1 LIANG_CACHE_DIR="$T/big-$how.cache" \
				"$LIANG" build -C "$T/big" -o "$T/big-$how" -q 2>"$T/big-$how.err"
		fi && ok || bad "large site, allocator $how: build failed"
	done
	if grep -q '^timing: allocator *its own' "$T/big-tuned.err"; then
		skip=$((skip + 1))
		echo "SKIP repro: a sanitizer's build: the allocator is not tuned" >&2
	else
		grep -q '^timing: allocator *glibc\.malloc' "$T/big-tuned.err" && ok ||
			bad "a large site was built without the allocator tuned"
	fi
	grep -q '^timing: allocator *glibc\.malloc' "$T/big-plain.err" && bad "GLIBC_TUNABLES was set, yet liang started again" || ok
	same "allocator tuned or not" "$T/big-tuned" "$T/big-plain"
fi

echo "repro: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
