//! The stage-graph diagram beside the Dockerfile editor: an SVG drawn in `html!` from [`crate::stage_graph`], with
//! a table that says the same in words.

use crate::stage_graph::{layout, Dependency, NodeKind, StageGraph, NODE_HEIGHT, NODE_WIDTH};
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`StageGraphView`].
#[derive(Properties, PartialEq)]
pub struct StageGraphProps {
    /// The graph of the current Dockerfile.
    pub graph: Rc<StageGraph>,
}

/// The CSS class and the words that describe a node (unused stages are named as such, not only coloured).
fn describe(kind: &NodeKind) -> (&'static str, &'static str) {
    match kind {
        NodeKind::Stage { target: true, .. } => ("node stage target", "target stage"),
        NodeKind::Stage { reachable: true, .. } => ("node stage", "stage"),
        NodeKind::Stage { reachable: false, .. } => ("node stage unused", "unused stage"),
        NodeKind::Image => ("node image", "image"),
        NodeKind::Scratch => ("node image scratch", "empty image"),
    }
}

fn edge_class(kind: Dependency) -> &'static str {
    match kind {
        Dependency::Base => "edge base",
        Dependency::Copy => "edge copy",
        Dependency::Mount => "edge mount",
    }
}

/// Shortens a label to what fits in a node box.
fn fit(label: &str) -> String {
    const MAX: usize = 22;
    if label.chars().count() <= MAX {
        label.to_string()
    } else {
        let head: String = label.chars().take(MAX - 1).collect();
        format!("{head}…")
    }
}

/// The stage graph: stages and the images they use, dependencies pointing down, unused stages dashed and labelled.
#[function_component]
pub fn StageGraphView(props: &StageGraphProps) -> Html {
    let graph = &props.graph;
    if !graph.nodes.iter().any(|n| matches!(n.kind, NodeKind::Stage { .. })) {
        return html! {};
    }
    let l = layout(graph);
    let edges = graph.edges.iter().zip(&l.routes).filter(|(_, route)| route.points.len() >= 2).map(|(e, route)| {
        let d = route.d();
        let title = format!(
            "{} {} {} (line {})",
            graph.nodes.get(e.to).map_or("", |n| n.label.as_str()),
            e.kind.words(),
            graph.nodes.get(e.from).map_or("", |n| n.label.as_str()),
            e.line
        );
        html! {
            <path class={edge_class(e.kind)} d={d} marker-end="url(#stage-arrow)"><title>{ title }</title></path>
        }
    });
    let nodes = graph.nodes.iter().zip(&l.places).map(|(node, place)| {
        let (class, words) = describe(&node.kind);
        let label = match node.kind {
            NodeKind::Stage { reachable: false, .. } => format!("{} (unused)", fit(&node.label)),
            NodeKind::Stage { target: true, .. } => format!("{} (target)", fit(&node.label)),
            _ => fit(&node.label),
        };
        let radius = if matches!(node.kind, NodeKind::Stage { .. }) { "4" } else { "20" };
        html! {
            <g class={class} transform={format!("translate({:.1},{:.1})", place.x, place.y)}>
                <title>{ format!("{words} {} (line {})", node.label, node.line) }</title>
                <rect width={NODE_WIDTH.to_string()} height={NODE_HEIGHT.to_string()} rx={radius} />
                <text x={(NODE_WIDTH / 2.0).to_string()} y={(NODE_HEIGHT / 2.0 + 4.0).to_string()} text-anchor="middle">{ label }</text>
            </g>
        }
    });
    let rows =
        graph.nodes.iter().enumerate().filter(|(_, n)| matches!(n.kind, NodeKind::Stage { .. })).map(|(i, node)| {
            let (_, words) = describe(&node.kind);
            let needs: Vec<String> = graph
                .edges
                .iter()
                .filter(|e| e.to == i)
                .filter_map(|e| graph.nodes.get(e.from).map(|n| format!("{} {}", e.kind.words(), n.label)))
                .collect();
            html! {
                <tr>
                    <th scope="row">{ node.label.clone() }</th>
                    <td>{ words }</td>
                    <td>{ if needs.is_empty() { "-".to_string() } else { needs.join(", ") } }</td>
                    <td>{ node.line }</td>
                </tr>
            }
        });
    html! {
        <section class="stage-graph" aria-labelledby="stage-graph-title">
            <h3 id="stage-graph-title">{ "Stage graph" }</h3>
            <svg id="stage-graph" role="img" aria-labelledby="stage-graph-title stage-graph-desc"
                viewBox={format!("0 0 {:.0} {:.0}", l.width, l.height)} width={format!("{:.0}", l.width)}>
                <desc id="stage-graph-desc">{ "Stages and the images they use; arrows point from what a stage needs to the stage. The table below lists the same." }</desc>
                <defs>
                    <marker id="stage-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M0,0 L10,5 L0,10 z" />
                    </marker>
                </defs>
                { for edges }
                { for nodes }
            </svg>
            <p class="legend muted">{ "Solid: FROM · dashed: COPY --from · dotted: RUN --mount from · rounded: external image · dashed box: stage the target does not need" }</p>
            <table class="stage-table">
                <caption>{ "Stages" }</caption>
                <thead><tr><th scope="col">{ "Stage" }</th><th scope="col">{ "Role" }</th><th scope="col">{ "Depends on" }</th><th scope="col">{ "Line" }</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        </section>
    }
}
