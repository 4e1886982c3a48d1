// End-to-end tests of the built page in Debian's Chromium: the sample on load, real tarballs through the file
// input, progress with MB/s, cancel, errors, layer selection, themes, and no request to any other host.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startForFile, openPage, foreignRequests, shot, shared, bigImage, notAnImage, SAMPLE, waitForImage } from './support.mjs';

let server;
let browser;
const allRequests = [];

startForFile((s, b) => ([server, browser] = [s, b]));

async function fresh(options) {
  const opened = await openPage(browser, server.url, options);
  opened.page.setDefaultTimeout(30_000);
  allRequests.push(opened.requests);
  return opened;
}

async function stat(page, label) {
  return page.evaluate((l) => {
    for (const div of document.querySelectorAll('#summary .stat')) {
      if (div.querySelector('dt').textContent === l) {
        const dd = div.querySelector('dd');
        return { text: dd.firstChild.textContent, bytes: dd.dataset.bytes ? Number(dd.dataset.bytes) : null };
      }
    }
    return null;
  }, label);
}

test('the built-in sample is analysed on load, in light and dark', async () => {
  const { page, context, requests, errors } = await fresh();
  await waitForImage(page, 'layerlens/sample:1.0');
  assert.equal((await stat(page, 'Layers')).text, '6');
  // The package index (45 471 B) deleted in a later layer plus server.py (898 B) shipped again by chmod.
  assert.equal((await stat(page, 'Hidden bytes')).bytes, 46369);
  assert.equal((await stat(page, 'Duplicates')).bytes, 21799);
  assert.equal((await stat(page, 'Efficiency')).text, '49.4 %');
  assert.equal(await page.locator('#layer-chart .layer-bar').count(), 6);
  assert.equal(await page.locator('#layer-table tbody tr').count(), 11);
  assert.equal(await page.locator('#layer-table tbody tr.empty').count(), 5);
  assert.match(await page.locator('#hidden-files').innerText(), /binary-amd64_Packages/);
  assert.match(await page.locator('#duplicates').innerText(), /\/app\/backup\/cities\.csv/);
  // The recommendations rank the deleted package index first, with the bytes it would save.
  const actions = page.locator('#recommendations .action');
  assert.ok((await actions.count()) >= 1, 'the recommendations panel lists at least one action');
  assert.equal(await actions.first().locator('.action-saving').getAttribute('data-bytes'), '45471');
  await page.locator('#recommendations').screenshot({ path: shot('recommendations') });
  await page.screenshot({ path: shot('sample-light'), fullPage: true });

  // The theme toggle cycles system, light, dark.
  const toggle = page.locator('.theme-toggle');
  await toggle.click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
  await toggle.click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  await page.screenshot({ path: shot('sample-dark-toggle'), fullPage: true });
  await toggle.click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), undefined);
  assert.deepEqual(errors, []);
  assert.ok(requests.some((u) => u.endsWith('/samples/sample.tar')), 'the sample comes from the page origin');
  await context.close();

  const dark = await fresh({ colorScheme: 'dark' });
  await waitForImage(dark.page, 'layerlens/sample:1.0');
  const bg = await dark.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, 'rgb(15, 20, 25)', 'the system dark theme applies');
  await dark.page.screenshot({ path: shot('sample-dark'), fullPage: true });
  await dark.context.close();
});

test('clicking or arrowing through the layer chart selects a layer everywhere', async () => {
  const { page, context } = await fresh();
  await waitForImage(page, 'layerlens/sample:1.0');
  await page.locator('#layer-chart [data-layer="1"]').click();
  assert.equal(await page.locator('#layer-chart [data-layer="1"]').getAttribute('aria-selected'), 'true');
  assert.equal(await page.locator('#layer-table tr.selected').count(), 1);
  assert.match(await page.locator('#layer-table tr.selected').innerText(), /apt-get update/);
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.locator('#layer-chart [data-layer="2"]').getAttribute('aria-selected'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.layer), '2');
  assert.match(await page.locator('#layer-table tr.selected').innerText(), /COPY app\//);
  await context.close();
});

