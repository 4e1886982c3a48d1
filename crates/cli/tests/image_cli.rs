//! The `layerlens image` command on the shared fixtures and damaged copies of them: output, CI verdicts
//! and exit codes.

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

fn layerlens(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_layerlens")).arg("image").args(args).output().unwrap()
}

fn text(o: &Output) -> (String, String) {
    (String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

fn scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("layerlens-image-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn summary_shows_layers_waste_metrics_and_differences() {
    let Some(dir) = fixtures() else { return };
    let o = layerlens(&[dir.join("deletions.tar").to_str().unwrap()]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    for want in [
        "Image: fx/deletions:latest (linux/amd64)",
        "RUN rm d/big; rm -r e; rm -r f/* && echo > f/new",
        "hidden 15 kB (15000 B)",
        "efficiency: 94.1211 %",
        "wastedBytes: 1000 bytes (1.0 kB)",
        "/f/sub/big4",
        "dive counts 1000 B wasted; 15000 B",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
}

#[test]
fn ci_uses_dives_rules_and_defaults() {
    let Some(dir) = fixtures() else { return };
    let o = layerlens(&[dir.join("test-docker-image.tar").to_str().unwrap(), "--ci"]);
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(out.contains("  efficiency: 98.4421 %"), "{out}");
    assert!(out.contains("  wastedBytes: 32025 bytes (32 kB)"), "{out}");
    assert!(out.contains("  userWastedPercent: 48.3491 %"), "{out}");
    assert!(out.contains("FAIL: highestUserWastedPercent: too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes=0.4834911001404049 > threshold=0.1)"), "{out}");
    assert!(out.contains("SKIP: highestWastedBytes: rule disabled"), "{out}");
    assert!(out.contains("PASS: lowestEfficiency"), "{out}");
    assert!(out.contains("PASS: integrity"), "{out}");
    assert!(out.contains("Result:FAIL [Total:5] [Passed:2] [Failed:1] [Warn:0] [Skipped:2]"), "{out}");

    let o = layerlens(&[
        dir.join("test-docker-image.tar").to_str().unwrap(),
        "--ci",
        "--lowest-efficiency",
        "0.99",
        "--highest-user-wasted-percent",
        "disabled",
        "--highest-wasted-bytes",
        "30KB",
    ]);
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out.contains(
            "FAIL: lowestEfficiency: image efficiency is too low (efficiency=0.9844212134184309 < threshold=0.99)"
        ),
        "{out}"
    );
    assert!(
        out.contains("FAIL: highestWastedBytes: too many bytes wasted (wasted-bytes=32025 > threshold=30000)"),
        "{out}"
    );

    let o = layerlens(&[dir.join("dupcontent.tar").to_str().unwrap(), "--ci", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn highest_hidden_bytes_catches_what_dive_misses() {
    let Some(dir) = fixtures() else { return };
    let f = dir.join("deletions.tar");
    let args = [f.to_str().unwrap(), "--ci", "--highest-user-wasted-percent", "disabled"];
    let o = layerlens(&args);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o).0);
    let o = layerlens(&[&args[..], &["--highest-hidden-bytes", "10kB"]].concat());
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out.contains(
            "FAIL: highestHiddenBytes: too many bytes hidden in layers (hidden-bytes=15000 > threshold=10000)"
        ),
        "{out}"
    );
}

#[test]
fn json_report_has_the_schema_version() {
    let Some(dir) = fixtures() else { return };
    let o = layerlens(&[dir.join("test-oci-gzip-image.tar").to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["dive"]["user_wasted_percent"], "NaN");
    assert_eq!(v["layers"][0]["compression"], "gzip");
}

#[test]
fn list_and_choose_images() {
    let Some(dir) = fixtures() else { return };
    let f = dir.join("twoimages.tar");
    let o = layerlens(&[f.to_str().unwrap(), "--list"]);
    let (out, _) = text(&o);
    assert_eq!(out, "1  fx/one:latest  linux/amd64\n2  fx/two:latest  linux/amd64\n");
    let o = layerlens(&[f.to_str().unwrap(), "--image", "2"]);
    assert!(text(&o).0.starts_with("Image: fx/two:latest"), "{}", text(&o).0);
    let o = layerlens(&[f.to_str().unwrap(), "--image", "fx/one"]);
    assert!(text(&o).0.starts_with("Image: fx/one:latest"));
    let o = layerlens(&[f.to_str().unwrap(), "--image", "3"]);
    assert_eq!(o.status.code(), Some(2));
}

/// Exit 2 with exactly one line on stderr naming the file.
fn bad(path: &Path, want: &str) {
    let o = layerlens(&[path.to_str().unwrap()]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(&path.display().to_string()), "{err}");
    assert!(err.to_lowercase().contains(want), "{err}");
}

#[test]
fn bad_input_exits_2_with_one_line() {
    let Some(dir) = fixtures() else { return };
    bad(&dir.join("not-an-image.tar"), "no image manifest (manifest.json or index.json) was found");
    bad(&dir.join("no-such-file.tar"), "cannot read the file");
    bad(&dir, "reading");
    let full = std::fs::read(dir.join("test-docker-image.tar")).unwrap();
    bad(&scratch("truncated.tar", &full[..full.len() / 2]), "truncated");
    bad(&scratch("garbage.tar", &[0x42; 4000]), "not a tar archive");
    for name in ["deletions", "test-oci-gzip-image", "longnames"] {
        let bytes = std::fs::read(dir.join(format!("{name}.tar"))).unwrap();
        for cut in [700, bytes.len() / 3, bytes.len() / 2] {
            let o = layerlens(&[scratch(&format!("{name}-{cut}.tar"), &bytes[..cut]).to_str().unwrap()]);
            assert_eq!(o.status.code(), Some(2), "{name} cut {cut}: {}", text(&o).1);
            assert_eq!(text(&o).1.lines().count(), 1);
        }
    }
    let gz = std::fs::read(dir.join("test-oci-gzip-image.tar")).unwrap();
    let mut damaged = gz.clone();
    // Flip bytes inside the gzip layer blob (the third blob, after the two JSON blobs).
    let at = gz.windows(2).position(|w| w == [0x1f, 0x8b]).unwrap();
    for b in &mut damaged[at + 40..at + 80] {
        *b ^= 0xff;
    }
    bad(&scratch("corrupt-gzip.tar", &damaged), "corrupt");
}

#[test]
fn invalid_rule_values_are_usage_errors() {
    let Some(dir) = fixtures() else { return };
    let o = layerlens(&[dir.join("deletions.tar").to_str().unwrap(), "--ci", "--lowest-efficiency", "2"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).1.contains("between 0 and 1"));
}

/// Flips the first data byte of the first non-empty file inside a layer of a legacy `docker save` archive, so
/// the archive still parses but its layer no longer matches the diff ID the config names.
fn tamper_with_a_layer(archive: &[u8]) -> Vec<u8> {
    let mut out = archive.to_vec();
    let is_outer_name = |name: &[u8]| {
        name.starts_with(b"manifest.json")
            || name.starts_with(b"repositories")
            || (name.len() > 64 && name[..64].iter().all(u8::is_ascii_hexdigit))
    };
    let header = archive
        .windows(6)
        .enumerate()
        .filter(|(i, w)| *w == b"ustar\0" || (*w == b"ustar " && *i >= 257))
        .map(|(i, _)| i - 257)
        .find(|&h| {
            let size = std::str::from_utf8(&archive[h + 124..h + 135])
                .ok()
                .and_then(|s| u64::from_str_radix(s.trim(), 8).ok());
            archive[h + 156] == b'0' && size.unwrap_or(0) > 0 && !is_outer_name(&archive[h..h + 100])
        })
        .expect("a regular file inside a layer");
    out[header + 512] ^= 1;
    out
}

#[test]
fn integrity_failures_fail_ci_unless_allowed() {
    let Some(dir) = fixtures() else { return };
    let tampered = tamper_with_a_layer(&std::fs::read(dir.join("test-docker-image.tar")).unwrap());
    let file = scratch("tampered.tar", &tampered);
    let file = file.to_str().unwrap();
    let o = layerlens(&[file]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "a failed check is a warning without --ci: {err}");
    assert!(out.contains("1 of") && out.contains("check(s) FAILED"), "{out}");

    let ci = [file, "--ci", "--highest-user-wasted-percent", "disabled"];
    let o = layerlens(&ci);
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("FAIL: integrity: the archive does not match its own digests or sizes (1 of"), "{out}");

    let o = layerlens(&[&ci[..], &["--allow-integrity-failures"]].concat());
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("SKIP: integrity: rule disabled"), "{out}");
}
