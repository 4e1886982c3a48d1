//! The Dockerfile text area.

use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// Properties of [`DockerfileEditor`].
#[derive(Properties, PartialEq)]
pub struct DockerfileEditorProps {
    /// The current text.
    pub text: AttrValue,
    /// Called with the new text on every edit.
    pub on_change: Callback<String>,
}

/// A text area for pasting or typing a Dockerfile.
#[function_component]
pub fn DockerfileEditor(props: &DockerfileEditorProps) -> Html {
    let on_change = props.on_change.clone();
    let oninput = Callback::from(move |event: InputEvent| {
        if let Some(area) = event.target().and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok()) {
            on_change.emit(area.value());
        }
    });
    let lines = props.text.lines().count();
    html! {
        <section class="dockerfile" aria-label="Dockerfile">
            <h2><label for="dockerfile-text">{ "Dockerfile" }</label></h2>
            <textarea id="dockerfile-text" spellcheck="false" rows="12" value={props.text.clone()} {oninput}
                placeholder="Paste a Dockerfile here" />
            <p class="muted">{ format!("{lines} lines") }</p>
        </section>
    }
}
