//! A reader placed under the `tar` crate that follows the tar structure as the bytes pass, so the engine
//! can enforce limits the crate does not have and notice how an archive ended.
//!
//! The `tar` crate reads a PAX extended header or a GNU long name/link whole into memory, however large
//! its header says it is. The guard parses every header block before the crate sees it and refuses such
//! an extension entry larger than [`EXTENSION_LIMIT`] before a byte of its data is read. It also records
//! whether the archive ended with the end-of-archive marker (two zero blocks) or just stopped.
//!
//! The guard mirrors the crate's reading rules: entries are 512-byte blocks, a PAX `size` record overrides
//! the size of the next entry that is not itself an extension, GNU sparse headers may be followed by
//! extension blocks, and the first zero block ends the archive.

use crate::{Error, ErrorKind};
use std::fmt;
use std::io::{self, Read, Seek, SeekFrom};

/// The largest PAX extended header (`x`) or GNU long name/link (`L`, `K`) entry read, in bytes.
pub const EXTENSION_LIMIT: u64 = 1 << 20;

const BLOCK: u64 = 512;

/// The error a guard returns when an extension entry is larger than [`EXTENSION_LIMIT`].
#[derive(Debug)]
pub struct ExtensionTooLarge {
    what: &'static str,
    size: u64,
    offset: u64,
}

impl fmt::Display for ExtensionTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the {} at tar offset {} is {} bytes, more than the {} bytes layerlens reads",
            self.what, self.offset, self.size, EXTENSION_LIMIT
        )
    }
}

impl std::error::Error for ExtensionTooLarge {}

/// Turns an I/O error that a guard raised into a `Limit` error about `place`; `None` for other errors.
pub fn limit_error(err: &io::Error, place: &str) -> Option<Error> {
    let inner = err.get_ref()?.downcast_ref::<ExtensionTooLarge>()?;
    Some(Error::new(ErrorKind::Limit, format!("{place}: {inner}")))
}

/// What the bytes before the next header block are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Region {
    /// Entry data (or padding) that the guard lets pass.
    Data,
    /// The data of a PAX extended header, gathered to find a `size` record.
    Pax,
    /// GNU sparse extension blocks: each one says whether another follows.
    SparseExt,
}

/// Where the walk stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Following headers.
    Headers,
    /// One zero block was read where a header belongs; the next block decides whether the marker is whole.
    FirstZero,
    /// The end-of-archive marker (two zero blocks) was read.
    Ended,
    /// The archive ended some other way, or the structure could not be followed (the crate reports why).
    Stopped,
}

/// A reader that follows the tar structure of the bytes read through it; see the module docs.
pub struct TarGuard<R> {
    inner: R,
    /// Stream position of the next byte.
    pos: u64,
    /// Where the next header block (or sparse extension block) starts.
    next: u64,
    block: [u8; BLOCK as usize],
    filled: usize,
    region: Region,
    /// Data bytes still to come after the sparse extension blocks.
    after_ext: u64,
    pax: Vec<u8>,
    /// Length of the PAX data being gathered (the rest up to `next` is padding).
    pax_len: usize,
    pax_size: Option<u64>,
    phase: Phase,
}

impl<R> TarGuard<R> {
    /// Wraps a reader positioned at the start of a tar archive.
    pub fn new(inner: R) -> Self {
        TarGuard {
            inner,
            pos: 0,
            next: 0,
            block: [0; BLOCK as usize],
            filled: 0,
            region: Region::Data,
            after_ext: 0,
            pax: Vec::new(),
            pax_len: 0,
            pax_size: None,
            phase: Phase::Headers,
        }
    }

    /// Whether the end-of-archive marker (two zero blocks where a header belongs) has been read.
    pub fn ended(&self) -> bool {
        self.phase == Phase::Ended
    }

    /// Follows the bytes `data`, which start at `self.pos`.
    fn observe(&mut self, data: &[u8]) -> io::Result<()> {
        let mut rest = data;
        while !rest.is_empty() && matches!(self.phase, Phase::Headers | Phase::FirstZero) {
            if self.pos < self.next {
                let n = (self.next - self.pos).min(rest.len() as u64) as usize;
                if self.region == Region::Pax {
                    let keep = (self.pax_len - self.pax.len()).min(n);
                    self.pax.extend_from_slice(&rest[..keep]);
                }
                self.pos += n as u64;
                rest = &rest[n..];
                self.region_done();
                continue;
            }
            let n = (BLOCK as usize - self.filled).min(rest.len());
            self.block[self.filled..self.filled + n].copy_from_slice(&rest[..n]);
            self.filled += n;
            self.pos += n as u64;
            rest = &rest[n..];
            if self.filled == BLOCK as usize {
                self.filled = 0;
                self.next = self.pos;
                self.on_block()?;
            }
        }
        self.pos += rest.len() as u64;
        Ok(())
    }

    /// Ends the PAX region when its data and padding have passed.
    fn region_done(&mut self) {
        if self.pos == self.next && self.region == Region::Pax {
            self.pax_size = pax_size(&self.pax);
            self.pax = Vec::new();
            self.region = Region::Data;
        }
    }

