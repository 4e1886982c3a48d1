//! A [`Source`] over a browser `Blob`, read synchronously in slices inside a worker.
//!
//! Only a window of the file is ever in memory: a miss reads a small piece at the requested offset, and
//! sequential reads use large pieces so a layer is streamed in few `FileReaderSync` calls. Each call costs
//! milliseconds in Chromium whatever its size (BENCHMARKS.md, "Browser"), so the sequential piece is 16 MiB.
//! The window is one buffer reused for every piece: a read copies the `ArrayBuffer` straight into it, and the
//! engine's readers copy from it straight into their callers' buffers (the source says it is buffered).

use js_sys::Uint8Array;
use layerlens_core::Source;
use std::cell::RefCell;
use std::io;
use wasm_bindgen::JsCast;
use web_sys::{Blob, FileReaderSync};

/// The piece read when the caller reads on from where the last piece ended.
pub const SEQUENTIAL_PIECE: usize = 16 << 20;
/// The piece read at a random offset, such as the next tar header after a skipped entry.
pub const RANDOM_PIECE: usize = 64 << 10;

/// A `Blob` (or `File`) read through `FileReaderSync`; usable only inside a worker.
pub struct BlobSource {
    blob: Blob,
    len: u64,
    reader: FileReaderSync,
    window: RefCell<Window>,
}

/// The bytes `start..start + len` of the blob, held in the first `len` bytes of `buffer`.
#[derive(Default)]
struct Window {
    start: u64,
    len: usize,
    /// Grows to the largest piece read and is never shrunk, so a piece is never zero-filled before it is copied in.
    buffer: Vec<u8>,
    slices_read: u64,
}

impl Window {
    fn end(&self) -> u64 {
        self.start + self.len as u64
    }

    fn bytes(&self) -> &[u8] {
        &self.buffer[..self.len]
    }
}

impl BlobSource {
    /// Wraps `blob`; fails outside a worker, where `FileReaderSync` does not exist.
    pub fn new(blob: Blob) -> io::Result<BlobSource> {
        let reader = FileReaderSync::new().map_err(|e| js_error("creating a FileReaderSync", &e))?;
        let len = blob.size() as u64;
        Ok(BlobSource { blob, len, reader, window: RefCell::new(Window::default()) })
    }

    /// How many slices have been read from the blob so far.
    pub fn slices_read(&self) -> u64 {
        self.window.borrow().slices_read
    }

    fn load(&self, window: &mut Window, offset: u64, want: usize) -> io::Result<()> {
        let sequential = window.len > 0 && offset == window.end();
        let piece = if sequential { SEQUENTIAL_PIECE } else { RANDOM_PIECE };
        let size = (piece.max(want) as u64).min(self.len - offset);
        let end = offset + size;
        let slice = self
            .blob
            .slice_with_f64_and_f64(offset as f64, end as f64)
            .map_err(|e| js_error("slicing the file", &e))?;
        let buffer = self.reader.read_as_array_buffer(&slice).map_err(|e| js_error("reading the file", &e))?;
        let array = Uint8Array::new(&buffer);
        if u64::from(array.length()) != size {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("the file gave {} bytes at offset {offset} where {size} were expected", array.length()),
            ));
        }
        // `size` is at most the piece or the caller's buffer, both of which fit in memory.
        let size = size as usize;
        if window.buffer.len() < size {
            window.buffer.resize(size, 0);
        }
        array.copy_to(&mut window.buffer[..size]);
        window.start = offset;
        window.len = size;
        window.slices_read += 1;
        Ok(())
    }
}

impl Source for BlobSource {
    fn len(&self) -> u64 {
        self.len
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        if offset >= self.len || buf.is_empty() {
            return Ok(0);
        }
        let mut window = self.window.borrow_mut();
        let inside = offset >= window.start && offset < window.end();
        if !inside {
            self.load(&mut window, offset, buf.len())?;
        }
        let bytes = window.bytes();
        let from = (offset - window.start) as usize;
        let n = buf.len().min(bytes.len() - from);
        buf[..n].copy_from_slice(&bytes[from..from + n]);
        Ok(n)
    }

    /// Reads are served from the window, so a reader on top needs no buffer (and no second copy) of its own.
    fn is_buffered(&self) -> bool {
        true
    }
}

fn js_error(what: &str, err: &wasm_bindgen::JsValue) -> io::Error {
    let detail = match err.dyn_ref::<js_sys::Error>() {
        Some(e) => String::from(e.message()),
        None => err.as_string().unwrap_or_else(|| format!("{err:?}")),
    };
    io::Error::other(format!("{what} failed: {detail}"))
}
