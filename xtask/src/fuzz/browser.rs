//! `cargo xtask stress --browser`: the 2 GB generated image analysed by the web app's worker in headless
//! Chromium, with the peak memory of the tab's renderer process (the page and its workers live there).
//!
//! A Node script (playwright-core from `tests/e2e/node_modules`) serves the built app on loopback, waits for
//! the start-up sample, hands the page the file through its file input and waits for the finished analysis
//! ("read from NAME in N ms"). Meanwhile it samples the resident memory of every process the script started
//! from `/proc`; at the end it reads the renderers' own high-water marks (`VmHWM`), which no sampling gap
//! can miss.

use std::path::Path;
use std::process::Command;

/// The Node script after `page_run::PRELUDE`; it prints one JSON line `{"ms", "page_ms", "bytes",
/// "renderer_hwm_mb", "all_peak_mb"}`.
const SCRIPT: &str = r#"
const [, , playwrightDir, distArg, file, limitMs] = process.argv;
const { chromium } = require(playwrightDir);
const server = serve(distArg);
setTimeout(() => fail('the page did not finish within the time limit'), Number(limitMs)).unref();
// The processes below this script: pid -> { ppid, kb (VmRSS), hwm (VmHWM), renderer }.
const processes = () => {
  const all = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const status = fs.readFileSync(`/proc/${name}/status`, 'utf8');
      const field = (f) => Number((status.match(new RegExp(`^${f}:\\s+(\\d+)`, 'm')) || [0, 0])[1]);
      const renderer = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('--type=renderer');
      all.set(Number(name), { ppid, kb: field('VmRSS'), hwm: field('VmHWM'), renderer });
    } catch (e) { /* the process ended meanwhile */ }
  }
  const mine = new Map();
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, p] of all) {
      if (!mine.has(pid) && (p.ppid === process.pid || mine.has(p.ppid))) { mine.set(pid, p); grew = true; }
    }
  }
  return mine;
};
let allPeakKb = 0;
const sample = () => {
  let kb = 0;
  for (const p of processes().values()) kb += p.kb;
  allPeakKb = Math.max(allPeakKb, kb);
};
server.listen(0, '127.0.0.1', async () => {
  const browser = await launch(chromium);
  const sampler = setInterval(sample, 250);
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error('page error: ' + e.message));
    page.on('crash', () => fail('the tab crashed (out of memory?)'));
    const { ms, pageMs, bytes } = await analyseInPage(page, `http://127.0.0.1:${server.address().port}/`, file, 100);
    sample();
    let rendererHwmKb = 0;
    for (const p of processes().values()) if (p.renderer) rendererHwmKb = Math.max(rendererHwmKb, p.hwm);
    console.log(JSON.stringify({ ms, page_ms: pageMs, bytes, renderer_hwm_mb: rendererHwmKb / 1024,
      all_peak_mb: allPeakKb / 1024 }));
  } finally {
    clearInterval(sampler);
    await browser.close();
    server.close();
  }
});
"#;

/// The largest resident memory the tab's renderer process may reach on the 2 GB image.
pub const RENDERER_LIMIT_MB: f64 = 1024.0;

/// What the browser run measured.
pub struct BrowserRun {
    /// Wall time from handing the file to the page until the result showed.
    pub seconds: f64,
    /// The page's own figure: file handed to the worker until its report arrived.
    pub page_seconds: f64,
    /// The peak resident memory of the busiest renderer process (`VmHWM`).
    pub renderer_mb: f64,
    /// The largest sampled sum over every browser process (browser, GPU, network, renderers).
    pub all_mb: f64,
}

/// Analyses `file` in the web app built in `dist`, writing the script and its output to `work`.
pub fn run(root: &Path, dist: &Path, file: &Path, work: &Path) -> Result<BrowserRun, String> {
    let playwright = crate::page_run::prerequisites(root, dist)?;
    let script = work.join("browser-stress.js");
    crate::page_run::write_script(&script, SCRIPT)?;
    let limit_ms = 15 * 60 * 1000;
    let out = Command::new("node")
        .arg(&script)
        .arg(&playwright)
        .arg(dist)
        .arg(file)
        .arg(limit_ms.to_string())
        .output()
        .map_err(|e| format!("cannot start node: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!("the browser run failed: {}", String::from_utf8_lossy(&out.stderr).trim()));
    }
    let line: serde_json::Value = serde_json::from_str(stdout.trim())
        .map_err(|e| format!("the browser script printed no result ({e}): {stdout}"))?;
    let number = |key: &str| line[key].as_f64().ok_or_else(|| format!("the browser script printed no {key}"));
    Ok(BrowserRun {
        seconds: number("ms")? / 1e3,
        page_seconds: number("page_ms")? / 1e3,
        renderer_mb: number("renderer_hwm_mb")?,
        all_mb: number("all_peak_mb")?,
    })
}
