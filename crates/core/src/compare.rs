//! Compares two image reports, as container-diff did: the layers side by side with the ones both images
//! share, and the paths added, removed and changed between the two final filesystems, with byte totals.
//!
//! Everything is computed from the two [`ImageReport`]s; nothing is read again. Memory grows with the
//! number of paths, and the listed paths are bounded in count and in bytes (see [`CompareOptions`]).

use crate::image::{FileTree, ImageReport, LayerReport, NodeKind};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// How much of the comparison to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompareOptions {
    /// The most changed paths listed in [`FileDiff::entries`] (the largest are kept; totals count all).
    pub max_entries: usize,
    /// The most bytes of path text listed, so deeply nested trees cannot make the list huge.
    pub max_path_bytes: usize,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions { max_entries: 100_000, max_path_bytes: 32 << 20 }
    }
}

/// Two images compared: `left` is the first (the "before"), `right` the second.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    /// The first image.
    pub left: ImageSide,
    /// The second image.
    pub right: ImageSide,
    /// The layers side by side by position, base first.
    pub layers: Vec<LayerRow>,
    /// How many leading layers both images have in common (the same layer at the same position).
    pub common_base_layers: usize,
    /// Layers of the second image that the first also has (anywhere), and their bytes.
    pub shared: SharedLayers,
    /// The paths that differ between the two final filesystems.
    pub files: FileDiff,
}

/// One image's figures in a comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageSide {
    /// The image's first tag, or `(untagged)`.
    pub name: String,
    /// The platform, when known.
    pub platform: Option<String>,
    /// Number of layers.
    pub layers: usize,
    /// Content bytes all layers ship.
    pub content_bytes: u64,
    /// Bytes the archive stores for the layers (compressed when the layers are).
    pub stored_bytes: u64,
    /// Bytes visible in the final filesystem.
    pub visible_bytes: u64,
    /// Regular files and hardlinks in the final filesystem.
    pub files: u64,
}

/// The two images' layers at one position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerRow {
    /// The layer position, 0 = base.
    pub index: usize,
    /// The first image's layer at this position.
    pub left: Option<ComparedLayer>,
    /// The second image's layer at this position.
    pub right: Option<ComparedLayer>,
}

/// One layer as a comparison shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComparedLayer {
    /// The layer's identity: its diff ID, or its blob digest when the config gives none.
    pub id: String,
    /// The cleaned command that made it.
    pub command: String,
    /// Content bytes it ships.
    pub content_bytes: u64,
    /// Bytes the archive stores for it.
    pub stored_bytes: u64,
    /// The position of the same layer in the other image, when the other image has it.
    pub shared_with: Option<usize>,
}

/// The layers both images have.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedLayers {
    /// Layers of the second image found in the first.
    pub layers: usize,
    /// Their content bytes.
    pub content_bytes: u64,
    /// Their stored bytes: what a registry or a host holding the first image need not fetch again.
    pub stored_bytes: u64,
}

/// How the two final filesystems differ.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileDiff {
    /// Paths only the second image has.
    pub added: ChangeTotal,
    /// Paths only the first image has.
    pub removed: ChangeTotal,
    /// Paths both have that differ in kind, size, mode, link target or content.
    pub changed: ChangeTotal,
    /// Paths present in both whose content could not be compared (a report without content hashes).
    pub unhashed: u64,
    /// The differing paths in path order: all of them, or the largest when there are more than the options allow.
    pub entries: Vec<FileChange>,
    /// How many differing paths there are in all (`entries` may be cut).
    pub entry_count: u64,
}

/// A count of differing paths and their bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeTotal {
    /// Paths (directories included).
    pub paths: u64,
    /// Bytes of the first image's version (files, links and special files; a directory's bytes are its files').
    pub left_bytes: u64,
    /// Bytes of the second image's version.
    pub right_bytes: u64,
}

/// How a path differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Only the second image has it.
    Added,
    /// Only the first image has it.
    Removed,
    /// Both have it, differently.
    Changed,
}

/// What differs in a changed path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aspect {
    /// A file became a directory, a link, ….
    Kind,
    /// The size.
    Size,
    /// The permission or type bits.
    Mode,
    /// The link target.
    Link,
    /// The content (same size, different bytes).
    Content,
}

/// One differing path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileChange {
    /// The path, without a leading `/`.
    pub path: String,
    /// How it differs.
    pub change: Change,
    /// What differs, for changed paths.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aspects: Vec<Aspect>,
    /// The path in the first image.
    pub left: Option<PathState>,
    /// The path in the second image.
    pub right: Option<PathState>,
}

/// A path's state in one image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathState {
    /// What it is.
    pub kind: NodeKind,
    /// Its size (for directories, the bytes below it).
    pub size: u64,
    /// Its mode bits.
    pub mode: u32,
    /// Its link target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// The layer that last wrote it.
    pub layer: u32,
}

impl FileChange {
    /// The bytes this change adds to (positive) or removes from (negative) the final filesystem.
    pub fn delta(&self) -> i128 {
        i128::from(self.right.as_ref().map_or(0, |s| s.size)) - i128::from(self.left.as_ref().map_or(0, |s| s.size))
    }

