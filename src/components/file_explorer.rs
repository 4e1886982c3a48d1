//! The file explorer, like dive's: the filesystem at the selected layer, either that layer's changes only or
//! everything up to it, with added / modified / removed / unchanged marked and filterable, sorted by name or
//! size, searchable by substring or glob, and drawing only the rows in view so large images scroll smoothly.
//! It is a keyboard tree (`/` focuses the search; arrows move, open and close).

use super::virtual_list::{use_virtual_list, Viewport};
use crate::explorer::Tree;
use crate::explorer::{expandable, key_move, kind_word, rows, status_word, Query, SortBy, TreeMove};
use crate::format;
use crate::report::SharedReport;
use layerlens_core::image::{layer_view, NodeKind, PathStatus, ViewMode};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Properties of [`FileExplorer`].
#[derive(Properties, PartialEq)]
pub struct FileExplorerProps {
    /// The engine's report.
    pub report: SharedReport,
    /// The selected layer (the top layer when none is).
    pub selected: Option<usize>,
    /// Called with a layer's index when the user follows a layer link.
    pub on_select: Callback<usize>,
}

/// The explorer's rows: 26 pixels each (the CSS uses the same figure), 16 in view, eight more above and below.
pub const VIEWPORT: Viewport = Viewport { row_height: 26.0, height: 416.0, overscan: 8 };

const STATUSES: [PathStatus; 4] = [PathStatus::Added, PathStatus::Modified, PathStatus::Removed, PathStatus::Unchanged];

