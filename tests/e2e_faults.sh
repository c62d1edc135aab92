#!/bin/sh
# e2e_faults.sh — out of memory and I/O errors, injected in the style of
# SQLite's fault simulation with the binary built by make FAULTS=1
# ($LIANG_FAULTS_BIN; see src/fault.h):
#  - the Nth file write fails (as on a full disk), for N = 1, 2, … until
#    the build succeeds;
#  - the Nth allocation fails, for every N up to FAULT_FIRST and then
#    every FAULT_STEP-th (FAULT_STEP=1: all of them) until the build
#    succeeds;
#  - every allocation fails once the new site is in place, which must
#    not matter, since nothing is left to do that could fail.
# Each failure must end in a clear Chinese error and a non-zero exit,
# with no crash and the old out/ intact; the build that finally
# succeeds must give the complete new site.
set -u
ROOT=$(pwd)
LIANG=$(realpath "${LIANG:-./liang}")
FAULTS=${LIANG_FAULTS_BIN:-}
T=$(mktemp -d /tmp/liang-faults-XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL faults: $*" >&2; }
tree_hash() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16); }
strays() { find "$1" -maxdepth 1 -name '.out.tmp-*' | wc -l; }

if [ -z "$FAULTS" ] || [ ! -x "$FAULTS" ]; then
	echo "SKIP faults: no fault-injection binary (make test builds it with FAULTS=1)" >&2
	echo "faults: 0 passed, 0 failed, 1 skipped"
	exit 0
fi
FAULTS=$(realpath "$FAULTS")

S=$T/site
cp -R "$ROOT/tests/fixtures/base" "$S"
rm -rf "$S/out"
old_epoch=1790000000 new_epoch=1790086400
SOURCE_DATE_EPOCH=$new_epoch "$LIANG" build -C "$S" -o "$T/ref" -q || bad "reference build"
hash_new=$(tree_hash "$T/ref")
reset_old() {
	SOURCE_DATE_EPOCH=$old_epoch "$LIANG" build -C "$S" -q || bad "old build"
	hash_old=$(tree_hash "$S/out")
}

# one build with a fault; sets rc and leaves stderr in $T/err
faulty() { # faulty VAR N
	env "$1=$2" SOURCE_DATE_EPOCH=$new_epoch "$FAULTS" build -C "$S" -q >"$T/out" 2>"$T/err"
	rc=$?
}

# a failure is clean: the expected exit status and message, no sanitizer
# report, the old out/ untouched
clean_failure() { # clean_failure WHAT N STATUS MESSAGE-PATTERN
	if [ "$rc" -ne "$3" ]; then
		bad "$1 $2: exit status $rc, want $3"
		head -5 "$T/err" | sed 's/^/    /' >&2
		return 1
	fi
	if ! grep -q "$4" "$T/err" || grep -q 'Sanitizer\|runtime error' "$T/err"; then
		bad "$1 $2: unclear error"
		head -5 "$T/err" | sed 's/^/    /' >&2
		return 1
	fi
	if [ "$(tree_hash "$S/out")" != "$hash_old" ]; then
		bad "$1 $2: the old out/ was changed"
		return 1
	fi
	return 0
}

# ----------------------------------------------------------------- writes
reset_old
n=0 failures=0 bad_ones=0
while :; do
	n=$((n + 1))
	faulty LIANG_FAULT_WRITE $n
	[ $rc -eq 0 ] && break
	failures=$((failures + 1))
	clean_failure "write" $n 1 '^liang: error: 写入 .* 失败：磁盘空间不足。原有的输出目录保持不变$' || bad_ones=$((bad_ones + 1))
	# a failed write throws the temporary directory away at once
	[ "$(strays "$S")" -eq 0 ] || { bad "write $n: a temporary directory is left"; bad_ones=$((bad_ones + 1)); }
	[ $n -ge 5000 ] && { bad "writes: no success after $n"; break; }
done
[ $bad_ones -eq 0 ] && ok || bad "$bad_ones of $failures write failures were not clean"
[ "$(tree_hash "$S/out")" = "$hash_new" ] && ok || bad "the build after the write faults is complete"
echo "faults: writes: $failures failures injected (N = 1..$failures), each clean; N = $n succeeds" >&2

# ------------------------------------------------------------ allocations
env LIANG_FAULT_COUNT=1 SOURCE_DATE_EPOCH=$new_epoch "$FAULTS" build -C "$S" -o "$T/count" -q 2>"$T/count.err"
total=$(sed -n 's/^liang: faults: \([0-9]*\) allocations$/\1/p' "$T/count.err")
[ -n "$total" ] && [ "$total" -gt 0 ] && ok || { bad "the allocation count"; total=0; }
first=${FAULT_FIRST:-40}
step=${FAULT_STEP:-$((total / 120 + 1))}
reset_old
n=0 failures=0 bad_ones=0
while :; do
	if [ $n -lt "$first" ]; then n=$((n + 1)); else n=$((n + step)); fi
	faulty LIANG_FAULT_ALLOC $n
	[ $rc -eq 0 ] && break
	failures=$((failures + 1))
	clean_failure "allocation" $n 70 '^liang: error: 内存不足' || bad_ones=$((bad_ones + 1))
	# out of memory stops at once: the temporary directory stays until
	# the next build, which removes it
	[ "$(strays "$S")" -le 1 ] || { bad "allocation $n: temporary directories pile up"; bad_ones=$((bad_ones + 1)); }
	[ $n -ge $((total * 2 + 1000)) ] && { bad "allocations: no success after $n"; break; }
done
[ $bad_ones -eq 0 ] && ok || bad "$bad_ones of $failures allocation failures were not clean"
[ "$(tree_hash "$S/out")" = "$hash_new" ] && ok || bad "the build after the allocation faults is complete"
[ "$(strays "$S")" -eq 0 ] && ok || bad "the complete build removed the temporary directory"
echo "faults: allocations: $failures failures injected of about $total (N = 1..$first, then a step of $step), each clean" >&2

# ------------------------------------------------------ after the swap
# Once the new site is in place nothing may fail, or liang would report
# a failed build over a published site: every allocation from then on
# fails, and the build must still end well, with its warnings and its
# summary printed.
reset_old
env LIANG_FAULT_PUBLISHED=1 SOURCE_DATE_EPOCH=$new_epoch "$FAULTS" build -C "$S" >"$T/out" 2>"$T/err"
rc=$?
if [ $rc -eq 0 ] && [ "$(tree_hash "$S/out")" = "$hash_new" ] && grep -q ': warning: ' "$T/err" &&
	grep -q '^liang: 已生成 ' "$T/err"; then
	ok
else
	bad "an allocation after the swap: exit status $rc"
	head -5 "$T/err" | sed 's/^/    /' >&2
fi

echo "faults: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