    /// The kind shown for the path: the second image's, or the first's when removed.
    pub fn kind(&self) -> NodeKind {
        self.right.as_ref().or(self.left.as_ref()).map_or(NodeKind::Other, |s| s.kind)
    }
}

/// Compares `left` (the first image) with `right` (the second).
pub fn compare(left: &ImageReport, right: &ImageReport, options: &CompareOptions) -> Comparison {
    let left_ids: Vec<Option<&str>> = left.layers.iter().map(layer_id).collect();
    let right_ids: Vec<Option<&str>> = right.layers.iter().map(layer_id).collect();
    let find = |ids: &[Option<&str>], id: Option<&str>| id.and_then(|id| ids.iter().position(|o| *o == Some(id)));
    let side = |l: &LayerReport, id: Option<&str>, other: &[Option<&str>]| ComparedLayer {
        id: id.unwrap_or(&l.digest).to_string(),
        command: l.command.clone(),
        content_bytes: l.content_bytes,
        stored_bytes: l.stored_bytes,
        shared_with: find(other, id),
    };
    let rows = left.layers.len().max(right.layers.len());
    let layers: Vec<LayerRow> = (0..rows)
        .map(|index| LayerRow {
            index,
            left: left.layers.get(index).map(|l| side(l, left_ids.get(index).copied().flatten(), &right_ids)),
            right: right.layers.get(index).map(|l| side(l, right_ids.get(index).copied().flatten(), &left_ids)),
        })
        .collect();
    let common_base_layers = left_ids.iter().zip(&right_ids).take_while(|(a, b)| a.is_some() && a == b).count();
    let mut shared = SharedLayers::default();
    for row in &layers {
        if let Some(r) = row.right.as_ref().filter(|r| r.shared_with.is_some()) {
            shared.layers += 1;
            shared.content_bytes += r.content_bytes;
            shared.stored_bytes += r.stored_bytes;
        }
    }
    Comparison {
        left: image_side(left),
        right: image_side(right),
        layers,
        common_base_layers,
        shared,
        files: diff_trees(&left.filesystem, &right.filesystem, options),
    }
}

/// A layer's identity: the diff ID, else a content-addressed blob digest. Archive paths of legacy layouts
/// are not identities (two unrelated images may both hold `layer.tar`).
fn layer_id(layer: &LayerReport) -> Option<&str> {
    layer.diff_id.as_deref().or_else(|| layer.digest.contains(':').then_some(layer.digest.as_str()))
}

fn image_side(r: &ImageReport) -> ImageSide {
    ImageSide {
        name: r.image.tags.first().cloned().unwrap_or_else(|| "(untagged)".to_string()),
        platform: r.image.platform.clone(),
        layers: r.layers.len(),
        content_bytes: r.layers.iter().map(|l| l.content_bytes).sum(),
        stored_bytes: r.layers.iter().map(|l| l.stored_bytes).sum(),
        visible_bytes: r.filesystem.total_bytes,
        files: r.filesystem.files,
    }
}

/// One differing path before its path text is built: the node on each side.
struct Found {
    change: Change,
    aspects: Vec<Aspect>,
    left: Option<usize>,
    right: Option<usize>,
}

/// Children of every node, sorted by name, built from the parent links (a node's parent has a smaller
/// index; nodes breaking that rule are left out, so the walk below always ends).
fn children(tree: &FileTree) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); tree.nodes.len()];
    for (i, n) in tree.nodes.iter().enumerate().skip(1) {
        let p = n.parent as usize;
        if p < i {
            if let Some(list) = out.get_mut(p) {
                list.push(i);
            }
        }
    }
    for list in &mut out {
        list.sort_by(|&a, &b| name_key(tree, a).cmp(&name_key(tree, b)));
    }
    out
}

fn name_key(tree: &FileTree, i: usize) -> (&str, bool) {
    tree.nodes.get(i).map_or(("", false), |n| (n.name.as_str(), n.non_utf8))
}

