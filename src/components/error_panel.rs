//! An analysis failure in plain words, with what to try next.

use super::code_text::code_text;
use layerlens_core::{Error, ErrorKind};
use yew::prelude::*;

/// Properties of [`ErrorPanel`].
#[derive(Properties, PartialEq)]
pub struct ErrorPanelProps {
    /// The file that failed (empty when the page itself failed).
    pub name: AttrValue,
    /// The engine's error.
    pub error: Error,
}

/// What the user can try for each kind of error.
pub fn advice(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::NotAnImage => {
            "layerlens reads image archives. Make one with `docker save IMAGE -o image.tar`, \
             `podman save IMAGE -o image.tar` or `skopeo copy docker://IMAGE oci-archive:image.tar`, then drop that file."
        }
        ErrorKind::Truncated => {
            "The file ends too early, as if a download or `docker save` was interrupted. Save the image again and retry."
        }
        ErrorKind::Corrupt => "The archive is damaged. Save the image again; if this keeps happening, please report it.",
        ErrorKind::Unsupported => "This archive uses something layerlens does not handle yet. Please report it.",
        ErrorKind::Limit => "The image is larger than layerlens can analyse in this browser. Try the layerlens CLI.",
        ErrorKind::Io => {
            "The browser could not read the file. If it was moved or changed after you chose it, choose it again."
        }
        ErrorKind::Cancelled => "The analysis was cancelled. Choose a file to start again.",
    }
}

/// The error panel.
#[function_component]
pub fn ErrorPanel(props: &ErrorPanelProps) -> Html {
    let title = if props.name.is_empty() {
        "The analysis failed".to_string()
    } else {
        format!("{} could not be analysed", props.name)
    };
    html! {
        <section class="error-panel" role="alert">
            <h2>{ title }</h2>
            <p class="error-message">{ capitalised(&props.error.message) }{ "." }</p>
            <p class="error-advice">{ code_text(advice(props.error.kind)) }</p>
        </section>
    }
}

fn capitalised(message: &str) -> String {
    let trimmed = message.trim_end_matches('.');
    let mut chars = trimmed.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
