//! Times the engine inside the web app's worker in headless Chromium on the benchmark archive.
//!
//! A small Node script (playwright-core from `tests/e2e/node_modules`) serves `dist/` on loopback, opens the page,
//! waits until the page has finished its start-up analysis, hands it the archive through the file input and waits
//! until the page shows the finished analysis of that file ("read from NAME in N ms" under the image name). It
//! reports the page's own figure (from handing the file to the worker to receiving the report) and the wall time
//! seen from outside (which adds rendering the result). Then, in the same page, a bare worker reads the same file
//! with `FileReaderSync` in the analysis worker's slice size and does nothing else: the ceiling for any engine
//! that reads the file this way.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use super::measure::{self, Settings};

/// The slice size of the worker's sequential reads (`SEQUENTIAL_PIECE` in src/blob_source.rs).
const READ_SLICE: u64 = 16 << 20;

/// The Node script after `page_run::PRELUDE`; it prints one JSON line `{"ms": …, "page_ms": …, "read_ms": …,
/// "bytes": …}` on success.
const SCRIPT: &str = r#"
const [, , playwrightDir, distArg, file, limitMs, readSlice] = process.argv;
const { chromium } = require(playwrightDir);
// Reads a File in slices with FileReaderSync and does nothing else; posts the elapsed ms (-1 on a short read).
const READ_WORKER = `onmessage = (e) => {
  const { file, slice } = e.data; const reader = new FileReaderSync(); const t0 = performance.now(); let n = 0;
  for (let off = 0; off < file.size; off += slice) n += reader.readAsArrayBuffer(file.slice(off, off + slice)).byteLength;
  postMessage(n === file.size ? performance.now() - t0 : -1);
};`;
const server = serve(distArg, (rel, res) => {
  if (rel !== '/__bench-read.js') return false;
  res.writeHead(200, { 'content-type': 'text/javascript' });
  res.end(READ_WORKER);
  return true;
});
setTimeout(() => fail('the page did not finish within the time limit'), Number(limitMs)).unref();
server.listen(0, '127.0.0.1', async () => {
  const browser = await launch(chromium);
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error('page error: ' + e.message));
    const { ms, pageMs, bytes } = await analyseInPage(page, `http://127.0.0.1:${server.address().port}/`, file, 50);
    // The ceiling: the same file read alone by a bare worker of the same page, in the analysis worker's slice size.
    await page.evaluate(() => {
      const input = document.createElement('input');
      input.type = 'file';
      input.id = 'bench-read-input';
      document.body.append(input);
    });
    await page.setInputFiles('#bench-read-input', file);
    const readMs = await page.evaluate((slice) => new Promise((resolve, reject) => {
      const worker = new Worker('./__bench-read.js');
      worker.onmessage = (e) => { worker.terminate(); resolve(e.data); };
      worker.onerror = (e) => reject(new Error('the read worker failed: ' + e.message));
      worker.postMessage({ file: document.querySelector('#bench-read-input').files[0], slice });
    }), Number(readSlice));
    console.log(JSON.stringify({ ms, page_ms: pageMs, read_ms: readMs, bytes }));
  } finally {
    await browser.close();
    server.close();
  }
});
"#;

/// Throughput of the engine in the page's worker on one file.
pub struct BrowserRun {
    /// MB/s by the page's own clock: file handed to the worker until its report arrived.
    pub page_mb_s: f64,
    /// MB/s by the wall clock outside the page, including rendering the result.
    pub wall_mb_s: f64,
    /// MB/s of a bare worker that only reads the file with `FileReaderSync` in the same slices.
    pub read_mb_s: f64,
}

/// Where the browser measurement finds its pieces.
pub struct Setup<'a> {
    /// The repository root (for `tests/e2e/node_modules`).
    pub root: &'a Path,
    /// The built web app.
    pub dist: &'a Path,
    /// The benchmark cache (the script and its logs go to `logs/` there).
    pub cache: &'a Path,
    /// Niceness for Node and the browser it starts.
    pub nice: Option<i32>,
}

/// Measures the page's worker on `file`, or says why it could not be measured.
pub fn measure(setup: &Setup, file: &Path, limit: Duration) -> Result<BrowserRun, String> {
    let Setup { root, dist, cache, nice } = *setup;
    let playwright = crate::page_run::prerequisites(root, dist)?;
    let logs = cache.join("logs");
    let script = logs.join("browser-bench.js");
    crate::page_run::write_script(&script, SCRIPT)?;
    let (stdout, stderr) = (logs.join("browser.stdout"), logs.join("browser.stderr"));
    let mut cmd = Command::new("node");
    cmd.arg(&script)
        .arg(&playwright)
        .arg(dist)
        .arg(file)
        .arg(limit.as_millis().to_string())
        .arg(READ_SLICE.to_string());
    let settings = Settings { stdout: &stdout, stderr: &stderr, limit: limit + Duration::from_secs(30), nice };
    let run = measure::run(&mut cmd, &settings)?;
    if run.exit_code != Some(0) {
        return Err(format!("the browser run failed: {}", super::setup::tail(&stderr, 5)));
    }
    let out = std::fs::read_to_string(&stdout).unwrap_or_default();
    let line: serde_json::Value =
        serde_json::from_str(out.trim()).map_err(|e| format!("the browser script printed no result ({e}): {out}"))?;
    let bytes = line["bytes"].as_f64().ok_or("the browser script printed no byte count")?;
    let ms = line["ms"].as_f64().filter(|ms| *ms > 0.0).ok_or("the browser script printed no time")?;
    let page_ms = line["page_ms"].as_f64().filter(|ms| *ms > 0.0).ok_or("the page showed no elapsed time")?;
    let read_ms = line["read_ms"].as_f64().filter(|ms| *ms > 0.0).ok_or("the read-only worker read short")?;
    let mb_s = |ms: f64| bytes / 1e6 / (ms / 1e3);
    Ok(BrowserRun { page_mb_s: mb_s(page_ms), wall_mb_s: mb_s(ms), read_mb_s: mb_s(read_ms) })
}

/// Runs `measure` up to `runs` times and keeps the fastest analysis by the page's clock and the fastest bare read;
/// the first failure ends it.
pub fn best_of(runs: usize, mut measure: impl FnMut() -> Result<BrowserRun, String>) -> Result<BrowserRun, String> {
    let mut best: Option<BrowserRun> = None;
    for run in 1..=runs {
        let this = measure()?;
        eprintln!(
            "bench: browser run {run}/{runs}: {:.1} MB/s (page clock), {:.1} MB/s (wall), reading alone {:.1} MB/s",
            this.page_mb_s, this.wall_mb_s, this.read_mb_s
        );
        best = Some(match best {
            None => this,
            Some(b) => {
                let read_mb_s = b.read_mb_s.max(this.read_mb_s);
                let fastest = if this.page_mb_s > b.page_mb_s { this } else { b };
                BrowserRun { read_mb_s, ..fastest }
            }
        });
    }
    best.ok_or_else(|| "no browser runs".into())
}
