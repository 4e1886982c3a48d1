//! The compare view and the export bar rendered natively (Yew SSR): the built-in sample compared with an edited
//! copy of its own report, so every figure is known.

#![cfg(not(target_arch = "wasm32"))]

mod support;

use support::{render, sample_report};

use layerlens_core::compare::{compare, CompareOptions};
use layerlens_core::image::{ImageReport, NodeKind};
use layerlens_web::components::{
    filter_entries, CompareView, CompareViewProps, ExportBar, ExportProps, FileFilter, FileOrder,
};
use layerlens_web::report::SharedReport;
use std::rc::Rc;

/// The sample with its top layer rebuilt: one file renamed (removed + added), one grown, one with new content
/// of the same size, one made executable.
fn edited(first: &ImageReport) -> (ImageReport, [String; 4]) {
    let mut second = first.clone();
    let top = second.layers.len() - 1;
    second.layers[top].diff_id = Some("sha256:rebuilt".into());
    let files: Vec<usize> = (0..second.filesystem.nodes.len())
        .filter(|&i| second.filesystem.nodes[i].kind == NodeKind::File && second.filesystem.nodes[i].size > 0)
        .take(4)
        .collect();
    assert_eq!(files.len(), 4, "the sample has four files");
    let name = |r: &ImageReport, mut i: usize| {
        let mut parts = Vec::new();
        while i != 0 {
            parts.push(r.filesystem.nodes[i].name.clone());
            i = r.filesystem.nodes[i].parent as usize;
        }
        parts.reverse();
        parts.join("/")
    };
    let names = [name(first, files[0]), name(first, files[1]), name(first, files[2]), name(first, files[3])];
    let nodes = &mut second.filesystem.nodes;
    nodes[files[0]].name.push_str(".renamed");
    nodes[files[1]].size += 1000;
    nodes[files[2]].hash = nodes[files[2]].hash.map(|h| h ^ 1);
    nodes[files[3]].mode ^= 0o111;
    (second, names)
}

