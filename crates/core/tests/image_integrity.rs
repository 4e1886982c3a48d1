//! Integrity checks: digests of blobs and diff IDs, descriptor sizes, tar end markers, zstd frame checksums
//! and the size cap on PAX and GNU long-name headers. Undamaged archives of every layout pass every check;
//! each kind of damage is named in a warning (or, for checksums and caps, one clear error).

mod image_support;
use expect_test::expect;
use image_support::*;
use layerlens_core::image::{CheckKind, Integrity};
use layerlens_core::ErrorKind;

fn sample() -> Image {
    let l0 = Layer::new().dir("etc").file("etc/os-release", b"ID=alpine\n").file("a/big", &[1u8; 3000]).build();
    let l1 = Layer::new().whiteout("a/big").file("b/new", &[2u8; 10]).build();
    Image::new("fx/sample:1", vec![l0, l1])
}

fn count(i: &Integrity, kind: CheckKind) -> usize {
    i.checks.iter().filter(|c| c.check == kind).count()
}

fn verify_off() -> AnalyzeOptions {
    AnalyzeOptions { verify_digests: false, ..Default::default() }
}

#[test]
fn every_layout_passes_every_check() {
    for layout in [Layout::DockerLegacy, Layout::DockerOci, Layout::OciArchive, Layout::DockerArchive, Layout::Kaniko] {
        // The generator writes estargz configs with the diff IDs of the original tars, not of the estargz
        // streams; `estargz_diff_ids_cover_the_whole_stream` checks estargz.
        for comp in [Comp::None, Comp::Gzip, Comp::Zstd] {
            if layout == Layout::DockerLegacy && comp != Comp::None {
                continue;
            }
            let bytes = archive(&[sample()], layout, comp).tar();
            for (how, input) in [("plain", bytes.clone()), ("gzip", gzip(&bytes)), ("zstd", zstd(&bytes))] {
                let what = format!("{layout:?} {comp:?} {how}");
                let r = run(&input);
                let i = &r.integrity;
                assert!(i.digests_verified, "{what}");
                assert_eq!(i.failed, 0, "{what}: {:?}", r.warnings);
                assert!(r.warnings.is_empty(), "{what}: {:?}", r.warnings);
                assert_eq!(count(i, CheckKind::DiffId), 2, "{what}");
                assert_eq!(count(i, CheckKind::TarEnd), 2, "{what}");
                assert_eq!(count(i, CheckKind::ConfigDigest), 1, "{what}");
                let named = if layout == Layout::DockerLegacy { 0 } else { 2 };
                assert_eq!(count(i, CheckKind::BlobDigest), named, "{what}: legacy layer paths name no digest");
                let oci = matches!(layout, Layout::DockerOci | Layout::OciArchive);
                assert_eq!(count(i, CheckKind::ManifestDigest), usize::from(oci), "{what}");
                assert_eq!(count(i, CheckKind::BlobSize), if oci { 2 } else { 0 }, "{what}");
                let off = run_with(&input, &verify_off()).unwrap();
                assert!(!off.integrity.digests_verified);
                assert_eq!(count(&off.integrity, CheckKind::DiffId), 0, "{what}: no digest without verification");
                assert_eq!(count(&off.integrity, CheckKind::TarEnd), 2, "{what}: tar ends are always checked");
            }
        }
    }
}

