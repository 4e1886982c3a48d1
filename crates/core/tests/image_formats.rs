//! Every archive layout and compression gives the same analysis of the same image.

mod image_support;
use image_support::*;
use layerlens_core::image::{ArchiveFormat, Compression, HideReason};

fn elf() -> Vec<u8> {
    let mut v = b"\x7fELF\x02\x01\x01".to_vec();
    v.resize(100, 7);
    v
}

fn sample() -> Image {
    let l0 = Layer::new()
        .dir("etc")
        .file("etc/os-release", b"ID=alpine\n")
        .dir("bin")
        .file_mode("bin/app", &elf(), 0o755)
        .dir("a")
        .file("a/big", &[1u8; 3000])
        .build();
    let l1 = Layer::new().whiteout("a/big").file("b/new", &[2u8; 10]).dir("c").file("c/x", &[3u8; 500]).build();
    let l2 = Layer::new().file("c/y", &[4u8; 20]).opaque("c").file_mode("bin/app", &elf(), 0o700).build();
    let mut img = Image::new("fx/sample:1", vec![l0, l1, l2]);
    img.history.insert(1, ("/bin/sh -c #(nop)  ENV A=1".into(), true));
    img
}

fn check(r: &ImageReport) {
    assert_eq!(r.layers.len(), 3);
    assert_eq!(r.waste.hidden_bytes, 3000 + 500 + 100, "{:?}", r.waste);
    assert_eq!(r.waste.visible_bytes, 10 + 100 + 10 + 20);
    assert_eq!(visible(r, "c/x"), None);
    assert_eq!(visible(r, "c/y"), Some(20));
    assert_eq!(visible(r, "a/big"), None);
    let meta = r.waste.by_layers.iter().find(|g| g.reason == HideReason::MetadataOnly).unwrap();
    assert_eq!((meta.shipped_in, meta.hidden_by, meta.bytes), (0, 2, 100));
    assert_eq!(r.history.len(), 4);
    assert_eq!(r.history[1].layer, None);
    assert_eq!(r.history[1].command, "ENV A=1");
    assert_eq!(r.layers[1].command, "RUN step 1");
    assert_eq!(r.layers[2].history, Some(3));
    assert_eq!(r.captured.len(), 1);
    assert_eq!(r.captured[0].text, "ID=alpine\n");
    assert_eq!(r.executables.len(), 1);
    assert_eq!(r.executables[0].layer, 2);
    assert!(r.executables[0].header_hex.starts_with("7f454c46"));
    assert_eq!(r.image.platform.as_deref(), Some("linux/amd64"));
}

/// The parts of a report that must not depend on the archive layout or compression, and dive's
/// figures apart (dive counts estargz index entries as files, so those differ for estargz).
fn essence(r: &ImageReport) -> (String, Option<String>) {
    let estargz = r.dive.inefficient_files.iter().any(|f| f.path == "/stargz.index.json");
    let dive = (!estargz).then(|| serde_json::to_string(&r.dive).unwrap());
    (serde_json::to_string(&(&r.filesystem, &r.waste, &r.duplicates, &r.history, &r.captured)).unwrap(), dive)
}

fn same(a: &ImageReport, b: &ImageReport) -> bool {
    let ((ea, da), (eb, db)) = (essence(a), essence(b));
    ea == eb && (da.is_none() || db.is_none() || da == db)
}

