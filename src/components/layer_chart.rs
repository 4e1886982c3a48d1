//! The layer chart: one bar per layer showing what it ships split by what the bytes are (kept, duplicate content,
//! caches and toolchains, hidden by a later layer), and the running total. Each category has its own colour and
//! pattern and is named in the legend and in each bar's label, so colour is never the only signal.

use crate::format;
use crate::report::{layer_figures, SharedReport};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Properties of [`LayerChart`].
#[derive(Properties, PartialEq)]
pub struct LayerChartProps {
    /// The engine's report.
    pub report: SharedReport,
    /// The selected layer.
    pub selected: Option<usize>,
    /// Called with a layer's index when the user selects it.
    pub on_select: Callback<usize>,
}

const WIDTH: f64 = 760.0;
const LABEL: f64 = 44.0;
const BAR: f64 = 470.0;
const ROW: f64 = 30.0;

/// An SVG bar chart of the layers, keyboard- and pointer-selectable.
#[function_component]
pub fn LayerChart(props: &LayerChartProps) -> Html {
    let figures = layer_figures(&props.report);
    let max_shipped = figures.iter().map(|f| f.shipped).max().unwrap_or(0).max(1) as f64;
    let total = figures.last().map(|f| f.running_total).unwrap_or(0).max(1) as f64;
    let count = figures.len();
    let height = ROW * count as f64 + 8.0;
    let rows = figures.iter().map(|f| {
        let y = ROW * f.index as f64 + 4.0;
        let scale = |bytes: u64| BAR * bytes as f64 / max_shipped;
        let (kept_w, duplicate_w, cache_w, hidden_w) = (scale(f.kept), scale(f.duplicate), scale(f.cache), scale(f.hidden));
        let running_w = BAR * f.running_total as f64 / total;
        let selected = props.selected == Some(f.index);
        let label = format!(
            "Layer {}: {}. Ships {}: {} kept, {} duplicate content, {} caches and toolchains, {} hidden by a later \
             layer; {} in total up to here.",
            f.index,
            f.command,
            format::bytes(f.shipped),
            format::bytes(f.kept),
            format::bytes(f.duplicate),
            format::bytes(f.cache),
            format::bytes(f.hidden),
            format::bytes(f.running_total)
        );
        let index = f.index;
        let onclick = props.on_select.reform(move |_: MouseEvent| index);
        let onkeydown = {
            let on_select = props.on_select.clone();
            Callback::from(move |event: KeyboardEvent| {
                let target = match event.key().as_str() {
                    "Enter" | " " => Some(index),
                    "ArrowDown" | "ArrowRight" if index + 1 < count => Some(index + 1),
                    "ArrowUp" | "ArrowLeft" if index > 0 => Some(index - 1),
                    "Home" => Some(0),
                    "End" => Some(count - 1),
                    _ => None,
                };
                if let Some(target) = target {
                    event.prevent_default();
                    on_select.emit(target);
                    focus_bar(&event, target);
                }
            })
        };
        let text = if f.hidden > 0 {
            format!("{} · {} hidden", format::bytes(f.shipped), format::bytes(f.hidden))
        } else {
            format::bytes(f.shipped)
        };
        html! {
            <g class={classes!("layer-bar", selected.then_some("selected"))} tabindex={if selected { "0" } else { "-1" }}
                role="option" aria-selected={selected.to_string()} aria-label={label.clone()}
                data-layer={index.to_string()} {onclick} {onkeydown}>
                <title>{ label }</title>
                <rect class="row-bg" x="0" y={(y - 3.0).to_string()} width={WIDTH.to_string()} height={ROW.to_string()} rx="4" />
                <text class="axis-label" x="8" y={(y + 13.0).to_string()}>{ format!("L{index}") }</text>
                <rect class="kept" x={LABEL.to_string()} y={y.to_string()} width={kept_w.to_string()} height="14" />
                <rect class="duplicate-part" x={(LABEL + kept_w).to_string()} y={y.to_string()}
                    width={duplicate_w.to_string()} height="14" />
                <rect class="cache-part" x={(LABEL + kept_w + duplicate_w).to_string()} y={y.to_string()}
                    width={cache_w.to_string()} height="14" />
                <rect class="hidden-part" x={(LABEL + kept_w + duplicate_w + cache_w).to_string()} y={y.to_string()}
                    width={hidden_w.to_string()} height="14" />
                <rect class="running" x={LABEL.to_string()} y={(y + 17.0).to_string()} width={running_w.to_string()} height="4" />
                <text class="bar-value" x={(LABEL + BAR + 12.0).to_string()} y={(y + 13.0).to_string()}>{ text }</text>
            </g>
        }
    });
    html! {
        <figure class="layer-chart panel" aria-labelledby="layer-chart-title">
            <figcaption id="layer-chart-title">
                <h3>{ "Layers" }</h3>
                <span class="legend">
                    <span class="swatch kept"></span>{ "kept (solid)" }
                    <span class="swatch duplicate-part"></span>{ "duplicate content (dotted)" }
                    <span class="swatch cache-part"></span>{ "caches and toolchains (checked)" }
                    <span class="swatch hidden-part"></span>{ "hidden by a later layer (striped)" }
                    <span class="swatch running"></span>{ "running total (thin bar)" }
                </span>
            </figcaption>
            <svg id="layer-chart" viewBox={format!("0 0 {WIDTH} {height}")} width="100%" role="listbox"
                aria-label="Layer sizes; the layer table below holds the same figures" xmlns="http://www.w3.org/2000/svg">
                <defs>
                    <pattern id="hatch-hidden" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                        <rect class="hatch-bg" width="6" height="6" />
                        <line class="hatch-line" x1="0" y1="0" x2="0" y2="6" stroke-width="3" />
                    </pattern>
                    <pattern id="dots-duplicate" width="5" height="5" patternUnits="userSpaceOnUse">
                        <rect class="dots-bg" width="5" height="5" />
                        <circle class="dots-dot" cx="2.5" cy="2.5" r="1.3" />
                    </pattern>
                    <pattern id="check-cache" width="6" height="6" patternUnits="userSpaceOnUse">
                        <rect class="check-bg" width="6" height="6" />
                        <rect class="check-cell" width="3" height="3" />
                        <rect class="check-cell" x="3" y="3" width="3" height="3" />
                    </pattern>
                </defs>
                { for rows }
            </svg>
        </figure>
    }
}

/// Moves keyboard focus to the bar of layer `index`, a sibling of the event's target.
fn focus_bar(event: &KeyboardEvent, index: usize) {
    let Some(current) = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
    let Some(svg) = current.parent_element() else { return };
    if let Ok(Some(next)) = svg.query_selector(&format!("[data-layer=\"{index}\"]")) {
        if let Ok(next) = next.dyn_into::<web_sys::SvgElement>() {
            let _ = next.focus();
        }
    }
}
