#!/bin/sh
# e2e_stats.sh — the statistics on the site: /stats/, /stats/compliance/,
# /rankings/ and the ranks and findings of each collective's page, built
# from tests/fixtures/stats, whose figures tests/stats/*.tsv hold by hand.
set -u
LIANG=$(realpath "${LIANG:-./liang}")
ROOT=$(pwd)
T=$(mktemp -d /tmp/liang-e2e-stats-XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL stats: $*" >&2; }
check() { # check "description" command...
	d=$1; shift
	if "$@" >"$T/last.out" 2>&1; then ok; else bad "$d"; sed 's/^/    /' "$T/last.out" | head -20 >&2; fi
}

FS=$ROOT/tests/fixtures/stats
O=$T/out
check "the stats fixture builds" env -u SOURCE_DATE_EPOCH "$LIANG" build -C "$FS" -o "$O" -q
for p in stats/index.html stats/compliance/index.html stats/compliance.csv rankings/index.html \
	rankings/satisfaction/index.html rankings/units/index.html; do
	check "$p is written" test -s "$O/$p"
done

check "pages agree with liang stats" python3 - "$O" "$ROOT/tests/stats" <<'PY'
import csv, html, io, os, re, sys
out, want = sys.argv[1:3]
def page(p):
    return open(os.path.join(out, p), encoding="utf-8").read()
def tsv(n):
    return list(csv.DictReader(open(os.path.join(want, n + ".tsv"), encoding="utf-8"), delimiter="\t"))
def rows(s):
    body = s[s.index("<tbody>"):s.index("</tbody>")]
    return [[html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)]
            for r in re.findall(r"<tr>(.*?)</tr>", body, re.S)]

# /rankings/: every ranked collective, in order, with its rank and score
r = rows(page("rankings/index.html"))
t = tsv("ranking")
assert [(x[0], x[1], x[5]) for x in r] == [(y["rank"], y["name"], y["score"]) for y in t], r
assert "不是官方命名" in page("rankings/index.html")
# the names link to the collective pages
assert 'href="../c/C2/"' in page("rankings/index.html")

# /rankings/satisfaction/: ranked first, the unranked with a dash
r = rows(page("rankings/satisfaction/index.html"))
t = tsv("satisfaction")
assert [(x[0], x[1], x[5]) for x in r] == [(y["rank"] or "—", y["name"], y["rate"]) for y in t], r

# /rankings/units/
r = rows(page("rankings/units/index.html"))
t = tsv("units")
assert [(x[0], x[1], x[5]) for x in r] == [(y["rank"], y["unit"], y["total"]) for y in t], r

# /stats/: a chart (with title and description) and a table per statistic
s = page("stats/index.html")
for n, title in [("levels", "按级别"), ("region_levels", "各地区的级别构成"), ("stars", "按星级"),
                 ("industries", "按行业"), ("ownership", "按单位性质"), ("statuses", "按状态"),
                 ("ages", "成员年龄结构"), ("affiliations", "成员政治面貌"),
                 ("activity_months", "每月活动"), ("activity_kinds", "活动类型"),
                 ("satisfaction_bands", "满意率分布")]:
    m = re.search(r'<section class="stat-block" id="%s">(.*?)</section>' % n, s, re.S)
    assert m, n
    sec = m.group(1)
    assert "<svg" in sec and "<title" in sec and "<desc" in sec, n
    t = tsv(n)
    got = rows(sec)
    assert [x[0] for x in got] == [list(y.values())[0] for y in t], (n, got)
    assert [x[1] for x in got] == [list(y.values())[1] for y in t], (n, got)
# the totals, as the figures at the top
tot = tsv("totals")[0]
for v in (tot["collectives"], tot["youth_share"] + "%", tot["satisfaction"] + "%"):
    assert "<strong>%s</strong>" % v in s, v
