//! Hostile image metadata: manifest.json and index.json that reference missing or cyclic blobs, deeply
//! nested JSON, symlink loops in the outer archive, configs with 10,000 history entries and diff_id
//! counts that disagree with the manifest.

mod hostile_common;

use hostile_common::{analyse, assert_clear, config_for, docker_archive, outer, sha, Layer};
use layerlens_core::ErrorKind;
use serde_json::json;

fn layer() -> Vec<u8> {
    Layer::new().file("etc/os-release", b"ID=test\n").build()
}

fn manifest(config: &str, layers: &[&str]) -> Vec<u8> {
    serde_json::to_vec(&json!([{"Config": config, "RepoTags": ["hostile:meta"], "Layers": layers}])).unwrap()
}

fn err(what: &str, bytes: Vec<u8>) -> layerlens_core::Error {
    let e = analyse(30, what, bytes).expect_err(what);
    assert_clear(&e, what);
    e
}

#[test]
fn manifest_json_references_missing_blobs() {
    let l = layer();
    let config = config_for(std::slice::from_ref(&l));
    let e = err(
        "missing layer",
        outer(&[
            ("l0.tar", &l),
            ("config.json", &config),
            ("manifest.json", &manifest("config.json", &["l0.tar", "gone.tar"])),
        ]),
    );
    assert!(e.message.contains("gone.tar") || e.message.contains("none of them"), "{}", e.message);
    let e = err("missing config", outer(&[("l0.tar", &l), ("manifest.json", &manifest("nowhere.json", &["l0.tar"]))]));
    assert!(matches!(e.kind, ErrorKind::Corrupt | ErrorKind::NotAnImage), "{}", e.message);
    let e = err("empty manifest list", outer(&[("manifest.json", b"[]")]));
    assert_eq!(e.kind, ErrorKind::NotAnImage, "{}", e.message);
    for bad in [&b"{}"[..], b"null", b"[{}]", b"[{\"Config\": 5}]", b"\xff\xfe", b"[", b""] {
        let what = format!("manifest.json = {:?}", String::from_utf8_lossy(bad));
        err(&what, outer(&[("l0.tar", &l), ("config.json", &config), ("manifest.json", bad)]));
    }
}

