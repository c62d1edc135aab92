#!/bin/sh
# e2e.sh — end-to-end tests: build real sites into temporary directories
# and assert on the files. Uses $LIANG (default ./liang) and, when it is
# there, the data generator of ../shared (or $LIANG_SHARED).
set -u
LIANG=$(realpath "${LIANG:-./liang}")
ROOT=$(pwd)
SHARED=${LIANG_SHARED:-$ROOT/../shared}
GEN=$SHARED/tools/gen-data
T=$(mktemp -d /tmp/liang-e2e-XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0 skip=0
export SOURCE_DATE_EPOCH=1790000000

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL e2e: $*" >&2; }
check() { # check "description" command...
	d=$1; shift
	if "$@" >"$T/last.out" 2>&1; then ok; else bad "$d"; sed 's/^/    /' "$T/last.out" | head -20 >&2; fi
}
check_fails() { # the command must exit non-zero
	d=$1; shift
	if "$@" >"$T/last.out" 2>&1; then bad "$d (succeeded)"; else ok; fi
}
tree_hash() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum); }

# ---------------------------------------------------------------- the CLI
check "liang version" "$LIANG" version
check "liang help" "$LIANG" help
check "liang build --help" "$LIANG" build --help
check "liang check --help" "$LIANG" check --help
check_fails "unknown command exits non-zero" "$LIANG" frobnicate
"$LIANG" frobnicate >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "unknown command exits 2"
"$LIANG" build --nope >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "unknown option exits 2"

# ------------------------------------------------------- golden pages
# The fixture site rendered through the default theme, byte for byte.
# After an intended change of the theme: UPDATE_GOLDEN=1 make test, then
# read the diff of tests/golden/ before committing it.
G=$ROOT/tests/golden
check "fixture site builds" "$LIANG" build -C "$ROOT/tests/fixtures/base" -o "$T/golden-out" -q
for page in index.html collectives/index.html c/A1/index.html notices/2026-01-open-week/index.html \
	about/index.html feed.xml sitemap.xml data/collectives.csv; do
	name=$(echo "$page" | tr '/' '_')
	if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
		mkdir -p "$G" && cp "$T/golden-out/$page" "$G/$name"
	fi
	if cmp -s "$T/golden-out/$page" "$G/$name"; then ok; else
		bad "golden $page differs (UPDATE_GOLDEN=1 to accept)"
		diff -u "$G/$name" "$T/golden-out/$page" 2>&1 | head -20 >&2
	fi
done

# pages that work opened from disk: every internal link names a file
mkdir -p "$T/local" && cp -R "$ROOT/tests/fixtures/base/." "$T/local/"
printf '\nlocal_links: true\n' >>"$T/local/site.yaml"
check "local_links site builds" "$LIANG" build -C "$T/local" -q
check "local links end in index.html" python3 - "$T/local/out" <<'PY'
import os, re, sys
root = sys.argv[1]
bad = []
for d, _, files in os.walk(root):
    for f in files:
        if not f.endswith(".html") or f == "404.html":
            continue
        for href in re.findall(r'href="([^"#]*)', open(os.path.join(d, f), encoding="utf-8").read()):
            if not href or re.match(r"^[a-z]+:", href):
                continue
            target = os.path.normpath(os.path.join(d, href))
            if href.endswith("/") or not os.path.isfile(target):
                bad.append(f"{os.path.relpath(os.path.join(d, f), root)}: {href}")
print("\n".join(bad[:20]))
sys.exit(1 if bad else 0)
PY

