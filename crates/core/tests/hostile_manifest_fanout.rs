//! An image index that lists itself many times: expanding it naively visits fan-out^depth documents,
//! so the engine must notice the cycle (or bound the work) and answer quickly with one clear error.

mod hostile_common;

use hostile_common::{analyse, assert_clear, outer};
use serde_json::json;

#[test]
fn an_index_listing_itself_fifty_times() {
    let a = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let desc = json!({"mediaType": "application/vnd.oci.image.index.v1+json", "digest": a, "size": 100});
    let index = serde_json::to_vec(&json!({"schemaVersion": 2, "manifests": vec![desc; 50]})).unwrap();
    let bytes = outer(&[
        ("oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#),
        (&format!("blobs/sha256/{}", &a[7..]), &index),
        ("index.json", &index),
    ]);
    let what = "index listing itself 50 times";
    let e = analyse(30, what, bytes).unwrap_err();
    assert_clear(&e, what);
}