fn diff_trees(left: &FileTree, right: &FileTree, options: &CompareOptions) -> FileDiff {
    let mut diff = FileDiff::default();
    let mut found: Vec<Found> = Vec::new();
    if left.nodes.is_empty() && right.nodes.is_empty() {
        return diff;
    }
    let (lk, rk) = (children(left), children(right));
    let empty: Vec<usize> = Vec::new();
    // Pairs of directories to walk; each node is pushed at most once, so the walk is linear.
    let mut stack: Vec<(Option<usize>, Option<usize>)> =
        vec![(Some(0).filter(|_| !left.nodes.is_empty()), Some(0).filter(|_| !right.nodes.is_empty()))];
    while let Some((l, r)) = stack.pop() {
        let lc = l.and_then(|l| lk.get(l)).unwrap_or(&empty);
        let rc = r.and_then(|r| rk.get(r)).unwrap_or(&empty);
        let (mut i, mut j) = (0, 0);
        while i < lc.len() || j < rc.len() {
            let order = match (lc.get(i), rc.get(j)) {
                (Some(&a), Some(&b)) => name_key(left, a).cmp(&name_key(right, b)),
                (Some(_), None) => Ordering::Less,
                _ => Ordering::Greater,
            };
            let (a, b) = match order {
                Ordering::Less => (lc.get(i).copied(), None),
                Ordering::Greater => (None, rc.get(j).copied()),
                Ordering::Equal => (lc.get(i).copied(), rc.get(j).copied()),
            };
            i += usize::from(a.is_some());
            j += usize::from(b.is_some());
            let (ln, rn) = (a.and_then(|a| left.nodes.get(a)), b.and_then(|b| right.nodes.get(b)));
            let l_dir = ln.is_some_and(|n| n.kind == NodeKind::Dir);
            let r_dir = rn.is_some_and(|n| n.kind == NodeKind::Dir);
            match (ln, rn) {
                (Some(x), Some(y)) => {
                    let mut aspects = Vec::new();
                    if x.kind != y.kind {
                        aspects.push(Aspect::Kind);
                    }
                    let links = matches!(x.kind, NodeKind::Hardlink) && x.kind == y.kind;
                    // A hardlink's size says only which link carries the shared content, so links compare by
                    // target and content.
                    if x.kind == y.kind && x.kind != NodeKind::Dir && !links && x.size != y.size {
                        aspects.push(Aspect::Size);
                    }
                    if x.mode != y.mode {
                        aspects.push(Aspect::Mode);
                    }
                    if x.link != y.link {
                        aspects.push(Aspect::Link);
                    }
                    if x.kind == y.kind && matches!(x.kind, NodeKind::File | NodeKind::Hardlink) {
                        match (x.hash, y.hash) {
                            (Some(h), Some(k)) if h != k && !aspects.contains(&Aspect::Size) => {
                                aspects.push(Aspect::Content)
                            }
                            (Some(_), Some(_)) => {}
                            _ => diff.unhashed += 1,
                        }
                    }
                    if !aspects.is_empty() {
                        found.push(Found { change: Change::Changed, aspects, left: a, right: b });
                    }
                }
                (Some(_), None) => {
                    found.push(Found { change: Change::Removed, aspects: Vec::new(), left: a, right: b })
                }
                (None, Some(_)) => found.push(Found { change: Change::Added, aspects: Vec::new(), left: a, right: b }),
                (None, None) => {}
            }
            if l_dir || r_dir {
                stack.push((a.filter(|_| l_dir), b.filter(|_| r_dir)));
            }
        }
    }
    for f in &found {
        let size = |tree: &FileTree, i: Option<usize>| {
            i.and_then(|i| tree.nodes.get(i)).filter(|n| n.kind != NodeKind::Dir).map_or(0, |n| n.size)
        };
        let total = match f.change {
            Change::Added => &mut diff.added,
            Change::Removed => &mut diff.removed,
            Change::Changed => &mut diff.changed,
        };
        total.paths += 1;
        total.left_bytes += size(left, f.left);
        total.right_bytes += size(right, f.right);
    }
    diff.entry_count = found.len() as u64;
    // When the list must be cut, the largest paths stay: by the bigger of the two versions' sizes.
    let weight = |f: &Found| {
        let s = |tree: &FileTree, i: Option<usize>| i.and_then(|i| tree.nodes.get(i)).map_or(0, |n| n.size);
        s(left, f.left).max(s(right, f.right))
    };
    found.sort_by_key(|f| std::cmp::Reverse(weight(f)));
    found.truncate(options.max_entries);
    let mut budget = options.max_path_bytes;
    for f in found {
        let path = match (f.right, f.left) {
            (Some(i), _) => path_of(right, i, budget),
            (None, Some(i)) => path_of(left, i, budget),
            (None, None) => None,
        };
        let Some(path) = path else { continue };
        budget = budget.saturating_sub(path.len());
        let state = |tree: &FileTree, i: Option<usize>| {
            i.and_then(|i| tree.nodes.get(i)).map(|n| PathState {
                kind: n.kind,
                size: n.size,
                mode: n.mode,
                link: n.link.clone(),
                layer: n.layer,
            })
        };
        diff.entries.push(FileChange {
            path,
            change: f.change,
            aspects: f.aspects,
            left: state(left, f.left),
            right: state(right, f.right),
        });
    }
    diff.entries.sort_by(|a, b| a.path.cmp(&b.path));
    diff
}

/// The path of node `i`, or `None` when it is longer than `budget` bytes.
fn path_of(tree: &FileTree, i: usize, budget: usize) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let mut len = 0usize;
    let mut cur = i;
    // Parents have smaller indices (nodes that break this were never reached), so this walk ends.
    while cur != 0 {
        let n = tree.nodes.get(cur)?;
        len += n.name.len() + 1;
        if len > budget.saturating_add(1) {
            return None;
        }
        parts.push(&n.name);
        let parent = n.parent as usize;
        if parent >= cur {
            return None;
        }
        cur = parent;
    }
    parts.reverse();
    Some(parts.join("/"))
}
