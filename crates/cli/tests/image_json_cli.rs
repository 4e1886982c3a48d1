//! `layerlens image --format json` streams the report: the output is exactly the core's report with the
//! recommendations beside it, whatever the fixture.

use layerlens_core::image::ImageReport;
use layerlens_testkit::{archive, Comp, Image, Layer, Layout};
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/images");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: {} is absent", dir.display());
        None
    }
}

#[test]
fn json_output_is_the_report_plus_recommendations() {
    let Some(dir) = fixtures() else { return };
    for name in ["deletions.tar", "dupcontent.tar", "test-oci-gzip-image.tar", "paxglobal.tar"] {
        let o = Command::new(env!("CARGO_BIN_EXE_layerlens"))
            .args(["image", "--format", "json"])
            .arg(dir.join(name))
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{name}: {}", String::from_utf8_lossy(&o.stderr));
        assert!(o.stdout.ends_with(b"}\n"), "{name}: the document ends with one newline");
        let mut v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let recs = v.as_object_mut().unwrap().remove("recommendations").expect("a recommendations member");
        assert!(recs.is_object(), "{name}: recommendations is an object");
        // What is left is one whole report: it reads back as an ImageReport and writes out unchanged.
        let report: ImageReport = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(serde_json::to_value(&report).unwrap(), v, "{name}");
        assert!(!report.filesystem.nodes.is_empty(), "{name}");
    }
}

#[test]
fn json_leaves_out_the_raw_bytes_the_recommendations_read() {
    let mut elf = b"\x7fELF\x02\x01\x01".to_vec();
    elf.resize(300, 0);
    let layer = Layer::new()
        .file("etc/os-release", b"ID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME=\"Alpine Linux v3.20\"\n")
        .file("usr/bin/app", &elf)
        .build();
    let tar = archive(&[Image::new("fx/app:1", vec![layer])], Layout::DockerArchive, Comp::None).tar();
    let file = std::env::temp_dir().join(format!("layerlens-json-capture-{}.tar", std::process::id()));
    std::fs::write(&file, tar).unwrap();
    let o =
        Command::new(env!("CARGO_BIN_EXE_layerlens")).args(["image", "--format", "json"]).arg(&file).output().unwrap();
    std::fs::remove_file(&file).unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["captured"], serde_json::json!([]));
    assert_eq!(v["executables"], serde_json::json!([]));
    let pretty = &v["recommendations"]["facts"]["os"]["pretty"];
    assert_eq!(pretty, "Alpine Linux v3.20", "the facts read from the captured files stay");
}
