//! The file explorer's view model: the final filesystem's tree from the report, filtered, searched and
//! sorted into the flat list of rows the virtualised view draws.

use crate::report::Report;
use layerlens_core::image::NodeKind;
use std::collections::HashSet;

/// Which files the explorer shows, relative to the selected layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LayerFilter {
    /// Every path of the final filesystem.
    #[default]
    All,
    /// Paths whose visible version the selected layer wrote.
    WrittenBy,
    /// Paths whose visible version the selected layer or one below it wrote.
    UpTo,
}

/// How siblings are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    /// By name.
    #[default]
    Name,
    /// Largest first.
    Size,
}

/// What the user asked the explorer for.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    /// A substring, or a glob when it holds `*` or `?`; empty shows the tree.
    pub search: String,
    /// Which layers' files to show.
    pub filter: LayerFilter,
    /// The selected layer, for the filter.
    pub layer: Option<usize>,
    /// The sibling order.
    pub sort: SortBy,
    /// Directories the user opened.
    pub expanded: HashSet<u32>,
}

/// One row to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// The node in the report's file tree.
    pub node: u32,
    /// The indentation depth (0 for top-level entries and for search results).
    pub depth: u16,
}

/// The tree's structure, computed once per report.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tree {
    children: Vec<Vec<u32>>,
    paths: Vec<String>,
}

impl Tree {
    /// Builds children lists and full paths from the report's node arena (a parent always precedes its children).
    pub fn new(report: &Report) -> Tree {
        let nodes = &report.analysis.filesystem.nodes;
        let mut children = vec![Vec::new(); nodes.len()];
        let mut paths = vec![String::new(); nodes.len()];
        for (i, node) in nodes.iter().enumerate().skip(1) {
            let parent = node.parent as usize;
            if parent >= i {
                continue;
            }
            children[parent].push(i as u32);
            paths[i] = if parent == 0 { format!("/{}", node.name) } else { format!("{}/{}", paths[parent], node.name) };
        }
        Tree { children, paths }
    }

    /// The full path of `node`, with a leading `/`.
    pub fn path(&self, node: u32) -> &str {
        self.paths.get(node as usize).map(String::as_str).unwrap_or("")
    }

    /// The children of `node`, in arena order.
    pub fn children(&self, node: u32) -> &[u32] {
        self.children.get(node as usize).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The parent of `node` in the report's arena (the root is its own parent).
    pub fn parent(report: &Report, node: u32) -> u32 {
        report.analysis.filesystem.nodes.get(node as usize).map(|n| n.parent).unwrap_or(0)
    }

    /// Whether `node` has children.
    pub fn has_children(&self, node: u32) -> bool {
        self.children.get(node as usize).is_some_and(|c| !c.is_empty())
    }
}

/// Matches `path` against a glob where `*` spans any run of characters and `?` one character.
pub fn glob(pattern: &str, path: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), path.chars().collect());
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

fn passes(report: &Report, node: u32, query: &Query) -> bool {
    let Some(n) = report.analysis.filesystem.nodes.get(node as usize) else { return false };
    match (query.filter, query.layer) {
        (LayerFilter::All, _) | (_, None) => true,
        (LayerFilter::WrittenBy, Some(l)) => n.layer as usize == l,
        (LayerFilter::UpTo, Some(l)) => n.layer as usize <= l,
    }
}

