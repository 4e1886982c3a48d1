//! The recommendations panel: the ranked actions with the bytes each saves, and the base-image alternatives
//! as a bar chart, every bar in one named measure (on disk or compressed), with the current image marked.

use super::code_text::code_text;
use super::size_bars::{size_bars, SizeBar, SizeChart};
use crate::format;
use crate::report::SharedReport;
use layerlens_core::recommend::{Action, Alternative, Recommendations, SizeSummary};
use yew::prelude::*;

/// Properties of [`RecommendationsView`].
#[derive(Properties, PartialEq)]
pub struct RecommendationsProps {
    /// The report whose recommendations are shown.
    pub report: SharedReport,
}

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
        Ok(recs) => html! { <>{ actions(recs) }{ chart(recs) }{ unknowns(recs) }</> },
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
                <p class="action-why">{ code_text(&a.why) }</p>
                <p class="action-how"><span class="muted">{ "How: " }</span>{ code_text(&a.how) }</p>
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

/// Which size the comparison chart's bars measure. Every bar uses the same one, so bars never mix
/// on-disk and compressed bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartMeasure {
    /// This image's own layers on each base, uncompressed (needs the bases' on-disk sizes).
    OnDisk,
    /// This image's own layers as stored compressed in the archive, on each base's compressed size.
    Compressed,
    /// Each base image's compressed (registry) size alone, from the catalog.
    BaseCompressed,
}

impl ChartMeasure {
    /// The measured bytes of `alternative`, when known.
    pub fn value(self, alternative: &Alternative) -> Option<u64> {
        match self {
            ChartMeasure::OnDisk => alternative.estimated_image_bytes,
            ChartMeasure::Compressed => alternative.estimated_compressed_image_bytes,
            ChartMeasure::BaseCompressed => alternative.compressed_bytes,
        }
    }

    /// The word after a bar's size.
    pub fn unit(self) -> &'static str {
        match self {
            ChartMeasure::OnDisk => "on disk",
            ChartMeasure::Compressed | ChartMeasure::BaseCompressed => "compressed",
        }
    }
}

/// The measure that gives the most alternatives a bar; on ties the fuller measure (whole image on disk, then
/// whole image compressed, then the base alone) wins.
pub fn chart_measure(alternatives: &[Alternative]) -> ChartMeasure {
    let measures = [ChartMeasure::OnDisk, ChartMeasure::Compressed, ChartMeasure::BaseCompressed];
    let count = |m: ChartMeasure| alternatives.iter().filter(|a| m.value(a).is_some()).count();
    let mut best = ChartMeasure::OnDisk;
    for m in measures {
        if count(m) > count(best) {
            best = m;
        }
    }
    best
}

/// What the bars show, in one sentence naming the measure.
fn chart_caption(measure: ChartMeasure, size: &SizeSummary) -> String {
    match measure {
        ChartMeasure::OnDisk => {
            "Bars: estimated image size on disk (uncompressed), this image's own layers on each base.".to_string()
        }
        ChartMeasure::Compressed => {
            "Bars: estimated compressed (registry) size, this image's own layers as the archive \
            stores them compressed on each base's compressed size."
                .to_string()
        }
        ChartMeasure::BaseCompressed => {
            let own = match size.own_bytes {
                Some(bytes) => format!("this image's own layers ({} on disk)", format::bytes(bytes)),
                None => "what the build adds".to_string(),
            };
            format!(
                "Bars: each base image's compressed (registry) size from the catalog, the one size it gives for \
                 every base; {own} come on top of each base and are not in the bars."
            )
        }
    }
}

fn chart(recs: &Recommendations) -> Html {
    let alternatives = &recs.alternatives;
    if alternatives.is_empty() {
        return html! {};
    }
    let measure = chart_measure(alternatives);
    let current_word = if measure == ChartMeasure::BaseCompressed { "this image's base" } else { "this image" };
    let rows: Vec<SizeBar> = alternatives
        .iter()
        .map(|a| {
            let label = if a.current { format!("{} ({current_word})", a.image) } else { a.image.clone() };
            SizeBar {
                image: a.image.clone(),
                title: format!("{label}: {}", alternative_sizes(a)),
                label,
                bytes: measure.value(a),
                current: a.current,
            }
        })
        .collect();
    let details = alternatives.iter().map(|a| {
        html! {
            <li class={classes!("alternative", a.current.then_some("current"))}>
                <strong>{ a.image.clone() }</strong>
                { format!(" — {} · {}", a.variant, a.os_version) }
                <div class="muted">{ alternative_sizes(a) }</div>
                if !a.tradeoffs.is_empty() {
                    <ul class="tradeoffs">{ for a.tradeoffs.iter().map(|t| html! { <li>{ code_text(t) }</li> }) }</ul>
                }
                if !a.blockers.is_empty() {
                    <ul class="blockers">
                        { for a.blockers.iter().map(|b| html! { <li class="warning">{ b.clone() }</li> }) }
                    </ul>
                }
            </li>
        }
    });
    let caption = chart_caption(measure, &recs.size);
    html! {
        <>
            <h3>{ "Base-image alternatives" }</h3>
            <p class="muted alt-caption" data-measure={format!("{measure:?}")}>{ caption.clone() }</p>
            { size_bars(SizeChart {
                label_width: 300.0,
                bar_width: 300.0,
                class: "alt-chart",
                unit: measure.unit(),
                caption: &caption,
            }, &rows) }
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
    if let Some(bytes) = a.estimated_compressed_image_bytes {
        parts.push(format!("image ≈ {} compressed", format::bytes(bytes)));
    }
    if let Some(bytes) = a.saving_bytes {
        let word = if bytes < 0 { "larger" } else { "saved" };
        parts.push(format!("{} {word} on disk", format::bytes(bytes.unsigned_abs())));
    } else if let Some(bytes) = a.compressed_saving_bytes.filter(|_| !a.current) {
        let word = if bytes < 0 { "larger" } else { "saved" };
        parts.push(format!("{} {word} compressed", format::bytes(bytes.unsigned_abs())));
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