#[test]
fn shared_fixtures_pass_every_check() {
    let mut lines = Vec::new();
    for name in [
        "test-docker-image.tar",
        "test-oci-gzip-image.tar",
        "test-oci-uncompressed-image.tar",
        "deletions.tar",
        "dupcontent.tar",
        "paxglobal.tar",
        "longnames.tar",
        "twoimages.tar",
    ] {
        let Some(path) = shared(name) else { return };
        let r = run(&std::fs::read(path).unwrap());
        let i = &r.integrity;
        assert_eq!(i.failed, 0, "{name}: {:?}", r.warnings);
        let mut kinds = std::collections::BTreeMap::new();
        for c in &i.checks {
            *kinds.entry(format!("{:?}", c.check)).or_insert(0) += 1;
        }
        let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
        lines.push(format!("{name}: {}", kinds.join(", ")));
    }
    expect![[r#"
        test-docker-image.tar: ConfigDigest 1, DiffId 14, TarEnd 14
        test-oci-gzip-image.tar: BlobDigest 1, BlobSize 1, ConfigDigest 1, ConfigSize 1, DiffId 1, ManifestDigest 1, ManifestSize 1, TarEnd 1
        test-oci-uncompressed-image.tar: BlobDigest 1, BlobSize 1, ConfigDigest 1, ConfigSize 1, DiffId 1, ManifestDigest 1, ManifestSize 1, TarEnd 1
        deletions.tar: ConfigDigest 1, DiffId 2, TarEnd 2
        dupcontent.tar: ConfigDigest 1, DiffId 2, TarEnd 2
        paxglobal.tar: ConfigDigest 1, DiffId 2, TarEnd 2
        longnames.tar: ConfigDigest 1, DiffId 2, TarEnd 2
        twoimages.tar: ConfigDigest 1, DiffId 1, TarEnd 1"#]].assert_eq(&lines.join("\n"));
}

/// An OCI archive whose layers are stored as given, with descriptor sizes `sizes` (the true ones when `None`)
/// and a config whose diff IDs are `diff_ids` (the true ones when `None`).
fn oci(layers: &[Vec<u8>], sizes: Option<&[u64]>, diff_ids: Option<&[String]>) -> Vec<u8> {
    let mut img = Image::new("fx/oci:1", layers.to_vec());
    img.history.truncate(layers.len());
    let mut config: serde_json::Value = serde_json::from_slice(&img.config()).unwrap();
    if let Some(d) = diff_ids {
        config["rootfs"]["diff_ids"] = serde_json::json!(d);
    }
    let config = serde_json::to_vec(&config).unwrap();
    let mut o = Outer::default();
    let mut descs = Vec::new();
    for (i, l) in layers.iter().enumerate() {
        let size = sizes.map_or(l.len() as u64, |s| s[i]);
        descs.push(serde_json::json!({"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": format!("sha256:{}", sha(l)), "size": size}));
        o.add(&format!("blobs/sha256/{}", sha(l)), l.clone());
    }
    o.add(&format!("blobs/sha256/{}", sha(&config)), config.clone());
    let m = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": format!("sha256:{}", sha(&config)), "size": config.len()},
        "layers": descs,
    }))
    .unwrap();
    o.add(&format!("blobs/sha256/{}", sha(&m)), m.clone());
    let index = serde_json::json!({"schemaVersion": 2, "manifests": [{"digest": format!("sha256:{}", sha(&m)), "size": m.len(), "mediaType": "application/vnd.oci.image.manifest.v1+json"}]});
    o.add("index.json", serde_json::to_vec(&index).unwrap());
    o.tar()
}

#[test]
fn estargz_diff_ids_cover_the_whole_stream() {
    use std::io::Read;
    let blobs: Vec<Vec<u8>> = sample().layers.iter().map(|l| compress(l, Comp::Estargz)).collect();
    let ids: Vec<String> = blobs
        .iter()
        .map(|b| {
            let mut tar_stream = Vec::new();
            flate2::read::MultiGzDecoder::new(&b[..]).read_to_end(&mut tar_stream).unwrap();
            format!("sha256:{}", sha(&tar_stream))
        })
        .collect();
    let r = run(&oci(&blobs, None, Some(&ids)));
    assert_eq!(r.integrity.failed, 0, "{:?}", r.warnings);
    assert_eq!(count(&r.integrity, CheckKind::DiffId), 2);
    assert_eq!(count(&r.integrity, CheckKind::BlobDigest), 2);
}

/// Replaces the blob stored at `path` in the outer tar `bytes` with `blob` of the same length.
fn swap_blob(bytes: &[u8], path: &str, blob: &[u8]) -> Vec<u8> {
    let mut a = tar::Archive::new(std::io::Cursor::new(bytes));
    let (offset, size) = a
        .entries_with_seek()
        .unwrap()
        .map(|e| e.unwrap())
        .find(|e| e.path_bytes().as_ref() == path.as_bytes())
        .map(|e| (e.raw_file_position() as usize, e.size() as usize))
        .unwrap();
    assert_eq!(size, blob.len());
    let mut out = bytes.to_vec();
    out[offset..offset + size].copy_from_slice(blob);
    out
}

