#!/bin/sh
# e2e_hostile.sh — hostile inputs (tests/hostile/*.txt, see run.py there):
# each gives its exact diagnostics or a safe site, never a crash or a hang.
# The cases with script payloads are also built into one site that the
# browser checks (tests/browser) load, failing if any script runs.
set -u
LIANG=$(realpath "${LIANG:-./liang}")
python3 tests/hostile/run.py "$LIANG"
status=$?
rm -rf tests/tmp/hostile-cases
mkdir -p tests/tmp
python3 tests/hostile/run.py --site tests/tmp/hostile-cases.site \
	xss-collective-fields.txt xss-markdown-raw-html.txt markdown-dangerous-links.txt &&
	"$LIANG" build -C tests/tmp/hostile-cases.site -o "$(pwd)/tests/tmp/hostile-cases" -q
rm -rf tests/tmp/hostile-cases.site
exit $status
