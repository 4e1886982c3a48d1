//! Shared checks for the hostile-input tests: run an analysis on a small stack under a time limit and
//! insist on "a result or one clear error".
#![allow(dead_code)]

use layerlens_core::image::{analyze, AnalyzeOptions, ImageReport};
use layerlens_core::{Error, MemSource, Silent};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

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

/// Wraps a layer tar that the test has already built in a gzip stream made of raw deflate pieces, so a
/// test can repeat a piece many times without compressing gigabytes.
pub struct GzipPieces {
    body: Vec<u8>,
    crc: flate2::Crc,
}

impl Default for GzipPieces {
    fn default() -> Self {
        Self::new()
    }
}

impl GzipPieces {
    /// An empty stream.
    pub fn new() -> Self {
        GzipPieces { body: Vec::new(), crc: flate2::Crc::new() }
    }

    /// Appends `data` compressed as byte-aligned, non-final deflate blocks; returns the piece's bytes.
    pub fn piece(data: &[u8]) -> Vec<u8> {
        let mut c = flate2::Compress::new(flate2::Compression::best(), false);
        let mut out = Vec::with_capacity(data.len() / 100 + 1024);
        c.compress_vec(data, &mut out, flate2::FlushCompress::Full).unwrap();
        while c.total_in() < data.len() as u64 || out.len() == out.capacity() {
            out.reserve(1 << 16);
            let done = c.total_in() as usize;
            c.compress_vec(&data[done..], &mut out, flate2::FlushCompress::Full).unwrap();
        }
        out
    }

    /// Appends `data`.
    pub fn push(&mut self, data: &[u8]) {
        self.body.extend(Self::piece(data));
        self.crc.update(data);
    }

    /// Appends `times` copies of `data`, compressing it once.
    pub fn repeat(&mut self, data: &[u8], times: u64) {
        let piece = Self::piece(data);
        let mut one = flate2::Crc::new();
        one.update(data);
        for _ in 0..times {
            self.body.extend_from_slice(&piece);
            self.crc.combine(&one);
        }
    }

    /// The gzip member: header, the deflate pieces, a final empty block and the trailer.
    pub fn finish(self) -> Vec<u8> {
        let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
        out.extend(self.body);
        let mut c = flate2::Compress::new(flate2::Compression::best(), false);
        let mut tail = Vec::with_capacity(64);
        c.compress_vec(&[], &mut tail, flate2::FlushCompress::Finish).unwrap();
        out.extend(tail);
        out.extend(self.crc.sum().to_le_bytes());
        out.extend(self.crc.amount().to_le_bytes());
        out
    }
}

/// A ustar/GNU header block for a regular file of `size` bytes named `name`.
pub fn file_header(name: &str, size: u64) -> [u8; 512] {
    let mut h = tar::Header::new_gnu();
    h.set_path(name).unwrap();
    h.set_size(size);
    h.set_mode(0o644);
    h.set_mtime(0);
    h.set_entry_type(tar::EntryType::Regular);
    h.set_cksum();
    *h.as_bytes()
}

/// Peak resident memory of this process (VmHWM) in bytes, where Linux reports it.
pub fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Builds one layer tar with the tar crate (deterministic headers).
pub struct Layer {
    b: tar::Builder<Vec<u8>>,
}

impl Default for Layer {
    fn default() -> Self {
        Self::new()
    }
}

impl Layer {
    /// An empty layer.
    pub fn new() -> Self {
        Layer { b: tar::Builder::new(Vec::new()) }
    }

    fn header(kind: tar::EntryType, size: u64, mode: u32) -> tar::Header {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(kind);
        h.set_size(size);
        h.set_mode(mode);
        h.set_mtime(0);
        h
    }

    /// A regular file.
    pub fn file(mut self, path: &str, data: &[u8]) -> Self {
        let mut h = Self::header(tar::EntryType::Regular, data.len() as u64, 0o644);
        self.b.append_data(&mut h, path, data).unwrap();
        self
    }

    /// A directory.
    pub fn dir(mut self, path: &str) -> Self {
        let mut h = Self::header(tar::EntryType::Directory, 0, 0o755);
        self.b.append_data(&mut h, path, &[][..]).unwrap();
        self
    }

    /// A symbolic link.
    pub fn symlink(mut self, path: &str, target: &str) -> Self {
        let mut h = Self::header(tar::EntryType::Symlink, 0, 0o777);
        self.b.append_link(&mut h, path, target).unwrap();
        self
    }

