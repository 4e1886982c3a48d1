//! Shared checks for the hostile-input tests: run an analysis on a small stack under a time limit and
//! insist on "a result or one clear error". The archive builders come from the shared `layerlens-testkit` crate.
#![allow(dead_code)]

use layerlens_core::image::{analyze, AnalyzeOptions, ImageReport};
use layerlens_core::{Error, MemSource, Silent};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

#[allow(unused_imports)]
pub use layerlens_testkit::{
    config_for, docker_archive, file_header, gzip, image_of, noise, outer, sha, zstd, GzipPieces, Layer,
};

/// A two-layer stack: the second layer changes a file, removes another and adds a third.
pub fn two_layers() -> Vec<Vec<u8>> {
    vec![
        Layer::new().dir("etc").file("etc/os-release", b"ID=test\n").file("bin/tool", &[7u8; 1500]).build(),
        Layer::new().file("etc/os-release", b"ID=changed\n").whiteout("bin/tool").file("app/data", &[1u8; 700]).build(),
    ]
}

/// A DockerArchive of [`two_layers`] whose second layer blob is `blob` verbatim (sizes consistent in the outer tar).
pub fn with_second_layer_blob(blob: Vec<u8>) -> Vec<u8> {
    let ls = two_layers();
    docker_archive(&[ls[0].clone(), blob], &config_for(&ls))
}

/// The offsets of `tar_bytes` at which a header block starts (where a cut looks like a clean end of archive).
pub fn header_offsets(tar_bytes: &[u8]) -> Vec<usize> {
    let mut a = tar::Archive::new(std::io::Cursor::new(tar_bytes));
    a.entries_with_seek().unwrap().map(|e| e.unwrap().raw_header_position() as usize).collect()
}

/// The stack the analysis runs on: the 1 MiB a wasm32 module gets by default, so deep recursion that
/// would overflow in the browser fails here too.
pub const WASM_STACK: usize = 1 << 20;

/// Runs `f` on a thread with a 1 MiB stack and fails the test when it panics or takes over `secs` seconds.
pub fn bounded<T: Send + 'static>(secs: u64, what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name(what.to_string())
        .stack_size(WASM_STACK)
        .spawn(move || {
            let _ = tx.send(f());
        })
        .unwrap();
    match rx.recv_timeout(Duration::from_secs(secs)) {
        Ok(v) => v,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what}: no answer within {secs} s (a hang)"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what}: the analysis panicked"),
    }
}

/// Analyses `bytes` with default options on a bounded thread.
pub fn analyse(secs: u64, what: &str, bytes: Vec<u8>) -> Result<ImageReport, Error> {
    bounded(secs, what, move || analyze(&MemSource::new(bytes), &AnalyzeOptions::default(), &mut Silent))
}

/// Asserts that `err` is one clear sentence: not empty, one line, and not a bare library message.
pub fn assert_clear(err: &Error, what: &str) {
    let m = &err.message;
    assert!(!m.trim().is_empty(), "{what}: empty error message ({:?})", err.kind);
    assert!(!m.contains('\n'), "{what}: the error spans several lines: {m:?}");
    assert!(m.len() < 2_000, "{what}: the error message is {} bytes long", m.len());
}

/// A report as JSON without the byte counts of the input (archive size, stored and tar bytes per layer),
/// so the reports of inputs that differ only in padding or trailers compare equal.
pub fn comparable(r: &ImageReport) -> serde_json::Value {
    let mut v = serde_json::to_value(r).unwrap();
    v["archive"]["bytes"] = serde_json::Value::Null;
    for layer in v["layers"].as_array_mut().unwrap() {
        layer["stored_bytes"] = serde_json::Value::Null;
        layer["tar_bytes"] = serde_json::Value::Null;
    }
    v
}

/// Whether `r` is the report `full` (from [`comparable`]) except that integrity checks failed and said so in
/// warnings: what a damaged input that still reads gives.
pub fn same_but_flagged(r: &ImageReport, full: &serde_json::Value) -> bool {
    let strip = |mut v: serde_json::Value| {
        v["warnings"] = serde_json::Value::Null;
        v["integrity"] = serde_json::Value::Null;
        v
    };
    r.integrity.failed > 0 && !r.warnings.is_empty() && strip(comparable(r)) == strip(full.clone())
}

/// Peak resident memory of this process (VmHWM) in bytes, where Linux reports it.
pub fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// A global allocator that forwards to the system allocator and counts live and peak heap bytes;
/// a test binary registers it with `#[global_allocator]`.
pub struct Counting;

/// Heap bytes currently allocated.
pub static LIVE: AtomicUsize = AtomicUsize::new(0);
/// The most heap bytes allocated at once since the last reset.
pub static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            let now = LIVE.fetch_add(new_size, Ordering::Relaxed) + new_size;
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
}

/// What one Dockerfile produced: its instructions, parse problems, model problems and lint findings.
#[derive(Debug)]
pub struct DockerfileOutcome {
    pub instructions: usize,
    pub parse_errors: usize,
    pub model_problems: usize,
    pub findings: usize,
}

/// Parses, dumps, models and lints `text` on the small stack within `secs`, checking that every problem
/// and finding has a message and a span inside the text.
pub fn analyse_dockerfile(secs: u64, what: &str, text: String) -> DockerfileOutcome {
    use layerlens_core::dockerfile::{dump, model, parse, BuildArgs};
    use layerlens_core::lint::{lint, Config};
    bounded(secs, what, move || {
        let parsed = parse(&text);
        let _ = dump(&parsed.syntax);
        let m = model(&parsed, &BuildArgs::default());
        let findings = lint(&text, &parsed.syntax, &Config::default());
        for f in &findings {
            assert!(f.span.start <= f.span.end && f.span.end <= text.len(), "finding span out of the text: {f:?}");
            assert!(!f.message.is_empty());
        }
        for p in parsed.problems.iter().chain(&m.problems) {
            assert!(!p.message.is_empty() && p.span.end <= text.len(), "bad problem {p:?}");
        }
        DockerfileOutcome {
            instructions: parsed.syntax.instructions.len(),
            parse_errors: parsed.problems.len(),
            model_problems: m.problems.len(),
            findings: findings.len(),
        }
    })
}

pub const MIB: u64 = 1 << 20;

/// The live heap may grow by this much over the input itself while a bomb is analysed.
pub const HEAP_BUDGET: usize = 64 << 20;

/// A gzip layer: `header` (one 512-byte block), then `size` zero bytes as its data, then the tar end.
pub fn bomb_layer(header: &[u8], size: u64) -> Vec<u8> {
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
pub fn measured(what: &str, layer: Vec<u8>) -> (Result<ImageReport, Error>, usize) {
    let config = config_for(&[Vec::new()]);
    measured_image(what, docker_archive(&[layer], &config))
}

/// Analyses `image` and returns the outcome with the heap growth it caused beyond the image itself.
pub fn measured_image(what: &str, image: Vec<u8>) -> (Result<ImageReport, Error>, usize) {
    let base = LIVE.load(Ordering::Relaxed) + image.len();
    PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
    let out = analyse(300, what, image);
    let grew = PEAK.load(Ordering::Relaxed).saturating_sub(base);
    (out, grew)
}

/// The bomb size in MiB: `default`, small so the debug-build test takes seconds, unless `LAYERLENS_BOMB_MIB`
/// asks for more (to inflate gigabytes in a release build).
pub fn bomb_mib(default: u64) -> u64 {
    std::env::var("LAYERLENS_BOMB_MIB").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}
