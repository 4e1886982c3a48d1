//! The file explorer: the final filesystem as an expandable tree or a search result, filtered by layer,
//! sorted by name or size, drawing only the rows in view so large images scroll smoothly.

use crate::explorer::{kind_word, rows, LayerFilter, Query, SortBy, Tree};
use crate::format;
use crate::report::SharedReport;
use layerlens_core::image::NodeKind;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Properties of [`FileExplorer`].
#[derive(Properties, PartialEq)]
pub struct FileExplorerProps {
    /// The engine's report.
    pub report: SharedReport,
    /// The selected layer.
    pub selected: Option<usize>,
    /// Called with a layer's index when the user follows a layer link.
    pub on_select: Callback<usize>,
}

/// Height of one row in pixels (the CSS uses the same figure).
pub const ROW_HEIGHT: f64 = 26.0;
/// Height of the scrolling viewport in pixels.
const VIEW_HEIGHT: f64 = 416.0;
/// Extra rows drawn above and below the viewport.
const OVERSCAN: usize = 8;

/// The explorer panel.
#[function_component]
pub fn FileExplorer(props: &FileExplorerProps) -> Html {
    let report = props.report.clone();
    let tree = {
        let report = report.clone();
        use_memo(props.report.key(), move |_| Tree::new(&report))
    };
    let query = use_state(Query::default);
    let scroll_top = use_state(|| 0.0f64);
    let effective = Query { layer: props.selected, ..(*query).clone() };
    let all_rows = {
        let (report, tree) = (report.clone(), tree.clone());
        use_memo((props.report.key(), effective), move |(_, q)| rows(&report, &tree, q))
    };

    let update = |f: fn(&mut Query, String)| {
        let query = query.clone();
        let scroll_top = scroll_top.clone();
        move |value: String| {
            let mut next = (*query).clone();
            f(&mut next, value);
            query.set(next);
            scroll_top.set(0.0);
        }
    };
    let on_search = {
        let set = update(|q, v| q.search = v);
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                set(input.value());
            }
        })
    };
    let on_filter = {
        let set = update(|q, v| {
            q.filter = match v.as_str() {
                "written" => LayerFilter::WrittenBy,
                "upto" => LayerFilter::UpTo,
                _ => LayerFilter::All,
            }
        });
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                set(select.value());
            }
        })
    };
    let on_sort = {
        let set = update(|q, v| q.sort = if v == "size" { SortBy::Size } else { SortBy::Name });
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                set(select.value());
            }
        })
    };
    let onscroll = {
        let scroll_top = scroll_top.clone();
        Callback::from(move |e: Event| {
            if let Some(el) = e.target_dyn_into::<HtmlElement>() {
                scroll_top.set(el.scroll_top() as f64);
            }
        })
    };

    let total = all_rows.len();
    let first = ((*scroll_top / ROW_HEIGHT) as usize).saturating_sub(OVERSCAN).min(total);
    let last = (first + (VIEW_HEIGHT / ROW_HEIGHT) as usize + 2 * OVERSCAN).min(total);
    let nodes = &report.analysis.filesystem.nodes;
    let searching = !query.search.trim().is_empty();
    let drawn = all_rows[first..last].iter().enumerate().map(|(offset, row)| {
        let Some(node) = nodes.get(row.node as usize) else { return html! {} };
        let is_dir = node.kind == NodeKind::Dir;
        let open = query.expanded.contains(&row.node);
        let toggle = {
            let query = query.clone();
            let id = row.node;
            Callback::from(move |_: MouseEvent| {
                let mut next = (*query).clone();
                if !next.expanded.remove(&id) {
                    next.expanded.insert(id);
                }
                query.set(next);
            })
        };
        let name = if searching { tree.path(row.node).to_string() } else { node.name.clone() };
        let layer = node.layer as usize;
        let on_layer = props.on_select.reform(move |_: MouseEvent| layer);
        let top = (first + offset) as f64 * ROW_HEIGHT;
        let expander = if is_dir && !searching && tree.has_children(row.node) {
            html! {
                <button type="button" class="expander" onclick={toggle} aria-expanded={open.to_string()}
                    aria-label={format!("{} {}", if open { "Collapse" } else { "Expand" }, tree.path(row.node))}>
                    { if open { "▾" } else { "▸" } }
                </button>
            }
        } else {
            html! { <span class="expander" /> }
        };
        html! {
            <div class={classes!("file-row", is_dir.then_some("dir"), (props.selected == Some(layer)).then_some("in-layer"))}
                role="row" style={format!("top:{top}px")} data-path={tree.path(row.node).to_string()}>
                <span class="name" role="gridcell" style={format!("padding-left:{}rem", row.depth as f64 * 1.1)}>
                    { expander }
                    <span class="mono">{ name }</span>
                    if let Some(link) = &node.link { <span class="muted">{ format!(" → {link}") }</span> }
                </span>
                <span class="kind muted" role="gridcell">{ kind_word(node.kind) }</span>
                <span class="num" role="gridcell" title={format::exact_bytes(node.size)}>{ format::bytes(node.size) }</span>
                <span role="gridcell"><button type="button" class="link" onclick={on_layer}
                    title="The layer that wrote this path's visible version">{ format!("L{layer}") }</button></span>
            </div>
        }
    });
    let layer_label = props.selected.map(|l| format!("L{l}")).unwrap_or_else(|| "the selected layer".into());
    html! {
        <section class="explorer panel" id="explorer" aria-label="File explorer">
            <div class="explorer-head">
                <h3>{ "Files of the final image" }</h3>
                <div class="explorer-controls">
                    <input id="file-search" type="search" placeholder="Search paths (text or glob, e.g. *.so)"
                        aria-label="Search paths" value={query.search.clone()} oninput={on_search} />
                    <select id="file-filter" aria-label="Which files" onchange={on_filter}>
                        <option value="all" selected={query.filter == LayerFilter::All}>{ "All files" }</option>
                        <option value="written" selected={query.filter == LayerFilter::WrittenBy}>
                            { format!("Written by {layer_label}") }
                        </option>
                        <option value="upto" selected={query.filter == LayerFilter::UpTo}>
                            { format!("Written by {layer_label} or below") }
                        </option>
                    </select>
                    <select id="file-sort" aria-label="Sort" onchange={on_sort}>
                        <option value="name" selected={query.sort == SortBy::Name}>{ "By name" }</option>
                        <option value="size" selected={query.sort == SortBy::Size}>{ "Largest first" }</option>
                    </select>
                </div>
            </div>
            <p class="muted" id="explorer-count">
                { format!("{} rows · {} files, {} in all", format::grouped(total as u64),
                    format::grouped(report.analysis.filesystem.files), format::bytes(report.analysis.filesystem.total_bytes)) }
            </p>
            <div class="file-view" role="grid" aria-rowcount={total.to_string()} {onscroll}
                style={format!("height:{VIEW_HEIGHT}px")}>
                <div class="file-spacer" style={format!("height:{}px", total as f64 * ROW_HEIGHT)}>
                    { for drawn }
                </div>
            </div>
        </section>
    }
}
