// End-to-end tests of comparing two images: the "Compare with…" picker and a second tarball dropped while an
// image is shown, the side-by-side layer bars with shared layers, and the filterable list of changed files.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startForFile, openPage, foreignRequests, shot, shared, SAMPLE, waitForImage, layeredImage, ungrouped } from './support.mjs';

let server;
let browser;

startForFile((s, b) => ([server, browser] = [s, b]));

/** Drops `file` on the page as a user dragging it from the desktop would. */
async function drop(page, file) {
  const bytes = readFileSync(file).toString('base64');
  await page.evaluate(
    ({ bytes, name }) => {
      const data = Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], name, { type: 'application/x-tar' }));
      const target = document.querySelector('.app');
      target.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: transfer }));
      target.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }));
    },
    { bytes, name: path.basename(file) },
  );
}

const rows = (page) => page.locator('#compare-files [role=row].change');

test('an image compared with itself through the picker shares every layer and differs nowhere', async () => {
  const { page, context, requests, errors } = await openPage(browser, server.url);
  page.setDefaultTimeout(30_000);
  await waitForImage(page, 'layerlens/sample:1.0');
  await page.setInputFiles('#compare-input', SAMPLE);
  await page.waitForSelector('#compare');
  assert.match(await page.locator('#compare h2').innerText(), /layerlens\/sample:1\.0 compared with sample\.tar/);
  assert.match(await page.locator('#compare-shared').innerText(), /^6 layers of the second image's 6 layers are shared/);
  assert.equal(await page.locator('#compare-chart rect.compare-bar.shared').count(), 12);
  assert.equal(await rows(page).count(), 0);
  assert.match(await page.locator('#compare-count').innerText(), /^0 of 0 differing paths shown/);
  // The shown image stays on screen under the comparison.
  assert.equal(await page.locator('#layer-chart .layer-bar').count(), 6);
  await page.locator('#compare button', { hasText: 'Close comparison' }).click();
  await page.waitForSelector('.compare-pick');
  assert.deepEqual(errors, []);
  assert.deepEqual(foreignRequests(requests, server.url), []);
  await context.close();
});

test('a second tarball dropped while an image is shown is compared: shared base, added and removed files', async () => {
  const first = shared('deletions.tar');
  const second = shared('paxglobal.tar');
  if (!first || !second) return;
  for (const colorScheme of ['light', 'dark']) {
    const { page, context, requests, errors } = await openPage(browser, server.url, { colorScheme });
    page.setDefaultTimeout(30_000);
    await waitForImage(page, 'layerlens/sample:1.0');
    await page.setInputFiles('#file-input', first);
    await waitForImage(page, 'fx/deletions:latest');

    await drop(page, second);
    // Dropping while an image is shown asks what to do instead of replacing it.
    await page.waitForSelector('.drop-offer');
    assert.match(await page.locator('.drop-offer').innerText(), /You dropped paxglobal\.tar/);
    await page.locator('#offer-compare').click();
    await page.waitForSelector('#compare');
    assert.equal(await page.locator('#image-name').textContent(), 'fx/deletions:latest');

    // Both images start from the same 15 000 B base layer; their second layers differ.
    assert.match(
      await page.locator('#compare-shared').innerText(),
      /^1 layer of the second image's 2 layers is shared .*the first layer is the same in both/,
    );
    assert.equal(await page.locator('#compare-chart rect.compare-bar.shared').count(), 2);
    assert.equal(await page.locator('#compare-chart rect.compare-bar:not(.shared)').count(), 2);
    assert.match(await page.locator('#compare-chart').getAttribute('aria-label'), /1 shared/);
    assert.match(await page.locator('#compare-totals').innerText(), /^8 added \(\+15 kB\) · 1 removed \(−10 B\) · 0 changed/);

    // The whited-out files of the first image are visible in the second, which adds g/file and lacks f/new.
    const gFile = rows(page).filter({ hasText: '/g/file' });
    assert.match(await gFile.innerText(), /added\s+\/g\/file\s+—\s+100 B\s+\+100 B/);
    assert.match(await rows(page).filter({ hasText: '/f/new' }).innerText(), /removed/);
    assert.equal(await rows(page).count(), 9);

    // Filter by path, then by kind.
    await page.fill('#compare-filter', 'big');
    await page.waitForFunction(() => document.querySelectorAll('#compare-files [role=row].change').length === 4);
    const paths = await page.locator('#compare-files .change .path').allInnerTexts();
    assert.deepEqual(paths, ['/d/big', '/e/big2', '/f/big3', '/f/sub/big4']);
    await page.locator('.compare-controls label', { hasText: 'added (8)' }).locator('input').uncheck();
    await page.waitForFunction(() => document.querySelectorAll('#compare-files [role=row].change').length === 0);
    await page.fill('#compare-filter', '');
    await page.waitForFunction(() => document.querySelectorAll('#compare-files [role=row].change').length === 1);
    await page.locator('.compare-controls label', { hasText: 'added (8)' }).locator('input').check();
    await page.selectOption('.compare-controls select', 'delta');
    await page.waitForFunction(() => document.querySelector('#compare-files .change .path')?.textContent === '/f/sub/');
    await page.locator('#compare').screenshot({ path: shot(`compare-${colorScheme}`) });
    assert.deepEqual(errors, []);
    assert.deepEqual(foreignRequests(requests, server.url), []);
    await context.close();
  }
});

test('a file that is not an image fails the comparison in place and keeps the shown image', async () => {
  const bad = shared('not-an-image.tar');
  if (!bad) return;
  const { page, context, errors } = await openPage(browser, server.url);
  page.setDefaultTimeout(30_000);
  await waitForImage(page, 'layerlens/sample:1.0');
  await page.setInputFiles('#compare-input', bad);
  await page.waitForSelector('.compare-pick.error-panel');
  assert.match(await page.locator('.compare-pick .error-message').innerText(), /^not-an-image\.tar could not be compared: .*manifest/);
  assert.equal(await page.locator('#image-name').textContent(), 'layerlens/sample:1.0');
  assert.deepEqual(errors, []);
  await context.close();
});

/** Two images with the same base layer whose top layers differ in 1,500 files under /app. */
function thousandsApart() {
  const base = [{ path: 'base', type: '5' }];
  for (let i = 0; i < 100; i++) base.push({ path: `base/b${i}`, size: 10 });
  const app = (from, to, size, seed) =>
    Array.from({ length: to - from }, (_, k) => ({ path: `app/f${String(from + k).padStart(4, '0')}`, size, seed }));
  const first = [{ path: 'app', type: '5' }, ...app(0, 1500, 10, 0)];
  // f0000–f0499 removed, f0500–f0999 grown, f1000–f1499 the same, f1500–f1999 added.
  const second = [{ path: 'app', type: '5' }, ...app(500, 1000, 20, 1), ...app(1000, 2000, 10, 0)];
  return [
    layeredImage('layerlens-e2e-compare-a.tar', 'e2e/compare-a:latest', [base, first]),
    layeredImage('layerlens-e2e-compare-b.tar', 'e2e/compare-b:latest', [base, second]),
  ];
}

/** Scrolls the list to the end a window at a time; returns every row drawn on the way, in order, and the most at once. */
function scrollList(page) {
  return page.evaluate(async () => {
    const view = document.querySelector('#compare-files .compare-files-view');
    const seen = new Map();
    let most = 0;
    view.scrollTop = 0;
    for (;;) {
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const rows = [...view.querySelectorAll('[role=row].change')];
      most = Math.max(most, rows.length);
      for (const r of rows) seen.set(Number(r.getAttribute('aria-rowindex')), `${r.dataset.change} ${r.dataset.path}`);
      if (view.scrollTop + view.clientHeight >= view.scrollHeight - 1) break;
      view.scrollTop += view.clientHeight;
    }
    return { rows: [...seen.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]), most };
  });
}