#[test]
fn deeply_nested_json_documents() {
    let l = layer();
    let config = config_for(std::slice::from_ref(&l));
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    err(
        "100,000-deep manifest.json",
        outer(&[("l0.tar", &l), ("config.json", &config), ("manifest.json", nested.as_bytes())]),
    );
    // Deep nesting inside a field the config does not use is skipped without recursion: a report is fine.
    let nested_obj = format!("{{\"unused\":{}1{}}}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
    let what = "100,000-deep unused config field";
    let bytes = outer(&[
        ("l0.tar", &l),
        ("config.json", nested_obj.as_bytes()),
        ("manifest.json", &manifest("config.json", &["l0.tar"])),
    ]);
    if let Err(e) = analyse(30, what, bytes) {
        assert_clear(&e, what);
    }
    let nested_history = format!("{{\"history\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    let bytes = outer(&[
        ("l0.tar", &l),
        ("config.json", nested_history.as_bytes()),
        ("manifest.json", &manifest("config.json", &["l0.tar"])),
    ]);
    err("100,000-deep config history", bytes);
    err(
        "100,000-deep index.json",
        outer(&[("oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#), ("index.json", nested.as_bytes())]),
    );
}

/// An OCI layout whose index.json points at index blob A, which points at B, which points back at A.
#[test]
fn cyclic_and_self_referencing_indexes() {
    let desc =
        |digest: &str| json!({"mediaType": "application/vnd.oci.image.index.v1+json", "digest": digest, "size": 100});
    // Blob contents must name each other's digests, so make them self-describing by path instead: the
    // engine finds blobs by path `blobs/sha256/<hex>`, whatever their content hashes to.
    let a = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let b = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    let index_a = serde_json::to_vec(&json!({"schemaVersion": 2, "manifests": [desc(b)]})).unwrap();
    let index_b = serde_json::to_vec(&json!({"schemaVersion": 2, "manifests": [desc(a), desc(b)]})).unwrap();
    let top = serde_json::to_vec(&json!({"schemaVersion": 2, "manifests": [desc(a)]})).unwrap();
    let bytes = outer(&[
        ("oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#),
        (&format!("blobs/sha256/{}", &a[7..]), &index_a),
        (&format!("blobs/sha256/{}", &b[7..]), &index_b),
        ("index.json", &top),
    ]);
    err("cyclic indexes", bytes);
    let self_ref = serde_json::to_vec(&json!({"schemaVersion": 2, "manifests": [desc(a)]})).unwrap();
    let bytes = outer(&[
        ("oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#),
        (&format!("blobs/sha256/{}", &a[7..]), &self_ref),
        ("index.json", &self_ref),
    ]);
    err("self-referencing index", bytes);
}

#[test]
fn index_nesting_a_thousand_deep() {
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    let mut next = json!({"schemaVersion": 2, "manifests": []});
    for i in 0..1000 {
        let blob = serde_json::to_vec(&next).unwrap();
        let hex = sha(&blob);
        entries.push((format!("blobs/sha256/{hex}"), blob));
        next = json!({"schemaVersion": 2, "manifests": [
            {"mediaType": "application/vnd.oci.image.index.v1+json", "digest": format!("sha256:{hex}"), "size": i}
        ]});
    }
    entries.push(("oci-layout".into(), br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec()));
    entries.push(("index.json".into(), serde_json::to_vec(&next).unwrap()));
    let refs: Vec<(&str, &[u8])> = entries.iter().map(|(p, d)| (p.as_str(), &d[..])).collect();
    err("1,000 nested indexes", outer(&refs));
}

#[test]
fn symlink_loops_in_the_outer_archive() {
    let mut b = tar::Builder::new(Vec::new());
    for (path, target) in
        [("manifest.json", "manifest.json"), ("a.json", "b.json"), ("b.json", "a.json"), ("l0.tar", "a.json")]
    {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Symlink);
        h.set_size(0);
        h.set_mode(0o777);
        b.append_link(&mut h, path, target).unwrap();
    }
    err("self-linked manifest.json", b.into_inner().unwrap());

    let l = layer();
    let config = config_for(std::slice::from_ref(&l));
    let mut b = tar::Builder::new(Vec::new());
    for (path, data) in [("config.json", &config[..]), ("manifest.json", &manifest("config.json", &["l0.tar"]))] {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        b.append_data(&mut h, path, data).unwrap();
    }
    for (path, target) in [("l0.tar", "x.tar"), ("x.tar", "l0.tar")] {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Symlink);
        h.set_size(0);
        b.append_link(&mut h, path, target).unwrap();
    }
    err("layer symlink loop", b.into_inner().unwrap());
}

#[test]
fn ten_thousand_history_entries() {
    let l = layer();
    let mut config: serde_json::Value = serde_json::from_slice(&config_for(std::slice::from_ref(&l))).unwrap();
    let history: Vec<serde_json::Value> = (0..10_000)
        .map(|i| {
            if i == 9_999 {
                json!({"created_by": "/bin/sh -c make"})
            } else {
                json!({"created_by": format!("/bin/sh -c #(nop) ENV V{i}=x"), "empty_layer": true})
            }
        })
        .collect();
    config["history"] = json!(history);
    let r = analyse(60, "10,000 history entries", docker_archive(&[l], &serde_json::to_vec(&config).unwrap())).unwrap();
    assert_eq!(r.history.len(), 10_000);
    assert_eq!(r.layers[0].history, Some(9_999));
    assert_eq!(r.layers[0].command, "RUN make");
}

#[test]
fn diff_id_and_history_counts_that_disagree() {
    let l = layer();
    let ls = [l.clone(), l.clone()];
    for (what, diff_ids, history) in [
        ("no diff IDs", json!([]), json!([{"created_by": "a"}, {"created_by": "b"}])),
        (
            "five diff IDs for two layers",
            json!(["sha256:1", "sha256:2", "sha256:3", "sha256:4", "sha256:5"]),
            json!([]),
        ),
        ("diff IDs not strings", json!([1, 2]), json!([{"empty_layer": true}])),
        ("more history than layers", json!(["sha256:1", "sha256:2"]), json!([{}, {}, {}, {}, {}])),
    ] {
        let config = json!({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": diff_ids}, "history": history});
        match analyse(30, what, docker_archive(&ls, &serde_json::to_vec(&config).unwrap())) {
            Ok(r) => {
                assert_eq!(r.layers.len(), 2, "{what}");
                let counts_differ = diff_ids.as_array().is_some_and(|d| d.len() != 2);
                if counts_differ {
                    assert!(
                        r.warnings.iter().any(|w| w.message.contains("diff ID")),
                        "{what}: no warning in {:?}",
                        r.warnings
                    );
                }
            }
            Err(e) => assert_clear(&e, what),
        }
    }
}
