//! What `cargo xtask bench` and `cargo xtask stress --browser` share to run the built app in headless Chromium:
//! the checks that it can run, and the Node prelude (`page_run/page_run.js`) that serves the app, launches the
//! browser and analyses a file in the page. Each caller appends its own script that uses them.

use std::path::{Path, PathBuf};

/// The Node functions `serve`, `launch`, `analyseInPage` and `fail`, put in front of each caller's script.
pub const PRELUDE: &str = include_str!("page_run/page_run.js");

/// Checks that the app is built in `dist`, that playwright-core and Chromium are installed, and returns
/// playwright-core's folder.
pub fn prerequisites(root: &Path, dist: &Path) -> Result<PathBuf, String> {
    if !dist.join("index.html").is_file() {
        return Err(format!(
            "{} does not exist (run `cargo xtask dist` first, or pass --dist DIR)",
            dist.join("index.html").display()
        ));
    }
    let playwright = root.join("tests/e2e/node_modules/playwright-core");
    if !playwright.is_dir() {
        return Err(format!("{} is missing (run `npm ci` in tests/e2e)", playwright.display()));
    }
    if !Path::new("/usr/bin/chromium").is_file() {
        return Err("/usr/bin/chromium is missing (apt-get install -y chromium)".into());
    }
    Ok(playwright)
}

/// Writes the prelude followed by `script` to `path`, ready for `node`.
pub fn write_script(path: &Path, script: &str) -> Result<(), String> {
    std::fs::write(path, format!("{PRELUDE}\n{script}")).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