test('two images 1,500 files apart: every difference is listed, a window of rows drawn, filters and search narrow it', async () => {
  const [first, second] = thousandsApart();
  for (const colorScheme of ['light', 'dark']) {
    const { page, context, errors } = await openPage(browser, server.url, { colorScheme });
    page.setDefaultTimeout(60_000);
    await waitForImage(page, 'layerlens/sample:1.0');
    await page.setInputFiles('#file-input', first);
    await waitForImage(page, 'e2e/compare-a:latest');
    await page.setInputFiles('#compare-input', second);
    await page.waitForSelector('#compare-files');
    assert.match(await page.locator('#compare-shared').innerText(), /^1 layer of the second image's 2 layers is shared/);
    assert.match(await page.locator('#compare-totals').innerText(), /^500 added \(\+5\.0 kB\) · 500 removed \(−5\.0 kB\) · 500 changed/);
    assert.match(ungrouped(await page.locator('#compare-count').innerText()), /^1500 of 1500 differing paths shown$/);

    const all = await scrollList(page);
    assert.ok(all.most > 0 && all.most <= 40, `drew ${all.most} rows at once`);
    assert.equal(all.rows.length, 1500);
    assert.equal(all.rows[0], 'removed /app/f0000');
    assert.equal(all.rows[500], 'changed /app/f0500');
    assert.equal(all.rows.at(-1), 'added /app/f1999');
    assert.equal(all.rows.filter((r) => r.startsWith('added ')).length, 500);
    await page.locator('#compare-files').screenshot({ path: shot(`compare-many-${colorScheme}`) });

    // Only the added paths, then only those matching a search; the list goes back to its top each time.
    await page.locator('.compare-controls label', { hasText: 'removed (500)' }).locator('input').uncheck();
    await page.locator('.compare-controls label', { hasText: 'changed (500)' }).locator('input').uncheck();
    await page.waitForFunction(() => /^500 of 1.500/.test(document.querySelector('#compare-count').textContent));
    const added = await scrollList(page);
    assert.equal(added.rows.length, 500);
    assert.ok(added.rows.every((r) => r.startsWith('added /app/f1')), added.rows[0]);
    await page.fill('#compare-filter', 'F19');
    await page.waitForFunction(() => /^100 of 1.500/.test(document.querySelector('#compare-count').textContent));
    assert.equal(await page.locator('#compare-files .compare-files-view').evaluate((v) => v.scrollTop), 0);
    const searched = await scrollList(page);
    assert.deepEqual(searched.rows, Array.from({ length: 100 }, (_, i) => `added /app/f${1900 + i}`));
    await page.fill('#compare-filter', 'nothing like this');
    await page.waitForSelector('#compare-empty');
    assert.deepEqual(errors, []);
    await context.close();
  }
});
