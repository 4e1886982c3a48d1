// End-to-end test of the Dockerfile's size estimate: the built-in sample Dockerfile gets its estimate on load, and a
// pasted Python Dockerfile shows its base with the catalog's size, the parts whose size cannot be known, and each
// rewrite's base as bars in one measure (light and dark) and in a table; a base outside the catalog is named so.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startForFile, openPage, foreignRequests, shot } from './support.mjs';

let server;
let browser;

startForFile((s, b) => ([server, browser] = [s, b]));

const PYTHON = [
  'FROM python:3.12',
  'WORKDIR /app',
  'COPY requirements.txt .',
  'RUN pip install -r requirements.txt',
  'COPY . .',
  'CMD ["python", "app.py"]',
  '',
].join('\n');

const estimateFor = (page, base) =>
  page.waitForFunction((b) => document.querySelector('#estimate .estimate-base')?.dataset.base === b, base);

test('a pasted Python Dockerfile shows its base size and each rewrite base as bars, light and dark', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, context, requests, errors } = await openPage(browser, server.url, { colorScheme });
    page.setDefaultTimeout(30_000);
    // The built-in sample Dockerfile builds on scratch: no base bytes, and its instructions are the unknown parts.
    await estimateFor(page, 'scratch');
    assert.equal(
      await page.locator('#estimate .estimate-base').innerText(),
      'Your base scratch is 0 B on disk, 0 B compressed.',
    );
    assert.ok((await page.locator('#estimate .estimate-unknown li').count()) >= 5);

    await page.fill('#dockerfile-text', PYTHON);
    await estimateFor(page, 'python:3.12');
    const base = page.locator('#estimate .estimate-base');
    assert.equal(await base.innerText(), 'Your base python:3.12 is 411 MB compressed (on-disk size not catalogued).');
    assert.equal(await base.getAttribute('data-compressed'), '410908459');
    assert.match(await page.locator('#estimate .estimate-row').innerText(), /^Catalog row python:3\.12 — debian 13 \(trixie\); C library: glibc; shell: yes/);
    const unknown = await page.locator('#estimate .estimate-unknown li').allInnerTexts();
    assert.equal(unknown.length, 3, JSON.stringify(unknown));
    assert.ok(unknown.every((u) => !u.includes('catalog')), JSON.stringify(unknown));
    assert.ok(unknown.some((u) => u.startsWith('line 4: RUN pip install -r requirements.txt — its output depends')), JSON.stringify(unknown));

    // One bar per base in one measure, widths to scale; the distroless base has no catalogued size and no bar.
    assert.equal(await page.locator('#estimate .estimate-caption').getAttribute('data-measure'), 'compressed');
    const rows = await page.$$eval('#estimate .estimate-chart g.alt-bar', (gs) =>
      gs.map((g) => ({
        image: g.dataset.image,
        bytes: g.dataset.bytes ? Number(g.dataset.bytes) : null,
        width: g.querySelector('rect') ? g.querySelector('rect').getBBox().width : null,
        current: g.classList.contains('current'),
        label: g.querySelector('.alt-size').textContent,
      })),
    );
    assert.deepEqual(
      rows.map((r) => [r.image, r.label, r.current]),
      [
        ['python:3.12', '411 MB compressed', true],
        ['python:3.12-slim', '43 MB compressed', false],
        ['gcr.io/distroless/python3-debian13:latest', 'size not catalogued', false],
        ['python:3.12-alpine', '18 MB compressed', false],
      ],
    );
    for (const r of rows) assert.equal(r.width !== null, r.bytes !== null, JSON.stringify(r));
    const drawn = rows.filter((r) => r.width !== null);
    for (const r of drawn) assert.ok(Math.abs(r.width - (drawn[0].width * r.bytes) / drawn[0].bytes) < 0.01, JSON.stringify(r));
    // The bars are visible: the base's bar is wider than the rewrites' and filled in a colour, not transparent.
    const fill = await page.locator('#estimate .estimate-chart g.current rect').evaluate((r) => getComputedStyle(r).fill);
    assert.notEqual(fill, 'none');
    assert.notEqual(fill, 'rgba(0, 0, 0, 0)');

    // The table says the same in words, with the catalog's facts and the core's trade-offs under each base.
    const table = await page.locator('#estimate .estimate-table tbody').allInnerTexts();
    assert.equal(table.length, 4, JSON.stringify(table));
    assert.match(table[1], /python:3\.12-slim[\s\S]*not catalogued\s+43 MB\s+Catalog: debian 13 \(trixie\); C library: glibc/);
    assert.match(table[2], /distroless has no shell and no package manager/);
    assert.match(table[3], /alpine uses musl/);

    await page.locator('#estimate').screenshot({ path: shot(`estimate-${colorScheme}`) });
    assert.deepEqual(errors, []);
    assert.deepEqual(foreignRequests(requests, server.url), []);
    await context.close();
  }
});

test('at phone width the estimate of a Python Dockerfile is no wider than the screen', async () => {
  const { page, context, errors } = await openPage(browser, server.url);
  page.setDefaultTimeout(30_000);
  await page.setViewportSize({ width: 400, height: 860 });
  await estimateFor(page, 'scratch');
  await page.fill('#dockerfile-text', PYTHON);
  await estimateFor(page, 'python:3.12');
  await page.waitForSelector('#estimate .estimate-chart');
  const widths = await page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('#estimate *')]
      .filter((el) => el.getBoundingClientRect().right > vw + 1 && !el.closest('.table-scroll'))
      .map((el) => `${el.tagName.toLowerCase()}.${el.className?.baseVal ?? el.className}`);
    return { vw, scroll: document.documentElement.scrollWidth, wide: wide.slice(0, 10) };
  });
  assert.deepEqual(widths.wide, []);
  assert.equal(widths.scroll, widths.vw);
  await page.locator('#estimate').screenshot({ path: shot('estimate-narrow') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a base outside the catalog is named as such', async () => {
  const { page, context, errors } = await openPage(browser, server.url);
  page.setDefaultTimeout(30_000);
  await estimateFor(page, 'scratch');
  await page.fill('#dockerfile-text', 'FROM python:3.12-custom\nRUN pip install flask\n');
  await estimateFor(page, 'python:3.12-custom');
  assert.equal(
    await page.locator('#estimate .estimate-base').innerText(),
    'python:3.12-custom is not in the base-image catalog, so its size is unknown.',
  );
  // The rewrites take the official variants of its version line, which the catalog sizes.
  assert.equal(await page.locator('#estimate .estimate-chart').count(), 1);
  assert.match(await page.locator('#estimate tbody[data-base="python:3.12-custom"]').innerText(), /not catalogued/);
  assert.match(await page.locator('#estimate tbody[data-base="python:3.12-slim"]').innerText(), /43 MB/);
  assert.deepEqual(errors, []);
  await context.close();
});
