//! Hostile entry names: NUL bytes, newlines, HTML and script, invalid UTF-8, `..` and absolute paths,
//! and enormous PAX headers. Names must reach the report as data (never dropped silently or mangled
//! into something else), and escapes from the image root must be refused with a warning.

mod hostile_common;

use hostile_common::{analyse, assert_clear, config_for, docker_archive, image_of, Layer};
use layerlens_core::image::ImageReport;
use layerlens_core::ErrorKind;

/// Every path of the final filesystem, joined with `/`.
fn paths(r: &ImageReport) -> Vec<String> {
    let nodes = &r.filesystem.nodes;
    (1..nodes.len())
        .map(|mut i| {
            let mut parts = Vec::new();
            while i != 0 {
                parts.push(nodes[i].name.clone());
                i = nodes[i].parent as usize;
            }
            parts.reverse();
            parts.join("/")
        })
        .collect()
}

#[test]
fn html_newlines_nul_and_invalid_utf8_are_kept_as_data() {
    let script = "<img src=x onerror=alert(1)>";
    let layer = Layer::new()
        .file(script, b"x")
        .file("docs/<script>alert('owned')<", b"y")
        .raw_name(b"evil\0hidden-after-nul", b"z")
        .raw_name(b"line1\nline2", b"n")
        .raw_name(b"bad\xff\xfe.txt", b"u");
    let layer = layer.pax_file(b"pax\tnew line\x07bell \xe2\x80\xae-rtl", b"p").build();
    let mut config: serde_json::Value = serde_json::from_slice(&config_for(std::slice::from_ref(&layer))).unwrap();
    config["history"][0]["created_by"] =
        serde_json::json!("/bin/sh -c echo '<script>alert(1)</script>' > /x # buildkit");
    let image = docker_archive(std::slice::from_ref(&layer), &serde_json::to_vec(&config).unwrap());
    let r = analyse(30, "hostile names", image).unwrap();
    let all = paths(&r);
    for want in [script, "docs/<script>alert('owned')<", "evil", "line1\nline2", "bad\u{fffd}\u{fffd}.txt"] {
        assert!(all.iter().any(|p| p == want), "{want:?} is missing from the tree {all:?}");
    }
    assert!(
        all.iter().any(|p| p.starts_with("pax\tnew line\u{7}bell \u{202e}-rtl")),
        "the PAX name is missing from {all:?}"
    );
    assert_eq!(r.history[0].command, "RUN echo '<script>alert(1)</script>' > /x");
    let json = serde_json::to_string(&r).unwrap();
    let back: ImageReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back, r, "the report does not survive the worker boundary (JSON) unchanged");
}

#[test]
fn dotdot_and_absolute_paths_are_refused_with_warnings() {
    let layer = Layer::new()
        .file("ok/file", b"fine")
        .raw_name(b"../../etc/passwd", b"root::0:0::/:/bin/sh\n")
        .raw_name(b"/etc/shadow", b"abs")
        .raw_name(b"a/../../b", b"climb")
        .raw_name(b"..", b"dotdot")
        .symlink("ok/link", "../../../../etc/passwd")
        .hardlink("ok/hard", "../../outside");
    let layer = layer.pax_file(b"../pax-escape", b"x").build();
    let r = analyse(30, "escaping paths", image_of(&[layer])).unwrap();
    let all = paths(&r);
    for p in &all {
        assert!(!p.split('/').any(|part| part == ".." || part.is_empty()), "{p:?} escapes the root: {all:?}");
        assert!(!p.contains("passwd") && !p.contains("shadow") && !p.ends_with('b'), "{p:?} should be refused");
    }
    let refused = r.warnings.iter().filter(|w| w.message.contains("outside")).count();
    assert!(refused >= 5, "expected a warning per refused entry, got {:?}", r.warnings);
    assert!(all.iter().any(|p| p == "ok/file"));
}

#[test]
fn enormous_pax_headers() {
    let long_path = format!("{}/file", "p".repeat(4 << 20));
    let comment = "c".repeat(4 << 20);
    let mut b = tar::Builder::new(Vec::new());
    b.append_pax_extensions([("path", long_path.as_bytes()), ("comment", comment.as_bytes())]).unwrap();
    let records: Vec<(String, String)> = (0..100_000).map(|i| (format!("LAYERLENS.k{i}"), "v".into())).collect();
    let mut h = tar::Header::new_ustar();
    h.set_path("big").unwrap();
    h.set_size(3);
    h.set_mode(0o644);
    h.set_cksum();
    b.append(&h, &b"big"[..]).unwrap();
    b.append_pax_extensions(records.iter().map(|(k, v)| (k.as_str(), v.as_bytes()))).unwrap();
    let mut h = tar::Header::new_ustar();
    h.set_path("many-records").unwrap();
    h.set_size(4);
    h.set_mode(0o644);
    h.set_cksum();
    b.append(&h, &b"many"[..]).unwrap();
    let layer = b.into_inner().unwrap();
    match analyse(60, "enormous PAX headers", image_of(&[layer])) {
        Ok(r) => {
            let all = paths(&r);
            assert!(all.iter().any(|p| p == "many-records"), "{:?}", all.iter().map(|p| p.len()).collect::<Vec<_>>());
            assert!(all.iter().any(|p| p.len() == long_path.len()), "the 4 MiB PAX path is missing");
        }
        Err(e) => {
            assert_clear(&e, "enormous PAX headers");
            assert_eq!(e.kind, ErrorKind::Limit, "{}", e.message);
        }
    }
}

#[test]
fn malformed_pax_records() {
    for (what, records) in [
        ("a record length beyond the header", &b"999 path=x\n"[..]),
        ("a record length of zero", b"0 path=x\n"),
        ("no equals sign", b"12 pathxyz1\n"),
        ("a non-numeric length", b"ab path=x\n"),
        ("no newline", b"10 path=xy"),
        ("a huge size value", b"30 size=99999999999999999999\n"),
        ("a negative mtime", b"16 mtime=-1e308\n"),
    ] {
        let mut h = tar::Header::new_ustar();
        h.set_path("PaxHeaders/x").unwrap();
        h.set_entry_type(tar::EntryType::XHeader);
        h.set_size(records.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        let layer = Layer::new().raw(&h, records).file("after", b"data").build();
        match analyse(30, what, image_of(&[layer])) {
            Ok(_) => {}
            Err(e) => assert_clear(&e, what),
        }
    }
    let layer = Layer::new().file("fine", b"x").build();
    let ls = [layer.clone()];
    analyse(30, "control", docker_archive(&ls, &config_for(&ls))).unwrap();
}
