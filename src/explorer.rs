//! The file explorer's view model: the core's view of the filesystem at the selected layer (that layer's
//! changes, or everything up to it), filtered by change kind, searched and sorted into the flat list of rows
//! the virtualised view draws.

use crate::report::Report;
use layerlens_core::image::{LayerView, NodeKind, PathStatus, Paths, ViewMode};
use std::collections::HashSet;

/// Which change kinds the explorer shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Shown {
    /// Paths the layer created.
    pub added: bool,
    /// Paths the layer wrote again.
    pub modified: bool,
    /// Paths the layer removed.
    pub removed: bool,
    /// Paths as a lower layer left them.
    pub unchanged: bool,
}

impl Default for Shown {
    fn default() -> Self {
        Shown { added: true, modified: true, removed: true, unchanged: true }
    }
}

impl Shown {
    /// Whether paths of `status` are shown.
    pub fn shows(&self, status: PathStatus) -> bool {
        match status {
            PathStatus::Added => self.added,
            PathStatus::Modified => self.modified,
            PathStatus::Removed => self.removed,
            PathStatus::Unchanged => self.unchanged,
        }
    }

    /// Flips the filter of `status`.
    pub fn toggle(&mut self, status: PathStatus) {
        let flag = match status {
            PathStatus::Added => &mut self.added,
            PathStatus::Modified => &mut self.modified,
            PathStatus::Removed => &mut self.removed,
            PathStatus::Unchanged => &mut self.unchanged,
        };
        *flag = !*flag;
    }
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
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// A substring, or a glob when it holds `*` or `?`; empty shows the tree.
    pub search: String,
    /// The selected layer's changes only, or everything up to it.
    pub mode: ViewMode,
    /// Which change kinds to show.
    pub shown: Shown,
    /// The sibling order.
    pub sort: SortBy,
    /// Directories the user opened, by path id.
    pub expanded: HashSet<u32>,
}

impl Default for Query {
    /// Everything up to the layer (like dive's layer contents view), every change kind, by name.
    fn default() -> Self {
        Query {
            search: String::new(),
            mode: ViewMode::UpTo,
            shown: Shown::default(),
            sort: SortBy::Name,
            expanded: HashSet::new(),
        }
    }
}

/// One row to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// The path id (see [`Paths`]).
    pub node: u32,
    /// The indentation depth (0 for top-level entries and for search results).
    pub depth: u16,
}

/// The structure of every path that ever existed in the image, computed once per report.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tree {
    /// How many ids the final filesystem has; the ids after them are removed paths.
    final_len: u32,
    children: Vec<Vec<u32>>,
    parents: Vec<u32>,
    names: Vec<String>,
    paths: Vec<String>,
}

impl Tree {
    /// Builds children lists and full paths for every path id (a parent always precedes its children).
    pub fn new(report: &Report) -> Tree {
        let ids = Paths::new(&report.analysis);
        let len = ids.len();
        let mut tree = Tree {
            final_len: report.analysis.filesystem.nodes.len() as u32,
            children: vec![Vec::new(); len],
            parents: vec![0; len],
            names: vec![String::new(); len],
            paths: vec![String::new(); len],
        };
        for i in 1..len {
            let parent = ids.parent(i as u32) as usize;
            let name = ids.name(i as u32);
            tree.children[parent].push(i as u32);
            tree.parents[i] = parent as u32;
            tree.paths[i] = if parent == 0 { format!("/{name}") } else { format!("{}/{name}", tree.paths[parent]) };
            tree.names[i] = name.to_string();
        }
        tree
    }

    /// The full path of `node`, with a leading `/`.
    pub fn path(&self, node: u32) -> &str {
        self.paths.get(node as usize).map(String::as_str).unwrap_or("")
    }

    /// The last component of `node`'s path.
    pub fn name(&self, node: u32) -> &str {
        self.names.get(node as usize).map(String::as_str).unwrap_or("")
    }

    /// The parent of `node` (the root is its own parent).
    pub fn parent(&self, node: u32) -> u32 {
        self.parents.get(node as usize).copied().unwrap_or(0)
    }

    /// The children of `node` in the final filesystem, in arena order.
    pub fn children(&self, node: u32) -> &[u32] {
        let all = self.children.get(node as usize).map(Vec::as_slice).unwrap_or(&[]);
        // Children are listed in id order and removed paths have the largest ids, so the final ones lead.
        &all[..all.partition_point(|&c| c < self.final_len)]
    }

    /// Whether `node` has children in the final filesystem.
    pub fn has_children(&self, node: u32) -> bool {
        !self.children(node).is_empty()
    }

    /// The children of `node` that `view` holds.
    pub fn children_in<'a>(&'a self, node: u32, view: &'a LayerView) -> impl Iterator<Item = u32> + 'a {
        self.children.get(node as usize).into_iter().flatten().copied().filter(|c| view.get(*c).is_some())
    }

