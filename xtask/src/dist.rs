//! `cargo xtask dist`: the Trunk release build plus every other way layerlens is delivered, all in `dist/`.
//!
//! After Trunk has written `index.html` and its hashed assets, this adds, reusing the same WebAssembly:
//! - `embed.html`: the compact view for iframes (Trunk's page with `<meta name="layerlens-mode" content="embed">`
//!   and `embed-frame.js`, which reports its height to the parent and follows the parent's theme);
//! - `layerlens-embed.js` and `layerlens-embed-<hash>.css`: the `<layerlens-view>` custom element;
//! - `sw.js`, `pwa.js`, `manifest.webmanifest` and `icon.svg`: a PWA whose service worker caches every file;
//! - `layerlens.html`: one self-contained file (wasm base64-inlined, worker from a blob URL) that works from disk.
//!
//! Then it checks the bundle's weight against its budget (`dist/bundle.rs`).
//!
//! The Content-Security-Policy of `index.html` allows no inline script; this adds the SHA-256 of each inline script
//! Trunk wrote (its loader) to the policy's `script-src`, so the hashes always match the output of this build.

mod bundle;

pub use bundle::Bundle;

use crate::root;
use crate::tools::{self, Needs, ToolEnv};
use base64::Engine;
use sha2::{Digest, Sha256};
use std::collections::hash_map::DefaultHasher;
use std::hash::Hasher;
use std::path::{Path, PathBuf};

const EMBED_FRAME_JS: &str = include_str!("dist/embed-frame.js");
const EMBED_ELEMENT_JS: &str = include_str!("dist/layerlens-embed.js");
const SERVICE_WORKER_JS: &str = include_str!("dist/sw.js");
const PWA_JS: &str = include_str!("dist/pwa.js");
const ICON_SVG: &str = include_str!("dist/icon.svg");
const SINGLE_HTML: &str = include_str!("dist/single.html");

/// Files in `dist/` the service worker does not precache: itself, and the single file (a download, not a page asset).
const NOT_CACHED: &[&str] = &["sw.js", "layerlens.html"];

const USAGE: &str = "usage: cargo xtask dist [--no-build] [--dist DIR]

  --no-build   post-process an existing Trunk output instead of running `trunk build --release` first
  --dist DIR   the Trunk output folder (default: dist/ in the repository)";

/// Runs `cargo xtask dist` with the given arguments.
pub fn run(args: &[String]) -> Result<(), String> {
    let mut build_first = true;
    let mut dist = root().join("dist");
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--no-build" => build_first = false,
            "--dist" => dist = PathBuf::from(args.next().ok_or_else(|| format!("--dist needs a folder\n{USAGE}"))?),
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    if build_first {
        let env = tools::setup(&Needs::default())?;
        tools::build_web(&env)?;
    }
    let summary = package(&dist)?;
    println!("{summary}");
    println!("{}", Bundle::measure(&dist)?.check()?);
    Ok(())
}

/// The Trunk release build into `dist/`, then every delivery mode; what `cargo xtask test` builds.
pub fn build(env: &ToolEnv) -> Result<(), String> {
    tools::build_web(env)?;
    let summary = package(&root().join("dist"))?;
    eprintln!("{summary}");
    eprintln!("{}", Bundle::measure(&root().join("dist"))?.check()?);
    Ok(())
}

/// The files Trunk wrote that the other delivery modes reuse.
struct TrunkOutput {
    index: String,
    app_js: String,
    app_wasm: String,
    worker_js: String,
    worker_wasm: String,
    css: String,
}

impl TrunkOutput {
    fn find(dist: &Path) -> Result<TrunkOutput, String> {
        let index = read_text(&dist.join("index.html"))
            .map_err(|e| format!("{e}; run `trunk build --release` (or `cargo xtask dist`) first"))?;
        let names: Vec<String> = std::fs::read_dir(dist)
            .map_err(|e| format!("cannot list {}: {e}", dist.display()))?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        // Trunk names the page's files `<stem>-<hash><suffix>`; a worker's files keep their plain `<stem><suffix>`.
        let pick = |stem: &str, suffix: &str, what: &str| {
            let hashed = format!("{stem}-");
            let plain = format!("{stem}{suffix}");
            let mut hits = names.iter().filter(|n| **n == plain || (n.starts_with(&hashed) && n.ends_with(suffix)));
            match (hits.next(), hits.next()) {
                (Some(name), None) => Ok(name.clone()),
                (None, _) => Err(format!("{} holds no {what} ({stem}*{suffix})", dist.display())),
                (Some(a), Some(b)) => Err(format!(
                    "{} holds more than one {what} ({a}, {b}); delete the folder and build again",
                    dist.display()
                )),
            }
        };
        Ok(TrunkOutput {
            app_js: pick("app", ".js", "app script")?,
            app_wasm: pick("app", "_bg.wasm", "app WebAssembly")?,
            worker_js: pick("worker", ".js", "worker script")?,
            worker_wasm: pick("worker", "_bg.wasm", "worker WebAssembly")?,
            css: pick("style", ".css", "stylesheet")?,
            index,
        })
    }

