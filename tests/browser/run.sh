#!/bin/sh
# Browser checks of a built liang site (see README.md beside this file).
#
#   tests/browser/run.sh OUT_DIR [a.html,b/index.html,...]
#
# Installs the pinned npm packages (npm ci) when node_modules is missing or
# older than package-lock.json, then runs check.mjs. When npm or node is
# missing, or npm ci fails, every test is counted as skipped, with a loud
# SKIP line on stderr. The last line on stdout is always
# "browser: N passed, N failed, N skipped"; exit 1 if any test failed.

set -u

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $0 OUT_DIR [pages,comma,separated]" >&2
    exit 2
fi

here=$(cd "$(dirname "$0")" && pwd) || exit 2
out=$1
if [ $# -eq 2 ]; then pages=$2; else pages=; fi

# Runs check.mjs with whatever arguments follow, plus --pages if given.
check() {
    if [ -n "$pages" ]; then
        node "$here/check.mjs" "$out" --pages "$pages" "$@"
    else
        node "$here/check.mjs" "$out" "$@"
    fi
}

# Every test skipped, for a reason in $1. Counted by check.mjs when node is
# there; otherwise counted here the same way (vnu: one per page; axe: two per
# page checked; injection: one per page, at most 300; one external test).
skip_all() {
    if command -v node >/dev/null 2>&1; then
        check --skip-all "$1"
        exit $?
    fi
    n_html=0
    if [ -d "$out" ]; then
        n_html=$(find "$out" -type f -name '*.html' | wc -l | tr -d ' ')
    fi
    if [ -n "$pages" ]; then
        n_axe=$(printf '%s\n' "$pages" | tr ',' '\n' | grep -c .)
    else
        n_axe=1
        for d in collectives c notices; do
            if [ -d "$out/$d" ] && [ -n "$(find "$out/$d" -type f -name '*.html' | head -n 1)" ]; then
                n_axe=$((n_axe + 1))
            fi
        done
    fi
    n_xss=$n_html
    [ "$n_xss" -gt 300 ] && n_xss=300
    # axe and layout at two sizes per page, injection, external requests
    n=$((n_html + 4 * n_axe + n_xss + 1))
    echo "SKIP browser: $1 — $n tests not run" >&2
    echo "browser: 0 passed, 0 failed, $n skipped"
    exit 0
}

if ! command -v node >/dev/null 2>&1; then
    skip_all "node missing"
fi

# Is node_modules missing, or older than the lockfile? npm writes
# node_modules/.package-lock.json at each install.
stamp="$here/node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ -n "$(find "$here/package-lock.json" -newer "$stamp" 2>/dev/null)" ]; then
    if ! command -v npm >/dev/null 2>&1; then
        skip_all "npm missing, cannot install tests/browser/node_modules"
    fi
    log=$(mktemp) || exit 2
    # --ignore-scripts: vnu-jar's postinstall would try to download a Java
    # runtime; the machine's java is used instead.
    if ! (cd "$here" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) >"$log" 2>&1; then
        tail -n 20 "$log" >&2
        rm -f "$log"
        skip_all "npm ci failed in tests/browser"
    fi
    rm -f "$log"
fi

check
