// The four ways layerlens is delivered, each end to end in Chromium: the static site under a sub-path, the PWA
// offline, the single file from file://, and a docs page embedding it (iframe, custom element, share link).
// Needs the output of `cargo xtask dist` (LAYERLENS_DIST, default dist/).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST, ROOT, bigImage, foreignRequests, launch, openPage, shot } from './support.mjs';

const SUB = '/some/sub/path/';
const DOCS = path.join(ROOT, 'docs', 'examples');
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.tar': 'application/x-tar',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json',
};

/** Serves folders at URL prefixes (longest prefix wins) on 127.0.0.1; records every path asked for. */
async function serveMounts(mounts) {
  const asked = [];
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://localhost');
    asked.push(pathname);
    const prefix = Object.keys(mounts)
      .filter((p) => pathname.startsWith(p))
      .sort((a, b) => b.length - a.length)[0];
    if (!prefix) return res.writeHead(404).end('not found');
    const dir = mounts[prefix];
    let file = path.normalize(path.join(dir, decodeURIComponent(pathname.slice(prefix.length))));
    if (!file.startsWith(dir)) return res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!existsSync(file)) return res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, asked, close: () => new Promise((r) => server.close(r)) };
}

let browser;
let server;
const recorded = [];
// bigImage writes whole 4 MiB chunks, so its size must be a multiple of 4.
const BIG = bigImage(4);

