//! Header bombs: a few kilobytes of gzip that inflate to a PAX extended header or a GNU long name of
//! hundreds of megabytes. The analysis must stop at a documented limit with a clear `Limit` error (or
//! finish) while its live heap stays small. A counting allocator measures the
//! heap exactly; a lock makes the tests of this file run one at a time so nothing else allocates meanwhile.

mod hostile_common;

use hostile_common::{analyse, assert_clear, config_for, docker_archive, GzipPieces};
use hostile_common::{Counting, LIVE, PEAK};
use layerlens_core::ErrorKind;
use std::sync::atomic::Ordering;
use std::sync::Mutex;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Held by each test so the heap counters see one analysis at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

const MIB: u64 = 1 << 20;

/// The live heap may grow by this much over the input itself while a bomb is analysed.
const HEAP_BUDGET: usize = 64 << 20;

/// A gzip layer: `header` (one 512-byte block), then `size` zero bytes as its data, then the tar end.
fn bomb_layer(header: &[u8], size: u64) -> Vec<u8> {
    let mut gz = GzipPieces::new();
    gz.push(header);
    let chunk = vec![0u8; MIB as usize];
    gz.repeat(&chunk, size / MIB);
    let rest = (size % MIB) as usize;
    let pad = (512 - (size % 512) as usize) % 512;
    gz.push(&vec![0u8; rest + pad + 1024]);
    gz.finish()
}

/// Analyses an image whose only layer is `layer` and returns the outcome with the heap growth it caused.
fn measured(what: &str, layer: Vec<u8>) -> (Result<layerlens_core::image::ImageReport, layerlens_core::Error>, usize) {
    let config = config_for(&[Vec::new()]);
    let image = docker_archive(&[layer], &config);
    let base = LIVE.load(Ordering::Relaxed) + image.len();
    PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
    let out = analyse(300, what, image);
    let grew = PEAK.load(Ordering::Relaxed).saturating_sub(base);
    (out, grew)
}

/// The bomb size in MiB: small by default so the debug-build test takes seconds; `cargo xtask stress`
/// sets `LAYERLENS_BOMB_MIB` to inflate gigabytes in a release build.
fn bomb_mib() -> u64 {
    std::env::var("LAYERLENS_BOMB_MIB").ok().and_then(|v| v.parse().ok()).unwrap_or(24)
}

fn pax_header(size: u64) -> Vec<u8> {
    let mut h = tar::Header::new_ustar();
    h.set_path("PaxHeaders/bomb").unwrap();
    h.set_entry_type(tar::EntryType::XHeader);
    h.set_size(size);
    h.set_mode(0o644);
    h.set_cksum();
    h.as_bytes().to_vec()
}

fn gnu_long_name(size: u64) -> Vec<u8> {
    let mut h = tar::Header::new_gnu();
    h.as_gnu_mut().unwrap().name[..13].copy_from_slice(b"././@LongLink");
    h.set_entry_type(tar::EntryType::GNULongName);
    h.set_size(size);
    h.set_mode(0o644);
    h.set_cksum();
    h.as_bytes().to_vec()
}

#[test]
fn header_bombs_stop_at_a_limit() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let size = bomb_mib() * MIB;
    for (what, header) in [
        (format!("a {} MiB PAX extended header", bomb_mib()), pax_header(size)),
        (format!("a {} MiB GNU long name", bomb_mib()), gnu_long_name(size)),
    ] {
        let what = what.as_str();
        let (out, grew) = measured(what, bomb_layer(&header, size));
        eprintln!("{what}: heap growth {} KiB", grew >> 10);
        match out {
            Ok(_) => {}
            Err(e) => {
                assert_clear(&e, what);
                assert_eq!(e.kind, ErrorKind::Limit, "{what}: {}", e.message);
            }
        }
        assert!(grew < HEAP_BUDGET, "{what}: the heap grew by {} MiB", grew >> 20);
    }
}
