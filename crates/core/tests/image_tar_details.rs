//! Tar details inside layers: PAX and GNU extensions, links, sparse files, duplicates and odd paths.

mod image_support;
use image_support::*;
use layerlens_core::image::NodeKind;

fn one(layers: Vec<Vec<u8>>) -> ImageReport {
    run(&archive(&[Image::new("fx/t:1", layers)], Layout::DockerArchive, Comp::Gzip).tar())
}

#[test]
fn pax_global_header_is_skipped() {
    let r = one(vec![Layer::new().pax_global().file("g/file", &[1; 100]).build()]);
    assert_eq!(visible(&r, "g/file"), Some(100));
    assert_eq!(visible(&r, "pax_global_header"), None);
    assert_eq!(r.layers[0].entries, 1);
}

#[test]
fn gnu_long_names_and_long_link_targets() {
    let long_dir = "d".repeat(120);
    let long = format!("{long_dir}/{}", "f".repeat(150));
    let r = one(vec![Layer::new().file(&long, b"x").symlink("s", &long).build()]);
    assert_eq!(visible(&r, &long), Some(1));
    let s = r.filesystem.nodes.iter().find(|n| n.name == "s").unwrap();
    assert_eq!(s.link.as_deref(), Some(long.as_str()));
    assert_eq!(s.kind, NodeKind::Symlink);
}

#[test]
fn hardlinked_bytes_count_once() {
    let r = one(vec![Layer::new().file("a", &[5; 1000]).hardlink("b", "a").hardlink("c", "a").build()]);
    assert_eq!(r.filesystem.total_bytes, 1000);
    assert_eq!(r.filesystem.files, 3);
    assert_eq!(r.duplicates.saving_bytes, 0);
    assert_eq!(visible(&r, "b"), Some(0));
}

#[test]
fn hardlink_keeps_content_visible_after_its_target_is_deleted() {
    let l0 = Layer::new().file("a", &[5; 1000]).hardlink("b", "a").build();
    let l1 = Layer::new().whiteout("a").build();
    let r = one(vec![l0, l1]);
    assert_eq!(r.waste.hidden_bytes, 0);
    assert_eq!(visible(&r, "b"), Some(1000));
    assert_eq!(r.filesystem.total_bytes, 1000);
}

#[test]
fn sparse_files_have_their_logical_size() {
    let r = one(vec![Layer::new().sparse("sp", 1 << 20, &[(0, &[1; 512]), (8192, &[2; 512]), (1 << 20, &[])]).build()]);
    assert_eq!(visible(&r, "sp"), Some(1 << 20));
    assert_eq!(r.dive.image_size_bytes, 1 << 20);
}

#[test]
fn duplicate_entries_last_wins_and_the_first_copy_is_hidden() {
    let r = one(vec![Layer::new().file("f", &[1; 300]).file("f", &[2; 40]).build()]);
    assert_eq!(visible(&r, "f"), Some(40));
    assert_eq!(r.waste.hidden_bytes, 300);
    assert_eq!(r.layers[0].changes.added, 1);
    assert_eq!(r.waste.by_layers[0].hidden_by, 0);
}

#[test]
fn paths_are_cleaned() {
    let r = one(vec![Layer::new().raw_name(b"./a//b/./c", b"xy").raw_entry(b"d/", 0, b"").build()]);
    assert_eq!(visible(&r, "a/b/c"), Some(2));
    let d = r.filesystem.nodes.iter().find(|n| n.name == "d").unwrap();
    assert_eq!(d.kind, NodeKind::Dir, "a type-0 entry named with a trailing slash is a directory");
}

#[test]
fn entries_escaping_the_root_are_refused_with_a_warning() {
    let r = one(vec![Layer::new().raw_name(b"../evil", b"x").raw_name(b"/abs", b"y").file("ok", b"z").build()]);
    assert_eq!(visible(&r, "evil"), None);
    assert_eq!(visible(&r, "abs"), None);
    assert_eq!(visible(&r, "ok"), Some(1));
    assert_eq!(r.warnings.iter().filter(|w| w.message.contains("outside the image root")).count(), 2);
    assert!(r.dive_differences.iter().any(|d| d.contains("outside the image root")));
}

#[test]
fn non_utf8_names_are_shown_lossily_but_kept_distinct() {
    let r = one(vec![Layer::new().raw_name(b"n/\xff", b"1").raw_name(b"n/\xfe", b"22").build()]);
    let kids: Vec<_> = r.filesystem.nodes.iter().filter(|n| n.non_utf8).collect();
    assert_eq!(kids.len(), 2);
    assert!(kids.iter().all(|n| n.name == "\u{fffd}"));
    assert_eq!(kids.iter().map(|n| n.size).sum::<u64>(), 3);
}

#[test]
fn bare_whiteout_is_refused_with_a_warning() {
    let r = one(vec![Layer::new().file("d/x", b"1").build(), Layer::new().file("d/.wh.", b"").build()]);
    assert_eq!(visible(&r, "d/x"), Some(1));
    assert!(r.warnings.iter().any(|w| w.message.contains("bare whiteout")), "{:?}", r.warnings);
}

#[test]
fn file_replacing_a_directory_hides_its_contents() {
    let l0 = Layer::new().dir("d").file("d/x", &[1; 70]).build();
    let l1 = Layer::new().file("d", b"now a file").build();
    let r = one(vec![l0, l1]);
    assert_eq!(r.waste.hidden_bytes, 70);
    assert_eq!(r.filesystem.nodes.iter().find(|n| n.name == "d").unwrap().kind, NodeKind::File);
    assert_eq!(r.layers[1].changes.modified, 1);
}

#[test]
fn capture_options_choose_files_and_caps() {
    let status = "Package: libc6\nStatus: install ok installed\n".repeat(10);
    let l0 = Layer::new()
        .file("var/lib/dpkg/status", status.as_bytes())
        .file("var/lib/dpkg/status.d/base", b"Package: base\n")
        .file("etc/debian_version", b"12.5\n")
        .build();
    let l1 = Layer::new().file("etc/debian_version", b"13.0\n").build();
    let bytes = archive(&[Image::new("fx/c:1", vec![l0, l1])], Layout::OciArchive, Comp::Zstd).tar();
    let r = run(&bytes);
    let paths: Vec<(&str, usize)> = r.captured.iter().map(|c| (c.path.as_str(), c.layer)).collect();
    assert_eq!(paths, [("etc/debian_version", 1), ("var/lib/dpkg/status", 0), ("var/lib/dpkg/status.d/base", 0)]);
    assert_eq!(r.captured[0].text, "13.0\n");
    let mut options = AnalyzeOptions::default();
    options.capture.patterns = vec!["var/lib/dpkg/status".into()];
    options.capture.max_bytes = 20;
    let r = run_with(&bytes, &options).unwrap();
    assert_eq!(r.captured.len(), 1);
    assert_eq!(r.captured[0].text, &status[..20]);
    assert!(r.captured[0].truncated);
    assert_eq!(r.captured[0].size, status.len() as u64);
}
