//! The waste view: bytes shipped but hidden (who shipped them, who hid them, why) and duplicate files.

use crate::format;
use crate::report::SharedReport;
use layerlens_core::image::HideReason;
use yew::prelude::*;

/// Properties of [`WasteView`].
#[derive(Properties, PartialEq)]
pub struct WasteProps {
    /// The engine's report.
    pub report: SharedReport,
    /// Called with a layer's index when the user follows a layer link.
    pub on_select: Callback<usize>,
}

/// Rows shown per list before the rest is summarised.
const SHOWN: usize = 50;

/// Why bytes are hidden, in words.
pub fn reason_words(reason: HideReason) -> &'static str {
    match reason {
        HideReason::Deleted => "deleted",
        HideReason::DirectoryDeleted => "its directory was deleted",
        HideReason::OpaqueHidden => "hidden by an opaque directory",
        HideReason::Overwritten => "overwritten",
        HideReason::MetadataOnly => "shipped again for a permission or owner change",
    }
}

/// Hidden bytes by layer pair, the largest hidden files, and duplicate content.
#[function_component]
pub fn WasteView(props: &WasteProps) -> Html {
    let r = &props.report.analysis;
    let layer_link = |index: usize| {
        let onclick = props.on_select.reform(move |_: MouseEvent| index);
        html! { <button type="button" class="link" {onclick}>{ format!("L{index}") }</button> }
    };
    let groups = r.waste.by_layers.iter().map(|g| {
        html! {
            <tr>
                <td>{ layer_link(g.shipped_in) }</td>
                <td>{ layer_link(g.hidden_by) }</td>
                <td>{ reason_words(g.reason) }</td>
                <td class="num">{ format::grouped(g.files) }</td>
                <td class="num" title={format::exact_bytes(g.bytes)}>{ format::bytes(g.bytes) }</td>
            </tr>
        }
    });
    let items = r.waste.items.iter().take(SHOWN).map(|f| {
        html! {
            <tr>
                <td class="path">{ format!("/{}", f.path) }</td>
                <td class="num" title={format::exact_bytes(f.bytes)}>{ format::bytes(f.bytes) }</td>
                <td>{ layer_link(f.shipped_in) }</td>
                <td>{ layer_link(f.hidden_by) }</td>
                <td>{ reason_words(f.reason) }</td>
            </tr>
        }
    });
    let duplicates = r.duplicates.groups.iter().take(SHOWN).map(|g| {
        html! {
            <tr>
                <td class="path">{ for g.paths.iter().map(|p| html! { <div>{ format!("/{p}") }</div> }) }</td>
                <td class="num">{ g.paths.len() }</td>
                <td class="num" title={format::exact_bytes(g.size)}>{ format::bytes(g.size) }</td>
                <td class="num" title={format::exact_bytes(g.saving_bytes)}>{ format::bytes(g.saving_bytes) }</td>
            </tr>
        }
    });
    let more = |shown: usize, all: u64, what: &str| {
        (all > shown as u64)
            .then(|| html! { <p class="muted">{ format!("…and {} more {what}.", all - shown as u64) }</p> })
    };
    html! {
        <section class="waste panel" id="waste" aria-label="Waste">
            <h3>{ format!("Hidden bytes: {}", format::bytes(r.waste.hidden_bytes)) }</h3>
            <p class="muted">
                { "Bytes a layer ships but the final filesystem does not show. They still cost download and storage. \
                   Remove files in the same RUN that creates them, or use a multi-stage build." }
            </p>
            if r.waste.by_layers.is_empty() {
                <p>{ "No layer hides bytes shipped by another: nothing is wasted this way." }</p>
            } else {
                <div class="table-scroll">
                    <table id="hidden-by-layer">
                        <caption>{ "Hidden bytes by the layer that shipped them and the layer that hid them" }</caption>
                        <thead><tr>
                            <th scope="col">{ "Shipped in" }</th><th scope="col">{ "Hidden by" }</th>
                            <th scope="col">{ "Why" }</th><th scope="col" class="num">{ "Files" }</th>
                            <th scope="col" class="num">{ "Bytes" }</th>
                        </tr></thead>
                        <tbody>{ for groups }</tbody>
                    </table>
                </div>
                <div class="table-scroll">
                    <table id="hidden-files">
                        <caption>{ "Largest hidden files" }</caption>
                        <thead><tr>
                            <th scope="col">{ "Path" }</th><th scope="col" class="num">{ "Size" }</th>
                            <th scope="col">{ "Shipped in" }</th><th scope="col">{ "Hidden by" }</th><th scope="col">{ "Why" }</th>
                        </tr></thead>
                        <tbody>{ for items }</tbody>
                    </table>
                </div>
                { more(SHOWN.min(r.waste.items.len()), r.waste.item_count, "hidden files") }
            }
            <h3>{ format!("Duplicate files: {} could be saved", format::bytes(r.duplicates.saving_bytes)) }</h3>
            if r.duplicates.groups.is_empty() {
                <p>{ "No file content is stored at two paths." }</p>
            } else {
                <div class="table-scroll">
                    <table id="duplicates">
                        <caption>{ "Identical content at several paths of the final filesystem" }</caption>
                        <thead><tr>
                            <th scope="col">{ "Paths" }</th><th scope="col" class="num">{ "Copies" }</th>
                            <th scope="col" class="num">{ "Size" }</th><th scope="col" class="num">{ "Saving" }</th>
                        </tr></thead>
                        <tbody>{ for duplicates }</tbody>
                    </table>
                </div>
                { more(SHOWN.min(r.duplicates.groups.len()), r.duplicates.group_count, "groups") }
            }
        </section>
    }
}
