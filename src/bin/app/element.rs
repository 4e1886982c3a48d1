//! The JavaScript exports of the app binary: `<layerlens-view>` (xtask/src/dist/layerlens-embed.js) calls
//! [`mount_view`] to render a [`DockerfileView`] into its shadow root. They live in the app binary, not the
//! library, because every `#[wasm_bindgen]` export of the library is linked into each binary that uses it: from
//! the library they pulled Yew's renderer and this view into the analysis worker.

use layerlens_web::embed::{DockerfileView, DockerfileViewProps};
use wasm_bindgen::prelude::*;
use web_sys::Element;
use yew::AttrValue;

/// A Dockerfile view mounted by `<layerlens-view>`; JavaScript keeps it to update or remove the view.
#[wasm_bindgen]
pub struct ViewHandle(Option<yew::AppHandle<DockerfileView>>, Option<AttrValue>);

#[wasm_bindgen]
impl ViewHandle {
    /// Shows another Dockerfile in the same view.
    pub fn update(&mut self, text: String) {
        let app_url = self.1.clone();
        if let Some(handle) = self.0.as_mut() {
            handle.update(DockerfileViewProps { text: text.into(), app_url });
        }
    }

    /// Removes the view from its element.
    pub fn destroy(&mut self) {
        if let Some(handle) = self.0.take() {
            handle.destroy();
        }
    }
}

/// Renders a [`DockerfileView`] of `text` into `root` (an element inside the custom element's shadow root).
#[wasm_bindgen]
pub fn mount_view(root: Element, text: String, app_url: Option<String>) -> ViewHandle {
    let app_url = app_url.map(AttrValue::from);
    let props = DockerfileViewProps { text: text.into(), app_url: app_url.clone() };
    ViewHandle(Some(yew::Renderer::<DockerfileView>::with_root_and_props(root, props).render()), app_url)
}
