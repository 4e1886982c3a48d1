//! Random-access byte sources: the only way the core reads input.
//!
//! A native file, a browser `Blob` and an in-memory buffer all implement [`Source`]; everything else in
//! the core is written against this trait so one code path serves the CLI and the web worker.

use std::io::{self, Read, Seek, SeekFrom};

/// Bytes that can be read at any offset: a file, a `Blob`, or memory.
pub trait Source {
    /// Total length in bytes.
    fn len(&self) -> u64;

    /// Whether the source holds no bytes.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Reads up to `buf.len()` bytes at `offset` and returns how many were read (0 only at the end).
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize>;

    /// Whether small reads cost no more per byte than large ones because the source is memory or keeps a large
    /// buffer of its own; a [`SourceReader`] then reads straight from it instead of copying through its own buffer.
    fn is_buffered(&self) -> bool {
        false
    }
}

impl<S: Source + ?Sized> Source for &S {
    fn len(&self) -> u64 {
        (**self).len()
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        (**self).read_at(offset, buf)
    }

    fn is_buffered(&self) -> bool {
        (**self).is_buffered()
    }
}

/// An in-memory source, used by tests and for small inputs such as a pasted file.
#[derive(Debug, Clone, Default)]
pub struct MemSource {
    bytes: Vec<u8>,
}

impl MemSource {
    /// Wraps a byte buffer.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        MemSource { bytes: bytes.into() }
    }
}

impl Source for MemSource {
    fn len(&self) -> u64 {
        self.bytes.len() as u64
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        let len = self.bytes.len() as u64;
        if offset >= len {
            return Ok(0);
        }
        // `offset < len` and `len` came from a `usize`, so the conversion cannot truncate.
        let start = offset as usize;
        let n = buf.len().min(self.bytes.len() - start);
        buf[..n].copy_from_slice(&self.bytes[start..start + n]);
        Ok(n)
    }

    fn is_buffered(&self) -> bool {
        true
    }
}

/// A buffered `Read + Seek` view of the byte range `start..end` of a [`Source`].
///
/// Reads are served from a buffer of `buffer_size` bytes so that a source with a cost per call (a file read with
/// a system call each time) is asked for few, large pieces. A source that says it [is buffered](Source::is_buffered)
/// is read directly, which saves copying every byte once more.
pub struct SourceReader<S> {
    source: S,
    start: u64,
    end: u64,
    pos: u64,
    buf: Vec<u8>,
    buf_start: u64,
    buf_len: usize,
}

impl<S: Source> SourceReader<S> {
    /// The default buffer size: large enough that per-call overhead of a `Blob` read is negligible.
    pub const DEFAULT_BUFFER: usize = 1 << 20;

    /// A reader over the whole source.
    pub fn new(source: S) -> Self {
        let end = source.len();
        Self::with_range(source, 0, end, Self::DEFAULT_BUFFER)
    }

    /// A reader over `start..end` (clamped to the source) with the given buffer size (none for a buffered source).
    pub fn with_range(source: S, start: u64, end: u64, buffer_size: usize) -> Self {
        let end = end.min(source.len());
        let start = start.min(end);
        let buffer_size = if source.is_buffered() { 0 } else { buffer_size.max(512) };
        SourceReader { source, start, end, pos: start, buf: vec![0; buffer_size], buf_start: start, buf_len: 0 }
    }

    /// The absolute offset in the source of the next byte to be read.
    pub fn position(&self) -> u64 {
        self.pos
    }

    /// The length of the range this reader covers.
    pub fn range_len(&self) -> u64 {
        self.end - self.start
    }

    fn fill(&mut self) -> io::Result<()> {
        let want = ((self.end - self.pos).min(self.buf.len() as u64)) as usize;
        let mut filled = 0;
        while filled < want {
            let n = self.source.read_at(self.pos + filled as u64, &mut self.buf[filled..want])?;
            if n == 0 {
                return Err(ended_early(self.pos + filled as u64));
            }
            filled += n;
        }
        self.buf_start = self.pos;
        self.buf_len = filled;
        Ok(())
    }
}

