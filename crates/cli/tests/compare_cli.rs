//! The `layerlens compare` command: text and JSON output on real tarballs, and exit code 2 naming the file
//! that could not be analysed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/images");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: {} is absent", dir.display());
        None
    }
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/samples/sample.tar")
}

fn layerlens(args: &[&Path], extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_layerlens")).arg("compare").args(args).args(extra).output().unwrap()
}

fn json(o: &Output) -> serde_json::Value {
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn an_image_compared_with_itself_shares_every_layer_and_no_path_differs() {
    let o = layerlens(&[&sample(), &sample()], &["--format", "json"]);
    let v = json(&o);
    let layers = v["left"]["layers"].as_u64().unwrap();
    assert!(layers >= 2);
    assert_eq!(v["shared"]["layers"].as_u64(), Some(layers));
    assert_eq!(v["common_base_layers"].as_u64(), Some(layers));
    assert_eq!(v["files"]["entry_count"].as_u64(), Some(0));
}

#[test]
fn gzip_and_plain_copies_of_one_layer_are_shared_and_identical() {
    let Some(dir) = fixtures() else { return };
    let (a, b) = (dir.join("test-oci-gzip-image.tar"), dir.join("test-oci-uncompressed-image.tar"));
    let v = json(&layerlens(&[&a, &b], &["--format", "json"]));
    assert_eq!(v["shared"]["layers"].as_u64(), Some(1));
    assert_eq!(v["files"]["entry_count"].as_u64(), Some(0));
    // The stored sizes differ (one layer is compressed) while the content is the same.
    assert_ne!(v["left"]["stored_bytes"], v["right"]["stored_bytes"]);
    assert_eq!(v["left"]["content_bytes"], v["right"]["content_bytes"]);
}

#[test]
fn two_different_images_list_their_differences_as_text_and_json() {
    let Some(dir) = fixtures() else { return };
    let (a, b) = (dir.join("deletions.tar"), dir.join("paxglobal.tar"));
    let o = layerlens(&[&a, &b], &[]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    for want in [
        "First:  fx/deletions:latest",
        "Shared layers: 1 of the second image's 2",
        "0      15 kB =      15 kB =  ADD base /",
        "  + ",
        "/g/file",
    ] {
        assert!(out.contains(want), "missing {want:?} in\n{out}");
    }
    let v = json(&layerlens(&[&a, &b], &["--format", "json"]));
    let entries = v["files"]["entries"].as_array().unwrap();
    let added: Vec<&str> =
        entries.iter().filter(|e| e["change"] == "added").map(|e| e["path"].as_str().unwrap()).collect();
    assert!(added.contains(&"g/file"), "{added:?}");
    let g = entries.iter().find(|e| e["path"] == "g/file").unwrap();
    assert_eq!(g["right"]["size"].as_u64(), Some(100));
    assert_eq!(v["files"]["added"]["paths"].as_u64(), Some(added.len() as u64));
}

#[test]
fn an_unreadable_input_exits_2_naming_the_file() {
    let missing = std::env::temp_dir().join("layerlens-compare-no-such-file.tar");
    let o = layerlens(&[&sample(), &missing], &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("layerlens-compare-no-such-file.tar") && err.contains("cannot read"), "{err}");
    let Some(dir) = fixtures() else { return };
    let o = layerlens(&[&dir.join("not-an-image.tar"), &sample()], &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("not-an-image.tar") && err.lines().count() == 1, "{err}");
}
