#!/bin/sh
# run.sh — run each libFuzzer harness named on the command line for
# FUZZ_SECONDS seconds (make fuzz), starting from its seeds (the
# hand-written ones of tests/fuzz/corpus/NAME/ and those seeds.sh takes
# from the other tests); new inputs go to build/fuzz/corpus/NAME/ and
# crashing inputs to build/fuzz/crashes/. Prints executions and crashes
# per harness, and their totals.
set -u
: "${FUZZ_SECONDS:=60}"
total_execs=0 total_crashes=0 status=0
mkdir -p build/fuzz/crashes
rm -rf build/fuzz/seeds
sh tests/fuzz/seeds.sh build/fuzz/seeds
for name in "$@"; do
	name=${name#fuzz_}
	bin=build/fuzz/fuzz_$name
	work=build/fuzz/corpus/$name
	mkdir -p "$work"
	log=build/fuzz/$name.log
	crashes_before=$(ls build/fuzz/crashes | grep -c "^$name-" || true)
	ASAN_OPTIONS=detect_leaks=1 "$bin" -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 \
		-rss_limit_mb=2048 -timeout=10 -max_len=65536 \
		-artifact_prefix="build/fuzz/crashes/$name-" \
		"$work" "tests/fuzz/corpus/$name" "build/fuzz/seeds/$name" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	crashes_after=$(ls build/fuzz/crashes | grep -c "^$name-" || true)
	crashes=$((crashes_after - crashes_before))
	[ "$rc" -ne 0 ] && [ "$crashes" -eq 0 ] && crashes=1
	echo "fuzz_$name: ${execs:-0} executions in ${FUZZ_SECONDS}s, $crashes crashes"
	if [ "$crashes" -gt 0 ]; then
		status=1
		grep -m1 -A12 'ERROR: \|SUMMARY: \|deadly signal\|Timeout' "$log" | sed 's/^/    /'
		ls build/fuzz/crashes | grep "^$name-" | sed 's/^/    build\/fuzz\/crashes\//'
	fi
	total_execs=$((total_execs + ${execs:-0}))
	total_crashes=$((total_crashes + crashes))
done
echo "fuzz: $total_execs executions, $total_crashes crashes"
exit $status
