//! The recommendations panel rendered natively (Yew SSR) for the built-in sample.

#![cfg(not(target_arch = "wasm32"))]

mod support;

use support::{render, sample_report};

use layerlens_core::recommend::Alternative;
use layerlens_web::components::{ChartMeasure, RecommendationsProps, RecommendationsView, Summary, SummaryProps};
use layerlens_web::report::SharedReport;

#[tokio::test(flavor = "current_thread")]
async fn panel_lists_the_cores_actions_with_their_savings() {
    let report = sample_report();
    let recs = report.recommendations.clone().expect("the sample gets recommendations");
    // The largest action is the sample's deleted package index; with the file re-shipped for a permission
    // change it makes up all of the sample's hidden bytes.
    let saved = |id: &str| recs.actions.iter().find(|a| a.id == id).and_then(|a| a.bytes_saved).unwrap();
    assert_eq!(recs.actions[0].id, "hidden-files");
    assert_eq!(saved("hidden-files") + saved("metadata-only-copies"), report.analysis.waste.hidden_bytes);
    assert!(report.analysis.captured.is_empty(), "captured files are dropped once the recommendations are made");
    let html = render::<RecommendationsView>(RecommendationsProps { report: SharedReport::new(report.clone()) }).await;
    assert_eq!(html.matches(r#"<li data-id="#).count(), recs.actions.len(), "{html}");
    assert!(html.contains("files shipped in one layer and deleted or overwritten by a later one</strong>"), "{html}");
    assert!(html.contains(&format!(r#"data-bytes="{}""#, saved("hidden-files"))), "{html}");
    assert!(html.contains(">45 kB</span>"), "{html}");
    assert!(html.contains("The base image is not in the catalog"), "{html}");
    // The core's how-to text comes through whole; its back-quoted commands are shown as code.
    assert!(html.contains("<code>COPY --chmod=755 --chown=app:app …</code>"), "{html}");
    assert!(!html.contains('`'), "{html}");

    let summary = render::<Summary>(SummaryProps {
        name: "sample.tar".into(),
        report: SharedReport::new(report),
        elapsed_ms: 1.0,
    })
    .await;
    let top_actions = summary.split(r#"class="top-actions""#).nth(1).expect("the summary lists the top changes");
    assert_eq!(top_actions.split("</ol>").next().unwrap().matches("<li>").count(), 3.min(recs.actions.len()));
    assert!(top_actions.contains("identical content stored at several paths"), "{summary}");
    // The sample's config: CMD ["python3", "server.py"], USER app, WORKDIR /app, EXPOSE 8080.
    assert!(
        summary.contains(r#"Runs <code>python3 server.py</code> as app · in /app · exposes 8080/tcp</p>"#),
        "{summary}"
    );
}

fn alternative(image: &str, estimated: Option<u64>, compressed: Option<u64>, current: bool) -> Alternative {
    Alternative {
        image: image.into(),
        variant: "slim".into(),
        os_version: "Debian 12".into(),
        libc: None,
        shell: Some(true),
        package_manager: Some(true),
        compressed_bytes: compressed,
        uncompressed_bytes: Some(75_000_000),
        estimated_image_bytes: estimated,
        estimated_compressed_image_bytes: None,
        saving_bytes: None,
        compressed_saving_bytes: None,
        current,
        tradeoffs: vec!["No shell <b>to debug</b> with.".into()],
        blockers: Vec::new(),
        source: "test".into(),
    }
}

/// The bars of the comparison chart: each row's image and its bar's width (`None` when it has no bar).
fn bars(html: &str) -> Vec<(String, Option<f64>)> {
    support::chart_rows(html).into_iter().map(|(image, width, _)| (image, width)).collect()
}

async fn render_with(alternatives: Vec<Alternative>) -> String {
    let mut report = sample_report();
    report.recommendations.as_mut().unwrap().alternatives = alternatives;
    render::<RecommendationsView>(RecommendationsProps { report: SharedReport::new(report) }).await
}

/// The width the chart gives its longest bar, in SVG units.
const FULL_BAR: f64 = 300.0;

#[tokio::test(flavor = "current_thread")]
async fn chart_draws_a_bar_for_every_catalogued_base_in_compressed_bytes() {
    // A Dockerfile on node:24 gets the catalog's real node rows, which carry compressed sizes only: the chart
    // must fall back to that measure and draw every row that has it, instead of no bars at all.
    let recs = layerlens_core::recommend::recommend_dockerfile("FROM node:24\nCOPY . /app\nCMD [\"node\", \"/app\"]\n")
        .unwrap();
    let alternatives = recs.alternatives.clone();
    assert_eq!(layerlens_web::components::chart_measure(&alternatives), ChartMeasure::BaseCompressed);
    let html = render_with(alternatives.clone()).await;
    let drawn = bars(&html);
    assert_eq!(drawn.len(), alternatives.len(), "{html}");
    let largest = alternatives.iter().filter_map(|a| a.compressed_bytes).max().unwrap() as f64;
    let mut with_bars = 0;
    for (alt, (image, width)) in alternatives.iter().zip(&drawn) {
        assert_eq!(&alt.image, image);
        match (alt.compressed_bytes, width) {
            (Some(bytes), Some(width)) => {
                with_bars += 1;
                assert!((width - FULL_BAR * bytes as f64 / largest).abs() < 1e-6, "{image}: {width}");
            }
            (None, None) => {}
            other => panic!("{image}: bar and catalogued size disagree: {other:?}"),
        }
    }
    assert!(with_bars >= 3, "the node, slim and alpine rows are catalogued: {drawn:?}");
    assert_eq!(drawn[0].0, "node:24");
    assert_eq!(drawn[0].1, Some(FULL_BAR), "the full node image is the largest base");
    let alpine = drawn.iter().find(|(i, _)| i == "node:24-alpine").and_then(|(_, w)| *w).unwrap();
    assert!((alpine - FULL_BAR * 60_000_000.0 / 409_000_000.0).abs() < 6.0, "{alpine}");
    assert!(html.contains(">node:24 (this image's base)</text>"), "{html}");
    assert!(html.contains(r#"data-measure="BaseCompressed""#), "{html}");
    assert!(html.contains("compressed (registry) size from the catalog"), "{html}");
    assert!(html.contains(" compressed</text>"), "every bar label names the measure: {html}");
    assert!(!html.contains(" on disk</text>"), "{html}");
}

#[tokio::test(flavor = "current_thread")]
async fn chart_uses_on_disk_sizes_when_every_row_has_them() {
    let html = render_with(vec![
        alternative("node:22", Some(400_000_000), Some(140_000_000), true),
        alternative("node:22-slim", Some(100_000_000), Some(50_000_000), false),
    ])
    .await;
    assert_eq!(html.matches(r#"class="alt-bar current""#).count(), 1, "{html}");
    assert!(html.contains(">node:22 (this image)</text>"), "{html}");
    assert_eq!(bars(&html), [("node:22".to_string(), Some(FULL_BAR)), ("node:22-slim".to_string(), Some(75.0))]);
    assert!(html.contains(">400 MB on disk</text>"), "{html}");
    assert!(html.contains("Bars: estimated image size on disk"), "{html}");
    assert!(html.contains("base 75 MB on disk · base 50 MB compressed"), "{html}");
    assert!(html.contains("No shell &lt;b&gt;to debug&lt;/b&gt; with."), "{html}");
}

#[tokio::test(flavor = "current_thread")]
async fn chart_prefers_the_measure_most_rows_have_and_never_mixes_units() {
    // Two rows know only compressed sizes; the on-disk estimate of the first is not drawn beside them.
    let mut current = alternative("python:3.12", Some(1_000_000_000), None, true);
    current.estimated_compressed_image_bytes = Some(400_000_000);
    let mut slim = alternative("python:3.12-slim", None, Some(40_000_000), false);
    slim.estimated_compressed_image_bytes = Some(100_000_000);
    let mut unknown = alternative("python:3.12-alpine", None, None, false);
    unknown.uncompressed_bytes = None;
    let html = render_with(vec![current, slim, unknown]).await;
    assert!(html.contains(r#"data-measure="Compressed""#), "{html}");
    assert_eq!(
        bars(&html),
        [
            ("python:3.12".to_string(), Some(FULL_BAR)),
            ("python:3.12-slim".to_string(), Some(75.0)),
            ("python:3.12-alpine".to_string(), None)
        ]
    );
    assert!(html.contains(">400 MB compressed</text>"), "{html}");
    assert!(html.contains("size not catalogued"), "{html}");
}

const ARTICLE_DOCKERFILE: &str = "FROM node:8\n\nEXPOSE 3000\n\nWORKDIR /app\nCOPY package.json index.js ./\nRUN npm install\n\nCMD [\"npm\", \"start\"]\n";

#[tokio::test(flavor = "current_thread")]
async fn rewrite_view_shows_each_rewrite_as_a_marked_diff_with_a_copy_button() {
    use layerlens_web::components::{RewriteProps, RewriteView};
    let report = layerlens_web::report::dockerfile_report(ARTICLE_DOCKERFILE);
    let rewrites = report.advice.clone().unwrap().rewrites;
    let ids: Vec<&str> = rewrites.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["multi-stage", "distroless", "alpine"]);
    let html = render::<RewriteView>(RewriteProps { report: std::rc::Rc::new(report) }).await;
    assert_eq!(html.matches(r#"role="tab""#).count(), 3, "{html}");
    assert_eq!(html.matches(r#"aria-selected="true""#).count(), 1, "{html}");
    assert!(html.contains(r#"data-rewrite="multi-stage""#), "the first rewrite is open: {html}");
    // Every added and removed line carries a visible mark and a word for screen readers, not colour alone.
    let added = rewrites[0].diff.lines().filter(|l| l.starts_with('+') && !l.starts_with("+++")).count();
    let removed = rewrites[0].diff.lines().filter(|l| l.starts_with('-') && !l.starts_with("---")).count();
    assert!(added > 0 && removed > 0, "{}", rewrites[0].diff);
    assert_eq!(html.matches(r#"class="diff-line added""#).count(), added, "{html}");
    assert_eq!(html.matches(r#"class="diff-line removed""#).count(), removed, "{html}");
    assert_eq!(html.matches(r#"<span class="visually-hidden">added: </span>"#).count(), added, "{html}");
    assert_eq!(html.matches(r#"<span class="visually-hidden">removed: </span>"#).count(), removed, "{html}");
    assert!(html.contains(r#"<span aria-hidden="true" class="diff-mark">+</span>"#), "{html}");
    assert!(!html.contains("+++ Dockerfile"), "the file header is not shown: {html}");
    assert!(html.contains("Copy rewritten Dockerfile</button>"), "{html}");
    // The user's own instructions survive in the diff as kept or moved lines.
    assert!(html.contains("RUN npm install"), "{html}");

    let none = render::<RewriteView>(RewriteProps { report: std::rc::Rc::default() }).await;
    assert!(none.contains("No rewrite applies to this Dockerfile"), "{none}");
}
