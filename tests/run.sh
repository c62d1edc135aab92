#!/bin/sh
# run.sh — the whole suite: unit tests, then end-to-end tests. Each part
# prints "NAME: N passed, N failed"; the last line sums them.
# LIANG and UNIT name the binaries under test (the Makefile sets them).
set -u
: "${LIANG:=./liang}" "${UNIT:=build/release/unit}"
export LIANG

log=$(mktemp)
# the builds' caches (photos, slugs) outside the fixtures
cache=$(mktemp -d)
export LIANG_CACHE_DIR="$cache"
trap 'rm -rf "$log" "$cache"' EXIT
status=0
"$UNIT" 2>&1 | tee -a "$log" || status=1
# e2e.sh, then every other tests/e2e_*.sh (one per stage: reports, galleries…)
for f in tests/e2e.sh tests/e2e_*.sh; do
	[ -f "$f" ] || continue
	sh "$f" 2>&1 | tee -a "$log" || status=1
done
# the browser checks of the sites e2e.sh built (see tests/browser/)
for site in demo hostile hostile-cases; do
	if [ -d "tests/tmp/$site" ]; then
		sh tests/browser/run.sh "tests/tmp/$site" 2>&1 | tee -a "$log" || status=1
	fi
done
rm -rf tests/tmp

passed=$(sed -n 's/^[A-Za-z0-9_.-]*: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
failed=$(sed -n 's/^[A-Za-z0-9_.-]*: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' "$log" | awk '{s+=$1} END {print s+0}')
skipped=$(sed -n 's/^[A-Za-z0-9_.-]*: .* \([0-9]*\) skipped.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
[ "$failed" -gt 0 ] && status=1
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
exit $status