/// The rows to draw for `query`, in display order.
pub fn rows(report: &Report, tree: &Tree, query: &Query) -> Vec<Row> {
    let nodes = &report.analysis.filesystem.nodes;
    let search = query.search.trim();
    if !search.is_empty() {
        let is_glob = search.contains(['*', '?']);
        let needle = search.to_lowercase();
        let mut found: Vec<u32> = (1..nodes.len() as u32)
            .filter(|&i| passes(report, i, query))
            .filter(|&i| {
                let path = tree.path(i);
                if is_glob {
                    glob(search, path) || glob(search, path.trim_start_matches('/'))
                } else {
                    path.to_lowercase().contains(&needle)
                }
            })
            .collect();
        sort(report, tree, &mut found, query.sort);
        return found.into_iter().map(|node| Row { node, depth: 0 }).collect();
    }
    // A directory stays when anything below it passes the filter; parents precede children, so one
    // backwards pass settles every directory.
    let mut keep: Vec<bool> = (0..nodes.len() as u32).map(|i| passes(report, i, query)).collect();
    if query.filter != LayerFilter::All && query.layer.is_some() {
        for i in (1..nodes.len()).rev() {
            let parent = nodes[i].parent as usize;
            if keep[i] && parent < i {
                keep[parent] = true;
            }
        }
    }
    let mut out = Vec::new();
    let mut stack: Vec<(u32, u16)> = Vec::new();
    let mut top = tree.children.first().cloned().unwrap_or_default();
    sort(report, tree, &mut top, query.sort);
    stack.extend(top.into_iter().rev().map(|c| (c, 0)));
    while let Some((node, depth)) = stack.pop() {
        if !keep[node as usize] {
            continue;
        }
        out.push(Row { node, depth });
        if query.expanded.contains(&node) {
            let mut kids = tree.children[node as usize].clone();
            sort(report, tree, &mut kids, query.sort);
            stack.extend(kids.into_iter().rev().map(|c| (c, depth + 1)));
        }
    }
    out
}

fn sort(report: &Report, tree: &Tree, nodes: &mut [u32], by: SortBy) {
    let n = &report.analysis.filesystem.nodes;
    match by {
        SortBy::Name => nodes.sort_by(|a, b| tree.path(*a).cmp(tree.path(*b))),
        SortBy::Size => nodes.sort_by(|a, b| n[*b as usize].size.cmp(&n[*a as usize].size).then(a.cmp(b))),
    }
}

/// A short word for a node kind.
pub fn kind_word(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Dir => "dir",
        NodeKind::File => "file",
        NodeKind::Hardlink => "hard link",
        NodeKind::Symlink => "symlink",
        NodeKind::Other => "special",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample_report;

    fn paths(report: &Report, tree: &Tree, query: &Query) -> Vec<String> {
        rows(report, tree, query).iter().map(|r| tree.path(r.node).to_string()).collect()
    }

    #[test]
    fn collapsed_tree_shows_top_level_directories_and_expanding_opens_one() {
        let report = sample_report();
        let tree = Tree::new(&report);
        assert_eq!(paths(&report, &tree, &Query::default()), ["/app", "/etc", "/usr", "/var"]);
        let app = rows(&report, &tree, &Query::default())[0].node;
        let query = Query { expanded: [app].into(), ..Query::default() };
        assert_eq!(
            paths(&report, &tree, &query),
            ["/app", "/app/backup", "/app/data", "/app/requirements.txt", "/app/server.py", "/etc", "/usr", "/var"]
        );
        let by_size = Query { sort: SortBy::Size, ..query };
        assert_eq!(paths(&report, &tree, &by_size)[..2], ["/app", "/app/backup"]);
    }

    #[test]
    fn search_by_substring_and_glob() {
        let report = sample_report();
        let tree = Tree::new(&report);
        let q = |s: &str| Query { search: s.into(), ..Query::default() };
        assert_eq!(paths(&report, &tree, &q("CITIES")), ["/app/backup/cities.csv", "/app/data/cities.csv"]);
        assert_eq!(paths(&report, &tree, &q("*.py")), ["/app/server.py"]);
        assert_eq!(paths(&report, &tree, &q("etc/*s*")), ["/etc/hostname", "/etc/os-release", "/etc/passwd"]);
    }

    #[test]
    fn layer_filter_keeps_the_directories_above_matching_files() {
        let report = sample_report();
        let tree = Tree::new(&report);
        let query = Query { filter: LayerFilter::WrittenBy, layer: Some(5), search: "/".into(), ..Query::default() };
        assert_eq!(paths(&report, &tree, &query), ["/app", "/app/server.py"]);
        let tree_view = Query { search: String::new(), ..query };
        assert_eq!(paths(&report, &tree, &tree_view), ["/app"]);
    }

    #[test]
    fn glob_is_linear_and_anchored() {
        assert!(glob("*.so", "/usr/lib/libc.so"));
        assert!(!glob("*.so", "/usr/lib/libc.so.6"));
        assert!(glob("/usr/*/lib?.so*", "/usr/lib/libc.so.6"));
        assert!(!glob(&"*a".repeat(20), &"a".repeat(19)));
    }
}
