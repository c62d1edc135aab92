#!/bin/sh
# bench.sh — `make bench`: how fast liang loads and checks data at scale.
#
# Generates presets M (2,000 collectives) and L (50,000; about 1.8 million
# rows) with the generator of ../shared, then times `liang check` on each
# (best of 3), with rows per second and peak memory. The baseline, timed
# in the same run on the same files, is Python's csv module merely
# reading every CSV file (no checks, no database): liang's figure is given
# as a ratio to it, so that the numbers mean the same on any machine.
set -eu
LIANG=$(realpath "${LIANG:-./liang}")
SHARED=${LIANG_SHARED:-$(pwd)/../shared}
DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/liang-bench}
mkdir -p "$DIR"

gen() {
	if [ ! -f "$DIR/$1/GENERATED.json" ]; then
		echo "generating preset $1 in $DIR/$1 …"
		python3 "$SHARED/tools/gen-data" --out "$DIR/$1" --preset "$1" --photos "$SHARED/media" --force -q
	fi
}

# best wall time of 3 runs and the peak RSS, as "SECONDS KB"
best_of_3() {
	best="" rss=0
	for _ in 1 2 3; do
		/usr/bin/time -f '%e %M' -o "$DIR/time.txt" "$@" >/dev/null 2>&1 || true
		read -r t m <"$DIR/time.txt"
		if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
		[ "$m" -gt "$rss" ] && rss=$m
	done
	echo "$best $rss"
}

cat >"$DIR/baseline.py" <<'PY'
import csv, glob, sys
n = 0
for f in sorted(glob.glob(sys.argv[1] + "/data/*.csv")):
    with open(f, encoding="utf-8-sig", newline="") as fp:
        for row in csv.reader(fp):
            n += 1
print(n)
PY

printf '%-8s %10s %12s %10s %12s %10s\n' preset rows "check (s)" "rows/s" "peak RSS" "vs csv.py"
for p in M L; do
	gen "$p"
	rows=$(python3 -c "import json;d=json.load(open('$DIR/$p/GENERATED.json'));print(sum(d['rows'].values()))")
	set -- $(best_of_3 "$LIANG" check -q -C "$DIR/$p")
	t=$1 rss=$2
	set -- $(best_of_3 python3 "$DIR/baseline.py" "$DIR/$p")
	base=$1
	printf '%-8s %10s %12s %10.0f %9.0f MB %9.2fx\n' "$p" "$rows" "$t" \
		"$(awk "BEGIN{print $rows / ($t > 0 ? $t : 0.001)}")" "$(awk "BEGIN{print $rss / 1024}")" \
		"$(awk "BEGIN{print $t / ($base > 0 ? $base : 0.001)}")"
done
echo "target: preset L checked in ≤ 6 s within ≤ 1.5 GB; 'vs csv.py' is liang's time over the time"
echo "Python's csv module takes only to read the same files (lower is better)."
