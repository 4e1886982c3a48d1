// The file explorer at scale: an image with 101,000 paths in one directory, scrolled from top to bottom in both
// views ("everything up to this layer" and "this layer's changes"), with the frame times measured in the page
// (requestAnimationFrame deltas), the number of drawn rows checked on every frame, and the time a layer switch and
// each typed search character take. Timings are printed; only very generous bounds are asserted, so a loaded
// 2-core machine passes while a list that draws every row does not.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startForFile, openPage, shot, waitForImage, layeredImage, ungrouped } from './support.mjs';

const FILES = 100_000;
/** The most rows a virtualised view may draw at once (the viewport holds 16, plus the overscan). */
const ROW_BOUND = 200;

let server;
let browser;
let manyFilesPath = '';

startForFile((s, b) => ([server, browser] = [s, b]));

after(() => {
  // The generated image is about 55 MB; it is made again on every run.
  if (manyFilesPath) rmSync(manyFilesPath, { force: true });
});

const name = (i) => `data/f${String(i).padStart(6, '0')}`;

/**
 * Layer 0 writes /data with 100,000 files (every 50th has 100 bytes); layer 1 rewrites 1,000 of them, removes 500
 * and adds 1,000 under /data/new.
 */
function manyFiles() {
  const base = [{ path: 'data', type: '5' }];
  for (let i = 0; i < FILES; i++) base.push({ path: name(i), size: i % 50 === 0 ? 100 : 0 });
  const top = [{ path: 'data/new', type: '5' }];
  for (let i = 0; i < 1000; i++) top.push({ path: name(i), size: 200, seed: 1 });
  for (let i = 1000; i < 1500; i++) top.push({ path: `data/.wh.f${String(i).padStart(6, '0')}`, size: 0 });
  for (let i = 0; i < 1000; i++) top.push({ path: `data/new/n${String(i).padStart(4, '0')}`, size: 10 });
  manyFilesPath = layeredImage('layerlens-e2e-many-files.tar', 'e2e/many:latest', [base, top]);
  return manyFilesPath;
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function summary(frames) {
  const sorted = [...frames].sort((a, b) => a - b);
  return { frames: frames.length, p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), max: sorted.at(-1) };
}

/**
 * Scrolls the element `selector` from top to bottom `step` pixels a frame; returns the frame times, the most rows
 * drawn in any frame, and the last drawn row's path.
 */
function scrollThrough(page, selector, step) {
  return page.evaluate(
    async ({ selector, step }) => {
      const el = document.querySelector(selector);
      const frame = () => new Promise((r) => requestAnimationFrame(r));
      el.scrollTop = 0;
      await frame();
      await frame();
      const frames = [];
      let maxRows = 0;
      let last = performance.now();
      // Bounded: the height is finite and every pass moves down by `step`, or ends.
      while (el.scrollTop + el.clientHeight < el.scrollHeight - 1) {
        const before = el.scrollTop;
        el.scrollTop = before + step;
        await frame();
        const now = performance.now();
        frames.push(now - last);
        last = now;
        maxRows = Math.max(maxRows, el.querySelectorAll('[role=row]').length);
        if (el.scrollTop === before) break;
      }
      await frame();
      await frame();
      const drawn = [...el.querySelectorAll('[role=row]')];
      const lastRow = drawn.reduce((a, b) => (Number(b.getAttribute('aria-rowindex')) > Number(a.getAttribute('aria-rowindex')) ? b : a));
      return { frames, maxRows, lastPath: lastRow.dataset.path, lastIndex: Number(lastRow.getAttribute('aria-rowindex')) };
    },
    { selector, step },
  );
}

/** Runs `act` in the page and measures until the explorer's row count reads differently and a frame has drawn. */
function timed(page, act, arg) {
  return page.evaluate(
    async ({ act, arg }) => {
      const count = () => document.querySelector('#explorer-count')?.textContent;
      const title = () => document.querySelector('#explorer-title')?.textContent;
      const before = `${title()}|${count()}`;
      const t0 = performance.now();
      // The action is passed as source text so that it runs in the page.
      new Function('arg', `(${act})(arg)`)(arg);
      const deadline = t0 + 30_000;
      while (`${title()}|${count()}` === before && performance.now() < deadline) {
        await new Promise((r) => setTimeout(r, 0));
      }
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      return { ms: performance.now() - t0, title: title(), count: count() };
    },
    { act: act.toString(), arg },
  );
}

function clickLayer(arg) {
  document.querySelector(`#layer-chart [data-layer="${arg}"]`).dispatchEvent(new MouseEvent('click', { bubbles: true }));
}

function typeSearch(arg) {
  const input = document.querySelector('#file-search');
  input.value = arg;
  input.dispatchEvent(new InputEvent('input', { bubbles: true }));
}

