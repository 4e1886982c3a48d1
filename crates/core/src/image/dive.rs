//! dive 0.13.1's metrics, reproduced with its exact semantics and quirks.
//!
//! dive builds one tree per layer from the tar entries (`AddPath`), visits the leaves of each tree in
//! sorted depth-first order and keys an "efficiency" record by path. A whiteout leaf is sized from the
//! tree stacked from the layers below: the whole subtree when it was a directory with a header, else 0.
//! Opaque whiteouts (`.wh..wh..opq`) never enter a tree. A path seen in two or more layers is
//! "inefficient"; the wasted bytes are the sum of the cumulative sizes of those paths, and the score is
//! the sum of each path's smallest size over the sum of all sizes.

use super::gosort;
use super::report::{DiveMetrics, InefficientFile, Ratio};
use super::scan::{Kind, LayerScan};
use std::collections::{BTreeMap, HashMap};

const WHITEOUT: &[u8] = b".wh.";
const DOUBLE_WHITEOUT: &[u8] = b".wh..wh..";

#[derive(Clone)]
struct Node {
    name: Box<[u8]>,
    parent: u32,
    children: BTreeMap<Box<[u8]>, u32>,
    size: i64,
    is_dir: bool,
    alive: bool,
}

/// dive's `FileTree`: a tree of path components with a payload per node.
#[derive(Clone)]
struct Tree {
    nodes: Vec<Node>,
}

impl Tree {
    fn new() -> Self {
        Tree {
            nodes: vec![Node {
                name: Box::default(),
                parent: 0,
                children: BTreeMap::new(),
                size: 0,
                is_dir: false,
                alive: true,
            }],
        }
    }

    /// dive's `AddPath`: walks or creates each component; a missing component that starts with
    /// `.wh..wh..` ends the walk; the payload lands on the last component.
    fn add_path(&mut self, path: &[u8], size: i64, is_dir: bool) {
        let cleaned = super::scan::go_clean(path);
        if cleaned == b"." {
            return;
        }
        let trimmed = trim_slashes(&cleaned);
        let names: Vec<&[u8]> = trimmed.split(|&b| b == b'/').collect();
        let last = names.len() - 1;
        let mut node = 0u32;
        for (idx, name) in names.iter().enumerate() {
            if name.is_empty() {
                continue;
            }
            node = match self.nodes[node as usize].children.get(*name) {
                Some(&c) => c,
                None => {
                    if name.starts_with(DOUBLE_WHITEOUT) {
                        return;
                    }
                    self.push(node, name)
                }
            };
            if idx == last {
                let n = &mut self.nodes[node as usize];
                n.size = size;
                n.is_dir = is_dir;
            }
        }
    }

    /// The child of `parent` named `name`.
    fn child(&self, parent: u32, name: &[u8]) -> Option<u32> {
        self.nodes[parent as usize].children.get(name).copied()
    }

    /// Detaches `id` from its parent and marks its subtree dead (removing the root does nothing, as
    /// dive's `Remove` refuses it).
    fn remove(&mut self, id: u32) {
        if id == 0 {
            return;
        }
        let parent = self.nodes[id as usize].parent as usize;
        let name = self.nodes[id as usize].name.clone();
        self.nodes[parent].children.remove(&name);
        let mut stack = vec![id];
        while let Some(n) = stack.pop() {
            let node = &mut self.nodes[n as usize];
            node.alive = false;
            stack.extend(node.children.values().copied());
        }
    }

    /// Calls `f(id, path)` for every node in dive's `VisitDepthChildFirst` order (children in byte
    /// order, then the parent; root excluded). `path` is dive's `Path()`: `/`-joined names with a
    /// leading `.wh.` dropped from the node's own name. Linear in the total path length.
    fn visit_child_first(&self, mut f: impl FnMut(u32, &[u8])) {
        struct Frame {
            id: u32,
            kids: Vec<u32>,
            next: usize,
            base: usize,
        }
        let mut path: Vec<u8> = Vec::new();
        let mut own: Vec<u8> = Vec::new();
        let kids = |id: u32| self.nodes[id as usize].children.values().copied().collect::<Vec<u32>>();
        let mut stack = vec![Frame { id: 0, kids: kids(0), next: 0, base: 0 }];
        while let Some(top) = stack.last_mut() {
            if top.next < top.kids.len() {
                let child = top.kids[top.next];
                top.next += 1;
                let base = path.len();
                path.push(b'/');
                path.extend_from_slice(&self.nodes[child as usize].name);
                stack.push(Frame { id: child, kids: kids(child), next: 0, base });
                continue;
            }
            let Some(done) = stack.pop() else { break };
            if done.id != 0 {
                let name = &self.nodes[done.id as usize].name;
                match name.strip_prefix(WHITEOUT) {
                    Some(stripped) => {
                        own.clear();
                        own.extend_from_slice(&path[..done.base]);
                        own.push(b'/');
                        own.extend_from_slice(stripped);
                        f(done.id, &own);
                    }
                    None => f(done.id, &path),
                }
            }
            path.truncate(done.base);
        }
    }

