//! The page's WebAssembly entry: the full app, the compact embed view, or (for `<layerlens-view>` elements) nothing
//! until `element::mount_view` is called.

mod element;

use layerlens_web::host::{mode, Mode};

fn main() {
    match mode() {
        Mode::App => {
            yew::Renderer::<layerlens_web::App>::new().render();
        }
        Mode::Embed => {
            yew::Renderer::<layerlens_web::embed::EmbedApp>::new().render();
        }
        // The page's <layerlens-view> elements mount their views through `mount_view`.
        Mode::Element => {}
    }
}
