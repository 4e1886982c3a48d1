//! The view of an image that the recommendation engine reads: the final filesystem with, for each
//! path, its kind, size, mode, owner, the layer that last wrote it and (for small well-known files) its
//! bytes; plus the layers with their history and what each layer shipped that is no longer visible.
//!
//! It is built from the image engine's report, or directly by tests that lay out a fake root
//! filesystem. Paths are stored without a leading `/` (`etc/os-release`).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// A regular file.
    File,
    /// A directory.
    Dir,
    /// A symbolic link (see [`Node::link`]).
    Symlink,
    /// A hard link to another path (see [`Node::link`]); its bytes are counted once, at the target.
    Hardlink,
    /// A device, FIFO or other special file.
    Other,
}

/// One path of the final filesystem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    /// The kind of entry.
    pub kind: NodeKind,
    /// Content bytes (0 for directories and links).
    pub size: u64,
    /// Unix permission bits including setuid/setgid/sticky (`0o4755`).
    pub mode: u32,
    /// Owner user id.
    pub uid: u64,
    /// Index of the layer that last wrote this path.
    pub layer: usize,
    /// Target of a symlink or hard link, as stored in the layer.
    pub link: Option<String>,
    /// The file's bytes (whole, or the head only for ELF files), when the image engine captured them.
    pub content: Option<Vec<u8>>,
}

impl Node {
    /// A regular file of `size` bytes written by `layer`, mode 0644, owned by root.
    pub fn file(size: u64, layer: usize) -> Node {
        Node { kind: NodeKind::File, size, mode: 0o644, uid: 0, layer, link: None, content: None }
    }
}

/// One layer of the image, with the history entry that made it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerView {
    /// The history `created_by` line for this layer, when known.
    pub created_by: String,
    /// Bytes of file content this layer ships (uncompressed).
    pub size: u64,
    /// Compressed blob size, when the archive has it.
    pub compressed_size: Option<u64>,
    /// Compressed blob digest (`sha256:…`), when the archive has it.
    pub digest: Option<String>,
}

/// Bytes shipped by one layer and hidden by another, for one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HiddenGroup {
    /// The layer that shipped the bytes.
    pub shipped_in: usize,
    /// The layer that hid them.
    pub hidden_by: usize,
    /// True when a later layer re-shipped identical content only to change metadata (mode, owner, time).
    pub metadata_only: bool,
    /// Hidden bytes.
    pub bytes: u64,
    /// Hidden files.
    pub files: u64,
}

/// A file shipped by one layer that is not visible in the final filesystem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HiddenFile {
    /// The path (without a leading `/`).
    pub path: String,
    /// Content bytes shipped.
    pub size: u64,
    /// The layer that shipped it.
    pub shipped_in: usize,
    /// The layer that deleted, overwrote or re-shipped it.
    pub hidden_by: usize,
    /// True when only its metadata changed.
    pub metadata_only: bool,
}

/// A set of paths holding identical content in the final filesystem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuplicateSet {
    /// Size of one copy.
    pub size: u64,
    /// The paths with this content (hard links excluded).
    pub paths: Vec<String>,
}

/// The image config facts the recommendations use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigView {
    /// Whether `env`, `user` and `command` were read from the image config (false when the source had none).
    pub known: bool,
    /// `Env` entries (`NAME=value`).
    pub env: Vec<String>,
    /// `User` (empty means root).
    pub user: String,
    /// `Entrypoint` followed by `Cmd`.
    pub command: Vec<String>,
    /// Every history `created_by` line, empty layers included, in order.
    pub history: Vec<String>,
    /// For each history line, the layer it made (`None` for empty layers); empty when unknown.
    pub history_layer: Vec<Option<usize>>,
}

/// Everything the recommendation engine knows about an analysed image.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageView {
    /// Image name or tag, for headings.
    pub name: String,
    /// The final filesystem, keyed by path without a leading `/`.
    pub files: BTreeMap<String, Node>,
    /// The layers, bottom first.
    pub layers: Vec<LayerView>,
    /// Config and history.
    pub config: ConfigView,
    /// Hidden bytes grouped by shipping layer, hiding layer and reason (complete totals).
    pub hidden: Vec<HiddenGroup>,
    /// The largest hidden files (examples; may be a cut list).
    pub hidden_files: Vec<HiddenFile>,
    /// Duplicate content in the final filesystem (the largest groups; may be a cut list).
    pub duplicates: Vec<DuplicateSet>,
    /// Bytes a deduplication would save over all groups, when the source computed it.
    pub duplicate_saving_bytes: Option<u64>,
}

/// The longest chain of symlinks followed before giving up (as Linux's ELOOP limit).
const MAX_SYMLINK_HOPS: usize = 40;

/// Turns any spelling of a path (`/etc/x`, `./etc/x`, `etc//x/`) into the stored key (`etc/x`), resolving
/// `.` and `..` lexically.
pub fn clean_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

