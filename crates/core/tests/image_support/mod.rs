//! Helpers of the image tests: the archive builders come from the shared `layerlens-testkit` crate; here the
//! engine runs on what they build and the report is queried.
#![allow(dead_code)]

#[allow(unused_imports)]
pub use layerlens_core::image::{analyze, list_images, AnalyzeOptions, ImageReport, ImageSelector};
pub use layerlens_core::{MemSource, Silent};
#[allow(unused_imports)]
pub use layerlens_testkit::{archive, compress, gzip, multi_platform, sha, zstd, Comp, Image, Layer, Layout, Outer};

/// Analyses `bytes` with default options.
pub fn run(bytes: &[u8]) -> ImageReport {
    analyze(&MemSource::new(bytes.to_vec()), &AnalyzeOptions::default(), &mut Silent).unwrap()
}

/// Analyses `bytes` with `options`.
pub fn run_with(bytes: &[u8], options: &AnalyzeOptions) -> layerlens_core::Result<ImageReport> {
    analyze(&MemSource::new(bytes.to_vec()), options, &mut Silent)
}

/// The size of the visible node at `path`, if any.
pub fn visible(r: &ImageReport, path: &str) -> Option<u64> {
    let nodes = &r.filesystem.nodes;
    let mut cur = 0usize;
    for part in path.split('/') {
        cur = (1..nodes.len()).find(|&i| nodes[i].parent as usize == cur && nodes[i].name == part)?;
    }
    Some(nodes[cur].size)
}

/// The shared fixtures folder, or `None` (with a printed notice) when it is absent.
pub fn shared(name: &str) -> Option<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/images");
    if !dir.is_dir() {
        eprintln!("skipping: {} is absent", dir.display());
        return None;
    }
    Some(dir.join(name))
}
