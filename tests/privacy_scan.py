#!/usr/bin/env python3
"""privacy_scan SITE OUT — fail if any private value of SITE's data is in OUT.

Private (私密) columns per DATA.md: collectives 联系人/联系电话/微信号, members
出生年份/政治面貌/手机, and the name and photo of a member who did not agree
to be named. Values that also appear in a public column are left out (a
contact person may also be a named member), as are values too short to be
told apart from ordinary text (years, 党员).

Beyond those columns, no text under OUT may hold a mainland mobile number
(11 digits from 13–19) or an 18-character ID number unless it is the value
of a public field of collectives.csv (a hotline may be a mobile). Text is
what a reader sees: HTML, XML, JSON, CSV, JS and CSS as they are, and each
PDF through pdftotext (its compressed streams hide the words from a byte
search)."""
import csv, io, os, re, shutil, subprocess, sys

MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
ID_NUMBER = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")
TEXT = (".html", ".xml", ".json", ".csv", ".txt", ".js", ".css", ".svg")

ALIASES = {"联系人": "contact", "联系电话": "contact_phone", "微信号": "wechat",
           "手机": "phone", "姓名": "name", "同意公开": "consent", "照片": "photo"}

def rows(path):
    raw = open(path, "rb").read()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    for r in csv.DictReader(io.StringIO(text)):
        yield {ALIASES.get(k.strip(), k.strip()): (v or "").strip() for k, v in r.items() if k}

def main(site, out):
    data = os.path.join(site, "data")
    private, public = set(), set()
    for r in rows(os.path.join(data, "collectives.csv")):
        for k in ("contact", "contact_phone", "wechat"):
            if r.get(k):
                private.add(r[k])
        for k, v in r.items():
            if k not in ("contact", "contact_phone", "wechat") and v:
                public.add(v)
    for r in rows(os.path.join(data, "members.csv")):
        if r.get("phone"):
            private.add(r["phone"])
        if r.get("consent") == "是":
            public.add(r.get("name", ""))
        else:
            if r.get("name"):
                private.add(r["name"])
            if r.get("photo"):
                private.add(os.path.basename(r["photo"]))
    # A private value that is part of a public one (王鹏 in 王鹏飞) cannot
    # be told apart by a text search; leave it out.
    blob = "\x00".join(public)
    private = {p for p in private if len(p) >= 2 and p not in blob}
    allowed = "\x00".join(public)
    pdftotext = shutil.which("pdftotext")
    found, pdfs = [], 0
    for dirpath, _, files in os.walk(out):
        for f in files:
            p = os.path.join(dirpath, f)
            blob = open(p, "rb").read()
            text = None
            if f.endswith(".pdf") and pdftotext:
                text = subprocess.run([pdftotext, "-q", "-enc", "UTF-8", p, "-"], capture_output=True).stdout
                pdfs += 1
            elif f.endswith(TEXT):
                text = blob
            for v in private:
                e = v.encode("utf-8")
                if e in blob or e in p.encode("utf-8") or (text is not None and e in text):
                    found.append((os.path.relpath(p, out), v))
            if text is None:
                continue
            t = text.decode("utf-8", "replace")
            for m in list(MOBILE.finditer(t)) + list(ID_NUMBER.finditer(t)):
                if m.group(0) not in allowed:
                    found.append((os.path.relpath(p, out), m.group(0)))
    for p, v in found[:20]:
        print(f"private value {v!r} found in {p}")
    print(f"scanned for {len(private)} private values, mobile and ID numbers; {pdfs} PDFs read as text")
    return 1 if found else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
