#!/bin/sh
# e2e_crash.sh — crash safety of the output directory (DATA.md: a build
# replaces out/ whole or not at all):
#  - liang build killed with SIGKILL at 20 moments (seeded: the same
#    moments, as fractions of a measured build, on every run) leaves
#    out/ as the complete old site or the complete new one, and the
#    temporary directory a killed build leaves is removed by the next;
#  - a build onto a full disk (a 2 MB tmpfs) fails with a clear error and
#    leaves the old out/ as it was.
# Uses $LIANG and the data generator of ../shared (or $LIANG_SHARED).
set -u
LIANG=$(realpath "${LIANG:-./liang}")
ROOT=$(pwd)
SHARED=${LIANG_SHARED:-$ROOT/../shared}
GEN=$SHARED/tools/gen-data
SEED=${CRASH_SEED:-7}
KILLS=${CRASH_KILLS:-20}
T=$(mktemp -d /tmp/liang-crash-XXXXXX)
DISK=$T/disk
cleanup() {
	mountpoint -q "$DISK" 2>/dev/null && umount "$DISK"
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL crash: $*" >&2; }
tree_hash() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16); }
strays() { find "$1" -maxdepth 1 -name '.out.tmp-*' | wc -l; }

if [ ! -x "$GEN" ] || ! command -v python3 >/dev/null; then
	echo "SKIP crash: $GEN not found" >&2
	echo "crash: 0 passed, 0 failed, 1 skipped"
	exit 0
fi

# ---------------------------------------------- SIGKILL at random moments
# Two inputs that differ only in their build date give two different
# sites A and B; each build goes from the one out/ holds to the other.
S=$T/site
python3 "$GEN" --out "$S" --collectives 300 --photos "$SHARED/media" -q
epoch_a=1790000000 epoch_b=1790086400
SOURCE_DATE_EPOCH=$epoch_a "$LIANG" build -C "$S" -o "$T/ref-a" -q || bad "reference build A"
t0=$(date +%s.%N)
SOURCE_DATE_EPOCH=$epoch_b "$LIANG" build -C "$S" -o "$T/ref-b" -q || bad "reference build B"
t1=$(date +%s.%N)
hash_a=$(tree_hash "$T/ref-a") hash_b=$(tree_hash "$T/ref-b")
[ "$hash_a" != "$hash_b" ] && ok || bad "the two inputs give different sites"
cp -R "$T/ref-a" "$S/out"
state=a
# the moments: fractions 0.05–1.5 of one build's time, from the seed
build_time=$(echo "$t0 $t1" | awk '{print $2 - $1}')
moments=$(awk -v seed="$SEED" -v n="$KILLS" -v t="$build_time" \
	'BEGIN { srand(seed); for (i = 0; i < n; i++) printf "%.3f\n", t * (0.05 + 1.45 * rand()) }')
i=0 olds=0 news=0
for m in $moments; do
	i=$((i + 1))
	if [ $state = a ]; then epoch=$epoch_b; else epoch=$epoch_a; fi
	SOURCE_DATE_EPOCH=$epoch "$LIANG" build -C "$S" -q >/dev/null 2>&1 &
	pid=$!
	sleep "$m"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	h=$(tree_hash "$S/out")
	if [ "$h" = "$hash_a" ]; then
		[ $state = a ] && olds=$((olds + 1)) || news=$((news + 1))
		state=a
		ok
	elif [ "$h" = "$hash_b" ]; then
		[ $state = b ] && olds=$((olds + 1)) || news=$((news + 1))
		state=b
		ok
	else
		bad "kill $i after ${m}s: out/ is neither the old site nor the new one"
		state=broken
		break
	fi
	# a killed build's temporary directory is removed by the next
	[ "$(strays "$S")" -le 1 ] && ok || bad "kill $i: temporary directories pile up: $(strays "$S")"
done
# the PDF font subsets live in anonymous memory files: a kill leaves none
fonts=$(ls /dev/shm/liang-font-* /tmp/liang-font-* 2>/dev/null | wc -l)
[ "$fonts" -eq 0 ] && ok || bad "the kills left $fonts temporary font files"
echo "crash: $i kills: out/ held the old site $olds times, the new one $news times" >&2
if [ $state != broken ]; then
	SOURCE_DATE_EPOCH=$epoch_a "$LIANG" build -C "$S" -q || bad "a build after the kills"
	[ "$(tree_hash "$S/out")" = "$hash_a" ] && ok || bad "the build after the kills is complete"
	[ "$(strays "$S")" -eq 0 ] && ok || bad "a temporary directory left after a complete build"
fi

# ------------------------------------------------------------ a full disk
mkdir -p "$DISK"
if mount -t tmpfs -o size=2m tmpfs "$DISK" 2>/dev/null; then
	SMALL=$ROOT/tests/fixtures/base
	SOURCE_DATE_EPOCH=$epoch_a "$LIANG" build -C "$SMALL" -o "$DISK/out" -q && ok || bad "a small site fits the disk"
	old=$(tree_hash "$DISK/out")
	SOURCE_DATE_EPOCH=$epoch_a "$LIANG" build -C "$S" -o "$DISK/out" -q >"$T/full.out" 2>&1
	rc=$?
	[ $rc -eq 1 ] && ok || bad "a build onto a full disk exits 1 (got $rc)"
	grep -q "^liang: error: 写入 $DISK/out/.* 失败：磁盘空间不足。原有的输出目录保持不变\$" "$T/full.out" && ok ||
		{ bad "a full disk is named in Chinese"; sed 's/^/    /' "$T/full.out" | head -5 >&2; }
	[ "$(tree_hash "$DISK/out")" = "$old" ] && ok || bad "the old out/ is intact after a full disk"
	[ "$(strays "$DISK")" -eq 0 ] && ok || bad "no temporary directory left on the full disk"
	# and the disk is usable again: the small site builds once more
	SOURCE_DATE_EPOCH=$epoch_b "$LIANG" build -C "$SMALL" -o "$DISK/out" -q && ok || bad "a build after the full disk"
	umount "$DISK"
else
	skip=$((skip + 1))
	echo "SKIP crash: cannot mount a tmpfs here (not root?): full-disk test not run" >&2
fi

echo "crash: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
