//! Builders for the core's tests: layer tarballs (every entry kind, hand-made and hostile headers), their
//! compression (gzip, zstd, estargz, gzip streams of repeated pieces) and whole image archives in every layout
//! layerlens reads. Everything is built in memory with the tar, flate2 and ruzstd crates; nothing binary is
//! committed.

mod archive;
mod compress;
mod layer;

pub use archive::{
    archive, config_for, docker_archive, docker_save, image_of, multi_platform, outer, sha, Image, Layout, Outer,
};
pub use compress::{compress, gzip, zstd, Comp, GzipPieces};
pub use layer::{file_header, Layer};

/// Deterministic pseudo-random bytes (xorshift32), so data neither compresses nor deduplicates.
pub fn noise(n: usize, seed: u32) -> Vec<u8> {
    let mut x = seed.wrapping_mul(2654435761) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}
