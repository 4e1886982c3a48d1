//! Components rendered to HTML natively (Yew SSR) for known inputs.

#![cfg(not(target_arch = "wasm32"))]

mod support;

use support::{render, sample_report};

use layerlens_core::{Error, ErrorKind};
use layerlens_web::components::{ErrorPanel, ErrorPanelProps, ProgressPanel, ProgressProps};
use layerlens_web::report::SharedReport;
use yew::Callback;

#[tokio::test(flavor = "current_thread")]
async fn progress_shows_bytes_rate_and_cancel() {
    let html = render::<ProgressPanel>(ProgressProps {
        name: "big.tar".into(),
        done: 25_000_000,
        total: 100_000_000,
        rate_mb_s: Some(187.26),
        on_cancel: Callback::noop(),
    })
    .await;
    assert!(html.contains("<strong>big.tar</strong>"), "{html}");
    assert!(html.contains("25 MB of 100 MB"), "{html}");
    assert!(html.contains("187.3 MB/s"), "{html}");
    assert!(html.contains(r#"value="0.25""#), "{html}");
    assert!(html.contains(">Cancel</button>"), "{html}");
}

#[tokio::test(flavor = "current_thread")]
async fn error_panel_gives_the_message_and_what_to_try() {
    let html = render::<ErrorPanel>(ErrorPanelProps {
        name: "notes.txt".into(),
        error: Error::new(ErrorKind::NotAnImage, "the file is not a tar archive (no tar header found at its start)"),
    })
    .await;
    assert!(html.contains("notes.txt could not be analysed"), "{html}");
    assert!(html.contains("The file is not a tar archive (no tar header found at its start)."), "{html}");
    assert!(html.contains("<code>docker save IMAGE -o image.tar</code>"), "{html}");
    assert!(!html.contains('`'), "back-quoted commands render as code: {html}");
    assert!(html.contains(r#"role="alert""#), "{html}");
}

#[tokio::test(flavor = "current_thread")]
async fn layer_chart_draws_one_bar_per_layer_split_into_visible_and_hidden() {
    use layerlens_web::components::{LayerChart, LayerChartProps};
    let report = SharedReport::new(sample_report());
    let (shipped, hidden) =
        (report.analysis.layers[1].content_bytes as f64, report.analysis.layers[1].shipped_hidden_bytes as f64);
    let html = render::<LayerChart>(LayerChartProps { report, selected: Some(1), on_select: Callback::noop() }).await;
    assert_eq!(html.matches(r#"class="layer-bar"#).count(), 6, "{html}");
    assert_eq!(html.matches(r#"aria-selected="true""#).count(), 1, "{html}");
    // Layer 1 is the largest layer (the package index plus a small script) and nearly all of it is hidden:
    // it spans the whole 470 px scale, split into the visible script and the hidden index.
    let bar = html.split(r#"data-layer="1""#).nth(1).unwrap();
    let width = |class: &str| -> f64 {
        let rect = bar.split("<rect").find(|r| r.contains(&format!(r#"class="{class}""#))).unwrap();
        let w = rect.split(r#"width=""#).nth(1).unwrap();
        w[..w.find('"').unwrap()].parse().unwrap()
    };
    assert!(hidden > 45_000.0 && hidden < shipped);
    assert!((width("kept") - 470.0 * (shipped - hidden) / shipped).abs() < 1e-6, "{}", width("kept"));
    assert!((width("hidden-part") - 470.0 * hidden / shipped).abs() < 1e-6);
    assert!(bar.contains("46 kB · 45 kB hidden"), "{bar}");
    assert!(html.contains("<title>Layer 4: RUN rm -rf /var/lib/apt/lists/*. Ships 0 B"), "{html}");
}

#[tokio::test(flavor = "current_thread")]
async fn summary_labels_dive_efficiency_and_shows_hidden_bytes() {
    use layerlens_web::components::{Summary, SummaryProps};
    let html = render::<Summary>(SummaryProps {
        name: "sample.tar".into(),
        report: SharedReport::new(sample_report()),
        elapsed_ms: 12.0,
    })
    .await;
    assert!(html.contains(r#"<h2 id="image-name">layerlens/sample:1.0</h2>"#), "{html}");
    assert!(html.contains("dive&#x27;s definition") || html.contains("dive's definition"), "{html}");
    assert!(html.contains(r#"data-bytes="46369""#), "{html}");
    assert!(html.contains("linux/amd64 · docker save archive · read from sample.tar in 12 ms"), "{html}");
    assert!(html.contains("Layer digests not verified here"), "{html}");
}

#[tokio::test(flavor = "current_thread")]
async fn layer_table_mutes_steps_without_a_layer() {
    use layerlens_web::components::{LayerTable, LayerTableProps};
    let html = render::<LayerTable>(LayerTableProps {
        report: SharedReport::new(sample_report()),
        selected: None,
        on_select: Callback::noop(),
    })
    .await;
    assert_eq!(html.matches(r#"<tr class="empty">"#).count(), 5, "{html}");
    assert_eq!(html.matches("layer-row").count(), 6, "{html}");
    assert!(html.contains("<code>USER app</code>"), "{html}");
}

#[tokio::test(flavor = "current_thread")]
async fn treemap_draws_the_visible_top_level_directories_by_size() {
    use layerlens_web::components::{TreemapProps, TreemapView};
    let report = SharedReport::new(sample_report());
    let html = render::<TreemapView>(TreemapProps { report: report.clone() }).await;
    let cells: Vec<&str> = html.split(r#"data-path=""#).skip(1).map(|rest| &rest[..rest.find('"').unwrap()]).collect();
    // Largest first; /var has no visible bytes (its package index was deleted) and gets no cell.
    assert_eq!(cells, ["/app", "/etc", "/usr"], "{html}");
    // The cells tile the whole 760 x 380 area in proportion to the directory sizes.
    let total = report.analysis.filesystem.total_bytes as f64;
    let app = report.analysis.filesystem.nodes.iter().find(|n| n.name == "app" && n.parent == 0).unwrap().size as f64;
    let rect = html.split("<rect").nth(1).unwrap();
    let attr = |name: &str| -> f64 {
        let v = rect.split(&format!(r#"{name}=""#)).nth(1).unwrap();
        v[..v.find('"').unwrap()].parse().unwrap()
    };
    assert!((attr("width") * attr("height") - 760.0 * 380.0 * app / total).abs() < 1e-6);
}
