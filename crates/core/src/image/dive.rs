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
}

/// dive's `FileTree`: a tree of path components with a payload per node.
#[derive(Clone)]
struct Tree {
    nodes: Vec<Node>,
}

impl Tree {
    fn new() -> Self {
        Tree {
            nodes: vec![Node { name: Box::default(), parent: 0, children: BTreeMap::new(), size: 0, is_dir: false }],
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
                    let id = self.nodes.len() as u32;
                    self.nodes.push(Node {
                        name: (*name).into(),
                        parent: node,
                        children: BTreeMap::new(),
                        size: 0,
                        is_dir: false,
                    });
                    self.nodes[node as usize].children.insert((*name).into(), id);
                    id
                }
            };
            if idx == last {
                let n = &mut self.nodes[node as usize];
                n.size = size;
                n.is_dir = is_dir;
            }
        }
    }

    /// dive's `GetNode`.
    fn get(&self, path: &[u8]) -> Option<u32> {
        let mut node = 0u32;
        for name in trim_slashes(path).split(|&b| b == b'/') {
            if name.is_empty() {
                continue;
            }
            node = *self.nodes[node as usize].children.get(name)?;
        }
        Some(node)
    }

    /// dive's `RemovePath` (removing the root fails and does nothing).
    fn remove_path(&mut self, path: &[u8]) {
        if let Some(id) = self.get(path) {
            if id != 0 {
                let parent = self.nodes[id as usize].parent as usize;
                let name = self.nodes[id as usize].name.clone();
                self.nodes[parent].children.remove(&name);
            }
        }
    }

    /// dive's `Path()`: `/` joined names, a leading `.wh.` dropped from the node's own name, `//` collapsed.
    fn path(&self, id: u32) -> Vec<u8> {
        let mut parts: Vec<&[u8]> = Vec::new();
        let mut cur = id;
        while cur != 0 {
            let n = &self.nodes[cur as usize];
            let name: &[u8] = if cur == id { n.name.strip_prefix(WHITEOUT).unwrap_or(&n.name) } else { &n.name };
            parts.push(name);
            cur = n.parent;
        }
        parts.reverse();
        let mut out = vec![b'/'];
        out.extend(parts.join(&b'/'));
        collapse_double_slashes(out)
    }

    /// Nodes in dive's `VisitDepthChildFirst` order (children in byte order, then the parent), root excluded.
    fn child_first(&self) -> Vec<u32> {
        let mut pre = Vec::with_capacity(self.nodes.len());
        let mut stack = vec![0u32];
        while let Some(id) = stack.pop() {
            pre.push(id);
            stack.extend(self.nodes[id as usize].children.values().copied());
        }
        pre.reverse();
        pre.pop();
        pre
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

    /// dive's `Stack`: applies `upper` on top of this tree.
    fn stack(&mut self, upper: &Tree) {
        for id in upper.child_first() {
            let n = &upper.nodes[id as usize];
            let path = upper.path(id);
            if n.name.starts_with(WHITEOUT) {
                self.remove_path(&path);
            } else {
                self.add_path(&path, n.size, n.is_dir);
            }
        }
    }
}

fn trim_slashes(p: &[u8]) -> &[u8] {
    let start = p.iter().position(|&b| b != b'/').unwrap_or(p.len());
    let end = p.iter().rposition(|&b| b != b'/').map_or(start, |e| e + 1);
    &p[start..end.max(start)]
}

fn collapse_double_slashes(p: Vec<u8>) -> Vec<u8> {
    // Go's strings.Replace(s, "//", "/", -1) replaces non-overlapping pairs left to right.
    let mut out = Vec::with_capacity(p.len());
    let mut i = 0;
    while i < p.len() {
        if p[i] == b'/' && p.get(i + 1) == Some(&b'/') {
            out.push(b'/');
            i += 2;
        } else {
            out.push(p[i]);
            i += 1;
        }
    }
    out
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

/// Computes dive's metrics for the layers `scans` (base first).
pub fn metrics(scans: &[LayerScan]) -> DiveMetrics {
    let mut records: HashMap<Vec<u8>, Record> = HashMap::new();
    let mut matches: Vec<Vec<u8>> = Vec::new();
    let mut stacked: Option<Tree> = None;
    for scan in scans {
        let tree = layer_tree(scan);
        {
            // Layer 0's whiteouts are sized against layer 0 itself, as dive's StackTreeRange(0, -1) does.
            let lookup = stacked.as_ref().unwrap_or(&tree);
            for id in tree.child_first() {
                let node = &tree.nodes[id as usize];
                if !node.children.is_empty() {
                    continue;
                }
                let path = tree.path(id);
                let size = if node.name.starts_with(WHITEOUT) {
                    match lookup.get(&path) {
                        // dive's visitor returns an error here, which ends the walk of this layer.
                        None => break,
                        Some(prev) if lookup.nodes[prev as usize].is_dir => lookup.subtree_size(prev),
                        Some(_) => 0,
                    }
                } else {
                    node.size
                };
                let rec = records.entry(path.clone()).or_insert(Record { cumulative: 0, min: -1, count: 0 });
                rec.cumulative = rec.cumulative.wrapping_add(size);
                if rec.min < 0 || size < rec.min {
                    rec.min = size;
                }
                rec.count += 1;
                if rec.count == 2 {
                    matches.push(path);
                }
            }
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
    let (mut min_sum, mut all_sum) = (0i64, 0i64);
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
