//! Streaming one layer tarball into a compact list of entries: metadata, a content hash per regular
//! file and any captured bytes. Memory grows with the number of entries, never with their sizes.

use super::capture::{self, CaptureOptions};
use super::compress::{self, Counted, Decoder};
use super::report::Compression;
use super::verify::{Digest, Hashed};
use super::{AnalyzeOptions, Progressor};
use crate::tar_guard::{self, TarGuard};
use crate::{Error, ErrorKind, Result};
use std::cell::Cell;
use std::io::{self, Read};
use std::rc::Rc;
use xxhash_rust::xxh3::Xxh3;

/// What a layer entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A regular file (including sparse and contiguous files).
    File,
    /// A directory.
    Dir,
    /// A symbolic link.
    Symlink,
    /// A hard link.
    Hardlink,
    /// A device, FIFO or other special file.
    Other,
}

/// Flags of a [`ScanEntry`].
pub mod flags {
    /// The path is absolute or climbs out of the root with `..`; the merged model refuses it.
    pub const ESCAPES: u8 = 1;
    /// An estargz table-of-contents or landmark entry, not part of the filesystem.
    pub const STARGZ_META: u8 = 2;
}

/// One entry of a layer tar after PAX and GNU extensions were applied.
#[derive(Debug, Clone)]
pub struct ScanEntry {
    /// The path cleaned as Go's `path.Clean` does (as dive sees it), raw bytes.
    pub path: Box<[u8]>,
    /// The entry kind.
    pub kind: Kind,
    /// The entry size as the header states it (the logical size for sparse files).
    pub size: u64,
    /// The mode bits.
    pub mode: u32,
    /// The link target of links.
    pub link: Option<Box<[u8]>>,
    /// XXH3-128 of a regular file's content (for duplicate and unchanged-content detection).
    pub hash: Option<u128>,
    /// Captured leading bytes (see `CaptureOptions`).
    pub capture: Option<Box<[u8]>>,
    /// The first 64 bytes of an ELF executable.
    pub elf: Option<Box<[u8]>>,
    /// Bits from [`flags`].
    pub flags: u8,
}

/// The result of reading one layer.
#[derive(Debug, Clone)]
pub struct LayerScan {
    /// Entries in tar order.
    pub entries: Vec<ScanEntry>,
    /// Compression of the stored blob.
    pub compression: Compression,
    /// Bytes of the stored blob.
    pub stored_bytes: u64,
    /// Bytes of uncompressed tar read.
    pub tar_bytes: u64,
    /// Whether the layer holds a PAX global header (dive 0.13.1 refuses such layers).
    pub pax_global: bool,
    /// Whether the tar ended with its end-of-archive marker (two zero blocks) rather than just stopping.
    pub tar_end: bool,
    /// SHA-256 of the stored blob, when digests are verified.
    pub blob_sha256: Option<Digest>,
    /// SHA-256 of the uncompressed tar stream (the layer's diff ID), when digests are verified.
    pub tar_sha256: Option<Digest>,
    /// Problems met that did not stop the reading.
    pub warnings: Vec<String>,
}

/// Settings and reusable state for reading layers.
pub struct Scanner<'a> {
    /// What to capture.
    pub capture: &'a CaptureOptions,
    /// Whether to compute the SHA-256 of each blob and of its uncompressed tar.
    pub verify_digests: bool,
    buf: Vec<u8>,
    /// ELF head bytes that may still be kept (see [`capture::ELF_HEAD_BUDGET`]).
    elf_budget: usize,
}

impl<'a> Scanner<'a> {
    /// A scanner for `options` with a 1 MiB read buffer reused for every file (as large as the source
    /// reader's buffer, so big files are read straight from the source without an extra copy).
    pub fn new(options: &'a AnalyzeOptions) -> Self {
        Scanner {
            capture: &options.capture,
            verify_digests: options.verify_digests,
            buf: vec![0; 1 << 20],
            elf_budget: capture::ELF_HEAD_BUDGET,
        }
    }

