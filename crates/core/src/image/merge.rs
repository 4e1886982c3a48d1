//! Stacks the layers into the final filesystem per the OCI whiteout rules, and accounts for every
//! shipped byte: visible, or hidden by a later layer (and which one, and why).
//!
//! The node arena is a union tree: one node per path that ever existed. A removed path stays in its
//! parent's children, marked dead, and comes back to life when a later layer writes it again, so each
//! layer's changes can be recorded against stable path ids (the [`Timeline`]).

use super::report::{
    CapturedFile, ChangeSet, DuplicateGroup, Duplicates, ExecutableHeader, FileTree, HiddenFile, HiddenGroup,
    HideReason, NodeKind, PathChange, PathChangeKind, PathNode, Timeline, TreeNode, TrueWaste, Warning,
};
use super::scan::{go_clean, Kind, LayerScan};
use std::collections::{BTreeMap, HashMap};

const NONE: u32 = u32::MAX;
const ROOT: u32 = 0;
const WHITEOUT: &[u8] = b".wh.";
const OPAQUE: &[u8] = b".wh..wh..opq";
const META_PREFIX: &[u8] = b".wh..wh.";

struct Node {
    parent: u32,
    name: Box<[u8]>,
    children: BTreeMap<Box<[u8]>, u32>,
    kind: NodeKind,
    mode: u32,
    layer: u32,
    entry: u32,
    born: u32,
    touched: u32,
    blob: u32,
    alive: bool,
    /// Index of this node's event in the events of the last layer that changed it.
    event: u32,
}

/// One path's change within one layer, while merging: whether it existed before the layer and after it.
struct RawEvent {
    node: u32,
    before: bool,
    after: bool,
    kind: NodeKind,
    size: u64,
}

struct Blob {
    size: u64,
    layer: u32,
    entry: u32,
    refs: u32,
    hide: Option<(u32, HideReason)>,
}

/// A whiteout that removed something: where, in which layer, and how much it hid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovalEvent {
    /// The layer holding the whiteout.
    pub layer: usize,
    /// The removed path (for opaque whiteouts, the directory).
    pub path: String,
    /// The kind of removal.
    pub reason: HideReason,
    /// Content bytes below the removed path (hardlinked content counted per link holder).
    pub bytes: u64,
    /// Regular files below the removed path.
    pub files: u64,
}

/// Everything the merge computes.
pub struct Merged {
    /// The final filesystem.
    pub filesystem: FileTree,
    /// Per-layer change sets.
    pub changes: Vec<ChangeSet>,
    /// Per layer: bytes it shipped that are hidden.
    pub shipped_hidden: Vec<u64>,
    /// Per layer: bytes it hid.
    pub hides: Vec<u64>,
    /// Per layer: content bytes of regular files shipped.
    pub content_bytes: Vec<u64>,
    /// Per layer: regular files and hardlinks shipped.
    pub files: Vec<u64>,
    /// Per layer: visible bytes that repeat content kept at another path (see [`super::LayerReport::duplicate_bytes`]).
    pub duplicate_bytes: Vec<u64>,
    /// True waste.
    pub waste: TrueWaste,
    /// Duplicate content.
    pub duplicates: Duplicates,
    /// Captured files.
    pub captured: Vec<CapturedFile>,
    /// ELF headers.
    pub executables: Vec<ExecutableHeader>,
    /// Warnings met while merging.
    pub warnings: Vec<Warning>,
    /// Whiteout removals, in layer order.
    pub removals: Vec<RemovalEvent>,
    /// Every path that ever existed and what each layer changed.
    pub timeline: Timeline,
}

struct Merger<'a> {
    scans: &'a [LayerScan],
    nodes: Vec<Node>,
    blobs: Vec<Blob>,
    changes: Vec<ChangeSet>,
    warnings: Vec<Warning>,
    removals: Vec<RemovalEvent>,
    events: Vec<Vec<RawEvent>>,
}

