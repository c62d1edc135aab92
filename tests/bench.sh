#!/bin/sh
# bench.sh — `make bench`: how fast liang checks and builds at scale.
#
# Generates presets M (2,000 collectives) and L (50,000; about 1.8 million
# rows) with the generator of ../shared, then
#
# 1. times `liang check` on each (best of 3), with rows per second and
#    peak memory, against Python's csv module merely reading every CSV
#    file (no checks, no database), timed in the same run;
# 2. times a full `liang build` of each (cold: the output removed before
#    every run; best of 3; photos from the cache, which lies on the
#    output's file system as by default; PDFs off) against Hugo
#    building the same data (the site that ../shared/bench/to-hugo makes
#    of it, which resizes no photo and makes no PDF), in the same run,
#    the two taking turns (this machine's speed drifts over minutes, and
#    three runs of one then three of the other were timed in different
#    states of it); and, as the floor any build of that site has on this machine, the
#    time to write liang's finished site again from memory
#    (tests/write_floor.c: files only, no generation).
#
# Figures are ratios to the baseline, so that they mean the same on any
# machine. BENCH_PRESETS="M" runs only M; without hugo installed the
# second table says so and gives liang's figures alone.
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

# cold_best_of N OUT command...: the best wall time of N runs, the peak
# RSS and the fewest page faults (first writes to a 4 KB page: a count
# that does not move with the machine's load, unlike the times), as
# "SECONDS KB FAULTS"; OUT (when not empty) is removed before each
cold_best_of() {
	n=$1 out=$2
	shift 2
	: >"$DIR/runs.txt"
	for _ in $(seq "$n"); do
		run_once "$out" "$DIR/runs.txt" "$@"
	done
	best "$DIR/runs.txt"
}
# run_once OUT FILE command...: one run (OUT removed first when not
# empty), its "SECONDS KB FAULTS" appended to FILE
run_once() {
	o=$1 file=$2
	shift 2
	[ -n "$o" ] && rm -rf "$o"
	/usr/bin/time -f '%e %M %R' -o "$DIR/time.txt" "$@" >/dev/null 2>&1 || true
	# (a failed command puts a line of its own first)
	tail -n 1 "$DIR/time.txt" >>"$file"
}
# best FILE: the fastest of its runs, the largest peak, the fewest faults
best() {
	awk 'NR == 1 || $1 < t { t = $1 } $2 > m { m = $2 } NR == 1 || $3 < f { f = $3 } END { print t, m, f }' "$1"
}
best_of_3() { cold_best_of 3 "" "$@"; }

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
for p in ${BENCH_PRESETS:-M L}; do
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
echo

