//! A layer tar cut exactly between two entries reads as a valid, shorter tar; the engine must not report
//! the shorter layer as if it were the whole one.

mod hostile_common;

use hostile_common::{analyse, assert_clear, comparable, config_for, docker_archive, Layer};
use std::io::Cursor;

fn layers() -> Vec<Vec<u8>> {
    vec![
        Layer::new().dir("etc").file("etc/os-release", b"ID=test\n").file("bin/tool", &[7u8; 1500]).build(),
        Layer::new().file("etc/os-release", b"ID=changed\n").whiteout("bin/tool").file("app/data", &[1u8; 700]).build(),
    ]
}

fn with_second_layer_blob(blob: Vec<u8>) -> Vec<u8> {
    let ls = layers();
    docker_archive(&[ls[0].clone(), blob], &config_for(&ls))
}

fn header_offsets(tar_bytes: &[u8]) -> Vec<usize> {
    let mut a = tar::Archive::new(Cursor::new(tar_bytes));
    a.entries_with_seek().unwrap().map(|e| e.unwrap().raw_header_position() as usize).collect()
}

#[test]
fn plain_layer_cut_between_entries_is_not_silent() {
    let layer = layers()[1].clone();
    let full = comparable(&analyse(30, "whole plain layer", with_second_layer_blob(layer.clone())).unwrap());
    for cut in header_offsets(&layer).into_iter().skip(1) {
        let what = format!("plain layer cut between entries at byte {cut} of {}", layer.len());
        match analyse(30, &what, with_second_layer_blob(layer[..cut].to_vec())) {
            Ok(r) => {
                let same = comparable(&r) == full;
                assert!(same || !r.warnings.is_empty(), "{what}: fewer files reported with no warning");
            }
            Err(e) => assert_clear(&e, &what),
        }
    }
}