    /// The hash Trunk put into the stylesheet's name, reused for the derived stylesheet.
    fn css_hash(&self) -> &str {
        self.css.trim_start_matches("style-").trim_end_matches(".css")
    }
}

/// Writes every delivery mode into `dist` (already holding Trunk's output) and describes what it wrote.
pub fn package(dist: &Path) -> Result<String, String> {
    let trunk = TrunkOutput::find(dist)?;
    let embed_css = format!("layerlens-embed-{}.css", trunk.css_hash());

    write(dist, "embed-frame.js", EMBED_FRAME_JS)?;
    write(dist, "embed.html", &with_script_hashes(&embed_page(&trunk.index)?)?)?;
    let element = EMBED_ELEMENT_JS
        .replace("__APP_JS__", &trunk.app_js)
        .replace("__APP_WASM__", &trunk.app_wasm)
        .replace("__EMBED_CSS__", &embed_css);
    write(dist, "layerlens-embed.js", &element)?;
    write(dist, &embed_css, &host_stylesheet(&read_text(&dist.join(&trunk.css))?))?;

    write(dist, "icon.svg", ICON_SVG)?;
    write(dist, "manifest.webmanifest", MANIFEST)?;
    write(dist, "pwa.js", PWA_JS)?;
    write(dist, "index.html", &with_script_hashes(&app_page(&trunk.index)?)?)?;

    let single = with_script_hashes(&single_file(dist, &trunk)?)?;
    write(dist, "layerlens.html", &single)?;

    // Last, so the list and the cache name cover every other file.
    let assets = cached_assets(dist)?;
    let mut hasher = DefaultHasher::new();
    for asset in &assets {
        hasher.write(asset.as_bytes());
        hasher.write(&std::fs::read(dist.join(asset)).map_err(|e| format!("cannot read {asset}: {e}"))?);
    }
    let mut urls = vec!["./".to_string()];
    urls.extend(assets.iter().cloned());
    let list = serde_json::to_string(&urls).map_err(|e| e.to_string())?;
    let sw = SERVICE_WORKER_JS
        .replace("__CACHE__", &format!("layerlens-{:016x}", hasher.finish()))
        .replace("__ASSETS__", &list);
    write(dist, "sw.js", &sw)?;

    Ok(format!(
        "xtask dist: {} ready: index.html, embed.html, layerlens-embed.js, layerlens.html ({:.1} kB), sw.js \
         precaching {} files",
        dist.display(),
        single.len() as f64 / 1e3,
        urls.len()
    ))
}

const MANIFEST: &str = r##"{
  "name": "layerlens",
  "short_name": "layerlens",
  "description": "Why is this container image so big? Analysed locally in your browser.",
  "start_url": "./",
  "scope": "./",
  "display": "standalone",
  "background_color": "#f6f7f9",
  "theme_color": "#0b5cad",
  "icons": [{ "src": "icon.svg", "sizes": "any", "type": "image/svg+xml" }]
}
"##;

/// Trunk's page with the web manifest and the service worker registration (idempotent).
fn app_page(index: &str) -> Result<String, String> {
    if index.contains("manifest.webmanifest") {
        return Ok(index.to_string());
    }
    insert_before_head_end(
        index,
        "  <link rel=\"manifest\" href=\"manifest.webmanifest\">\n  <link rel=\"icon\" href=\"icon.svg\" type=\"image/svg+xml\">\n  <script type=\"module\" src=\"pwa.js\"></script>\n",
    )
}

