//! Tar headers whose checksums do not add up, in the outer archive and in layers (plain and gzip): each
//! must give one clear Corrupt error naming what is wrong and where.

mod hostile_common;

use hostile_common::{analyse, assert_clear, config_for, docker_archive, gzip, image_of, Layer};
use layerlens_core::ErrorKind;

fn layers() -> Vec<Vec<u8>> {
    vec![
        Layer::new().dir("etc").file("etc/os-release", b"ID=test\n").file("bin/tool", &[7u8; 3000]).build(),
        Layer::new().file("etc/os-release", b"ID=changed\n").file("app/data", b"some application data\n").build(),
    ]
}

/// Offsets of the header blocks of a tar.
fn headers(tar_bytes: &[u8]) -> Vec<usize> {
    let mut a = tar::Archive::new(std::io::Cursor::new(tar_bytes));
    a.entries_with_seek().unwrap().map(|e| e.unwrap().raw_header_position() as usize).collect()
}

#[test]
fn wrong_checksum_in_every_outer_header() {
    let plain = image_of(&layers());
    for (n, at) in headers(&plain).into_iter().enumerate() {
        for delta in [1u8, 7] {
            let mut bad = plain.clone();
            // The checksum field is 8 bytes at 148; bump its first octal digit.
            bad[at + 148] = b'0' + ((bad[at + 148] - b'0' + delta) % 8);
            let what = format!("outer header {} with a wrong checksum", n + 1);
            let e = analyse(30, &what, bad).unwrap_err();
            assert_clear(&e, &what);
            assert!(matches!(e.kind, ErrorKind::Corrupt | ErrorKind::NotAnImage), "{what}: {:?} {}", e.kind, e.message);
            assert!(e.message.contains("checksum"), "{what}: the error does not say what is wrong: {}", e.message);
        }
    }
}

#[test]
fn wrong_checksum_in_every_layer_header() {
    let ls = layers();
    let config = config_for(&ls);
    for (n, at) in headers(&ls[1]).into_iter().enumerate() {
        let mut bad = ls[1].clone();
        bad[at + 150] = if bad[at + 150] == b'1' { b'2' } else { b'1' };
        let what = format!("layer header {} with a wrong checksum", n + 1);
        let e = analyse(30, &what, docker_archive(&[ls[0].clone(), bad.clone()], &config)).unwrap_err();
        assert_clear(&e, &what);
        assert_eq!(e.kind, ErrorKind::Corrupt, "{what}: {}", e.message);
        assert!(e.message.contains("l1.tar"), "{what}: the error does not name the layer: {}", e.message);
        let what = format!("gzip {what}");
        let e = analyse(30, &what, docker_archive(&[ls[0].clone(), gzip(&bad)], &config)).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Corrupt, "{what}: {}", e.message);
    }
}
