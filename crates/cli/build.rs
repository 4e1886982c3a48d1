//! Embeds the built web app (`dist/`, written by `cargo xtask dist`) into the binary for `layerlens serve`.
//! Without a built `dist/index.html` the table is empty and `layerlens serve` explains how to build it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-env-changed=LAYERLENS_DIST");
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let dist = match std::env::var_os("LAYERLENS_DIST") {
        Some(dir) => PathBuf::from(dir),
        None => manifest.join("../../dist"),
    };
    // Cargo scans a watched folder for changes, and reruns while a watched path is missing.
    println!("cargo:rerun-if-changed={}", dist.display());
    let mut files = Vec::new();
    if dist.join("index.html").is_file() {
        collect(&dist, &dist, &mut files);
        files.sort();
    }
    let mut code = String::from(
        "/// The web app's files (path relative to the site root, bytes), or nothing when it was not built.\n",
    );
    code.push_str("pub const ASSETS: &[(&str, &[u8])] = &[\n");
    for (rel, path) in &files {
        writeln!(code, "    ({rel:?}, include_bytes!({:?})),", path.display().to_string())
            .expect("writing to a String");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("web_assets.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, files);
        } else if let Ok(rel) = path.strip_prefix(root) {
            let rel: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            let absolute = std::fs::canonicalize(&path).unwrap_or(path);
            files.push((rel.join("/"), absolute));
        }
    }
}
