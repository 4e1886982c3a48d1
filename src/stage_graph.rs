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

/// The way one edge is drawn: from the bottom of the node depended on, down through a free channel in every
/// layer it spans, to the top of the stage that depends on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// The start, then the top and bottom of each channel the edge passes through, then the end.
    pub points: Vec<(f64, f64)>,
}

impl Route {
    /// The SVG path: an S-curve across each gap between layers and a straight line through each channel, so the
    /// edge stays in the gaps and its own channels and never crosses a box.
    pub fn d(&self) -> String {
        let mut d = String::new();
        let mut points = self.points.iter().enumerate();
        if let Some((_, (x, y))) = points.next() {
            d.push_str(&format!("M{x:.1},{y:.1}"));
        }
        let mut previous = self.points.first().copied().unwrap_or((0.0, 0.0));
        for (i, &(x, y)) in points {
            // Points 1, 3, 5, … end a gap between layers; points 2, 4, … end a channel.
            if i % 2 == 1 {
                let (px, py) = previous;
                let mid = (py + y) / 2.0;
                d.push_str(&format!(" C{px:.1},{mid:.1} {x:.1},{mid:.1} {x:.1},{y:.1}"));
            } else {
                d.push_str(&format!(" L{x:.1},{y:.1}"));
            }
            previous = (x, y);
        }
        d
    }
}

/// The drawing of a graph: every node's place, every edge's route and the size of the picture.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Per node, in the order of `nodes`.
    pub places: Vec<Placed>,
    /// Per edge, in the order of `edges`.
    pub routes: Vec<Route>,
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
/// The width of the channel a long edge takes in each layer it passes.
const CHANNEL_WIDTH: f64 = 8.0;
/// The most channels in one drawing; edges beyond it are drawn straight (only absurd files have that many).
const MAX_CHANNELS: usize = 4096;
/// Ordering sweeps (down then up) that move nodes towards the average place of their neighbours.
const SWEEPS: usize = 4;

/// One slot in a layer: a node, or the channel of a long edge.
#[derive(Debug, Clone, Copy)]
enum Slot {
    Node,
    Channel,
}

