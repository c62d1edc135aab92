#!/bin/sh
# e2e_gallery.sh — the photo pages end to end: a site with phone photos
# (EXIF orientation and GPS position) and the shared test photos builds;
# /openweek/ and /works/ exist with srcset, width and height; published
# images are upright and carry no EXIF; a cached rebuild derives nothing
# and gives the same bytes; a photo that does not decode fails the build
# and leaves the old out/; the photo viewer works in Chromium.
set -u
LIANG=$(realpath "${LIANG:-./liang}")
ROOT=$(pwd)
SHARED=${LIANG_SHARED:-$ROOT/../shared}
T=$(mktemp -d /tmp/liang-gallery-XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0 skip=0
export SOURCE_DATE_EPOCH=1790000000
export LIANG_CACHE_DIR="$T/cache"

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL gallery: $*" >&2; }
check() { # check "description" command...
	d=$1; shift
	if "$@" >"$T/last.out" 2>&1; then ok; else bad "$d"; sed 's/^/    /' "$T/last.out" | head -20 >&2; fi
}
tree_hash() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum); }
# the size of a JPEG as `file` says it: "1200x1600"
jpeg_size() { file -b "$1" | grep -o '[0-9]*x[0-9]*' | tail -1; }

# ------------------------------------------------------------- the site
S=$T/site
mkdir -p "$S" && cp -R "$ROOT/tests/fixtures/base/." "$S/" && rm -rf "$S/.liang-cache"
if ! cc -O2 -o "$T/mkphotos" "$ROOT/tests/mkphotos.c" $(pkg-config --cflags --libs libturbojpeg) 2>"$T/cc.out"; then
	bad "tests/mkphotos.c does not compile"; cat "$T/cc.out" >&2
	echo "gallery: $pass passed, $fail failed, $skip skipped"; exit 1
fi
mkdir -p "$S/content/media/phone" "$S/content/media/shared"
# four phone photos held sideways: stored 1600×1200, EXIF orientation 6
"$T/mkphotos" "$S/content/media/photo.jpg" "$S/content/media/phone" 4 6
if [ -d "$SHARED/media" ]; then
	for f in bridge dogs ladybird large-sunset; do cp "$SHARED/media/$f.jpg" "$S/content/media/shared/"; done
	cp "$SHARED/media/garden.png" "$S/content/media/shared/"
else
	for f in bridge dogs ladybird large-sunset; do cp "$S/content/media/photo.jpg" "$S/content/media/shared/$f.jpg"; done
	cp "$S/content/media/garden.png" "$S/content/media/shared/"
fi
cat >"$S/data/activities.csv" <<'EOF'
编号,集体编号,日期,类型,标题,参与人数,服务人次,图片,说明
H1,A1,2026-05-10,开放周,急诊开放日,12,80,media/photo.jpg,带领居民参观急诊流程。
H2,B2,2026-06-01,志愿服务,税法进社区,6,40,,
OW1,A1,2026-06-20,开放周,急诊科开放周,20,150,media/phone/photo-0001.jpg;media/phone/photo-0002.jpg;media/phone/photo-0003.jpg,居民走进急诊科。
OW2,B2,2026-04-02,开放周,办税服务厅开放日,8,60,media/shared/bridge.jpg;media/shared/dogs.jpg;media/shared/garden.png,
EOF
cat >"$S/data/works.csv" <<'EOF'
编号,集体编号,类别,名称,形式,说明,文件
W1,A1,图片作品,急诊的一天,图片,四张照片记录急诊的一天。,media/shared/bridge.jpg;media/shared/dogs.jpg;media/shared/ladybird.jpg;media/shared/large-sunset.jpg
W2,B2,征文,窗口里的青春,征文,,
W3,A1,宣传作品,急诊小课堂,视频,,
EOF
mkdir -p "$S/content/activities" "$S/content/works"
printf '急诊科的护士带领居民走过分诊台、抢救室和留观区。\n' >"$S/content/activities/OW1.md"
printf '# 窗口里的青春\n\n办税服务厅的青年们在窗口前守了三年。\n' >"$S/content/works/W2.md"

