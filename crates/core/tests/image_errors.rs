//! Damaged input gives one clear error, never a panic or a hang.

mod image_support;
use image_support::*;
use layerlens_core::{Error, ErrorKind};

fn sample(layout: Layout, comp: Comp) -> Vec<u8> {
    let l0 = Layer::new().dir("etc").file("etc/a", &[7u8; 20_000]).file("etc/b", b"hello").build();
    let l1 = Layer::new().file("etc/c", &[9u8; 30_000]).whiteout("etc/b").build();
    archive(&[Image::new("fx/e:1", vec![l0, l1])], layout, comp).tar()
}

fn err(bytes: &[u8]) -> Error {
    run_with(bytes, &AnalyzeOptions::default()).unwrap_err()
}

#[test]
fn truncated_archives_fail_clearly_at_every_cut() {
    for (layout, comp) in
        [(Layout::DockerLegacy, Comp::None), (Layout::OciArchive, Comp::Gzip), (Layout::DockerArchive, Comp::Zstd)]
    {
        let bytes = sample(layout, comp);
        for packed in [bytes.clone(), gzip(&bytes), zstd(&bytes)] {
            let step = (packed.len() / 37).max(1);
            for cut in (1..packed.len() - 1024).step_by(step) {
                match run_with(&packed[..cut], &AnalyzeOptions::default()) {
                    Err(e) => {
                        assert!(!e.message.is_empty());
                        assert!(
                            matches!(e.kind, ErrorKind::Truncated | ErrorKind::Corrupt | ErrorKind::NotAnImage),
                            "{layout:?} {comp:?} cut {cut}: {e:?}"
                        );
                    }
                    Ok(_) => panic!("{layout:?} {comp:?} cut at {cut} of {} analysed without error", packed.len()),
                }
            }
        }
    }
}

#[test]
fn corrupt_layer_compression_names_the_layer() {
    for comp in [Comp::Gzip, Comp::Zstd] {
        let mut bytes = sample(Layout::DockerArchive, comp);
        // Damage the middle of the first layer blob (stored first in the archive, after its 512-byte header).
        for b in &mut bytes[560..600] {
            *b ^= 0xa5;
        }
        let e = err(&bytes);
        assert_eq!(e.kind, ErrorKind::Corrupt, "{comp:?}: {e:?}");
        assert!(e.message.contains("reading layer"), "{e}");
    }
}

#[test]
fn corrupt_whole_archive_compression_is_an_error() {
    let bytes = sample(Layout::DockerLegacy, Comp::None);
    for mut packed in [gzip(&bytes), zstd(&bytes)] {
        let n = packed.len();
        for b in &mut packed[n / 3..n / 3 + 40] {
            *b ^= 0x5a;
        }
        let e = err(&packed);
        assert!(matches!(e.kind, ErrorKind::Corrupt | ErrorKind::Truncated | ErrorKind::NotAnImage), "{e:?}");
    }
}

#[test]
fn missing_blob_is_named() {
    let l0 = Layer::new().file("x", b"1").build();
    let img = Image::new("fx/m:1", vec![l0.clone(), l0]);
    let outer = archive(std::slice::from_ref(&img), Layout::OciArchive, Comp::Gzip);
    let tar = outer.tar();
    // Rebuild without the layer blob.
    let mut o = Outer::default();
    let mut a = tar::Archive::new(&tar[..]);
    let layer_hex = sha(&gzip(&img.layers[0]));
    for e in a.entries().unwrap() {
        let mut e = e.unwrap();
        let p = e.path().unwrap().to_string_lossy().into_owned();
        let mut d = Vec::new();
        std::io::Read::read_to_end(&mut e, &mut d).unwrap();
        if !p.ends_with(&layer_hex) {
            o.add(&p, d);
        }
    }
    let e = err(&o.tar());
    assert_eq!(e.kind, ErrorKind::Corrupt, "{e:?}");
    assert!(
        e.message.contains("holds the manifest, config and layers of none") || e.message.contains("missing"),
        "{e}"
    );
}

#[test]
fn missing_layer_in_manifest_json_is_named() {
    let bytes = sample(Layout::DockerArchive, Comp::None);
    let mut o = Outer::default();
    let mut a = tar::Archive::new(&bytes[..]);
    let mut dropped = String::new();
    for e in a.entries().unwrap() {
        let mut e = e.unwrap();
        let p = e.path().unwrap().to_string_lossy().into_owned();
        let mut d = Vec::new();
        std::io::Read::read_to_end(&mut e, &mut d).unwrap();
        if p.ends_with(".tar") && dropped.is_empty() {
            dropped = p;
            continue;
        }
        o.add(&p, d);
    }
    let e = err(&o.tar());
    assert!(e.message.contains(&dropped), "{e}");
}

#[test]
fn garbage_and_empty_inputs() {
    assert_eq!(err(&[]).kind, ErrorKind::NotAnImage);
    assert_eq!(err(&[0x42; 3000]).kind, ErrorKind::NotAnImage);
    let e = err(&gzip(&[0x42; 3000]));
    assert_eq!(e.kind, ErrorKind::NotAnImage, "{e:?}");
    let mut o = Outer::default();
    o.add("manifest.json", b"{not json".to_vec());
    let e = err(&o.tar());
    assert_eq!(e.kind, ErrorKind::Corrupt);
    assert!(e.message.contains("manifest.json"), "{e}");
}

#[test]
fn layer_that_is_not_a_tar_is_corrupt() {
    let mut o = Outer::default();
    o.add("abc.tar", vec![0x55; 4096]);
    o.add("cfg.json", br#"{"os":"linux","architecture":"amd64","rootfs":{"diff_ids":[]}}"#.to_vec());
    o.add("manifest.json", br#"[{"Config":"cfg.json","RepoTags":["x:1"],"Layers":["abc.tar"]}]"#.to_vec());
    let e = err(&o.tar());
    assert_eq!(e.kind, ErrorKind::Corrupt, "{e:?}");
    assert!(e.message.contains("abc.tar"), "{e}");
}

/// Bytes that do not compress.
fn noise(n: usize) -> Vec<u8> {
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

#[test]
fn cancellation_stops_the_analysis() {
    let big = Layer::new().file("big", &noise(9 << 20)).build();
    let bytes = archive(&[Image::new("fx/b:1", vec![big])], Layout::DockerLegacy, Comp::None).tar();
    for packed in [bytes.clone(), gzip(&bytes)] {
        let mut stop = |_: layerlens_core::Progress| std::ops::ControlFlow::Break(());
        let e = analyze(&MemSource::new(packed), &AnalyzeOptions::default(), &mut stop).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Cancelled);
    }
}

#[test]
fn progress_reports_input_bytes() {
    let big = Layer::new().file("big", &noise(12 << 20)).build();
    let bytes = archive(&[Image::new("fx/b:1", vec![big])], Layout::DockerLegacy, Comp::None).tar();
    for packed in [bytes.clone(), gzip(&bytes)] {
        let total = packed.len() as u64;
        let mut seen = Vec::new();
        let mut obs = |p: layerlens_core::Progress| {
            seen.push(p);
            std::ops::ControlFlow::Continue(())
        };
        analyze(&MemSource::new(packed), &AnalyzeOptions::default(), &mut obs).unwrap();
        assert!(seen.iter().all(|p| p.bytes_total == total && p.bytes_done <= total));
        assert!(seen.len() >= 3, "{seen:?}");
        assert!(seen.windows(2).all(|w| w[0].bytes_done <= w[1].bytes_done), "{seen:?}");
        assert_eq!(seen.last().map(|p| p.bytes_done), Some(total));
    }
}
