//! `layerlens image --format json` streams the report: the output is exactly the core's report with the
//! recommendations beside it, whatever the fixture.

use layerlens_core::image::ImageReport;
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
