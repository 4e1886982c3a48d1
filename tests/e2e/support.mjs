// Shared pieces of the end-to-end tests: a static server for the built page, Chromium through playwright-core,
// a record of every request, and test inputs generated on the fly.

import { createServer } from 'node:http';
import { createReadStream, existsSync, mkdirSync, statSync, openSync, writeSync, closeSync } from 'node:fs';
import { randomFillSync, createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST = path.resolve(ROOT, process.env.LAYERLENS_DIST ?? 'dist');
export const SHOTS = path.join(ROOT, 'target', 'e2e');
export const SHARED_IMAGES = path.resolve(ROOT, '..', 'shared', 'fixtures', 'images');
export const SAMPLE = path.join(ROOT, 'www', 'samples', 'sample.tar');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.tar': 'application/x-tar',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

/** Serves DIST on 127.0.0.1 with an ephemeral port; resolves to { url, close }. */
export async function serveDist() {
  if (!existsSync(path.join(DIST, 'index.html'))) {
    throw new Error(`no built page at ${DIST}: run \`trunk build --release\` first (or set LAYERLENS_DIST)`);
  }
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    let file = path.normalize(path.join(DIST, decodeURIComponent(url.pathname)));
    if (!file.startsWith(DIST)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) };
}

/** Launches Debian's Chromium (never a downloaded one). */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Serves dist/ and launches Chromium once for the calling test file (node:test `before`), hands both to `set`, and
 * closes them when the file's tests are done (`after`).
 */
export function startForFile(set) {
  let server;
  let browser;
  before(async () => {
    server = await serveDist();
    browser = await launch();
    set(server, browser);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
}

/** Opens a page that records every request URL (pages and workers) into the returned `requests` array. */
export async function openPage(browser, url, { colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 900 } });
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  return { context, page, requests, errors };
}

/** Waits until the page shows the image named `name` (its analysis has arrived and rendered). */
export async function waitForImage(page, name) {
  await page.waitForFunction((n) => document.querySelector('#image-name')?.textContent === n, name, {
    timeout: 60_000,
  });
}

/** Text with the digit-group spaces of large numbers taken out ("100 002 rows" → "100002 rows"). */
export function ungrouped(text) {
  return text.replace(/(\d)\s(?=\d{3}\b)/g, '$1');
}

/** Requests that went anywhere but the local server (data: and blob: URLs stay in the page). */
export function foreignRequests(requests, base) {
  const origin = new URL(base).origin;
  return requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin);
}

export function shot(name) {
  mkdirSync(SHOTS, { recursive: true });
  return path.join(SHOTS, `${name}.png`);
}

export function shared(name) {
  const file = path.join(SHARED_IMAGES, name);
  if (!existsSync(file)) {
    console.log(`notice: ${file} is absent; skipping the part of the test that needs it`);
    return null;
  }
  return file;
}

