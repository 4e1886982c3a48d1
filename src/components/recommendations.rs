//! The recommendations panel: the ranked actions with the bytes each saves, and the base-image alternatives
//! as a bar chart of estimated image sizes with the current image marked.

use crate::format;
use crate::report::SharedReport;
use layerlens_core::recommend::{Action, Alternative, Recommendations};
use yew::prelude::*;

/// Properties of [`RecommendationsView`].
#[derive(Properties, PartialEq)]
pub struct RecommendationsProps {
    /// The report whose recommendations are shown.
    pub report: SharedReport,
}

/// Width of the chart's drawing area in SVG units.
const CHART_WIDTH: f64 = 640.0;
/// Width given to the image names left of the bars.
const LABEL_WIDTH: f64 = 220.0;
/// Height of one bar row.
const ROW_HEIGHT: f64 = 26.0;

/// How many bytes an action saves, in words (`12 MB`, `3 MB compressed`, or that it cannot be measured).
pub fn saving_words(action: &Action) -> String {
    match action.bytes_saved {
        Some(bytes) if action.compressed => format!("{} compressed", format::bytes(bytes)),
        Some(bytes) => format::bytes(bytes),
        None => "not measurable".to_string(),
    }
}

/// The ranked actions and the base-image comparison; when no recommendations could be made, why.
#[function_component]
pub fn RecommendationsView(props: &RecommendationsProps) -> Html {
    let body = match &props.report.recommendations {
        Ok(recs) => html! { <>{ actions(recs) }{ chart(&recs.alternatives) }{ unknowns(recs) }</> },
        Err(err) => html! { <p class="muted">{ format!("No recommendations could be made: {}", err.message) }</p> },
    };
    html! {
        <section class="panel recommendations" id="recommendations" aria-labelledby="recommendations-title">
            <h2 id="recommendations-title">{ "Recommendations" }</h2>
            { body }
        </section>
    }
}

fn actions(recs: &Recommendations) -> Html {
    if recs.actions.is_empty() {
        return html! { <p class="muted">{ "Nothing to change was found." }</p> };
    }
    let items = recs.actions.iter().map(|a| {
        html! {
            <li class="action" data-id={a.id.clone()}>
                <div class="action-head">
                    <strong class="action-title">{ a.title.clone() }</strong>
                    <span class="action-saving" title={a.bytes_saved.map(format::exact_bytes)}
                        data-bytes={a.bytes_saved.map(|b| b.to_string())}>
                        { saving_words(a) }
                    </span>
                </div>
                <p class="action-why">{ a.why.clone() }</p>
                <p class="action-how"><span class="muted">{ "How: " }</span>{ a.how.clone() }</p>
            </li>
        }
    });
    html! {
        <>
            <h3>{ "What to change, largest saving first" }</h3>
            <ol class="actions">{ for items }</ol>
        </>
    }
}

fn chart(alternatives: &[Alternative]) -> Html {
    if alternatives.is_empty() {
        return html! {};
    }
    let scale = alternatives.iter().filter_map(|a| a.estimated_image_bytes).max().unwrap_or(0).max(1) as f64;
    let bar_room = CHART_WIDTH - LABEL_WIDTH - 90.0;
    let height = ROW_HEIGHT * alternatives.len() as f64 + 4.0;
    let rows = alternatives.iter().enumerate().map(|(i, a)| {
        let y = ROW_HEIGHT * i as f64;
        let class = if a.current { "alt-bar current" } else { "alt-bar" };
        let name = if a.current { format!("{} (this image)", a.image) } else { a.image.clone() };
        let (bar, label) = match a.estimated_image_bytes {
            Some(bytes) => {
                let width = bar_room * bytes as f64 / scale;
                let rect = html! { <rect x={LABEL_WIDTH.to_string()} y={(y + 4.0).to_string()}
                width={width.to_string()} height={(ROW_HEIGHT - 8.0).to_string()} rx="3" /> };
                (
                    rect,
                    html! { <text class="alt-size" x={(LABEL_WIDTH + width + 6.0).to_string()}
                    y={(y + ROW_HEIGHT / 2.0 + 4.0).to_string()}>{ format::bytes(bytes) }</text> },
                )
            }
            None => (
                html! {},
                html! { <text class="alt-size muted" x={(LABEL_WIDTH + 6.0).to_string()}
                y={(y + ROW_HEIGHT / 2.0 + 4.0).to_string()}>{ "size unknown" }</text> },
            ),
        };
        html! {
            <g class={class} data-image={a.image.clone()}>
                <title>{ format!("{name}: {}", alternative_sizes(a)) }</title>
                <text class="alt-name" x={(LABEL_WIDTH - 8.0).to_string()} y={(y + ROW_HEIGHT / 2.0 + 4.0).to_string()}
                    text-anchor="end">{ name }</text>
                { bar }
                { label }
            </g>
        }
    });
    let details = alternatives.iter().map(|a| {
        html! {
            <li class={classes!("alternative", a.current.then_some("current"))}>
                <strong>{ a.image.clone() }</strong>
                { format!(" — {} · {}", a.variant, a.os_version) }
                <div class="muted">{ alternative_sizes(a) }</div>
                if !a.tradeoffs.is_empty() {
                    <ul class="tradeoffs">{ for a.tradeoffs.iter().map(|t| html! { <li>{ t.clone() }</li> }) }</ul>
                }
                if !a.blockers.is_empty() {
                    <ul class="blockers">
                        { for a.blockers.iter().map(|b| html! { <li class="warning">{ b.clone() }</li> }) }
                    </ul>
                }
            </li>
        }
    });
    html! {
        <>
            <h3>{ "Base-image alternatives" }</h3>
            <p class="muted">
                { "Bars: estimated image size on disk (uncompressed) — this image's own layers on each base. \
                   Base sizes below are the catalog's registry (compressed) and on-disk figures." }
            </p>
            <svg class="alt-chart" role="img" aria-label="Estimated image size on each base image"
                viewBox={format!("0 0 {CHART_WIDTH} {height}")} width="100%" preserveAspectRatio="xMinYMin meet">
                { for rows }
            </svg>
            <ul class="alternatives">{ for details }</ul>
        </>
    }
}

/// The sizes of an alternative, each labelled as on-disk or compressed as the catalog gives them.
fn alternative_sizes(a: &Alternative) -> String {
    let mut parts = Vec::new();
    if let Some(bytes) = a.estimated_image_bytes {
        parts.push(format!("image ≈ {} on disk", format::bytes(bytes)));
    }
    if let Some(bytes) = a.saving_bytes {
        let word = if bytes < 0 { "larger" } else { "saved" };
        parts.push(format!("{} {word} on disk", format::bytes(bytes.unsigned_abs())));
    }
    if let Some(bytes) = a.uncompressed_bytes {
        parts.push(format!("base {} on disk", format::bytes(bytes)));
    }
    if let Some(bytes) = a.compressed_bytes {
        parts.push(format!("base {} compressed", format::bytes(bytes)));
    }
    if parts.is_empty() {
        "sizes not catalogued".to_string()
    } else {
        parts.join(" · ")
    }
}

fn unknowns(recs: &Recommendations) -> Html {
    if recs.unknowns.is_empty() {
        return html! {};
    }
    html! {
        <details class="unknowns">
            <summary>{ "What could not be determined" }</summary>
            <ul>{ for recs.unknowns.iter().map(|u| html! { <li>{ u.clone() }</li> }) }</ul>
        </details>
    }
}
