//! The Dockerfile's size estimate: the final stage's base with its catalog row and sizes, the parts whose size
//! the Dockerfile cannot tell, and each rewrite's base beside it as bars and as a table with the trade-offs.

use super::code_text::code_text;
use super::size_bars::{size_bars, SizeBar, SizeChart};
use crate::format;
use crate::report::{BaseFacts, DockerfileReport};
use layerlens_core::recommend::{DockerfileAdvice, SizeEstimate};
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`EstimateView`].
#[derive(Properties, PartialEq)]
pub struct EstimateProps {
    /// The core's advice for the current Dockerfile text.
    pub report: Rc<DockerfileReport>,
}

/// One base the estimate compares: the final stage's own base or a rewrite's.
struct BaseRow<'a> {
    /// The base image reference.
    base: &'a str,
    /// Who uses it: the user's Dockerfile or the rewrite's title.
    used_by: String,
    /// The rewrite's id, for a rewrite's base.
    rewrite: Option<&'a str>,
    /// On-disk size from the catalog.
    on_disk: Option<u64>,
    /// Compressed (registry) size from the catalog.
    compressed: Option<u64>,
    /// The core's trade-off notes for the rewrite (none for the user's own base).
    notes: &'a [String],
}

/// The size estimate of the Dockerfile in the editor; nothing until the lint worker has read it.
#[function_component]
pub fn EstimateView(props: &EstimateProps) -> Html {
    let report = &props.report;
    let body = match (&report.advice, &report.error) {
        (_, Some(error)) => {
            html! { <p class="muted">{ format!("No size estimate could be made: {}", error.message) }</p> }
        }
        (None, None) => return Html::default(),
        (Some(advice), None) if advice.estimate.base.is_empty() => problems(advice),
        (Some(advice), None) => html! {
            <>
                { headline(&advice.estimate, report.facts(&advice.estimate.base)) }
                { unknown_parts(&advice.estimate) }
                { comparison(advice, report) }
                { problems(advice) }
            </>
        },
    };
    html! {
        <section class="panel estimate" id="estimate" aria-labelledby="estimate-title">
            <h2 id="estimate-title">{ "Size estimate" }</h2>
            { body }
        </section>
    }
}

/// Both catalog sizes in words, each named as on disk or compressed, or that the catalog has neither.
fn size_words(on_disk: Option<u64>, compressed: Option<u64>) -> String {
    match (on_disk, compressed) {
        (Some(u), Some(c)) => format!("{} on disk, {} compressed", format::bytes(u), format::bytes(c)),
        (Some(u), None) => format!("{} on disk (compressed size not catalogued)", format::bytes(u)),
        (None, Some(c)) => format!("{} compressed (on-disk size not catalogued)", format::bytes(c)),
        (None, None) => "size not catalogued".to_string(),
    }
}

/// What the catalog row states about a base: OS, C library, shell and package manager.
fn facts_words(facts: &BaseFacts) -> String {
    let libc = facts.libc.map_or("not stated", |l| l.name());
    format!(
        "{}; C library: {libc}; shell: {}; package manager: {}",
        facts.os_version, facts.has_shell, facts.pkg_manager
    )
}

fn headline(estimate: &SizeEstimate, facts: Option<&BaseFacts>) -> Html {
    let base = estimate.base.clone();
    let sizes = (estimate.base_uncompressed_bytes, estimate.base_compressed_bytes);
    let sentence = match (&estimate.catalog_row, sizes) {
        (None, (None, None)) => html! {
            <><code>{ base }</code>{ " is not in the base-image catalog, so its size is unknown." }</>
        },
        (Some(_), (None, None)) => html! {
            <>{ "Your base " }<code>{ base }</code>{ " is in the base-image catalog, which gives no size for it." }</>
        },
        (_, (on_disk, compressed)) => html! {
            <>{ "Your base " }<code>{ base }</code>{ format!(" is {}.", size_words(on_disk, compressed)) }</>
        },
    };
    let row = estimate.catalog_row.as_ref().map(|row| {
        let facts = facts.map(|f| format!(" — {}", facts_words(f))).unwrap_or_default();
        html! { <p class="estimate-row muted">{ "Catalog row " }<code>{ row.clone() }</code>{ facts }</p> }
    });
    html! {
        <>
            <p class="estimate-base" data-base={estimate.base.clone()}
                data-on-disk={estimate.base_uncompressed_bytes.map(|b| b.to_string())}
                data-compressed={estimate.base_compressed_bytes.map(|b| b.to_string())}>
                { sentence }
            </p>
            { for row }
        </>
    }
}

