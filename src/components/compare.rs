//! Comparing the shown image with a second one: the picker, the second analysis's progress, and the
//! comparison the core made (figures, per-layer bars side by side with shared layers marked, and a
//! filterable, virtualised list of every path that differs).

use super::drop_zone::file_picked;
use super::virtual_list::{use_virtual_list, Viewport};
use crate::format;
use crate::state::CompareJob;
use layerlens_core::compare::{Aspect, Change, ComparedLayer, Comparison, FileChange};
use layerlens_core::image::NodeKind;
use std::rc::Rc;
use web_sys::{Blob, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Properties of [`ComparePanel`].
#[derive(Properties, PartialEq)]
pub struct ComparePanelProps {
    /// Where the comparison stands.
    pub job: CompareJob,
    /// The shown image's display name.
    pub first_name: AttrValue,
    /// Called with a second file to compare with.
    pub on_file: Callback<(String, Blob)>,
    /// Called to cancel the second analysis or close the comparison.
    pub on_close: Callback<()>,
}

/// The compare panel: a "Compare with…" picker, then progress, then the comparison.
#[function_component]
pub fn ComparePanel(props: &ComparePanelProps) -> Html {
    let onchange = file_picked(props.on_file.clone());
    let picker = |label: &str| {
        html! {
            <label class="button">
                { label.to_string() }
                <input id="compare-input" type="file" class="visually-hidden" onchange={onchange.clone()}
                    accept=".tar,.tar.gz,.tgz,.tar.zst,application/x-tar,application/gzip" />
            </label>
        }
    };
    let close = props.on_close.reform(|_: MouseEvent| ());
    match &props.job {
        CompareJob::Off => html! {
            <section class="panel compare-pick compare-offer" aria-label="Compare with another image">
                <div class="compare-offer-text">
                    <h2>{ "Compare with another image" }</h2>
                    <p class="muted">
                        { format!("Choose or drop a second tarball to see how it differs from {}: sizes per layer, shared layers, and the files added, removed and changed.", props.first_name) }
                    </p>
                </div>
                { picker("Compare with…") }
            </section>
        },
        CompareJob::Reading { name, done, total } => {
            let percent = if *total > 0 { *done as f64 * 100.0 / *total as f64 } else { 0.0 };
            html! {
                <section class="panel compare-pick" aria-label="Compare with another image">
                    <p role="status">{ format!("Reading {name} to compare… {percent:.0} % of {}", format::bytes(*total)) }</p>
                    <progress max="100" value={format!("{percent:.1}")}></progress>
                    <button type="button" class="button" onclick={close}>{ "Cancel" }</button>
                </section>
            }
        }
        CompareJob::Failed { name, error } => html! {
            <section class="panel compare-pick error-panel" aria-label="Compare with another image" role="alert">
                <p class="error-message">{ format!("{name} could not be compared: {}", error.message) }</p>
                <div class="drop-actions">
                    { picker("Choose another file…") }
                    <button type="button" class="button" onclick={close}>{ "Close" }</button>
                </div>
            </section>
        },
        CompareJob::Ready { name, comparison, .. } => html! {
            <CompareView first={props.first_name.clone()} second={AttrValue::from(name.clone())}
                comparison={comparison.clone()} on_close={props.on_close.clone()} />
        },
    }
}

/// Properties of [`CompareView`].
#[derive(Properties, PartialEq)]
pub struct CompareViewProps {
    /// The first (shown) image's name.
    pub first: AttrValue,
    /// The second image's file name.
    pub second: AttrValue,
    /// The core's comparison.
    pub comparison: Rc<Comparison>,
    /// Called to close the comparison.
    pub on_close: Callback<()>,
}

/// The order of the changed-files list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileOrder {
    /// By path.
    Path,
    /// By the size of the change, largest first.
    Delta,
}

/// Which differing paths the list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFilter {
    /// A substring of the path (case-insensitive); empty shows all.
    pub query: String,
    /// Show added paths.
    pub added: bool,
    /// Show removed paths.
    pub removed: bool,
    /// Show changed paths.
    pub changed: bool,
    /// The order.
    pub order: FileOrder,
}

impl Default for FileFilter {
    fn default() -> Self {
        FileFilter { query: String::new(), added: true, removed: true, changed: true, order: FileOrder::Path }
    }
}

/// The list's rows: 26 pixels each (as in the CSS), 16 in view, eight more drawn above and below.
pub const VIEWPORT: Viewport = Viewport { row_height: 26.0, height: 416.0, overscan: 8 };

