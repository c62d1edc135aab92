#!/bin/sh
# seeds.sh DIR — write the seeds taken from the rest of the tests into
# DIR/<harness>/: the fixture site's CSV files (and GB18030 and UTF-16
# twins of one), the files of every case of tests/rules/, the fixture's
# Markdown (whole, and bodies only), the default theme's templates and
# the headers of the fixture's photos. Together with the hand-written
# seeds of tests/fuzz/corpus/ they start make fuzz and are replayed by
# make test. Run from the repository's root.
set -eu
D=$1
mkdir -p "$D/csv" "$D/frontmatter" "$D/markdown" "$D/template" "$D/image"
for f in tests/fixtures/*/data/*.csv; do
	cp "$f" "$D/csv/$(basename "$(dirname "$(dirname "$f")")")-$(basename "$f" .csv)"
done
for f in tests/fixtures/base/content/*/*.md; do
	cp "$f" "$D/frontmatter/base-$(basename "$f" .md)"
	awk 'n >= 2 { print } /^---/ { n++ }' "$f" >"$D/markdown/base-$(basename "$f" .md)"
done
for f in themes/default/*.html themes/default/partials/*.html; do
	cp "$f" "$D/template/$(echo "${f#themes/default/}" | tr / -)"
done
head -c 2048 tests/fixtures/base/content/media/small.jpg >"$D/image/jpeg-header"
head -c 4096 tests/fixtures/base/content/media/photo.jpg >"$D/image/jpeg-exif-header"
head -c 256 tests/fixtures/base/content/media/garden.png >"$D/image/png-header"
python3 - "$D" <<'PY'
import glob, os, re, sys
d = sys.argv[1]
# a rules case is "=== path" sections: its CSV and Markdown files
for f in sorted(glob.glob("tests/rules/*.txt")):
    parts = re.split(r"^=== (.+)\n", open(f, encoding="utf-8").read(), flags=re.M)
    name = os.path.basename(f)[:-4]
    for path, body in zip(parts[1::2], parts[2::2]):
        kind = "csv" if path.endswith(".csv") else "frontmatter" if path.endswith(".md") else None
        if kind:
            open(f"{d}/{kind}/rules-{name}", "w", encoding="utf-8").write(body)
text = open("tests/fixtures/base/data/collectives.csv", encoding="utf-8-sig").read()
open(f"{d}/csv/enc-gb18030", "wb").write(text.encode("gb18030"))
open(f"{d}/csv/enc-utf16le-tab", "wb").write(b"\xff\xfe" + text.replace(",", "\t").encode("utf-16-le"))
open(f"{d}/csv/enc-utf16be", "wb").write(b"\xfe\xff" + text.encode("utf-16-be"))
PY
