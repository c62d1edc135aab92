#!/usr/bin/env python3
"""privacy_scan SITE OUT — fail if any private value of SITE's data is in OUT.

Private (私密) columns per DATA.md: collectives 联系人/联系电话/微信号, members
出生年份/政治面貌/手机, and the name and photo of a member who did not agree
to be named. Values that also appear in a public column are left out (a
contact person may also be a named member), as are values too short to be
told apart from ordinary text (years, 党员)."""
import csv, io, os, sys

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
    found = []
    for dirpath, _, files in os.walk(out):
        for f in files:
            p = os.path.join(dirpath, f)
            blob = open(p, "rb").read()
            for v in private:
                if v.encode("utf-8") in blob or v.encode("utf-8") in p.encode("utf-8"):
                    found.append((os.path.relpath(p, out), v))
    for p, v in found[:20]:
        print(f"private value {v!r} found in {p}")
    print(f"scanned for {len(private)} private values")
    return 1 if found else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