O=$T/out
check "the gallery site passes check" "$LIANG" check -q -C "$S"
check "the gallery site builds" "$LIANG" build -C "$S" -o "$O"
grep -q "图片 [1-9][0-9]* 张新处理" "$T/last.out" && ok || bad "a cold build derives photos ($(tail -1 "$T/last.out"))"

# ------------------------------------------------------------- the pages
for p in openweek/index.html openweek/OW1/index.html openweek/OW2/index.html works/index.html \
	works/W1/index.html works/W2/index.html; do
	[ -f "$O/$p" ] && ok || bad "$p missing"
done
for u in openweek/ openweek/OW1/ works/ works/W1/; do
	grep -q "<loc>[^<]*/$u</loc>" "$O/sitemap.xml" && ok || bad "sitemap lacks $u"
done
# the total a list states is the number of its items (counted apart from them)
for d in openweek works; do
	said=$(sed -n 's/.*共 <strong>\([0-9]*\)<\/strong> 项.*/\1/p' "$O/$d/index.html")
	pages=$(find "$O/$d" -mindepth 2 -maxdepth 2 -name index.html ! -path "*/page/*" | wc -l)
	[ -n "$said" ] && [ "$said" = "$pages" ] && ok || bad "/$d/ says $said items, has $pages pages"
done
# /works/ by 类别, in the order of the notice, a heading each
check "/works/ has a heading per 类别, in order" sh -c '
	h=$(sed -n "s/.*<h2>\([^<]*\)<\/h2>.*/\1/p" "$1/works/index.html" | tr "\n" " ")
	[ "$h" = "图片作品 宣传作品 征文 " ] || { echo "headings: $h"; exit 1; }' sh "$O"
grep -q '窗口里的青春' "$O/works/W2/index.html" && grep -q '守了三年' "$O/works/W2/index.html" && ok || bad "the essay body is on its page"
grep -q '分诊台' "$O/openweek/OW1/index.html" && ok || bad "the write-up is on the event page"
grep -q 'href="openweek/OW1/"\|href="\./openweek/OW1/"' "$O/index.html" && ok || bad "the home page links to the event"
grep -q 'aria-current="page">开放周' "$O/openweek/index.html" && ok || bad "开放周 is in the navigation"
check "every image has width, height, alt; srcset of every form for the feature, up to 960 for tiles" python3 - "$O" <<'PY'
import re, sys, os
root = sys.argv[1]
bad = []
def size(path):
    """(width, height) from a JPEG's frame header or a PNG's IHDR."""
    d = open(path, "rb").read()
    if d[:8] == b"\x89PNG\r\n\x1a\n":
        return int.from_bytes(d[16:20], "big"), int.from_bytes(d[20:24], "big")
    p = 2
    while p + 9 < len(d):
        m, n = d[p + 1], int.from_bytes(d[p + 2:p + 4], "big")
        if 0xC0 <= m <= 0xCF and m not in (0xC4, 0xC8, 0xCC):
            return int.from_bytes(d[p + 7:p + 9], "big"), int.from_bytes(d[p + 5:p + 7], "big")
        p += 2 + n
    return None
