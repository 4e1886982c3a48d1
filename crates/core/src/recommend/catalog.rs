//! The base-image catalog: sourced facts about common base images, shipped inside the engine.
//!
//! The data lives in `crates/core/data/base-images.tsv` (see `docs/base-images.md` for its origin and how to
//! refresh it). Columns are looked up by header name so that added columns do not break the loader.

use crate::{Error, ErrorKind, Result};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// The catalog text compiled into the engine.
pub const BUILTIN_TSV: &str = include_str!("../../data/base-images.tsv");

/// The C library an image's binaries link against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Libc {
    /// GNU C library (Debian, Ubuntu, Fedora, distroless base, Wolfi).
    Glibc,
    /// musl (Alpine, busybox:musl).
    Musl,
    /// uClibc (busybox:uclibc).
    Uclibc,
    /// No C library at all (scratch, distroless static).
    None,
}

impl Libc {
    fn parse(text: &str) -> Option<Libc> {
        match text.trim() {
            "glibc" => Some(Libc::Glibc),
            "musl" => Some(Libc::Musl),
            "uclibc" => Some(Libc::Uclibc),
            "none" => Some(Libc::None),
            _ => None,
        }
    }

    /// The lower-case name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            Libc::Glibc => "glibc",
            Libc::Musl => "musl",
            Libc::Uclibc => "uclibc",
            Libc::None => "none",
        }
    }
}

/// One row of the catalog: the linux/amd64 facts for one image tag, with where they came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaseImage {
    /// `repo:tag`, e.g. `node:22-alpine` or `gcr.io/distroless/static-debian13:latest`.
    pub image: String,
    /// Product family (debian, alpine, node, python, distroless, …).
    pub family: String,
    /// Variant within the family (full, slim, alpine, distroless-static, …).
    pub variant: String,
    /// OS and version of the root filesystem, e.g. `alpine 3.24.2` or `debian 13 (trixie)`.
    pub os_version: String,
    /// The C library, when the catalog states one.
    pub libc: Option<Libc>,
    /// Whether `/bin/sh` exists in the default tag, as the catalog states it (may carry a qualifier).
    pub has_shell: String,
    /// Package manager (apt, apk, none), as the catalog states it.
    pub pkg_manager: String,
    /// Registry transfer size: the sum of the compressed layer blobs, when published.
    pub compressed_bytes: Option<u64>,
    /// On-disk size after pull (decimal MB with two decimals, so about ±5,000 bytes), when known.
    pub uncompressed_bytes: Option<u64>,
    /// Number of layers in the amd64 manifest.
    pub layer_count: Option<u32>,
    /// Hash of the first `ADD file:<hash> in /` history line, where the image still has one.
    pub base_add_hash: Option<String>,
    /// The first three history instructions, normalised and joined with ` ; ` (cut to 200 characters).
    pub history_first3: String,
    /// Date (YYYY-MM-DD) of the facts.
    pub data_date: String,
    /// Exactly which file the figures came from.
    pub source: String,
    /// Compressed digest of the first (root filesystem) layer.
    pub first_layer_digest: Option<String>,
    /// The history line that identifies the root filesystem.
    pub base_marker: Option<String>,
    /// Whether `uncompressed_bytes` was measured on the same build as the other figures.
    pub uncompressed_same_build: Option<bool>,
    /// Free-text caveats, versions and the substitutions made.
    pub notes: String,
}

impl BaseImage {
    /// Whether the default tag has a shell: `Some(true)` for "yes…", `Some(false)` for "no…".
    pub fn shell(&self) -> Option<bool> {
        yes_no_prefix(&self.has_shell)
    }

    /// Whether the default tag has a package manager (`None` when the catalog says "unknown").
    pub fn package_manager(&self) -> Option<bool> {
        let text = self.pkg_manager.trim();
        if text.starts_with("none") {
            Some(false)
        } else if text.is_empty() || text.starts_with("unknown") {
            None
        } else {
            Some(true)
        }
    }

    /// The repository part of `image` (before the last `:` that follows the last `/`).
    pub fn repository(&self) -> &str {
        split_tag(&self.image).0
    }

    /// The tag part of `image`.
    pub fn tag(&self) -> &str {
        split_tag(&self.image).1
    }

    /// Whether the row is a secondary-source row (Chainguard) whose figures are not authoritative.
    pub fn is_secondary(&self) -> bool {
        self.notes.starts_with("SECONDARY")
    }
}

/// Splits `repo:tag` into its parts; a reference without a tag gets `latest`.
pub fn split_tag(reference: &str) -> (&str, &str) {
    let reference = reference.split('@').next().unwrap_or(reference);
    let slash = reference.rfind('/').map_or(0, |i| i + 1);
    match reference[slash..].rfind(':') {
        Some(i) => (&reference[..slash + i], &reference[slash + i + 1..]),
        None => (reference, "latest"),
    }
}

