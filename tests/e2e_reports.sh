#!/bin/sh
# e2e_reports.sh — the printed reports: the annual report and the pledge
# posters of the demo site and of small fixtures, checked with qpdf,
# poppler (pdffonts, pdftotext, pdfinfo, pdftoppm) and zbarimg.
set -u
LIANG=$(realpath "${LIANG:-./liang}")
ROOT=$(pwd)
T=$(mktemp -d /tmp/liang-reports-XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0 skip=0
export SOURCE_DATE_EPOCH=1790000000

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL e2e_reports: $*" >&2; }
check() { # check "description" command...
	d=$1; shift
	if "$@" >"$T/last.out" 2>&1; then ok; else bad "$d"; sed 's/^/    /' "$T/last.out" | head -20 >&2; fi
}

for tool in qpdf pdffonts pdftotext pdfinfo pdftoppm zbarimg; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "e2e_reports: $tool is missing (qpdf, poppler-utils, zbar-tools); skipped"
		echo "reports: 0 passed, 0 failed, 1 skipped"
		exit 0
	fi
done

# ------------------------------------------------------------- the demo
D=$T/demo
mkdir -p "$D" && cp -R "$ROOT/site.yaml" "$ROOT/data" "$ROOT/content" "$D/"
check "the demo builds" "$LIANG" build -C "$D" -q
R=$(ls "$D"/out/reports/annual-*.pdf 2>/dev/null | head -1)
check "the annual report is reports/annual-<周期>.pdf" test -f "$D/out/reports/annual-2025-2026.pdf"
[ -n "$R" ] || R=$D/out/reports/annual-2025-2026.pdf

# a poster for every collective that is not revoked, and all.pdf
check "one poster per collective not revoked, and all.pdf" python3 - "$D" <<'PY'
import csv, os, sys
d = sys.argv[1]
rows = list(csv.DictReader(open(f"{d}/data/collectives.csv", encoding="utf-8-sig")))
want = {r["编号"] + ".pdf" for r in rows if r["状态"] != "撤销"} | {"all.pdf"}
got = set(os.listdir(f"{d}/out/posters"))
assert got == want, (sorted(want - got), sorted(got - want))
PY

qpdf_bad=""
for f in "$D"/out/reports/*.pdf "$D"/out/posters/*.pdf; do
	qpdf --check "$f" >/dev/null 2>&1 || qpdf_bad="$qpdf_bad $f"
done
check "qpdf --check passes on every PDF" test -z "$qpdf_bad"

# fonts: embedded subsets only (a name with the six-letter tag, emb and
# sub both yes), with a /ToUnicode map
fonts_ok() {
	pdffonts "$1" | awk 'NR > 2 { n++; if ($1 !~ /^[A-Z][A-Z][A-Z][A-Z][A-Z][A-Z]\+/) bad = 1;
		if ($(NF-4) != "yes" || $(NF-3) != "yes" || $(NF-2) != "yes") bad = 1 }
		END { exit (n > 0 && !bad) ? 0 : 1 }'
}
check "the report embeds subset fonts only" fonts_ok "$R"
check "a poster embeds subset fonts only" fonts_ok "$D/out/posters/LL-001.pdf"
check "all.pdf embeds subset fonts only" fonts_ok "$D/out/posters/all.pdf"
check "all.pdf has a page per poster" test "$(pdfinfo "$D/out/posters/all.pdf" | awk '/^Pages:/ { print $2 }')" \
	-eq "$(ls "$D/out/posters" | grep -vc '^all.pdf$')"
check "a poster is one page" sh -c "pdfinfo '$D/out/posters/LL-001.pdf' | grep -q '^Pages: *1$'"
check "a poster is small (a font subset, not the whole font)" \
	test "$(wc -c <"$D/out/posters/LL-001.pdf")" -lt 100000

# the text comes back: every collective's name and pledge is in the
# report (line breaks aside), and no private column is
pdftotext -raw -enc UTF-8 "$R" "$T/report.txt" 2>"$T/pdftotext.err"
check "pdftotext reads the report without complaint" test ! -s "$T/pdftotext.err"
# the overview's figures are those of `liang stats totals` (the site's
# /stats/ page): one definition for every place a figure appears
"$LIANG" stats -C "$D" totals --format tsv >"$T/totals.tsv" 2>/dev/null
check "the report's overview gives the figures of liang stats totals" python3 - "$T/totals.tsv" "$T/report.txt" <<'PY'
import csv, re, sys
row = next(csv.DictReader(open(sys.argv[1], encoding="utf-8"), delimiter="\t"))
flat = re.sub(r"\s+", "", open(sys.argv[2], encoding="utf-8").read())
g = lambda v: f"{int(v):,}" if len(str(int(v))) >= 5 else str(int(v))  # 33,824 from five digits on
for want in (f"共有青年文明号集体和创建集体{g(row['collectives'])}个", f"其中获得称号的{g(row['titled'])}个",
             f"本周期记录活动{g(row['activities'])}次", f"其中开放周活动{g(row['open_week'])}次"):
    assert want in flat, want
PY
check "every collective's name and pledge are in the report" python3 - "$D" "$T/report.txt" <<'PY'
import csv, re, sys
d, txt = sys.argv[1], open(sys.argv[2], encoding="utf-8").read()
flat = re.sub(r"\s+", "", txt)
rows = list(csv.DictReader(open(f"{d}/data/collectives.csv", encoding="utf-8-sig")))
missing = [(r["编号"], what) for r in rows if r["状态"] != "撤销"
           for what in ("名称", "服务承诺", "监督电话") if re.sub(r"\s+", "", r[what]) not in flat]
assert not missing, missing[:10]
private = [r["联系电话"] for r in rows if r["联系电话"] and r["联系电话"] in flat]
private += [r["微信号"] for r in rows if r["微信号"] and r["微信号"] in flat]
assert not private, private[:5]
PY
pdftotext -raw -enc UTF-8 "$D/out/posters/all.pdf" "$T/all.txt" 2>/dev/null
check "posters carry the pledge and no private column" python3 - "$D" "$T/all.txt" <<'PY'
import csv, re, sys
d, flat = sys.argv[1], re.sub(r"\s+", "", open(sys.argv[2], encoding="utf-8").read())
rows = [r for r in csv.DictReader(open(f"{d}/data/collectives.csv", encoding="utf-8-sig")) if r["状态"] != "撤销"]
assert all(re.sub(r"\s+", "", r["服务承诺"]) in flat for r in rows)
assert all(r["号长"] in flat for r in rows)
assert not [r for r in rows if r["联系电话"] and r["联系电话"] in flat]
PY

# pages: the footer's "共 N 页" is the real count; the contents and the
# bookmarks list the chapters, with the regions under the directory
pages=$(pdfinfo "$R" | awk '/^Pages:/ { print $2 }')
check "the report has pages" test "${pages:-0}" -gt 10
check "the footer counts the pages" grep -Eq "第 $pages 页(　| )+共 $pages 页" "$T/report.txt"
check "the bookmarks are the chapters and regions" python3 - "$R" <<'PY'
import json, subprocess, sys
j = json.loads(subprocess.run(["qpdf", "--json", sys.argv[1]], capture_output=True, text=True).stdout)
top = [o["title"] for o in j["outlines"]]
assert top == ["目录", "一、总体情况", "二、综合得分排名", "三、合规检查", "四、集体名录", "五、开放周风采", "六、通知公告"], top
regions = [k["title"] for k in j["outlines"][4]["kids"]]
assert "澜江区" in regions and len(regions) >= 5, regions
pages = [o["destpageposfrom1"] for o in j["outlines"]]
assert pages == sorted(pages) and pages[0] == 2, pages
PY
check "the contents give the page of each chapter and region" python3 - "$R" "$T/report.txt" <<'PY'
import json, re, subprocess, sys
j = json.loads(subprocess.run(["qpdf", "--json", sys.argv[1]], capture_output=True, text=True).stdout)
lines = open(sys.argv[2], encoding="utf-8").read().splitlines()
entries = [(o["title"], o["destpageposfrom1"]) for o in j["outlines"][1:]]
entries += [(k["title"], k["destpageposfrom1"]) for k in j["outlines"][4]["kids"]]
for title, page in entries:
    assert f"{title} {page}" in lines, (title, page)
PY
check "the document information is filled in" sh -c "pdfinfo '$R' | grep -q '^Title: *临澜市青年文明号年度工作报告' &&
	pdfinfo '$R' | grep -q '^Author: *共青团临澜市委员会' && pdfinfo '$R' | grep -q '^CreationDate: .*2026'"

# the QR code of a poster reads back as the collective's page
pdftoppm -r 150 -png -f 1 -l 1 "$D/out/posters/LL-001.pdf" "$T/qr" 2>/dev/null
check "the poster's QR code decodes to the collective's URL" \
	sh -c "zbarimg -q --raw '$T'/qr*.png 2>/dev/null | grep -qx '/c/LL-001/'"

# deterministic: the same input gives the same bytes
check "a second build" "$LIANG" build -C "$D" -o "$T/demo2" -q
same=1
for f in "$D"/out/reports/*.pdf "$D"/out/posters/*.pdf; do
	cmp -s "$f" "$T/demo2/${f#"$D/out/"}" || same=0
done
check "two builds give byte-identical PDFs" test $same = 1
check "no temporary font file is left" sh -c "! ls /dev/shm/liang-font-* /tmp/liang-font-* 2>/dev/null | grep -q ."

# ----------------------------------------------------- small fixtures
F=$T/fx
mkdir -p "$F" && cp -R "$ROOT/tests/fixtures/base/." "$F/"
printf 'base_url: https://example.org/sub\n' >>"$F/site.yaml"
# a pledge with a character outside the BMP (𠮷), and an interlaced
# 16-bit PNG as an open-week photo
python3 - "$F" <<'PY'
import struct, sys, zlib
d = sys.argv[1]
path = f"{d}/data/collectives.csv"
s = open(path, encoding="utf-8").read().replace("急诊十分钟内接诊。", "急诊十分钟内接诊，𠮷祥如意。")
open(path, "w", encoding="utf-8").write(s)
w, h = 40, 30
def px(x, y): return struct.pack(">HHH", x * 1600, y * 2000, 30000)
raw = b""
for x0, y0, dx, dy in [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]:
    cols = range(x0, w, dx)
    for y in range(y0, h, dy):
        if len(cols):
            raw += b"\0" + b"".join(px(x, y) for x in cols)
def chunk(t, b): return struct.pack(">I", len(b)) + t + b + struct.pack(">I", zlib.crc32(t + b))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, 2, 0, 0, 1)) \
    + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
open(f"{d}/content/media/adam7.png", "wb").write(png)
a = f"{d}/data/activities.csv"
s = open(a, encoding="utf-8").read().replace("media/photo.jpg", "media/adam7.png")
open(a, "w", encoding="utf-8").write(s)
PY
"$LIANG" build -C "$F" >"$T/fx.out" 2>&1
check "the fixture builds" test -f "$F/out/reports/annual-2025-2026.pdf" -o -n "$(ls "$F"/out/reports/*.pdf 2>/dev/null)"
check "a character outside the BMP is reported where it comes from" \
	grep -q '^data/collectives.csv: warning: 集体 A1 的内容含有基本多文种平面以外的字符 U+20BB7' "$T/fx.out"
check "it is drawn as 〓 and the rest of the text survives" \
	sh -c "pdftotext -enc UTF-8 '$F/out/posters/A1.pdf' - | tr -d '\n' | grep -q '接诊，〓祥如意'"
check "an interlaced 16-bit PNG goes into the report" \
	sh -c "qpdf --check '$F'/out/reports/*.pdf >/dev/null && pdfimages -list '$F'/out/reports/*.pdf | grep -q ' 40 *30 *rgb'"
pdftoppm -r 150 -png "$F/out/posters/A1.pdf" "$T/fxqr" 2>/dev/null
check "with an absolute base_url the QR code is the full URL" \
	sh -c "zbarimg -q --raw '$T'/fxqr*.png 2>/dev/null | grep -qx 'https://example.org/sub/c/A1/'"

# the pages link to the PDFs: a live collective to its poster, the
# statistics page to the annual report; the revoked link to none
check "the pages link to the PDFs that exist" python3 - "$D" <<'PY'
import csv, os, re, sys
d = sys.argv[1]
rows = list(csv.DictReader(open(f"{d}/data/collectives.csv", encoding="utf-8-sig")))
for r in rows:
    page = open(f"{d}/out/c/{r['编号']}/index.html", encoding="utf-8").read()
    links = re.findall(r'href="\.\./\.\./(posters/[^"]+\.pdf)"', page)
    if r["状态"] == "撤销":
        assert not links, (r["编号"], links)
    else:
        assert links == [f"posters/{r['编号']}.pdf"], (r["编号"], links)
        assert os.path.isfile(f"{d}/out/{links[0]}")
stats = open(f"{d}/out/stats/index.html", encoding="utf-8").read()
rep = re.findall(r'href="\.\./(reports/annual-[^"]+\.pdf)"', stats)
assert len(rep) == 1 and os.path.isfile(f"{d}/out/{rep[0]}"), rep
PY

# a site with more posters than posters_per_file gets volumes of all.pdf
V=$T/volumes
mkdir -p "$V" && cp -R "$D/data" "$D/content" "$V/" && { cat "$D/site.yaml"; echo "posters_per_file: 20"; } >"$V/site.yaml"
check "a build with posters_per_file: 20" "$LIANG" build -C "$V" -q
check "the posters come in volumes of 20, all.pdf replaced" python3 - "$V" <<'PY'
import csv, glob, os, subprocess, sys
d = sys.argv[1]
live = sum(r["状态"] != "撤销" for r in csv.DictReader(open(f"{d}/data/collectives.csv", encoding="utf-8-sig")))
vols = sorted(glob.glob(f"{d}/out/posters/all-*.pdf"))
assert not os.path.exists(f"{d}/out/posters/all.pdf")
want = (live + 19) // 20
assert [os.path.basename(v) for v in vols] == [f"all-{i:02d}.pdf" for i in range(1, want + 1)], vols
pages = [int(next(l.split()[1] for l in subprocess.run(["pdfinfo", v], capture_output=True, text=True).stdout.splitlines()
                  if l.startswith("Pages:"))) for v in vols]
assert pages == [20] * (want - 1) + [live - 20 * (want - 1)], pages
PY
printf 'posters_per_file: 0\n' >>"$V/site.yaml"
"$LIANG" check -C "$V" >"$T/ppf.out" 2>&1; [ $? -eq 1 ] && ok || bad "posters_per_file: 0 is an error"
check "posters_per_file: 0 is named at its line" grep -q '^site.yaml:[0-9]*:[0-9]*: error: posters_per_file 应为' "$T/ppf.out"

# a region whose name is longer than 255 bytes: one heading and one
# bookmark in the directory, the whole name, for both its collectives
G=$T/longregion
mkdir -p "$G" && cp -R "$ROOT/tests/fixtures/base/." "$G/" && rm -rf "$G/out"
long=$(python3 -c 'print("临澜" * 50 + "区")')
python3 - "$G/data/collectives.csv" "$long" <<'PY'
import csv, sys
path, name = sys.argv[1], sys.argv[2]
rows = list(csv.reader(open(path, encoding="utf-8-sig")))
col = rows[0].index("地区")
for r in rows[1:]:
    r[col] = name
csv.writer(open(path, "w", encoding="utf-8", newline="")).writerows(rows)
PY
sed -i "s/,西区,/,$long,/" "$G/data/quotas.csv"
check "a site with a long region name builds" "$LIANG" build -C "$G" -q
check "the directory has one heading for the long region, with its whole name" python3 - "$G" "$long" <<'PY'
import glob, json, subprocess, sys
pdf = glob.glob(sys.argv[1] + "/out/reports/*.pdf")[0]
j = json.loads(subprocess.run(["qpdf", "--json", pdf], capture_output=True, text=True).stdout)
directory = [o for o in j["outlines"] if o["title"] == "四、集体名录"][0]
assert [k["title"] for k in directory["kids"]] == [sys.argv[2]], [k["title"] for k in directory["kids"]]
PY

# pdf: false builds no reports; a font that is not there is an error at
# its place in site.yaml, and the previous out/ stays
mkdir -p "$T/nopdf" && cp -R "$ROOT/tests/fixtures/base/." "$T/nopdf/"
printf 'pdf: false\n' >>"$T/nopdf/site.yaml"
check "pdf: false builds" "$LIANG" build -C "$T/nopdf" -q
check "pdf: false makes no PDF" test ! -e "$T/nopdf/out/reports" -a ! -e "$T/nopdf/out/posters"
check "pdf: false links to no PDF" sh -c "! grep -rlEq 'href=\"[./]*(posters|reports)/' '$T/nopdf/out' --include=*.html"
# without the default font: a warning, the site without its PDFs
rm -rf "$T/nopdf/out" && sed -i '/^pdf: false$/d' "$T/nopdf/site.yaml"
LIANG_PDF_FONT=/nonexistent/font.ttc "$LIANG" build -C "$T/nopdf" >"$T/nofont.out" 2>&1; [ $? -eq 0 ] && ok ||
	bad "a build without the default font succeeds"
check "without the default font a warning says what to install" grep -q 'warning: .*fonts-wqy-zenhei' "$T/nofont.out"
check "without the default font no PDF and no link" \
	sh -c "test ! -e '$T/nopdf/out/posters' && ! grep -rlEq 'href=\"[./]*(posters|reports)/' '$T/nopdf/out' --include=*.html"
printf 'pdf_font: fonts/missing.ttf\n' >>"$F/site.yaml"
"$LIANG" build -C "$F" >"$T/font.out" 2>&1; [ $? -eq 1 ] && ok || bad "a missing pdf_font fails the build"
check "a missing pdf_font is named at its line" grep -q '^site.yaml:5:11: error: pdf_font 指定的字体文件 fonts/missing.ttf 不存在' "$T/font.out"
check "the previous out/ stays" test -f "$F/out/posters/A1.pdf"
sed -i 's#^pdf_font: .*#pdf_font: content/media/photo.jpg#' "$F/site.yaml"
"$LIANG" build -C "$F" >"$T/font2.out" 2>&1; [ $? -eq 1 ] && ok || bad "a pdf_font that is no font fails the build"
check "a pdf_font that is no font is named at its line" grep -q '^site.yaml:5:11: error: pdf_font：' "$T/font2.out"

if [ $skip -gt 0 ]; then
	echo "reports: $pass passed, $fail failed, $skip skipped"
else
	echo "reports: $pass passed, $fail failed"
fi
[ $fail -eq 0 ]