/// The explorer panel.
#[function_component]
pub fn FileExplorer(props: &FileExplorerProps) -> Html {
    let report = props.report.clone();
    let layer = props.selected.unwrap_or(usize::MAX).min(report.analysis.layers.len().saturating_sub(1));
    let tree = {
        let report = report.clone();
        use_memo(props.report.key(), move |_| Tree::new(&report))
    };
    let query = use_state(Query::default);
    let view = {
        let report = report.clone();
        use_memo((props.report.key(), layer, query.mode), move |(_, layer, mode)| {
            layer_view(&report.analysis, *layer, *mode)
        })
    };
    let list = use_virtual_list(VIEWPORT);
    let cursor = use_state(|| 0usize);
    let search_box = use_node_ref();
    let all_rows = {
        let (tree, view) = (tree.clone(), view.clone());
        use_memo((props.report.key(), layer, (*query).clone()), move |(_, _, q)| rows(&tree, &view, q))
    };

    // `/` focuses the search box, except while typing in a field or the Dockerfile editor.
    {
        let search_box = search_box.clone();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn(KeyboardEvent)>::new(move |event: KeyboardEvent| {
                if event.key() != "/" || event.ctrl_key() || event.meta_key() || event.alt_key() {
                    return;
                }
                let typing = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).is_some_and(|el| {
                    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                        || el.get_attribute("contenteditable").is_some_and(|v| v != "false")
                });
                if typing {
                    return;
                }
                if let Some(input) = search_box.cast::<HtmlInputElement>() {
                    event.prevent_default();
                    let _ = input.focus();
                    input.select();
                }
            });
            let document = web_sys::window().and_then(|w| w.document());
            if let Some(d) = &document {
                let _ = d.add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(d) = &document {
                    let _ = d.remove_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
                }
                drop(listener);
            }
        });
    }

    let update = |f: fn(&mut Query, String)| {
        let (query, list, cursor) = (query.clone(), list.clone(), cursor.clone());
        move |value: String| {
            let mut next = (*query).clone();
            f(&mut next, value);
            query.set(next);
            list.reset();
            cursor.set(0);
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
    let on_sort = {
        let set = update(|q, v| q.sort = if v == "size" { SortBy::Size } else { SortBy::Name });
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                set(select.value());
            }
        })
    };
    let mode_button = |mode: ViewMode, id: &'static str, label: &'static str| {
        let set = update(|q, v| q.mode = if v == "upto" { ViewMode::UpTo } else { ViewMode::Changes });
        let value = if mode == ViewMode::UpTo { "upto" } else { "changes" };
        let onclick = Callback::from(move |_: MouseEvent| set(value.to_string()));
        html! {
            <button type="button" {id} class={classes!("mode-toggle", (query.mode == mode).then_some("on"))}
                aria-pressed={(query.mode == mode).to_string()} {onclick}>{ label }</button>
        }
    };
    // Counted once per view, not on every scroll.
    let counts = {
        let view = view.clone();
        use_memo((props.report.key(), layer, query.mode), move |_| {
            let mut c = [0u64; 4];
            for (id, e) in view.iter() {
                if id != 0 {
                    c[STATUSES.iter().position(|s| *s == e.status).unwrap_or(3)] += 1;
                }
            }
            c
        })
    };
    let filters = STATUSES.iter().zip(*counts).map(|(&status, count)| {
        let word = status_word(status);
        let onchange = {
            let (query, cursor) = (query.clone(), cursor.clone());
            Callback::from(move |_: Event| {
                let mut next = (*query).clone();
                next.shown.toggle(status);
                query.set(next);
                cursor.set(0);
            })
        };
        html! {
            <label class={classes!("status-filter", word)}>
                <input type="checkbox" id={format!("show-{word}")} checked={query.shown.shows(status)} {onchange} />
                <span class="status-mark" aria-hidden="true">{ status_mark(status) }</span>
                { format!("{word} ({})", format::grouped(count)) }
            </label>
        }
    });
    let onkeydown = {
        let (query, cursor, all_rows, tree, view, list) =
            (query.clone(), cursor.clone(), all_rows.clone(), tree.clone(), view.clone(), list.clone());
        Callback::from(move |event: KeyboardEvent| {
            let Some(step) = key_move(&event.key(), *cursor, &all_rows, &tree, &view, &query) else { return };
            event.prevent_default();
            match step {
                TreeMove::To(row) => {
                    cursor.set(row);
                    list.show(row);
                }
                TreeMove::Expand(node) | TreeMove::Collapse(node) => {
                    let mut next = (*query).clone();
                    if !next.expanded.remove(&node) {
                        next.expanded.insert(node);
                    }
                    query.set(next);
                }
            }
        })
    };

    let total = all_rows.len();
    let cursor_row = (*cursor).min(total.saturating_sub(1));
    let window = list.window(total);
    let first = window.start;
    let searching = !query.search.trim().is_empty();
    let drawn = all_rows[window].iter().enumerate().map(|(offset, row)| {
        let Some(entry) = view.get(row.node) else { return html! {} };
        let index = first + offset;
        let is_dir = entry.kind == NodeKind::Dir;
        let open = query.expanded.contains(&row.node);
        let can_open = !searching && expandable(&tree, &view, row.node);
        let toggle = {
            let (query, cursor) = (query.clone(), cursor.clone());
            let id = row.node;
            Callback::from(move |_: MouseEvent| {
                let mut next = (*query).clone();
                if !next.expanded.remove(&id) {
                    next.expanded.insert(id);
                }
                query.set(next);
                cursor.set(index);
            })
        };
        let on_row = {
            let cursor = cursor.clone();
            Callback::from(move |_: MouseEvent| cursor.set(index))
        };
        let path = tree.path(row.node).to_string();
        let name = if searching { path.clone() } else { tree.name(row.node).to_string() };
        let wrote = entry.layer as usize;
        let on_layer = props.on_select.reform(move |_: MouseEvent| wrote);
        let link = (row.node < report.analysis.filesystem.nodes.len() as u32 && entry.status != PathStatus::Removed)
            .then(|| report.analysis.filesystem.nodes.get(row.node as usize).and_then(|n| n.link.clone()))
            .flatten();
        let expander = if can_open {
            html! {
                <button type="button" class="expander" tabindex="-1" onclick={toggle}
                    aria-label={format!("{} {path}", if open { "Collapse" } else { "Expand" })}>
                    { if open { "▾" } else { "▸" } }
                </button>
            }
        } else {
            html! { <span class="expander" /> }
        };
        let word = status_word(entry.status);
        html! {
            <div id={format!("file-row-{}", row.node)} onclick={on_row}
                class={classes!("file-row", word, is_dir.then_some("dir"), (index == cursor_row).then_some("cursor"))}
                role="row" aria-level={(row.depth + 1).to_string()} aria-selected={(index == cursor_row).to_string()}
                aria-expanded={can_open.then(|| open.to_string())} aria-rowindex={(index + 1).to_string()}
                style={list.row_style(index)} data-path={path.clone()} data-status={word}>
                <span class="name" role="gridcell" style={format!("padding-left:{}rem", row.depth as f64 * 1.1)}>
                    { expander }
                    <span class="status-mark" title={word}>{ status_mark(entry.status) }</span>
                    <span class="mono">{ name }</span>
                    if let Some(link) = link { <span class="muted">{ format!(" → {link}") }</span> }
                </span>
                <span class="kind muted" role="gridcell">{ kind_word(entry.kind) }</span>
                <span class="status-word" role="gridcell">{ word }</span>
                <span class="num" role="gridcell" title={format::exact_bytes(entry.size)}>{ format::bytes(entry.size) }</span>
                <span role="gridcell"><button type="button" class="link" tabindex="-1" onclick={on_layer}
                    title={if entry.status == PathStatus::Removed { "The layer that removed this path" }
                        else { "The layer that last wrote this path" }}>{ format!("L{wrote}") }</button></span>
            </div>
        }
    });
    let active = all_rows.get(cursor_row).map(|r| format!("file-row-{}", r.node));
    let command = report.analysis.layers.get(layer).map(|l| l.command.clone()).unwrap_or_default();
    let heading = match query.mode {
        ViewMode::Changes => format!("Files changed by L{layer}"),
        ViewMode::UpTo => format!("Files up to L{layer}"),
    };
    html! {
        <section class="explorer panel" id="explorer" aria-label="File explorer">
            <div class="explorer-head">
                <h3 id="explorer-title">{ heading }</h3>
                <div class="explorer-controls">
                    <input id="file-search" type="search" ref={search_box.clone()}
                        placeholder="Search paths (text or glob, e.g. *.so) — press /"
                        aria-label="Search paths" aria-keyshortcuts="/" value={query.search.clone()} oninput={on_search} />
                    <select id="file-sort" aria-label="Sort" onchange={on_sort}>
                        <option value="name" selected={query.sort == SortBy::Name}>{ "By name" }</option>
                        <option value="size" selected={query.sort == SortBy::Size}>{ "Largest first" }</option>
                    </select>
                </div>
            </div>
            <div class="explorer-modes" role="group" aria-label="Which files">
                { mode_button(ViewMode::Changes, "mode-changes", "This layer's changes") }
                { mode_button(ViewMode::UpTo, "mode-upto", "Everything up to this layer") }
                <span class="muted explorer-command" title={command.clone()}>{ format!("L{layer}: {command}") }</span>
            </div>
            <fieldset class="status-filters">
                <legend class="visually-hidden">{ "Show paths that are" }</legend>
                { for filters }
            </fieldset>
            <p class="muted" id="explorer-count">
                { format!("{} · {} files, {} in the final image",
                    if total == 1 { "1 row".to_string() } else { format!("{} rows", format::grouped(total as u64)) },
                    format::grouped(report.analysis.filesystem.files), format::bytes(report.analysis.filesystem.total_bytes)) }
            </p>
            <div class="file-view" role="treegrid" tabindex="0" ref={list.node.clone()} aria-labelledby="explorer-title"
                aria-rowcount={total.to_string()} aria-activedescendant={active} onscroll={list.onscroll.clone()} {onkeydown}
                style={list.box_style()}>
                <div class="file-spacer" role="presentation" style={list.spacer_style(total)}>
                    { for drawn }
                </div>
            </div>
            if total == 0 {
                <p class="muted" id="explorer-empty">{ "No paths match. Change the filters or the search." }</p>
            }
        </section>
    }
}

/// A one-character mark per change kind, shown beside the word (colour is never the only signal).
fn status_mark(status: PathStatus) -> &'static str {
    match status {
        PathStatus::Added => "+",
        PathStatus::Modified => "~",
        PathStatus::Removed => "−",
        PathStatus::Unchanged => "·",
    }
}