# the quota, a table without a chart
assert re.search(r'id="quota">(?:(?!<svg).)*</section>', s, re.S)

# /stats/compliance/: every finding in the CSV, counts per rule on the page
c = page("stats/compliance/index.html")
t = tsv("compliance")
data = list(csv.reader(io.StringIO(page("stats/compliance.csv").lstrip("\ufeff"))))
assert data[0] == ["规则", "依据", "对象", "名称", "详情", "集体编号"], data[0]
assert [d[:5] for d in data[1:]] == [[y["rule"], y["clause"], y["subject"], y["name"], y["detail"]] for y in t]
rules = {}
for y in t:
    rules[y["clause"]] = rules.get(y["clause"], 0) + 1
for clause, n in rules.items():
    assert re.search(r'>%s</a></td><td class="num">%d</td>' % (re.escape(html.escape(clause, quote=False)), n), c), clause
assert "共 <strong>%d</strong> 条" % len(t) in c

# a collective's page: its ranks and its findings
p = page("c/C1/index.html")
assert "考核排名" in p and "第 <span>2</span> 名" in p, "C1 ranks"
assert "2024Q3 投诉 2 件，已整改 1 件" in p and "复核：称号每 2 年复核一次" in p
p = page("c/C5/index.html")
assert "缺少：2024Q2、2024Q3、2024Q4、2025Q1" in p
assert "考核排名" not in p  # not assessed in the cycle
# a revoked collective is not ranked and has no findings
p = page("c/C6/index.html")
assert "考核排名" not in p and "待改进事项" not in p

# the home page's figures of collectives agree with /stats/ (totals):
# the revoked are left out of both, and of the table by region
tot = tsv("totals")[0]
home = page("index.html")
figs = dict((html.unescape(l), v) for v, l in re.findall(r"<li><strong>([^<]*)</strong><span>([^<]*)</span></li>", home))
assert figs["集体（不含撤销）"] == tot["collectives"], figs
assert figs["已命名"] == tot["titled"] and figs["创建集体"] == tot["candidates"], figs
assert figs["成员"] == tot["members"], figs
table = rows(home)
assert sum(int(r[-1]) for r in table) == int(tot["collectives"]), table
PY

# the private columns of members never reach the statistics pages
check "no birth year on the stats page" sh -c "! grep -q '1990\|2000年\|郑一' '$O/stats/index.html'"

# ranking pages are paged: 100 to a page
G=$ROOT/../shared/tools/gen-data
if [ -x "$G" ] || [ -f "$G" ]; then
	python3 "$G" --out "$T/S" --collectives 260 --force -q >/dev/null 2>&1
	check "a generated site builds" "$LIANG" build -C "$T/S" -q
	n=$("$LIANG" stats ranking -C "$T/S" -q | tail -n +2 | wc -l)
	pages=$(( (n + 99) / 100 ))
	check "ranking pages: $pages for $n" test "$pages" -ge 2 -a -f "$T/S/out/rankings/page/$pages/index.html" -a ! -e "$T/S/out/rankings/page/$((pages + 1))"
	rows=$(cat "$T/S/out/rankings/index.html" "$T/S/out"/rankings/page/*/index.html | grep -o '<tr><td class="num">' | wc -l)
	[ "$rows" -eq "$n" ] && ok || bad "ranking pages list $rows of $n"
	# a phone scrolls the table rather than squeeze it: the name may wrap
	# (class name), the region, industry and level stay on one line (short)
	laid=$(grep -o '<tr><td class="num"><span>[0-9]*</span></td><td class="name"><a [^>]*>[^<]*</a></td><td class="short"><span>[^<]*</span></td><td class="short"><span>[^<]*</span></td><td class="short"><span>[^<]*</span></td><td class="num">' "$T/S/out/rankings/index.html" | wc -l)
	[ "$laid" -eq 100 ] && ok || bad "ranking rows laid out for a phone: $laid of 100"
fi

echo "stats: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