fn ended_early(at: u64) -> io::Error {
    io::Error::new(io::ErrorKind::UnexpectedEof, format!("the source ended at byte {at} before its stated length"))
}

impl<S: Source> Read for SourceReader<S> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.end || out.is_empty() {
            return Ok(0);
        }
        let in_buf = self.pos >= self.buf_start && self.pos < self.buf_start + self.buf_len as u64;
        if !in_buf {
            // Large reads, and every read of a buffered source, bypass the buffer entirely.
            if out.len() >= self.buf.len() {
                let want = (out.len() as u64).min(self.end - self.pos) as usize;
                let n = self.source.read_at(self.pos, &mut out[..want])?;
                if n == 0 {
                    return Err(ended_early(self.pos));
                }
                self.pos += n as u64;
                return Ok(n);
            }
            self.fill()?;
        }
        let off = (self.pos - self.buf_start) as usize;
        let n = out.len().min(self.buf_len - off);
        out[..n].copy_from_slice(&self.buf[off..off + n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl<S: Source> Seek for SourceReader<S> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let len = self.end - self.start;
        let rel = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(d) => len.checked_add_signed(d),
            SeekFrom::Current(d) => (self.pos - self.start).checked_add_signed(d),
        };
        let rel = rel.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the start"))?;
        // Seeking past the end is allowed (reads then return 0), as for files.
        self.pos = self.start.saturating_add(rel);
        Ok(rel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source that hides whether the memory under it is buffered, so the reader buffers.
    struct Unbuffered(MemSource);

    impl Source for Unbuffered {
        fn len(&self) -> u64 {
            self.0.len()
        }

        fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
            self.0.read_at(offset, buf)
        }
    }

    fn read_ranges(src: &dyn Source, data: &[u8]) {
        let mut r = SourceReader::with_range(src, 100, 9_000, 512);
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap();
        assert_eq!(out, &data[100..9_000]);
        r.seek(SeekFrom::Start(10)).unwrap();
        let mut four = [0u8; 4];
        r.read_exact(&mut four).unwrap();
        assert_eq!(four, data[110..114]);
        r.seek(SeekFrom::End(-2)).unwrap();
        let mut rest = Vec::new();
        r.read_to_end(&mut rest).unwrap();
        assert_eq!(rest, &data[8_998..9_000]);
        let mut small = [0u8; 3];
        r.seek(SeekFrom::Start(511)).unwrap();
        r.read_exact(&mut small).unwrap();
        assert_eq!(small, data[611..614]);
    }

    #[test]
    fn reads_ranges_across_buffer_refills() {
        let data: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        let src = Unbuffered(MemSource::new(data.clone()));
        assert!(!src.is_buffered());
        read_ranges(&src, &data);
        assert_eq!(SourceReader::with_range(&src, 0, 10, 100).buf.len(), 512);
    }

    #[test]
    fn reads_a_buffered_source_directly() {
        let data: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        let src = MemSource::new(data.clone());
        assert!(src.is_buffered());
        read_ranges(&src, &data);
        assert!(SourceReader::with_range(&src, 0, 10, 1 << 20).buf.is_empty());
    }

    #[test]
    fn a_short_source_is_an_error_not_a_hang() {
        struct Liar;
        impl Source for Liar {
            fn len(&self) -> u64 {
                100
            }
            fn read_at(&self, _: u64, _: &mut [u8]) -> io::Result<usize> {
                Ok(0)
            }
        }
        let mut r = SourceReader::new(Liar);
        let err = r.read(&mut [0u8; 10]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        // A read as large as the buffer goes straight to the source, and is refused the same way.
        let err = r.read(&mut vec![0u8; SourceReader::<Liar>::DEFAULT_BUFFER]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    }
}