for page in ["openweek/index.html", "openweek/OW1/index.html", "openweek/OW2/index.html", "works/W1/index.html",
             "c/A1/index.html", "index.html"]:
    html = open(os.path.join(root, page), encoding="utf-8").read()
    imgs = re.findall(r"<img [^>]*>", html)
    if not imgs:
        bad.append(f"{page}: no image")
    for img in imgs:
        for attr in ("width=", "height=", "alt="):
            if attr not in img:
                bad.append(f"{page}: {attr} missing in {img[:80]}")
    sets = re.findall(r'srcset="([^"]*)"', html)
    if page.startswith(("openweek/OW", "works/W")):
        # the feature photo offers every form; a thumbnail stops at 960
        if not sets or sets[0].count("w,") < 2:
            bad.append(f"{page}: the feature photo's srcset lacks three widths: {sets[:1]}")
        for s in sets[1:]:
            widths = [int(p.split()[1][:-1]) for p in s.split(",")]
            if len(widths) < 2 or max(widths) > 960:
                bad.append(f"{page}: a thumbnail's srcset is not two forms up to 960: {s}")
        lazy = [("loading=\"lazy\"" in i) for i in imgs]
        if lazy[0] or not all(lazy[1:]):
            bad.append(f"{page}: the first photo must load at once, the others lazily: {lazy}")
        # every srcset file exists and is as wide as it says
        for s in sets:
            for part in s.split(","):
                url, w = part.split()
                f = os.path.normpath(os.path.join(root, os.path.dirname(page), url))
                if not os.path.isfile(f):
                    bad.append(f"{page}: {url} not published")
                elif size(f) and size(f)[0] != int(w[:-1]):
                    bad.append(f"{page}: {url} is {size(f)[0]} px wide, not {w}")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY

# ------------------------------------------------------------ the images
sz=$(jpeg_size "$O/media/phone/photo-0001.jpg")
[ "$sz" = "1200x1600" ] && ok || bad "the sideways phone photo is published upright 1200x1600 (got $sz)"
sz=$(jpeg_size "$O/media/phone/photo-0001.w960.jpg")
[ "$sz" = "960x1280" ] && ok || bad "its 960 form is 960x1280 (got $sz)"
# a 1600×1200 JPEG: its DCT-domain quarter and half (400, 800)
sz=$(jpeg_size "$O/media/shared/bridge.w400.jpg")
[ "$sz" = "400x300" ] && ok || bad "bridge.w400.jpg is 400x300 (got $sz)"
sz=$(jpeg_size "$O/media/shared/bridge.w800.jpg")
[ "$sz" = "800x600" ] && ok || bad "bridge.w800.jpg is 800x600 (got $sz)"
[ -f "$O/media/shared/garden.w480.jpg" ] && [ -f "$O/media/shared/garden.w960.jpg" ] && ok || bad "a PNG gets JPEG forms"
grep -q Exif "$S/content/media/phone/photo-0001.jpg" && ok || bad "the test photo has EXIF to remove"
n=$(find "$O" -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) | wc -l)
[ "$n" -ge 20 ] && ok || bad "published images: $n"
leaks=$(find "$O" -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) -exec grep -l -a 'Exif' {} + 2>/dev/null)
[ -z "$leaks" ] && ok || bad "EXIF in published images: $leaks"

