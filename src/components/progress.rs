//! The progress bar shown while the worker reads a file.

use crate::format;
use yew::prelude::*;

/// Properties of [`ProgressPanel`].
#[derive(Properties, PartialEq)]
pub struct ProgressProps {
    /// The file being read.
    pub name: AttrValue,
    /// Bytes read so far.
    pub done: u64,
    /// Bytes in the file.
    pub total: u64,
    /// The read rate in MB/s, once known.
    pub rate_mb_s: Option<f64>,
    /// Called when the user presses Cancel.
    pub on_cancel: Callback<()>,
}

/// A labelled progress bar with the read rate and a cancel button.
#[function_component]
pub fn ProgressPanel(props: &ProgressProps) -> Html {
    let fraction = if props.total == 0 { 0.0 } else { props.done as f64 / props.total as f64 };
    let rate = match props.rate_mb_s {
        Some(rate) => format!("{rate:.1} MB/s"),
        None => "starting…".to_string(),
    };
    let onclick = props.on_cancel.reform(|_: MouseEvent| ());
    html! {
        <section class="progress-panel" aria-live="polite" aria-busy="true">
            <div class="progress-head">
                <span>{ "Reading " }<strong>{ props.name.clone() }</strong></span>
                <span class="progress-figures">
                    { format!("{} of {} · ", format::bytes(props.done), format::bytes(props.total)) }
                    <span class="rate">{ rate }</span>
                </span>
            </div>
            <progress max="1" value={fraction.to_string()} aria-label="Bytes read">
                { format::percent(fraction) }
            </progress>
            <button type="button" class="button" id="cancel" {onclick}>{ "Cancel" }</button>
        </section>
    }
}