    /// Handles a whole block read where a header (or a sparse extension block) belongs.
    fn on_block(&mut self) -> io::Result<()> {
        if self.region == Region::SparseExt {
            if self.block[504] == 0 {
                self.region = Region::Data;
                self.advance(self.after_ext);
            }
            return Ok(());
        }
        let zero = self.block.iter().all(|b| *b == 0);
        match self.phase {
            Phase::FirstZero => {
                self.phase = if zero { Phase::Ended } else { Phase::Stopped };
                return Ok(());
            }
            _ if zero => {
                self.phase = Phase::FirstZero;
                return Ok(());
            }
            _ => {}
        }
        let header = tar::Header::from_byte_slice(&self.block);
        let Ok(mut size) = header.entry_size() else {
            // The crate fails on the same header.
            self.phase = Phase::Stopped;
            return Ok(());
        };
        let ty = header.entry_type();
        let recognized = header.as_gnu().is_some() || header.as_ustar().is_some();
        let extension = ty.is_gnu_longname() || ty.is_gnu_longlink() || ty.is_pax_local_extensions();
        if !(extension || ty.is_pax_global_extensions()) {
            if let Some(s) = self.pax_size {
                size = s;
            }
        }
        if recognized && extension {
            if size > EXTENSION_LIMIT {
                let what = if ty.is_pax_local_extensions() {
                    "PAX extended header"
                } else if ty.is_gnu_longname() {
                    "GNU long name"
                } else {
                    "GNU long link name"
                };
                self.phase = Phase::Stopped;
                return Err(io::Error::other(ExtensionTooLarge { what, size, offset: self.pos - BLOCK }));
            }
            if ty.is_pax_local_extensions() {
                self.region = Region::Pax;
                self.pax_len = size as usize;
                self.pax = Vec::with_capacity(self.pax_len);
            }
        } else {
            // The crate hands this entry out; pending extensions belonged to it.
            self.pax_size = None;
            let sparse_ext = ty.is_gnu_sparse() && header.as_gnu().is_some_and(|g| g.is_extended());
            if sparse_ext {
                self.region = Region::SparseExt;
                self.after_ext = size;
                self.next = self.pos;
                return Ok(());
            }
        }
        self.advance(size);
        Ok(())
    }

    /// Places the next header after `size` data bytes, rounded up to whole blocks.
    fn advance(&mut self, size: u64) {
        match size.checked_add(BLOCK - 1).and_then(|s| self.pos.checked_add(s & !(BLOCK - 1))) {
            Some(next) => self.next = next,
            None => self.phase = Phase::Stopped,
        }
    }
}

/// The value of the first `size` record, exactly as the `tar` crate reads it.
fn pax_size(data: &[u8]) -> Option<u64> {
    for ext in tar::PaxExtensions::new(data) {
        let ext = ext.ok()?;
        if ext.key() != Ok("size") {
            continue;
        }
        return ext.value().ok()?.parse().ok();
    }
    None
}

impl<R: Read> Read for TarGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.observe(&buf[..n])?;
        Ok(n)
    }
}

impl<R: Seek> Seek for TarGuard<R> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let p = self.inner.seek(to)?;
        // The crate seeks only forward over entry data and padding; anything else leaves the structure unknown.
        let pax_whole = self.region != Region::Pax || self.pax.len() == self.pax_len;
        if self.phase == Phase::Headers
            && p >= self.pos
            && p <= self.next
            && self.region != Region::SparseExt
            && pax_whole
        {
            self.pos = p;
            self.region_done();
        } else if p != self.pos {
            self.pos = p;
            self.phase = Phase::Stopped;
        }
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(bytes: &[u8]) -> (io::Result<usize>, bool) {
        let mut g = TarGuard::new(bytes);
        let mut a = tar::Archive::new(&mut g);
        let n = match a.entries() {
            Ok(entries) => entries.map(|e| e.map(|_| ())).collect::<io::Result<Vec<()>>>().map(|v| v.len()),
            Err(e) => Err(e),
        };
        io::copy(&mut g, &mut io::sink()).unwrap();
        (n, g.ended())
    }

    fn archive(pax_path: &[u8], long_name: &str) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        b.append_pax_extensions([("path", pax_path), ("size", b"3".as_slice())]).unwrap();
        let mut h = tar::Header::new_ustar();
        h.set_path("x").unwrap();
        h.set_size(3);
        h.set_cksum();
        b.append(&h, &b"abc"[..]).unwrap();
        let mut h = tar::Header::new_gnu();
        h.set_size(2);
        b.append_data(&mut h, long_name, &b"hi"[..]).unwrap();
        b.into_inner().unwrap()
    }

    #[test]
    fn follows_pax_and_long_names_to_the_end_marker() {
        let bytes = archive(&[b'p'; 5000], &"n".repeat(3000));
        assert_eq!(walk(&bytes).0.unwrap(), 2);
        assert!(walk(&bytes).1);
        // Without the end marker the archive still reads, but the guard saw no end.
        let (n, ended) = walk(&bytes[..bytes.len() - 1024]);
        assert_eq!(n.unwrap(), 2);
        assert!(!ended);
        let (_, ended) = walk(&bytes[..bytes.len() - 512]);
        assert!(!ended, "one zero block is half a marker");
    }

    #[test]
    fn refuses_large_extensions_before_reading_them() {
        for bytes in [archive(&vec![b'p'; 2 << 20], "short"), archive(b"p", &"n".repeat(2 << 20))] {
            let err = walk(&bytes).0.unwrap_err();
            let e = limit_error(&err, "layer x").unwrap();
            assert_eq!(e.kind, ErrorKind::Limit);
            assert!(e.message.contains("1048576"), "{e}");
        }
    }

    #[test]
    fn seeking_over_data_keeps_the_structure() {
        let bytes = archive(&[b'p'; 700], "short");
        let mut g = TarGuard::new(io::Cursor::new(&bytes[..]));
        let mut a = tar::Archive::new(&mut g);
        assert_eq!(a.entries_with_seek().unwrap().count(), 2);
        assert_eq!(g.phase, Phase::FirstZero);
    }
}
