//! Damaged zstd: every byte of a zstd layer and of a zstd-compressed archive flipped in turn. Each must give
//! one clear error, exactly the undamaged report, or a report that carries a warning.

mod hostile_common;

use hostile_common::{analyse, assert_clear, comparable, config_for, docker_archive, image_of, zstd, Layer};

fn layers() -> Vec<Vec<u8>> {
    vec![
        Layer::new().dir("etc").file("etc/os-release", b"ID=test\n").file("bin/tool", &[7u8; 3000]).build(),
        Layer::new().file("etc/os-release", b"ID=changed\n").file("app/data", b"some application data\n").build(),
    ]
}

/// Flips each byte of `blob` (from `from`) in the second layer and checks the outcome.
fn flip_every_byte_of_second_layer(blob: &[u8], from: usize, what: &str) {
    let ls = layers();
    let config = config_for(&ls);
    let full = comparable(&analyse(30, what, docker_archive(&[ls[0].clone(), blob.to_vec()], &config)).unwrap());
    for i in from..blob.len() {
        let mut bad = blob.to_vec();
        bad[i] ^= 0x55;
        let case = format!("{what} with byte {i} of {} flipped", blob.len());
        match analyse(30, &case, docker_archive(&[ls[0].clone(), bad], &config)) {
            Ok(r) => assert!(
                comparable(&r) == full || !r.warnings.is_empty(),
                "{case}: a different report from damaged data without an error or warning"
            ),
            Err(e) => assert_clear(&e, &case),
        }
    }
}

#[test]
fn corrupt_zstd_layer() {
    flip_every_byte_of_second_layer(&zstd(&layers()[1]), 4, "zstd layer");
}

#[test]
fn corrupt_zstd_outer_archive() {
    let plain = image_of(&layers());
    let zst = zstd(&plain);
    let full = comparable(&analyse(30, "zstd archive", zst.clone()).unwrap());
    for i in 4..zst.len() {
        let mut bad = zst.clone();
        bad[i] ^= 0x55;
        let case = format!("zstd archive with byte {i} of {} flipped", zst.len());
        match analyse(30, &case, bad) {
            Ok(r) => assert!(
                comparable(&r) == full || !r.warnings.is_empty(),
                "{case}: a different report from damaged data without an error or warning"
            ),
            Err(e) => assert_clear(&e, &case),
        }
    }
}