#[test]
fn every_layout_and_compression_agrees() {
    let img = sample();
    let base = run(&archive(std::slice::from_ref(&img), Layout::DockerLegacy, Comp::None).tar());
    check(&base);
    assert_eq!(base.dive.wasted_bytes, 3200);
    for (layout, format) in [
        (Layout::DockerLegacy, ArchiveFormat::DockerLegacy),
        (Layout::DockerOci, ArchiveFormat::DockerOci),
        (Layout::OciArchive, ArchiveFormat::OciLayout),
        (Layout::DockerArchive, ArchiveFormat::DockerArchive),
        (Layout::Kaniko, ArchiveFormat::DockerArchive),
    ] {
        for comp in [Comp::None, Comp::Gzip, Comp::Zstd, Comp::Estargz] {
            if layout == Layout::DockerLegacy && comp != Comp::None {
                continue;
            }
            let mut outer = archive(std::slice::from_ref(&img), layout, comp);
            for last in [false, true] {
                if last {
                    outer.move_last("manifest.json");
                    outer.move_last("index.json");
                }
                let bytes = outer.tar();
                let r = run(&bytes);
                check(&r);
                assert_eq!(r.archive.format, format, "{layout:?} {comp:?}");
                let want = match comp {
                    Comp::None => Compression::None,
                    Comp::Gzip | Comp::Estargz => Compression::Gzip,
                    Comp::Zstd => Compression::Zstd,
                };
                assert!(r.layers.iter().all(|l| l.compression == want), "{layout:?} {comp:?}");
                assert!(same(&r, &base), "{layout:?} {comp:?} manifest last: {last}");
                assert_eq!(r.image.tags, ["fx/sample:1"], "{layout:?}");
                for packed in [gzip(&bytes), zstd(&bytes)] {
                    let p = run(&packed);
                    assert!(same(&p, &base), "{layout:?} {comp:?} compressed whole");
                    assert_eq!(serde_json::to_string(&p.layers).unwrap(), serde_json::to_string(&r.layers).unwrap());
                }
            }
        }
    }
}

#[test]
fn estargz_index_entries_are_not_files() {
    let r = run(&archive(&[sample()], Layout::OciArchive, Comp::Estargz).tar());
    assert_eq!(visible(&r, "stargz.index.json"), None);
    assert_eq!(r.dive.inefficient_files.iter().find(|f| f.path == "/stargz.index.json").map(|f| f.count), Some(3));
    assert!(r.dive_differences.iter().any(|d| d.contains("estargz")), "{:?}", r.dive_differences);
}

#[test]
fn oci_layer_order_follows_the_manifest_not_the_archive() {
    let mut outer = archive(&[sample()], Layout::OciArchive, Comp::Gzip);
    outer.move_last("oci-layout");
    // Put the blobs in reverse order of the manifest: order must still come from the manifest.
    let r1 = run(&outer.tar());
    let mut reversed = Outer::default();
    let tar = outer.tar();
    let mut a = tar::Archive::new(&tar[..]);
    let mut entries: Vec<(String, Vec<u8>)> = a
        .entries()
        .unwrap()
        .map(|e| {
            let mut e = e.unwrap();
            let mut d = Vec::new();
            std::io::Read::read_to_end(&mut e, &mut d).unwrap();
            (e.path().unwrap().to_string_lossy().into_owned(), d)
        })
        .collect();
    entries.reverse();
    for (p, d) in entries {
        reversed.add(&p, d);
    }
    let r2 = run(&reversed.tar());
    check(&r2);
    assert_eq!(essence(&r1), essence(&r2));
}

#[test]
fn legacy_layers_may_be_symlinks_to_shared_layers() {
    let img = sample();
    let mut outer = archive(std::slice::from_ref(&img), Layout::DockerLegacy, Comp::None);
    let bytes = outer.tar();
    let r = run(&bytes);
    // Re-point the manifest's second layer through a symlink.
    let manifest: serde_json::Value = {
        let mut a = tar::Archive::new(&bytes[..]);
        let mut found = None;
        for e in a.entries().unwrap() {
            let mut e = e.unwrap();
            if e.path().unwrap().to_str() == Some("manifest.json") {
                let mut d = Vec::new();
                std::io::Read::read_to_end(&mut e, &mut d).unwrap();
                found = Some(serde_json::from_slice(&d).unwrap());
            }
        }
        found.unwrap()
    };
    let mut m = manifest.clone();
    let real = m[0]["Layers"][1].as_str().unwrap().to_string();
    m[0]["Layers"][1] = serde_json::json!("linked/layer.tar");
    outer.symlink("linked/layer.tar", &format!("../{real}"));
    let mut o2 = Outer::default();
    {
        let mut a = tar::Archive::new(&bytes[..]);
        for e in a.entries().unwrap() {
            let mut e = e.unwrap();
            let p = e.path().unwrap().to_string_lossy().into_owned();
            let mut d = Vec::new();
            std::io::Read::read_to_end(&mut e, &mut d).unwrap();
            if p == "manifest.json" {
                d = serde_json::to_vec(&m).unwrap();
            }
            o2.add(&p, d);
        }
    }
    o2.symlink("linked/layer.tar", &format!("../{real}"));
    let r2 = run(&o2.tar());
    assert_eq!(essence(&r2), essence(&r));
    let r3 = run(&gzip(&o2.tar()));
    assert_eq!(essence(&r3), essence(&r));
}