test('100,000 files scroll with a bounded number of rows; layer switches and searches are timed', async () => {
  const image = manyFiles();
  const { page, errors } = await openPage(browser, server.url);
  page.setDefaultTimeout(120_000);
  await waitForImage(page, 'layerlens/sample:1.0');
  await page.setInputFiles('#file-input', image);
  await waitForImage(page, 'e2e/many:latest');
  assert.equal(await page.locator('#explorer-title').innerText(), 'Files up to L1');

  // Open /data: 100,500 rows (100,000 − 500 removed + the removals still marked + /data/new), plus /data.
  await page.locator('#explorer [aria-label="Expand /data"]').click();
  const total = 1 + FILES + 1;
  assert.match(ungrouped(await page.locator('#explorer-count').innerText()), new RegExp(`^${total} rows`));

  const figures = {};
  const upto = await scrollThrough(page, '#explorer .file-view', 2000);
  figures['up to L1, 2000 px a frame'] = { ...summary(upto.frames), rowsDrawnAtMost: upto.maxRows };
  assert.ok(upto.maxRows > 0 && upto.maxRows < ROW_BOUND, `drew ${upto.maxRows} rows at once`);
  assert.equal(upto.lastIndex, total);
  assert.equal(upto.lastPath, '/data/new');
  const smooth = await page.evaluate(async () => {
    const el = document.querySelector('#explorer .file-view');
    el.scrollTop = el.scrollHeight / 2;
    const frames = [];
    let last = performance.now();
    for (let i = 0; i < 240; i++) {
      el.scrollTop += 40;
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      frames.push(now - last);
      last = now;
    }
    return frames;
  });
  figures['up to L1, 40 px a frame'] = summary(smooth.slice(1));
  await page.locator('#explorer').screenshot({ path: shot('explorer-scale-light') });

  // This layer's changes: 1,000 rewritten, 500 removed, 1,000 added under /data/new (opened), and the two folders.
  figures['switch to "this layer\'s changes"'] = await timed(page, () => document.querySelector('#mode-changes').click());
  // /data/new is the last row: scroll there to open it.
  await page.locator('#explorer .file-view').evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await page.locator('#explorer [aria-label="Expand /data/new"]').click();
  const changes = await scrollThrough(page, '#explorer .file-view', 400);
  figures["L1's changes, 400 px a frame"] = { ...summary(changes.frames), rowsDrawnAtMost: changes.maxRows };
  assert.ok(changes.maxRows < ROW_BOUND, `drew ${changes.maxRows} rows at once`);
  assert.equal(changes.lastIndex, 2 + 1000 + 500 + 1000);

  // Layer switches: to L0 (100,000 rows, /data still open) and back.
  await page.locator('#mode-upto').click();
  for (const layer of [0, 1, 0]) {
    const t = await timed(page, clickLayer, layer);
    assert.equal(t.title, `Files up to L${layer}`);
    figures[`switch to L${layer}`] = { ms: t.ms, rows: ungrouped(t.count).split(' ')[0] };
  }
  // Typing a search one character at a time over 100,000 paths (each character narrows the count).
  // The search starts from the middle of the list; new results are shown from their top.
  await page.locator('#explorer .file-view').evaluate((el) => {
    el.scrollTop = el.scrollHeight / 2;
  });
  const typed = '99999';
  for (let i = 1; i <= typed.length; i++) {
    const t = await timed(page, typeSearch, typed.slice(0, i));
    figures[`search "${typed.slice(0, i)}"`] = { ms: t.ms, rows: ungrouped(t.count).split(' ')[0] };
    const top = await page.locator('#explorer .file-view').evaluate((el) => ({
      scrollTop: el.scrollTop,
      first: el.querySelector('[role=row]')?.getAttribute('aria-rowindex'),
    }));
    assert.deepEqual(top, { scrollTop: 0, first: '1' }, `after typing "${typed.slice(0, i)}"`);
  }
  assert.match(ungrouped(await page.locator('#explorer-count').innerText()), /^1 row ·/);
  await page.locator('#explorer').screenshot({ path: shot('explorer-scale-search-light') });

  console.log('explorer at 100,000 files (ms):');
  for (const [what, f] of Object.entries(figures)) console.log(`  ${what}: ${JSON.stringify(f, (_, v) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v))}`);
  // Only a very generous bound on time: a list that rebuilds or draws 100,000 rows takes far longer than this.
  for (const [what, f] of Object.entries(figures)) {
    const worst = f.ms ?? f.p95;
    assert.ok(Number.isFinite(worst), what);
    assert.ok(worst < 5000, `${what} took ${worst} ms`);
  }
  assert.deepEqual(errors, []);
});
