//! Comparing two generated images: layers side by side, shared layers, and the paths added, removed
//! and changed, checked against a snapshot and against a naive model of the two final filesystems.

mod image_support;
use expect_test::expect;
use image_support::*;
use layerlens_core::compare::{compare, Change, CompareOptions, Comparison};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Write;

fn image(tag: &str, layers: Vec<Vec<u8>>) -> ImageReport {
    run(&archive(&[Image::new(tag, layers)], Layout::DockerOci, Comp::None).tar())
}

fn base() -> Vec<u8> {
    Layer::new().dir("etc").file("etc/os-release", b"ID=test\n").file("bin/sh", &[7u8; 300]).build()
}

/// A compact listing of a comparison: layers, totals, then one line per differing path.
fn render(c: &Comparison) -> String {
    let mut o = String::new();
    let side = |s: &layerlens_core::compare::ImageSide| {
        format!("{} {} layers, {} B content, {} B visible", s.name, s.layers, s.content_bytes, s.visible_bytes)
    };
    let _ = writeln!(o, "left: {}\nright: {}", side(&c.left), side(&c.right));
    for row in &c.layers {
        let cell = |l: &Option<layerlens_core::compare::ComparedLayer>| match l {
            Some(l) => format!("{} B{}", l.content_bytes, l.shared_with.map(|s| format!(" =#{s}")).unwrap_or_default()),
            None => "-".into(),
        };
        let _ = writeln!(o, "layer {}: {} | {}", row.index, cell(&row.left), cell(&row.right));
    }
    let _ = writeln!(o, "common base: {}, shared: {:?}", c.common_base_layers, c.shared);
    let f = &c.files;
    let _ = writeln!(o, "added {:?}\nremoved {:?}\nchanged {:?}", f.added, f.removed, f.changed);
    for e in &f.entries {
        let size =
            |s: &Option<layerlens_core::compare::PathState>| s.as_ref().map_or("-".into(), |s| s.size.to_string());
        let _ = writeln!(
            o,
            "{:?} {:?} {} {} -> {} {:?}",
            e.change,
            e.kind(),
            e.path,
            size(&e.left),
            size(&e.right),
            e.aspects
        );
    }
    o
}

