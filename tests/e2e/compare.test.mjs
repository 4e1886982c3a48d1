// End-to-end tests of comparing two images: the "Compare with…" picker and a second tarball dropped while an
// image is shown, the side-by-side layer bars with shared layers, and the filterable list of changed files.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { serveDist, launch, openPage, foreignRequests, shot, shared, SAMPLE, waitForImage } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await serveDist();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

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

const rows = (page) => page.locator('#compare-files tbody tr');

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
    await page.waitForFunction(() => document.querySelectorAll('#compare-files tbody tr').length === 4);
    const paths = await page.locator('#compare-files td.path').allInnerTexts();
    assert.deepEqual(paths, ['/d/big', '/e/big2', '/f/big3', '/f/sub/big4']);
    await page.locator('.compare-controls label', { hasText: 'added (8)' }).locator('input').uncheck();
    await page.waitForFunction(() => document.querySelectorAll('#compare-files tbody tr').length === 0);
    await page.fill('#compare-filter', '');
    await page.waitForFunction(() => document.querySelectorAll('#compare-files tbody tr').length === 1);
    await page.locator('.compare-controls label', { hasText: 'added (8)' }).locator('input').check();
    await page.selectOption('.compare-controls select', 'delta');
    await page.waitForFunction(() => document.querySelector('#compare-files td.path')?.textContent === '/f/sub/');
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