    /// Sum of the payload sizes of `id` and everything below it.
    fn subtree_size(&self, id: u32) -> i64 {
        let mut total = 0i64;
        let mut stack = vec![id];
        while let Some(n) = stack.pop() {
            let node = &self.nodes[n as usize];
            total = total.wrapping_add(node.size);
            stack.extend(node.children.values().copied());
        }
        total
    }
}

/// Maps the nodes of one tree to the nodes at the same dive path in another, memoised so that each
/// node is resolved once (deep paths stay linear).
struct PathMap {
    memo: Vec<u32>,
}

const UNKNOWN: u32 = u32::MAX;
const MISSING: u32 = u32::MAX - 1;

impl PathMap {
    fn new(from: &Tree) -> Self {
        let mut memo = vec![UNKNOWN; from.nodes.len()];
        if let Some(root) = memo.first_mut() {
            *root = 0;
        }
        PathMap { memo }
    }

    fn valid(&self, to: &Tree, v: u32) -> bool {
        v == MISSING || (v != UNKNOWN && to.nodes.get(v as usize).is_some_and(|n| n.alive))
    }

    /// The node of `to` at the path of `from`'s node `id` (by names, the node's own name as stored).
    fn find(&mut self, from: &Tree, to: &Tree, id: u32) -> Option<u32> {
        let mut chain = Vec::new();
        let mut cur = id;
        while !self.valid(to, self.memo[cur as usize]) {
            chain.push(cur);
            cur = from.nodes[cur as usize].parent;
        }
        let mut at = self.memo[cur as usize];
        for &n in chain.iter().rev() {
            at = if at == MISSING { MISSING } else { to.child(at, &from.nodes[n as usize].name).unwrap_or(MISSING) };
            self.memo[n as usize] = at;
        }
        (at != MISSING).then_some(at)
    }

    /// Like `find`, creating missing nodes (with an empty payload) as dive's `AddPath` does.
    fn ensure(&mut self, from: &Tree, to: &mut Tree, id: u32) -> u32 {
        let mut chain = Vec::new();
        let mut cur = id;
        while !(self.valid(to, self.memo[cur as usize]) && self.memo[cur as usize] != MISSING) {
            chain.push(cur);
            cur = from.nodes[cur as usize].parent;
        }
        let mut at = self.memo[cur as usize];
        for &n in chain.iter().rev() {
            let name = &from.nodes[n as usize].name;
            at = match to.child(at, name) {
                Some(c) => c,
                None => to.push(at, name),
            };
            self.memo[n as usize] = at;
        }
        at
    }
}

impl Tree {
    fn push(&mut self, parent: u32, name: &[u8]) -> u32 {
        let id = self.nodes.len() as u32;
        self.nodes.push(Node {
            name: name.into(),
            parent,
            children: BTreeMap::new(),
            size: 0,
            is_dir: false,
            alive: true,
        });
        self.nodes[parent as usize].children.insert(name.into(), id);
        id
    }

    /// dive's `Stack`: applies `upper` on top of this tree, node by node in child-first order; a
    /// whiteout removes the node at its path, any other node is added with its payload.
    fn stack(&mut self, upper: &Tree) {
        let mut map = PathMap::new(upper);
        let mut order = Vec::with_capacity(upper.nodes.len());
        upper.visit_child_first(|id, _| order.push(id));
        for id in order {
            let n = &upper.nodes[id as usize];
            match n.name.strip_prefix(WHITEOUT) {
                Some(stripped) => {
                    let parent = map.find(upper, self, n.parent);
                    // A bare `.wh.` names its own directory, as dive's GetNode("/dir/") does.
                    let target =
                        if stripped.is_empty() { parent } else { parent.and_then(|p| self.child(p, stripped)) };
                    if let Some(t) = target {
                        self.remove(t);
                    }
                }
                None => {
                    let at = map.ensure(upper, self, id);
                    let node = &mut self.nodes[at as usize];
                    node.size = n.size;
                    node.is_dir = n.is_dir;
                }
            }
        }
    }
}

fn trim_slashes(p: &[u8]) -> &[u8] {
    let start = p.iter().position(|&b| b != b'/').unwrap_or(p.len());
    let end = p.iter().rposition(|&b| b != b'/').map_or(start, |e| e + 1);
    &p[start..end.max(start)]
}

fn layer_tree(scan: &LayerScan) -> Tree {
    let mut t = Tree::new();
    for e in &scan.entries {
        t.add_path(&e.path, e.size as i64, e.kind == Kind::Dir);
    }
    t
}

struct Record {
    cumulative: i64,
    min: i64,
    count: u64,
}

