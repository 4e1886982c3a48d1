//! Inputs that are not image archives at all, or only look like one at the start: each must give one
//! clear error, quickly.

mod hostile_common;

use hostile_common::{analyse, assert_clear, config_for, docker_archive, noise, outer, Layer};
use layerlens_core::ErrorKind;

fn layers() -> Vec<Vec<u8>> {
    vec![
        Layer::new().dir("etc").file("etc/os-release", b"ID=test\n").build(),
        Layer::new().file("app/data", b"some application data\n").build(),
    ]
}

#[test]
fn gzip_and_zstd_magic_followed_by_garbage() {
    for magic in [&[0x1f, 0x8b][..], &[0x1f, 0x8b, 8, 0], &[0x28, 0xb5, 0x2f, 0xfd]] {
        let mut bytes = magic.to_vec();
        bytes.extend(noise(5000, 7));
        let what = format!("magic {magic:02x?} then garbage");
        let e = analyse(30, &what, bytes.clone()).unwrap_err();
        assert_clear(&e, &what);
        let ls = layers();
        let what = format!("layer of {what}");
        let e = analyse(30, &what, docker_archive(&[ls[0].clone(), bytes], &config_for(&ls))).unwrap_err();
        assert_clear(&e, &what);
    }
}

#[test]
fn not_archives() {
    let cases: Vec<(&str, Vec<u8>, ErrorKind)> = vec![
        ("an empty file", vec![], ErrorKind::NotAnImage),
        ("one byte", vec![b'x'], ErrorKind::NotAnImage),
        ("511 zero bytes", vec![0; 511], ErrorKind::NotAnImage),
        ("two zero blocks", vec![0; 1024], ErrorKind::NotAnImage),
        ("a JSON document", br#"{"schemaVersion":2,"manifests":[]}"#.to_vec(), ErrorKind::NotAnImage),
        ("a tar without manifests", outer(&[("hello.txt", b"hi")]), ErrorKind::NotAnImage),
    ];
    for (what, bytes, kind) in cases {
        let e = analyse(30, what, bytes).unwrap_err();
        assert_clear(&e, what);
        assert_eq!(e.kind, kind, "{what}: {}", e.message);
    }
}

#[test]
fn random_bytes() {
    for seed in 1..200 {
        let what = format!("random bytes, seed {seed}");
        let e = analyse(30, &what, noise(seed as usize * 37, seed)).unwrap_err();
        assert_clear(&e, &what);
    }
}