fn unknown_parts(estimate: &SizeEstimate) -> Html {
    if estimate.unknown.is_empty() {
        return Html::default();
    }
    html! {
        <>
            <h3>{ "What the estimate cannot include" }</h3>
            <ul class="estimate-unknown">
                { for estimate.unknown.iter().map(|u| html! { <li>{ code_text(u) }</li> }) }
            </ul>
        </>
    }
}

/// The final stage's base and every rewrite's base, as bars in one measure and as a table.
fn comparison(advice: &DockerfileAdvice, report: &DockerfileReport) -> Html {
    if advice.rewrites.is_empty() {
        return Html::default();
    }
    let own = BaseRow {
        base: &advice.estimate.base,
        used_by: "your Dockerfile".to_string(),
        rewrite: None,
        on_disk: advice.estimate.base_uncompressed_bytes,
        compressed: advice.estimate.base_compressed_bytes,
        notes: &[],
    };
    let rows: Vec<BaseRow<'_>> = std::iter::once(own)
        .chain(advice.rewrites.iter().map(|rw| BaseRow {
            base: &rw.final_base,
            used_by: rw.title.clone(),
            rewrite: Some(&rw.id),
            on_disk: rw.final_base_uncompressed_bytes,
            compressed: rw.final_base_compressed_bytes,
            notes: &rw.notes,
        }))
        .collect();
    // Every bar uses one measure: on disk unless more bases have a compressed size.
    let on_disk_count = rows.iter().filter(|r| r.on_disk.is_some()).count();
    let compressed_count = rows.iter().filter(|r| r.compressed.is_some()).count();
    let on_disk = on_disk_count >= compressed_count;
    let (unit, measure) = if on_disk { ("on disk", "on-disk") } else { ("compressed", "compressed (registry)") };
    let caption = format!(
        "Bars: each base image's {measure} size from the catalog; what the Dockerfile adds comes on top of \
         every base and is not in the bars."
    );
    let bars: Vec<SizeBar> = rows
        .iter()
        .map(|r| {
            let label = if r.rewrite.is_none() { format!("{} (yours)", r.base) } else { r.base.to_string() };
            SizeBar {
                image: r.base.to_string(),
                title: format!("{} ({}): {}", r.base, r.used_by, size_words(r.on_disk, r.compressed)),
                label,
                bytes: if on_disk { r.on_disk } else { r.compressed },
                current: r.rewrite.is_none(),
            }
        })
        .collect();
    let chart =
        SizeChart { label_width: 180.0, bar_width: 200.0, class: "alt-chart estimate-chart", unit, caption: &caption };
    let groups = rows.iter().map(|r| {
        let facts = report.facts(r.base).map(|facts| format!("Catalog: {}.", facts_words(facts)));
        let uncatalogued = facts.is_none() && r.on_disk.is_none() && r.compressed.is_none();
        let bytes = |b: Option<u64>| b.map_or_else(|| "not catalogued".to_string(), format::bytes);
        html! {
            <tbody data-base={r.base.to_string()} data-rewrite={r.rewrite.map(str::to_string)}>
                <tr>
                    <th scope="row"><code>{ r.base.to_string() }</code><div class="muted">{ r.used_by.clone() }</div></th>
                    <td>{ bytes(r.on_disk) }</td>
                    <td>{ bytes(r.compressed) }</td>
                </tr>
                <tr class="estimate-tradeoffs">
                    <td colspan="3">
                        if let Some(facts) = facts { <div>{ facts }</div> }
                        if uncatalogued { <div class="muted">{ "Not in the base-image catalog." }</div> }
                        if !r.notes.is_empty() {
                            <ul>{ for r.notes.iter().map(|n| html! { <li>{ code_text(n) }</li> }) }</ul>
                        }
                    </td>
                </tr>
            </tbody>
        }
    });
    html! {
        <>
            <h3>{ "Your base beside each rewrite's base" }</h3>
            if bars.iter().any(|b| b.bytes.is_some()) {
                <p class="muted estimate-caption" data-measure={unit}>{ caption.clone() }</p>
                { size_bars(chart, &bars) }
            } else {
                <p class="muted estimate-caption">{ "The catalog gives no size for any of these bases, so there is nothing to draw." }</p>
            }
            <div class="table-scroll">
            <table class="estimate-table">
                <caption class="visually-hidden">{ "The bases in the chart, with both sizes, the catalog's facts and the trade-offs" }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ "Base" }</th>
                        <th scope="col">{ "On disk" }</th>
                        <th scope="col">{ "Compressed" }</th>
                    </tr>
                </thead>
                { for groups }
            </table>
            </div>
        </>
    }
}

fn problems(advice: &DockerfileAdvice) -> Html {
    if advice.problems.is_empty() {
        return Html::default();
    }
    html! {
        <ul class="estimate-problems muted">
            { for advice.problems.iter().map(|p| html! { <li>{ code_text(p) }</li> }) }
        </ul>
    }
}