test('a file dropped through the file input is analysed', async () => {
  const { page, context } = await fresh();
  await waitForImage(page, 'layerlens/sample:1.0');
  await page.setInputFiles('#file-input', SAMPLE);
  await page.waitForFunction(() => document.querySelector('.image-title p')?.textContent.includes('read from sample.tar in'));
  await waitForImage(page, 'layerlens/sample:1.0');

  const real = shared('test-docker-image.tar');
  if (real) {
    await page.setInputFiles('#file-input', real);
    await waitForImage(page, 'dive-test:latest');
    // dive 0.13.1 reports efficiency 0.9844212134184309 for this image.
    assert.equal((await stat(page, 'Efficiency')).text, '98.4 %');
    assert.equal((await stat(page, 'Layers')).text, '14');
    assert.equal(await page.locator('#layer-chart .layer-bar').count(), 14);
    await page.screenshot({ path: shot('test-docker-image'), fullPage: true });
  }
  const deletions = shared('deletions.tar');
  if (deletions) {
    await page.setInputFiles('#file-input', deletions);
    await waitForImage(page, 'fx/deletions:latest');
    // The true hidden bytes; dive counts only 1000 B here.
    assert.equal((await stat(page, 'Hidden bytes')).bytes, 15000);
    assert.match(await page.locator('#hidden-by-layer').innerText(), /hidden by an opaque directory/);
  }
  const two = shared('twoimages.tar');
  if (two) {
    await page.setInputFiles('#file-input', two);
    await waitForImage(page, 'fx/one:latest');
    await page.selectOption('#image-choice', '1');
    await waitForImage(page, 'fx/two:latest');
  }
  await context.close();
});

test('something that is not an image gives one clear error with what to try', async () => {
  const { page, context } = await fresh();
  await waitForImage(page, 'layerlens/sample:1.0');
  await page.setInputFiles('#file-input', notAnImage());
  const panel = page.locator('.error-panel');
  await panel.waitFor();
  const text = await panel.innerText();
  assert.match(text, /layerlens-e2e-readme\.tar could not be analysed/);
  assert.match(text, /no image manifest/i);
  assert.match(text, /README\.md/);
  assert.match(text, /docker save IMAGE -o image\.tar/);
  await page.screenshot({ path: shot('error-not-an-image'), fullPage: true });
  await context.close();
});

test('a large image shows progress with MB/s, can be cancelled, and then completes', async () => {
  const { file, contentBytes } = bigImage(256);
  const { page, context } = await fresh();
  await waitForImage(page, 'layerlens/sample:1.0');

  await page.setInputFiles('#file-input', file);
  await page.locator('.progress-panel').waitFor();
  await page.locator('#cancel').click();
  await page.locator('.notice').waitFor();
  assert.match(await page.locator('.notice').innerText(), /was cancelled/);

  // A fresh worker takes the next file.
  const started = Date.now();
  await page.setInputFiles('#file-input', file);
  await page.waitForFunction(() => /MB\/s/.test(document.querySelector('.progress-panel .rate')?.textContent ?? ''));
  await page.screenshot({ path: shot('progress') });
  const rate = await page.locator('.progress-panel .rate').innerText();
  await waitForImage(page, 'e2e/big:latest');
  const seconds = (Date.now() - started) / 1000;
  assert.equal((await stat(page, 'Image size')).bytes, contentBytes);
  console.log(`large image: ${contentBytes >> 20} MiB analysed in ${seconds.toFixed(2)} s in the page; progress showed ${rate}`);
  await context.close();
});

