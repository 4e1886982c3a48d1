//! Header bombs: a few kilobytes of gzip that inflate to a PAX extended header or a GNU long name of
//! hundreds of megabytes. The analysis must stop at a documented limit with a clear `Limit` error (or
//! finish) while its live heap stays small. A counting allocator measures the
//! heap exactly; a lock makes the tests of this file run one at a time so nothing else allocates meanwhile.

mod hostile_common;

use hostile_common::{assert_clear, bomb_layer, bomb_mib, measured, Counting, HEAP_BUDGET, MIB};
use layerlens_core::ErrorKind;
use std::sync::Mutex;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Held by each test so the heap counters see one analysis at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

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
    let size = bomb_mib(24) * MIB;
    for (what, header) in [
        (format!("a {} MiB PAX extended header", bomb_mib(24)), pax_header(size)),
        (format!("a {} MiB GNU long name", bomb_mib(24)), gnu_long_name(size)),
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
