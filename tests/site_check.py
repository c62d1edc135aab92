#!/usr/bin/env python3
"""site_check SITE OUT — assertions on a built site.

- every collective of SITE/data/collectives.csv has OUT/c/<编号>/index.html
  showing its name, pledge and hotline (as a tel: link);
- every internal link and asset (href, src) of every page resolves to a
  file of OUT;
- feed.xml and sitemap.xml (and sitemap-N.xml) are well-formed XML
  (xmllint when present, else Python's parser);
- no page loads anything from another host.
Prints one line per problem; exit status 1 if there is any."""
import csv, html, io, os, re, subprocess, sys, urllib.parse
from html.parser import HTMLParser

class Links(HTMLParser):
    """(tag, attribute, url) of every href and src, from real markup only."""
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ("href", "src") and v is not None:
                self.found.append((tag, k, v))
from xml.dom import minidom

def rows(path):
    raw = open(path, "rb").read()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    for r in csv.DictReader(io.StringIO(text)):
        yield {k.strip(): (v or "").strip() for k, v in r.items() if k}

def main(site, out):
    problems = []
    cols = list(rows(os.path.join(site, "data", "collectives.csv")))
    for c in cols:
        cid = c.get("编号") or c.get("id")
        page = os.path.join(out, "c", cid, "index.html")
        if not os.path.exists(page):
            problems.append(f"no page for collective {cid}")
            continue
        text = html.unescape(open(page, encoding="utf-8").read())
        for key in ("名称", "服务承诺", "监督电话"):
            v = c.get(key) or c.get({"名称": "name", "服务承诺": "pledge", "监督电话": "hotline"}[key])
            if v and " ".join(v.split()) not in " ".join(text.split()):
                problems.append(f"c/{cid}: {key} not shown")
        if 'href="tel:' not in text:
            problems.append(f"c/{cid}: no tel: link")
    pages = 0
    for dirpath, _, files in os.walk(out):
        for f in files:
            if not f.endswith(".html"):
                continue
            pages += 1
            path = os.path.join(dirpath, f)
            rel = os.path.relpath(path, out)
            parser = Links()
            parser.feed(open(path, encoding="utf-8").read())
            for tag, name, url in parser.found:
                if url.startswith(("tel:", "mailto:", "#")):
                    continue
                if url == "":
                    problems.append(f"{rel}: empty {name} on <{tag}>")
                    continue
                scheme = re.match(r"^\s*([a-z][a-z0-9+.-]*):", url, re.I)
                if scheme and scheme.group(1).lower() not in ("http", "https"):
                    problems.append(f"{rel}: {scheme.group(1)}: URL in <{tag} {name}>")
                    continue
                if scheme or url.startswith("//"):
                    # a link in someone's text may go elsewhere; what the page
                    # itself loads (images, styles, scripts) may not
                    if tag != "a":
                        problems.append(f"{rel}: <{tag} {name}> loads from another host: {url}")
                    continue
                if rel == "404.html":
                    continue  # absolute, for any depth
                target = urllib.parse.unquote(url.split("#")[0].split("?")[0])
                if not target:
                    continue
                full = os.path.normpath(os.path.join(dirpath, target))
                if target.endswith("/") or os.path.isdir(full):
                    full = os.path.join(full, "index.html")
                if not os.path.exists(full):
                    problems.append(f"{rel}: broken link {url}")
    for name in sorted(os.listdir(out)):
        if name == "feed.xml" or name.startswith("sitemap"):
            p = os.path.join(out, name)
            try:
                if subprocess.run(["xmllint", "--noout", p], capture_output=True).returncode != 0:
                    problems.append(f"{name} is not well-formed (xmllint)")
            except FileNotFoundError:
                try:
                    minidom.parse(p)
                except Exception as e:
                    problems.append(f"{name} is not well-formed: {e}")
    for p in sorted(set(problems))[:50]:
        print(p)
    print(f"checked {len(cols)} collectives and {pages} pages: {len(set(problems))} problems")
    return 1 if problems else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
