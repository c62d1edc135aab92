#!/bin/sh
# bench_reports.sh — `make bench`: the printed reports of preset M
# (2,000 collectives): the annual report (target ≤ 3 s, < 10 MB) and
# every pledge poster plus all.pdf (target ≤ 10 s).
#
# Baseline, timed in the same run: the same `liang build` of the same
# data with `pdf: false`, i.e. the HTML site alone. The report and poster
# times are the wall times liang itself prints with LIANG_TIMINGS=1 (the
# report runs on one thread while the posters start on the other; then
# both threads make posters), and the CPU time the PDFs add, which
# depends less on what else the machine is doing. Best of 3, cold (the output removed before
# each run); outputs on a tmpfs when there is one, as in bench.sh.
set -eu
LIANG=$(realpath "${LIANG:-./liang}")
SHARED=${LIANG_SHARED:-$(pwd)/../shared}
DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/liang-bench}
OUTDIR=${BENCH_OUT:-$( [ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm/liang-bench || echo "$DIR")}
mkdir -p "$DIR" "$OUTDIR"

if [ ! -f "$DIR/M/GENERATED.json" ]; then
	echo "generating preset M in $DIR/M …"
	python3 "$SHARED/tools/gen-data" --out "$DIR/M" --preset M --photos "$SHARED/media" --force -q
fi
# the same data without the PDFs: a copy whose site.yaml says pdf: false
rm -rf "$DIR/M-nopdf" && mkdir -p "$DIR/M-nopdf"
cp -R "$DIR/M/data" "$DIR/M/content" "$DIR/M-nopdf/"
{ [ -f "$DIR/M/site.yaml" ] && cat "$DIR/M/site.yaml"; echo "pdf: false"; } >"$DIR/M-nopdf/site.yaml"

# best "TOTAL REPORT POSTERS CPU" of 3 cold builds of site $1 (CPU:
# user + system seconds of the whole build)
best() {
	site=$1 out=$OUTDIR/reports-out best=""
	for _ in 1 2 3; do
		rm -rf "$out"
		LIANG_TIMINGS=1 SOURCE_DATE_EPOCH=1790000000 /usr/bin/time -f '%e %U %S' -o "$DIR/time.txt" \
			"$LIANG" build -q -C "$site" -o "$out" 2>"$DIR/timings.txt" || true
		read -r total user sys <"$DIR/time.txt"
		rep=$(awk '/^timing: annual report/ { print $(NF-1) }' "$DIR/timings.txt")
		pos=$(awk '/^timing: posters/ { print $(NF-1) }' "$DIR/timings.txt")
		if [ -z "$best" ] || awk "BEGIN{exit !($total < ${best%% *})}"; then
			best="$total ${rep:-0} ${pos:-0} $(awk "BEGIN{print $user + $sys}")"
		fi
	done
	echo "$best"
}

set -- $(best "$DIR/M-nopdf")
site=$1 site_cpu=$4
set -- $(best "$DIR/M")
total=$1 rep=$2 pos=$3 cpu=$4
R=$(ls "$OUTDIR"/reports-out/reports/annual-*.pdf)
size=$(wc -c <"$R")
pages=$(pdfinfo "$R" 2>/dev/null | awk '/^Pages:/ { print $2 }')
posters=$(ls "$OUTDIR/reports-out/posters" | wc -l)
all=$(wc -c <"$OUTDIR/reports-out/posters/all.pdf")

printf '%-34s %9s %12s\n' "preset M" "seconds" "vs site"
printf '%-34s %9.2f %11.2fx\n' "site without PDFs (baseline)" "$site" 1
printf '%-34s %9.2f %11.2fx\n' "site with PDFs" "$total" "$(awk "BEGIN{print $total / $site}")"
printf '%-34s %9.2f %11.2fx\n' "annual report (${pages:-?} pages)" "$rep" "$(awk "BEGIN{print $rep / $site}")"
printf '%-34s %9.2f %11.2fx\n' "posters ($posters files)" "$pos" "$(awk "BEGIN{print $pos / $site}")"
printf 'CPU time of the PDFs: %.1f s (%.2fx the CPU time of the site); on two idle cores about half\n' \
	"$(awk "BEGIN{print $cpu - $site_cpu}")" "$(awk "BEGIN{print ($cpu - $site_cpu) / $site_cpu}")"
printf 'annual report %.1f MB; all.pdf %.1f MB\n' "$(awk "BEGIN{print $size / 1048576}")" "$(awk "BEGIN{print $all / 1048576}")"
echo "targets: the report in ≤ 3 s and < 10 MB; all posters in ≤ 10 s (2 cores)."
rm -rf "$OUTDIR/reports-out" "$DIR/M-nopdf"