/// Trunk's page turned into the embed page: same loader and wasm, the embed mode, the frame script, no PWA.
fn embed_page(index: &str) -> Result<String, String> {
    let page = index
        .replace("  <link rel=\"manifest\" href=\"manifest.webmanifest\">\n", "")
        .replace("  <link rel=\"icon\" href=\"icon.svg\" type=\"image/svg+xml\">\n", "")
        .replace("  <script type=\"module\" src=\"pwa.js\"></script>\n", "");
    let start = page.find("<title>").ok_or("Trunk's index.html has no <title>")?;
    let end = page[start..].find("</title>").map(|e| start + e + "</title>".len()).ok_or("unclosed <title>")?;
    let page = format!("{}<title>layerlens embed</title>{}", &page[..start], &page[end..]);
    insert_before_head_end(
        &page,
        "  <meta name=\"layerlens-mode\" content=\"embed\">\n  <script src=\"embed-frame.js\" defer></script>\n",
    )
}

/// The page with `'sha256-…'` of each of its inline scripts added to the `script-src` of its Content-Security-Policy
/// meta tag (idempotent); an error when the page has inline scripts but no policy with a `script-src` to extend.
fn with_script_hashes(page: &str) -> Result<String, String> {
    let hashes: Vec<String> = inline_scripts(page)?
        .into_iter()
        .map(|text| {
            let digest = Sha256::digest(text.as_bytes());
            format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest.as_slice()))
        })
        .collect();
    if hashes.is_empty() {
        return Ok(page.to_string());
    }
    let marker = "http-equiv=\"Content-Security-Policy\"";
    let meta = page.find(marker).ok_or("the page has inline scripts but no Content-Security-Policy meta tag")?;
    let content = page[meta..].find("content=\"").map(|c| meta + c + "content=\"".len());
    let content = content.ok_or("the Content-Security-Policy meta tag has no content attribute")?;
    let end = page[content..].find('"').map(|e| content + e).ok_or("unclosed Content-Security-Policy content")?;
    let mut directives: Vec<String> = page[content..end].split(';').map(|d| d.trim().to_string()).collect();
    let script_src = directives
        .iter_mut()
        .find(|d| d.starts_with("script-src ") || *d == "script-src")
        .ok_or("the Content-Security-Policy has no script-src directive")?;
    for hash in hashes {
        if !script_src.split_whitespace().any(|source| source == hash) {
            script_src.push(' ');
            script_src.push_str(&hash);
        }
    }
    Ok(format!("{}{}{}", &page[..content], directives.join("; "), &page[end..]))
}

/// The text of every `<script>` element the browser would run inline (no `src`, no data type such as `text/plain`),
/// exactly as the browser hashes it.
fn inline_scripts(page: &str) -> Result<Vec<&str>, String> {
    let lower = page.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(start) = lower[at..].find("<script").map(|s| at + s) {
        let open_end = lower[start..].find('>').map(|e| start + e + 1).ok_or("unclosed <script> tag")?;
        let close = lower[open_end..].find("</script").map(|c| open_end + c).ok_or("<script> without </script>")?;
        let tag = &lower[start..open_end];
        let attrs: Vec<&str> = tag.split(|c: char| c.is_ascii_whitespace()).collect();
        let has_src = attrs.iter().any(|attr| attr.starts_with("src="));
        let runs = attrs.iter().filter_map(|attr| attr.strip_prefix("type=")).all(|kind| {
            let kind = kind.trim_end_matches('>').trim_matches(|c| c == '"' || c == '\'');
            kind == "module" || kind.ends_with("javascript")
        });
        if !has_src && runs {
            out.push(&page[open_end..close]);
        }
        at = close + "</script".len();
    }
    Ok(out)
}

fn insert_before_head_end(page: &str, extra: &str) -> Result<String, String> {
    let at = page.find("</head>").ok_or("Trunk's index.html has no </head>")?;
    Ok(format!("{}{extra}{}", &page[..at], &page[at..]))
}

/// The app stylesheet for a shadow root: its theme variables move from the document root to the host element,
/// and the `theme` attribute of `<layerlens-view>` takes the place of the page's `data-theme`.
fn host_stylesheet(css: &str) -> String {
    css.replace(":root:not([data-theme=\"light\"])", ":host(:not([theme=\"light\"]))")
        .replace(":root:not([data-theme=light])", ":host(:not([theme=light]))")
        .replace(":root[data-theme=\"dark\"]", ":host([theme=\"dark\"])")
        .replace(":root[data-theme=dark]", ":host([theme=dark])")
        .replace(":root", ":host")
}