#[test]
fn a_replaced_blob_fails_its_digest_and_diff_id() {
    let img = sample();
    let bytes = oci(&img.layers, None, None);
    let path = format!("blobs/sha256/{}", sha(&img.layers[1]));
    // Same length, still a valid tar: one content byte of b/new differs.
    let mut damaged = img.layers[1].clone();
    let at = damaged.windows(10).position(|w| w == [2u8; 10]).unwrap();
    damaged[at] = 3;
    let r = run(&swap_blob(&bytes, &path, &damaged));
    let failed: Vec<(CheckKind, Option<usize>)> =
        r.integrity.checks.iter().filter(|c| !c.ok).map(|c| (c.check, c.layer)).collect();
    assert_eq!(failed, [(CheckKind::BlobDigest, Some(1)), (CheckKind::DiffId, Some(1))]);
    assert_eq!(r.integrity.failed, 2);
    assert_eq!(r.warnings.len(), 2, "{:?}", r.warnings);
    for w in &r.warnings {
        assert_eq!(w.layer, Some(1));
        assert!(w.message.contains(&path) && w.message.contains("damaged or was replaced"), "{}", w.message);
    }
    let expected = format!("sha256:{}", sha(&img.layers[1]));
    assert_eq!(r.integrity.checks.iter().find(|c| !c.ok).unwrap().expected.as_deref(), Some(expected.as_str()));
    // Without verification the damage goes unseen; the report says digests were not verified.
    let off = run_with(&swap_blob(&bytes, &path, &damaged), &verify_off()).unwrap();
    assert!(!off.integrity.digests_verified && off.integrity.failed == 0 && off.warnings.is_empty());
}

#[test]
fn a_wrong_diff_id_is_flagged() {
    let img = sample();
    let mut ids: Vec<String> = img.layers.iter().map(|l| format!("sha256:{}", sha(l))).collect();
    ids[0] = format!("sha256:{}", "0".repeat(64));
    let r = run(&oci(&img.layers, None, Some(&ids)));
    let failed: Vec<_> = r.integrity.checks.iter().filter(|c| !c.ok).collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!((failed[0].check, failed[0].layer), (CheckKind::DiffId, Some(0)));
    assert!(r.warnings[0].message.contains("diff ID"), "{}", r.warnings[0].message);
}

#[test]
fn a_descriptor_size_mismatch_is_flagged_without_verification() {
    let img = sample();
    let true_size = img.layers[0].len() as u64;
    let bytes = oci(&img.layers, Some(&[true_size + 512, img.layers[1].len() as u64]), None);
    for options in [AnalyzeOptions::default(), verify_off()] {
        let r = run_with(&bytes, &options).unwrap();
        let failed: Vec<_> = r.integrity.checks.iter().filter(|c| !c.ok).collect();
        assert_eq!(failed.len(), 1, "{failed:?}");
        assert_eq!((failed[0].check, failed[0].layer), (CheckKind::BlobSize, Some(0)));
        assert_eq!(failed[0].expected, Some((true_size + 512).to_string()));
        assert_eq!(failed[0].actual, Some(true_size.to_string()));
        assert!(r.warnings[0].message.contains("descriptor says"), "{}", r.warnings[0].message);
    }
}

#[test]
fn a_layer_without_its_end_marker_is_flagged_even_when_its_digest_matches() {
    let img = sample();
    let mut layers = img.layers.clone();
    // Cut the end-of-archive marker (and the builder's padding): a tar that just stops after its last entry.
    let whole = layers[1].len();
    layers[1].truncate(whole - 1024);
    let bytes = oci(&layers, None, None);
    for options in [AnalyzeOptions::default(), verify_off()] {
        let r = run_with(&bytes, &options).unwrap();
        let failed: Vec<_> = r.integrity.checks.iter().filter(|c| !c.ok).collect();
        assert_eq!(failed.len(), 1, "{failed:?}");
        assert_eq!((failed[0].check, failed[0].layer), (CheckKind::TarEnd, Some(1)));
        assert_eq!(r.warnings.len(), 1);
        assert!(r.warnings[0].message.contains("end-of-archive marker"), "{}", r.warnings[0].message);
    }
}

