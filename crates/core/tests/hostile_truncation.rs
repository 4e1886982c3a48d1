//! Truncated inputs, cut at every byte: the outer tar (headers, manifest.json, layers), a gzip-compressed
//! outer archive, a gzip layer blob and a plain layer tar. Each cut must give one clear error, or, when
//! nothing the image needs was lost, exactly the report of the whole input.

mod hostile_common;

use hostile_common::{
    analyse, assert_clear, comparable, config_for, docker_archive, gzip, header_offsets, same_but_flagged, two_layers,
    with_second_layer_blob,
};
use std::io::Cursor;

/// The archive (layers gzip-compressed when `gz`) and the offset where the data of its last entry ends.
fn small_archive(gz: bool) -> (Vec<u8>, u64) {
    let ls = two_layers();
    let blobs: Vec<Vec<u8>> = ls.iter().map(|l| if gz { gzip(l) } else { l.clone() }).collect();
    let bytes = docker_archive(&blobs, &config_for(&ls));
    let mut end = 0;
    let mut a = tar::Archive::new(Cursor::new(&bytes[..]));
    for e in a.entries_with_seek().unwrap() {
        let e = e.unwrap();
        end = end.max(e.raw_file_position() + e.size());
    }
    (bytes, end)
}

#[test]
fn outer_tar_cut_at_every_byte() {
    let (bytes, needed) = small_archive(true);
    let full = comparable(&analyse(30, "whole archive", bytes.clone()).unwrap());
    for cut in 0..bytes.len() {
        let what = format!("outer tar cut at byte {cut} of {}", bytes.len());
        match analyse(30, &what, bytes[..cut].to_vec()) {
            Ok(r) => {
                assert!(cut as u64 >= needed, "{what}: analysed although data up to byte {needed} is needed");
                assert_eq!(comparable(&r), full, "{what}: a different report from a cut archive");
            }
            Err(e) => assert_clear(&e, &what),
        }
    }
}

#[test]
fn outer_tar_cut_inside_manifest_json_names_the_problem() {
    let (bytes, _) = small_archive(false);
    let mut a = tar::Archive::new(Cursor::new(&bytes[..]));
    let m = a
        .entries_with_seek()
        .unwrap()
        .map(|e| e.unwrap())
        .find(|e| e.path_bytes().as_ref() == b"manifest.json")
        .map(|e| (e.raw_file_position(), e.size()))
        .unwrap();
    for cut in m.0..m.0 + m.1 {
        let what = format!("cut at byte {cut} inside manifest.json");
        let e = analyse(30, &what, bytes[..cut as usize].to_vec()).unwrap_err();
        assert_clear(&e, &what);
        assert_eq!(e.kind, layerlens_core::ErrorKind::Truncated, "{what}: {}", e.message);
        assert!(e.message.contains("manifest.json"), "{what}: the error does not name the entry: {}", e.message);
    }
}

#[test]
fn gzip_outer_archive_cut_at_every_byte() {
    let (plain, _) = small_archive(false);
    let gz = gzip(&plain);
    let full = comparable(&analyse(30, "whole gzip archive", gz.clone()).unwrap());
    for cut in 0..gz.len() {
        let what = format!("gzip outer archive cut at byte {cut} of {}", gz.len());
        match analyse(30, &what, gz[..cut].to_vec()) {
            Ok(r) => assert_eq!(comparable(&r), full, "{what}: a different report from a cut archive"),
            Err(e) => assert_clear(&e, &what),
        }
    }
}

#[test]
fn gzip_layer_cut_at_every_byte() {
    let layer = two_layers()[1].clone();
    let gz = gzip(&layer);
    let full = comparable(&analyse(30, "whole gzip layer", with_second_layer_blob(gz.clone())).unwrap());
    for cut in 2..gz.len() {
        let what = format!("gzip layer cut at byte {cut} of {}", gz.len());
        match analyse(30, &what, with_second_layer_blob(gz[..cut].to_vec())) {
            Ok(r) => assert_eq!(comparable(&r), full, "{what}: a different report from a cut layer"),
            Err(e) => assert_clear(&e, &what),
        }
    }
}

#[test]
fn plain_layer_cut_inside_entries() {
    let layer = two_layers()[1].clone();
    let starts = header_offsets(&layer);
    let full = comparable(&analyse(30, "whole plain layer", with_second_layer_blob(layer.clone())).unwrap());
    for cut in 1..layer.len() {
        if starts.contains(&cut) {
            // A cut exactly between two entries reads as a shorter, valid tar: see the next test.
            continue;
        }
        let what = format!("plain layer cut at byte {cut} of {}", layer.len());
        match analyse(30, &what, with_second_layer_blob(layer[..cut].to_vec())) {
            // A cut inside the end-of-archive marker loses no entry, but the layer no longer matches its diff ID
            // and ends without the marker: the same report, with failed integrity checks and their warnings.
            Ok(r) => assert!(
                comparable(&r) == full || same_but_flagged(&r, &full),
                "{what}: a different report from a cut layer"
            ),
            Err(e) => assert_clear(&e, &what),
        }
    }
}