#[test]
fn several_images_are_listed_and_chosen() {
    let a = Image::new("fx/a:1", vec![Layer::new().file("x", b"a").build()]);
    let b = Image::new("fx/b:2", vec![Layer::new().file("x", b"bb").build(), Layer::new().file("y", b"c").build()]);
    for layout in [Layout::DockerLegacy, Layout::OciArchive, Layout::DockerOci] {
        let bytes = archive(&[a.clone(), b.clone()], layout, Comp::Gzip).tar();
        let choices = list_images(&MemSource::new(bytes.clone()), &mut Silent).unwrap();
        assert_eq!(choices.len(), 2, "{layout:?}");
        assert_eq!(choices[1].image, 1);
        let first = run(&bytes);
        assert_eq!(first.layers.len(), 1);
        assert!(first.notices[0].contains("2 images"), "{:?}", first.notices);
        let second = run_with(
            &bytes,
            &AnalyzeOptions { image: Some(ImageSelector::Tag("fx/b:2".into())), ..Default::default() },
        )
        .unwrap();
        assert_eq!(second.layers.len(), 2, "{layout:?}");
        assert_eq!(visible(&second, "x"), Some(2));
        let missing =
            run_with(&bytes, &AnalyzeOptions { image: Some(ImageSelector::Tag("fx/c".into())), ..Default::default() })
                .unwrap_err();
        assert!(missing.message.contains("no image tagged fx/c"), "{missing}");
    }
}

fn plat(arch: &str, bytes: u8) -> Image {
    Image::new("fx/multi:1", vec![Layer::new().file("arch", &vec![bytes; arch.len()]).build()]).platform("linux", arch)
}

#[test]
fn multi_platform_defaults_to_linux_amd64_with_a_notice() {
    for nested in [false, true] {
        let outer = multi_platform(
            &[
                ("linux", "arm64", Some(plat("arm64", 1))),
                ("linux", "amd64", Some(plat("amd64", 2))),
                ("linux", "s390x", None),
            ],
            nested,
            "fx/multi:1",
        );
        let bytes = outer.tar();
        let choices = list_images(&MemSource::new(bytes.clone()), &mut Silent).unwrap();
        let listed: Vec<(Option<&str>, bool)> = choices.iter().map(|c| (c.platform.as_deref(), c.available)).collect();
        assert_eq!(listed, [(Some("linux/arm64"), true), (Some("linux/amd64"), true), (Some("linux/s390x"), false)]);
        let r = run(&bytes);
        assert_eq!(r.image.platform.as_deref(), Some("linux/amd64"), "nested {nested}");
        assert!(r.notices[0].contains("linux/amd64"), "{:?}", r.notices);
        assert_eq!(r.image.tags, ["fx/multi:1"]);
        let arm =
            run_with(&bytes, &AnalyzeOptions { platform: Some("linux/arm64".into()), ..Default::default() }).unwrap();
        assert_eq!(visible(&arm, "arch"), Some(5));
        let absent = run_with(&bytes, &AnalyzeOptions { platform: Some("linux/s390x".into()), ..Default::default() })
            .unwrap_err();
        assert!(absent.message.contains("does not hold"), "{absent}");
        let unknown =
            run_with(&bytes, &AnalyzeOptions { platform: Some("windows/amd64".into()), ..Default::default() })
                .unwrap_err();
        assert!(unknown.message.contains("no platform windows/amd64"), "{unknown}");
    }
}

#[test]
fn multi_platform_takes_the_only_available_one_then_the_first() {
    let only = multi_platform(&[("linux", "amd64", None), ("linux", "arm64", Some(plat("arm64", 1)))], true, "fx/m:1");
    let r = run(&only.tar());
    assert_eq!(r.image.platform.as_deref(), Some("linux/arm64"));
    assert!(r.notices[0].contains("only linux/arm64"), "{:?}", r.notices);
    let first = multi_platform(
        &[("linux", "arm64", Some(plat("arm64", 1))), ("linux", "ppc64le", Some(plat("ppc64le", 2)))],
        false,
        "fx/m:1",
    );
    let r = run(&first.tar());
    assert_eq!(r.image.platform.as_deref(), Some("linux/arm64"));
}
