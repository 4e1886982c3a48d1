//! The recommendations panel rendered natively (Yew SSR) for the built-in sample.

#![cfg(not(target_arch = "wasm32"))]

use layerlens_core::recommend::Alternative;
use layerlens_web::components::{RecommendationsProps, RecommendationsView, Summary, SummaryProps};
use layerlens_web::report::{Report, SharedReport};
use yew::LocalServerRenderer;

async fn render<C: yew::BaseComponent>(props: C::Properties) -> String {
    LocalServerRenderer::<C>::with_props(props).hydratable(false).render().await
}

fn sample_report() -> Report {
    let bytes = include_bytes!("../www/samples/sample.tar");
    let source = layerlens_core::MemSource::new(&bytes[..]);
    let options = layerlens_web::report::page_options(None, None);
    layerlens_web::report::analyze(&source, &options, &mut layerlens_core::Silent).unwrap()
}

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
    // The core's how-to text comes through whole, backticks and all.
    assert!(html.contains("`COPY --chmod=755 --chown=app:app …`"), "{html}");

    let summary = render::<Summary>(SummaryProps {
        name: "sample.tar".into(),
        report: SharedReport::new(report),
        elapsed_ms: 1.0,
    })
    .await;
    let top_actions = summary.split(r#"class="top-actions""#).nth(1).expect("the summary lists the top changes");
    assert_eq!(top_actions.split("</ol>").next().unwrap().matches("<li>").count(), 3.min(recs.actions.len()));
    assert!(top_actions.contains("identical content stored at several paths"), "{summary}");
}

fn alternative(image: &str, estimated: Option<u64>, current: bool) -> Alternative {
    Alternative {
        image: image.into(),
        variant: "slim".into(),
        os_version: "Debian 12".into(),
        libc: None,
        shell: Some(true),
        package_manager: Some(true),
        compressed_bytes: Some(28_000_000),
        uncompressed_bytes: Some(75_000_000),
        estimated_image_bytes: estimated,
        saving_bytes: None,
        compressed_saving_bytes: None,
        current,
        tradeoffs: vec!["No shell <b>to debug</b> with.".into()],
        blockers: Vec::new(),
        source: "test".into(),
    }
}

#[tokio::test(flavor = "current_thread")]
async fn chart_scales_bars_to_the_largest_image_and_marks_the_current_one() {
    let mut report = sample_report();
    let recs = report.recommendations.as_mut().unwrap();
    recs.alternatives = vec![
        alternative("node:22", Some(400_000_000), true),
        alternative("node:22-slim", Some(100_000_000), false),
        alternative("gcr.io/distroless/nodejs22", None, false),
    ];
    let html = render::<RecommendationsView>(RecommendationsProps { report: SharedReport::new(report) }).await;
    assert_eq!(html.matches(r#"class="alt-bar current""#).count(), 1, "{html}");
    assert!(html.contains(">node:22 (this image)</text>"), "{html}");
    let widths: Vec<f64> = html
        .split("<rect")
        .skip(1)
        .map(|r| {
            let w = r.split(r#"width=""#).nth(1).unwrap();
            w[..w.find('"').unwrap()].parse().unwrap()
        })
        .collect();
    assert_eq!(widths.len(), 2, "the image with an unknown size has no bar: {html}");
    assert!((widths[0] / widths[1] - 4.0).abs() < 1e-9, "{widths:?}");
    assert!(html.contains("size unknown"), "{html}");
    assert!(html.contains("base 75 MB on disk · base 28 MB compressed"), "{html}");
    assert!(html.contains("No shell &lt;b&gt;to debug&lt;/b&gt; with."), "{html}");
}
