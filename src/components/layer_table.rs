//! The history and layer table: every build step with its command, sizes and file counts.

use crate::format;
use crate::report::SharedReport;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Properties of [`LayerTable`].
#[derive(Properties, PartialEq)]
pub struct LayerTableProps {
    /// The engine's report.
    pub report: SharedReport,
    /// The selected layer.
    pub selected: Option<usize>,
    /// Called with a layer's index when the user selects its row.
    pub on_select: Callback<usize>,
}

/// Commands longer than this are folded behind a disclosure.
const LONG_COMMAND: usize = 100;

/// Build steps in order; steps that made no layer are muted.
#[function_component]
pub fn LayerTable(props: &LayerTableProps) -> Html {
    let r = &props.report.analysis;
    let count = r.layers.len();
    // Every history step, then any layer the history does not mention.
    let mut rows: Vec<(Option<usize>, String)> = r.history.iter().map(|h| (h.layer, h.command.clone())).collect();
    for layer in r.layers.iter().filter(|l| l.history.is_none()) {
        rows.push((Some(layer.index), layer.command.clone()));
    }
    let body = rows.into_iter().enumerate().map(|(step, (layer, command))| {
        let command_cell = if command.chars().count() > LONG_COMMAND {
            let short: String = command.chars().take(LONG_COMMAND).collect();
            html! { <details><summary>{ format!("{short}…") }</summary><code>{ command.clone() }</code></details> }
        } else {
            html! { <code>{ command.clone() }</code> }
        };
        match layer.and_then(|i| r.layers.get(i)) {
            Some(l) => {
                let index = l.index;
                let selected = props.selected == Some(index);
                let onclick = props.on_select.reform(move |_: MouseEvent| index);
                let onkeydown = {
                    let on_select = props.on_select.clone();
                    Callback::from(move |event: KeyboardEvent| {
                        let target = match event.key().as_str() {
                            "ArrowDown" | "ArrowRight" if index + 1 < count => index + 1,
                            "ArrowUp" | "ArrowLeft" if index > 0 => index - 1,
                            "Home" => 0,
                            "End" => count.saturating_sub(1),
                            _ => return,
                        };
                        event.prevent_default();
                        on_select.emit(target);
                        focus_layer_button(&event, target);
                    })
                };
                let c = &l.changes;
                html! {
                    <tr class={classes!("layer-row", selected.then_some("selected"))} {onclick}
                        aria-selected={selected.to_string()}>
                        <td class="num">{ step + 1 }</td>
                        <td>
                            <button type="button" class="link" data-layer={index.to_string()} {onkeydown}
                                aria-pressed={selected.to_string()} aria-keyshortcuts="ArrowUp ArrowDown"
                                aria-label={format!("Select layer {index}")}>{ format!("L{index}") }</button>
                        </td>
                        <td class="command">{ command_cell }</td>
                        <td class="num" title={format::exact_bytes(l.content_bytes)}>{ format::bytes(l.content_bytes) }</td>
                        <td class="num" title={format::exact_bytes(l.shipped_hidden_bytes)}>
                            { if l.shipped_hidden_bytes > 0 { format::bytes(l.shipped_hidden_bytes) } else { "—".into() } }
                        </td>
                        <td class="num">{ format::grouped(l.files) }</td>
                        <td class="num changes">
                            { format!("+{} ~{} −{}", c.added, c.modified, c.removed) }
                        </td>
                    </tr>
                }
            }
            None => html! {
                <tr class="empty">
                    <td class="num">{ step + 1 }</td>
                    <td>{ "—" }</td>
                    <td class="command">{ command_cell }</td>
                    <td class="num" colspan="4">{ "no layer" }</td>
                </tr>
            },
        }
    });
    html! {
        <section class="panel">
            <div class="table-scroll">
                <table class="layer-table" id="layer-table">
                    <caption>{ "Build history, oldest first. Sizes are file contents; hidden = shipped here but not visible in the final image." }</caption>
                    <thead>
                        <tr>
                            <th scope="col" class="num">{ "Step" }</th>
                            <th scope="col">{ "Layer" }</th>
                            <th scope="col">{ "Command" }</th>
                            <th scope="col" class="num">{ "Size" }</th>
                            <th scope="col" class="num">{ "Hidden" }</th>
                            <th scope="col" class="num">{ "Files" }</th>
                            <th scope="col" class="num"><abbr title="added ~modified −removed paths">{ "Changes" }</abbr></th>
                        </tr>
                    </thead>
                    <tbody>{ for body }</tbody>
                </table>
            </div>
        </section>
    }
}

/// Moves keyboard focus to the button of layer `index` in the table holding the event's target.
fn focus_layer_button(event: &KeyboardEvent, index: usize) {
    let Some(current) = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
    let Ok(Some(table)) = current.closest("table") else { return };
    if let Ok(Some(next)) = table.query_selector(&format!("button[data-layer=\"{index}\"]")) {
        if let Ok(next) = next.dyn_into::<web_sys::HtmlElement>() {
            let _ = next.focus();
        }
    }
}
