// End-to-end tests of the recommendations in the built page: the base-image comparison chart draws a bar for
// every catalogued base in one named measure (light and dark), and a pasted Dockerfile gets its rewrites as a
// diff with a working copy button (and a clear message when the clipboard is unavailable).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startForFile, openPage, foreignRequests, shot, tarHeader, pad, waitForImage } from './support.mjs';

let server;
let browser;

startForFile((s, b) => ([server, browser] = [s, b]));

/** A tar archive of `entries` ([name, Buffer]) with its end-of-archive blocks. */
function tar(entries) {
  const parts = [];
  for (const [name, data] of entries) parts.push(tarHeader(name, data.length), data, pad(data.length));
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/**
 * A docker-save archive of a Debian 12 image: a base layer with the OS files and Debian's base marker in the
 * history, and an application layer. The recommendations match it to debian:bookworm and list its alternatives.
 */
function debianImage() {
  const base = tar([
    ['etc/os-release', Buffer.from('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n')],
    ['etc/debian_version', Buffer.from('12.7\n')],
    ['bin/sh', Buffer.from('#!shell\n')],
  ]);
  const app = tar([['app/server.js', Buffer.alloc(200_000, 'x')]]);
  const diffId = (b) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: ['node', '/app/server.js'], WorkingDir: '/app' },
      rootfs: { type: 'layers', diff_ids: [diffId(base), diffId(app)] },
      history: [
        { created_by: "RUN # debian.sh --arch 'amd64' out/ 'bookworm' '@1785715200'" },
        { created_by: 'COPY server.js /app/ # buildkit' },
      ],
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify([{ Config: 'config.json', RepoTags: ['e2e/debian-app:1'], Layers: ['base/layer.tar', 'app/layer.tar'] }]),
  );
  const file = path.join(tmpdir(), 'layerlens-e2e-debian-app.tar');
  writeFileSync(
    file,
    tar([
      ['base/layer.tar', base],
      ['app/layer.tar', app],
      ['config.json', config],
      ['manifest.json', manifest],
    ]),
  );
  return file;
}

// The article's vanilla Node.js Dockerfile.
const ARTICLE = 'FROM node:8\n\nEXPOSE 3000\n\nWORKDIR /app\nCOPY package.json index.js ./\nRUN npm install\n\nCMD ["npm", "start"]\n';

test('the base-image chart draws a bar for every catalogued base, in one measure, light and dark', async () => {
  const file = debianImage();
  for (const colorScheme of ['light', 'dark']) {
    const { page, context, requests, errors } = await openPage(browser, server.url, { colorScheme });
    page.setDefaultTimeout(30_000);
    await waitForImage(page, 'layerlens/sample:1.0');
    await page.setInputFiles('#file-input', file);
    await waitForImage(page, 'e2e/debian-app:1');
    const rows = await page.evaluate(() =>
      [...document.querySelectorAll('#recommendations .alt-chart g.alt-bar')].map((g) => ({
        image: g.dataset.image,
        bytes: g.dataset.bytes ? Number(g.dataset.bytes) : null,
        width: g.querySelector('rect') ? Number(g.querySelector('rect').getAttribute('width')) : null,
        current: g.classList.contains('current'),
        label: g.querySelector('.alt-size').textContent,
      })),
    );
    assert.ok(rows.length >= 4, JSON.stringify(rows));
    const drawn = rows.filter((r) => r.width !== null);
    assert.ok(drawn.length >= 4, `at least four bars: ${JSON.stringify(rows)}`);
    // Every row with a size in the chosen measure has a bar, and bar widths follow the sizes.
    for (const r of rows) assert.equal(r.width !== null, r.bytes !== null, JSON.stringify(r));
    const largest = Math.max(...drawn.map((r) => r.bytes));
    const widest = Math.max(...drawn.map((r) => r.width));
    for (const r of drawn) assert.ok(Math.abs(r.width - (widest * r.bytes) / largest) < 1e-6, JSON.stringify(r));
    assert.equal(rows.filter((r) => r.current).length, 1, JSON.stringify(rows));
    const measure = await page.locator('#recommendations .alt-caption').getAttribute('data-measure');
    const unit = measure === 'OnDisk' ? 'on disk' : 'compressed';
    for (const r of drawn) assert.ok(r.label.endsWith(unit), `${r.label} names the ${measure} measure`);
    assert.match(await page.locator('#recommendations .alt-caption').innerText(), /^Bars: /);
    assert.ok(rows.some((r) => r.image === 'alpine:3.24'), JSON.stringify(rows));
    await page.locator('#recommendations').screenshot({ path: shot(`recommend-chart-${colorScheme}`) });
    assert.deepEqual(errors, []);
    assert.deepEqual(foreignRequests(requests, server.url), []);
    await context.close();
  }
});