    /// The id of the path `path` (with or without a leading `/`), if any path ever had it.
    pub fn find(&self, path: &str) -> Option<u32> {
        let mut cur = 0u32;
        for part in path.split('/').filter(|p| !p.is_empty()) {
            cur = *self.children.get(cur as usize)?.iter().find(|&&c| self.name(c) == part)?;
        }
        Some(cur)
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

/// The rows to draw for `query` over `view`, in display order.
pub fn rows(tree: &Tree, view: &LayerView, query: &Query) -> Vec<Row> {
    let passes = |i: u32| view.get(i).is_some_and(|e| query.shown.shows(e.status));
    let search = query.search.trim();
    if !search.is_empty() {
        let is_glob = search.contains(['*', '?']);
        let needle = search.to_lowercase();
        let mut found: Vec<u32> = view
            .iter()
            .map(|(i, _)| i)
            .filter(|&i| i != 0 && passes(i))
            .filter(|&i| {
                let path = tree.path(i);
                if is_glob {
                    glob(search, path) || glob(search, path.trim_start_matches('/'))
                } else {
                    path.to_lowercase().contains(&needle)
                }
            })
            .collect();
        sort(tree, view, &mut found, query.sort);
        return found.into_iter().map(|node| Row { node, depth: 0 }).collect();
    }
    // A directory stays when anything below it passes the filter; parents precede children, so one
    // backwards pass settles every directory.
    let mut keep: Vec<bool> = (0..view.len() as u32).map(passes).collect();
    for i in (1..keep.len()).rev() {
        let parent = tree.parent(i as u32) as usize;
        if keep[i] && parent < i {
            keep[parent] = true;
        }
    }
    let mut out = Vec::new();
    let mut stack: Vec<(u32, u16)> = Vec::new();
    let mut top: Vec<u32> = tree.children_in(0, view).collect();
    sort(tree, view, &mut top, query.sort);
    stack.extend(top.into_iter().rev().map(|c| (c, 0)));
    while let Some((node, depth)) = stack.pop() {
        if !keep.get(node as usize).copied().unwrap_or(false) {
            continue;
        }
        out.push(Row { node, depth });
        if query.expanded.contains(&node) {
            let mut kids: Vec<u32> = tree.children_in(node, view).collect();
            sort(tree, view, &mut kids, query.sort);
            stack.extend(kids.into_iter().rev().map(|c| (c, depth.saturating_add(1))));
        }
    }
    out
}

fn sort(tree: &Tree, view: &LayerView, nodes: &mut [u32], by: SortBy) {
    let size = |i: u32| view.get(i).map_or(0, |e| e.size);
    match by {
        SortBy::Name => nodes.sort_by(|a, b| tree.path(*a).cmp(tree.path(*b))),
        SortBy::Size => nodes.sort_by(|a, b| size(*b).cmp(&size(*a)).then(a.cmp(b))),
    }
}

/// Whether `node` is a directory with something below it in `view`.
pub fn expandable(tree: &Tree, view: &LayerView, node: u32) -> bool {
    view.get(node).is_some_and(|e| e.kind == NodeKind::Dir) && tree.children_in(node, view).next().is_some()
}

/// Where a key press moves the explorer's cursor, and which directory it opens or closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreeMove {
    /// Move the cursor to this row index.
    To(usize),
    /// Open the directory at the cursor.
    Expand(u32),
    /// Close the directory at the cursor.
    Collapse(u32),
}

/// What `key` does with the cursor at row `cursor` of `rows` (the WAI-ARIA tree pattern): Up/Down move,
/// Right opens a closed directory or steps into an open one, Left closes an open directory or steps to the
/// parent, Enter toggles, Home/End jump.
pub fn key_move(
    key: &str,
    cursor: usize,
    rows: &[Row],
    tree: &Tree,
    view: &LayerView,
    query: &Query,
) -> Option<TreeMove> {
    let last = rows.len().checked_sub(1)?;
    let cursor = cursor.min(last);
    let row = rows[cursor];
    let open = query.expanded.contains(&row.node);
    let can_open = query.search.trim().is_empty() && expandable(tree, view, row.node);
    match key {
        "ArrowDown" => Some(TreeMove::To((cursor + 1).min(last))),
        "ArrowUp" => Some(TreeMove::To(cursor.saturating_sub(1))),
        "Home" => Some(TreeMove::To(0)),
        "End" => Some(TreeMove::To(last)),
        "ArrowRight" if can_open && !open => Some(TreeMove::Expand(row.node)),
        "ArrowRight" if can_open && cursor < last && rows[cursor + 1].depth > row.depth => {
            Some(TreeMove::To(cursor + 1))
        }
        "ArrowLeft" if can_open && open => Some(TreeMove::Collapse(row.node)),
        "ArrowLeft" if row.depth > 0 => {
            let parent = tree.parent(row.node);
            rows[..cursor].iter().rposition(|r| r.node == parent).map(TreeMove::To)
        }
        "Enter" | " " if can_open => Some(if open { TreeMove::Collapse(row.node) } else { TreeMove::Expand(row.node) }),
        _ => None,
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

/// The word shown for a change kind (colour is never the only signal).
pub fn status_word(status: PathStatus) -> &'static str {
    match status {
        PathStatus::Added => "added",
        PathStatus::Modified => "modified",
        PathStatus::Removed => "removed",
        PathStatus::Unchanged => "unchanged",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample_report;
    use layerlens_core::image::layer_view;

    fn paths(tree: &Tree, view: &LayerView, query: &Query) -> Vec<String> {
        rows(tree, view, query).iter().map(|r| tree.path(r.node).to_string()).collect()
    }

    #[test]
    fn collapsed_tree_shows_top_level_directories_and_expanding_opens_one() {
        let report = sample_report();
        let tree = Tree::new(&report);
        let query = Query { mode: ViewMode::UpTo, ..Query::default() };
        let view = layer_view(&report.analysis, 5, ViewMode::UpTo);
        assert_eq!(paths(&tree, &view, &query), ["/app", "/etc", "/usr", "/var"]);
        let app = tree.find("/app").unwrap();
        let query = Query { expanded: [app].into(), ..query };
        assert_eq!(
            paths(&tree, &view, &query),
            ["/app", "/app/backup", "/app/data", "/app/requirements.txt", "/app/server.py", "/etc", "/usr", "/var"]
        );
        let by_size = Query { sort: SortBy::Size, ..query };
        assert_eq!(paths(&tree, &view, &by_size)[..2], ["/app", "/app/backup"]);
    }

    #[test]
    fn search_by_substring_and_glob() {
        let report = sample_report();
        let tree = Tree::new(&report);
        let view = layer_view(&report.analysis, 5, ViewMode::UpTo);
        let q = |s: &str| Query { search: s.into(), mode: ViewMode::UpTo, ..Query::default() };
        assert_eq!(paths(&tree, &view, &q("CITIES")), ["/app/backup/cities.csv", "/app/data/cities.csv"]);
        assert_eq!(paths(&tree, &view, &q("*.py")), ["/app/server.py"]);
        assert_eq!(paths(&tree, &view, &q("etc/*s*")), ["/etc/hostname", "/etc/os-release", "/etc/passwd"]);
    }

    #[test]
    fn a_layers_changes_show_removed_paths_and_filters_hide_change_kinds() {
        let report = sample_report();
        let tree = Tree::new(&report);
        // Layer 4 runs `rm -rf /var/lib/apt/lists/*`: its changes are removals only.
        let view = layer_view(&report.analysis, 4, ViewMode::Changes);
        let search = Query { search: "/".into(), ..Query::default() };
        let found = rows(&tree, &view, &search);
        assert!(!found.is_empty());
        let removed: Vec<&str> = found
            .iter()
            .filter(|r| view.get(r.node).unwrap().status == PathStatus::Removed)
            .map(|r| tree.path(r.node))
            .collect();
        assert!(removed.iter().any(|p| p.starts_with("/var/lib/apt/lists/")), "{removed:?}");
        let mut shown = Shown::default();
        shown.toggle(PathStatus::Removed);
        let no_removed = Query { shown, ..search };
        assert!(rows(&tree, &view, &no_removed)
            .iter()
            .all(|r| view.get(r.node).unwrap().status != PathStatus::Removed));
    }

    #[test]
    fn arrow_keys_move_open_and_close_like_a_tree() {
        let report = sample_report();
        let tree = Tree::new(&report);
        let view = layer_view(&report.analysis, 5, ViewMode::UpTo);
        let app = tree.find("/app").unwrap();
        let closed = Query { mode: ViewMode::UpTo, ..Query::default() };
        let r = rows(&tree, &view, &closed);
        let mv = |key: &str, cursor: usize, rows: &[Row], q: &Query| key_move(key, cursor, rows, &tree, &view, q);
        assert_eq!(mv("ArrowRight", 0, &r, &closed), Some(TreeMove::Expand(app)));
        assert_eq!(mv("Enter", 0, &r, &closed), Some(TreeMove::Expand(app)));
        assert_eq!(mv("ArrowDown", 0, &r, &closed), Some(TreeMove::To(1)));
        assert_eq!(mv("ArrowUp", 0, &r, &closed), Some(TreeMove::To(0)));
        let open = Query { expanded: [app].into(), ..closed };
        let r = rows(&tree, &view, &open);
        assert_eq!(mv("ArrowRight", 0, &r, &open), Some(TreeMove::To(1)));
        assert_eq!(mv("ArrowLeft", 0, &r, &open), Some(TreeMove::Collapse(app)));
        // From a child, Left goes to the parent row.
        assert_eq!(mv("ArrowLeft", 3, &r, &open), Some(TreeMove::To(0)));
        assert_eq!(mv("End", 0, &r, &open), Some(TreeMove::To(r.len() - 1)));
    }

    #[test]
    fn glob_is_linear_and_anchored() {
        assert!(glob("*.so", "/usr/lib/libc.so"));
        assert!(!glob("*.so", "/usr/lib/libc.so.6"));
        assert!(glob("/usr/*/lib?.so*", "/usr/lib/libc.so.6"));
        assert!(!glob(&"*a".repeat(20), &"a".repeat(19)));
    }
}
