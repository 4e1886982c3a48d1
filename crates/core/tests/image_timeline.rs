//! The per-layer timeline and the explorer's layer views, checked against a naive model of the OCI rules on
//! random layer stacks with files, symlinks, directory entries, whiteouts and opaque directories.

mod image_support;
use image_support::*;
use layerlens_core::image::{layer_view, NodeKind, PathChangeKind, PathStatus, Paths, ViewMode};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

const FILES: [&str; 7] = ["a/f1", "a/f2", "a/b/f3", "c/f4", "f5", "a/b/d/f6", "c/e/f7"];
const DIRS: [&str; 5] = ["a", "a/b", "c", "a/b/d", "c/e"];

#[derive(Clone, Debug)]
enum Op {
    Write(usize, usize),
    Symlink(usize),
    Dir(usize),
    DeleteFile(usize),
    DeleteDir(usize),
    Opaque(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => (0..FILES.len(), 0..300usize).prop_map(|(f, n)| Op::Write(f, n)),
        1 => (0..FILES.len()).prop_map(Op::Symlink),
        1 => (0..DIRS.len()).prop_map(Op::Dir),
        2 => (0..FILES.len()).prop_map(Op::DeleteFile),
        1 => (0..DIRS.len()).prop_map(Op::DeleteDir),
        1 => (0..DIRS.len()).prop_map(Op::Opaque),
    ]
}

fn build(ops: &[Op], salt: usize) -> Vec<u8> {
    let mut layer = Layer::new();
    for (i, op) in ops.iter().enumerate() {
        layer = match op {
            Op::Write(f, n) => layer.file(FILES[*f], &vec![(i + salt) as u8; *n]),
            Op::Symlink(f) => layer.symlink(FILES[*f], "/elsewhere"),
            Op::Dir(d) => layer.dir(DIRS[*d]),
            Op::DeleteFile(f) => layer.whiteout(FILES[*f]),
            Op::DeleteDir(d) => layer.whiteout(DIRS[*d]),
            Op::Opaque(d) => layer.opaque(DIRS[*d]),
        };
    }
    layer.build()
}

fn under(path: &str, dir: &str) -> bool {
    path.len() > dir.len() && path.starts_with(dir) && path.as_bytes()[dir.len()] == b'/'
}

type State = BTreeMap<String, (NodeKind, u64)>;
type Events = BTreeSet<(String, &'static str, String, u64)>;

fn word(change: PathChangeKind) -> &'static str {
    match change {
        PathChangeKind::Added => "added",
        PathChangeKind::Modified => "modified",
        PathChangeKind::Removed => "removed",
    }
}