/// `layerlens.html`: the page, its worker, both wasm modules and the sample in one file.
fn single_file(dist: &Path, trunk: &TrunkOutput) -> Result<String, String> {
    let b64 = |name: &str| -> Result<String, String> {
        let bytes = std::fs::read(dist.join(name)).map_err(|e| format!("cannot read {name}: {e}"))?;
        Ok(base64::engine::general_purpose::STANDARD.encode(bytes))
    };
    let script_text = |name: &str| -> Result<String, String> {
        let text = read_text(&dist.join(name))?;
        let lower = text.to_ascii_lowercase();
        if lower.contains("</script") || lower.contains("<!--") {
            return Err(format!("{name} contains </script or <!--, which cannot be inlined into an HTML script"));
        }
        Ok(text)
    };
    let css = read_text(&dist.join(&trunk.css))?;
    if css.to_ascii_lowercase().contains("</style") {
        return Err(format!("{} contains </style", trunk.css));
    }
    let sample = dist.join("samples/sample.tar");
    let sample = if sample.is_file() { b64("samples/sample.tar")? } else { String::new() };
    // Replace the big base64 payloads last, so no placeholder text can appear inside them by accident.
    Ok(SINGLE_HTML
        .replace("__CSS__", &css)
        .replace("__APP_GLUE__", &script_text(&trunk.app_js)?)
        .replace("__WORKER_GLUE__", &script_text(&trunk.worker_js)?)
        .replace("__SAMPLE__", &sample)
        .replace("__APP_WASM__", &b64(&trunk.app_wasm)?)
        .replace("__WORKER_WASM__", &b64(&trunk.worker_wasm)?))
}

