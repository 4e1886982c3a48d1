//! Access to the files of the outer archive: at random through the tar index when the archive is a
//! plain tar, or from one sequential pass when the whole archive is compressed.

use super::compress::{self, Counted, Decoder};
use super::report::Compression;
use super::scan::{LayerScan, Scanner};
use super::Progressor;
use crate::archive::{clean_path, resolve_link, ArchiveIndex, EntryKind};
use crate::source::{Source, SourceReader};
use crate::tar_guard::{self, TarGuard};
use crate::{Error, ErrorKind, Result};
use std::collections::HashMap;
use std::io::Read;

/// The largest file read whole as a JSON document.
const JSON_LIMIT: u64 = 16 << 20;

/// The files of an image archive.
pub enum Store<'a> {
    /// A plain tar, read at random.
    Random {
        /// The source.
        source: &'a dyn Source,
        /// Its tar index.
        index: ArchiveIndex,
    },
    /// A compressed archive read in one pass; every layer-like blob was scanned on the way.
    Streamed {
        /// Every entry path in archive order with its kind and size.
        listing: Vec<(String, EntryKind, u64)>,
        /// Symlink entries: path to cleaned target.
        links: HashMap<String, String>,
        /// Small JSON-like files, read whole.
        small: HashMap<String, Vec<u8>>,
        /// Scanned layer blobs by path; an `Err` keeps the failure for when the layer is needed.
        layers: HashMap<String, Result<LayerScan>>,
    },
}

impl<'a> Store<'a> {
    /// Indexes a plain tar source.
    pub fn random(source: &'a dyn Source) -> Result<Store<'a>> {
        // Walking the headers is quick; progress is reported while the layers are read.
        let index = ArchiveIndex::build(source, &mut crate::progress::Silent)?;
        Ok(Store::Random { source, index })
    }

    /// Reads a compressed archive in one pass, keeping small files and scanning layer-like blobs
    /// (unless `scanner` is `None`, when only the listing and the JSON documents are wanted).
    pub fn streamed(
        source: &'a dyn Source,
        compression: Compression,
        mut scanner: Option<&mut Scanner<'_>>,
        progress: &mut Progressor<'_>,
    ) -> Result<Store<'a>> {
        let what = match compression {
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
            Compression::None => "tar",
        };
        let raw = Counted::new(SourceReader::new(source), progress.counter());
        let decoder =
            Decoder::new(raw, compression).map_err(|e| Error::from_io(&e, &format!("opening the {what} archive")))?;
        let mut archive = tar::Archive::new(TarGuard::new(decoder));
        let mut listing = Vec::new();
        let mut links = HashMap::new();
        let mut small = HashMap::new();
        let mut layers = HashMap::new();
        let entries = archive.entries().map_err(|e| outer_error(&e, what, 0))?;
        for entry in entries {
            let entry = entry.map_err(|e| outer_error(&e, what, listing.len()))?;
            let path = clean_path(&String::from_utf8_lossy(&entry.path_bytes()));
            let size = entry.size();
            let kind = match entry.header().entry_type() {
                tar::EntryType::Regular | tar::EntryType::Continuous => EntryKind::File,
                tar::EntryType::Directory => EntryKind::Directory,
                tar::EntryType::Symlink => EntryKind::Symlink,
                tar::EntryType::Link => EntryKind::Hardlink,
                _ => EntryKind::Other,
            };
            listing.push((path.clone(), kind, size));
            match kind {
                EntryKind::Symlink | EntryKind::Hardlink => {
                    if let Some(target) = entry.link_name_bytes() {
                        let target = String::from_utf8_lossy(&target).into_owned();
                        let resolved =
                            if kind == EntryKind::Symlink { resolve_link(&path, &target) } else { clean_path(&target) };
                        links.insert(path, resolved);
                    }
                }
                EntryKind::File => {
                    let (head, reader) = compress::peek(entry)
                        .map_err(|e| Error::from_io(&e, &format!("reading {path} in the {what} archive")))?;
                    let looks_json = matches!(head.iter().find(|b| !b.is_ascii_whitespace()), Some(b'{') | Some(b'['));
                    if looks_json && size <= JSON_LIMIT {
                        let mut buf = Vec::with_capacity(size as usize);
                        reader
                            .take(size)
                            .read_to_end(&mut buf)
                            .map_err(|e| Error::from_io(&e, &format!("reading {path} in the {what} archive")))?;
                        small.insert(path, buf);
                    } else if let (Some(scanner), true) = (scanner.as_deref_mut(), looks_like_layer(&path, &head)) {
                        let scanned = scanner.scan(reader, size, &path, progress);
                        if let Err(e) = &scanned {
                            // A damaged outer stream cannot be read past; stop with its error.
                            if matches!(e.kind, ErrorKind::Cancelled | ErrorKind::Io) {
                                return Err(e.clone());
                            }
                        }
                        layers.insert(path, scanned);
                    } else if size <= 64 * 1024 {
                        let mut buf = Vec::new();
                        reader
                            .take(size)
                            .read_to_end(&mut buf)
                            .map_err(|e| Error::from_io(&e, &format!("reading {path} in the {what} archive")))?;
                        small.insert(path, buf);
                    }
                }
                _ => {}
            }
            progress.tick()?;
        }
        if listing.is_empty() {
            return Err(Error::new(ErrorKind::NotAnImage, format!("the {what} stream holds no tar archive")));
        }
        // Reading the compressed stream to its end checks its trailer (gzip CRC and length).
        std::io::copy(&mut archive.into_inner(), &mut std::io::sink())
            .map_err(|e| Error::from_io(&e, &format!("reading the end of the {what} archive")))?;
        progress.finish();
        Ok(Store::Streamed { listing, links, small, layers })
    }