/// The naive model: the filesystem (directories included) after each layer, and each layer's changes.
fn model(layers: &[Vec<Op>]) -> Vec<(State, Events)> {
    let mut fs = State::new();
    let mut out = Vec::new();
    for ops in layers {
        let before = fs.clone();
        let mut touched: BTreeSet<String> = BTreeSet::new();
        let wipe = |fs: &mut State, gone: &dyn Fn(&str) -> bool, touched: &mut BTreeSet<String>| {
            let paths: Vec<String> = fs.keys().filter(|k| gone(k)).cloned().collect();
            for p in paths {
                fs.remove(&p);
                touched.insert(p);
            }
        };
        for op in ops {
            match op {
                Op::DeleteFile(f) => wipe(&mut fs, &|k| k == FILES[*f] || under(k, FILES[*f]), &mut touched),
                Op::DeleteDir(d) => wipe(&mut fs, &|k| k == DIRS[*d] || under(k, DIRS[*d]), &mut touched),
                Op::Opaque(d) if fs.contains_key(DIRS[*d]) => wipe(&mut fs, &|k| under(k, DIRS[*d]), &mut touched),
                _ => {}
            }
        }
        for op in ops {
            let (path, kind, size) = match op {
                Op::Write(f, n) => (FILES[*f], NodeKind::File, *n as u64),
                Op::Symlink(f) => (FILES[*f], NodeKind::Symlink, 0),
                Op::Dir(d) => (DIRS[*d], NodeKind::Dir, 0),
                _ => continue,
            };
            let mut dir = String::new();
            for part in path.split('/').collect::<Vec<_>>().split_last().unwrap().1 {
                if !dir.is_empty() {
                    dir.push('/');
                }
                dir.push_str(part);
                fs.entry(dir.clone()).or_insert((NodeKind::Dir, 0));
            }
            let dir_over_dir = kind == NodeKind::Dir && fs.get(path).is_some_and(|(k, _)| *k == NodeKind::Dir);
            if !dir_over_dir {
                fs.insert(path.to_string(), (kind, size));
                touched.insert(path.to_string());
            }
        }
        let mut events = Events::new();
        let all: BTreeSet<&String> = before.keys().chain(fs.keys()).collect();
        for p in all {
            match (before.get(p), fs.get(p)) {
                (None, Some(&(k, s))) => events.insert((p.clone(), "added", format!("{k:?}"), s)),
                (Some(&(k, s)), None) => events.insert((p.clone(), "removed", format!("{k:?}"), s)),
                (Some(_), Some(&(k, s))) if touched.contains(p) => {
                    events.insert((p.clone(), "modified", format!("{k:?}"), s))
                }
                _ => false,
            };
        }
        out.push((fs.clone(), events));
    }
    out
}

fn full_path(paths: &Paths<'_>, id: u32) -> String {
    let mut parts = Vec::new();
    let mut cur = id;
    while cur != 0 {
        parts.push(paths.name(cur));
        cur = paths.parent(cur);
    }
    parts.reverse();
    parts.join("/")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn timeline_and_layer_views_match_the_naive_model(
        layers in prop::collection::vec(prop::collection::vec(op(), 1..9), 1..6)
    ) {
        let tars: Vec<Vec<u8>> = layers.iter().enumerate().map(|(i, ops)| build(ops, i * 16)).collect();
        let r = run(&archive(&[Image::new("fx/t:1", tars)], Layout::OciArchive, Comp::None).tar());
        let paths = Paths::new(&r);
        let want = model(&layers);
        prop_assert_eq!(r.timeline.layers.len(), layers.len());
        for (l, (state, events)) in want.iter().enumerate() {
            let got: Events = r.timeline.layers[l]
                .iter()
                .map(|e| (full_path(&paths, e.node), word(e.change), format!("{:?}", e.kind), e.size))
                .collect();
            prop_assert_eq!(&got, events, "layer {}", l);

            let up_to = layer_view(&r, l, ViewMode::UpTo);
            let mut present = State::new();
            let mut removed = BTreeSet::new();
            for (id, e) in up_to.iter().filter(|(id, _)| *id != 0) {
                let path = full_path(&paths, id);
                if e.status == PathStatus::Removed {
                    removed.insert(path);
                    continue;
                }
                let size = if e.kind == NodeKind::Dir { 0 } else { e.size };
                present.insert(path.clone(), (e.kind, size));
                // A directory's size is the sum of the files below it.
                if e.kind == NodeKind::Dir {
                    let below: u64 = state.iter().filter(|(k, _)| under(k, &path)).map(|(_, v)| v.1).sum();
                    prop_assert_eq!(e.size, below, "size of {} at layer {}", path, l);
                }
                let changed = events.iter().any(|ev| ev.0 == path);
                prop_assert_eq!(e.status == PathStatus::Unchanged, !changed, "status of {} at layer {}", path, l);
            }
            prop_assert_eq!(&present, state, "filesystem at layer {}", l);
            let want_removed: BTreeSet<String> =
                events.iter().filter(|e| e.1 == "removed").map(|e| e.0.clone()).collect();
            prop_assert_eq!(&removed, &want_removed, "removed at layer {}", l);

            // The changes view holds the changed paths and the directories above them, nothing else.
            let changes = layer_view(&r, l, ViewMode::Changes);
            let shown: BTreeSet<String> =
                changes.iter().filter(|(id, _)| *id != 0).map(|(id, _)| full_path(&paths, id)).collect();
            let mut expected: BTreeSet<String> = events.iter().map(|e| e.0.clone()).collect();
            for p in expected.clone() {
                let mut cur = p.as_str();
                while let Some((parent, _)) = cur.rsplit_once('/') {
                    expected.insert(parent.to_string());
                    cur = parent;
                }
            }
            prop_assert_eq!(shown, expected, "changes view at layer {}", l);
        }
        // The last layer's view is the final filesystem.
        let last = layer_view(&r, layers.len() - 1, ViewMode::UpTo);
        for (id, node) in r.filesystem.nodes.iter().enumerate().skip(1) {
            let e = last.get(id as u32).unwrap();
            prop_assert_eq!(e.kind, node.kind);
            prop_assert_eq!(e.size, node.size, "{}", full_path(&paths, id as u32));
        }
    }
}