/// Lays the graph out in layers by dependency depth (the longest chain of dependencies below a node). An edge that
/// spans several layers gets a channel in each layer between its ends; the nodes and channels of each layer are
/// ordered by the barycentre of their neighbours (a few sweeps down and up) to reduce crossings, then packed left to
/// right. Dependencies that form a cycle (BuildKit refuses those) are ignored for the depth and drawn straight.
pub fn layout(graph: &StageGraph) -> Layout {
    let n = graph.nodes.len();
    let depth = depths(graph);
    let layers = depth.iter().max().map_or(0, |m| m + 1);
    // Slots: the nodes first (slot i is node i), then the channels; each slot's layer and its links.
    let mut slots: Vec<Slot> = vec![Slot::Node; n];
    let mut layer_of: Vec<usize> = depth.clone();
    let mut chains: Vec<Vec<usize>> = Vec::with_capacity(graph.edges.len());
    for e in &graph.edges {
        let (Some(&d_from), Some(&d_to)) = (depth.get(e.from), depth.get(e.to)) else {
            chains.push(Vec::new());
            continue;
        };
        let mut chain = vec![e.from];
        if d_to > d_from + 1 && slots.len() - n + (d_to - d_from - 1) <= MAX_CHANNELS {
            for layer in d_from + 1..d_to {
                chain.push(slots.len());
                slots.push(Slot::Channel);
                layer_of.push(layer);
            }
        }
        chain.push(e.to);
        chains.push(chain);
    }
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); slots.len()];
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); slots.len()];
    for chain in &chains {
        for pair in chain.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            // Only links between adjacent layers guide the order; cycle edges do not.
            if layer_of.get(b) == layer_of.get(a).map(|l| l + 1).as_ref() {
                down[a].push(b);
                up[b].push(a);
            }
        }
    }
    let mut order: Vec<Vec<usize>> = vec![Vec::new(); layers];
    for (slot, &layer) in layer_of.iter().enumerate() {
        if let Some(row) = order.get_mut(layer) {
            row.push(slot);
        }
    }
    let mut position = vec![0usize; slots.len()];
    let renumber = |row: &[usize], position: &mut Vec<usize>| {
        for (i, &slot) in row.iter().enumerate() {
            position[slot] = i;
        }
    };
    for row in &order {
        renumber(row, &mut position);
    }
    for _ in 0..SWEEPS {
        let downward = (1..layers).map(|layer| (layer, true));
        let upward = (0..layers.saturating_sub(1)).rev().map(|layer| (layer, false));
        for (layer, down_sweep) in downward.chain(upward) {
            let links = if down_sweep { &up } else { &down };
            let row = &mut order[layer];
            let key = |slot: usize| -> f64 {
                let near = &links[slot];
                if near.is_empty() {
                    position[slot] as f64
                } else {
                    near.iter().map(|&s| position[s] as f64).sum::<f64>() / near.len() as f64
                }
            };
            let mut keyed: Vec<(f64, usize)> = row.iter().map(|&s| (key(s), s)).collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
            *row = keyed.into_iter().map(|(_, s)| s).collect();
            renumber(row, &mut position);
        }
    }
    let mut x = vec![0.0f64; slots.len()];
    let mut width: f64 = 0.0;
    for row in &order {
        let mut at = MARGIN;
        for &slot in row {
            x[slot] = at;
            at += match slots[slot] {
                Slot::Node => NODE_WIDTH,
                Slot::Channel => CHANNEL_WIDTH,
            } + GAP_X;
        }
        width = width.max(at - GAP_X + MARGIN);
    }
    let top = |layer: usize| MARGIN + layer as f64 * (NODE_HEIGHT + GAP_Y);
    let places = (0..n).map(|i| Placed { layer: depth[i], x: x[i], y: top(depth[i]) }).collect();
    let routes = chains
        .iter()
        .map(|chain| {
            let mut points = Vec::with_capacity(2 * chain.len());
            for (i, &slot) in chain.iter().enumerate() {
                let y = top(layer_of[slot]);
                match slots[slot] {
                    Slot::Node if i == 0 => points.push((x[slot] + NODE_WIDTH / 2.0, y + NODE_HEIGHT)),
                    Slot::Node => points.push((x[slot] + NODE_WIDTH / 2.0, y)),
                    Slot::Channel => {
                        let centre = x[slot] + CHANNEL_WIDTH / 2.0;
                        points.extend([(centre, y), (centre, y + NODE_HEIGHT)]);
                    }
                }
            }
            Route { points }
        })
        .collect();
    let height = if layers == 0 { 0.0 } else { top(layers - 1) + NODE_HEIGHT + MARGIN };
    Layout { places, routes, width: if n == 0 { 0.0 } else { width }, height }
}