test('the file explorer expands, searches, sorts and filters by layer', async () => {
  const { page, context } = await fresh();
  await waitForImage(page, 'layerlens/sample:1.0');
  const rowPaths = () => page.$$eval('#explorer .file-row', (rows) => rows.map((r) => r.dataset.path));
  assert.deepEqual(await rowPaths(), ['/app', '/etc', '/usr', '/var']);
  await page.locator('#explorer [aria-label="Expand /app"]').click();
  assert.deepEqual((await rowPaths()).slice(0, 5), ['/app', '/app/backup', '/app/data', '/app/requirements.txt', '/app/server.py']);
  await page.selectOption('#file-sort', 'size');
  assert.deepEqual((await rowPaths()).slice(0, 2), ['/app', '/app/backup']);

  await page.fill('#file-search', 'cities');
  assert.deepEqual(await rowPaths(), ['/app/backup/cities.csv', '/app/data/cities.csv']);
  await page.fill('#file-search', '*.py');
  assert.deepEqual(await rowPaths(), ['/app/server.py']);
  await page.fill('#file-search', '');

  // Layer 5 (the chmod) changed only /app/server.py.
  await page.locator('#layer-chart [data-layer="5"]').click();
  await page.locator('#mode-changes').click();
  assert.deepEqual(await rowPaths(), ['/app', '/app/server.py']);
  await page.locator('#explorer').screenshot({ path: shot('explorer') });
  await context.close();
});

test('the treemap drills into directories, leads back by breadcrumbs and colours by layer', async () => {
  const { page, context } = await fresh();
  await waitForImage(page, 'layerlens/sample:1.0');
  const cells = () => page.$$eval('#treemap-svg .tm-cell', (c) => c.map((g) => g.dataset.path));
  // /var holds nothing visible (its package index was deleted), so it has no cell.
  assert.deepEqual(await cells(), ['/app', '/etc', '/usr']);
  await page.locator('#treemap-svg [data-path="/app"]').click();
  assert.deepEqual(await cells(), ['/app/backup', '/app/data', '/app/server.py', '/app/requirements.txt']);
  assert.deepEqual(await page.$$eval('#treemap-crumbs button', (b) => b.map((x) => x.textContent)), ['/', 'app']);
  await page.locator('#treemap-by-layer').check();
  assert.match(await page.locator('#treemap .legend').innerText(), /L0.*L5/s);
  await page.locator('#treemap').screenshot({ path: shot('treemap') });
  await page.locator('#treemap-crumbs button').first().click();
  assert.deepEqual(await cells(), ['/app', '/etc', '/usr']);
  await context.close();
});

test('the Dockerfile is linted as the user types, with markers beside the lines', async () => {
  const { page, context } = await fresh();
  // The editor opens with the sample's Dockerfile and its findings.
  await page.waitForFunction(() => document.querySelectorAll('#findings li').length === 6);
  const first = await page.locator('#findings li').first().innerText();
  assert.match(first, /line 4/);
  assert.match(first, /LL1001/);
  assert.equal(await page.locator('.gutter li.marked').count(), 4);

  await page.fill('#dockerfile-text', 'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n');
  await page.waitForFunction(() => document.querySelector('#findings')?.textContent.includes('LL1009'));
  const text = await page.locator('#findings').innerText();
  assert.match(text, /LL1015/);
  assert.match(text, /LL1002/);
  assert.match(await page.locator('.gutter li').nth(1).getAttribute('title'), /apt-update-separate/);
  await page.locator('.dockerfile').screenshot({ path: shot('dockerfile-findings') });

  await page.fill('#dockerfile-text', 'FROM scratch\nCOPY app /app\n');
  await page.waitForFunction(() => document.querySelector('#findings-count')?.textContent === 'No findings.');
  await context.close();
});

test('the page made no request to any host but the local server', () => {
  const foreign = allRequests.flatMap((r) => foreignRequests(r, server.url));
  assert.ok(allRequests.flat().length > 5, 'requests were recorded');
  assert.deepEqual(foreign, []);
});
