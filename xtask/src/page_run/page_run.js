// Shared by `cargo xtask bench` and `cargo xtask stress --browser` (xtask/src/page_run.rs puts it in front of
// each one's own script): serve a built app on loopback, open it in headless Chromium, let it finish its start-up
// sample, hand it a file through the file input and wait until it shows the finished analysis.
const http = require('http');
const fs = require('fs');
const path = require('path');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css',
  '.svg': 'image/svg+xml', '.json': 'application/json', '.tar': 'application/x-tar', '.png': 'image/png',
  '.ico': 'image/x-icon', '.webmanifest': 'application/manifest+json' };
const fail = (msg) => { console.error(msg); process.exit(1); };

// Serves the folder `dist`; `extra(rel, res)` may answer a path itself and returns whether it did.
function serve(dist, extra = () => false) {
  const root = path.resolve(dist);
  return http.createServer((req, res) => {
    let rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (extra(rel, res)) return;
    if (rel.endsWith('/')) rel += 'index.html';
    const full = path.join(root, path.normalize(rel));
    if (!full.startsWith(root) || !fs.existsSync(full) || !fs.statSync(full).isFile()) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'content-type': TYPES[path.extname(full)] || 'application/octet-stream' });
    fs.createReadStream(full).pipe(res);
  });
}

function launch(chromium) {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu',
    '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
}

// Opens the app at `url`, waits for its start-up sample (so it does not overlap the measurement), hands it `file`
// and waits for "read from NAME in N ms" under the image name. Returns the wall time seen from outside (`ms`,
// which adds rendering), the page's own figure (`pageMs`: file handed to the worker until its report arrived) and
// the file's size; a page error ends the script.
async function analyseInPage(page, url, file, polling) {
  await page.goto(url);
  await page.waitForFunction(() => document.querySelector('#image-name') || document.querySelector('.error-panel'),
    null, { timeout: 120000 });
  const name = path.basename(file);
  const bytes = fs.statSync(file).size;
  const marker = `read from ${name} in `;
  const t0 = Date.now();
  await page.setInputFiles('#file-input', file);
  const done = await page.waitForFunction((marker) => {
    const title = document.querySelector('.image-title p');
    if (title && title.textContent.includes(marker)) return { ok: true, text: title.textContent };
    const error = document.querySelector('.error-panel');
    if (error) return { ok: false, text: error.textContent };
    return null;
  }, marker, { timeout: 0, polling });
  const ms = Date.now() - t0;
  const outcome = await done.jsonValue();
  if (!outcome.ok) fail('the page reported an error: ' + outcome.text.trim());
  const pageMs = Number((outcome.text.split(marker)[1] || '').split(' ms')[0]);
  return { ms, pageMs, bytes };
}