    /// Reads the layer blob from `reader` (compressed or not), naming it `name` in errors.
    pub fn scan<R: Read>(
        &mut self,
        reader: R,
        stored_bytes: u64,
        name: &str,
        progress: &mut Progressor<'_>,
    ) -> Result<LayerScan> {
        let blob_hash = Hashed::new(reader, self.verify_digests);
        let blob_digest = blob_hash.digest();
        let (head, reader) = compress::peek(blob_hash).map_err(|e| layer_error(&e, name))?;
        let compression = compress::detect(&head);
        let decoder = Decoder::new(reader, compression).map_err(|e| layer_error(&e, name))?;
        let tar_count = Rc::new(Cell::new(0u64));
        let counted = Counted::new(decoder, tar_count.clone());
        // An uncompressed blob is its own tar stream: one hash serves as both digests.
        let tar_hash = Hashed::new(counted, self.verify_digests && compression != Compression::None);
        let tar_digest = tar_hash.digest();
        // The guard refuses oversized PAX and GNU long-name headers and sees whether the tar really ended.
        let mut archive = tar::Archive::new(TarGuard::new(tar_hash));
        let mut out = LayerScan {
            entries: Vec::new(),
            compression,
            stored_bytes,
            tar_bytes: 0,
            pax_global: false,
            tar_end: false,
            blob_sha256: None,
            tar_sha256: None,
            warnings: Vec::new(),
        };
        let entries = archive.entries().map_err(|e| layer_error(&e, name))?;
        for entry in entries {
            let entry = entry.map_err(|e| layer_error(&e, name))?;
            self.entry(entry, compression, &mut out, progress).map_err(|e| match e {
                EntryError::Io(e) => layer_error(&e, name),
                EntryError::Stop(e) => e,
            })?;
            progress.tick()?;
        }
        if out.entries.is_empty() && tar_count.get() == 0 {
            return Err(Error::new(ErrorKind::Corrupt, format!("layer {name} is empty: it holds no tar data")));
        }
        out.tar_bytes = tar_count.get();
        let mut rest = archive.into_inner();
        // Reading the stream to its end checks the compression trailer (gzip CRC and length, zstd checksums),
        // passes the end-of-archive marker through the guard and completes the digests.
        io::copy(&mut rest, &mut io::sink()).map_err(|e| layer_error(&e, name))?;
        out.tar_end = rest.ended();
        out.blob_sha256 = blob_digest.finish();
        out.tar_sha256 = if compression == Compression::None { out.blob_sha256 } else { tar_digest.finish() };
        Ok(out)
    }

    fn entry<R: Read>(
        &mut self,
        mut entry: tar::Entry<'_, R>,
        compression: Compression,
        out: &mut LayerScan,
        progress: &mut Progressor<'_>,
    ) -> Result<(), EntryError> {
        let ty = entry.header().entry_type();
        if ty == tar::EntryType::XGlobalHeader {
            out.pax_global = true;
            return Ok(());
        }
        let mut raw = entry.path_bytes().into_owned();
        let mut size = entry.size();
        // PAX format 1.0 sparse files carry their real name and size in GNU.sparse.* records.
        if let Some(exts) = entry.pax_extensions()? {
            for ext in exts.flatten() {
                match ext.key_bytes() {
                    b"GNU.sparse.name" => raw = ext.value_bytes().to_vec(),
                    b"GNU.sparse.realsize" | b"GNU.sparse.size" => {
                        if let Some(n) = std::str::from_utf8(ext.value_bytes()).ok().and_then(|s| s.parse().ok()) {
                            size = n;
                        }
                    }
                    _ => {}
                }
            }
        }
        let header = entry.header();
        let kind = match ty {
            tar::EntryType::Regular if header.as_bytes()[156] == 0 && raw.ends_with(b"/") => Kind::Dir,
            tar::EntryType::Regular | tar::EntryType::Continuous | tar::EntryType::GNUSparse => Kind::File,
            tar::EntryType::Directory => Kind::Dir,
            tar::EntryType::Symlink => Kind::Symlink,
            tar::EntryType::Link => Kind::Hardlink,
            _ => Kind::Other,
        };
        let path = go_clean(&raw);
        if path == b"." {
            return Ok(());
        }
        let mut flag = 0;
        if path.starts_with(b"/") || path == b".." || path.starts_with(b"../") {
            flag |= flags::ESCAPES;
            out.warnings
                .push(format!("refused entry {:?}: it points outside the image root", String::from_utf8_lossy(&raw)));
        }
        if compression == Compression::Gzip
            && matches!(&path[..], b"stargz.index.json" | b".prefetch.landmark" | b".no.prefetch.landmark")
        {
            flag |= flags::STARGZ_META;
        }
        let mode = header.mode().unwrap_or(0);
        let link = entry.link_name_bytes().map(|l| l.into_owned().into_boxed_slice());
        let mut hash = None;
        let mut capture = None;
        let mut elf = None;
        if kind == Kind::File {
            let want_capture = self.capture.max_bytes > 0 && flag == 0 && self.capture.matches(&path);
            let want_elf =
                self.capture.elf_headers && self.elf_budget > 0 && size >= 64 && capture::elf_candidate(&path, mode);
            let mut hasher = Xxh3::new();
            let mut kept: Vec<u8> = Vec::new();
            let mut head: Vec<u8> = Vec::new();
            loop {
                let n = entry.read(&mut self.buf)?;
                if n == 0 {
                    break;
                }
                progress.tick().map_err(EntryError::Stop)?;
                let chunk = &self.buf[..n];
                hasher.update(chunk);
                if want_capture && kept.len() < self.capture.max_bytes {
                    let take = (self.capture.max_bytes - kept.len()).min(n);
                    kept.extend_from_slice(&chunk[..take]);
                }
                if want_elf && head.len() < capture::ELF_HEAD_BYTES.min(self.elf_budget) {
                    let take = (capture::ELF_HEAD_BYTES.min(self.elf_budget) - head.len()).min(n);
                    head.extend_from_slice(&chunk[..take]);
                }
            }
            if head.len() >= 64 && head.starts_with(b"\x7fELF") {
                self.elf_budget = self.elf_budget.saturating_sub(head.len());
                elf = Some(head.into_boxed_slice());
            }
            hash = Some(hasher.digest128());
            if want_capture {
                capture = Some(kept.into_boxed_slice());
            }
        }
        out.entries.push(ScanEntry {
            path: path.into_boxed_slice(),
            kind,
            size,
            mode,
            link,
            hash,
            capture,
            elf,
            flags: flag,
        });
        Ok(())
    }
}