# ------------------------------------------- a collective with many rows
# A collective's page reads its rows in step with the other collectives
# of its chunk (one query per chunk): B2's and A1's rows must not mix, A1
# shows its newest 100 activities of 106 and says how many there are, and
# its members keep the order of members.csv.
mkdir -p "$T/many" && cp -R "$ROOT/tests/fixtures/base/." "$T/many/"
python3 - "$T/many/data" <<'PY'
import datetime, sys
d = sys.argv[1]
with open(d + "/activities.csv", "a", encoding="utf-8", newline="") as f:
    day = datetime.date(2020, 1, 1)
    for i in range(105):
        f.write("M%03d,A1,%s,志愿服务,第%d次志愿服务,3,10,,\r\n" % (i, day + datetime.timedelta(days=i // 2), i))
with open(d + "/members.csv", "a", encoding="utf-8", newline="") as f:
    for i, n in enumerate(["赵三", "孙四", "周五", "吴六"]):
        f.write("A1,%s,是,护士,199%d,群众,,\r\n" % (n, i))
# a hotline with an extension: shown as written, dialled as its first number
c = open(d + "/collectives.csv", encoding="utf-8").read()
open(d + "/collectives.csv", "w", encoding="utf-8").write(c.replace(",0100-7654321,", ",0100-7654321 转 12345,"))
# a work with a file that is not a photo: listed with its type and size
with open(d + "/../content/media/办税指南脚本.pdf", "wb") as f:
    f.write(b"%PDF-1.4\n" + b"%" * 91 + b"\n")
with open(d + "/works.csv", "a", encoding="utf-8", newline="") as f:
    f.write("W2,B2,宣传作品,办税指南,视频,一段办税指南短片。,media/办税指南脚本.pdf\r\n")
PY
check "a collective with 106 activities builds" "$LIANG" build -C "$T/many" -q
check "a hotline with an extension is shown as written and dials its first number" sh -c "
	grep -q '<a href=\"tel:01001234567\">0100-1234567</a>' '$T/many/out/c/A1/index.html' &&
	grep -q '<a href=\"tel:01007654321\">0100-7654321 转 12345</a>' '$T/many/out/c/B2/index.html' &&
	grep -q '<a href=\"tel:01007654321\">0100-7654321 转 12345</a>' '$T/many/out/collectives/index.html'"
check "a work's file is listed with its name, type and size, on its page and its collective's" sh -c "
	for p in '$T/many/out/works/W2/index.html' '$T/many/out/c/B2/index.html'; do
		grep -q '<a href=\"../../media/ban-shui-zhi-nan-jiao-ben.pdf\">办税指南脚本.pdf</a> <span class=\"meta\"><span>PDF 文档</span><span>101 字节</span></span>' \"\$p\" || exit 1
	done
	test -f '$T/many/out/media/ban-shui-zhi-nan-jiao-ben.pdf'"
# (the style sheet writes them: a template's own " · " after an item,
# as the pairings and works once had, doubles one)
check "no separator is written twice in a meta line" sh -c "! grep -rl 'class=\"meta\".*</span> · ' '$T/many/out'"
check "its page shows the newest 100 of 106, newest first, and its own rows only" python3 - "$T/many/out" <<'PY'
import re, sys
root = sys.argv[1]
a1 = open(root + "/c/A1/index.html", encoding="utf-8").read()
sec = a1[a1.index('id="h-activities"'):]
sec = sec[:sec.index("</section>")]
titles = re.findall(r"<h3>([^<]*)</h3>", sec)
assert len(titles) == 100, len(titles)
assert "共 <span>106</span> 次活动" in sec, sec[:400]
# H1 (2026-05-10) first, then M104 and M103 (2020-02-22, the later id first)
assert titles[:3] == ["急诊开放日", "第104次志愿服务", "第103次志愿服务"], titles[:3]
assert "第5次志愿服务" not in titles and "第6次志愿服务" in titles, titles[-3:]
names = re.findall(r'<span class="name">([^<]*)</span>', a1)
assert names == ["王一", "钱**", "赵三", "孙四", "周五", "吴六"], names
b2 = open(root + "/c/B2/index.html", encoding="utf-8").read()
assert "次志愿服务" not in b2, "A1's rows on B2's page"
assert re.findall(r'<span class="name">([^<]*)</span>', b2) == ["李二"]
PY

# ------------------------------------------------------------ statistics
# tests/fixtures/stats is small enough to compute every figure by hand:
# tests/stats/*.tsv hold those figures (ties, a missing item, too few
# survey answers, a revoked collective, each compliance rule tripped).
FS=$ROOT/tests/fixtures/stats
check "liang stats lists the statistics" sh -c "'$LIANG' stats | grep -q '^compliance '"
# every statistic liang lists has its hand computation here
for n in $("$LIANG" stats | cut -d' ' -f1); do
	[ -f "$ROOT/tests/stats/$n.tsv" ] && ok || bad "tests/stats/$n.tsv is missing"
done
for f in "$ROOT"/tests/stats/*.tsv; do
	n=$(basename "$f" .tsv)
	# the fixture's build_date (2025-04-10) decides which months are due
	if env -u SOURCE_DATE_EPOCH "$LIANG" stats "$n" -C "$FS" >"$T/$n.tsv" 2>"$T/$n.err" && cmp -s "$T/$n.tsv" "$ROOT/tests/stats/$n.tsv"; then ok; else
		bad "liang stats $n differs from the hand computation"
		diff -u "$ROOT/tests/stats/$n.tsv" "$T/$n.tsv" 2>&1 | head -20 >&2
	fi
done
check "a missing item is a warning at its line" grep -q '^data/assessments.csv:17:1: warning: 集体 C3 在周期 2025-2026 缺少指标“团建工作”' "$T/ranking.err"
check "stats as JSON" sh -c "'$LIANG' stats ranking --format json -C '$FS' 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert [r[\"id\"] for r in d] == [\"C2\", \"C1\", \"C4\", \"C3\"], d
assert d[0][\"rank\"] == 1 and d[1][\"rank\"] == 2 and d[2][\"rank\"] == 2 and d[3][\"score\"] == \"78.75\"
'"
"$LIANG" stats compliance --format=csv -C "$FS" >"$T/compliance.csv" 2>/dev/null
check "stats as CSV" python3 - "$T/compliance.csv" <<'PY'
import csv, sys
raw = open(sys.argv[1], "rb").read()
assert raw.startswith(b"\xef\xbb\xbf"), "no BOM for Excel"
assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b""), "rows must end in CRLF"
rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
assert rows[0] == ["rule", "clause", "subject", "name", "detail", "collective"], rows[0]
assert rows[1] == ["quota_ratio", "名额分配：创建集体数应不少于名额的 1.5 倍", "东区", "地区",
                   "创建集体 1 个，名额 2，应至少 3 个", ""], rows[1]
PY
# all at once, into a directory: the same figures, file by file (the
# statistics share base tables there, made once)
if env -u SOURCE_DATE_EPOCH "$LIANG" stats all -o "$T/all" -C "$FS" -q 2>"$T/all.err"; then
	for f in "$ROOT"/tests/stats/*.tsv; do
		cmp -s "$f" "$T/all/$(basename "$f")" && ok || bad "liang stats all: $(basename "$f") differs"
	done
	[ "$(ls "$T/all" | wc -l)" -eq "$(ls "$ROOT"/tests/stats/*.tsv | wc -l)" ] && ok || bad "liang stats all: not one file per statistic"
else
	bad "liang stats all failed: $(head -3 "$T/all.err")"
fi
"$LIANG" stats all --format json -o "$T/all-json" -C "$FS" -q 2>/dev/null &&
	python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$T/all-json/ranking.json" && ok || bad "liang stats all --format json"
"$LIANG" stats all -C "$FS" >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "stats all without -o exits 2"
"$LIANG" stats ranking -o "$T/x" -C "$FS" >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "stats NAME with -o exits 2"
"$LIANG" stats nosuch -C "$FS" >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "unknown statistic exits 2"
"$LIANG" stats ranking --format xml -C "$FS" >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "unknown format exits 2"
mkdir -p "$T/stats-bad" && cp -R "$FS/." "$T/stats-bad/"
printf 'stats:\n  weights:\n    工作成绩: 2\n' >"$T/stats-bad/site.yaml"
"$LIANG" stats ranking -C "$T/stats-bad" >"$T/bad.out" 2>"$T/bad.err"; [ $? -eq 1 ] && ok || bad "stats on bad settings exits 1"
check "a wrong weight names its place" grep -q '^site.yaml:3:5: error: stats.weights 中的“工作成绩”不是考核指标' "$T/bad.err"
check "nothing is printed from data with errors" test ! -s "$T/bad.out"
# stats.cycle is a 周期 as the data write one, read in the same spelling
printf 'stats:\n  cycle: 2010-2025\n' >"$T/stats-bad/site.yaml"
"$LIANG" stats ranking -C "$T/stats-bad" >/dev/null 2>"$T/bad.err"; [ $? -eq 1 ] && ok || bad "a cycle of sixteen years exits 1"
check "a bad cycle names its place" grep -q '^site.yaml:2:10: error: stats.cycle “2010-2025” 不是周期' "$T/bad.err"
printf 'stats:\n  cycle: 2025—2026\n' >"$T/stats-bad/site.yaml"
check "a cycle with a dash is the data's cycle" sh -c "'$LIANG' stats ranking -C '$T/stats-bad' -q | sed -n 2p | grep -q '	2025-2026\$'"

# charts in notices: drawn from the result, a table under them; a result
# that is empty today shows as such and does not fail the build
mkdir -p "$T/charts" && cp -R "$ROOT/tests/fixtures/base/." "$T/charts/"
cat >"$T/charts/content/notices/2026-02-charts.md" <<'MD'
---
title: 图表测试
date: 2026-04-02
---

```sql chart=bar
SELECT region AS "地区", COUNT(*) AS "集体数" FROM collectives GROUP BY region ORDER BY region
```

```sql chart=pie
SELECT region AS "地区", COUNT(*) AS "集体数" FROM collectives WHERE region = '没有这个地区' GROUP BY region
```
MD
check "a site with charts builds" "$LIANG" build -C "$T/charts" -q
CP=$T/charts/out/notices/2026-02-charts/index.html
check "a chart is an accessible SVG" grep -q '<svg class="chart wide" [^>]*role="img" aria-labelledby="chart-' "$CP"
check "a chart has its phone layout" grep -q '<svg class="chart narrow" [^>]*role="img" aria-labelledby="chart-[^"]*-n-t ' "$CP"
check "a chart keeps its data table" sh -c "grep -q '<summary>查看数据表</summary>' '$CP' && grep -q '<td class=\"short\">东区</td>' '$CP'"
check "an empty result is shown, not drawn" sh -c "test \$(grep -o '<svg' '$CP' | wc -l) -eq 2 && grep -q '（没有数据）' '$CP'"
printf '\n```sql chart=bars\nSELECT 1, 2\n```\n' >>"$T/charts/content/notices/2026-02-charts.md"
check_fails "an unknown chart kind fails the build" "$LIANG" build -C "$T/charts" -q
cp "$T/last.out" "$T/charts.err"
check "it is named at its line" grep -q '^content/notices/2026-02-charts.md:14:1: error: sql 代码块：无法识别的选项“chart=bars”' "$T/charts.err"

# liang check runs every sql block, the same query in several notices
# once, and names each refused or failing one at its line: in a list
# too; a block shown as an example inside a longer fence is no query
mkdir -p "$T/sqlcheck" && cp -R "$ROOT/tests/fixtures/base/." "$T/sqlcheck/"
cat >"$T/sqlcheck/content/notices/2026-03-a.md" <<'MD'
---
title: 查询甲
date: 2026-04-03
---

```sql
DELETE FROM collectives
```

- 列表中的查询：

  ```sql
  SELECT nosuchcolumn FROM collectives
  ```

````markdown
```sql
SELECT alsonosuchcolumn FROM collectives
```
````
MD
cat >"$T/sqlcheck/content/notices/2026-03-b.md" <<'MD'
---
title: 查询乙
date: 2026-04-04
---

同一个查询：

```sql
DELETE FROM collectives
```
MD
check_fails "check fails on refused and failing sql blocks" "$LIANG" check -C "$T/sqlcheck"
cp "$T/last.out" "$T/sqlcheck.err"
check "a refused block is named at its line" grep -q '^content/notices/2026-03-a.md:6:1: error: sql 代码块：不允许的查询' "$T/sqlcheck.err"
check "a failing block in a list is named at its line" grep -q '^content/notices/2026-03-a.md:12:1: error: sql 代码块：SQL 有误：no such column: nosuchcolumn' "$T/sqlcheck.err"
check "the same query in another notice is named there too" grep -q '^content/notices/2026-03-b.md:8:1: error: sql 代码块：不允许的查询' "$T/sqlcheck.err"
check "a block inside a longer fence is no query" sh -c "test \$(grep -c 'error:' '$T/sqlcheck.err') -eq 3"

# ------------------------------------------------------------ the demo site
if [ -f "$ROOT/data/collectives.csv" ]; then
	check "demo checks clean" "$LIANG" check -C "$ROOT"
	grep -q ': error:' "$T/last.out" && bad "demo has errors" || ok
	check "demo builds" "$LIANG" build -C "$ROOT" -o "$T/demo-out" -q
	check "demo has index.html" test -s "$T/demo-out/index.html"
	python3 "$ROOT/tests/site_check.py" "$ROOT" "$T/demo-out" >"$T/sc.out" 2>&1 && ok || { bad "demo site checks"; sed 's/^/    /' "$T/sc.out" | head -30 >&2; }
	check "demo: no private value in out/" python3 "$ROOT/tests/privacy_scan.py" "$ROOT" "$T/demo-out"
	rm -rf "$ROOT/tests/tmp/demo" && mkdir -p "$ROOT/tests/tmp" && cp -R "$T/demo-out" "$ROOT/tests/tmp/demo"
	n=$(grep -c . "$ROOT/data/collectives.csv")
	[ "$n" -ge 41 ] && ok || bad "demo has at least 40 collectives (has $((n - 1)))"
else
	bad "demo data/collectives.csv is missing"
fi

# ------------------------------------------------------ a site with errors
mkdir -p "$T/broken/data"
printf '编号,名称,单位,地区,行业,类型,性质,级别,授予年份,状态,号长,职工总数,青年人数,服务承诺,监督电话\nA,甲,乙,东区,卫生,服务窗口,机关,国家级,2020,有效,王,10,20,承诺,0100-1234567\n' \
	>"$T/broken/data/collectives.csv"
"$LIANG" check -C "$T/broken" >"$T/broken.out" 2>&1
[ $? -eq 1 ] && ok || bad "check of a broken site exits 1"
check "errors are FILE:LINE:COL: error: MESSAGE" grep -q '^data/collectives.csv:2:[0-9]*: error: 级别 “国家级” 不是可选的值' "$T/broken.out"
check "all errors in one run" grep -q '^data/collectives.csv:2:[0-9]*: error: 青年人数 20 大于 职工总数 10' "$T/broken.out"
before=$(find "$T/broken" | sort | md5sum)
"$LIANG" build -C "$T/broken" -q >/dev/null 2>&1
[ $? -eq 1 ] && ok || bad "build of a broken site exits 1"
after=$(find "$T/broken" | sort | md5sum)
[ "$before" = "$after" ] && ok || bad "a failed build writes nothing"

# --------------------------------------------- generated data (../shared)
if [ -x "$GEN" ] && command -v python3 >/dev/null; then
	python3 "$GEN" --out "$T/S" --preset S --photos "$SHARED/media" -q
	python3 "$GEN" --out "$T/G" --preset S --photos "$SHARED/media" --encoding gb18030 -q
	python3 "$GEN" --out "$T/H" --preset S --photos "$SHARED/media" --hostile -q
	python3 "$GEN" --out "$T/E" --preset S --photos "$SHARED/media" --headers en --eol lf -q

	before=$(tree_hash "$T/S")
	check "gen-data S checks clean" "$LIANG" check -C "$T/S" --db "$T/S.db"
	cp "$T/last.out" "$T/S-check.out"
	grep -q ': error:' "$T/last.out" && bad "gen-data S has errors" || ok
	# the generator's deliberate quota shortfalls are reported, and only they
	python3 - "$T/S/GENERATED.json" "$T/last.out" <<'PY' && ok || bad "quota shortfalls of GENERATED.json reported"
import json, re, sys
want = {(f["region"], f["candidates"], f["quota"]) for f in json.load(open(sys.argv[1]))["expected_quota_failures"]}
got = set()
for m in re.finditer(r"warning: 地区“(.+?)”的创建集体有 (\d+) 个，少于名额 (\d+) 的", open(sys.argv[2]).read()):
    got.add((m.group(1), int(m.group(2)), int(m.group(3))))
sys.exit(0 if want == got else print("want", want, "got", got) or 1)
PY
	[ "$(tree_hash "$T/S")" = "$before" ] && ok || bad "liang check writes nothing into the site"
	check "gen-data S (GB18030) checks clean" "$LIANG" check -C "$T/G" --db "$T/G.db"
	if command -v sqlite3 >/dev/null; then
		# the indexes are made as each table is loaded, by either of two
		# threads: their order in the schema may differ, their set not
		for x in S G; do
			sqlite3 "$T/$x.db" .dump >"$T/$x.all"
			{ grep -v '^CREATE INDEX' "$T/$x.all"; grep '^CREATE INDEX' "$T/$x.all" | sort; } >"$T/$x.sql"
		done
		check "GB18030 twin loads to the same database" cmp "$T/S.sql" "$T/G.sql"
		check "the database holds every collective" \
			test "$(sqlite3 "$T/S.db" 'SELECT COUNT(*) FROM data_collectives')" = 50
		# a check makes no index by collective (it reads none), but the
		# database it saves has every one
		check "check --db saves the indexes by collective" \
			test "$(sqlite3 "$T/S.db" "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name LIKE '%_collective'")" = 6
	else
		skip=$((skip + 3)); echo "SKIP e2e: sqlite3 is missing: cannot compare databases" >&2
	fi
	check "English headers and LF check clean" "$LIANG" check -C "$T/E"
	check "hostile-but-valid data checks clean" "$LIANG" check -C "$T/H"

	check "gen-data S builds" "$LIANG" build -C "$T/S" -q
	check "index.html written" test -s "$T/S/out/index.html"
	# the open-data files keep the rows in the order of the input files
	python3 - "$T/S" <<'PY' && ok || bad "out/data/*.csv keep the order of data/*.csv"
import csv, glob, os, sys
site = sys.argv[1]
for out in sorted(glob.glob(site + "/out/data/*.csv")):
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    with open(site + "/data/" + os.path.basename(out), encoding="utf-8-sig", newline="") as f:
        src = list(csv.reader(f))
    k = src[0].index(rows[0][0])
    if [r[0] for r in rows[1:]] != [r[k] for r in src[1:] if r]:
        sys.exit(print(os.path.basename(out), "is not in the order of the input") or 1)
PY
	for t in collectives members activities works quotas assessments surveys pairings units; do
		f="$T/S/out/data/$t.csv"
		if [ -s "$f" ] && [ "$(head -c 3 "$f" | od -An -tx1 | tr -d ' ')" = efbbbf ]; then ok; else
			bad "out/data/$t.csv is UTF-8 with BOM"; fi
	done
	check "totals by 地区 computed" grep -q '<th scope="row"><a href="./collectives/region/jiang-cheng-qu/">江城区</a></th>' "$T/S/out/index.html"
	python3 "$ROOT/tests/site_check.py" "$T/S" "$T/S/out" >"$T/sc.out" 2>&1 && ok || { bad "gen-data S site checks"; sed 's/^/    /' "$T/sc.out" | head -30 >&2; }

	# two builds of the same input in different places are identical
	cp -R "$T/S" "$T/S2"
	rm -rf "$T/S2/out"
	check "second build" "$LIANG" build -C "$T/S2"
	[ "$(tree_hash "$T/S/out")" = "$(tree_hash "$T/S2/out")" ] && ok || bad "two builds are byte-identical"
	# a build makes the checks across files while it renders: it warns of
	# everything liang check warns of (the quota shortfalls among them)
	python3 - "$T/S-check.out" "$T/last.out" <<'PY' && ok || bad "build warns as check does"
import sys
def warnings(path):
    return [l for l in open(path, encoding="utf-8").read().splitlines() if ": warning: " in l]
check, build = warnings(sys.argv[1]), warnings(sys.argv[2])
missing = [l for l in check if l not in build]
quota = [l for l in check if "少于名额" in l]
sys.exit(print("not in the build's report:", missing[:5]) or 1 if missing or not quota else 0)
PY

	# a failing build leaves the previous out/ intact
	good=$(tree_hash "$T/S/out")
	cp "$T/S/data/collectives.csv" "$T/coll.bak"
	printf 'X!,坏,坏,坏,坏,坏,坏,坏,坏,坏,坏,坏,坏,坏,坏,坏,坏,坏,坏,坏\n' >>"$T/S/data/collectives.csv"
	check_fails "build with an error fails" "$LIANG" build -C "$T/S"
	[ "$(tree_hash "$T/S/out")" = "$good" ] && ok || bad "failed build left out/ intact"
	# and still reports the checks across files
	grep -q 'warning: 地区“.*”的创建集体有 [0-9]* 个，少于名额' "$T/last.out" && ok || bad "failed build reports the quota checks"
	ls -a "$T/S" | grep -q '\.out\.tmp' && bad "failed build left a temporary directory" || ok
	cp "$T/coll.bak" "$T/S/data/collectives.csv"

	# the output directory is refused when it is not liang's
	mkdir -p "$T/foreign" && echo keep >"$T/foreign/notes.txt"
	check_fails "refuses to replace a foreign directory" "$LIANG" build -C "$T/S" -o "$T/foreign" -q
	check "foreign directory untouched" test -f "$T/foreign/notes.txt"

	# no private value reaches out/
	check "hostile site builds" "$LIANG" build -C "$T/H" -q
	check "no private value in out/ (plain)" python3 "$ROOT/tests/privacy_scan.py" "$T/S" "$T/S/out"
	check "no private value in out/ (hostile)" python3 "$ROOT/tests/privacy_scan.py" "$T/H" "$T/H/out"
	python3 "$ROOT/tests/site_check.py" "$T/H" "$T/H/out" >"$T/sc.out" 2>&1 && ok || { bad "hostile site checks"; sed 's/^/    /' "$T/sc.out" | head -30 >&2; }
	check "hostile text is escaped" sh -c "! grep -rq --include='*.html' '<script>alert' '$T/H/out'"
	mkdir -p "$ROOT/tests/tmp" && rm -rf "$ROOT/tests/tmp/hostile" && cp -R "$T/H/out" "$ROOT/tests/tmp/hostile"
else
	skip=$((skip + 1))
	echo "SKIP e2e: $GEN not found: generated-data tests not run" >&2
fi

echo "e2e: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
