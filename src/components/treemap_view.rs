//! The treemap: one directory of the final filesystem at a time, its entries as squarified rectangles by
//! size; directories drill in, breadcrumbs lead back out.

use crate::explorer::Tree;
use crate::format;
use crate::report::SharedReport;
use crate::treemap::{squarify, Rect};
use layerlens_core::image::NodeKind;
use yew::prelude::*;

/// Properties of [`TreemapView`].
#[derive(Properties, PartialEq)]
pub struct TreemapProps {
    /// The engine's report.
    pub report: SharedReport,
}

const W: f64 = 760.0;
const H: f64 = 380.0;
/// Entries drawn before the rest is grouped into one cell.
const MAX_CELLS: usize = 60;

/// A colour for layer `index` that stays apart from its neighbours.
pub fn layer_colour(index: u32) -> String {
    format!("hsl({} 55% 52%)", (index * 47 + 200) % 360)
}

/// The treemap panel.
#[function_component]
pub fn TreemapView(props: &TreemapProps) -> Html {
    let report = props.report.clone();
    let tree = {
        let report = report.clone();
        use_memo(props.report.key(), move |_| Tree::new(&report))
    };
    let current = use_state(|| 0u32);
    let by_layer = use_state(|| false);
    let nodes = &report.analysis.filesystem.nodes;
    let here = (*current as usize).min(nodes.len().saturating_sub(1)) as u32;

    let mut entries: Vec<u32> =
        tree.children(here).iter().copied().filter(|&c| nodes.get(c as usize).is_some_and(|n| n.size > 0)).collect();
    entries.sort_by(|a, b| nodes[*b as usize].size.cmp(&nodes[*a as usize].size).then(a.cmp(b)));
    let rest: u64 = entries.iter().skip(MAX_CELLS).map(|&c| nodes[c as usize].size).sum();
    let rest_count = entries.len().saturating_sub(MAX_CELLS);
    entries.truncate(MAX_CELLS);
    let mut sizes: Vec<u64> = entries.iter().map(|&c| nodes[c as usize].size).collect();
    if rest > 0 {
        sizes.push(rest);
    }
    let rects = squarify(&sizes, Rect { x: 0.0, y: 0.0, w: W, h: H });

    let cells = entries.iter().zip(&rects).map(|(&node, r)| {
        let n = &nodes[node as usize];
        let is_dir = n.kind == NodeKind::Dir && !tree.children(node).is_empty();
        let fill = if *by_layer {
            layer_colour(n.layer)
        } else if is_dir {
            "var(--kept)".to_string()
        } else {
            "var(--duplicate)".to_string()
        };
        let label = format!("{}{}", n.name, if is_dir { "/" } else { "" });
        let title = format!("{} · {} · last written by L{}", tree.path(node), format::bytes(n.size), n.layer);
        let onclick = {
            let current = current.clone();
            Callback::from(move |_: MouseEvent| {
                if is_dir {
                    current.set(node);
                }
            })
        };
        let onkeydown = {
            let current = current.clone();
            Callback::from(move |e: KeyboardEvent| {
                if is_dir && (e.key() == "Enter" || e.key() == " ") {
                    e.prevent_default();
                    current.set(node);
                }
            })
        };
        let show_text = r.w > 56.0 && r.h > 30.0;
        html! {
            <g class={classes!("tm-cell", is_dir.then_some("dir"))} tabindex={if is_dir { "0" } else { "-1" }}
                role={if is_dir { "button" } else { "img" }} aria-label={title.clone()} data-path={tree.path(node).to_string()}
                {onclick} {onkeydown}>
                <title>{ title }</title>
                <rect x={r.x.to_string()} y={r.y.to_string()} width={r.w.to_string()} height={r.h.to_string()}
                    style={format!("fill:{fill}")} />
                if show_text {
                    <text x={(r.x + 6.0).to_string()} y={(r.y + 16.0).to_string()} class="tm-label">{ label }</text>
                    <text x={(r.x + 6.0).to_string()} y={(r.y + 30.0).to_string()} class="tm-size">{ format::bytes(n.size) }</text>
                }
            </g>
        }
    });
    let rest_cell = (rest > 0).then(|| {
        let r = rects[rects.len() - 1];
        let title = format!("{rest_count} smaller entries · {}", format::bytes(rest));
        html! {
            <g class="tm-cell rest" role="img" aria-label={title.clone()}>
                <title>{ title.clone() }</title>
                <rect x={r.x.to_string()} y={r.y.to_string()} width={r.w.to_string()} height={r.h.to_string()} />
                if r.w > 56.0 && r.h > 18.0 {
                    <text x={(r.x + 6.0).to_string()} y={(r.y + 16.0).to_string()} class="tm-label">{ format!("{rest_count} more") }</text>
                }
            </g>
        }
    });

    let mut crumbs = vec![here];
    let mut at = here;
    while at != 0 && crumbs.len() <= nodes.len() {
        at = tree.parent(at);
        crumbs.push(at);
    }
    crumbs.reverse();
    let crumb_links = crumbs.iter().map(|&c| {
        let current = current.clone();
        let name = if c == 0 { "/".to_string() } else { nodes[c as usize].name.clone() };
        let onclick = Callback::from(move |_: MouseEvent| current.set(c));
        html! { <li><button type="button" class="link" {onclick}>{ name }</button></li> }
    });
    let toggle = {
        let by_layer = by_layer.clone();
        Callback::from(move |_: Event| by_layer.set(!*by_layer))
    };
    let size_here = nodes.get(here as usize).map(|n| n.size).unwrap_or(0);
    let where_label = if here == 0 { "/" } else { tree.path(here) };
    html! {
        <section class="treemap panel" id="treemap" aria-label="Treemap">
            <div class="explorer-head">
                <h3>{ "Where the bytes are" }</h3>
                <label class="toggle">
                    <input type="checkbox" id="treemap-by-layer" checked={*by_layer} onchange={toggle} />
                    { " Colour by the layer that last wrote each path" }
                </label>
            </div>
            <nav aria-label="Directory"><ol class="crumbs" id="treemap-crumbs">{ for crumb_links }</ol></nav>
            <p class="muted">{ format!("{} in {}; click a directory to open it.", format::bytes(size_here), where_label) }</p>
            <svg id="treemap-svg" viewBox={format!("0 0 {W} {H}")} width="100%" role="group"
                aria-label="Treemap of the current directory; the file explorer lists the same entries" xmlns="http://www.w3.org/2000/svg">
                { for cells }
                { for rest_cell }
            </svg>
            if *by_layer {
                <p class="legend">
                    { for report.analysis.layers.iter().map(|l| html! {
                        <span><span class="swatch" style={format!("background:{}", layer_colour(l.index as u32))}></span>{ format!("L{}", l.index) }</span>
                    }) }
                </p>
            } else {
                <p class="legend">
                    <span class="swatch kept"></span>{ "directory" }
                    <span class="swatch" style="background:var(--duplicate)"></span>{ "file" }
                </p>
            }
        </section>
    }
}