/// The indices of the entries `filter` lets through, in its order.
pub fn filter_entries(entries: &[FileChange], filter: &FileFilter) -> Vec<usize> {
    let query = filter.query.to_lowercase();
    let mut out: Vec<usize> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| match e.change {
            Change::Added => filter.added,
            Change::Removed => filter.removed,
            Change::Changed => filter.changed,
        })
        .filter(|(_, e)| query.is_empty() || e.path.to_lowercase().contains(&query))
        .map(|(i, _)| i)
        .collect();
    if filter.order == FileOrder::Delta {
        out.sort_by_key(|&i| std::cmp::Reverse(entries.get(i).map_or(0, |e| e.delta().unsigned_abs())));
    }
    out
}

fn signed_bytes(delta: i128) -> String {
    let size = format::bytes(u64::try_from(delta.unsigned_abs()).unwrap_or(u64::MAX));
    match delta.signum() {
        1 => format!("+{size}"),
        -1 => format!("−{size}"),
        _ => "±0 B".to_string(),
    }
}

fn aspect_words(aspects: &[Aspect]) -> String {
    let words: Vec<&str> = aspects
        .iter()
        .map(|a| match a {
            Aspect::Kind => "type",
            Aspect::Size => "size",
            Aspect::Mode => "mode",
            Aspect::Link => "link target",
            Aspect::Content => "content",
        })
        .collect();
    words.join(", ")
}

const W: f64 = 800.0;
const ROW: f64 = 24.0;
const MID: f64 = 64.0;

/// The per-layer bars: the first image grows left from the middle, the second grows right.
fn layer_bars(c: &Comparison) -> Html {
    let max = c
        .layers
        .iter()
        .flat_map(|r| [r.left.as_ref(), r.right.as_ref()])
        .flatten()
        .map(|l| l.content_bytes)
        .max()
        .unwrap_or(0)
        .max(1);
    let half = (W - MID) / 2.0 - 90.0;
    let height = ROW * c.layers.len() as f64 + 28.0;
    let bar = |layer: Option<&ComparedLayer>, right: bool, y: f64, index: usize| -> Html {
        let Some(l) = layer else {
            let x = if right { W - 4.0 } else { 4.0 };
            let anchor = if right { "end" } else { "start" };
            return html! { <text class="compare-size muted-text" x={x.to_string()} y={(y + 15.0).to_string()} text-anchor={anchor}>{ "no layer" }</text> };
        };
        let len = if l.content_bytes == 0 { 0.0 } else { (l.content_bytes as f64 / max as f64 * half).max(2.0) };
        let centre = W / 2.0;
        let x = if right { centre + MID / 2.0 } else { centre - MID / 2.0 - len };
        let shared = l.shared_with.is_some();
        let class = classes!("compare-bar", if right { "second" } else { "first" }, shared.then_some("shared"));
        let which = if right { "second" } else { "first" };
        let shared_words = match l.shared_with {
            Some(at) => format!(", shared (layer {at} of the other image)"),
            None => String::new(),
        };
        let title =
            format!("{which} image, layer {index}: {}{shared_words}\n{}", format::bytes(l.content_bytes), l.command);
        let (tx, anchor) = if right { (W - 4.0, "end") } else { (4.0, "start") };
        let label = format!("{}{}", format::bytes(l.content_bytes), if shared { " =" } else { "" });
        html! {
            <g class="compare-row">
                <title>{ title }</title>
                <rect {class} x={format!("{x:.1}")} y={(y + 3.0).to_string()} width={format!("{len:.1}")} height={(ROW - 6.0).to_string()} rx="2" />
                <text class="compare-size" x={tx.to_string()} y={(y + 16.0).to_string()} text-anchor={anchor}>{ label }</text>
            </g>
        }
    };
    let rows = c.layers.iter().enumerate().map(|(i, row)| {
        let y = 24.0 + ROW * i as f64;
        let both_shared = row.left.as_ref().is_some_and(|l| l.shared_with == Some(i));
        html! {
            <g>
                { bar(row.left.as_ref(), false, y, row.index) }
                <text class={classes!("compare-index", both_shared.then_some("same"))} x={(W / 2.0).to_string()}
                    y={(y + 16.0).to_string()} text-anchor="middle">
                    { if both_shared { format!("= {} =", row.index) } else { format!("#{}", row.index) } }
                </text>
                { bar(row.right.as_ref(), true, y, row.index) }
            </g>
        }
    });
    let label = format!(
        "Layer sizes side by side: {} layers in the first image, {} in the second; {} shared.",
        c.left.layers, c.right.layers, c.shared.layers
    );
    html! {
        <svg id="compare-chart" viewBox={format!("0 0 {W} {height}")} width="100%" role="img" aria-label={label}>
            <text class="compare-head" x={(W / 2.0 - MID / 2.0 - 4.0).to_string()} y="14" text-anchor="end">{ "◀ first" }</text>
            <text class="compare-head" x={(W / 2.0 + MID / 2.0 + 4.0).to_string()} y="14">{ "second ▶" }</text>
            { for rows }
        </svg>
    }
}