/// Merges `scans` (base layer first).
pub fn merge(scans: &[LayerScan]) -> Merged {
    let mut m = Merger {
        scans,
        nodes: vec![Node {
            parent: ROOT,
            name: Box::default(),
            children: BTreeMap::new(),
            kind: NodeKind::Dir,
            mode: 0o755,
            layer: 0,
            entry: NONE,
            born: 0,
            touched: NONE,
            blob: NONE,
            alive: true,
            event: NONE,
        }],
        blobs: Vec::new(),
        changes: vec![ChangeSet::default(); scans.len()],
        warnings: Vec::new(),
        removals: Vec::new(),
        events: scans.iter().map(|_| Vec::new()).collect(),
    };
    for (layer, scan) in scans.iter().enumerate() {
        m.apply(layer as u32, scan);
    }
    m.finish()
}

fn split_last(path: &[u8]) -> (&[u8], &[u8]) {
    match path.iter().rposition(|&b| b == b'/') {
        Some(i) => (&path[..i], &path[i + 1..]),
        None => (&[], path),
    }
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Lower-case hex of `bytes`, two digits a byte. Up to 16 MiB of ELF heads pass through here, so it writes
/// digits from a table rather than formatting (and allocating) one string per byte.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

fn join(dir: &[u8], name: &[u8]) -> Vec<u8> {
    let mut p = Vec::with_capacity(dir.len() + name.len() + 1);
    if !dir.is_empty() {
        p.extend_from_slice(dir);
        p.push(b'/');
    }
    p.extend_from_slice(name);
    p
}

impl Merger<'_> {
    fn warn(&mut self, layer: u32, message: String) {
        self.warnings.push(Warning { layer: Some(layer as usize), message });
    }

    /// The live child `name` of `parent`.
    fn live_child(&self, parent: u32, name: &[u8]) -> Option<u32> {
        let child = *self.nodes[parent as usize].children.get(name)?;
        self.nodes[child as usize].alive.then_some(child)
    }

    /// Finds a live node by path without creating anything.
    fn find(&self, path: &[u8]) -> Option<u32> {
        let mut cur = ROOT;
        for part in path.split(|&b| b == b'/').filter(|p| !p.is_empty()) {
            cur = self.live_child(cur, part)?;
        }
        Some(cur)
    }

    /// Finds or creates the directory chain for `dir`, returning its node.
    fn ensure_dir(&mut self, dir: &[u8], layer: u32) -> u32 {
        let mut cur = ROOT;
        for part in dir.split(|&b| b == b'/').filter(|p| !p.is_empty()) {
            cur = match self.live_child(cur, part) {
                Some(c) => c,
                None => self.place(cur, part, NodeKind::Dir, 0o755, layer, NONE, 0),
            };
        }
        cur
    }

    /// Makes `name` under `parent` a live node of `kind` written by `layer`: a new node, or the dead node
    /// of an earlier version of the path brought back. Records the change.
    #[allow(clippy::too_many_arguments)]
    fn place(&mut self, parent: u32, name: &[u8], kind: NodeKind, mode: u32, layer: u32, entry: u32, size: u64) -> u32 {
        let id = match self.nodes[parent as usize].children.get(name) {
            Some(&dead) => {
                let n = &mut self.nodes[dead as usize];
                n.kind = kind;
                n.mode = mode;
                n.layer = layer;
                n.entry = entry;
                n.born = layer;
                n.touched = NONE;
                n.blob = NONE;
                n.alive = true;
                dead
            }
            None => {
                let id = self.nodes.len() as u32;
                self.nodes.push(Node {
                    parent,
                    name: name.into(),
                    children: BTreeMap::new(),
                    kind,
                    mode,
                    layer,
                    entry,
                    born: layer,
                    touched: NONE,
                    blob: NONE,
                    alive: true,
                    event: NONE,
                });
                self.nodes[parent as usize].children.insert(name.into(), id);
                id
            }
        };
        self.record(layer, id, true, kind, size);
        id
    }

    /// Records that `layer` left node `id` present (`after`) or absent, as `kind` of `size` bytes. A second
    /// change to one path within one layer updates the first, so each layer holds one event per path.
    fn record(&mut self, layer: u32, id: u32, after: bool, kind: NodeKind, size: u64) {
        let Some(events) = self.events.get_mut(layer as usize) else { return };
        let node = &mut self.nodes[id as usize];
        match events.get_mut(node.event as usize).filter(|e| e.node == id) {
            Some(e) => {
                e.after = after;
                e.kind = kind;
                e.size = size;
            }
            None => {
                node.event = events.len() as u32;
                events.push(RawEvent { node: id, before: !after, after, kind, size });
            }
        }
    }

    /// Removes `id` and everything live below it (the nodes stay in the tree, dead); returns (content
    /// bytes, files) removed.
    fn remove(&mut self, id: u32, layer: u32, reason: HideReason, count_change: bool) -> (u64, u64) {
        let (mut bytes, mut files) = (0, 0);
        let mut stack = vec![id];
        while let Some(n) = stack.pop() {
            let node = &mut self.nodes[n as usize];
            if !node.alive {
                continue;
            }
            node.alive = false;
            stack.extend(node.children.values().copied());
            let (kind, blob) = (node.kind, node.blob);
            let size = if kind == NodeKind::File && blob != NONE { self.blobs[blob as usize].size } else { 0 };
            self.record(layer, n, false, kind, size);
            if blob != NONE {
                let b = &mut self.blobs[blob as usize];
                b.refs = b.refs.saturating_sub(1);
                b.hide = Some((layer, reason));
                if kind == NodeKind::File {
                    bytes += b.size;
                    files += 1;
                }
            }
            if count_change {
                let c = &mut self.changes[layer as usize];
                c.removed += 1;
                if kind == NodeKind::File && blob != NONE {
                    c.removed_bytes += self.blobs[blob as usize].size;
                }
            }
        }
        (bytes, files)
    }

    fn apply(&mut self, layer: u32, scan: &LayerScan) {
        // Whiteouts apply to the layers below, whatever their position in this layer's tar.
        for e in &scan.entries {
            if e.flags != 0 {
                continue;
            }
            let (dir, base) = split_last(&e.path);
            if !base.starts_with(WHITEOUT) {
                continue;
            }
            if base == OPAQUE {
                if let Some(d) = self.find(dir) {
                    let kids: Vec<u32> = self.nodes[d as usize]
                        .children
                        .values()
                        .copied()
                        .filter(|&k| self.nodes[k as usize].alive)
                        .collect();
                    let (mut bytes, mut files) = (0, 0);
                    for k in kids {
                        let (b, f) = self.remove(k, layer, HideReason::OpaqueHidden, true);
                        bytes += b;
                        files += f;
                    }
                    if bytes > 0 || files > 0 {
                        self.removals.push(RemovalEvent {
                            layer: layer as usize,
                            path: lossy(dir),
                            reason: HideReason::OpaqueHidden,
                            bytes,
                            files,
                        });
                    }
                }
            } else if base.starts_with(META_PREFIX) {
                self.warn(layer, format!("ignored whiteout metadata entry {:?}", lossy(&e.path)));
            } else if base == WHITEOUT {
                self.warn(layer, format!("refused bare whiteout {:?}: it names no file", lossy(&e.path)));
            } else {
                let target = join(dir, &base[WHITEOUT.len()..]);
                if let Some(t) = self.find(&target) {
                    let reason = if self.nodes[t as usize].kind == NodeKind::Dir {
                        HideReason::DirectoryDeleted
                    } else {
                        HideReason::Deleted
                    };
                    let (bytes, files) = self.remove(t, layer, reason, true);
                    self.removals.push(RemovalEvent {
                        layer: layer as usize,
                        path: lossy(&target),
                        reason,
                        bytes,
                        files,
                    });
                }
            }
        }
        for (idx, e) in scan.entries.iter().enumerate() {
            if e.flags != 0 {
                continue;
            }
            let (dir, base) = split_last(&e.path);
            if base.starts_with(WHITEOUT) {
                continue;
            }
            self.add(layer, idx as u32, dir, base);
        }
    }

    fn add(&mut self, layer: u32, idx: u32, dir: &[u8], base: &[u8]) {
        let e = &self.scans[layer as usize].entries[idx as usize];
        let kind = match e.kind {
            Kind::File => NodeKind::File,
            Kind::Dir => NodeKind::Dir,
            Kind::Symlink => NodeKind::Symlink,
            Kind::Hardlink => NodeKind::Hardlink,
            Kind::Other => NodeKind::Other,
        };
        let parent = self.ensure_dir(dir, layer);
        let existing = self.live_child(parent, base);
        let content = if kind == NodeKind::File { e.size } else { 0 };
        let id = match existing {
            Some(old) => {
                let (old_kind, old_touched, old_born, old_blob) = {
                    let n = &self.nodes[old as usize];
                    (n.kind, n.touched, n.born, n.blob)
                };
                if old_touched != layer {
                    let c = &mut self.changes[layer as usize];
                    if old_born == layer {
                        c.added += 1;
                        c.added_bytes += content;
                    } else if !(old_kind == NodeKind::Dir && kind == NodeKind::Dir) {
                        c.modified += 1;
                        c.modified_bytes += content;
                    }
                }
                if old_kind == NodeKind::Dir && kind == NodeKind::Dir {
                    let n = &mut self.nodes[old as usize];
                    n.mode = e.mode;
                    n.layer = layer;
                    n.entry = idx;
                    n.touched = layer;
                    return;
                }
                let same = old_kind == NodeKind::File
                    && kind == NodeKind::File
                    && old_blob != NONE
                    && self.blob_hash(old_blob) == e.hash;
                let reason = if same { HideReason::MetadataOnly } else { HideReason::Overwritten };
                self.remove(old, layer, reason, false);
                let id = self.place(parent, base, kind, e.mode, layer, idx, content);
                self.nodes[id as usize].born = old_born;
                id
            }
            None => {
                let c = &mut self.changes[layer as usize];
                c.added += 1;
                c.added_bytes += content;
                self.place(parent, base, kind, e.mode, layer, idx, content)
            }
        };
        self.nodes[id as usize].touched = layer;
        match kind {
            NodeKind::File => {
                let b = self.blobs.len() as u32;
                self.blobs.push(Blob { size: e.size, layer, entry: idx, refs: 1, hide: None });
                self.nodes[id as usize].blob = b;
            }
            NodeKind::Hardlink => {
                let target = e.link.as_deref().map(go_clean).unwrap_or_default();
                let target = target.strip_prefix(b"/").unwrap_or(&target);
                match self.find(target).map(|t| self.nodes[t as usize].blob) {
                    Some(b) if b != NONE => {
                        self.blobs[b as usize].refs += 1;
                        self.nodes[id as usize].blob = b;
                    }
                    _ => {
                        let msg = format!(
                            "hardlink {:?} points to {:?}, which is not a regular file in the image",
                            lossy(&join(dir, base)),
                            lossy(target)
                        );
                        self.warn(layer, msg);
                    }
                }
            }
            _ => {}
        }
    }

    fn blob_hash(&self, blob: u32) -> Option<u128> {
        let b = &self.blobs[blob as usize];
        self.scans[b.layer as usize].entries[b.entry as usize].hash
    }
}

