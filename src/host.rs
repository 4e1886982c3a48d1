//! What the page hosting the app tells it: which view to render and where its worker script and built-in sample
//! live. Loaders that are not Trunk's (the single-file page, the custom element) set `globalThis.layerlensHost`
//! before the app starts; `embed.html` says `<meta name="layerlens-mode" content="embed">`.

use wasm_bindgen::JsValue;

/// The worker script Trunk builds, relative to the page.
pub const DEFAULT_WORKER_SCRIPT: &str = "./worker_loader.js";

/// Which view the app renders when it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The full app (`index.html`, `layerlens.html`).
    App,
    /// The compact view of `embed.html`, driven by the URL fragment.
    Embed,
    /// Nothing until a `<layerlens-view>` element mounts a view (the page loaded `layerlens-embed.js`).
    Element,
}

/// The mode the hosting page asks for; the full app when it asks for nothing.
pub fn mode() -> Mode {
    let asked = host_field("mode").or_else(meta_mode);
    match asked.as_deref() {
        Some("embed") => Mode::Embed,
        Some("element") => Mode::Element,
        _ => Mode::App,
    }
}

/// The URL of the analysis worker's script.
pub fn worker_script() -> String {
    host_field("worker").unwrap_or_else(|| DEFAULT_WORKER_SCRIPT.to_string())
}

/// The URL of the built-in sample tarball.
pub fn sample_url() -> String {
    host_field("sample").unwrap_or_else(|| crate::app::SAMPLE_URL.to_string())
}

/// The page's URL fragment, including its `#`, or an empty string.
pub fn fragment() -> String {
    let location = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("location")).ok();
    let hash = location.and_then(|l| js_sys::Reflect::get(&l, &JsValue::from_str("hash")).ok());
    hash.and_then(|h| h.as_string()).unwrap_or_default()
}

fn host_field(name: &str) -> Option<String> {
    let host = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("layerlensHost")).ok()?;
    if !host.is_object() {
        return None;
    }
    js_sys::Reflect::get(&host, &JsValue::from_str(name)).ok()?.as_string()
}

fn meta_mode() -> Option<String> {
    let document = web_sys::window()?.document()?;
    document.query_selector("meta[name=\"layerlens-mode\"]").ok()??.get_attribute("content")
}
