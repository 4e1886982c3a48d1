//! The bar at the top of the page: the file picker for an image tarball (the whole page is also a drop target),
//! the built-in sample, and a link down to the Dockerfile editor.

use wasm_bindgen::JsCast;
use web_sys::{Blob, HtmlInputElement};
use yew::prelude::*;

/// Properties of [`DropZone`].
#[derive(Properties, PartialEq)]
pub struct DropZoneProps {
    /// Called with the chosen file's name and contents.
    pub on_file: Callback<(String, Blob)>,
    /// Called when the user asks for the built-in sample.
    pub on_sample: Callback<()>,
    /// Whether a file is dragged over the page right now.
    pub dragging: bool,
}

/// The `change` handler of a file input: emits the chosen file's name and contents to `on_file`, then clears the
/// input so the same file can be chosen again. The drop zone and the compare picker both use it.
pub fn file_picked(on_file: Callback<(String, Blob)>) -> Callback<Event> {
    Callback::from(move |event: Event| {
        let Some(input) = event.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return };
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            on_file.emit((file.name(), file.into()));
        }
        input.set_value("");
    })
}

/// The drop zone with its file picker.
#[function_component]
pub fn DropZone(props: &DropZoneProps) -> Html {
    let onchange = file_picked(props.on_file.clone());
    let on_sample = props.on_sample.reform(|_: MouseEvent| ());
    let class = classes!("drop-zone", props.dragging.then_some("dragging"));
    html! {
        <section {class} aria-label="Open an image">
            <div class="drop-text">
                <p class="drop-title">{ "Drop an image tarball anywhere on this page" }</p>
                <p class="drop-hint">
                    { "Made by " }<code>{ "docker save IMAGE -o image.tar" }</code>{ ", " }
                    <code>{ "podman save" }</code>{ " or " }<code>{ "skopeo copy … oci-archive:image.tar" }</code>{ "." }
                </p>
            </div>
            <div class="drop-actions">
                <label class="button primary">
                    { "Choose a file…" }
                    <input id="file-input" type="file" class="visually-hidden" {onchange}
                        accept=".tar,.tar.gz,.tgz,.tar.zst,application/x-tar,application/gzip" />
                </label>
                <button type="button" class="button" onclick={on_sample}>{ "Analyse the sample image" }</button>
                <a class="button" href="#dockerfile-view">{ "Paste a Dockerfile ↓" }</a>
            </div>
        </section>
    }
}