test('a pasted Dockerfile gets its rewrites as a diff with a copy button', async () => {
  const { page, context, errors } = await openPage(browser, server.url);
  page.setDefaultTimeout(30_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
  await page.fill('#dockerfile-text', ARTICLE);
  await page.waitForFunction(() => document.querySelectorAll('#rewrite .rewrite-tab').length === 3);
  const tabs = await page.locator('#rewrite .rewrite-tab').allInnerTexts();
  assert.match(tabs[0], /^multi-stage build/);
  assert.match(tabs[1], /^distroless final stage/);
  assert.match(tabs[2], /^alpine final stage \(node:8-alpine\)/);

  // The multi-stage rewrite keeps the user's instructions in a build stage and adds a clean final stage.
  const lines = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('#rewrite .diff-line')].map((l) => ({
        kind: [...l.classList].find((c) => c !== 'diff-line'),
        mark: l.querySelector('.diff-mark').textContent,
        said: l.querySelector('.visually-hidden')?.textContent ?? '',
        text: l.textContent.replace(/\n$/, ''),
      })),
    );
  let diff = await lines();
  const removed = diff.filter((l) => l.kind === 'removed');
  const added = diff.filter((l) => l.kind === 'added');
  assert.ok(removed.some((l) => l.text.endsWith('FROM node:8')), JSON.stringify(diff));
  assert.ok(added.some((l) => l.text.endsWith('FROM node:8 AS build')), JSON.stringify(diff));
  for (const l of added) assert.deepEqual([l.mark, l.said], ['+', 'added: ']);
  for (const l of removed) assert.deepEqual([l.mark, l.said], ['−', 'removed: ']);
  assert.ok(diff.some((l) => l.kind === 'kept' && l.text.includes('RUN npm install')), JSON.stringify(diff));

  // The distroless tab shows its own diff; copying puts the whole rewritten file on the clipboard.
  await page.locator('#rewrite .rewrite-tab').nth(1).click();
  await page.waitForFunction(() => document.querySelector('#rewrite-panel')?.dataset.rewrite === 'distroless');
  diff = await lines();
  assert.ok(diff.some((l) => l.kind === 'added' && /FROM gcr\.io\/distroless\/nodejs\d+/.test(l.text)), JSON.stringify(diff));
  await page.locator('#rewrite .copy-rewrite').click();
  await page.waitForSelector('#rewrite .copy-status.ok');
  assert.match(await page.locator('#rewrite .copy-status').innerText(), /^Copied the rewritten Dockerfile \(\d+ lines\)\.$/);
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(copied, /^FROM node:8 AS build$/m);
  assert.match(copied, /^FROM gcr\.io\/distroless\/nodejs\d+/m);
  assert.match(copied, /^RUN npm install$/m);
  await page.locator('#rewrite').screenshot({ path: shot('recommend-rewrite') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('copying without a clipboard says so instead of failing silently', async () => {
  const { page, context, errors } = await openPage(browser, server.url);
  page.setDefaultTimeout(30_000);
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined }));
  await page.reload();
  await page.fill('#dockerfile-text', ARTICLE);
  await page.waitForFunction(() => document.querySelectorAll('#rewrite .rewrite-tab').length === 3);
  await page.locator('#rewrite .copy-rewrite').click();
  await page.waitForSelector('#rewrite .copy-status.warning');
  assert.match(await page.locator('#rewrite .copy-status').innerText(), /clipboard is not available/);
  assert.deepEqual(errors, []);
  await context.close();
});