# ------------------------------------------------------------- the cache
before=$(tree_hash "$O")
cache_files=$(find "$T/cache" -type f | wc -l)
[ "$cache_files" -gt 0 ] && ok || bad "the cache is empty after a build"
check "a cached rebuild builds" "$LIANG" build -C "$S" -o "$T/out2"
grep -q "图片 0 张新处理" "$T/last.out" && ok || bad "a cached rebuild derives nothing ($(grep 图片 "$T/last.out"))"
[ "$(find "$T/cache" -type f | wc -l)" = "$cache_files" ] && ok || bad "a cached rebuild writes no cache file"
[ "$(tree_hash "$T/out2")" = "$before" ] && ok || bad "a cached rebuild is byte-identical"
# the slugs of the names are kept too: a rebuild need not transliterate
slugs=$T/cache/slugs.txt
head -1 "$slugs" 2>/dev/null | grep -q '^liang slugs 1 ICU [0-9.]*$' && ok || bad "slugs.txt has its header"
grep -q "$(printf '^[^\t]*[^ -~][^\t]*\t[a-z0-9-]*$')" "$slugs" && ok || bad "slugs.txt maps Chinese names to slugs"
# a cache from another ICU is not believed
first=$(sed -n 2p "$slugs" | cut -f1)
printf 'liang slugs 1 ICU 0.0\n%s\tnot-this-slug\n' "$first" >"$slugs"
check "a build with a stale slug cache builds" "$LIANG" build -q -C "$S" -o "$T/out4"
[ "$(tree_hash "$T/out4")" = "$before" ] && ok || bad "a slug cache of another ICU version is ignored"
head -1 "$slugs" | grep -q "ICU 0.0" && bad "the stale slug cache is replaced" || ok
rm -rf "$T/cache"
# photos.txt leaves out a file changed in the 2 s before the build (its
# times may be kept in whole seconds): let the photos made above age
sleep 3
check "a build without the cache builds" "$LIANG" build -q -C "$S" -o "$T/out3"
[ "$(tree_hash "$T/out3")" = "$before" ] && ok || bad "deriving again gives the same bytes as the cache"
# a changed photo is derived again, and only it
cp "$S/content/media/phone/photo-0004.jpg" "$S/content/media/phone/photo-0002.jpg"
# what the checks read of each photo is remembered in photos.txt: a
# rebuild reads only the photo whose file changed
head -1 "$T/cache/photos.txt" 2>/dev/null | grep -qx 'liang photos 1' && ok || bad "photos.txt has its header"
grep -q "$(printf '\tmedia/phone/photo-0002.jpg$')" "$T/cache/photos.txt" && ok || bad "photos.txt names the photos"
check "a rebuild after one photo changed builds" env LIANG_TIMINGS=1 "$LIANG" build -C "$S" -o "$T/out3"
grep -q "图片 1 张新处理" "$T/last.out" && ok || bad "only the changed photo is derived ($(grep 图片 "$T/last.out"))"
grep -q '^timing: photos *1 read, [1-9][0-9]* remembered$' "$T/last.out" && ok ||
	bad "only the changed photo is read again ($(grep 'timing: photos' "$T/last.out"))"
grep -q "$(printf '\tmedia/phone/photo-0002.jpg$')" "$T/cache/photos.txt" &&
	bad "a photo changed just before the build is not remembered yet" || ok

# ------------------------------------------------- a photo that won't decode
# Its structure is whole (check cannot see it) but its image data is noise:
# the build must fail naming it, and the previous out/ must stay.
python3 - "$S/content/media/photo.jpg" "$S/content/media/shared/dogs.jpg" <<'PY'
import random, sys
d = bytearray(open(sys.argv[1], "rb").read())
sos = d.index(b"\xff\xda")
r = random.Random(5)
start = sos + len(d[sos:]) // 3
for i in range(start, start + 3000):
    if 0xFF not in (d[i - 1], d[i], d[i + 1]):
        d[i] = r.randrange(0, 255) or 1
        if d[i] == 0xFF:
            d[i] = 0x7F
open(sys.argv[2], "wb").write(bytes(d))
PY
before=$(tree_hash "$O")
"$LIANG" build -q -C "$S" -o "$O" >"$T/fail.out" 2>&1 && bad "a photo that does not decode fails the build" || ok
grep -q 'content/media/shared/dogs.jpg' "$T/fail.out" && ok || bad "the error names the photo: $(cat "$T/fail.out")"
[ "$(tree_hash "$O")" = "$before" ] && ok || bad "the old out/ stays as it was"

# -------------------------------------------------------- the photo viewer
# Chromium drives the lightbox on the event page (tests/browser/lightbox.mjs)
B=$ROOT/tests/browser
if command -v node >/dev/null 2>&1 && [ ! -d "$B/node_modules" ] && command -v npm >/dev/null 2>&1; then
	(cd "$B" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) >/dev/null 2>&1
fi
if command -v node >/dev/null 2>&1; then
	node "$B/lightbox.mjs" "$T/out2" openweek/OW2/index.html
else
	echo "SKIP lightbox: node missing — 14 tests not run" >&2
	echo "lightbox: 0 passed, 0 failed, 14 skipped"
fi

echo "gallery: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
