//! The stage-graph diagram rendered natively (Yew SSR) for a known multi-stage Dockerfile: nodes for every stage
//! and external image, edges for FROM / COPY --from / RUN --mount from, the unused stage named as such, and the table.

#![cfg(not(target_arch = "wasm32"))]

use layerlens_web::components::{StageGraphProps, StageGraphView};
use layerlens_web::stage_graph::stage_graph;
use std::rc::Rc;
use yew::LocalServerRenderer;

const DOCKERFILE: &str = "FROM golang:1.26 AS build\nRUN go build -o /app\n\
    FROM alpine:3.22 AS tools\nRUN apk add --no-cache curl\n\
    FROM build AS test\nRUN go test\n\
    FROM scratch\nCOPY --from=build /app /app\nRUN --mount=from=tools,target=/t true\n";

async fn render(text: &str) -> String {
    let props = StageGraphProps { graph: Rc::new(stage_graph(text)) };
    LocalServerRenderer::<StageGraphView>::with_props(props).hydratable(false).render().await
}

#[tokio::test(flavor = "current_thread")]
async fn the_graph_of_a_multi_stage_dockerfile() {
    let html = render(DOCKERFILE).await;
    assert!(html.contains(r#"<svg id="stage-graph" role="img""#), "{html}");
    // Layers by depth: images on top (y 8), build and tools below (y 96), test and the final stage at the bottom (y 184).
    for (class, place, label) in [
        ("node image", "translate(8.0,8.0)", "golang:1.26"),
        ("node image", "translate(200.0,8.0)", "alpine:3.22"),
        ("node image scratch", "translate(392.0,8.0)", "scratch"),
        ("node stage", "translate(8.0,96.0)", "build"),
        ("node stage", "translate(200.0,96.0)", "tools"),
        ("node stage unused", "translate(8.0,184.0)", "test (unused)"),
        ("node stage target", "translate(200.0,184.0)", "stage 3 (target)"),
    ] {
        let needle = format!(r#"<g transform="{place}" class="{class}">"#);
        let at = html.find(&needle).unwrap_or_else(|| panic!("{needle} in {html}"));
        assert!(html[at..].contains(&format!("{label}</text>")), "{label} after {needle}");
    }
    assert_eq!(html.matches(r#"class="edge base">"#).count(), 4);
    assert_eq!(html.matches(r#"class="edge copy">"#).count(), 1);
    assert_eq!(html.matches(r#"class="edge mount">"#).count(), 1);
    assert!(html.contains("<title>stage 3 COPY --from build (line 8)</title>"), "{html}");
    // The text alternative: one row per stage with its role and dependencies.
    assert!(html.contains(r#"<th scope="row">test</th><td>unused stage</td><td>FROM build</td><td>5</td>"#), "{html}");
    assert!(html.contains(
        r#"<th scope="row">stage 3</th><td>target stage</td><td>FROM scratch, COPY --from build, RUN --mount from tools</td><td>7</td>"#
    ));
}

#[tokio::test(flavor = "current_thread")]
async fn no_stages_no_graph() {
    assert_eq!(render("").await, "");
    assert_eq!(render("# only a comment\n").await, "");
}

#[tokio::test(flavor = "current_thread")]
async fn an_edge_that_skips_a_layer_is_drawn_through_a_channel_beside_the_boxes() {
    // node:22 sits at depth 0 and only stage e (depth 2) copies from it; a, b, c and d fill depth 1.
    let text = "FROM alpine:3.22 AS a\nFROM alpine:3.22 AS b\nFROM alpine:3.22 AS c\nFROM alpine:3.22 AS d\n\
        FROM a AS e\nCOPY --from=node:22 /usr/local/bin/node /node\n";
    let html = render(text).await;
    let edge = html
        .split("<path ")
        .find(|p| p.contains("<title>e COPY --from node:22 (line 6)</title>"))
        .unwrap_or_else(|| panic!("no edge from node:22 in {html}"));
    let d = edge.split(r#"d=""#).nth(1).map(|d| &d[..d.find('"').unwrap()]).unwrap();
    // Two S-curves across the gaps and one straight line down a channel through layer 1 (y 96 to 136).
    assert_eq!(d.matches(" C").count(), 2, "{d}");
    let line = d.split(" L").nth(1).unwrap_or_else(|| panic!("no channel in {d}"));
    let (x, y) = line.split(" C").next().unwrap().split_once(',').unwrap();
    assert_eq!(y, "136.0", "{d}");
    // The channel lies in no box of layer 1.
    let x: f64 = x.parse().unwrap();
    let mut layer_one = 0;
    for place in html.split(r#"<g transform="translate("#).skip(1) {
        let (bx, rest) = place.split_once(',').unwrap();
        let by = &rest[..rest.find(')').unwrap()];
        if by == "96.0" {
            let bx: f64 = bx.parse().unwrap();
            assert!(x < bx || x > bx + 168.0, "channel x {x} inside the box at {bx}: {d}");
            layer_one += 1;
        }
    }
    assert_eq!(layer_one, 4, "{html}");
}
