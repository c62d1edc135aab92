#!/usr/bin/env node
// Browser-based checks of a site built by liang.
//
//   node check.mjs OUT_DIR [--pages a.html,b/index.html,...] [--verbose]
//
// 1. Nu HTML Checker (vnu.jar, run with the machine's java) over every .html
//    file under OUT_DIR: one test per page, failed if it has any error.
// 2. axe-core (WCAG 2.0/2.1 A and AA) in headless Chromium on the pages given
//    by --pages, at a phone and a desktop viewport: one test per page per
//    viewport, failed if any violation; at the phone viewport also one test
//    per page that nothing makes the page wider than the screen, and at a
//    360 px phone with large text one that nothing does and that no
//    hotline number is split across lines.
// 3. No script injection: every .html page (at most 300, evenly spaced over
//    the sorted list) is loaded; failed if a JavaScript dialog opens or
//    window.__liang_xss becomes defined. One test per page, plus one test
//    that no page requested a URL outside 127.0.0.1.
//
// Pages are served by a small static HTTP server on 127.0.0.1 (ephemeral
// port) started by this script. Missing tools (chromium, java, node_modules)
// make the affected tests count as skipped, with a loud SKIP line on stderr.
// The last line on stdout is always: "browser: N passed, N failed, N skipped".
// Exit status: 1 if any test failed, else 0 (2 for a usage error).

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(HERE, 'package.json'));

const CHROMIUM = process.env.LIANG_CHROMIUM || '/usr/bin/chromium'; // override only for testing the harness
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];
const XSS_CAP = 300;
const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 900 },
];
const SMALL_PHONE = { name: 'small phone', width: 360, height: 780 };
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const VNU_MAX_LINES = 20;
const DIALOG_CAP = 10;
const NAV_TIMEOUT_MS = 20000;

// ---------------------------------------------------------------- arguments

function usage(msg) {
  if (msg) process.stderr.write(`check.mjs: ${msg}\n`);
  process.stderr.write('usage: node check.mjs OUT_DIR [--pages a.html,b/index.html,...] [--verbose]\n');
  process.exit(2);
}

let outDir = null;
let pagesArg = null;
let verbose = false;
let skipAll = null; // set by run.sh when npm could not install the dependencies
{
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--pages') {
      if (i + 1 >= argv.length) usage('--pages needs a value');
      pagesArg = argv[++i];
    } else if (a.startsWith('--pages=')) {
      pagesArg = a.slice('--pages='.length);
    } else if (a === '--verbose' || a === '-v') {
      verbose = true;
    } else if (a === '--skip-all') {
      if (i + 1 >= argv.length) usage('--skip-all needs a reason');
      skipAll = argv[++i];
    } else if (a === '-h' || a === '--help') {
      usage();
    } else if (a.startsWith('-')) {
      usage(`unknown option ${a}`);
    } else if (outDir === null) {
      outDir = a;
    } else {
      usage(`unexpected argument ${a}`);
    }
  }
  if (outDir === null) usage('missing OUT_DIR');
}

// ---------------------------------------------------------------- results

const counts = { passed: 0, failed: 0, skipped: 0 };
const failures = []; // { suite, name, lines[] }

function pass(suite, name) {
  counts.passed++;
  if (verbose) process.stdout.write(`ok   ${suite}: ${name}\n`);
}

function fail(suite, name, lines = []) {
  counts.failed++;
  failures.push({ suite, name, lines });
  let out = `FAIL ${suite}: ${name}\n`;
  for (const l of lines) out += `       ${l}\n`;
  process.stdout.write(out);
}

function skip(n, what) {
  if (n <= 0) return;
  counts.skipped += n;
  process.stderr.write(`SKIP browser: ${what} — ${n} tests not run\n`);
}

