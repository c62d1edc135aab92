#!/bin/sh
# e2e_fuzz.sh — replay the fuzz harnesses (tests/fuzz/) without
# libFuzzer: every input that once crashed one (tests/fuzz/regress/NAME/)
# and every seed (tests/fuzz/corpus/NAME/ and those of seeds.sh) must
# run to the end; under
# make test SAN=1 they run under ASan and UBSan. make test builds the
# replay binaries beside $UNIT.
set -u
BIN=$(dirname "${UNIT:-build/release/unit}")/fuzz
T=$(mktemp -d /tmp/liang-fuzz-XXXXXX)
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM
sh tests/fuzz/seeds.sh "$T/seeds"
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL fuzz: $*" >&2; }

for src in tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	short=${name#fuzz_}
	if [ ! -x "$BIN/$name" ]; then
		skip=$((skip + 1))
		echo "SKIP fuzz: $BIN/$name not built" >&2
		continue
	fi
	for dir in tests/fuzz/regress/$short tests/fuzz/corpus/$short "$T/seeds/$short"; do
		[ -d "$dir" ] || continue
		for f in "$dir"/*; do
			[ -f "$f" ] || continue
			if "$BIN/$name" "$f" >"$T/replay.out" 2>&1; then ok; else
				bad "$name crashes on $f"
				head -20 "$T/replay.out" | sed 's/^/    /' >&2
			fi
		done
	done
done
rm -f "$T/replay.out"
echo "fuzz: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
