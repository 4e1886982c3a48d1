//! Browser tests, run inside a dedicated worker as the analysis is:
//! `CHROMEDRIVER=/usr/bin/chromedriver CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!  cargo test --target wasm32-unknown-unknown --test web`.

#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Uint8Array};
use layerlens_core::{Silent, Source, SourceReader};
use layerlens_web::blob_source::{BlobSource, RANDOM_PIECE, SEQUENTIAL_PIECE};
use layerlens_web::protocol::{Reply, Request};
use std::io::Read;
use wasm_bindgen_test::*;
use web_sys::Blob;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

const SAMPLE: &[u8] = include_bytes!("../www/samples/sample.tar");

fn blob(bytes: &[u8]) -> Blob {
    let parts = Array::new();
    parts.push(&Uint8Array::from(bytes));
    Blob::new_with_u8_array_sequence(&parts).unwrap()
}

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

#[wasm_bindgen_test]
fn reads_any_range_of_a_blob() {
    let data = pattern(SEQUENTIAL_PIECE + 3 * RANDOM_PIECE + 17);
    let source = BlobSource::new(blob(&data)).unwrap();
    assert_eq!(source.len(), data.len() as u64);
    for &(offset, len) in &[(0usize, 10usize), (RANDOM_PIECE - 5, 10), (data.len() - 3, 10), (12_345, 100_000)] {
        let mut buf = vec![0u8; len];
        let mut got = 0;
        while got < len {
            let n = source.read_at((offset + got) as u64, &mut buf[got..]).unwrap();
            if n == 0 {
                break;
            }
            got += n;
        }
        let want = &data[offset..(offset + len).min(data.len())];
        assert_eq!(&buf[..got], want, "range at {offset}");
    }
    assert_eq!(source.read_at(data.len() as u64, &mut [0u8; 4]).unwrap(), 0);
}

#[wasm_bindgen_test]
fn sequential_reading_uses_few_large_slices() {
    let data = pattern(3 * SEQUENTIAL_PIECE);
    let source = BlobSource::new(blob(&data)).unwrap();
    let mut reader = SourceReader::with_range(&source, 0, data.len() as u64, 64 * 1024);
    let mut out = Vec::new();
    reader.read_to_end(&mut out).unwrap();
    assert_eq!(out, data);
    // One small piece to start, then pieces of SEQUENTIAL_PIECE bytes: never one slice per 64 KiB read.
    assert!(source.slices_read() <= 5, "read {} slices", source.slices_read());
}

#[wasm_bindgen_test]
fn small_reads_across_piece_ends_come_straight_from_the_window() {
    let data = pattern(2 * SEQUENTIAL_PIECE + 1000);
    let source = BlobSource::new(blob(&data)).unwrap();
    // The reader keeps no buffer of its own over the window, so tar-sized reads cross every piece end exactly.
    assert!(source.is_buffered());
    let mut reader = SourceReader::with_range(&source, 0, data.len() as u64, 1 << 20);
    let mut out = Vec::with_capacity(data.len());
    let mut block = [0u8; 512];
    loop {
        let n = reader.read(&mut block).unwrap();
        if n == 0 {
            break;
        }
        out.extend_from_slice(&block[..n]);
    }
    assert_eq!(out, data);
    assert!(source.slices_read() <= 4, "read {} slices", source.slices_read());
}

#[wasm_bindgen_test]
fn a_small_piece_after_a_large_one_serves_only_its_own_bytes() {
    let data = pattern(2 * SEQUENTIAL_PIECE + 100);
    let source = BlobSource::new(blob(&data)).unwrap();
    let mut reader = SourceReader::with_range(&source, 0, SEQUENTIAL_PIECE as u64, 1 << 20);
    let mut first = Vec::new();
    reader.read_to_end(&mut first).unwrap();
    assert_eq!(first, data[..SEQUENTIAL_PIECE]);
    // A read near the end loads a short piece into the reused window; the rest of the window is stale.
    let mut buf = vec![0u8; 1000];
    let n = source.read_at(data.len() as u64 - 40, &mut buf).unwrap();
    assert_eq!(&buf[..n], &data[data.len() - 40..]);
    // A read at a random offset inside the file after that comes from the file, not from the stale window.
    let n = source.read_at(7, &mut buf).unwrap();
    assert_eq!(&buf[..n], &data[7..7 + n]);
    assert!(n > 0);
}

#[wasm_bindgen_test]
fn the_sample_is_indexed_through_a_blob() {
    let source = BlobSource::new(blob(SAMPLE)).unwrap();
    let options = layerlens_web::report::page_options(None, None);
    let report = layerlens_web::report::analyze(&source, &options, &mut Silent).unwrap();
    assert_eq!(report.analysis.archive.bytes, SAMPLE.len() as u64);
    assert_eq!(report.analysis.image.tags, ["layerlens/sample:1.0"]);
    assert_eq!(report.analysis.layers.len(), 6);
}

#[wasm_bindgen_test]
fn a_request_keeps_its_blob_across_the_protocol() {
    let options = layerlens_web::report::page_options(Some(1), Some("linux/arm64".into()));
    let request = Request::Analyze { name: "x.tar".into(), blob: blob(b"hello"), options: options.clone() };
    let decoded = Request::from_js(request.to_js().unwrap()).unwrap();
    let Request::Analyze { name, blob, options: got } = decoded else { panic!("not an analyze request") };
    assert_eq!(name, "x.tar");
    assert_eq!(blob.size(), 5.0);
    assert_eq!(got, options);
    let reply = Reply::Progress(layerlens_core::Progress { bytes_done: 4, bytes_total: 5 });
    assert_eq!(Reply::from_js(&reply.to_js()).unwrap(), reply);
}
