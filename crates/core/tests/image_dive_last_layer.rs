//! dive's metrics where the engine saves memory: paths first seen in the last layer are summed without a
//! record, and the last layer is not stacked. Each case's figures were produced by dive 0.13.1 itself on the
//! same layers (`dive --source docker-archive --ci --json`), including a path seen twice within the last
//! layer (`.wh.NAME` beside `NAME`).

mod image_support;
use image_support::*;

/// (efficiency, wasted bytes, inefficient files as (path, count, wasted bytes)) for `layers`.
fn dive_of(layers: Vec<Vec<u8>>) -> (f64, u64, Vec<(String, u64, u64)>) {
    let bytes = archive(&[Image::new("t:latest", layers)], Layout::DockerArchive, Comp::None).tar();
    let r = analyze(&MemSource::new(bytes), &AnalyzeOptions::default(), &mut Silent).unwrap();
    let files = r.dive.inefficient_files.iter().map(|f| (f.path.clone(), f.count, f.wasted_bytes)).collect();
    (r.dive.efficiency, r.dive.wasted_bytes, files)
}

fn files(list: &[(&str, u64, u64)]) -> Vec<(String, u64, u64)> {
    list.iter().map(|(p, c, w)| (p.to_string(), *c, *w)).collect()
}

#[test]
fn a_whiteout_beside_its_directory_in_the_last_layer_counts_twice() {
    let base = Layer::new().dir("d").file("d/f", &[b'x'; 10]).build();
    let top = Layer::new().whiteout("d").dir("d").build();
    assert_eq!(dive_of(vec![base, top]), (0.5, 10, files(&[("/d", 2, 10)])));
}

#[test]
fn a_whiteout_beside_its_file_in_a_single_layer_counts_twice() {
    let only = Layer::new().file("a", &[b'y'; 7]).whiteout("a").build();
    assert_eq!(dive_of(vec![only]), (0.0, 7, files(&[("/a", 2, 7)])));
}

#[test]
fn distinct_paths_in_a_single_layer_are_efficient() {
    let only = Layer::new().file("x", b"abc").file("y", b"abcd").build();
    assert_eq!(dive_of(vec![only]), (1.0, 0, Vec::new()));
}

#[test]
fn a_path_rewritten_in_every_layer_keeps_its_record() {
    let layers = vec![
        Layer::new().file("a", &[b'1'; 5]).build(),
        Layer::new().file("a", &[b'2'; 6]).build(),
        Layer::new().file("a", &[b'3'; 7]).file("b", b"4").build(),
    ];
    assert_eq!(dive_of(layers), (0.3157894736842105, 18, files(&[("/a", 3, 18)])));
}

#[test]
fn deletions_and_rewrites_across_three_layers() {
    let layers = vec![
        Layer::new().dir("d").file("d/f", &[b'x'; 10]).file("g", &[b'z'; 3]).build(),
        Layer::new().file("g", &[b'q'; 2]).build(),
        Layer::new().whiteout("d").dir("d").file("d/h", &[b'w'; 4]).whiteout("g").file("g", b"k").build(),
    ];
    assert_eq!(dive_of(layers), (0.8, 6, files(&[("/g", 4, 6)])));
}
