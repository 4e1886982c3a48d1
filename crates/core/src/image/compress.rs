//! Compression detected from magic bytes, and readers that decompress gzip (every member, so estargz
//! works) and zstd (every frame, each frame's content checksum compared when it has one) as one stream.

use super::report::Compression;
use ruzstd::decoding::{FrameDecoder, StreamingDecoder};
use std::cell::Cell;
use std::io::{self, BufRead, BufReader, Read};
use std::rc::Rc;

/// Bytes needed to recognise any supported format.
pub const MAGIC_LEN: usize = 4;

/// Recognises gzip and zstd from the first bytes of a stream.
pub fn detect(head: &[u8]) -> Compression {
    if head.starts_with(&[0x1f, 0x8b]) {
        Compression::Gzip
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Compression::Zstd
    } else {
        Compression::None
    }
}

/// A reader that first replays peeked bytes, then continues with the original reader.
pub type Replay<R> = io::Chain<io::Cursor<Vec<u8>>, R>;

/// Reads up to [`MAGIC_LEN`] bytes from `reader` and returns them with a reader that replays them.
pub fn peek<R: Read>(mut reader: R) -> io::Result<(Vec<u8>, Replay<R>)> {
    let mut head = vec![0u8; MAGIC_LEN];
    let mut got = 0;
    while got < MAGIC_LEN {
        let n = reader.read(&mut head[got..])?;
        if n == 0 {
            break;
        }
        got += n;
    }
    head.truncate(got);
    Ok((head.clone(), io::Cursor::new(head).chain(reader)))
}

/// A reader that decompresses according to the detected [`Compression`].
pub enum Decoder<R: Read> {
    /// Bytes pass through.
    Plain(R),
    /// gzip, all members.
    Gzip(Box<flate2::read::MultiGzDecoder<R>>),
    /// zstd, all frames.
    Zstd(Box<ZstdFrames<R>>),
}

impl<R: Read> Decoder<R> {
    /// Wraps `reader` in the decoder for `compression`.
    pub fn new(reader: R, compression: Compression) -> io::Result<Self> {
        Ok(match compression {
            Compression::None => Decoder::Plain(reader),
            Compression::Gzip => Decoder::Gzip(Box::new(flate2::read::MultiGzDecoder::new(reader))),
            Compression::Zstd => Decoder::Zstd(Box::new(ZstdFrames::new(reader)?)),
        })
    }
}

impl<R: Read> Read for Decoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Decoder::Plain(r) => r.read(buf),
            Decoder::Gzip(r) => r.read(buf).map_err(|e| corrupt("gzip", &e)),
            Decoder::Zstd(r) => r.read(buf),
        }
    }
}

fn corrupt(what: &str, e: &io::Error) -> io::Error {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => io::Error::new(io::ErrorKind::UnexpectedEof, format!("{what} data ends early")),
        io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData | io::ErrorKind::Other => {
            io::Error::new(io::ErrorKind::InvalidData, format!("corrupt {what} data ({e})"))
        }
        _ => io::Error::new(e.kind(), e.to_string()),
    }
}

/// A zstd decoder that continues with the next frame when one ends (as `zstd -d` does) and compares each
/// frame's content checksum (XXH64, written by default by `zstd` and containerd) with its decoded bytes.
pub struct ZstdFrames<R: Read> {
    inner: Option<StreamingDecoder<BufReader<R>, FrameDecoder>>,
    /// The number of the current frame, from 1.
    frame: u64,
}

impl<R: Read> ZstdFrames<R> {
    fn new(reader: R) -> io::Result<Self> {
        let dec = StreamingDecoder::new(BufReader::with_capacity(256 * 1024, reader))
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("corrupt zstd data ({e})")))?;
        Ok(ZstdFrames { inner: Some(dec), frame: 1 })
    }
}