#[test]
fn two_builds_of_one_app_differ_in_the_expected_paths() {
    let left = image(
        "app:1",
        vec![
            base(),
            Layer::new()
                .file("app/main.js", b"console.log(1)")
                .file("app/config.json", b"{}")
                .file_mode("app/run.sh", b"#!/bin/sh\n", 0o644)
                .symlink("app/current", "main.js")
                .file("app/old.txt", b"gone soon")
                .dir("app/cache")
                .file("app/cache/blob", &[1u8; 1000])
                .build(),
        ],
    );
    let right = image(
        "app:2",
        vec![
            base(),
            Layer::new()
                .file("app/main.js", b"console.log(2)")
                .file("app/config.json", b"{\"debug\": true}")
                .file_mode("app/run.sh", b"#!/bin/sh\n", 0o755)
                .symlink("app/current", "config.json")
                .file("app/new.txt", b"new")
                .dir("app/lib")
                .file("app/lib/x.so", &[2u8; 500])
                .build(),
        ],
    );
    let c = compare(&left, &right, &CompareOptions::default());
    expect![[r#"
        left: app:1 2 layers, 1343 B content, 1343 B visible
        right: app:2 2 layers, 850 B content, 850 B visible
        layer 0: 308 B =#0 | 308 B =#0
        layer 1: 1035 B | 542 B
        common base: 1, shared: SharedLayers { layers: 1, content_bytes: 308, stored_bytes: 3584 }
        added ChangeTotal { paths: 3, left_bytes: 0, right_bytes: 503 }
        removed ChangeTotal { paths: 3, left_bytes: 1009, right_bytes: 0 }
        changed ChangeTotal { paths: 4, left_bytes: 26, right_bytes: 39 }
        Removed Dir app/cache 1000 -> - []
        Removed File app/cache/blob 1000 -> - []
        Changed File app/config.json 2 -> 15 [Size]
        Changed Symlink app/current 0 -> 0 [Link]
        Added Dir app/lib - -> 500 []
        Added File app/lib/x.so - -> 500 []
        Changed File app/main.js 14 -> 14 [Content]
        Added File app/new.txt - -> 3 []
        Removed File app/old.txt 9 -> - []
        Changed File app/run.sh 10 -> 10 [Mode]
    "#]]
    .assert_eq(&render(&c));
    let f = &c.files;
    assert_eq!(f.entry_count, f.entries.len() as u64);
    // The byte totals account for the whole change of the visible bytes.
    let grown = i128::from(c.right.visible_bytes) - i128::from(c.left.visible_bytes);
    let totals = [f.added, f.removed, f.changed];
    assert_eq!(grown, totals.iter().map(|t| i128::from(t.right_bytes) - i128::from(t.left_bytes)).sum::<i128>());
}

#[test]
fn an_image_compared_with_itself_has_no_differences_and_shares_every_layer() {
    let layers = vec![base(), Layer::new().file("a", b"x").hardlink("b", "a").build()];
    let r = image("same:1", layers);
    let c = compare(&r, &r, &CompareOptions::default());
    assert!(c.files.entries.is_empty(), "{:?}", c.files.entries);
    assert_eq!(c.files.entry_count, 0);
    assert_eq!(c.common_base_layers, 2);
    assert_eq!(c.shared.layers, 2);
    assert!(c.layers.iter().all(|row| row.left.as_ref().and_then(|l| l.shared_with) == Some(row.index)));
}

#[test]
fn a_rebased_image_shares_its_moved_layer_and_lists_the_largest_changes_when_cut() {
    let app = Layer::new().file("srv/app", &[9u8; 700]).build();
    let left = image("a:1", vec![base(), app.clone()]);
    let other_base =
        Layer::new().file("bin/sh", &[8u8; 200]).file("etc/issue", b"hi").file("etc/x", &[0u8; 50]).build();
    let right = image("a:2", vec![other_base, Layer::new().file("srv/extra", b"e").build(), app]);
    let c = compare(&left, &right, &CompareOptions { max_entries: 2, ..CompareOptions::default() });
    assert_eq!(c.common_base_layers, 0);
    assert_eq!(c.layers[1].left.as_ref().and_then(|l| l.shared_with), Some(2));
    assert_eq!(c.layers[2].right.as_ref().and_then(|l| l.shared_with), Some(1));
    assert_eq!(c.shared.layers, 1);
    assert_eq!(c.shared.content_bytes, 700);
    // bin/sh changed, etc/os-release removed, etc/issue, etc/x and srv/extra added: five in all, the two largest listed.
    assert_eq!(c.files.entry_count, 5);
    let listed: Vec<(&str, Change)> = c.files.entries.iter().map(|e| (e.path.as_str(), e.change)).collect();
    assert_eq!(listed, [("bin/sh", Change::Changed), ("etc/x", Change::Added)]);
    // A path budget smaller than any path lists nothing but keeps the totals.
    let c = compare(&left, &right, &CompareOptions { max_entries: 10, max_path_bytes: 3 });
    assert!(c.files.entries.is_empty());
    assert_eq!(c.files.added.paths, 3);
}

const PATHS: [&str; 5] = ["a", "d/b", "d/c", "d/e/f", "g"];

fn tree_strategy() -> impl Strategy<Value = BTreeMap<usize, (u8, usize, bool)>> {
    // Per path: content byte, length, executable bit.
    prop::collection::btree_map(0..PATHS.len(), (0u8..3, 1usize..4, any::<bool>()), 0..=PATHS.len())
}

fn build(files: &BTreeMap<usize, (u8, usize, bool)>) -> ImageReport {
    let mut layer = Layer::new();
    for (&p, &(byte, len, exec)) in files {
        layer = layer.file_mode(PATHS[p], &vec![byte; len], if exec { 0o755 } else { 0o644 });
    }
    image("p:1", vec![layer.build()])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn file_changes_match_a_naive_model(a in tree_strategy(), b in tree_strategy()) {
        let c = compare(&build(&a), &build(&b), &CompareOptions::default());
        let mut expected: Vec<(String, Change)> = Vec::new();
        for (p, path) in PATHS.iter().enumerate() {
            let change = match (a.get(&p), b.get(&p)) {
                (Some(x), Some(y)) if x != y => Some(Change::Changed),
                (Some(_), None) => Some(Change::Removed),
                (None, Some(_)) => Some(Change::Added),
                _ => None,
            };
            if let Some(change) = change {
                expected.push((path.to_string(), change));
            }
        }
        let got: Vec<(String, Change)> = c
            .files
            .entries
            .iter()
            .filter(|e| e.kind() == layerlens_core::image::NodeKind::File)
            .map(|e| (e.path.clone(), e.change))
            .collect();
        prop_assert_eq!(got, expected);
    }
}
