//! Damaged gzip and zstd: every byte of a compressed layer and of a compressed archive flipped in turn. Each
//! must give one clear error, exactly the undamaged report, or a report that carries a warning.

mod hostile_common;

use hostile_common::{analyse, assert_clear, comparable, config_for, docker_archive, gzip, image_of, zstd, Layer};

fn layers() -> Vec<Vec<u8>> {
    vec![
        Layer::new().dir("etc").file("etc/os-release", b"ID=test\n").file("bin/tool", &[7u8; 3000]).build(),
        Layer::new().file("etc/os-release", b"ID=changed\n").file("app/data", b"some application data\n").build(),
    ]
}

/// Flips each byte of `archive` from `from` on (`from` skips the magic, whose damage is another test's) and
/// checks each outcome against the undamaged report.
fn flip_every_byte(archive: Vec<u8>, from: usize, what: &str, damaged: impl Fn(Vec<u8>) -> Vec<u8>) {
    let full = comparable(&analyse(30, what, damaged(archive.clone())).unwrap());
    for i in from..archive.len() {
        let mut bad = archive.clone();
        bad[i] ^= 0x55;
        let case = format!("{what} with byte {i} of {} flipped", archive.len());
        match analyse(30, &case, damaged(bad)) {
            Ok(r) => assert!(
                comparable(&r) == full || !r.warnings.is_empty(),
                "{case}: a different report from damaged data without an error or warning"
            ),
            Err(e) => assert_clear(&e, &case),
        }
    }
}

/// Flips each byte of the compressed second layer `blob`, inside an otherwise intact archive.
fn flip_every_byte_of_second_layer(blob: Vec<u8>, from: usize, what: &str) {
    let ls = layers();
    let config = config_for(&ls);
    flip_every_byte(blob, from, what, |b| docker_archive(&[ls[0].clone(), b], &config));
}

#[test]
fn corrupt_gzip_layer() {
    flip_every_byte_of_second_layer(gzip(&layers()[1]), 2, "gzip layer");
}

#[test]
fn corrupt_gzip_outer_archive() {
    flip_every_byte(gzip(&image_of(&layers())), 2, "gzip archive", |a| a);
}

#[test]
fn corrupt_zstd_layer() {
    flip_every_byte_of_second_layer(zstd(&layers()[1]), 4, "zstd layer");
}

#[test]
fn corrupt_zstd_outer_archive() {
    flip_every_byte(zstd(&image_of(&layers())), 4, "zstd archive", |a| a);
}