#[tokio::test(flavor = "current_thread")]
async fn the_compare_view_shows_layers_side_by_side_and_the_changed_files() {
    let report = sample_report();
    let (second, [renamed, grown, rewritten, chmod]) = edited(&report.analysis);
    let comparison = compare(&report.analysis, &second, &CompareOptions::default());
    let layers = report.analysis.layers.len();
    assert_eq!(comparison.shared.layers, layers - 1);
    assert_eq!(
        (comparison.files.added.paths, comparison.files.removed.paths, comparison.files.changed.paths),
        (1, 1, 3)
    );

    let html = render::<CompareView>(CompareViewProps {
        first: "layerlens/sample:1.0".into(),
        second: "rebuilt.tar".into(),
        comparison: Rc::new(comparison.clone()),
        on_close: Default::default(),
    })
    .await;
    assert!(html.contains("layerlens/sample:1.0 compared with rebuilt.tar"), "{html}");
    assert_eq!(html.matches(r#"class="compare-bar first"#).count(), layers, "{html}");
    assert_eq!(html.matches(r#"class="compare-bar second"#).count(), layers, "{html}");
    // Every layer but the top one is shared, marked in the bar's class, its label and the middle index.
    assert_eq!(html.matches("compare-bar first shared").count(), layers - 1);
    assert_eq!(html.matches(r#"class="compare-index same""#).count(), layers - 1);
    assert!(
        html.contains(&format!("{} layers of the second image's {layers} layers are shared", layers - 1)),
        "{html}"
    );
    assert!(html.contains(&format!("the first {} layers are the same in both", layers - 1)), "{html}");
    assert!(html.contains("1 added (+"), "{html}");
    for (name, what) in [
        (&renamed, "removed"),
        (&grown, "changed (size)"),
        (&rewritten, "changed (content)"),
        (&chmod, "changed (mode)"),
    ] {
        let row = html
            .split(r#"<div role="row" aria-rowindex="#)
            .skip(2)
            .find(|r| r.contains(&format!(">/{name}</span>")))
            .unwrap_or_else(|| panic!("no row for {name} in {html}"));
        assert!(row.contains(what), "{name}: {row}");
    }
    assert!(html.contains(&format!("{renamed}.renamed</span>")), "{html}");
    assert!(html.contains("+1.0 kB"), "{html}");
    assert!(html.contains("5 of 5 differing paths shown"), "{html}");

    // The filter narrows by kind and path, and orders by the size of the change.
    let entries = &comparison.files.entries;
    let only_changed = FileFilter { added: false, removed: false, ..FileFilter::default() };
    assert_eq!(filter_entries(entries, &only_changed).len(), 3);
    let by_name = FileFilter { query: grown.to_uppercase(), ..FileFilter::default() };
    assert!(filter_entries(entries, &by_name).iter().all(|&i| entries[i].path.contains(&grown)));
    let by_delta = filter_entries(entries, &FileFilter { order: FileOrder::Delta, ..FileFilter::default() });
    assert!(by_delta.windows(2).all(|w| entries[w[0]].delta().unsigned_abs() >= entries[w[1]].delta().unsigned_abs()));
}

/// The sample and a copy whose top layer holds `extra` more files under `/many`.
fn with_many_files(first: &ImageReport, extra: usize) -> ImageReport {
    let mut second = first.clone();
    let top = (second.layers.len() - 1) as u32;
    second.layers[top as usize].diff_id = Some("sha256:many".into());
    let template = second.filesystem.nodes.iter().find(|n| n.kind == NodeKind::File).unwrap().clone();
    let mut dir = second.filesystem.nodes.iter().find(|n| n.kind == NodeKind::Dir && n.parent == 0).unwrap().clone();
    dir.name = "many".into();
    dir.parent = 0;
    dir.layer = top;
    let dir_id = second.filesystem.nodes.len() as u32;
    second.filesystem.nodes.push(dir);
    for i in 0..extra {
        let mut file = template.clone();
        file.name = format!("f{i:05}");
        file.parent = dir_id;
        file.layer = top;
        file.size = i as u64;
        second.filesystem.nodes.push(file);
    }
    second
}

#[tokio::test(flavor = "current_thread")]
async fn every_difference_is_listed_but_only_the_rows_in_view_are_drawn() {
    let report = sample_report();
    let second = with_many_files(&report.analysis, 5000);
    let comparison = compare(&report.analysis, &second, &CompareOptions::default());
    assert_eq!(comparison.files.added.paths, 5001);
    assert_eq!(comparison.files.entries.len() as u64, comparison.files.entry_count);
    let html = render::<CompareView>(CompareViewProps {
        first: "layerlens/sample:1.0".into(),
        second: "many.tar".into(),
        comparison: Rc::new(comparison.clone()),
        on_close: Default::default(),
    })
    .await;
    let total = comparison.files.entry_count;
    assert!(html.contains(&format!("{} of {} differing paths shown", grouped(total), grouped(total))), "{html}");
    // The spacer is as tall as every row; only the first window of rows is drawn, each at its offset.
    assert!(html.contains(&format!(r#"style="height:{}px""#, 26 * total)), "{html}");
    let drawn = html.matches(r#" class="change "#).count();
    assert_eq!(drawn, 32, "{html}");
    assert!(html.contains(r#"aria-rowindex="33" style="top:806px""#), "{html}");
    assert!(!html.contains(r#"aria-rowindex="34""#), "{html}");
    assert!(html.contains(&format!(r#"aria-rowcount="{}""#, total + 1)), "{html}");
    // The filter narrows by kind and by path over every entry.
    let entries = &comparison.files.entries;
    let added = filter_entries(entries, &FileFilter { removed: false, changed: false, ..FileFilter::default() });
    assert_eq!(added.len(), 5001);
    let one = filter_entries(entries, &FileFilter { query: "MANY/F04999".into(), ..FileFilter::default() });
    assert_eq!(one.iter().map(|&i| entries[i].path.as_str()).collect::<Vec<_>>(), ["many/f04999"]);
}

fn grouped(n: u64) -> String {
    layerlens_web::format::grouped(n)
}

#[tokio::test(flavor = "current_thread")]
async fn the_export_bar_offers_the_report_the_summary_and_each_chart() {
    let html =
        render::<ExportBar>(ExportProps { name: "sample.tar".into(), report: SharedReport::new(sample_report()) })
            .await;
    for want in [
        "id=\"export-json\"",
        "id=\"export-markdown\"",
        "data-export=\"layers\"",
        "data-export=\"treemap\"",
        "data-export=\"base-images\"",
    ] {
        assert!(html.contains(want), "missing {want} in {html}");
    }
}