before(async () => {
  for (const file of ['index.html', 'embed.html', 'layerlens.html', 'layerlens-embed.js', 'sw.js']) {
    if (!existsSync(path.join(DIST, file))) throw new Error(`${DIST}/${file} is missing: run \`cargo xtask dist\` first`);
  }
  server = await serveMounts({ [SUB]: DIST, '/docs/': DOCS, '/docs/layerlens/': DIST });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function fresh(url, options) {
  const opened = await openPage(browser, url, options);
  opened.page.setDefaultTimeout(30_000);
  recorded.push({ base: url, requests: opened.requests });
  return opened;
}

async function imageName(page, name) {
  await page.waitForFunction((n) => document.querySelector('#image-name')?.textContent === n, name, { timeout: 60_000 });
}

async function analyseBig(page) {
  await page.setInputFiles('#file-input', BIG.file);
  await imageName(page, 'e2e/big:latest');
  const bytes = await page.evaluate(() => {
    for (const div of document.querySelectorAll('#summary .stat')) {
      if (div.querySelector('dt').textContent === 'Image size') return Number(div.querySelector('dd').dataset.bytes);
    }
    return null;
  });
  assert.equal(bytes, BIG.contentBytes);
}

test('the static site works under a sub-path, with every request inside it', async () => {
  const { page, context, errors } = await fresh(server.url + SUB);
  await imageName(page, 'layerlens/sample:1.0');
  await analyseBig(page);
  await page.screenshot({ path: shot('delivery-subpath'), fullPage: true });
  const outside = server.asked.filter((p) => !p.startsWith(SUB));
  assert.deepEqual(outside, [], 'the app asked for nothing outside its sub-path');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the PWA caches every asset, then loads and analyses offline', async () => {
  const { page, context } = await fresh(server.url + SUB);
  await imageName(page, 'layerlens/sample:1.0');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  const sw = readFileSync(path.join(DIST, 'sw.js'), 'utf8');
  const listed = JSON.parse(/const ASSETS = (\[.*\]);/.exec(sw)[1]);
  const cached = await page.evaluate(async () => {
    const keys = await caches.keys();
    const cache = await caches.open(keys.find((k) => k.startsWith('layerlens-')));
    return (await cache.keys()).map((r) => new URL(r.url).pathname);
  });
  assert.ok(listed.includes('embed.html') && listed.some((a) => a.endsWith('_bg.wasm')), 'hashed assets are listed');
  assert.equal(cached.length, listed.length, 'every listed asset is cached');

  await context.setOffline(true);
  const before = server.asked.length;
  await page.reload();
  await imageName(page, 'layerlens/sample:1.0');
  await analyseBig(page);
  assert.equal(server.asked.length, before, 'nothing reached the server while offline');
  await page.screenshot({ path: shot('delivery-offline'), fullPage: true });
  await context.close();
});

test('layerlens.html analyses a tarball when opened from file://', async () => {
  const url = pathToFileURL(path.join(DIST, 'layerlens.html')).href;
  const { page, context, requests, errors } = await fresh(url);
  await imageName(page, 'layerlens/sample:1.0');
  await analyseBig(page);
  await page.screenshot({ path: shot('delivery-single-file'), fullPage: true });
  assert.deepEqual(errors, []);
  const network = requests.filter((u) => !/^(file|blob|data):/.test(u));
  assert.deepEqual(network, [], 'the single file makes no network request');
  await context.close();
});

test('a docs page embeds by iframe, custom element and share link', async () => {
  const { page, context, errors } = await fresh(server.url + '/docs/');
  const frame = page.frameLocator('#ll-frame');
  await frame.locator('.ll-dockerfile').waitFor();
  const rules = await frame.locator('.ll-finding').evaluateAll((els) => els.map((e) => e.dataset.rule));
  for (const rule of ['LL1001', 'LL1009', 'LL1012']) assert.ok(rules.includes(rule), `${rule} in ${rules}`);
  assert.match(await frame.locator('.ll-line[data-line="3"]').innerText(), /toolchain|gcc/);

  // The iframe grew to its content through postMessage.
  await page.waitForFunction(() => parseInt(document.getElementById('ll-frame').style.height, 10) > 200);
  const [outer, inner] = await Promise.all([
    page.evaluate(() => document.getElementById('ll-frame').getBoundingClientRect().height),
    frame.locator('html').evaluate((e) => e.getBoundingClientRect().height),
  ]);
  assert.ok(Math.abs(outer - inner) <= 2, `iframe ${outer}px for content ${inner}px`);

  // The tarball embed analyses the site's own sample in its worker.
  const tarFrame = page.frameLocator('#ll-tar-frame');
  await tarFrame.locator('#image-name').waitFor({ timeout: 60_000 });
  assert.equal(await tarFrame.locator('#image-name').innerText(), 'layerlens/sample:1.0');

  // The custom elements render in shadow roots, untouched by the page's CSS and not touching it.
  const element = page.locator('#ll-element .ll-dockerfile');
  await element.waitFor();
  const elementRules = await page.locator('#ll-element .ll-finding').evaluateAll((els) => els.map((e) => e.dataset.rule));
  assert.deepEqual(elementRules, rules, 'the element and the iframe show the same findings');
  await page.locator('#ll-attribute .ll-finding').first().waitFor();
  const styles = await page.evaluate(() => {
    const view = document.getElementById('ll-element');
    const line = view.shadowRoot.querySelector('.ll-line');
    return {
      inShadow: !!view.shadowRoot && !document.querySelector('.ll-line'),
      lineColor: getComputedStyle(line).color,
      outsideOutline: getComputedStyle(document.getElementById('outside')).outlineStyle,
      embedBorder: getComputedStyle(view.shadowRoot.querySelector('.ll-embed')).borderTopStyle,
    };
  });
  assert.ok(styles.inShadow, 'the view lives in the shadow root');
  assert.notEqual(styles.lineColor, 'rgb(255, 0, 0)', "the page's li colour does not leak in");
  assert.equal(styles.outsideOutline, 'dotted', "the page's own .ll-embed rule still applies outside");
  assert.equal(styles.embedBorder, 'solid', "the view's own styles apply inside");
  await page.screenshot({ path: shot('delivery-docs-light'), fullPage: true });

  // The page's theme reaches the iframe (postMessage) and the element (theme attribute).
  await page.click('#theme');
  await page.waitForFunction(() => document.getElementById('ll-frame').contentDocument?.documentElement.dataset.theme === 'dark');
  const darkBg = await page.evaluate(() => {
    const view = document.getElementById('ll-element');
    return getComputedStyle(view.shadowRoot.querySelector('.ll-embed')).backgroundColor;
  });
  assert.equal(darkBg, 'rgb(23, 28, 35)', 'the element follows the dark theme');
  await page.screenshot({ path: shot('delivery-docs-dark'), fullPage: true });

  // The share link opens the full app with the Dockerfile.
  await page.click('#ll-share');
  await page.waitForFunction(() => document.querySelector('#dockerfile-text')?.value.startsWith('FROM python:3.12'));
  const text = await page.inputValue('#dockerfile-text');
  assert.equal(text, 'FROM python:3.12\nRUN apt-get update\nRUN apt-get install -y gcc\nCOPY . /app\nCMD python /app/main.py\n');
  await page.screenshot({ path: shot('delivery-share-link'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('no delivery mode made a request to any host but its own origin', () => {
  const http = recorded.filter((r) => r.base.startsWith('http'));
  assert.ok(http.flatMap((r) => r.requests).length > 10, 'requests were recorded');
  const foreign = http.flatMap((r) => foreignRequests(r.requests, r.base));
  assert.deepEqual(foreign, []);
});
