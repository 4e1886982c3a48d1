//! An index.json listing 20,000 platforms whose manifests are all missing: one clear, short error.

mod hostile_common;

use hostile_common::{analyse, assert_clear, outer};
use serde_json::json;

#[test]
fn wide_index_of_missing_manifests() {
    let missing: Vec<serde_json::Value> = (0..20_000)
        .map(|i| json!({"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": format!("sha256:{i:064x}"), "size": 1,
                        "platform": {"os": "linux", "architecture": format!("arch{i}")}}))
        .collect();
    let wide = serde_json::to_vec(&json!({"schemaVersion": 2, "manifests": missing})).unwrap();
    let what = "20,000 missing manifests";
    let e = analyse(30, what, outer(&[("oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#), ("index.json", &wide)]))
        .unwrap_err();
    assert_clear(&e, what);
}