    /// Follows symlinks (up to a few hops) to the stored file.
    fn resolve(&self, path: &str) -> String {
        let mut p = clean_path(path);
        for _ in 0..8 {
            let next = match self {
                Store::Random { index, .. } => index.find(&p).and_then(|e| e.link.clone()),
                Store::Streamed { links, .. } => links.get(&p).cloned(),
            };
            match next {
                Some(n) => p = n,
                None => break,
            }
        }
        p
    }

    /// Whether a regular file (or a link to one) exists at `path`.
    pub fn exists(&self, path: &str) -> bool {
        let p = self.resolve(path);
        match self {
            Store::Random { index, .. } => index.find(&p).is_some_and(|e| e.kind == EntryKind::File),
            Store::Streamed { small, layers, listing, .. } => {
                small.contains_key(&p)
                    || layers.contains_key(&p)
                    || listing.iter().any(|(lp, k, _)| *lp == p && *k == EntryKind::File)
            }
        }
    }

    /// Reads a small file whole (manifests, indexes, configs).
    pub fn read_small(&self, path: &str) -> Result<Option<Vec<u8>>> {
        let p = self.resolve(path);
        match self {
            Store::Random { source, index } => {
                let Some(e) = index.find(&p) else { return Ok(None) };
                if e.kind != EntryKind::File {
                    return Ok(None);
                }
                if e.size > JSON_LIMIT {
                    return Err(Error::new(
                        ErrorKind::Limit,
                        format!(
                            "{p} is {} bytes, more than the {JSON_LIMIT} bytes allowed for a JSON document",
                            e.size
                        ),
                    ));
                }
                let mut buf = Vec::with_capacity(e.size as usize);
                SourceReader::with_range(*source, e.offset, e.offset + e.size, 64 * 1024)
                    .read_to_end(&mut buf)
                    .map_err(|err| Error::from_io(&err, &format!("reading {p}")))?;
                Ok(Some(buf))
            }
            Store::Streamed { small, .. } => Ok(small.get(&p).cloned()),
        }
    }

    /// Scans the layer blob at `path`.
    pub fn scan_layer(
        &mut self,
        path: &str,
        scanner: &mut Scanner<'_>,
        progress: &mut Progressor<'_>,
    ) -> Result<LayerScan> {
        let p = self.resolve(path);
        match self {
            Store::Random { source, index } => {
                let Some(e) = index.find(&p) else {
                    return Err(missing(&p));
                };
                let reader = Counted::new(
                    SourceReader::with_range(
                        *source,
                        e.offset,
                        e.offset + e.size,
                        SourceReader::<&dyn Source>::DEFAULT_BUFFER,
                    ),
                    progress.counter(),
                );
                scanner.scan(reader, e.size, &p, progress)
            }
            Store::Streamed { layers, .. } => match layers.get(&p) {
                Some(r) => r.clone(),
                None => Err(missing(&p)),
            },
        }
    }

    /// A short description of what the archive holds, for "not an image" errors.
    pub fn describe(&self) -> String {
        let names: Vec<&str> = match self {
            Store::Random { index, .. } => index.entries.iter().map(|e| e.path.as_str()).collect(),
            Store::Streamed { listing, .. } => listing.iter().map(|(p, _, _)| p.as_str()).collect(),
        };
        let shown: Vec<&str> = names.iter().take(5).copied().collect();
        let more =
            if names.len() > shown.len() { format!(" and {} more", names.len() - shown.len()) } else { String::new() };
        let noun = if names.len() == 1 { "entry" } else { "entries" };
        format!("{} {noun}: {}{more}", names.len(), shown.join(", "))
    }
}

fn missing(path: &str) -> Error {
    Error::new(ErrorKind::Corrupt, format!("the blob {path} that the image manifest lists is missing from the archive"))
}

fn outer_error(e: &std::io::Error, what: &str, entries: usize) -> Error {
    if let Some(err) = tar_guard::limit_error(e, &format!("entry {} of the {what} archive", entries + 1)) {
        return err;
    }
    let mut err = Error::from_io(e, &format!("reading the {what} archive after {entries} entries"));
    if err.kind == ErrorKind::Io {
        err.kind = if entries == 0 { ErrorKind::NotAnImage } else { ErrorKind::Corrupt };
    }
    err
}

/// Whether a stored file may be a layer: by name, or by compression or tar magic.
fn looks_like_layer(path: &str, head: &[u8]) -> bool {
    path.ends_with(".tar")
        || path.ends_with(".tar.gz")
        || path.ends_with(".tgz")
        || path.starts_with("blobs/")
        || compress::detect(head) != Compression::None
}
