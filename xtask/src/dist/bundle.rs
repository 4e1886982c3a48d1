//! The web bundle's weight: the gzip -9 size of every `.wasm`, `.js` and `.css` file in `dist/`, against the
//! budget the web-app issue sets. `cargo xtask dist` (and so `cargo xtask test`) fails over budget; the bench
//! prints the same figures.

use std::path::Path;
use std::process::Command;

/// The most the page's code may weigh, gzip -9, summed over the wasm, JS and CSS files in `dist/` (1 MB).
pub const BUDGET: u64 = 1_000_000;

/// The measured files: name, raw bytes and gzip -9 bytes.
pub struct Bundle {
    parts: Vec<(String, u64, u64)>,
}

impl Bundle {
    /// Measures every `.wasm`, `.js` and `.css` file directly in `dist`.
    pub fn measure(dist: &Path) -> Result<Bundle, String> {
        let mut parts = Vec::new();
        let entries = std::fs::read_dir(dist).map_err(|e| format!("cannot list {}: {e}", dist.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if matches!(ext, "wasm" | "js" | "css") {
                let raw = entry.metadata().map(|m| m.len()).unwrap_or(0);
                let name = entry.file_name().to_string_lossy().into_owned();
                parts.push((name, raw, gzip_size(&path)?));
            }
        }
        if parts.is_empty() {
            return Err(format!("{} holds no .wasm, .js or .css files", dist.display()));
        }
        parts.sort();
        Ok(Bundle { parts })
    }

    /// The gzip -9 total.
    pub fn gzip(&self) -> u64 {
        self.parts.iter().map(|p| p.2).sum()
    }

    /// One line with both totals and each file, ending with the verdict against [`BUDGET`].
    pub fn line(&self) -> String {
        let raw: u64 = self.parts.iter().map(|p| p.1).sum();
        let list: Vec<String> = self
            .parts
            .iter()
            .map(|(name, r, g)| format!("{name} {:.1} kB → {:.1} kB", *r as f64 / 1e3, *g as f64 / 1e3))
            .collect();
        let verdict = if self.gzip() < BUDGET { "PASS" } else { "FAIL" };
        format!(
            "web bundle (dist/ wasm + js + css): {:.1} kB raw, {:.1} kB gzip -9 ({}); budget < {:.0} kB gzip: {verdict}",
            raw as f64 / 1e3,
            self.gzip() as f64 / 1e3,
            list.join("; "),
            BUDGET as f64 / 1e3
        )
    }

    /// The line, or an error naming the overrun when the bundle is over budget.
    pub fn check(&self) -> Result<String, String> {
        if self.gzip() < BUDGET {
            Ok(self.line())
        } else {
            Err(format!("the web bundle is over its budget by {} bytes: {}", self.gzip() - BUDGET + 1, self.line()))
        }
    }
}

fn gzip_size(path: &Path) -> Result<u64, String> {
    let out = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .output()
        .map_err(|e| format!("cannot run gzip (apt-get install gzip): {e}"))?;
    if out.status.success() {
        Ok(out.stdout.len() as u64)
    } else {
        Err(format!("gzip failed on {}", path.display()))
    }
}