/** A ustar header for a regular file (type '0') or another entry type; `name` must fit in 100 bytes. */
export function tarHeader(name, size, type = '0') {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write('14542200000\0', 136);
  h.write('        ', 148);
  h.write(type, 156);
  h.write('ustar\0' + '00', 257);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

/** The zero bytes that fill an entry of `size` bytes up to the next 512-byte block. */
export function pad(size) {
  return Buffer.alloc((512 - (size % 512)) % 512);
}

/**
 * Writes a docker-save archive with one layer holding one file of `megabytes` MiB of random bytes, so the
 * engine must read and hash every byte. Returns { file, contentBytes }.
 */
export function bigImage(megabytes) {
  const file = path.join(tmpdir(), `layerlens-e2e-big-${megabytes}.tar`);
  const contentBytes = megabytes << 20;
  if (existsSync(file)) return { file, contentBytes };
  const fd = openSync(file, 'w');
  const layerSize = 512 + contentBytes + pad(contentBytes).length + 1024;
  const hash = createHash('sha256');
  // The layer tar is written in place inside the outer tar; its digest is computed while writing.
  const config = (diffId) =>
    Buffer.from(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        rootfs: { type: 'layers', diff_ids: [`sha256:${diffId}`] },
        history: [{ created_by: `/bin/sh -c head -c ${contentBytes} /dev/urandom > /data.bin` }],
      }),
    );
  writeSync(fd, tarHeader('layer/layer.tar', layerSize));
  const inner = tarHeader('data.bin', contentBytes);
  writeSync(fd, inner);
  hash.update(inner);
  const chunk = Buffer.alloc(4 << 20);
  for (let done = 0; done < contentBytes; done += chunk.length) {
    randomFillSync(chunk);
    writeSync(fd, chunk);
    hash.update(chunk);
  }
  const tail = Buffer.concat([pad(contentBytes), Buffer.alloc(1024)]);
  writeSync(fd, tail);
  hash.update(tail);
  writeSync(fd, pad(layerSize));
  const cfg = config(hash.digest('hex'));
  writeSync(fd, tarHeader('config.json', cfg.length));
  writeSync(fd, Buffer.concat([cfg, pad(cfg.length)]));
  const manifest = Buffer.from(
    JSON.stringify([{ Config: 'config.json', RepoTags: ['e2e/big:latest'], Layers: ['layer/layer.tar'] }]),
  );
  writeSync(fd, tarHeader('manifest.json', manifest.length));
  writeSync(fd, Buffer.concat([manifest, pad(manifest.length), Buffer.alloc(1024)]));
  closeSync(fd);
  return { file, contentBytes };
}

/** Writes a tar archive that holds only a README: a valid tar, but not an image. */
export function notAnImage() {
  const file = path.join(tmpdir(), 'layerlens-e2e-readme.tar');
  const text = Buffer.from('# Notes\n\nThis archive holds documentation, not a container image.\n');
  const fd = openSync(file, 'w');
  writeSync(fd, tarHeader('README.md', text.length));
  writeSync(fd, Buffer.concat([text, pad(text.length), Buffer.alloc(1024)]));
  closeSync(fd);
  return file;
}

/**
 * Writes a docker-save archive `name` (in the temp folder) tagged `tag` whose layers hold the given entries, base
 * first. An entry is { path, size } for a regular file (its bytes derived from the path and `seed`, so the same
 * entry gives the same content) or { path, type: '5' } for a directory. Returns the archive's path.
 */
export function layeredImage(name, tag, layers) {
  const file = path.join(tmpdir(), name);
  const fd = openSync(file, 'w');
  const diffIds = [];
  const names = [];
  layers.forEach((entries, index) => {
    const parts = [];
    for (const e of entries) {
      if (e.type === '5') {
        parts.push(tarHeader(e.path.endsWith('/') ? e.path : `${e.path}/`, 0, '5'));
        continue;
      }
      const body = Buffer.alloc(e.size, `${e.seed ?? 0}:${e.path}\n`);
      parts.push(tarHeader(e.path, e.size), body, pad(e.size));
    }
    parts.push(Buffer.alloc(1024));
    const layer = Buffer.concat(parts);
    diffIds.push(`sha256:${createHash('sha256').update(layer).digest('hex')}`);
    const entry = `layer${index}/layer.tar`;
    names.push(entry);
    writeSync(fd, tarHeader(entry, layer.length));
    writeSync(fd, layer);
    writeSync(fd, pad(layer.length));
  });
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: layers.map((_, i) => ({ created_by: `/bin/sh -c generate layer ${i}` })),
    }),
  );
  writeSync(fd, tarHeader('config.json', config.length));
  writeSync(fd, Buffer.concat([config, pad(config.length)]));
  const manifest = Buffer.from(JSON.stringify([{ Config: 'config.json', RepoTags: [tag], Layers: names }]));
  writeSync(fd, tarHeader('manifest.json', manifest.length));
  writeSync(fd, Buffer.concat([manifest, pad(manifest.length), Buffer.alloc(1024)]));
  closeSync(fd);
  return file;
}