/// A docker-archive with one layer stored as `blob` and named `l0.tar` (a name without a digest).
fn one_layer(blob: Vec<u8>, tar_bytes: &[u8]) -> Vec<u8> {
    let img = Image::new("fx/one:1", vec![tar_bytes.to_vec()]);
    let mut o = Outer::default();
    o.add("l0.tar", blob);
    o.add("config.json", img.config());
    o.add("manifest.json", br#"[{"Config":"config.json","RepoTags":["fx/one:1"],"Layers":["l0.tar"]}]"#.to_vec());
    o.tar()
}

#[test]
fn a_zstd_frame_checksum_mismatch_is_an_error_naming_the_layer() {
    let layer = sample().layers[0].clone();
    let good = zstd(&layer);
    assert!(run(&one_layer(good.clone(), &layer)).warnings.is_empty());
    let mut bad = good.clone();
    let last = bad.len() - 1;
    bad[last] ^= 0x40;
    for options in [AnalyzeOptions::default(), verify_off()] {
        let e = run_with(&one_layer(bad.clone(), &layer), &options).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Corrupt, "{e}");
        assert!(e.message.contains("l0.tar") && e.message.contains("checksum of frame 1"), "{e}");
    }
}

fn extension(kind: tar::EntryType, name: &str, data: &[u8]) -> Vec<u8> {
    let mut h = tar::Header::new_gnu();
    h.as_gnu_mut().unwrap().name[..name.len()].copy_from_slice(name.as_bytes());
    h.set_entry_type(kind);
    h.set_size(data.len() as u64);
    h.set_mode(0o644);
    h.set_cksum();
    let mut out = h.as_bytes().to_vec();
    out.extend_from_slice(data);
    out.resize(out.len().div_ceil(512) * 512, 0);
    out
}

/// A layer whose one file `f` is preceded by an extension entry of `kind` holding `data`.
fn layer_with(kind: tar::EntryType, data: &[u8]) -> Vec<u8> {
    let mut out = extension(kind, "././@LongLink", data);
    out.extend(Layer::new().file("f", b"x").build());
    out
}

fn pax_path(len: usize) -> Vec<u8> {
    // A PAX record is "<length> path=<value>\n" where the length counts the whole record.
    let value = "p".repeat(len);
    let body = format!(" path={value}\n");
    let mut n = body.len() + 1;
    while (n.to_string().len() + body.len()) != n {
        n += 1;
    }
    format!("{n}{body}").into_bytes()
}

#[test]
fn extension_headers_over_one_mebibyte_are_a_limit_error() {
    let limit = 1 << 20;
    let near = pax_path(limit - 100);
    assert!(near.len() <= limit);
    let r = run(&one_layer(layer_with(tar::EntryType::XHeader, &near), &layer_with(tar::EntryType::XHeader, &near)));
    assert_eq!(r.layers[0].entries, 1, "a header just under the cap is read");
    for (what, kind, data) in [
        ("PAX extended header", tar::EntryType::XHeader, pax_path(limit)),
        ("GNU long name", tar::EntryType::GNULongName, vec![b'n'; limit + 1]),
        ("GNU long link name", tar::EntryType::GNULongLink, vec![b'n'; limit + 1]),
    ] {
        let layer = layer_with(kind, &data);
        for blob in [layer.clone(), gzip(&layer), zstd(&layer)] {
            let e = run_with(&one_layer(blob, &layer), &AnalyzeOptions::default()).unwrap_err();
            assert_eq!(e.kind, ErrorKind::Limit, "{what}: {e}");
            assert!(e.message.contains("l0.tar") && e.message.contains(what), "{e}");
            assert!(e.message.contains("1048576"), "{e}");
        }
    }
}

#[test]
fn outer_archive_extension_headers_are_capped_too() {
    let img = archive(&[sample()], Layout::DockerArchive, Comp::None).tar();
    let mut bytes = extension(tar::EntryType::XHeader, "PaxHeaders/x", &pax_path(2 << 20));
    bytes.extend(img);
    for input in [bytes.clone(), gzip(&bytes), zstd(&bytes)] {
        let e = run_with(&input, &AnalyzeOptions::default()).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Limit, "{e}");
        assert!(e.message.contains("entry 1 of the") && e.message.contains("PAX extended header"), "{e}");
    }
}
