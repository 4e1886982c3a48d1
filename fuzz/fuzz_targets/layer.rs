//! The layer reader: the fuzz bytes become the only layer blob of a well-formed docker-archive, so every
//! execution reaches the layer tar parser (after gzip or zstd detection), the merge and the metrics.
#![no_main]

use layerlens_core::image::{analyze, AnalyzeOptions};
use layerlens_core::{MemSource, Silent};
use libfuzzer_sys::fuzz_target;

const CONFIG: &[u8] = br#"{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":["sha256:0000000000000000000000000000000000000000000000000000000000000000"]},"history":[{"created_by":"/bin/sh -c fuzz"}]}"#;
const MANIFEST: &[u8] = br#"[{"Config":"config.json","RepoTags":["fuzz:layer"],"Layers":["layer.tar"]}]"#;

fn image(layer: &[u8]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::with_capacity(layer.len() + 4096));
    for (path, data) in [("layer.tar", layer), ("config.json", CONFIG), ("manifest.json", MANIFEST)] {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_mtime(0);
        b.append_data(&mut h, path, data).expect("writing to memory cannot fail");
    }
    b.into_inner().expect("writing to memory cannot fail")
}

fuzz_target!(|data: &[u8]| {
    let source = MemSource::new(image(data));
    match analyze(&source, &AnalyzeOptions::default(), &mut Silent) {
        Ok(report) => assert_eq!(report.layers.len(), 1),
        Err(e) => assert!(!e.message.is_empty()),
    }
});
