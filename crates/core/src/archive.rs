//! The outer archive index: walks the tar headers of an image tarball, skipping file data, and records
//! where each entry's bytes are so later stages can read any entry at random.

use crate::progress::{Observer, Progress};
use crate::source::{Source, SourceReader};
use crate::tar_guard::{self, TarGuard};
use crate::{Error, ErrorKind, Result};
use serde::{Deserialize, Serialize};
use std::ops::ControlFlow;

/// What kind of tar entry an [`ArchiveEntry`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// A regular file.
    File,
    /// A directory.
    Directory,
    /// A symbolic link.
    Symlink,
    /// A hard link to an earlier entry.
    Hardlink,
    /// Anything else (devices, FIFOs).
    Other,
}

/// One entry of the outer archive and where its data lies in the source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveEntry {
    /// The entry's path, cleaned of a leading `./`; shown lossily when not UTF-8.
    pub path: String,
    /// The entry kind.
    pub kind: EntryKind,
    /// Size of the entry's data in bytes.
    pub size: u64,
    /// Offset of the entry's data in the source.
    pub offset: u64,
    /// For symlinks and hardlinks, the target path resolved against the archive root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// The index of an outer archive: its entries in archive order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveIndex {
    /// Entries in the order the archive stores them.
    pub entries: Vec<ArchiveEntry>,
    /// Length of the source in bytes.
    pub total_bytes: u64,
}

impl ArchiveIndex {
    /// Indexes a tar archive by walking its headers and seeking over the data.
    pub fn build(source: &dyn Source, observer: &mut dyn Observer) -> Result<ArchiveIndex> {
        let total = source.len();
        if total == 0 {
            return Err(Error::new(ErrorKind::NotAnImage, "the file is empty"));
        }
        // The guard refuses oversized PAX and GNU long-name headers before the tar crate reads them whole.
        let reader = TarGuard::new(SourceReader::with_range(source, 0, total, 64 * 1024));
        let mut archive = tar::Archive::new(reader);
        let entries = archive.entries_with_seek().map_err(|e| Error::from_io(&e, "reading the archive"))?;
        let mut out = Vec::new();
        let mut last_report = 0u64;
        for entry in entries {
            let entry = entry.map_err(|e| tar_error(&e, out.len(), total))?;
            let offset = entry.raw_file_position();
            let size = entry.size();
            // The data is padded to a whole 512-byte block; a file that ends inside the padding was cut.
            if offset.saturating_add(size.div_ceil(512).saturating_mul(512)) > total {
                return Err(Error::new(
                    ErrorKind::Truncated,
                    format!(
                        "the archive is truncated: entry {:?} needs {} bytes at offset {} but the file has {} bytes",
                        lossy(&entry.path_bytes()),
                        size,
                        offset,
                        total
                    ),
                ));
            }
            let kind = match entry.header().entry_type() {
                tar::EntryType::Regular | tar::EntryType::Continuous => EntryKind::File,
                tar::EntryType::Directory => EntryKind::Directory,
                tar::EntryType::Symlink => EntryKind::Symlink,
                tar::EntryType::Link => EntryKind::Hardlink,
                _ => EntryKind::Other,
            };
            let path = clean_path(&lossy(&entry.path_bytes()));
            let link = match kind {
                EntryKind::Symlink | EntryKind::Hardlink => entry.link_name_bytes().map(|t| {
                    let target = lossy(&t);
                    if kind == EntryKind::Symlink {
                        resolve_link(&path, &target)
                    } else {
                        clean_path(&target)
                    }
                }),
                _ => None,
            };
            out.push(ArchiveEntry { path, kind, size, offset, link });
            if offset - last_report >= 4 << 20 {
                last_report = offset;
                if let ControlFlow::Break(()) = observer.progress(Progress { bytes_done: offset, bytes_total: total }) {
                    return Err(Error::new(ErrorKind::Cancelled, "the analysis was cancelled"));
                }
            }
        }
        if out.is_empty() {
            return Err(Error::new(
                ErrorKind::NotAnImage,
                "the file is not a tar archive (no tar header found at its start)",
            ));
        }
        let _ = observer.progress(Progress { bytes_done: total, bytes_total: total });
        Ok(ArchiveIndex { entries: out, total_bytes: total })
    }

    /// Finds an entry by its cleaned path; when a path occurs more than once the last one wins, as in tar.
    pub fn find(&self, path: &str) -> Option<&ArchiveEntry> {
        let path = clean_path(path);
        self.entries.iter().rev().find(|e| e.path == path)
    }
}

fn tar_error(err: &std::io::Error, index: usize, total: u64) -> Error {
    if let Some(e) = tar_guard::limit_error(err, &format!("entry {} of the archive", index + 1)) {
        return e;
    }
    let mut e =
        Error::from_io(err, &format!("reading the archive header of entry {} (file of {total} bytes)", index + 1));
    if e.kind == ErrorKind::Io && index == 0 {
        e.kind = ErrorKind::NotAnImage;
        e.message = format!("the file is not a tar archive: {err}");
    } else if e.kind == ErrorKind::Io {
        e.kind = ErrorKind::Corrupt;
    }
    e
}

/// Decodes a tar path, replacing invalid UTF-8 with U+FFFD.
pub fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Resolves a symlink target relative to the directory of the link at `link_path`.
pub fn resolve_link(link_path: &str, target: &str) -> String {
    if target.starts_with('/') {
        return clean_path(target);
    }
    let dir = link_path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Cleans an archive path: drops `./` prefixes, repeated and trailing slashes, and `.` components.
pub fn clean_path(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Silent;
    use crate::source::MemSource;

    fn tarball(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (name, data) in files {
            let mut h = tar::Header::new_gnu();
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            h.set_cksum();
            b.append_data(&mut h, name, *data).unwrap();
        }
        b.into_inner().unwrap()
    }

    #[test]
    fn indexes_entries_with_offsets() {
        let bytes = tarball(&[("./manifest.json", b"[]"), ("a/layer.tar", &[7u8; 1000])]);
        let idx = ArchiveIndex::build(&MemSource::new(bytes.clone()), &mut Silent).unwrap();
        assert_eq!(idx.entries.len(), 2);
        assert_eq!(idx.entries[0].path, "manifest.json");
        let e = idx.find("a/layer.tar").unwrap();
        assert_eq!(e.size, 1000);
        assert_eq!(bytes[e.offset as usize], 7);
    }

    #[test]
    fn truncated_archive_is_a_clear_error() {
        let bytes = tarball(&[("a/layer.tar", &[7u8; 5000])]);
        let err = ArchiveIndex::build(&MemSource::new(bytes[..2048].to_vec()), &mut Silent).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Truncated, "{err}");
        assert!(err.message.contains("a/layer.tar"), "{err}");
    }

    #[test]
    fn garbage_is_not_an_image() {
        let err = ArchiveIndex::build(&MemSource::new(vec![0x42; 3000]), &mut Silent).unwrap_err();
        assert_eq!(err.kind, ErrorKind::NotAnImage, "{err}");
    }

    #[test]
    fn cancel_stops_the_walk() {
        let big = vec![1u8; 5 << 20];
        let bytes = tarball(&[("a", &big), ("b", &big)]);
        let mut stop = |_: Progress| ControlFlow::Break(());
        let err = ArchiveIndex::build(&MemSource::new(bytes), &mut stop).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Cancelled);
    }
}
