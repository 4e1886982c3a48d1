//! The shared fixtures (../shared/fixtures/images) against dive 0.13.1's output and the true figures.

mod image_support;
use image_support::*;
use layerlens_core::ErrorKind;

fn load(name: &str) -> Option<Vec<u8>> {
    shared(name).map(|p| std::fs::read(p).unwrap())
}

fn dive_json(name: &str) -> serde_json::Value {
    let p = shared(&format!("dive-0.13.1/{name}.json")).unwrap();
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

/// dive's efficiency score parsed from the JSON text with Rust's exact float parser (serde_json's
/// default parser may be off by one unit in the last place).
fn exact_efficiency(name: &str) -> f64 {
    let text = std::fs::read_to_string(shared(&format!("dive-0.13.1/{name}.json")).unwrap()).unwrap();
    let at = text.find("\"efficiencyScore\":").unwrap() + "\"efficiencyScore\":".len();
    let num: String = text[at..]
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == 'e' || *c == '-')
        .collect();
    num.parse().unwrap()
}

/// Checks efficiency, wasted bytes, image size and the inefficient-files list against dive's JSON, and
/// the user-wasted percent against dive's CI printout.
fn matches_dive(name: &str) -> Option<ImageReport> {
    let bytes = load(&format!("{name}.tar"))?;
    let r = run(&bytes);
    let d = dive_json(name);
    let img = &d["image"];
    assert_eq!(r.dive.efficiency, exact_efficiency(name), "{name} efficiency");
    assert_eq!(r.dive.wasted_bytes, img["inefficientBytes"].as_u64().unwrap(), "{name} wasted");
    assert_eq!(r.dive.image_size_bytes, img["sizeBytes"].as_u64().unwrap(), "{name} size");
    let refs: Vec<(String, u64, u64)> = img["fileReference"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (f["file"].as_str().unwrap().to_string(), f["count"].as_u64().unwrap(), f["sizeBytes"].as_u64().unwrap())
        })
        .collect();
    let ours: Vec<(String, u64, u64)> =
        r.dive.inefficient_files.iter().map(|f| (f.path.clone(), f.count, f.wasted_bytes)).collect();
    assert_eq!(ours, refs, "{name} inefficient files");
    let layers: Vec<u64> = d["layer"].as_array().unwrap().iter().map(|l| l["sizeBytes"].as_u64().unwrap()).collect();
    assert_eq!(r.layers.iter().map(|l| l.dive_size).collect::<Vec<_>>(), layers, "{name} layer sizes");
    let ci = std::fs::read_to_string(shared(&format!("dive-0.13.1/{name}.ci.txt")).unwrap()).unwrap();
    let line = ci.lines().find(|l| l.contains("userWastedPercent:")).unwrap();
    let printed = line.split(':').nth(1).unwrap().trim().trim_end_matches('%').trim();
    let ours = r.dive.user_wasted_percent.0 * 100.0;
    let ours = if ours.is_nan() { "NaN".to_string() } else { format!("{ours:.4}") };
    assert_eq!(ours, printed, "{name} user wasted percent");
    Some(r)
}

#[test]
fn test_docker_image_matches_dive_exactly() {
    let Some(r) = matches_dive("test-docker-image") else { return };
    assert_eq!(r.dive.efficiency, 0.9844212134184309);
    assert_eq!(r.dive.wasted_bytes, 32025);
    assert_eq!(r.dive.user_wasted_percent.0, 0.4834911001404049);
    assert_eq!(r.dive.image_size_bytes, 1220598);
    assert_eq!(r.layers.len(), 14);
    assert_eq!(r.archive.format, layerlens_core::image::ArchiveFormat::DockerLegacy);
    assert!(r.layers[0].command.starts_with("ADD file:ce026b62"), "{}", r.layers[0].command);
    assert_eq!(r.layers[4].command, "RUN chmod 444 /root/example/somefile1.txt");
}

#[test]
fn oci_archives_match_dive() {
    for name in ["test-oci-gzip-image", "test-oci-uncompressed-image"] {
        let Some(r) = matches_dive(name) else { return };
        assert_eq!(r.archive.format, layerlens_core::image::ArchiveFormat::OciLayout);
        assert_eq!(r.dive.efficiency, 1.0);
        assert!(r.dive.user_wasted_percent.0.is_nan());
        assert_eq!(visible(&r, "README.md"), Some(11189));
    }
    let Some(r) = load("test-oci-gzip-image.tar").map(|b| run(&b)) else { return };
    assert_eq!(r.layers[0].compression, layerlens_core::image::Compression::Gzip);
    assert_eq!(r.layers[0].stored_bytes, 4132);
}

