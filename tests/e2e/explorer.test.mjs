// End-to-end tests of the file explorer at a selected layer: a layer's changes or everything up to it, change
// kinds marked and filtered, removed paths at the layer that removed them, and the keyboard (`/`, arrows).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startForFile, openPage, foreignRequests, shot, shared, waitForImage } from './support.mjs';

let server;
let browser;

startForFile((s, b) => ([server, browser] = [s, b]));

async function fresh(options) {
  const opened = await openPage(browser, server.url, options);
  opened.page.setDefaultTimeout(30_000);
  return opened;
}

/** The drawn rows as "path status" strings. */
function rows(page) {
  return page.$$eval('#explorer .file-row', (all) => all.map((r) => `${r.dataset.path} ${r.dataset.status}`));
}

test('clicking layer 2 of dive\'s test image shows that layer\'s changes; removals show where they happen', async () => {
  const image = shared('test-docker-image.tar');
  if (!image) return;
  const { page, context, requests } = await fresh();
  await waitForImage(page, 'layerlens/sample:1.0');
  await page.setInputFiles('#file-input', image);
  await waitForImage(page, 'dive-test:latest');
  await page.locator('.layer-chart').screenshot({ path: shot('layer-chart-light') });

  // Layer 2 is `mkdir -p /root/example/really/nested`: three directories added under an unchanged /root.
  await page.locator('#layer-chart [data-layer="2"]').click();
  await page.locator('#mode-changes').click();
  assert.equal(await page.locator('#explorer-title').innerText(), 'Files changed by L2');
  assert.equal(await page.locator('#layer-table tr.selected button').innerText(), 'L2');
  assert.deepEqual(await rows(page), ['/root unchanged']);
  await page.fill('#file-search', '/');
  assert.deepEqual(await rows(page), [
    '/root unchanged',
    '/root/example added',
    '/root/example/really added',
    '/root/example/really/nested added',
  ]);
  await page.fill('#file-search', '');

  // Layer 7 moves somefile3.txt: a whiteout removes it, /root/saved.txt is added.
  await page.locator('#layer-chart [data-layer="7"]').click();
  await page.fill('#file-search', 'txt');
  assert.deepEqual(await rows(page), ['/root/example/somefile3.txt removed', '/root/saved.txt added']);
  // Layer 9 is `rm -rf /root/example/`: everything below it is removed at layer 9, not before.
  await page.locator('#layer-chart [data-layer="9"]').click();
  await page.fill('#file-search', '/root/example*');
  assert.deepEqual(await rows(page), [
    '/root/example removed',
    '/root/example/really removed',
    '/root/example/really/nested removed',
    '/root/example/somefile1.txt removed',
    '/root/example/somefile2.txt removed',
  ]);
  await page.locator('#explorer').screenshot({ path: shot('explorer-removed-light') });
  // Filters hide a change kind.
  await page.locator('#show-removed').uncheck();
  assert.deepEqual(await rows(page), []);
  assert.match(await page.locator('#explorer-empty').innerText(), /No paths match/);
  await page.locator('#show-removed').check();

  // Everything up to layer 9: the whole filesystem, the removals still marked.
  await page.locator('#mode-upto').click();
  assert.equal(await page.locator('#explorer-title').innerText(), 'Files up to L9');
  await page.fill('#file-search', 'saved');
  assert.deepEqual(await rows(page), ['/root/.saved.txt unchanged', '/root/saved.txt unchanged']);
  await page.fill('#file-search', '');
  const top = await rows(page);
  assert.ok(top.includes('/bin unchanged') && top.includes('/root unchanged'), top.join(', '));
  assert.deepEqual(foreignRequests(requests, server.url), []);
  await context.close();
});

test('the keyboard: / focuses the search, arrows move through layers and the tree', async () => {
  const { page, context } = await fresh({ colorScheme: 'dark' });
  await waitForImage(page, 'layerlens/sample:1.0');

  // `/` focuses the search box from anywhere but a text field.
  await page.locator('#explorer-title').click();
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'file-search');
  assert.equal(await page.inputValue('#file-search'), '');
  await page.locator('#dockerfile-text').click();
  await page.keyboard.press('End');
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'dockerfile-text');

  // Arrow keys in the layer table move the selection everywhere.
  await page.locator('#layer-table button[data-layer="3"]').focus();
  await page.keyboard.press('ArrowUp');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.layer), '2');
  assert.equal(await page.locator('#layer-chart [data-layer="2"]').getAttribute('aria-selected'), 'true');
  assert.equal(await page.locator('#explorer-title').innerText(), 'Files up to L2');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.locator('#layer-chart [data-layer="4"]').getAttribute('aria-selected'), 'true');

  await page.locator('.layer-chart').screenshot({ path: shot('layer-chart-focus-dark') });

  // The tree: Down moves, Right opens, Right again steps in, Left goes to the parent, Left closes.
  await page.locator('#layer-chart [data-layer="5"]').click();
  const grid = page.locator('#explorer [role="treegrid"]');
  await grid.focus();
  const active = () => grid.getAttribute('aria-activedescendant').then((id) => page.locator(`#${id}`).getAttribute('data-path'));
  assert.equal(await active(), '/app');
  await page.keyboard.press('ArrowDown');
  assert.equal(await active(), '/etc');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.locator('#explorer .file-row[data-path="/app"]').getAttribute('aria-expanded'), 'true');
  await page.keyboard.press('ArrowRight');
  assert.equal(await active(), '/app/backup');
  assert.equal(await page.locator('#explorer .file-row[data-path="/app/backup"]').getAttribute('aria-level'), '2');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await active(), '/app');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.locator('#explorer .file-row[data-path="/app"]').getAttribute('aria-expanded'), 'false');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('#explorer .file-row[data-path="/app"]').getAttribute('aria-expanded'), 'true');
  assert.equal(await page.locator('#explorer .file-row.cursor').count(), 1);
  await page.locator('#explorer').screenshot({ path: shot('explorer-keyboard-dark') });
  await context.close();
});
