// End-to-end tests of the page layout in Chromium: what a dropped file produces (the analysis, or its error)
// shows on the first screen, and a phone-width page never scrolls sideways.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startForFile, openPage, shot, shared, notAnImage, waitForImage } from './support.mjs';

let server;
let browser;

startForFile((s, b) => ([server, browser] = [s, b]));

/** How far below the top of the first screen `selector` starts, and that screen's height. */
async function top(page, selector) {
  return page.evaluate((s) => ({ top: document.querySelector(s).getBoundingClientRect().top, height: innerHeight }), selector);
}

test('the result of a dropped file shows on the first screen, before the Dockerfile view', async () => {
  const { page, errors } = await openPage(browser, server.url);
  await waitForImage(page, 'layerlens/sample:1.0');
  const summary = await top(page, '#summary');
  assert.ok(summary.top < summary.height / 2, `the summary starts ${summary.top}px down`);
  const chart = await top(page, '#layer-chart');
  const editor = await top(page, '#dockerfile-text');
  assert.ok(chart.top < editor.top, 'the layer chart comes before the Dockerfile editor');

  await page.setInputFiles('#file-input', notAnImage());
  await page.waitForSelector('.error-panel');
  const error = await top(page, '.error-panel');
  assert.ok(error.top >= 0 && error.top < error.height / 2, `the error starts ${error.top}px down`);

  await page.click('a[href="#dockerfile-view"]');
  await page.waitForFunction(() => Math.abs(document.querySelector('#dockerfile-view').getBoundingClientRect().top) < 40);
  assert.deepEqual(errors, []);
  await page.close();
});

test('at phone width nothing is wider than the screen', async () => {
  const { page, errors } = await openPage(browser, server.url);
  await page.setViewportSize({ width: 400, height: 860 });
  const images = [['layerlens/sample:1.0', null]];
  const deletions = shared('deletions.tar');
  if (deletions) images.push(['fx/deletions:latest', deletions]);
  for (const [name, file] of images) {
    if (file) await page.setInputFiles('#file-input', file);
    await waitForImage(page, name);
    const widths = await page.evaluate(() => {
      const vw = document.documentElement.clientWidth;
      const wide = [...document.querySelectorAll('main *')]
        .filter((el) => el.getBoundingClientRect().right > vw + 1 && !el.closest('.table-scroll, .diff, .stage-graph, .editor, .virtual-list'))
        .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className}`);
      return { vw, scroll: document.documentElement.scrollWidth, wide: wide.slice(0, 10) };
    });
    assert.equal(widths.scroll, widths.vw, `${name}: the page scrolls sideways; too wide: ${widths.wide.join(', ')}`);
  }
  await page.screenshot({ path: shot('layout-narrow'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});