impl<R: Read> Read for ZstdFrames<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // Each round either returns data, ends, or consumes at least one frame header, so it is bounded
        // by the input length.
        loop {
            let Some(dec) = self.inner.as_mut() else { return Ok(0) };
            let n = dec.read(buf).map_err(|e| corrupt("zstd", &e))?;
            if n > 0 || buf.is_empty() {
                return Ok(n);
            }
            // The frame is decoded and every byte handed out: its checksum covers them all.
            let written = dec.decoder.get_checksum_from_data();
            if let (Some(want), Some(got)) = (written, dec.decoder.get_calculated_checksum()) {
                if want != got {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!(
                            "corrupt zstd data (the checksum of frame {} does not match its content: the frame \
                             says {want:08x}, the decoded bytes give {got:08x})",
                            self.frame
                        ),
                    ));
                }
            }
            self.frame += 1;
            let more = !dec.get_mut().fill_buf()?.is_empty();
            let Some(dec) = self.inner.take() else { return Ok(0) };
            if !more {
                return Ok(0);
            }
            // Creating the decoder re-initialises the frame decoder from the next frame's header.
            let (source, frame) = dec.into_parts();
            let next = StreamingDecoder::new_with_decoder(source, frame)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("corrupt zstd data ({e})")))?;
            self.inner = Some(next);
        }
    }
}

/// A reader that adds every byte it passes to a shared counter.
pub struct Counted<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R> Counted<R> {
    /// Wraps `inner`, adding to `count`.
    pub fn new(inner: R, count: Rc<Cell<u64>>) -> Self {
        Counted { inner, count }
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn detects_magic() {
        assert_eq!(detect(&[0x1f, 0x8b, 8, 0]), Compression::Gzip);
        assert_eq!(detect(&[0x28, 0xb5, 0x2f, 0xfd]), Compression::Zstd);
        assert_eq!(detect(b"ustar"), Compression::None);
        assert_eq!(detect(&[]), Compression::None);
    }

    #[test]
    fn gzip_reads_every_member() {
        let mut all = Vec::new();
        for part in [&b"hello "[..], b"world"] {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(part).unwrap();
            all.extend(e.finish().unwrap());
        }
        let mut out = String::new();
        Decoder::new(&all[..], Compression::Gzip).unwrap().read_to_string(&mut out).unwrap();
        assert_eq!(out, "hello world");
    }

    #[test]
    fn zstd_reads_every_frame() {
        let mut all = ruzstd::encoding::compress_to_vec(&b"hello "[..], ruzstd::encoding::CompressionLevel::Fastest);
        all.extend(ruzstd::encoding::compress_to_vec(&b"world"[..], ruzstd::encoding::CompressionLevel::Fastest));
        let mut out = String::new();
        Decoder::new(&all[..], Compression::Zstd).unwrap().read_to_string(&mut out).unwrap();
        assert_eq!(out, "hello world");
    }

    #[test]
    fn zstd_checksum_mismatch_is_an_error() {
        let mut frames = ruzstd::encoding::compress_to_vec(&b"first"[..], ruzstd::encoding::CompressionLevel::Fastest);
        let good = ruzstd::encoding::compress_to_vec(&[7u8; 5000][..], ruzstd::encoding::CompressionLevel::Fastest);
        frames.extend(&good);
        // The frame descriptor's checksum flag is set and the last four bytes are the checksum.
        assert_ne!(good[4] & 0x04, 0, "ruzstd writes a content checksum");
        let mut bad = frames.clone();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        let mut out = Vec::new();
        Decoder::new(&frames[..], Compression::Zstd).unwrap().read_to_end(&mut out).unwrap();
        let err = Decoder::new(&bad[..], Compression::Zstd).and_then(|mut d| d.read_to_end(&mut out)).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert!(err.to_string().contains("checksum of frame 2"), "{err}");
    }

    #[test]
    fn damaged_or_cut_zstd_is_an_error() {
        let mut bad = vec![0x28, 0xb5, 0x2f, 0xfd];
        bad.extend([0xff; 64]);
        let good = ruzstd::encoding::compress_to_vec(&[7u8; 5000][..], ruzstd::encoding::CompressionLevel::Fastest);
        for input in [&bad[..], &good[..good.len() - 2]] {
            let mut out = Vec::new();
            let err = Decoder::new(input, Compression::Zstd).and_then(|mut d| d.read_to_end(&mut out)).unwrap_err();
            assert!(matches!(err.kind(), io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof), "{err}");
        }
    }
}