impl ImageView {
    /// The node at `path` itself (a symlink is not followed).
    pub fn node(&self, path: &str) -> Option<&Node> {
        self.files.get(&clean_path(path))
    }

    /// Follows symlinks (in every path component) and hard links; returns the final path and node.
    pub fn resolve(&self, path: &str) -> Option<(String, &Node)> {
        let mut pending: Vec<String> = clean_path(path).split('/').map(str::to_string).rev().collect();
        let mut done: Vec<String> = Vec::new();
        let mut hops = 0;
        while let Some(part) = pending.pop() {
            if part.is_empty() || part == "." {
                continue;
            }
            if part == ".." {
                done.pop();
                continue;
            }
            done.push(part);
            let current = done.join("/");
            // Layers need not list parent directories, so a missing intermediate entry is not an error.
            let Some(node) = self.files.get(&current) else { continue };
            if node.kind == NodeKind::Symlink {
                hops += 1;
                if hops > MAX_SYMLINK_HOPS {
                    return None;
                }
                let target = node.link.clone().unwrap_or_default();
                done.pop();
                if target.starts_with('/') {
                    done.clear();
                }
                pending.extend(target.split('/').map(str::to_string).rev());
            }
        }
        let key = done.join("/");
        let node = self.files.get(&key)?;
        if node.kind == NodeKind::Hardlink {
            let target = clean_path(node.link.as_deref().unwrap_or_default());
            return self.files.get(&target).map(|n| (target, n));
        }
        Some((key, node))
    }

    /// The captured bytes of the file at `path`, following links.
    pub fn read(&self, path: &str) -> Option<&[u8]> {
        self.resolve(path).and_then(|(_, n)| n.content.as_deref())
    }

    /// Whether `path` exists, following links.
    pub fn exists(&self, path: &str) -> bool {
        self.resolve(path).is_some()
    }

    /// The entries directly inside directory `dir` (keys of the children).
    pub fn children<'a>(&'a self, dir: &str) -> impl Iterator<Item = (&'a String, &'a Node)> + 'a {
        let prefix = match clean_path(dir) {
            d if d.is_empty() => String::new(),
            d => format!("{d}/"),
        };
        let len = prefix.len();
        self.files
            .range(prefix.clone()..)
            .take_while(move |(k, _)| k.starts_with(&prefix))
            .filter(move |(k, _)| !k[len..].contains('/'))
            .filter(|(k, _)| !k.is_empty())
    }

    /// Every entry under directory `dir` (recursively), in path order.
    pub fn under<'a>(&'a self, dir: &str) -> impl Iterator<Item = (&'a String, &'a Node)> + 'a {
        let prefix = format!("{}/", clean_path(dir));
        self.files.range(prefix.clone()..).take_while(move |(k, _)| k.starts_with(&prefix))
    }

    /// Sum of the regular-file bytes in the final filesystem.
    pub fn total_file_bytes(&self) -> u64 {
        self.files.values().filter(|n| n.kind == NodeKind::File).map(|n| n.size).sum()
    }

    /// Sum of the bytes every layer ships.
    pub fn total_layer_bytes(&self) -> u64 {
        self.layers.iter().map(|l| l.size).sum()
    }

    /// The value of environment variable `name` in the config.
    pub fn env(&self, name: &str) -> Option<&str> {
        let prefix = format!("{name}=");
        self.config.env.iter().find_map(|e| e.strip_prefix(prefix.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(target: &str) -> Node {
        Node {
            kind: NodeKind::Symlink,
            size: 0,
            mode: 0o777,
            uid: 0,
            layer: 0,
            link: Some(target.into()),
            content: None,
        }
    }

    #[test]
    fn resolves_relative_absolute_and_directory_symlinks() {
        let mut view = ImageView::default();
        view.files.insert("usr/lib/os-release".into(), Node { content: Some(b"ID=x".to_vec()), ..Node::file(4, 0) });
        view.files.insert("etc/os-release".into(), link("../usr/lib/os-release"));
        view.files.insert("lib".into(), link("usr/lib"));
        view.files.insert("abs".into(), link("/lib/os-release"));
        assert_eq!(view.read("/etc/os-release"), Some(&b"ID=x"[..]));
        assert_eq!(view.read("lib/os-release"), Some(&b"ID=x"[..]));
        assert_eq!(view.read("/abs"), Some(&b"ID=x"[..]));
    }

    #[test]
    fn a_symlink_loop_ends() {
        let mut view = ImageView::default();
        view.files.insert("a".into(), link("b"));
        view.files.insert("b".into(), link("a"));
        assert!(view.resolve("a").is_none());
    }

    #[test]
    fn children_lists_one_level() {
        let mut view = ImageView::default();
        for p in ["d", "d/a", "d/b", "d/b/c", "e"] {
            view.files.insert(p.into(), Node::file(1, 0));
        }
        let names: Vec<&String> = view.children("d").map(|(k, _)| k).collect();
        assert_eq!(names, ["d/a", "d/b"]);
    }
}
