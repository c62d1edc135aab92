#!/usr/bin/env node
// The photo viewer (themes/default/assets/lightbox.js) in headless Chromium:
// keyboard, focus and swipe on one gallery page of a built site.
//
//   node lightbox.mjs OUT_DIR PAGE      (PAGE: a page with a gallery of 2+ photos)
//
// The last line on stdout is "lightbox: N passed, N failed, N skipped"; the
// tests are skipped (loudly) when Chromium or node_modules is missing.

import { createReadStream, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(HERE, 'package.json'));
const CHROMIUM = process.env.LIANG_CHROMIUM || '/usr/bin/chromium';
const TESTS = 14;

const [outDir, page] = process.argv.slice(2);
if (!outDir || !page) {
  process.stderr.write('usage: node lightbox.mjs OUT_DIR PAGE\n');
  process.exit(2);
}
const root = path.resolve(outDir);
let passed = 0, failed = 0;

function skip(why) {
  process.stderr.write(`SKIP lightbox: ${why} — ${TESTS} tests not run\n`);
  console.log(`lightbox: 0 passed, 0 failed, ${TESTS} skipped`);
  process.exit(0);
}
function check(name, cond, detail) {
  if (cond) passed++;
  else {
    failed++;
    process.stderr.write(`FAIL lightbox: ${name}${detail === undefined ? '' : ` (${detail})`}\n`);
  }
}

if (!existsSync(CHROMIUM)) skip(`${CHROMIUM} missing`);
let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch {
  skip('tests/browser/node_modules missing (npm ci)');
}

const server = http.createServer((req, res) => {
  let file = path.join(root, path.normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)));
  if (!file.startsWith(root)) return res.writeHead(403).end();
  try {
    if (statSync(file).isDirectory()) file = path.join(file, 'index.html');
    statSync(file);
  } catch {
    return res.writeHead(404).end();
  }
  const type = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
    '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png' }[path.extname(file).toLowerCase()];
  res.writeHead(200, { 'content-type': type || 'application/octet-stream' });
  createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true });
  const tab = await context.newPage();
  await tab.goto(base + page, { waitUntil: 'load' });
  const state = () => tab.evaluate(() => {
    const box = document.querySelector('.lightbox');
    const a = document.activeElement;
    return {
      open: !!box && !box.hidden,
      src: box ? box.querySelector('img').getAttribute('src') : null,
      caption: box ? box.querySelector('figcaption').textContent : '',
      focusInside: !!box && box.contains(a),
      focus: a ? (a.getAttribute('aria-label') || a.className || a.tagName) : '',
      role: box && box.getAttribute('role'),
      modal: box && box.getAttribute('aria-modal'),
    };
  });
  const links = await tab.$$eval('.gallery a.thumb', (as) => as.map((a) => a.getAttribute('href')));
  check('the page has a gallery of several photos', links.length >= 2, links.length);

  // open from the keyboard: focus the first thumbnail, press Enter
  await tab.focus('.gallery a.thumb');
  await tab.keyboard.press('Enter');
  let s = await state();
  check('Enter on a thumbnail opens the viewer', s.open);
  check('the viewer is a modal dialog', s.role === 'dialog' && s.modal === 'true');
  check('it shows the large image of that thumbnail', s.src === links[0], s.src);
  check('focus moves into the viewer', s.focusInside, s.focus);
  check('the caption says which photo of how many', /第 1 张，共 \d+ 张/.test(s.caption), s.caption);
  const title = await tab.$eval('.gallery', (ul) => ul.getAttribute('data-caption'));
  check('the caption is the title of the gallery', !!title && s.caption.startsWith(title), [title, s.caption]);

  await tab.keyboard.press('ArrowRight');
  s = await state();
  check('→ shows the next photo', s.src === links[1], s.src);
  await tab.keyboard.press('ArrowLeft');
  s = await state();
  check('← shows the previous photo', s.src === links[0], s.src);

  // Tab cycles inside the dialog, never back to the page
  let inside = true;
  for (let i = 0; i < 6; i++) {
    await tab.keyboard.press(i % 2 ? 'Shift+Tab' : 'Tab');
    inside = inside && (await state()).focusInside;
  }
  check('Tab and Shift+Tab keep focus inside', inside);

  await tab.keyboard.press('Escape');
  s = await state();
  check('Esc closes the viewer', !s.open);
  const back = await tab.evaluate(() => document.activeElement && document.activeElement.getAttribute('href'));
  check('focus returns to the thumbnail that opened it', back === links[0], back);

  // swipe: a touch drag to the left shows the next photo
  await tab.click('.gallery li:nth-child(1) a.thumb');
  await tab.evaluate(() => {
    const box = document.querySelector('.lightbox');
    const touch = (x) => new Touch({ identifier: 1, target: box, clientX: x, clientY: 300 });
    box.dispatchEvent(new TouchEvent('touchstart', { touches: [touch(300)], changedTouches: [touch(300)], bubbles: true }));
    box.dispatchEvent(new TouchEvent('touchend', { touches: [], changedTouches: [touch(120)], bubbles: true }));
  });
  s = await state();
  check('a swipe to the left shows the next photo', s.src === links[1], s.src);
  await tab.click('.lightbox .lb-close');
  check('the close button closes it', !(await state()).open);

  // without JavaScript the thumbnails are plain links to the large image
  const plain = await browser.newContext({ javaScriptEnabled: false });
  const p2 = await plain.newPage();
  await p2.goto(base + page, { waitUntil: 'load' });
  await p2.click('.gallery a.thumb');
  await p2.waitForLoadState('load');
  check('without JavaScript a thumbnail opens the image itself', p2.url() === new URL(links[0], base + page).href, p2.url());
  await plain.close();
} finally {
  await browser.close();
  server.close();
}
console.log(`lightbox: ${passed} passed, ${failed} failed, 0 skipped`);
process.exit(failed ? 1 : 0);
