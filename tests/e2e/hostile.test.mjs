// End-to-end test of the page against hostile content: an image whose file names, history commands and tag are
// HTML and JavaScript, and a Dockerfile that holds some too. Everything must show as literal text, nothing may run,
// and the page's strict Content-Security-Policy must not block anything during normal use.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startForFile, openPage, tarHeader, pad, ROOT } from './support.mjs';

const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT_DIR = '<script>window.__pwned=2<';
const SCRIPT_FILE = 'script>';
const ATTR = 'x" onmouseover="window.__pwned=3';
const SVG_COMMAND = "echo '<svg onload=window.__pwned=4>'";
const CMD_SCRIPT = '<script>window.__pwned=7</script>';
const TAG = '<b>bold</b>:latest';
const DOCKERFILE = 'FROM alpine\nRUN echo "<img src=x onerror=window.__pwned=5>"\n';

/** A tar stream of `[name, text]` files followed by the end-of-archive blocks. */
function tar(files) {
  const parts = [];
  for (const [name, text] of files) {
    const body = Buffer.from(text);
    parts.push(tarHeader(name, body.length), body, pad(body.length));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** Writes the hostile docker-save archive and returns its path. */
function hostileImage() {
  const layer = tar([
    [IMG, 'one\n'],
    [`${SCRIPT_DIR}/${SCRIPT_FILE}`, 'two\n'],
    [ATTR, 'three\n'],
  ]);
  const diffId = createHash('sha256').update(layer).digest('hex');
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: { Cmd: [CMD_SCRIPT] },
    rootfs: { type: 'layers', diff_ids: [`sha256:${diffId}`] },
    history: [
      { created_by: `/bin/sh -c ${SVG_COMMAND}` },
      { created_by: `/bin/sh -c #(nop)  CMD ["${CMD_SCRIPT}"]`, empty_layer: true },
    ],
  });
  const manifest = JSON.stringify([{ Config: 'config.json', RepoTags: [TAG], Layers: ['layer/layer.tar'] }]);
  const file = path.join(tmpdir(), 'layerlens-e2e-hostile.tar');
  writeFileSync(file, tar([['layer/layer.tar', layer], ['config.json', config], ['manifest.json', manifest]]));
  return file;
}

let server;
let browser;

startForFile((s, b) => ([server, browser] = [s, b]));

test('HTML and JavaScript in names, commands, tags and Dockerfiles show as text and never run', async () => {
  const { page, context, errors } = await openPage(browser, 'about:blank');
  page.setDefaultTimeout(30_000);
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  const cspConsole = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) cspConsole.push(m.text());
  });
  // Registered before any page script runs, so every violation of the page's policy is counted.
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`),
    );
  });
  await page.goto(server.url);
  await page.waitForFunction(() => document.querySelector('#image-name')?.textContent === 'layerlens/sample:1.0', null, {
    timeout: 60_000,
  });

  await page.setInputFiles('#file-input', hostileImage());
  await page.waitForFunction(() => document.querySelector('#image-name')?.textContent.includes('bold'), null, {
    timeout: 60_000,
  });
  assert.equal(await page.locator('#image-name').textContent(), TAG);
  assert.equal(await page.locator('#image-name b').count(), 0, 'the tag is not markup');

  // The file names, as literal text in the explorer.
  const rowPaths = () => page.$$eval('#explorer .file-row', (rows) => rows.map((r) => r.dataset.path));
  assert.deepEqual((await rowPaths()).sort(), [`/${IMG}`, `/${SCRIPT_DIR}`, `/${ATTR}`].sort());
  await page.locator(`#explorer [aria-label="Expand /${SCRIPT_DIR}"]`).click();
  assert.ok((await rowPaths()).includes(`/${SCRIPT_DIR}/${SCRIPT_FILE}`), String(await rowPaths()));
  for (const name of [IMG, SCRIPT_DIR, SCRIPT_FILE, ATTR]) {
    const cell = page.locator('#explorer .file-row .mono').getByText(name, { exact: true });
    assert.equal(await cell.count(), 1, `${name} is shown as text`);
  }
  for (const row of await page.locator('#explorer .file-row').all()) await row.hover();

  // The history commands, as literal text in the layer table, with the layer selected.
  await page.locator('#layer-chart [data-layer="0"]').click();
  const history = await page.locator('#layer-table').innerText();
  assert.ok(history.includes(SVG_COMMAND), history);
  assert.ok(history.includes(CMD_SCRIPT), history);
  for (const row of await page.locator('#layer-table tbody tr').all()) await row.hover();

  // A Dockerfile with markup in a command is linted and shown as text.
  await page.fill('#dockerfile-text', DOCKERFILE);
  await page.waitForFunction(() => document.querySelectorAll('#findings li').length > 0);
  assert.equal(await page.locator('#dockerfile-text').inputValue(), DOCKERFILE);

  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no injected script ran');
  assert.equal(await page.locator('img[src=x], svg[onload], [onerror], [onmouseover], b').count(), 0);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(errors, []);
  assert.deepEqual(await page.evaluate(() => window.__violations), [], 'the policy blocked nothing the page needs');
  assert.deepEqual(cspConsole, []);
  await context.close();
});

test('the page carries a strict Content-Security-Policy', async () => {
  const { page, context } = await openPage(browser, server.url);
  const policy = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  const directives = Object.fromEntries(
    policy.split(';').map((d) => {
      const [name, ...sources] = d.trim().split(/\s+/);
      return [name, sources];
    }),
  );
  assert.deepEqual(directives['object-src'], ["'none'"]);
  assert.deepEqual(directives['connect-src'], ["'self'"]);
  assert.deepEqual(directives['base-uri'], ["'none'"]);
  const scripts = directives['script-src'];
  assert.ok(!scripts.includes("'unsafe-inline'") && !scripts.includes("'unsafe-eval'"), policy);
  assert.ok(scripts.every((s) => ["'self'", "'wasm-unsafe-eval'"].includes(s) || /^'sha256-[A-Za-z0-9+/]+=*'$/.test(s)));
  // Every inline script on the page is one the policy allows by hash.
  const inline = await page.$$eval('script:not([src])', (s) => s.map((e) => e.textContent));
  for (const text of inline) {
    const hash = `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    assert.ok(scripts.includes(hash), `${hash} allows ${text.slice(0, 60)}`);
  }
  await context.close();
});

test('the app source never turns text into markup or code', () => {
  // Yew escapes text children and attribute values; these are the ways around that.
  const forbidden = /from_html_unchecked|inner_html|outer_html|insert_adjacent_html|document_write|\beval\b|js_sys::Function|new_with_args/;
  const files = readdirSync(path.join(ROOT, 'src'), { recursive: true }).filter((f) => f.endsWith('.rs'));
  assert.ok(files.length > 10, 'the app sources were found');
  const hits = files.flatMap((f) =>
    readFileSync(path.join(ROOT, 'src', f), 'utf8')
      .split('\n')
      .map((line, i) => [`src/${f}:${i + 1}`, line])
      .filter(([, line]) => forbidden.test(line))
      .map(([at, line]) => `${at}: ${line.trim()}`),
  );
  assert.deepEqual(hits, []);
});