    /// A hard link.
    pub fn hardlink(mut self, path: &str, target: &str) -> Self {
        let mut h = Self::header(tar::EntryType::Link, 0, 0o644);
        self.b.append_link(&mut h, path, target).unwrap();
        self
    }

    /// A whiteout for `path` (`dir/.wh.name`).
    pub fn whiteout(self, path: &str) -> Self {
        let (dir, name) = path.rsplit_once('/').map(|(d, n)| (format!("{d}/"), n)).unwrap_or((String::new(), path));
        self.file(&format!("{dir}.wh.{name}"), b"")
    }

    /// An entry whose 100-byte name field holds `name` verbatim (NUL, newlines, invalid UTF-8, `..`).
    pub fn raw_name(mut self, name: &[u8], data: &[u8]) -> Self {
        let mut h = Self::header(tar::EntryType::Regular, data.len() as u64, 0o644);
        let field = &mut h.as_old_mut().name;
        field.fill(0);
        field[..name.len()].copy_from_slice(name);
        h.set_cksum();
        self.b.append(&h, data).unwrap();
        self
    }

    /// A regular file whose name comes from a PAX `path` record, so it may hold any bytes and any length.
    pub fn pax_file(mut self, name: &[u8], data: &[u8]) -> Self {
        self.b.append_pax_extensions([("path", name)]).unwrap();
        let mut h = tar::Header::new_ustar();
        h.set_path("placeholder").unwrap();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        self.b.append(&h, data).unwrap();
        self
    }

    /// A raw header block followed by `data` (padded), for hand-made headers.
    pub fn raw(mut self, header: &tar::Header, data: &[u8]) -> Self {
        self.b.append(header, data).unwrap();
        self
    }

    /// The tar bytes, with the two zero blocks that end an archive.
    pub fn build(self) -> Vec<u8> {
        self.b.into_inner().unwrap()
    }
}

/// Hex SHA-256 of `data`.
pub fn sha(data: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(data).iter().map(|b| format!("{b:02x}")).collect()
}

/// gzip of `data`.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// zstd of `data`.
pub fn zstd(data: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(data, ruzstd::encoding::CompressionLevel::Fastest)
}

/// A config with one history step per layer and the layers' diff IDs.
pub fn config_for(layers: &[Vec<u8>]) -> Vec<u8> {
    let diff_ids: Vec<String> = layers.iter().map(|l| format!("sha256:{}", sha(l))).collect();
    let history: Vec<serde_json::Value> =
        (0..layers.len()).map(|i| serde_json::json!({"created_by": format!("/bin/sh -c step {i}")})).collect();
    serde_json::to_vec(&serde_json::json!({
        "architecture": "amd64",
        "os": "linux",
        "config": {},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": history,
    }))
    .unwrap()
}

/// An outer tar of `(path, bytes)` entries in order.
pub fn outer(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (p, d) in entries {
        let mut h = tar::Header::new_gnu();
        h.set_size(d.len() as u64);
        h.set_mode(0o644);
        h.set_mtime(0);
        b.append_data(&mut h, p, *d).unwrap();
    }
    b.into_inner().unwrap()
}

/// A docker-archive (skopeo/podman layout): `l<i>.tar` blobs as given, `config.json`, then `manifest.json`.
pub fn docker_archive(blobs: &[Vec<u8>], config: &[u8]) -> Vec<u8> {
    let names: Vec<String> = (0..blobs.len()).map(|i| format!("l{i}.tar")).collect();
    let manifest = serde_json::to_vec(
        &serde_json::json!([{"Config": "config.json", "RepoTags": ["hostile:test"], "Layers": names}]),
    )
    .unwrap();
    let mut entries: Vec<(&str, &[u8])> = names.iter().map(|n| n.as_str()).zip(blobs.iter().map(|b| &b[..])).collect();
    entries.push(("config.json", config));
    entries.push(("manifest.json", &manifest));
    outer(&entries)
}

/// A docker-archive of uncompressed `layers` with a matching config.
pub fn image_of(layers: &[Vec<u8>]) -> Vec<u8> {
    docker_archive(layers, &config_for(layers))
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

/// Deterministic pseudo-random bytes (xorshift32).
pub fn noise(n: usize, seed: u32) -> Vec<u8> {
    let mut x = seed.wrapping_mul(2654435761) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}
