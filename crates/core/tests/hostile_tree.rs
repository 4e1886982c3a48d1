//! Hostile filesystem shapes: hundreds of thousands of files in one layer, symlink loops, hard links to missing targets and whiteouts for paths that never existed. All
//! run on a 1 MiB stack (as in a wasm32 worker) under a time limit.

mod hostile_common;

use hostile_common::{analyse, image_of, Layer};
use std::time::Instant;

#[test]
fn two_hundred_thousand_files_in_one_layer() {
    // 1,000,000 files is the goal; a debug build of the tests makes that take minutes, so the
    // release-mode `cargo xtask stress` covers the full count and this test uses a fifth of it.
    const FILES: usize = 200_000;
    let mut layer = Layer::new();
    for i in 0..FILES {
        layer = layer.file(&format!("d{}/f{i}", i % 1000), b"");
    }
    let layer = layer.build();
    let started = Instant::now();
    let r = analyse(600, "200,000 files", image_of(&[layer])).unwrap();
    eprintln!("200,000 files analysed in {:.1} s (debug build)", started.elapsed().as_secs_f64());
    assert_eq!(r.filesystem.files, FILES as u64);
    assert_eq!(r.layers[0].entries, FILES as u64);
}

#[test]
fn symlink_loops_and_chains() {
    let mut layer = Layer::new()
        .symlink("loop/a", "b")
        .symlink("loop/b", "a")
        .symlink("self", "self")
        .symlink("dot", ".")
        .symlink("up", "..")
        .symlink("dir-loop/x", "../dir-loop")
        .symlink("abs", "/abs")
        .file("lib/real", b"real");
    for i in 0..200 {
        layer = layer.symlink(&format!("chain/{i}"), &format!("{}", i + 1));
    }
    let lower = layer.build();
    let upper = Layer::new().file("loop/a/through", b"x").file("dot/inside", b"y").file("self/z", b"z").build();
    let r = analyse(60, "symlink loops", image_of(&[lower, upper])).unwrap();
    assert!(r.filesystem.nodes.len() > 200);
}

#[test]
fn hard_links_to_missing_or_odd_targets() {
    let layer = Layer::new()
        .hardlink("missing", "never/existed")
        .hardlink("itself", "itself")
        .dir("adir")
        .hardlink("to-dir", "adir")
        .hardlink("forward", "later")
        .file("later", b"content")
        .hardlink("a", "b")
        .hardlink("b", "a")
        .build();
    let upper = Layer::new().hardlink("cross-layer", "later").whiteout("later").build();
    let r = analyse(60, "odd hard links", image_of(&[layer, upper])).unwrap();
    assert!(r.filesystem.nodes.iter().any(|n| n.name == "missing"));
}

#[test]
fn whiteouts_for_paths_that_never_existed() {
    let base = Layer::new().file("keep/me", b"kept").build();
    let upper = Layer::new()
        .whiteout("nothing")
        .whiteout("no/such/dir/file")
        .file("ghost/.wh..wh..opq", b"")
        .file(".wh.", b"")
        .file("keep/.wh..", b"")
        .file("keep/.wh...", b"")
        .file(".wh..wh.", b"")
        .whiteout("keep/me/deeper")
        .build();
    let r = analyse(60, "whiteouts of nothing", image_of(&[base, upper])).unwrap();
    let names: Vec<&str> = r.filesystem.nodes.iter().map(|n| n.name.as_str()).collect();
    assert!(!names.iter().any(|n| n.starts_with(".wh.")), "a whiteout marker became a file: {names:?}");
    assert_eq!(r.waste.hidden_bytes, 0, "nothing existed to hide: {:?}", r.waste);
}
