// The same page in Firefox: Debian's firefox-esr driven by puppeteer-core over WebDriver BiDi. Chromium runs
// the full suite; this proves the parts that differ most between engines (module workers, Blob reads with
// FileReaderSync, SVG charts, the live-lint worker) work in Gecko too.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import puppeteer from 'puppeteer-core';
import { serveDist, foreignRequests, shot, shared } from './support.mjs';

const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';

let server;
let browser;

before(async () => {
  if (!existsSync(FIREFOX)) throw new Error(`${FIREFOX} is missing: run \`cargo xtask test\`, which installs firefox-esr`);
  server = await serveDist();
  browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function fresh() {
  const page = await browser.newPage();
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.setDefaultTimeout(60_000);
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(server.url);
  return { page, requests, errors };
}

async function waitForImage(page, name) {
  await page.waitForFunction((n) => document.querySelector('#image-name')?.textContent === n, {}, name);
}

async function statBytes(page, label) {
  return page.$$eval(
    '#summary .stat',
    (divs, l) => {
      const div = divs.find((d) => d.querySelector('dt').textContent === l);
      return div ? Number(div.querySelector('dd').dataset.bytes) : null;
    },
    label,
  );
}

test('Firefox: the sample on load, a dropped tarball, and live lint', async () => {
  const { page, requests, errors } = await fresh();
  await waitForImage(page, 'layerlens/sample:1.0');
  assert.equal((await page.$$('#layer-chart .layer-bar')).length, 6);
  assert.equal(await statBytes(page, 'Hidden bytes'), 46369);
  await page.screenshot({ path: shot('firefox-sample'), fullPage: true });

  const deletions = shared('deletions.tar');
  if (deletions) {
    const input = await page.$('#file-input');
    await input.uploadFile(deletions);
    await waitForImage(page, 'fx/deletions:latest');
    assert.equal(await statBytes(page, 'Hidden bytes'), 15000);
    await page.screenshot({ path: shot('firefox-deletions'), fullPage: true });
  }

  await page.$eval('#dockerfile-text', (t) => {
    t.value = 'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n';
    t.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await page.waitForFunction(() => document.querySelector('#findings')?.textContent.includes('LL1009'));

  assert.deepEqual(errors, []);
  assert.deepEqual(foreignRequests(requests, server.url), []);
  await page.close();
});