/// Every node's dependency depth: the longest chain of dependencies below it, cycles ignored.
fn depths(graph: &StageGraph) -> Vec<usize> {
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
    depth
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

    /// Points along a drawn route: each gap's S-curve and each channel's line, sampled.
    fn sampled(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
        let mut out = Vec::new();
        for (i, pair) in points.windows(2).enumerate() {
            let ((ax, ay), (bx, by)) = (pair[0], pair[1]);
            let mid = (ay + by) / 2.0;
            for step in 0..=64 {
                let t = f64::from(step) / 64.0;
                let u = 1.0 - t;
                out.push(if i % 2 == 0 {
                    let x = u * u * u * ax + 3.0 * u * u * t * ax + 3.0 * u * t * t * bx + t * t * t * bx;
                    let y = u * u * u * ay + 3.0 * u * u * t * mid + 3.0 * u * t * t * mid + t * t * t * by;
                    (x, y)
                } else {
                    (ax + t * (bx - ax), ay + t * (by - ay))
                });
            }
        }
        out
    }

    /// The boxes (by node index) that a path through `points` enters, other than the edge's own ends.
    fn boxes_crossed(l: &Layout, points: &[(f64, f64)], from: usize, to: usize) -> Vec<usize> {
        let inside = |p: &Placed, (x, y): (f64, f64)| {
            x > p.x + 0.5 && x < p.x + NODE_WIDTH - 0.5 && y > p.y + 0.5 && y < p.y + NODE_HEIGHT - 0.5
        };
        let mut hit: Vec<usize> = (0..l.places.len())
            .filter(|&i| i != from && i != to)
            .filter(|&i| sampled(points).into_iter().any(|pt| inside(&l.places[i], pt)))
            .collect();
        hit.dedup();
        hit
    }

    /// Four stages at depth 1 and an image that only a stage at depth 2 copies from: drawn straight, that edge
    /// ran through the boxes of the depth-1 stages.
    const LONG_EDGE: &str = "FROM alpine:3.22 AS a\nFROM alpine:3.22 AS b\nFROM alpine:3.22 AS c\n\
        FROM alpine:3.22 AS d\nFROM a AS e\nCOPY --from=node:22 /usr/local/bin/node /node\n";

    #[test]
    fn no_edge_crosses_a_box_that_is_not_its_end() {
        for text in [LONG_EDGE, MULTI] {
            let g = stage_graph(text);
            let l = layout(&g);
            for (e, route) in g.edges.iter().zip(&l.routes) {
                assert_eq!(
                    route.points.first(),
                    Some(&(l.places[e.from].x + NODE_WIDTH / 2.0, l.places[e.from].y + NODE_HEIGHT))
                );
                assert_eq!(route.points.last(), Some(&(l.places[e.to].x + NODE_WIDTH / 2.0, l.places[e.to].y)));
                assert_eq!(boxes_crossed(&l, &route.points, e.from, e.to), Vec::<usize>::new(), "{e:?} {route:?}");
            }
        }
    }

    #[test]
    fn the_long_edge_takes_a_channel_that_a_straight_edge_would_not_have() {
        let g = stage_graph(LONG_EDGE);
        let l = layout(&g);
        let labels: Vec<&str> = g.nodes.iter().map(|n| n.label.as_str()).collect();
        assert_eq!(labels, ["a", "b", "c", "d", "e", "alpine:3.22", "node:22"]);
        let long = g.edges.iter().position(|e| e.from == 6 && e.to == 4).unwrap();
        let route = &l.routes[long];
        // One channel in layer 1: start, the channel's top and bottom, end.
        assert_eq!(route.points.len(), 4);
        assert_eq!(route.points[1].1, l.places[0].y);
        assert_eq!(route.points[2].1, l.places[0].y + NODE_HEIGHT);
        // Drawn as one curve from end to end (as before), it entered a box of layer 1.
        let straight = [route.points[0], route.points[3]];
        assert!(!boxes_crossed(&l, &straight, 6, 4).is_empty(), "{l:?}");
        assert_eq!(
            route.d(),
            format!(
                "M{:.1},{:.1} C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1} L{:.1},{:.1} C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
                route.points[0].0,
                route.points[0].1,
                route.points[0].0,
                (route.points[0].1 + route.points[1].1) / 2.0,
                route.points[1].0,
                (route.points[0].1 + route.points[1].1) / 2.0,
                route.points[1].0,
                route.points[1].1,
                route.points[2].0,
                route.points[2].1,
                route.points[2].0,
                (route.points[2].1 + route.points[3].1) / 2.0,
                route.points[3].0,
                (route.points[2].1 + route.points[3].1) / 2.0,
                route.points[3].0,
                route.points[3].1,
            )
        );
    }

    #[test]
    fn ordering_puts_a_stage_under_what_it_needs() {
        // Stage b is built from the second image and c from the first: the sweeps swap b and c so their edges
        // do not cross.
        let g = stage_graph("FROM alpine:3.22 AS a\nFROM debian:13 AS b\nFROM alpine:3.22 AS c\nFROM a\nCOPY --from=b / /\nCOPY --from=c / /\n");
        let l = layout(&g);
        let x = |label: &str| l.places[g.nodes.iter().position(|n| n.label == label).unwrap()].x;
        assert!(x("a") < x("c") && x("c") < x("b"), "{l:?}");
        assert!(x("alpine:3.22") < x("debian:13"));
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