#[test]
fn deletions_hidden_bytes_are_the_truth_not_dives() {
    let Some(r) = matches_dive("deletions") else { return };
    assert_eq!(r.dive.wasted_bytes, 1000);
    assert_eq!(r.dive.efficiency, 0.9412110523221634);
    assert_eq!(r.waste.hidden_bytes, 15000);
    assert_eq!(r.waste.visible_bytes, 10);
    assert_eq!(r.filesystem.total_bytes, 10);
    assert!(r.waste.by_layers.iter().all(|g| g.shipped_in == 0 && g.hidden_by == 1));
    let diff = r.dive_differences.join("\n");
    assert!(diff.contains("dive counts 1000 B wasted; 15000 B"), "{diff}");
    assert!(diff.contains("opaque") && diff.contains("f/"), "{diff}");
    assert!(diff.contains("deleted directories: e"), "{diff}");
    assert_eq!(r.layers[1].hides_bytes, 15000);
    assert_eq!(r.layers[0].shipped_hidden_bytes, 15000);
    assert_eq!(r.layers[1].changes.removed, 6);
}

#[test]
fn dupcontent_dedupe_saving_and_hardlink_counted_once() {
    let Some(r) = matches_dive("dupcontent") else { return };
    assert_eq!(r.duplicates.saving_bytes, 5000);
    assert_eq!(r.duplicates.groups[0].paths, vec!["p/copy1".to_string(), "q/copy2".to_string()]);
    assert_eq!(r.waste.hidden_bytes, 0);
    assert_eq!(r.filesystem.total_bytes, 25000);
    assert_eq!(visible(&r, "p/hl"), Some(0));
    assert!(r.dive_differences.iter().any(|d| d.contains("5000 B")), "{:?}", r.dive_differences);
}

#[test]
fn paxglobal_is_analysed_where_dive_fails() {
    let Some(bytes) = load("paxglobal.tar") else { return };
    let r = run(&bytes);
    assert_eq!(visible(&r, "g/file"), Some(100));
    assert_eq!(r.layers[1].changes.added_bytes, 100);
    assert!(r.dive_differences.iter().any(|d| d.contains("PAX global header")), "{:?}", r.dive_differences);
}

#[test]
fn longnames_are_shown_exactly() {
    let Some(r) = matches_dive("longnames") else { return };
    let long = "l/dir00_abcdefghij/dir01_abcdefghij/dir02_abcdefghij/dir03_abcdefghij/dir04_abcdefghij/dir05_abcdefghij/dir06_abcdefghij/dir07_abcdefghij/dir08_abcdefghij/dir09_abcdefghij/dir10_abcdefghij/dir11_abcdefghij/file.txt";
    assert_eq!(visible(&r, long), Some(64));
    assert!(visible(&r, "l/ünïcødé.txt").is_some());
}

#[test]
fn twoimages_lists_both_and_analyses_the_chosen_one() {
    let Some(bytes) = load("twoimages.tar") else { return };
    let choices = list_images(&MemSource::new(bytes.clone()), &mut Silent).unwrap();
    let tags: Vec<&str> = choices.iter().map(|c| c.tags[0].as_str()).collect();
    assert_eq!(tags, ["fx/one:latest", "fx/two:latest"]);
    let first = run(&bytes);
    assert_eq!(first.image.tags, ["fx/one:latest"]);
    assert_eq!(first.notices.len(), 1, "{:?}", first.notices);
    assert_eq!(first.layers.len(), 1);
    let by_tag =
        run_with(&bytes, &AnalyzeOptions { image: Some(ImageSelector::Tag("fx/two".into())), ..Default::default() })
            .unwrap();
    assert_eq!(by_tag.image.tags, ["fx/two:latest"]);
    assert_eq!(by_tag.layers.len(), 2);
    assert!(by_tag.notices.is_empty());
    let by_index =
        run_with(&bytes, &AnalyzeOptions { image: Some(ImageSelector::Index(1)), ..Default::default() }).unwrap();
    assert_eq!(by_index, by_tag);
}

#[test]
fn not_an_image_says_what_the_archive_holds() {
    let Some(bytes) = load("not-an-image.tar") else { return };
    let err = run_with(&bytes, &AnalyzeOptions::default()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotAnImage);
    assert!(err.message.contains("no image manifest (manifest.json or index.json)"), "{err}");
    assert!(err.message.contains("README.md"), "{err}");
}

#[test]
fn compressed_whole_archives_give_identical_reports() {
    for name in ["test-docker-image", "deletions", "test-oci-gzip-image", "twoimages"] {
        let Some(bytes) = load(&format!("{name}.tar")) else { return };
        let plain = run(&bytes);
        for packed in [gzip(&bytes), zstd(&bytes)] {
            let mut r = run(&packed);
            assert_ne!(r.archive.compression, layerlens_core::image::Compression::None);
            r.archive = plain.archive.clone();
            assert_eq!(serde_json::to_string(&r).unwrap(), serde_json::to_string(&plain).unwrap(), "{name}");
        }
    }
}
