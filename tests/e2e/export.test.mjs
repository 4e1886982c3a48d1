// End-to-end tests of the export bar: the JSON report, the Markdown summary and each chart as a standalone SVG,
// downloaded through Blob URLs under the page's Content-Security-Policy, with no request leaving the page.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startForFile, openPage, foreignRequests } from './support.mjs';

let server;
let browser;

startForFile((s, b) => ([server, browser] = [s, b]));

async function downloaded(page, selector) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(selector).click()]);
  assert.match(download.url(), /^blob:/, 'the file comes from a Blob URL, not the network');
  return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
}

/** Checks an SVG file stands alone: it parses, has the SVG namespace, no class or CSS variable left, and drawn shapes. */
async function checkStandalone(page, text) {
  assert.match(text, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.doesNotMatch(text, /var\(--/);
  assert.doesNotMatch(text, / class="/);
  return page.evaluate((svg) => {
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    const fills = [...doc.querySelectorAll('rect')].map((r) => r.getAttribute('style')?.match(/fill:([^;]+)/)?.[1]);
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      rects: doc.querySelectorAll('rect').length,
      texts: doc.querySelectorAll('text').length,
      background: doc.documentElement.firstElementChild.getAttribute('fill'),
      fills,
    };
  }, text);
}

for (const colorScheme of ['light', 'dark']) {
  test(`the report, the summary and the charts download as standalone files (${colorScheme})`, async () => {
    const { page, context, requests, errors } = await openPage(browser, server.url, { colorScheme });
    page.setDefaultTimeout(30_000);
    await page.waitForFunction(() => document.querySelector('#image-name')?.textContent === 'layerlens/sample:1.0', null, {
      timeout: 60_000,
    });

    const json = await downloaded(page, '#export-json');
    assert.equal(json.name, 'layerlens-sample-1.0.layerlens.json');
    const report = JSON.parse(json.text);
    assert.equal(report.schema_version, 1);
    assert.equal(report.layers.length, 6);
    assert.equal(report.image.tags[0], 'layerlens/sample:1.0');
    assert.equal(report.waste.hidden_bytes, 46369);
    assert.ok(report.recommendations.actions.length >= 1);

    const md = await downloaded(page, '#export-markdown');
    assert.equal(md.name, 'layerlens-sample-1.0.layerlens.md');
    assert.match(md.text, /^## layerlens: layerlens\/sample:1\.0\n/);
    assert.match(md.text, /### Layers\n\n\| # \| Content \|/);
    assert.match(md.text, /\| Hidden \(shipped, not visible\) \| 46\.4 kB \|/);

    const chart = await downloaded(page, '[data-export="layers"]');
    assert.equal(chart.name, 'layerlens-sample-1.0.layers.svg');
    const layers = await checkStandalone(page, chart.text);
    assert.equal(layers.error, null);
    assert.ok(layers.rects >= 6, `the layer chart has its bars: ${layers.rects}`);
    // The background and bar colours are the theme's, written out as concrete colours.
    const background = colorScheme === 'dark' ? 'rgb(15, 20, 25)' : 'rgb(246, 247, 249)';
    assert.equal(layers.background, background);
    assert.ok(layers.fills.some((f) => f && f.startsWith('rgb(')), `concrete fills: ${layers.fills}`);

    const treemap = await downloaded(page, '[data-export="treemap"]');
    const cells = await checkStandalone(page, treemap.text);
    assert.equal(cells.error, null);
    assert.ok(cells.rects > 1 && cells.texts > 0, JSON.stringify(cells));

    assert.match(await page.locator('.export-status').innerText(), /Treemap SVG downloaded/);
    assert.deepEqual(errors, []);
    assert.deepEqual(foreignRequests(requests, server.url), []);
    await context.close();
  });
}