/// Whether another leaf of `tree` under the same parent as `id` has the same dive path: `.wh.NAME` and
/// `NAME` both map to `NAME`, and no other two siblings share a path (ancestors keep their raw names).
fn has_path_twin(tree: &Tree, id: u32, scratch: &mut Vec<u8>) -> bool {
    let node = &tree.nodes[id as usize];
    let twin: &[u8] = match node.name.strip_prefix(WHITEOUT) {
        Some(stripped) => stripped,
        None => {
            scratch.clear();
            scratch.extend_from_slice(WHITEOUT);
            scratch.extend_from_slice(&node.name);
            scratch
        }
    };
    !twin.is_empty() && tree.child(node.parent, twin).is_some_and(|t| t != id)
}

/// Computes dive's metrics for the layers `scans` (base first).
///
/// Memory: a path record is kept only while a later layer may repeat the path, so the last layer's new
/// paths (every path of a one-layer image) are summed without being stored, and the last layer is not
/// stacked, as nothing reads the stacked tree after it.
pub fn metrics(scans: &[LayerScan]) -> DiveMetrics {
    let mut records: HashMap<Vec<u8>, Record> = HashMap::new();
    let mut matches: Vec<Vec<u8>> = Vec::new();
    let mut stacked: Option<Tree> = None;
    // Sums over the last layer's paths seen once (each such record would have min = cumulative = size).
    let (mut single_sum, mut scratch) = (0i64, Vec::new());
    for (layer, scan) in scans.iter().enumerate() {
        let last = layer + 1 == scans.len();
        let tree = layer_tree(scan);
        {
            // Layer 0's whiteouts are sized against layer 0 itself, as dive's StackTreeRange(0, -1) does.
            let lookup = stacked.as_ref().unwrap_or(&tree);
            let mut map = PathMap::new(&tree);
            let mut stopped = false;
            tree.visit_child_first(|id, path| {
                let node = &tree.nodes[id as usize];
                if stopped || !node.children.is_empty() {
                    return;
                }
                let size = match node.name.strip_prefix(WHITEOUT) {
                    Some(stripped) => {
                        let parent = map.find(&tree, lookup, node.parent);
                        let prev =
                            if stripped.is_empty() { parent } else { parent.and_then(|p| lookup.child(p, stripped)) };
                        match prev {
                            // dive's visitor returns an error here, which ends the walk of this layer.
                            None => {
                                stopped = true;
                                return;
                            }
                            Some(prev) if lookup.nodes[prev as usize].is_dir => lookup.subtree_size(prev),
                            Some(_) => 0,
                        }
                    }
                    None => node.size,
                };
                let rec = match records.get_mut(path) {
                    Some(r) => r,
                    None if last && !has_path_twin(&tree, id, &mut scratch) => {
                        single_sum = single_sum.wrapping_add(size);
                        return;
                    }
                    None => records.entry(path.to_vec()).or_insert(Record { cumulative: 0, min: -1, count: 0 }),
                };
                rec.cumulative = rec.cumulative.wrapping_add(size);
                if rec.min < 0 || size < rec.min {
                    rec.min = size;
                }
                rec.count += 1;
                if rec.count == 2 {
                    matches.push(path.to_vec());
                }
            });
        }
        if last {
            break;
        }
        match stacked.as_mut() {
            Some(s) => s.stack(&tree),
            None => {
                let mut s = tree.clone();
                s.stack(&tree);
                stacked = Some(s);
            }
        }
    }
    let (mut min_sum, mut all_sum) = (single_sum, single_sum);
    for r in records.values() {
        min_sum = min_sum.wrapping_add(r.min);
        all_sum = all_sum.wrapping_add(r.cumulative);
    }
    let efficiency = if all_sum == 0 { 1.0 } else { min_sum as f64 / all_sum as f64 };
    let mut rows: Vec<(i64, u64, Vec<u8>)> =
        matches.into_iter().filter_map(|p| records.get(&p).map(|r| (r.cumulative, r.count, p))).collect();
    gosort::sort(&mut rows, |a, b| a.0 < b.0);
    let wasted_bytes = rows.iter().fold(0u64, |acc, r| acc.wrapping_add(r.0 as u64));
    let inefficient_files = rows
        .into_iter()
        .rev()
        .map(|(cumulative, count, path)| InefficientFile {
            path: String::from_utf8_lossy(&path).into_owned(),
            count,
            wasted_bytes: cumulative as u64,
        })
        .collect();
    let sizes: Vec<u64> =
        scans.iter().map(|s| s.entries.iter().fold(0u64, |acc, e| acc.wrapping_add(e.size))).collect();
    let image_size_bytes = sizes.iter().fold(0u64, |a, &b| a.wrapping_add(b));
    let user_size_bytes = sizes.iter().skip(1).fold(0u64, |a, &b| a.wrapping_add(b));
    DiveMetrics {
        efficiency,
        wasted_bytes,
        user_wasted_percent: Ratio(wasted_bytes as f64 / user_size_bytes as f64),
        image_size_bytes,
        user_size_bytes,
        inefficient_files,
    }
}

/// dive's per-layer size: the sum of every entry's header size.
pub fn layer_size(scan: &LayerScan) -> u64 {
    scan.entries.iter().fold(0u64, |acc, e| acc.wrapping_add(e.size))
}
