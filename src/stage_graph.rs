//! The stage graph of a Dockerfile for the page: the core model's stages, the images they start from or copy
//! from, and their dependencies (`FROM`, `COPY --from`, `RUN --mount=from=`), laid out in layers by dependency
//! depth so that everything a node needs sits above it.

use layerlens_core::dockerfile::{self, BuildArgs, EdgeKind, Source};
use serde::{Deserialize, Serialize};

/// What a node of the graph stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// A build stage.
    Stage {
        /// Whether building the target needs it.
        reachable: bool,
        /// Whether it is the stage being built.
        target: bool,
    },
    /// An image pulled from a registry (or a named build context).
    Image,
    /// `scratch`, the empty image.
    Scratch,
}

/// One node: a stage or an external image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphNode {
    /// The label: the stage name (or `stage N`), or the image reference.
    pub label: String,
    /// What it is.
    pub kind: NodeKind,
    /// The line of the stage's `FROM` (for images, the first line that refers to them).
    pub line: usize,
}

/// How a stage depends on another node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dependency {
    /// `FROM` it.
    Base,
    /// `COPY --from` it.
    Copy,
    /// `RUN --mount=from=` it.
    Mount,
}

impl Dependency {
    /// How the dependency is written in a Dockerfile.
    pub fn words(self) -> &'static str {
        match self {
            Dependency::Base => "FROM",
            Dependency::Copy => "COPY --from",
            Dependency::Mount => "RUN --mount from",
        }
    }
}

/// An edge: stage `to` depends on node `from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphEdge {
    /// The node depended on (index into `nodes`).
    pub from: usize,
    /// The stage that depends on it (index into `nodes`).
    pub to: usize,
    /// The kind of dependency.
    pub kind: Dependency,
    /// The line of the instruction holding the reference.
    pub line: usize,
}

/// The stage graph of one Dockerfile text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageGraph {
    /// Stages first (in order, so stage `i` is node `i`), then external images in order of first use.
    pub nodes: Vec<GraphNode>,
    /// The dependencies, in source order.
    pub edges: Vec<GraphEdge>,
}

/// Builds the stage graph of `text` from the core's semantic model (no build arguments, the last stage as target).
pub fn stage_graph(text: &str) -> StageGraph {
    let parsed = dockerfile::parse(text);
    let model = dockerfile::model(&parsed, &BuildArgs::default());
    let line_of = |instruction: usize| parsed.syntax.instructions.get(instruction).map_or(0, |i| i.start_line);
    let mut nodes: Vec<GraphNode> = model
        .stages
        .iter()
        .map(|s| GraphNode {
            label: s.name_word.as_ref().map_or_else(|| format!("stage {}", s.index), |w| w.text.clone()),
            kind: NodeKind::Stage { reachable: s.reachable, target: model.target == Some(s.index) },
            line: line_of(s.from),
        })
        .collect();
    let mut edges = Vec::new();
    let external = |nodes: &mut Vec<GraphNode>, label: &str, kind: NodeKind, line: usize| match nodes
        .iter()
        .skip(model.stages.len())
        .position(|n| n.label == label && n.kind == kind)
    {
        Some(i) => model.stages.len() + i,
        None => {
            nodes.push(GraphNode { label: label.to_string(), kind, line });
            nodes.len() - 1
        }
    };
    for stage in &model.stages {
        let line = line_of(stage.from);
        let base = match &stage.base.source {
            Source::Stage(j) => Some(*j),
            Source::Image(reference) => Some(external(&mut nodes, reference, NodeKind::Image, line)),
            Source::Scratch => Some(external(&mut nodes, "scratch", NodeKind::Scratch, line)),
            Source::Unresolved => None,
        };
        if let Some(from) = base {
            edges.push(GraphEdge { from, to: stage.index, kind: Dependency::Base, line });
        }
        for edge in stage.edges.iter().filter(|e| e.kind != EdgeKind::Base) {
            let line = line_of(edge.instruction);
            let from = match &edge.source {
                Source::Stage(j) => *j,
                Source::Image(reference) => external(&mut nodes, reference, NodeKind::Image, line),
                Source::Scratch => external(&mut nodes, "scratch", NodeKind::Scratch, line),
                Source::Unresolved => continue,
            };
            let kind = if edge.kind == EdgeKind::MountFrom { Dependency::Mount } else { Dependency::Copy };
            edges.push(GraphEdge { from, to: stage.index, kind, line });
        }
    }
    StageGraph { nodes, edges }
}

/// Where one node is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    /// The layer (dependency depth): 0 for nodes that depend on nothing.
    pub layer: usize,
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
}

/// The drawing of a graph: every node's place and the size of the picture.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Per node, in the order of `nodes`.
    pub places: Vec<Placed>,
    /// The picture's width.
    pub width: f64,
    /// The picture's height.
    pub height: f64,
}