fn yes_no_prefix(text: &str) -> Option<bool> {
    let text = text.trim();
    if text.starts_with("yes") {
        Some(true)
    } else if text.starts_with("no") {
        Some(false)
    } else {
        None
    }
}

/// The whole catalog, in file order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    /// The rows, in the order of the data file.
    pub images: Vec<BaseImage>,
}

const REQUIRED: [&str; 18] = [
    "image",
    "family",
    "variant",
    "os_version",
    "libc",
    "has_shell",
    "pkg_manager",
    "compressed_bytes_amd64",
    "uncompressed_bytes",
    "layer_count",
    "base_add_hash",
    "history_first3",
    "data_date",
    "source",
    "first_layer_digest",
    "base_marker",
    "uncompressed_same_build",
    "notes",
];

impl Catalog {
    /// The catalog compiled into the engine, parsed once.
    pub fn builtin() -> Result<&'static Catalog> {
        static CELL: OnceLock<Result<Catalog>> = OnceLock::new();
        CELL.get_or_init(|| Catalog::parse(BUILTIN_TSV)).as_ref().map_err(Clone::clone)
    }

    /// Parses catalog text: `#` comment lines, one header line, then one tab-separated row per image.
    pub fn parse(text: &str) -> Result<Catalog> {
        let mut lines = text.lines().enumerate().filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty());
        let (_, header) =
            lines.next().ok_or_else(|| Error::new(ErrorKind::Corrupt, "the base-image catalog has no header line"))?;
        let names: Vec<&str> = header.split('\t').collect();
        let mut index = [0usize; REQUIRED.len()];
        for (slot, want) in index.iter_mut().zip(REQUIRED) {
            *slot = names.iter().position(|n| *n == want).ok_or_else(|| {
                Error::new(ErrorKind::Corrupt, format!("the base-image catalog header lacks the column `{want}`"))
            })?;
        }
        let mut images = Vec::new();
        for (number, line) in lines {
            let cells: Vec<&str> = line.split('\t').collect();
            let cell = |i: usize| cells.get(index[i]).copied().unwrap_or("").trim();
            let line_no = number + 1;
            let number_at = |i: usize| -> Result<Option<u64>> {
                let text = cell(i);
                if text.is_empty() {
                    return Ok(None);
                }
                text.parse().map(Some).map_err(|_| {
                    Error::new(
                        ErrorKind::Corrupt,
                        format!("base-image catalog line {line_no}: `{}` is not a number: {text:?}", REQUIRED[i]),
                    )
                })
            };
            if cells.len() < names.len() {
                return Err(Error::new(
                    ErrorKind::Corrupt,
                    format!(
                        "base-image catalog line {line_no} has {} columns, the header has {}",
                        cells.len(),
                        names.len()
                    ),
                ));
            }
            let optional = |i: usize| Some(cell(i).to_string()).filter(|s| !s.is_empty());
            let libc_text = cell(4);
            let libc = Libc::parse(libc_text);
            if libc.is_none() && !libc_text.is_empty() {
                return Err(Error::new(
                    ErrorKind::Corrupt,
                    format!("base-image catalog line {line_no}: unknown libc {libc_text:?}"),
                ));
            }
            images.push(BaseImage {
                image: cell(0).to_string(),
                family: cell(1).to_string(),
                variant: cell(2).to_string(),
                os_version: cell(3).to_string(),
                libc,
                has_shell: cell(5).to_string(),
                pkg_manager: cell(6).to_string(),
                compressed_bytes: number_at(7)?,
                uncompressed_bytes: number_at(8)?,
                layer_count: number_at(9)?.and_then(|n| u32::try_from(n).ok()),
                base_add_hash: optional(10),
                history_first3: cell(11).to_string(),
                data_date: cell(12).to_string(),
                source: cell(13).to_string(),
                first_layer_digest: optional(14),
                base_marker: optional(15),
                uncompressed_same_build: yes_no_prefix(cell(16)),
                notes: cell(17).to_string(),
            });
        }
        if images.is_empty() {
            return Err(Error::new(ErrorKind::Corrupt, "the base-image catalog has no rows"));
        }
        Ok(Catalog { images })
    }

    /// The row for exactly this `repo:tag` (a missing tag means `latest`).
    pub fn get(&self, reference: &str) -> Option<&BaseImage> {
        let (repo, tag) = split_tag(reference);
        let repo = repo.strip_prefix("docker.io/").unwrap_or(repo);
        let repo = repo.strip_prefix("library/").unwrap_or(repo);
        self.images.iter().find(|row| row.repository() == repo && row.tag() == tag)
    }

    /// The rows of one family, in file order.
    pub fn family<'a>(&'a self, family: &'a str) -> impl Iterator<Item = &'a BaseImage> + 'a {
        self.images.iter().filter(move |row| row.family == family)
    }
}
