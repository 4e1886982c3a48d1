//! The file explorer and the layer chart rendered natively (Yew SSR) for the built-in sample's report.

#![cfg(not(target_arch = "wasm32"))]

mod support;

use support::{render, sample_report};

use layerlens_core::image::{layer_view, PathStatus, ViewMode};
use layerlens_web::components::{FileExplorer, FileExplorerProps, LayerChart, LayerChartProps};
use layerlens_web::report::{layer_figures, SharedReport};
use yew::Callback;

/// The `width` of the `<rect>` of `class` inside `bar`.
fn width(bar: &str, class: &str) -> f64 {
    let rect = bar.split("<rect").find(|r| r.contains(&format!(r#"class="{class}""#))).unwrap();
    let w = rect.split(r#"width=""#).nth(1).unwrap();
    w[..w.find('"').unwrap()].parse().unwrap()
}

#[tokio::test(flavor = "current_thread")]
async fn layer_bars_split_into_kept_duplicate_cache_and_hidden_with_a_legend() {
    let report = SharedReport::new(sample_report());
    let figures = layer_figures(&report);
    let html = render::<LayerChart>(LayerChartProps {
        report: report.clone(),
        selected: Some(2),
        on_select: Callback::noop(),
    })
    .await;
    let max = figures.iter().map(|f| f.shipped).max().unwrap() as f64;
    for f in &figures {
        let bar = html.split(&format!(r#"data-layer="{}""#, f.index)).nth(1).unwrap();
        let bar = &bar[..bar.find("</g>").unwrap()];
        for (class, bytes) in
            [("kept", f.kept), ("duplicate-part", f.duplicate), ("cache-part", f.cache), ("hidden-part", f.hidden)]
        {
            assert!((width(bar, class) - 470.0 * bytes as f64 / max).abs() < 1e-6, "layer {} {class}", f.index);
        }
        // Hover and focus give the figures in words.
        assert!(bar.contains(&format!("{} duplicate content", layerlens_web::format::bytes(f.duplicate))), "{bar}");
    }
    // The sample copies app/data to app/backup in one layer: that layer carries duplicate bytes.
    assert!(figures.iter().any(|f| f.duplicate > 20_000), "{figures:?}");
    for (swatch, words) in [
        ("kept", "kept (solid)"),
        ("duplicate-part", "duplicate content (dotted)"),
        ("cache-part", "caches and toolchains (checked)"),
        ("hidden-part", "hidden by a later layer (striped)"),
    ] {
        assert!(html.contains(&format!(r#"<span class="swatch {swatch}"></span>{words}"#)), "{swatch}: {html}");
    }
    for pattern in ["hatch-hidden", "dots-duplicate", "check-cache"] {
        assert!(html.contains(&format!(r#"<pattern id="{pattern}""#)), "{pattern}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn explorer_shows_the_tree_up_to_the_selected_layer_with_change_counts_and_tree_roles() {
    let report = SharedReport::new(sample_report());
    // Layer 4 is `rm -rf /var/lib/apt/lists/*`.
    let view = layer_view(&report.analysis, 4, ViewMode::UpTo);
    let removed = view.iter().filter(|(_, e)| e.status == PathStatus::Removed).count();
    assert!(removed > 0);
    let html =
        render::<FileExplorer>(FileExplorerProps { report, selected: Some(4), on_select: Callback::noop() }).await;
    assert!(html.contains(r#"<h3 id="explorer-title">Files up to L4</h3>"#), "{html}");
    assert!(html.contains(&format!("removed ({removed})")), "{html}");
    assert!(html.contains(r#"role="treegrid""#) && html.contains(r#"aria-activedescendant="file-row-"#), "{html}");
    assert!(html.contains(r#"id="mode-upto" aria-pressed="true" class="mode-toggle on">Everything up to"#), "{html}");
    let rows: Vec<&str> = html.split(r#"data-path=""#).skip(1).map(|r| &r[..r.find('"').unwrap()]).collect();
    assert_eq!(rows, ["/app", "/etc", "/usr", "/var"]);
    // Only the first row carries the cursor; every row has a level and says whether it is expanded.
    assert_eq!(html.matches(r#"aria-selected="true""#).count(), 1);
    assert_eq!(html.matches(r#"aria-level="1""#).count(), 4);
    assert_eq!(html.matches(r#"aria-expanded="false""#).count(), 4);
    assert!(html.contains(r#"aria-keyshortcuts="/""#), "{html}");
}
