#!/usr/bin/env python3
"""run.py — the hostile inputs of tests/hostile/*.txt, each against liang.

A case, in the style of tests/rules, changes the valid site
tests/fixtures/base and says what liang must do with it:

    # what the case is about
    === data/collectives.csv          a file of the site, replaced
    …
    === bytes data/members.csv        the same, with \\xNN escapes decoded
    === symlink content/media/x.jpg   a symbolic link; the body is its target
    === python data/activities.csv    Python that sets `data` (str or bytes):
                                      for inputs too big to write out
    === delete content/pages/about.md
    === expect                        `liang check` fails with exactly
    FILE:LINE:COL: error: …           these diagnostics (warnings too)
    === safe                          `liang build` succeeds, and over every
    absent: TEXT                      HTML or XML file it writes, TEXT never
    absent-re: REGEX                  appears (nor a match of REGEX), and
    present: TEXT                     TEXT appears somewhere
                                      (CSV downloads carry data as it is)

Diagnostics that the base site itself gives (warnings) are left out of
the comparison.

Every run has a time limit: a hang is a failure like a crash. Usage:
run.py LIANG [CASE…]; prints "hostile: N passed, N failed".
run.py --site DIR CASE…: writes one site with the files of the cases.
"""
import codecs, os, re, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BASE = os.path.join(ROOT, "tests", "fixtures", "base")
HERE = os.path.join(ROOT, "tests", "hostile")
LIMIT = int(os.environ.get("HOSTILE_TIMEOUT", "300"))


def parse(path):
    sections, cur, comment = [], None, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("=== "):
                cur = [line[4:].rstrip("\n"), []]
                sections.append(cur)
            elif cur is None:
                comment.append(line)
            else:
                cur[1].append(line)
    return "".join(comment), [(h, "".join(b)) for h, b in sections]


def make_site(sections, dest):
    shutil.copytree(BASE, dest, symlinks=True)
    for head, body in sections:
        kind, _, rest = head.partition(" ")
        if kind in ("expect", "safe"):
            continue
        if kind == "delete":
            os.remove(os.path.join(dest, rest))
            continue
        rel = rest if kind in ("bytes", "symlink", "python") else head
        full = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        if os.path.lexists(full):
            os.remove(full)
        if kind == "symlink":
            os.symlink(body.strip(), full)
        elif kind == "python":
            env = {}
            exec(body, env)
            data = env["data"]
            with open(full, "wb") as f:
                f.write(data.encode("utf-8") if isinstance(data, str) else data)
        elif kind == "bytes":
            with open(full, "wb") as f:
                f.write(codecs.escape_decode(body.encode("utf-8"))[0])
        else:
            with open(full, "w", encoding="utf-8") as f:
                f.write(body)


def run(cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=LIMIT)
    except subprocess.TimeoutExpired:
        return None, "", "timed out after %d s" % LIMIT
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def diagnostics(text, known=()):
    return [l for l in text.splitlines() if ": error: " in l or ": warning: " in l if l not in known]


BASELINE = []


def check_case(liang, path):
    _, sections = parse(path)
    heads = dict((h.split(" ")[0], b) for h, b in sections)
    tmp = tempfile.mkdtemp(prefix="liang-hostile-")
    try:
        site = os.path.join(tmp, "site")
        make_site(sections, site)
        if "expect" in heads:
            code, out, err = run([liang, "check", "-C", site])
            if code is None or code < 0:
                return "crashed or hung: %s %s" % (code, err[-500:])
            want = "\n".join(diagnostics(heads["expect"]))
            got = "\n".join(diagnostics(err, BASELINE))
            if code != 1 or got != want:
                return "exit %s\n--- want\n%s\n--- got\n%s" % (code, want, got)
            return None
        code, out, err = run([liang, "build", "-C", site, "-q"])
        if code != 0:
            return "build failed (exit %s): %s" % (code, err[-2000:])
        blobs = []
        for d, _, files in os.walk(os.path.join(site, "out")):
            for n in files:
                if not n.endswith((".html", ".xml")):
                    continue
                with open(os.path.join(d, n), "rb") as f:
                    blobs.append((os.path.join(d, n), f.read()))
        for line in heads.get("safe", "").splitlines():
            if not line.strip():
                continue
            what, _, text = line.partition(": ")
            needle = text.encode("utf-8")
            if what == "absent-re":
                hits = [p for p, b in blobs if re.search(needle, b)]
            else:
                hits = [p for p, b in blobs if needle in b]
            if what in ("absent", "absent-re") and hits:
                return "%r found in %s" % (text, os.path.relpath(hits[0], site))
            if what == "present" and not hits:
                return "%r not found in out/" % text
        return None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    if len(sys.argv) > 3 and sys.argv[1] == "--site":
        # one site with the sections of several cases, for the browser test
        dest = sys.argv[2]
        sections = []
        for n in sys.argv[3:]:
            sections += [s for s in parse(os.path.join(HERE, n))[1] if s[0].split(" ")[0] not in ("expect", "safe")]
        make_site(sections, dest)
        return 0
    liang = os.path.abspath(sys.argv[1])
    names = sys.argv[2:] or sorted(n for n in os.listdir(HERE) if n.endswith(".txt"))
    code, _, err = run([liang, "check", "-C", BASE])
    if code != 0:
        print("FAIL hostile: the base site does not check: %s" % err, file=sys.stderr)
        return 1
    BASELINE.extend(diagnostics(err))
    passed = failed = 0
    for n in names:
        why = check_case(liang, os.path.join(HERE, n))
        if why:
            failed += 1
            print("FAIL hostile/%s: %s" % (n, why), file=sys.stderr)
        else:
            passed += 1
    print("hostile: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
