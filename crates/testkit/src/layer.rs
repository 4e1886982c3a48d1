//! One layer tar, entry by entry.

/// Builds one layer tar with the tar crate: GNU headers, modification time 0, an explicit type flag.
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
        let mut b = tar::Builder::new(Vec::new());
        b.mode(tar::HeaderMode::Deterministic);
        Layer { b }
    }

    fn header(kind: tar::EntryType, size: u64, mode: u32) -> tar::Header {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(kind);
        h.set_size(size);
        h.set_mode(mode);
        h.set_mtime(0);
        h
    }

    /// A regular file with mode 0644.
    pub fn file(self, path: &str, data: &[u8]) -> Self {
        self.file_mode(path, data, 0o644)
    }

    /// A regular file with the given mode.
    pub fn file_mode(mut self, path: &str, data: &[u8], mode: u32) -> Self {
        let mut h = Self::header(tar::EntryType::Regular, data.len() as u64, mode);
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

    /// An opaque whiteout in `dir`.
    pub fn opaque(self, dir: &str) -> Self {
        self.file(&format!("{dir}/.wh..wh..opq"), b"")
    }

    /// A regular file whose 100-byte name field holds `name` verbatim (NUL, newlines, invalid UTF-8, `..`).
    pub fn raw_name(self, name: &[u8], data: &[u8]) -> Self {
        self.raw_entry(name, b'0', data)
    }

    /// Like [`Layer::raw_name`] with an explicit type flag byte (e.g. `0` for old-style regular files).
    pub fn raw_entry(mut self, name: &[u8], typeflag: u8, data: &[u8]) -> Self {
        let mut h = Self::header(tar::EntryType::Regular, data.len() as u64, 0o644);
        let old = h.as_old_mut();
        old.name.fill(0);
        old.name[..name.len()].copy_from_slice(name);
        old.linkflag = [typeflag];
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

    /// A PAX global header, as `git archive` writes first.
    pub fn pax_global(mut self) -> Self {
        let record = b"52 comment=0123456789abcdef0123456789abcdef01234567\n";
        let mut h = tar::Header::new_ustar();
        h.set_entry_type(tar::EntryType::XGlobalHeader);
        h.set_path("pax_global_header").unwrap();
        h.set_size(record.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        self.b.append(&h, &record[..]).unwrap();
        self
    }

    /// A GNU sparse file of logical size `real` whose data regions are `chunks` (offset, bytes).
    pub fn sparse(mut self, path: &str, real: u64, chunks: &[(u64, &[u8])]) -> Self {
        let stored: u64 = chunks.iter().map(|c| c.1.len() as u64).sum();
        let mut h = Self::header(tar::EntryType::GNUSparse, stored, 0o644);
        h.set_path(path).unwrap();
        {
            let gnu = h.as_gnu_mut().unwrap();
            gnu.set_real_size(real);
            for (i, (off, data)) in chunks.iter().enumerate() {
                gnu.sparse[i].set_offset(*off);
                gnu.sparse[i].set_length(data.len() as u64);
            }
        }
        h.set_cksum();
        let data: Vec<u8> = chunks.iter().flat_map(|c| c.1.to_vec()).collect();
        self.b.append(&h, &data[..]).unwrap();
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

/// A GNU header block for a regular file of `size` bytes named `name` (for streams built by hand).
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