function finish() {
  process.stdout.write(`browser: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  process.exit(counts.failed > 0 ? 1 : 0);
}

// ---------------------------------------------------------------- the site

const root = path.resolve(outDir);
if (!existsSync(root) || !statSync(root).isDirectory()) {
  fail('site', `OUT_DIR ${outDir} is not a directory`);
  finish();
}

// Every .html file under root, as '/'-separated relative paths, sorted by
// code point so the order does not depend on the locale.
function listHtml(dir, rel = '') {
  const out = [];
  for (const ent of readdirSync(dir, { withFileTypes: true })) {
    const r = rel ? `${rel}/${ent.name}` : ent.name;
    if (ent.isDirectory()) out.push(...listHtml(path.join(dir, ent.name), r));
    else if (ent.isFile() && ent.name.endsWith('.html')) out.push(r);
  }
  return out;
}
const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const allPages = listHtml(root).sort(cmp);

// Pages for axe: --pages, or index.html plus one page from each of
// collectives/, c/ and notices/ (the first one in sorted order that is not
// the section's own index.html; that index.html if it is the only one).
function defaultAxePages() {
  const list = ['index.html'];
  for (const dir of ['collectives', 'c', 'notices']) {
    const inside = allPages.filter((p) => p.startsWith(`${dir}/`));
    const detail = inside.find((p) => p !== `${dir}/index.html`);
    if (detail) list.push(detail);
    else if (inside.length) list.push(inside[0]);
  }
  return list;
}
const axePages = pagesArg !== null
  ? pagesArg.split(',').map((s) => s.trim().replace(/^\/+/, '')).filter(Boolean)
  : defaultAxePages();

// Pages for the injection check: all of them, or XSS_CAP evenly spaced.
function sample(list, cap) {
  if (list.length <= cap) return list.slice();
  const out = [];
  for (let i = 0; i < cap; i++) out.push(list[Math.floor((i * list.length) / cap)]);
  return out;
}
const xssPages = sample(allPages, XSS_CAP);

const nVnu = allPages.length;
const nAxe = axePages.length * VIEWPORTS.length;
const nLayout = axePages.length * 2; // at the phone viewport, and at a small phone with large text
const nXss = xssPages.length;
const nExternal = 1;
const nBrowser = nAxe + nLayout + nXss + nExternal;

process.stdout.write(
  `check.mjs: ${root}: ${allPages.length} pages` +
  (allPages.length > xssPages.length ? ` (${xssPages.length} sampled for the injection check)` : '') +
  `, axe on ${axePages.join(', ') || '(none)'}\n`,
);

if (skipAll !== null) {
  skip(nVnu + nBrowser, skipAll);
  finish();
}

// ---------------------------------------------------------------- what is missing

function resolveDep(spec) {
  try { return require.resolve(spec); } catch { return null; }
}

const missing = { vnu: [], browser: [] };
if (!existsSync(path.join(HERE, 'node_modules'))) {
  const what = 'tests/browser/node_modules (npm ci in tests/browser)';
  missing.vnu.push(what);
  missing.browser.push(what);
} else {
  if (!resolveDep('vnu-jar')) missing.vnu.push('npm package vnu-jar');
  if (!resolveDep('playwright-core')) missing.browser.push('npm package playwright-core');
  if (!resolveDep('axe-core/axe.min.js')) missing.browser.push('npm package axe-core');
}
{
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (r.error) {
    missing.vnu.push('java');
  } else {
    const m = /version "(\d+)(?:\.(\d+))?/.exec(`${r.stderr}${r.stdout}`);
    if (m) {
      const major = m[1] === '1' ? Number(m[2]) : Number(m[1]);
      if (major < 17) missing.vnu.push(`java 17 or later (found java ${major})`);
    }
  }
}
if (!existsSync(CHROMIUM)) missing.browser.push(CHROMIUM);

// ---------------------------------------------------------------- Nu HTML Checker

// Runs vnu over all pages; resolves to Map(relPath -> [message lines]) of
// errors, or to { fatal: [lines] } when vnu itself did not produce a report.
function runVnu(pages) {
  const jar = String(require('vnu-jar'));
  // One JVM for all files; split only if the command line would get huge.
  const chunks = [];
  let cur = [];
  let len = 0;
  for (const p of pages) {
    const abs = path.join(root, p);
    if (cur.length && len + abs.length > 1_000_000) { chunks.push(cur); cur = []; len = 0; }
    cur.push(abs);
    len += abs.length + 1;
  }
  if (cur.length) chunks.push(cur);

  const runOne = (files) => new Promise((resolve) => {
    const args = ['-jar', jar, '--errors-only', '--format', 'json', '--stdout',
      '--skip-non-html', '--no-langdetect', ...files];
    const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', (e) => resolve({ fatal: [`cannot run java: ${e.message}`] }));
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      let report;
      try {
        report = JSON.parse(stdout);
      } catch {
        const tail = `${stderr}\n${stdout}`.trim().split('\n').slice(-10);
        resolve({ fatal: [`vnu exited with status ${code} without a JSON report`, ...tail] });
        return;
      }
      resolve({ messages: report.messages || [] });
    });
  });

  return (async () => {
    const errors = new Map();
    for (const files of chunks) {
      const r = await runOne(files);
      if (r.fatal) return r;
      for (const m of r.messages) {
        if (m.type !== 'error' && m.type !== 'non-document-error') continue;
        let rel = null;
        if (m.url) {
          try {
            rel = path.relative(root, fileURLToPath(new URL(m.url))).split(path.sep).join('/');
          } catch {
            rel = m.url;
          }
        }
        if (rel === null) rel = '(no file)';
        if (!errors.has(rel)) errors.set(rel, []);
        const where = m.lastLine ? `${rel}:${m.lastLine}${m.lastColumn ? `:${m.lastColumn}` : ''}` : rel;
        const sub = m.subType ? ` (${m.subType})` : '';
        errors.get(rel).push(`${where}: ${m.type}${sub}: ${m.message}`);
      }
    }
    return { errors };
  })();
}

function reportVnu(result, pages) {
  if (result.fatal) {
    for (const p of pages) fail('vnu', p, p === pages[0] ? result.fatal : ['vnu did not run (see above)']);
    return;
  }
  const seen = new Set();
  for (const p of pages) {
    seen.add(p);
    const errs = result.errors.get(p);
    if (!errs) { pass('vnu', p); continue; }
    const lines = errs.slice(0, VNU_MAX_LINES);
    if (errs.length > VNU_MAX_LINES) lines.push(`... and ${errs.length - VNU_MAX_LINES} more errors`);
    fail('vnu', `${p}: ${errs.length} error${errs.length === 1 ? '' : 's'}`, lines);
  }
  // Errors that could not be tied to one of the pages must not vanish.
  for (const [rel, errs] of result.errors) {
    if (!seen.has(rel)) fail('vnu', `${rel}: messages not tied to a page`, errs.slice(0, VNU_MAX_LINES));
  }
}

// ---------------------------------------------------------------- static server

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8', '.xml': 'application/xml', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif',
  '.webp': 'image/webp', '.avif': 'image/avif', '.ico': 'image/x-icon',
  '.woff': 'font/woff', '.woff2': 'font/woff2', '.pdf': 'application/pdf',
};

function startServer() {
  const server = http.createServer((req, res) => {
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    let file = path.join(root, path.normalize(rel));
    if (file !== root && !file.startsWith(root + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = path.join(file, 'index.html');
      if (!statSync(file).isFile()) throw new Error('not a file');
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const type = TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
    if (req.method === 'HEAD') { res.end(); return; }
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

const pageUrl = (base, rel) => base + rel.split('/').map(encodeURIComponent).join('/');

// ---------------------------------------------------------------- browser checks

async function runBrowser() {
  const { chromium } = require('playwright-core');
  // axe is evaluated through the DevTools protocol rather than added as a
  // <script> tag, so a strict Content-Security-Policy on a page (which the
  // injection check honours) does not stop it.
  const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

  const server = await startServer();
  const base = `http://127.0.0.1:${server.address().port}/`;
  let browser = null;
  try {
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60000 });
    } catch (e) {
      const msg = `cannot launch ${CHROMIUM}: ${String(e.message).split('\n')[0]}`;
      for (const p of axePages) for (const v of VIEWPORTS) fail('axe', `${p} @${v.name}`, [msg]);
      for (const p of axePages) {
        fail('layout', `${p} @phone`, [msg]);
        fail('layout', `${p} @360 px, large text`, [msg]);
      }
      for (const p of xssPages) fail('injection', p, [msg]);
      fail('external', 'no request outside 127.0.0.1', [msg]);
      return;
    }
    const context = await browser.newContext({ viewport: VIEWPORTS[1], serviceWorkers: 'block' });
    // Who is loaded now, and what it did.
    let current = '(none)';
    let dialogs = [];
    const external = new Map(); // url -> first page that asked for it
    const isLocal = (u) => {
      if (/^(data|blob|about):/i.test(u)) return true;
      try { return new URL(u).hostname === '127.0.0.1'; } catch { return false; }
    };
    const noteRequest = (u) => {
      if (!isLocal(u) && !external.has(u)) external.set(u, current);
    };
    context.on('request', (r) => noteRequest(r.url()));
    // Never let a request leave the machine (and never wait for one).
    await context.route((u) => !isLocal(u.href), (route) => {
      noteRequest(route.request().url());
      return route.abort('blockedbyclient');
    });
    context.on('dialog', (d) => {
      dialogs.push(`${d.type()} dialog: ${JSON.stringify(d.message()).slice(0, 200)}`);
      d.dismiss().catch(() => {});
      // A page that keeps opening dialogs would otherwise hang until the timeout.
      if (dialogs.length >= DIALOG_CAP) d.page()?.close({ runBeforeUnload: false }).catch(() => {});
    });
    // The dialogs of the current page, identical ones counted once.
    const dialogLines = () => {
      const n = new Map();
      for (const l of dialogs) n.set(l, (n.get(l) || 0) + 1);
      const lines = [...n].map(([l, k]) => (k > 1 ? `${l} (${k} times)` : l));
      if (dialogs.length >= DIALOG_CAP) lines.push(`page closed after ${DIALOG_CAP} dialogs`);
      return lines;
    };

    // One page for everything; replaced only after a page hung or crashed.
    let viewport = VIEWPORTS[1];
    let page = await context.newPage();
    page.setDefaultTimeout(NAV_TIMEOUT_MS);
    const setViewport = async (v) => {
      viewport = v;
      await page.setViewportSize({ width: v.width, height: v.height });
    };
    const recover = async () => {
      await page.close({ runBeforeUnload: false }).catch(() => {});
      page = await context.newPage();
      page.setDefaultTimeout(NAV_TIMEOUT_MS);
      await setViewport(viewport);
    };
    const withTimeout = (promise, ms, what) => {
      let timer;
      const t = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms); });
      return Promise.race([promise, t]).finally(() => clearTimeout(timer));
    };

    const load = async (rel) => {
      current = rel;
      dialogs = [];
      const resp = await page.goto(pageUrl(base, rel), { waitUntil: 'load' });
      if (!resp) throw new Error('no response');
      if (resp.status() !== 200) throw new Error(`HTTP ${resp.status()}`);
      // Let handlers queued during parsing (onerror, ontoggle, timers of 0 ms) run.
      await withTimeout(
        page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))),
        NAV_TIMEOUT_MS, 'settling');
    };

    // axe: one test per page per viewport.
    for (const v of VIEWPORTS) {
      await setViewport(v);
      for (const rel of axePages) {
        const name = `${rel} @${v.name} ${v.width}x${v.height}`;
        try {
          await load(rel);
          await page.evaluate(`${axeSource}\n;void 0`);
          if (!(await page.evaluate(() => typeof window.axe === 'object'))) throw new Error('axe-core did not load');
          const violations = await withTimeout(page.evaluate(async (tags) => {
            const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
            return r.violations.map((x) => ({
              id: x.id, impact: x.impact, help: x.help, count: x.nodes.length,
              targets: x.nodes.slice(0, 3).map((n) => [].concat(n.target).map(String).join(' >>> ')),
            }));
          }, AXE_TAGS), 120000, 'axe.run');
          // at phone width nothing may push the page sideways (a long
          // unbroken string in a pledge, a table without its scroller)
          if (v.name === 'phone') {
            const wide = await page.evaluate(() => {
              const w = document.documentElement.clientWidth;
              if (document.documentElement.scrollWidth <= w + 1) return null;
              const over = [...document.querySelectorAll('body *')].filter((e) => {
                const r = e.getBoundingClientRect();
                return r.right > w + 1 && !e.closest('.table-wrap, pre');
              });
              return { w, sw: document.documentElement.scrollWidth,
                       who: over.slice(0, 3).map((e) => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : '')) };
            });
            if (wide) fail('layout', `${rel} @phone: page is ${wide.sw} px wide in a ${wide.w} px viewport`, wide.who);
            else pass('layout', `${rel} @phone: no sideways scrolling`);
          }
          if (violations.length === 0) { pass('axe', name); continue; }
          const lines = [];
          for (const x of violations) {
            lines.push(`${x.id} [${x.impact}] ${x.help} (${x.count} node${x.count === 1 ? '' : 's'})`);
            for (const t of x.targets) lines.push(`    ${t}`);
          }
          fail('axe', `${name}: ${violations.length} violation${violations.length === 1 ? '' : 's'}`, lines);
        } catch (e) {
          fail('axe', name, [...dialogLines(), `could not check: ${String(e.message).split('\n')[0]}`]);
          await recover();
        }
      }
    }

    // Large text on a small phone (360 px, the 大字 switch on): nothing
    // pushes the page sideways, and no hotline number is split across
    // lines (0739- above 8216366 reads as two numbers).
    await setViewport(SMALL_PHONE);
    for (const rel of axePages) {
      try {
        await load(rel);
        const found = await page.evaluate(() => {
          document.documentElement.classList.add('large');
          const w = document.documentElement.clientWidth;
          const sw = document.documentElement.scrollWidth;
          const split = [...document.querySelectorAll('.hotline a, .hotline-big a')].filter((a) => {
            if (a.textContent.length > 16) return false; // a number and more may wrap
            const r = document.createRange();
            r.selectNodeContents(a);
            return new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top))).size > 1;
          }).map((a) => a.textContent);
          return { w, sw, split };
        });
        const lines = [];
        if (found.sw > found.w + 1) lines.push(`page is ${found.sw} px wide in a ${found.w} px viewport`);
        if (found.split.length) lines.push(`hotline split across lines: ${found.split.slice(0, 3).join(', ')}`);
        if (lines.length) fail('layout', `${rel} @360 px, large text`, lines);
        else pass('layout', `${rel} @360 px, large text: no sideways scrolling, hotlines whole`);
      } catch (e) {
        fail('layout', `${rel} @360 px, large text`, [...dialogLines(), `could not check: ${String(e.message).split('\n')[0]}`]);
        await recover();
      }
    }

    // Injection: one test per (sampled) page, at the desktop viewport.
    await setViewport(VIEWPORTS[1]);
    for (const rel of xssPages) {
      try {
        await load(rel);
        const flag = await page.evaluate(() => {
          if (typeof window.__liang_xss === 'undefined') return null;
          try { return JSON.stringify(window.__liang_xss) ?? String(window.__liang_xss); } catch { return 'defined'; }
        });
        const lines = [...dialogLines()];
        if (flag !== null) lines.push(`window.__liang_xss is defined: ${String(flag).slice(0, 200)}`);
        if (lines.length) fail('injection', rel, lines);
        else pass('injection', rel);
      } catch (e) {
        const lines = [...dialogLines(), `could not load: ${String(e.message).split('\n')[0]}`];
        fail('injection', rel, lines);
        await recover();
      }
    }

    // External requests, over every load above.
    if (external.size === 0) {
      pass('external', 'no request outside 127.0.0.1');
    } else {
      const lines = [...external].slice(0, 20).map(([u, p]) => `${p}: ${u.slice(0, 200)}`);
      if (external.size > 20) lines.push(`... and ${external.size - 20} more URLs`);
      fail('external', `${external.size} request${external.size === 1 ? '' : 's'} outside 127.0.0.1`, lines);
    }
    await context.close();
  } finally {
    if (browser) await browser.close().catch(() => {});
    server.close();
  }
}

// ---------------------------------------------------------------- main

const started = Date.now();
const vnuPromise = missing.vnu.length || nVnu === 0 ? null : runVnu(allPages);

if (missing.browser.length) {
  skip(nBrowser, `${missing.browser.join(', ')} missing (axe, injection and external-request checks)`);
} else {
  const before = counts.passed + counts.failed;
  try {
    await runBrowser();
  } catch (e) {
    // Whatever was not checked when the browser run broke off counts as failed.
    const left = nBrowser - (counts.passed + counts.failed - before);
    const msg = `browser run aborted: ${String(e && e.message).split('\n')[0]}`;
    for (let i = 0; i < left; i++) fail('browser', `test ${i + 1} of ${left} not run`, i === 0 ? [msg] : []);
  }
}

if (missing.vnu.length) skip(nVnu, `${missing.vnu.join(', ')} missing (Nu HTML Checker)`);
else if (vnuPromise) reportVnu(await vnuPromise, allPages);

process.stdout.write(`check.mjs: took ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
finish();
