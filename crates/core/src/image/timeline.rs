//! The filesystem at one layer, from the report's [`Timeline`]: either that layer's changes only or everything
//! up to it, each path marked added, modified, removed or unchanged, with directory sizes summed. The page's
//! file explorer only draws what this computes.

use super::report::{ImageReport, NodeKind, PathChangeKind, Timeline};

/// Which paths a layer view holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ViewMode {
    /// The paths the layer added, modified or removed, with their parent directories for context.
    #[default]
    Changes,
    /// The whole filesystem after the layer, plus what the layer removed.
    UpTo,
}

/// A path's state at the viewed layer, against the filesystem below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PathStatus {
    /// The layer created the path.
    Added,
    /// The layer wrote the path again.
    Modified,
    /// The layer removed the path.
    Removed,
    /// The path is as a lower layer left it.
    Unchanged,
}

/// One path in a layer view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathView {
    /// How the viewed layer changed it.
    pub status: PathStatus,
    /// What the path is (for removed paths, what it was).
    pub kind: NodeKind,
    /// File size; for directories the sum below them (in [`ViewMode::Changes`], of added and modified files
    /// only; for removed directories, of the removed files).
    pub size: u64,
    /// The layer that last wrote (or removed) the path, at or below the viewed layer.
    pub layer: u32,
}

/// The filesystem at one layer: an entry per path id, `None` for paths the view does not hold.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LayerView {
    entries: Vec<Option<PathView>>,
}

impl LayerView {
    /// The entry of path `id`, when the view holds it.
    pub fn get(&self, id: u32) -> Option<&PathView> {
        self.entries.get(id as usize).and_then(Option::as_ref)
    }

    /// How many path ids there are (held or not).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no path ids at all.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The ids and entries of the paths the view holds, root included, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &PathView)> {
        self.entries.iter().enumerate().filter_map(|(i, e)| e.as_ref().map(|e| (i as u32, e)))
    }
}

/// The names and parents of every path id of a report: the final filesystem's nodes, then the removed paths.
#[derive(Debug, Clone, Copy)]
pub struct Paths<'a> {
    report: &'a ImageReport,
}

impl<'a> Paths<'a> {
    /// The path ids of `report`.
    pub fn new(report: &'a ImageReport) -> Paths<'a> {
        Paths { report }
    }

    fn timeline(&self) -> &'a Timeline {
        &self.report.timeline
    }

    /// How many path ids there are.
    pub fn len(&self) -> usize {
        self.report.filesystem.nodes.len() + self.timeline().removed_paths.len()
    }

    /// Whether there are none (a report without even a root).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The parent of `id`; the root, and ids out of range, give 0.
    pub fn parent(&self, id: u32) -> u32 {
        let nodes = &self.report.filesystem.nodes;
        let parent = match nodes.get(id as usize) {
            Some(n) => n.parent,
            None => self.timeline().removed_paths.get(id as usize - nodes.len()).map_or(0, |p| p.parent),
        };
        // A parent always has a smaller id; anything else is treated as the root.
        if parent < id {
            parent
        } else {
            0
        }
    }

    /// The last component of `id`'s path (empty for the root and ids out of range).
    pub fn name(&self, id: u32) -> &'a str {
        let nodes = &self.report.filesystem.nodes;
        match nodes.get(id as usize) {
            Some(n) => &n.name,
            None => self.timeline().removed_paths.get(id as usize - nodes.len()).map_or("", |p| p.name.as_str()),
        }
    }
}

/// The filesystem at `layer` (clamped to the last layer) in `mode`.
///
/// Replays the events of every layer up to `layer` once, so the cost grows with the number of changes, not
/// with bytes.
pub fn layer_view(report: &ImageReport, layer: usize, mode: ViewMode) -> LayerView {
    let paths = Paths::new(report);
    let len = paths.len();
    let mut entries: Vec<Option<PathView>> = vec![None; len];
    let root = PathView { status: PathStatus::Unchanged, kind: NodeKind::Dir, size: 0, layer: 0 };
    if let Some(first) = entries.first_mut() {
        *first = Some(root);
    }
    let layers = &report.timeline.layers;
    let Some(last) = layers.len().checked_sub(1) else { return LayerView { entries } };
    let layer = layer.min(last);
    for (l, events) in layers.iter().enumerate().take(layer + 1) {
        for e in events {
            let Some(slot) = entries.get_mut(e.node as usize) else { continue };
            let status = match (l == layer, e.change) {
                (false, PathChangeKind::Removed) => {
                    *slot = None;
                    continue;
                }
                (false, _) => PathStatus::Unchanged,
                (true, PathChangeKind::Added) => PathStatus::Added,
                (true, PathChangeKind::Modified) => PathStatus::Modified,
                (true, PathChangeKind::Removed) => PathStatus::Removed,
            };
            *slot = Some(PathView { status, kind: e.kind, size: e.size, layer: l as u32 });
        }
    }
    if mode == ViewMode::Changes {
        // Keep the changed paths and the directories above them; ids of parents are smaller, so one
        // backwards pass marks every ancestor.
        let mut keep: Vec<bool> =
            entries.iter().map(|e| e.is_some_and(|e| e.status != PathStatus::Unchanged)).collect();
        for id in (1..len).rev() {
            if keep[id] {
                keep[paths.parent(id as u32) as usize] = true;
            }
        }
        for (entry, keep) in entries.iter_mut().zip(&keep) {
            if !keep {
                *entry = None;
            }
        }
        if let Some(first) = entries.first_mut() {
            *first = Some(root);
        }
    }
    sum_directories(&paths, &mut entries, mode);
    LayerView { entries }
}

/// Sets each directory's size to the sum below it: present files (in `Changes` mode, added and modified
/// ones only), or for a removed directory the removed files below it.
fn sum_directories(paths: &Paths<'_>, entries: &mut [Option<PathView>], mode: ViewMode) {
    let mut present = vec![0u64; entries.len()];
    let mut removed = vec![0u64; entries.len()];
    for id in (0..entries.len()).rev() {
        let Some(e) = entries[id].as_mut() else { continue };
        if e.kind == NodeKind::Dir {
            e.size = if e.status == PathStatus::Removed { removed[id] } else { present[id] };
        }
        if id == 0 {
            break;
        }
        let (own_present, own_removed) = match (e.kind, e.status) {
            (NodeKind::Dir, _) => (present[id], removed[id]),
            (_, PathStatus::Removed) => (0, e.size),
            (_, PathStatus::Unchanged) if mode == ViewMode::Changes => (0, 0),
            _ => (e.size, 0),
        };
        let parent = paths.parent(id as u32) as usize;
        present[parent] = present[parent].saturating_add(own_present);
        removed[parent] = removed[parent].saturating_add(own_removed);
    }
}