/// A comparison compared by identity, so a memo keyed on it costs nothing per render and holds the comparison.
struct SameComparison(Rc<Comparison>);

impl PartialEq for SameComparison {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The comparison: figures, layer bars, and the list of differing paths.
#[function_component]
pub fn CompareView(props: &CompareViewProps) -> Html {
    let c = &props.comparison;
    let filter = use_state(FileFilter::default);
    let list = use_virtual_list(VIEWPORT);
    // Filtered once per comparison and filter, not on every scroll.
    let shown = use_memo((SameComparison(Rc::clone(c)), (*filter).clone()), |(c, filter)| {
        filter_entries(&c.0.files.entries, filter)
    });
    let figures = [
        ("Layers", c.left.layers as u64, c.right.layers as u64, false),
        ("Shipped by the layers", c.left.content_bytes, c.right.content_bytes, true),
        ("Stored in the archive", c.left.stored_bytes, c.right.stored_bytes, true),
        ("Visible files' bytes", c.left.visible_bytes, c.right.visible_bytes, true),
        ("Files", c.left.files, c.right.files, false),
    ];
    let figure_rows = figures.iter().map(|(label, a, b, bytes)| {
        let show = |v: u64| if *bytes { format::bytes(v) } else { format::grouped(v) };
        let delta = i128::from(*b) - i128::from(*a);
        let change = if *bytes {
            signed_bytes(delta)
        } else if delta > 0 {
            format!("+{delta}")
        } else if delta < 0 {
            format!("−{}", delta.unsigned_abs())
        } else {
            "±0".into()
        };
        html! { <tr><th scope="row">{ *label }</th><td>{ show(*a) }</td><td>{ show(*b) }</td><td>{ change }</td></tr> }
    });
    let f = &c.files;
    let toggle = |which: Change| {
        let (filter, list) = (filter.clone(), list.clone());
        Callback::from(move |_: Event| {
            list.reset();
            let mut next = (*filter).clone();
            match which {
                Change::Added => next.added = !next.added,
                Change::Removed => next.removed = !next.removed,
                Change::Changed => next.changed = !next.changed,
            }
            filter.set(next);
        })
    };
    let oninput = {
        let (filter, list) = (filter.clone(), list.clone());
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                list.reset();
                filter.set(FileFilter { query: input.value(), ..(*filter).clone() });
            }
        })
    };
    let onorder = {
        let (filter, list) = (filter.clone(), list.clone());
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<HtmlSelectElement>() {
                list.reset();
                let order = if select.value() == "delta" { FileOrder::Delta } else { FileOrder::Path };
                filter.set(FileFilter { order, ..(*filter).clone() });
            }
        })
    };
    let total = shown.len();
    let window = list.window(total);
    let first = window.start;
    let rows = shown.get(window).unwrap_or(&[]).iter().enumerate().filter_map(|(offset, &i)| {
        let e = f.entries.get(i)?;
        let index = first + offset;
        let (symbol, word) = match e.change {
            Change::Added => ("+", "added"),
            Change::Removed => ("−", "removed"),
            Change::Changed => ("~", "changed"),
        };
        let dir = if e.kind() == NodeKind::Dir { "/" } else { "" };
        let size = |s: &Option<layerlens_core::compare::PathState>| {
            s.as_ref().map_or("—".to_string(), |s| format::bytes(s.size))
        };
        let what = if e.aspects.is_empty() { String::new() } else { format!(" ({})", aspect_words(&e.aspects)) };
        let path = format!("/{}{dir}", e.path);
        Some(html! {
            <div class={classes!("change", word)} role="row" aria-rowindex={(index + 2).to_string()}
                style={list.row_style(index)} data-path={path.clone()} data-change={word}>
                <span class="change-kind" role="gridcell"><span aria-hidden="true">{ symbol }</span>{ format!(" {word}{what}") }</span>
                <span class="path" role="gridcell" title={path.clone()}>{ path }</span>
                <span class="num" role="gridcell">{ size(&e.left) }</span>
                <span class="num" role="gridcell">{ size(&e.right) }</span>
                <span class="num" role="gridcell">{ signed_bytes(e.delta()) }</span>
            </div>
        })
    });
    let cut = (f.entries.len() as u64) < f.entry_count;
    let close = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <section class="panel compare" id="compare" aria-label="Comparison">
            <div class="compare-head-row">
                <h2>{ format!("{} compared with {}", props.first, props.second) }</h2>
                <button type="button" class="button" onclick={close}>{ "Close comparison" }</button>
            </div>
            <table class="compare-figures">
                <thead><tr><th></th><th scope="col">{ "First" }</th><th scope="col">{ "Second" }</th><th scope="col">{ "Change" }</th></tr></thead>
                <tbody>{ for figure_rows }</tbody>
            </table>
            <p id="compare-shared">
                { format!("{} of the second image's {} {} shared with the first ({} content, {} stored that need no new download); ",
                    format::count(c.shared.layers as u64, "layer", "layers"), format::count(c.right.layers as u64, "layer", "layers"),
                    if c.shared.layers == 1 { "is" } else { "are" },
                    format::bytes(c.shared.content_bytes), format::bytes(c.shared.stored_bytes)) }
                { match c.common_base_layers {
                    0 => "the two images start from different first layers.".to_string(),
                    1 => "the first layer is the same in both.".to_string(),
                    n => format!("the first {n} layers are the same in both."),
                } }
            </p>
            { layer_bars(c) }
            <p class="muted compare-legend">
                <span class="swatch shared"></span>{ " a layer both images have (marked “=”) " }
                <span class="swatch own"></span>{ " a layer only that image has" }
            </p>
            <h3>{ "Files" }</h3>
            <p id="compare-totals">
                { format!("{} added ({}) · {} removed ({}) · {} changed ({} → {})",
                    format::grouped(f.added.paths), signed_bytes(i128::from(f.added.right_bytes)),
                    format::grouped(f.removed.paths), signed_bytes(-i128::from(f.removed.left_bytes)),
                    format::grouped(f.changed.paths), format::bytes(f.changed.left_bytes), format::bytes(f.changed.right_bytes)) }
            </p>
            if f.unhashed > 0 {
                <p class="muted">{ format!("{} paths in both images could not be compared by content.", format::grouped(f.unhashed)) }</p>
            }
            <div class="compare-controls">
                <label>{ "Filter paths " }
                    <input id="compare-filter" type="search" placeholder="e.g. usr/lib" value={filter.query.clone()} {oninput} />
                </label>
                <label><input type="checkbox" checked={filter.added} onchange={toggle(Change::Added)} />{ format!(" added ({})", f.added.paths) }</label>
                <label><input type="checkbox" checked={filter.removed} onchange={toggle(Change::Removed)} />{ format!(" removed ({})", f.removed.paths) }</label>
                <label><input type="checkbox" checked={filter.changed} onchange={toggle(Change::Changed)} />{ format!(" changed ({})", f.changed.paths) }</label>
                <label>{ "Order " }
                    <select onchange={onorder}>
                        <option value="path" selected={filter.order == FileOrder::Path}>{ "by path" }</option>
                        <option value="delta" selected={filter.order == FileOrder::Delta}>{ "by size change" }</option>
                    </select>
                </label>
            </div>
            <p class="muted" id="compare-count" role="status">
                { format!("{} of {} differing paths shown", format::grouped(total as u64), format::grouped(f.entry_count)) }
                if cut { { format!("; only the {} largest are listed", format::grouped(f.entries.len() as u64)) } }
            </p>
            <div class="compare-files" id="compare-files" role="grid" aria-label="Differing paths"
                aria-rowcount={(total + 1).to_string()}>
                <div class="compare-files-head" role="row" aria-rowindex="1">
                    <span role="columnheader">{ "Change" }</span>
                    <span role="columnheader">{ "Path" }</span>
                    <span role="columnheader" class="num">{ "First" }</span>
                    <span role="columnheader" class="num">{ "Second" }</span>
                    <span role="columnheader" class="num">{ "Δ" }</span>
                </div>
                // A short list shrinks the box to its rows; a long one scrolls in a box of the viewport's height.
                <div class="compare-files-view" role="rowgroup" tabindex="0" ref={list.node.clone()}
                    onscroll={list.onscroll.clone()} style={format!("max-height:{}px", VIEWPORT.height)}>
                    <div class="compare-files-spacer" role="presentation" style={list.spacer_style(total)}>
                        { for rows }
                    </div>
                </div>
            </div>
            if total == 0 {
                <p class="muted" id="compare-empty">{ "No differing paths match. Change the filters or the search." }</p>
            }
        </section>
    }
}