# ------------------------------------------------------------ full builds
# Both write to the same place: a tmpfs (/dev/shm) when there is one, so
# that the generators are measured rather than the disk (creating files
# on a disk soon after deleting many is slow and varies from run to run);
# BENCH_OUT=DIR to measure on a disk.
OUTDIR=${BENCH_OUT:-$( [ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm/liang-bench || echo "$DIR")}
mkdir -p "$OUTDIR"
${CC:-cc} -O2 -o "$DIR/write_floor" "$(dirname "$0")/write_floor.c"
floors="" faultlines=""
printf '%-8s %8s %10s %10s %9s %10s %10s %8s\n' preset pages "liang (s)" "liang RSS" "hugo pages" "hugo (s)" "hugo RSS" "speed-up"
for p in ${BENCH_PRESETS:-M L}; do
	gen "$p"
	# the same site as Hugo's: HTML, feeds and photos, without the PDFs
	# (tests/bench_reports.sh times those); the same data through
	# symbolic links, the photo cache of the preset (Hugo resizes none)
	site=$DIR/$p-html
	mkdir -p "$site" && ln -sfn "$DIR/$p/data" "$site/data" && ln -sfn "$DIR/$p/content" "$site/content"
	{ [ -f "$DIR/$p/site.yaml" ] && cat "$DIR/$p/site.yaml"; echo "pdf: false"; } >"$site/site.yaml"
	# The cache lies on the output's file system, as .liang-cache beside
	# out/ does by default, so that the published photos are hard links
	# of the cached ones; it is kept on disk between runs of the bench
	# and filled by one untimed build.
	export LIANG_CACHE_DIR="$OUTDIR/cache-$p"
	rm -rf "$LIANG_CACHE_DIR"
	[ -d "$DIR/$p/.liang-cache" ] && cp -R "$DIR/$p/.liang-cache" "$LIANG_CACHE_DIR"
	"$LIANG" build -q -C "$site" -o "$OUTDIR/liang-out-$p" >/dev/null 2>&1 || true
	rm -rf "$DIR/$p/.liang-cache" && cp -R "$LIANG_CACHE_DIR" "$DIR/$p/.liang-cache"
	# liang and Hugo take turns, so that both are timed in the same
	# states of the machine (whose speed drifts over minutes); Hugo runs
	# once on L (about 150 s and 13 GB each time)
	have_hugo=false
	if command -v hugo >/dev/null 2>&1; then
		have_hugo=true
		[ -f "$DIR/hugo-$p/config.toml" ] || python3 "$SHARED/bench/to-hugo" "$DIR/$p" "$DIR/hugo-$p" --force >/dev/null
	fi
	: >"$DIR/liang.times"
	: >"$DIR/hugo.times"
	for i in 1 2 3; do
		run_once "$OUTDIR/liang-out-$p" "$DIR/liang.times" "$LIANG" build -q -C "$site" -o "$OUTDIR/liang-out-$p"
		if $have_hugo && { [ "$p" != L ] || [ "$i" = 1 ]; }; then
			# (the photos Hugo made the time before are removed untimed)
			(cd "$DIR/hugo-$p" && rm -rf resources &&
				run_once "$OUTDIR/hugo-out-$p" "$DIR/hugo.times" hugo --quiet -d "$OUTDIR/hugo-out-$p")
		fi
	done
	set -- $(best "$DIR/liang.times")
	lt=$1 lrss=$2 lfaults=$3
	lpages=$(find "$OUTDIR/liang-out-$p" -name '*.html' | wc -l)
	# the floor: the finished site written again from memory, nothing else
	floor=""
	for _ in $( [ "$p" = L ] && echo 1 || echo 1 2 3); do
		rm -rf "$OUTDIR/floor-$p"
		f=$("$DIR/write_floor" "$OUTDIR/liang-out-$p" "$OUTDIR/floor-$p" | cut -d' ' -f1)
		if [ -z "$floor" ] || awk "BEGIN{exit !($f < $floor)}"; then floor=$f; fi
	done
	rm -rf "$OUTDIR/floor-$p"
	floors="$floors$p $floor $lt"
	if $have_hugo; then
		set -- $(best "$DIR/hugo.times")
		ht=$1 hrss=$2 hfaults=$3
		hpages=$(find "$OUTDIR/hugo-out-$p" -name '*.html' | wc -l)
		printf '%-8s %8s %10s %7.0f MB %10s %10s %7.0f MB %7.1fx\n' "$p" "$lpages" "$lt" "$(awk "BEGIN{print $lrss / 1024}")" \
			"$hpages" "$ht" "$(awk "BEGIN{print $hrss / 1024}")" "$(awk "BEGIN{print $ht / ($lt > 0 ? $lt : 0.001)}")"
		floors="$floors $ht"
		faultlines="$faultlines$(printf '%-8s %14s %14s' "$p" "$lfaults" "$hfaults")
"
		rm -rf "$OUTDIR/hugo-out-$p"
	else
		printf '%-8s %8s %10s %7.0f MB %10s\n' "$p" "$lpages" "$lt" "$(awk "BEGIN{print $lrss / 1024}")" "(hugo not installed: apt-get install hugo)"
		floors="$floors -"
	fi
	floors="$floors
"
	rm -rf "$OUTDIR/liang-out-$p" "$LIANG_CACHE_DIR"
done
echo "target: M and L each built ≥ 10x faster than Hugo builds the same data, L within 1 GB;"
echo "speed-up is Hugo's time over liang's (higher is better)."
if [ -n "$faultlines" ]; then
	printf '%-8s %14s %14s\n' preset "liang faults" "hugo faults"
	printf '%s' "$faultlines"
	echo "page faults: first writes to a 4 KB page (fewest of the runs); on a virtual machine each"
	echo "costs microseconds, and unlike the times the count does not move with the machine's load."
fi
echo
# The floor of every build of the same site on this machine and file
# system: writing its files, already made, from memory on one thread.
printf '%-8s %14s %14s %22s\n' preset "write floor (s)" "liang / floor" "10x-Hugo budget / floor"
echo "$floors" | while read -r p fl lt ht; do
	[ -n "$p" ] || continue
	budget="-"
	[ "$ht" != "-" ] && budget=$(awk "BEGIN{printf \"%.1fx\", $ht / 10 / $fl}")
	printf '%-8s %14s %13.1fx %22s\n' "$p" "$fl" "$(awk "BEGIN{print $lt / $fl}")" "$budget"
done
echo "write floor: liang's finished site written again from memory (mkdir, open, write, close; one"
echo "thread, no generation); the budget column is a tenth of Hugo's time over that floor."
echo

# ------------------------------------------------------------ statistics
# `liang stats all` computes every statistic once, as a build does (the
# base tables they share are made once per thread), on two threads; best
# of 3 runs.
# LIANG_TIMINGS reports the time of the whole ("timing: statistics") and
# of each one ("stat:", the sum of which exceeds the whole). Baseline:
# loading the same data (the stages before).
last=$(echo ${BENCH_PRESETS:-M L} | awk '{print $NF}')
# once untimed: Hugo's build of L, just before, leaves little of the
# input in the page cache, and this measures liang, not the disk
"$LIANG" stats all -o "$DIR/stats-all" -C "$DIR/$last" -q >/dev/null 2>&1 || true
rm -rf "$DIR/stats-all"
# best of 3, as above: the run with the shortest "timing: statistics"
best=""
for i in 1 2 3; do
	rm -rf "$DIR/stats-all"
	LIANG_TIMINGS=1 "$LIANG" stats all -o "$DIR/stats-all" -C "$DIR/$last" -q 2>"$DIR/timings.$i.txt" >/dev/null
	t=$(awk '/^timing: statistics /{print $3}' "$DIR/timings.$i.txt")
	if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; cp "$DIR/timings.$i.txt" "$DIR/timings.txt"; fi
	rm -f "$DIR/timings.$i.txt"
done
printf '%-20s %10s %10s\n' "stats ($last)" "rows" "seconds"
awk '/^stat: /{print $2, $3}' "$DIR/timings.txt" |
	while read -r n t; do
		printf '%-20s %10s %10s\n' "$n" "$(($(wc -l <"$DIR/stats-all/$n.tsv") - 1))" "$t"
	done
load=$(awk '/^timing: statistics /{exit} /^timing:/{s+=$3} END {print s}' "$DIR/timings.txt")
total=$(awk '/^timing: statistics /{print $3}' "$DIR/timings.txt")
cpu=$(awk '/^stat: /{s+=$3} END {print s}' "$DIR/timings.txt")
printf '%-20s %10s %10s\n' "all (two threads)" "" "$total"
printf 'loading the same data took %s s: the statistics take %.2fx that (%.2f s of work on two threads)\n' \
	"$load" "$(awk "BEGIN{print $total / ($load > 0 ? $load : 0.001)}")" "$cpu"
echo "target: every ranking, statistic and compliance check of preset L in ≤ 2 s (after loading)."
