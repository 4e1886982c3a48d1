//! Compressed layer blobs: gzip, zstd, estargz, and gzip streams of repeated pieces for bombs.

use std::io::Write;

/// How a layer blob is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comp {
    /// An uncompressed tar.
    None,
    /// One gzip member.
    Gzip,
    /// One zstd frame.
    Zstd,
    /// gzip members per entry with a stargz.index.json entry and a footer, like estargz.
    Estargz,
}

/// gzip of `data` (fast level).
pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// zstd of `data` (fastest level).
pub fn zstd(data: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(data, ruzstd::encoding::CompressionLevel::Fastest)
}

/// Re-packs a layer tar as estargz-like gzip: one member per 512-byte-aligned entry, then the TOC
/// entry, the tar end and an empty footer member.
fn estargz(tar_bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut archive = tar::Archive::new(std::io::Cursor::new(tar_bytes));
    let mut pos = 0usize;
    let mut cuts = Vec::new();
    for e in archive.entries_with_seek().unwrap() {
        let e = e.unwrap();
        let end = e.raw_file_position() as usize + (e.size() as usize).div_ceil(512) * 512;
        cuts.push(end);
    }
    for end in cuts {
        out.extend(gzip(&tar_bytes[pos..end]));
        pos = end;
    }
    let toc = br#"{"version":1,"entries":[]}"#;
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_ustar();
    h.set_size(toc.len() as u64);
    h.set_mode(0o644);
    b.append_data(&mut h, "stargz.index.json", &toc[..]).unwrap();
    let toc_tar = b.into_inner().unwrap();
    out.extend(gzip(&toc_tar));
    out.extend(gzip(&[]));
    out
}

/// `data` stored as `c` says.
pub fn compress(data: &[u8], c: Comp) -> Vec<u8> {
    match c {
        Comp::None => data.to_vec(),
        Comp::Gzip => gzip(data),
        Comp::Zstd => zstd(data),
        Comp::Estargz => estargz(data),
    }
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

    /// `data` compressed as byte-aligned, non-final deflate blocks.
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