/// Rebuilds the path of arena node `id` from its parents.
fn path_of(arena: &[TreeNode], raw_names: &[&[u8]], id: usize) -> String {
    let mut parts = Vec::new();
    let mut cur = id;
    // Parents always have smaller indices, so this walk ends at the root.
    while cur != 0 {
        parts.push(raw_names[cur]);
        cur = arena[cur].parent as usize;
    }
    parts.reverse();
    lossy(&parts.join(&b'/'))
}

impl Merger<'_> {
    fn finish(self) -> Merged {
        let layers = self.scans.len();
        // Lay the live tree out depth first in name order; parents precede children.
        let mut arena: Vec<TreeNode> = Vec::new();
        let mut names: Vec<&[u8]> = Vec::new();
        let mut source: Vec<u32> = Vec::new();
        let mut stack: Vec<(u32, u32, &[u8])> = vec![(ROOT, 0, &[])];
        while let Some((id, parent, name)) = stack.pop() {
            let n = &self.nodes[id as usize];
            let me = arena.len() as u32;
            let link = match n.kind {
                NodeKind::Symlink | NodeKind::Hardlink if n.entry != NONE => {
                    self.scans[n.layer as usize].entries[n.entry as usize].link.as_deref().map(lossy)
                }
                _ => None,
            };
            arena.push(TreeNode {
                parent,
                name: lossy(name),
                kind: n.kind,
                size: 0,
                mode: n.mode,
                layer: n.layer,
                link,
                non_utf8: std::str::from_utf8(name).is_err(),
                // The low 64 bits: enough to tell two versions of one path apart, half the report's bytes.
                hash: if n.blob == NONE { None } else { self.blob_hash(n.blob).map(|h| h as u64) },
            });
            names.push(name);
            source.push(id);
            for (k, &c) in n.children.iter().rev() {
                if self.nodes[c as usize].alive {
                    stack.push((c, me, k));
                }
            }
        }
        // Each visible content is counted once: at a regular file if one is visible, else at a hardlink.
        let mut holder: Vec<u32> = vec![NONE; self.blobs.len()];
        for pass_kind in [NodeKind::File, NodeKind::Hardlink] {
            for (i, &id) in source.iter().enumerate() {
                let n = &self.nodes[id as usize];
                if n.kind == pass_kind && n.blob != NONE && holder[n.blob as usize] == NONE {
                    holder[n.blob as usize] = i as u32;
                    arena[i].size = self.blobs[n.blob as usize].size;
                }
            }
        }
        let (mut files, mut directories) = (0u64, 0u64);
        for i in (1..arena.len()).rev() {
            match arena[i].kind {
                NodeKind::Dir => directories += 1,
                NodeKind::File | NodeKind::Hardlink => files += 1,
                _ => {}
            }
            let (p, s) = (arena[i].parent as usize, arena[i].size);
            arena[p].size += s;
        }
        let visible_bytes: u64 = holder.iter().zip(&self.blobs).filter(|(h, _)| **h != NONE).map(|(_, b)| b.size).sum();
        let shipped_bytes: u64 = self.blobs.iter().map(|b| b.size).sum();
        let mut content_bytes = vec![0u64; layers];
        let mut file_counts = vec![0u64; layers];
        for (l, scan) in self.scans.iter().enumerate() {
            for e in &scan.entries {
                if e.flags == 0 && matches!(e.kind, Kind::File | Kind::Hardlink) {
                    file_counts[l] += 1;
                    if e.kind == Kind::File {
                        content_bytes[l] += e.size;
                    }
                }
            }
        }
        // Hidden content: blobs no live node refers to.
        let mut groups: HashMap<(u32, u32, HideReason), (u64, u64)> = HashMap::new();
        let mut items = Vec::new();
        let mut shipped_hidden = vec![0u64; layers];
        let mut hides = vec![0u64; layers];
        for (i, b) in self.blobs.iter().enumerate() {
            if holder[i] != NONE {
                continue;
            }
            let Some((by, reason)) = b.hide else { continue };
            let g = groups.entry((b.layer, by, reason)).or_default();
            g.0 += b.size;
            g.1 += 1;
            shipped_hidden[b.layer as usize] += b.size;
            hides[by as usize] += b.size;
            items.push(HiddenFile {
                path: lossy(&self.scans[b.layer as usize].entries[b.entry as usize].path),
                bytes: b.size,
                shipped_in: b.layer as usize,
                hidden_by: by as usize,
                reason,
            });
        }
        let mut by_layers: Vec<HiddenGroup> = groups
            .into_iter()
            .map(|((s, h, reason), (bytes, files))| HiddenGroup {
                shipped_in: s as usize,
                hidden_by: h as usize,
                reason,
                bytes,
                files,
            })
            .collect();
        by_layers.sort_by(|a, b| {
            b.bytes.cmp(&a.bytes).then((a.shipped_in, a.hidden_by, a.reason).cmp(&(
                b.shipped_in,
                b.hidden_by,
                b.reason,
            )))
        });
        items.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.path.cmp(&b.path)));
        let item_count = items.len() as u64;
        items.truncate(TrueWaste::ITEM_LIMIT);
        let waste = TrueWaste {
            shipped_bytes,
            visible_bytes,
            hidden_bytes: shipped_bytes - visible_bytes,
            by_layers,
            items,
            item_count,
        };
        // Duplicate content among visible files.
        let mut by_hash: HashMap<u128, Vec<u32>> = HashMap::new();
        for (i, b) in self.blobs.iter().enumerate() {
            if holder[i] != NONE && b.size > 0 {
                if let Some(h) = self.scans[b.layer as usize].entries[b.entry as usize].hash {
                    by_hash.entry(h).or_default().push(holder[i]);
                }
            }
        }
        let mut dup_groups: Vec<DuplicateGroup> = Vec::new();
        let mut saving_bytes = 0;
        let mut duplicate_bytes = vec![0u64; layers];
        for (hash, mut at) in by_hash {
            if at.len() < 2 {
                continue;
            }
            at.sort_unstable();
            let size = arena[at[0] as usize].size;
            // The copy in the lowest layer (the first path among equals) is the one kept; each other copy counts
            // against the layer that wrote it.
            let kept = at.iter().copied().min_by_key(|&i| (arena[i as usize].layer, i));
            for &i in at.iter().filter(|&&i| Some(i) != kept) {
                if let Some(d) = duplicate_bytes.get_mut(arena[i as usize].layer as usize) {
                    *d += size;
                }
            }
            let saving = size * (at.len() as u64 - 1);
            saving_bytes += saving;
            dup_groups.push(DuplicateGroup {
                content_hash: format!("xxh3-128:{hash:032x}"),
                size,
                paths: at.iter().map(|&i| path_of(&arena, &names, i as usize)).collect(),
                saving_bytes: saving,
            });
        }
        dup_groups.sort_by(|a, b| b.saving_bytes.cmp(&a.saving_bytes).then_with(|| a.paths.cmp(&b.paths)));
        let group_count = dup_groups.len() as u64;
        dup_groups.truncate(Duplicates::GROUP_LIMIT);
        // Captured files and ELF headers of the visible versions.
        let mut captured = Vec::new();
        let mut executables = Vec::new();
        for (i, &id) in source.iter().enumerate() {
            let n = &self.nodes[id as usize];
            if n.kind != NodeKind::File || n.entry == NONE {
                continue;
            }
            let e = &self.scans[n.layer as usize].entries[n.entry as usize];
            if let Some(c) = &e.capture {
                captured.push(CapturedFile {
                    path: path_of(&arena, &names, i),
                    layer: n.layer as usize,
                    size: e.size,
                    text: lossy(c),
                    truncated: (c.len() as u64) < e.size,
                });
            }
            if let Some(h) = &e.elf {
                executables.push(ExecutableHeader {
                    path: path_of(&arena, &names, i),
                    layer: n.layer as usize,
                    size: e.size,
                    header_hex: hex(h),
                });
            }
        }
        let total_bytes = visible_bytes;
        let timeline = self.timeline(&source);
        Merged {
            filesystem: FileTree { nodes: arena, total_bytes, files, directories },
            changes: self.changes,
            shipped_hidden,
            hides,
            content_bytes,
            files: file_counts,
            duplicate_bytes,
            waste,
            duplicates: Duplicates { saving_bytes, groups: dup_groups, group_count },
            captured,
            executables,
            warnings: self.warnings,
            removals: self.removals,
            timeline,
        }
    }

    /// Numbers every path that ever existed (the final filesystem's arena first, then the removed paths in
    /// creation order, so parents precede children) and translates each layer's events to those ids.
    fn timeline(&self, source: &[u32]) -> Timeline {
        let mut ids = vec![NONE; self.nodes.len()];
        for (i, &id) in source.iter().enumerate() {
            ids[id as usize] = i as u32;
        }
        let mut removed_paths = Vec::new();
        for (id, n) in self.nodes.iter().enumerate() {
            if ids[id] != NONE {
                continue;
            }
            ids[id] = (source.len() + removed_paths.len()) as u32;
            removed_paths.push(PathNode {
                parent: ids.get(n.parent as usize).copied().unwrap_or(0),
                name: lossy(&n.name),
                non_utf8: std::str::from_utf8(&n.name).is_err(),
            });
        }
        let layers = self
            .events
            .iter()
            .map(|events| {
                let mut out: Vec<PathChange> = events
                    .iter()
                    .filter_map(|e| {
                        let change = match (e.before, e.after) {
                            (false, true) => PathChangeKind::Added,
                            (true, true) => PathChangeKind::Modified,
                            (true, false) => PathChangeKind::Removed,
                            (false, false) => return None,
                        };
                        Some(PathChange { node: ids[e.node as usize], change, kind: e.kind, size: e.size })
                    })
                    .collect();
                out.sort_unstable_by_key(|c| c.node);
                out
            })
            .collect();
        Timeline { removed_paths, layers }
    }
}

#[cfg(test)]
mod tests {
    use super::hex;

    #[test]
    fn hex_matches_formatting_for_every_byte() {
        let all: Vec<u8> = (0..=255).collect();
        let formatted: String = all.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex(&all), formatted);
        assert_eq!(hex(b"\x7fELF"), "7f454c46");
        assert_eq!(hex(&[]), "");
    }
}
