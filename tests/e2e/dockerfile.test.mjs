// End-to-end test of the stage graph beside the Dockerfile editor: pasting a multi-stage Dockerfile draws its
// stages, images and dependencies as SVG, marks the unused stage in words, and lists the same in a table.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startForFile, openPage, foreignRequests, shot } from './support.mjs';

let server;
let browser;

startForFile((s, b) => ([server, browser] = [s, b]));

const MULTI = [
  'FROM golang:1.26 AS build',
  'RUN go build -o /app',
  'FROM alpine:3.22 AS tools',
  'RUN apk add --no-cache curl',
  'FROM build AS test',
  'RUN go test',
  'FROM scratch',
  'COPY --from=build /app /app',
  'RUN --mount=from=tools,target=/t true',
  '',
].join('\n');

test('a pasted multi-stage Dockerfile shows its stage graph', async () => {
  const { page, context, requests, errors } = await openPage(browser, server.url);
  page.setDefaultTimeout(30_000);
  // The sample Dockerfile has one stage built on scratch.
  await page.locator('#stage-graph').waitFor();
  await page.fill('#dockerfile-text', MULTI);
  await page.waitForFunction(() => document.querySelectorAll('#stage-graph g.node').length === 7);
  // SVG text has no innerText; its textContent is what a screen reader and the eye get.
  const labels = await page.$$eval('#stage-graph g.node text', (ts) => ts.map((t) => t.textContent));
  assert.deepEqual(labels, ['build', 'tools', 'test (unused)', 'stage 3 (target)', 'golang:1.26', 'alpine:3.22', 'scratch']);
  assert.equal(await page.locator('#stage-graph path.edge.base').count(), 4);
  assert.equal(await page.locator('#stage-graph path.edge.copy').count(), 1);
  assert.equal(await page.locator('#stage-graph path.edge.mount').count(), 1);
  // Unused stages are drawn dashed, not only in another colour.
  const dash = await page.locator('#stage-graph g.unused rect').evaluate((r) => getComputedStyle(r).strokeDasharray);
  assert.notEqual(dash, 'none');
  const rows = await page.locator('.stage-table tbody tr').allInnerTexts();
  assert.equal(rows.length, 4);
  assert.match(rows[2], /test\s+unused stage\s+FROM build\s+5/);
  // The diagram fits beside the editor: every node lies inside the drawing.
  const inside = await page.evaluate(() => {
    const svg = document.querySelector('#stage-graph').getBoundingClientRect();
    return [...document.querySelectorAll('#stage-graph g.node')].every((g) => {
      const r = g.getBoundingClientRect();
      return r.left >= svg.left - 1 && r.right <= svg.right + 1 && r.top >= svg.top - 1 && r.bottom <= svg.bottom + 1;
    });
  });
  assert.ok(inside, 'every node is inside the SVG');
  await page.locator('.stage-graph').screenshot({ path: shot('stage-graph') });
  assert.deepEqual(foreignRequests(requests, server.url), []);
  assert.deepEqual(errors, []);
  await context.close();
});