/// Every file under `dist` as a relative URL, sorted, without the ones the service worker must not precache.
fn cached_assets(dist: &Path) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut stack = vec![dist.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path.strip_prefix(dist).map_err(|e| e.to_string())?;
            let rel: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            let rel = rel.join("/");
            if !NOT_CACHED.contains(&rel.as_str()) {
                out.push(rel);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn read_text(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn write(dist: &Path, name: &str, text: &str) -> Result<(), String> {
    let path = dist.join(name);
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK_INDEX: &str = "<!doctype html>\n<html>\n<head>\n  <meta http-equiv=\"Content-Security-Policy\" \
        content=\"default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'\">\n  \
        <title>layerlens: why?</title>\n  \
        <script type=\"module\">import init from './app-1.js';</script>\n</head>\n<body></body>\n</html>\n";

    #[test]
    fn the_embed_page_keeps_trunks_loader_and_asks_for_embed_mode() {
        let app = app_page(TRUNK_INDEX).unwrap();
        assert_eq!(app_page(&app).unwrap(), app, "adding the PWA links twice changes nothing");
        let embed = embed_page(&app).unwrap();
        assert!(embed.contains("import init from './app-1.js';"), "{embed}");
        assert!(embed.contains("<title>layerlens embed</title>"), "{embed}");
        assert!(embed.contains("<meta name=\"layerlens-mode\" content=\"embed\">"), "{embed}");
        assert!(
            embed.contains("embed-frame.js") && !embed.contains("pwa.js") && !embed.contains("manifest"),
            "{embed}"
        );
    }

    /// The policy in a page's Content-Security-Policy meta tag.
    fn policy(page: &str) -> &str {
        let start = page.find("content=\"default-src").unwrap() + "content=\"".len();
        &page[start..start + page[start..].find('"').unwrap()]
    }

    #[test]
    fn each_inline_script_is_allowed_by_its_sha256_and_nothing_else() {
        // printf %s "import init from './app-1.js';" | openssl dgst -sha256 -binary | base64
        let loader = "'sha256-1E/A4D0hWJgXmbw2HQWdcwK4s8rgItj9EFfgzQpPh20='";
        let page = with_script_hashes(&app_page(TRUNK_INDEX).unwrap()).unwrap();
        assert_eq!(
            policy(&page),
            format!("default-src 'none'; script-src 'self' 'wasm-unsafe-eval' {loader}; object-src 'none'")
        );
        assert_eq!(with_script_hashes(&page).unwrap(), page, "hashing twice adds nothing");
        let embed = with_script_hashes(&embed_page(TRUNK_INDEX).unwrap()).unwrap();
        assert_eq!(policy(&embed), policy(&page), "the embed page runs the same loader and only external scripts");

        let changed = TRUNK_INDEX.replace("app-1.js", "app-2.js");
        let changed = with_script_hashes(&changed).unwrap();
        assert!(!policy(&changed).contains(loader) && policy(&changed).contains("'sha256-"), "{changed}");
    }

    #[test]
    fn inline_scripts_without_a_policy_to_extend_are_an_error() {
        let no_policy = "<head><script type=\"module\">go()</script></head>";
        assert!(with_script_hashes(no_policy).unwrap_err().contains("no Content-Security-Policy"));
        let external_only = "<head><script src=\"a.js\"></script><SCRIPT SRC=b.js></SCRIPT></head>";
        assert_eq!(with_script_hashes(external_only).unwrap(), external_only);
        let data = "<script type=\"text/plain\" id=\"x\">not code</script>";
        assert_eq!(with_script_hashes(data).unwrap(), data, "data blocks need no hash");
        let no_script_src =
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'\"><script>go()</script>";
        assert!(with_script_hashes(no_script_src).unwrap_err().contains("no script-src"));
    }

    #[test]
    fn the_shadow_root_stylesheet_moves_theme_variables_to_the_host() {
        let css = ":root { --bg: #fff; }\n@media (prefers-color-scheme: dark) { :root:not([data-theme=\"light\"]) \
            { --bg: #000; } }\n:root[data-theme=\"dark\"] { --bg: #000; }\nbody { margin: 0; }\n";
        let host = host_stylesheet(css);
        assert!(!host.contains(":root"), "{host}");
        assert!(host.contains(":host { --bg: #fff; }"), "{host}");
        assert!(host.contains(":host(:not([theme=\"light\"]))"), "{host}");
        assert!(host.contains(":host([theme=\"dark\"])"), "{host}");
    }

    #[test]
    fn packaging_a_trunk_output_writes_every_mode_and_lists_every_asset() {
        let dist = std::env::temp_dir().join(format!("layerlens-dist-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dist);
        std::fs::create_dir_all(dist.join("samples")).unwrap();
        for (name, text) in [
            ("index.html", TRUNK_INDEX),
            ("app-1.js", "export default function init() {}"),
            ("app-1_bg.wasm", "\0asm"),
            ("worker.js", "let wasm_bindgen;"),
            ("worker_bg.wasm", "\0asm"),
            ("worker_loader.js", "importScripts('./worker.js');"),
            ("style-1.css", ":root { --bg: #fff; }"),
            ("samples/sample.tar", "tar"),
        ] {
            std::fs::write(dist.join(name), text).unwrap();
        }
        package(&dist).unwrap();
        let read = |name: &str| std::fs::read_to_string(dist.join(name)).unwrap();
        assert!(read("layerlens-embed.js")
            .contains("{ app: 'app-1.js', wasm: 'app-1_bg.wasm', css: 'layerlens-embed-1.css' }"));
        assert_eq!(read("layerlens-embed-1.css"), ":host { --bg: #fff; }");
        let single = read("layerlens.html");
        let single_policy = &single[single.find("content=\"default-src").unwrap()..];
        let single_policy = &single_policy[..single_policy.find('>').unwrap()];
        assert!(
            single_policy.contains("'sha256-") && !single_policy.contains("script-src 'unsafe-inline'"),
            "the single file's module script is allowed by its hash: {single_policy}"
        );
        assert!(!single.contains("__"), "every placeholder is filled");
        assert!(single.contains("AGFzbQ=="), "the wasm is inlined as base64");
        let sw = read("sw.js");
        let first = sw.clone();
        assert!(sw.contains("\"./\",\"app-1.js\",\"app-1_bg.wasm\",\"embed-frame.js\",\"embed.html\""), "{sw}");
        assert!(
            sw.contains("\"samples/sample.tar\"") && !sw.contains("\"layerlens.html\"") && !sw.contains("\"sw.js\"")
        );
        std::fs::write(dist.join("worker_bg.wasm"), "\0asm2").unwrap();
        package(&dist).unwrap();
        let cache_name = |sw: &str| sw.lines().find(|l| l.starts_with("const CACHE")).unwrap().to_string();
        assert_ne!(cache_name(&read("sw.js")), cache_name(&first), "a changed file gives a new cache");
        std::fs::remove_dir_all(&dist).unwrap();
    }

    #[test]
    fn a_folder_without_trunk_output_says_what_to_run() {
        let err = package(Path::new("/nonexistent/layerlens-dist")).unwrap_err();
        assert!(err.contains("cargo xtask dist"), "{err}");
    }
}