/// Why reading one entry stopped: bad data, or the observer cancelled.
enum EntryError {
    Io(io::Error),
    Stop(Error),
}

impl From<io::Error> for EntryError {
    fn from(e: io::Error) -> Self {
        EntryError::Io(e)
    }
}

fn layer_error(e: &io::Error, name: &str) -> Error {
    if let Some(err) = tar_guard::limit_error(e, &format!("reading layer {name}")) {
        return err;
    }
    let mut err = Error::from_io(e, &format!("reading layer {name}"));
    if err.kind == ErrorKind::Io {
        // The tar crate reports malformed headers as generic errors; they mean damaged data.
        err.kind = ErrorKind::Corrupt;
    }
    err
}

/// Cleans a path exactly as Go's `path.Clean` does, on raw bytes.
pub fn go_clean(path: &[u8]) -> Vec<u8> {
    if path.is_empty() {
        return b".".to_vec();
    }
    let rooted = path[0] == b'/';
    let n = path.len();
    let mut out: Vec<u8> = Vec::with_capacity(n);
    let mut r = 0;
    let mut dotdot = 0;
    if rooted {
        out.push(b'/');
        r = 1;
        dotdot = 1;
    }
    while r < n {
        if path[r] == b'/' || (path[r] == b'.' && (r + 1 == n || path[r + 1] == b'/')) {
            r += 1;
        } else if path[r] == b'.' && r + 1 < n && path[r + 1] == b'.' && (r + 2 == n || path[r + 2] == b'/') {
            r += 2;
            if out.len() > dotdot {
                let mut w = out.len() - 1;
                while w > dotdot && out[w] != b'/' {
                    w -= 1;
                }
                out.truncate(w);
            } else if !rooted {
                if !out.is_empty() {
                    out.push(b'/');
                }
                out.extend_from_slice(b"..");
                dotdot = out.len();
            }
        } else {
            if (rooted && out.len() != 1) || (!rooted && !out.is_empty()) {
                out.push(b'/');
            }
            while r < n && path[r] != b'/' {
                out.push(path[r]);
                r += 1;
            }
        }
    }
    if out.is_empty() {
        return b".".to_vec();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_like_go() {
        for (input, want) in [
            ("", "."),
            ("./", "."),
            ("a/b/", "a/b"),
            ("./a//b/./c", "a/b/c"),
            ("a/../b", "b"),
            ("../a", "../a"),
            ("a/../../b", "../b"),
            ("/a/../..", "/"),
            ("/../x", "/x"),
            ("//a", "/a"),
            ("..", ".."),
            ("a/..", "."),
        ] {
            assert_eq!(String::from_utf8(go_clean(input.as_bytes())).unwrap(), want, "{input:?}");
        }
    }
}
