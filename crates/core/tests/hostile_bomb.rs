//! Decompression bombs: a few megabytes of gzip that inflate to gigabytes, as file data, as a PAX
//! extended header and as a GNU long name. The analysis must either finish while its live heap stays
//! small, or stop at a documented limit with a clear `Limit` error. A counting allocator measures the
//! heap exactly; a lock makes the tests of this file run one at a time so nothing else allocates meanwhile.

mod hostile_common;

use hostile_common::{bomb_layer, bomb_mib, config_for, file_header, measured, measured_image, outer, GzipPieces};
use hostile_common::{Counting, HEAP_BUDGET, MIB};
use std::sync::Mutex;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Held by each test so the heap counters see one analysis at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

#[test]
fn data_bomb_keeps_the_heap_flat() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let data_size = bomb_mib(16) * MIB + 123;
    let what = format!("gzip bomb of {} MiB of file data", bomb_mib(16));
    let started = std::time::Instant::now();
    let (out, grew) = measured(&what, bomb_layer(&file_header("zeros", data_size), data_size));
    eprintln!("{what}: {:.1} s, heap growth {} KiB", started.elapsed().as_secs_f64(), grew >> 10);
    let report = out.expect("a file of zeros is a valid layer");
    assert_eq!(report.layers[0].content_bytes, data_size);
    assert!(report.layers[0].tar_bytes > data_size);
    assert!(grew < HEAP_BUDGET, "{what}: the heap grew by {} MiB", grew >> 20);
}

/// The whole archive is one gzip stream (as `docker save | gzip`) whose only layer is a plain tar holding
/// a file of zeros: the streamed reader must scan the layer on the way without keeping it.
#[test]
fn gzip_archive_bomb_keeps_the_heap_flat() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let data_size = bomb_mib(16) * MIB;
    let layer_size = 512 + data_size + 1024;
    let config = config_for(&[Vec::new()]);
    let manifest = br#"[{"Config":"config.json","RepoTags":["bomb:latest"],"Layers":["l0.tar"]}]"#;
    // The metadata entries, as a tar of their own without its end blocks, follow the layer.
    let tail = outer(&[("config.json", &config), ("manifest.json", manifest)]);
    let mut gz = GzipPieces::new();
    gz.push(&file_header("l0.tar", layer_size));
    gz.push(&file_header("zeros", data_size));
    gz.repeat(&vec![0u8; MIB as usize], bomb_mib(16));
    gz.push(&[0u8; 1024]);
    gz.push(&tail);
    let image = gz.finish();
    let what = format!("gzip archive with a {} MiB layer file", bomb_mib(16));
    let (report, grew) = measured_image(&what, image);
    let report = report.expect("a valid compressed archive");
    eprintln!("{what}: heap growth {} KiB", grew >> 10);
    assert_eq!(report.layers[0].content_bytes, data_size);
    assert!(grew < HEAP_BUDGET, "{what}: the heap grew by {} MiB", grew >> 20);
}