/// Node box width.
pub const NODE_WIDTH: f64 = 168.0;
/// Node box height.
pub const NODE_HEIGHT: f64 = 40.0;
const GAP_X: f64 = 24.0;
const GAP_Y: f64 = 48.0;
const MARGIN: f64 = 8.0;

/// Lays the graph out in layers by dependency depth (the longest chain of dependencies below a node), nodes in a
/// layer in their order. Dependencies that form a cycle (BuildKit refuses those) are ignored for the depth.
pub fn layout(graph: &StageGraph) -> Layout {
    let n = graph.nodes.len();
    let mut depth = vec![0usize; n];
    // Relax the edges until nothing changes; a pass is O(edges) and n passes bound any chain, cycles included.
    for _ in 0..n {
        let mut changed = false;
        for e in &graph.edges {
            let (Some(&d_from), Some(&d_to)) = (depth.get(e.from), depth.get(e.to)) else { continue };
            if e.from != e.to && d_to < d_from + 1 && d_from < n {
                if let Some(slot) = depth.get_mut(e.to) {
                    *slot = d_from + 1;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let layers = depth.iter().max().map_or(0, |m| m + 1);
    let mut count = vec![0usize; layers];
    let mut places = Vec::with_capacity(n);
    for &d in &depth {
        let column = count.get(d).copied().unwrap_or(0);
        if let Some(c) = count.get_mut(d) {
            *c += 1;
        }
        places.push(Placed {
            layer: d,
            x: MARGIN + column as f64 * (NODE_WIDTH + GAP_X),
            y: MARGIN + d as f64 * (NODE_HEIGHT + GAP_Y),
        });
    }
    let widest = count.iter().copied().max().unwrap_or(0);
    let width = if widest == 0 { 0.0 } else { 2.0 * MARGIN + widest as f64 * NODE_WIDTH + (widest - 1) as f64 * GAP_X };
    let height =
        if layers == 0 { 0.0 } else { 2.0 * MARGIN + layers as f64 * NODE_HEIGHT + (layers - 1) as f64 * GAP_Y };
    Layout { places, width, height }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MULTI: &str = "FROM golang:1.26 AS build\nRUN go build -o /app\n\
        FROM alpine:3.22 AS tools\nRUN apk add --no-cache curl\n\
        FROM build AS test\nRUN go test\n\
        FROM scratch\nCOPY --from=build /app /app\nRUN --mount=from=tools,target=/t true\n";

    #[test]
    fn stages_images_and_edges_come_from_the_model() {
        let g = stage_graph(MULTI);
        let labels: Vec<&str> = g.nodes.iter().map(|n| n.label.as_str()).collect();
        assert_eq!(labels, ["build", "tools", "test", "stage 3", "golang:1.26", "alpine:3.22", "scratch"]);
        assert_eq!(g.nodes[2].kind, NodeKind::Stage { reachable: false, target: false });
        assert_eq!(g.nodes[3].kind, NodeKind::Stage { reachable: true, target: true });
        assert_eq!(g.nodes[4].kind, NodeKind::Image);
        assert_eq!(g.nodes[6].kind, NodeKind::Scratch);
        let edges: Vec<(usize, usize, Dependency, usize)> =
            g.edges.iter().map(|e| (e.from, e.to, e.kind, e.line)).collect();
        assert_eq!(
            edges,
            [
                (4, 0, Dependency::Base, 1),
                (5, 1, Dependency::Base, 3),
                (0, 2, Dependency::Base, 5),
                (6, 3, Dependency::Base, 7),
                (0, 3, Dependency::Copy, 8),
                (1, 3, Dependency::Mount, 9),
            ]
        );
    }

    #[test]
    fn layers_follow_dependency_depth() {
        let g = stage_graph(MULTI);
        let l = layout(&g);
        let layers: Vec<usize> = l.places.iter().map(|p| p.layer).collect();
        assert_eq!(layers, [1, 1, 2, 2, 0, 0, 0]);
        // Everything a stage depends on is drawn above it.
        for e in &g.edges {
            assert!(l.places[e.from].y < l.places[e.to].y, "{e:?}");
        }
        assert_eq!(l.width, 2.0 * MARGIN + 3.0 * NODE_WIDTH + 2.0 * GAP_X);
        assert_eq!(l.height, 2.0 * MARGIN + 3.0 * NODE_HEIGHT + 2.0 * GAP_Y);
    }

    #[test]
    fn a_cycle_and_an_empty_file_do_not_hang() {
        let g = stage_graph("FROM alpine AS a\nCOPY --from=b /x /x\nFROM alpine AS b\nCOPY --from=a /y /y\n");
        let l = layout(&g);
        assert_eq!(l.places.len(), 3);
        let empty = layout(&stage_graph(""));
        assert_eq!((empty.places.len(), empty.width, empty.height), (0, 0.0, 0.0));
    }
}