#[test]
fn whiteouts_and_opaque_directories_are_removed_at_the_layer_that_removed_them() {
    let tars = vec![
        Layer::new().file("app/a.txt", b"aaaa").file("app/cache/x.bin", &[1; 100]).file("etc/conf", b"c").build(),
        Layer::new().whiteout("app/a.txt").opaque("app/cache").file("app/cache/y.bin", &[2; 10]).build(),
        Layer::new().file("etc/conf", b"changed").build(),
    ];
    let r = run(&archive(&[Image::new("fx/t:1", tars)], Layout::OciArchive, Comp::None).tar());
    let paths = Paths::new(&r);
    let describe = |layer: usize, mode: ViewMode| -> Vec<String> {
        let view = layer_view(&r, layer, mode);
        view.iter()
            .filter(|(id, _)| *id != 0)
            .map(|(id, e)| format!("{} {:?} {}", full_path(&paths, id), e.status, e.size))
            .collect()
    };
    expect_test::expect![[r#"
        [
            "app Unchanged 10",
            "app/cache Unchanged 10",
            "app/cache/y.bin Added 10",
            "etc Unchanged 1",
            "etc/conf Unchanged 1",
            "app/a.txt Removed 4",
            "app/cache/x.bin Removed 100",
        ]
    "#]]
    .assert_debug_eq(&describe(1, ViewMode::UpTo));
    expect_test::expect![[r#"
        [
            "app Unchanged 10",
            "app/cache Unchanged 10",
            "app/cache/y.bin Added 10",
            "app/a.txt Removed 4",
            "app/cache/x.bin Removed 100",
        ]
    "#]]
    .assert_debug_eq(&describe(1, ViewMode::Changes));
    expect_test::expect![[r#"
        [
            "etc Unchanged 7",
            "etc/conf Modified 7",
        ]
    "#]]
    .assert_debug_eq(&describe(2, ViewMode::Changes));
    // A layer beyond the last is the last layer.
    assert_eq!(describe(9, ViewMode::Changes), describe(2, ViewMode::Changes));
}

#[test]
fn the_timeline_is_written_as_compact_arrays_and_reads_back() {
    let tars = vec![Layer::new().file("a", b"xy").build(), Layer::new().whiteout("a").build()];
    let r = run(&archive(&[Image::new("fx/t:1", tars)], Layout::OciArchive, Comp::None).tar());
    let json = serde_json::to_string(&r.timeline).unwrap();
    assert_eq!(
        json,
        r#"{"removed_paths":[{"parent":0,"name":"a"}],"layers":[[[1,"added","file",2]],[[1,"removed","file",2]]]}"#
    );
    let back: layerlens_core::image::Timeline = serde_json::from_str(&json).unwrap();
    assert_eq!(back, r.timeline);
}
