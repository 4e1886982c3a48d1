//! Random layer stacks with whiteouts, opaque directories and overwrites, checked against a naive
//! model of the OCI rules: whiteouts in a layer apply to the layers below it, whatever their position.

mod image_support;
use image_support::*;
use proptest::prelude::*;
use std::collections::BTreeMap;

const FILES: [&str; 6] = ["a/f1", "a/f2", "a/b/f3", "c/f4", "f5", "a/b/d/f6"];
const DIRS: [&str; 4] = ["a", "a/b", "c", "a/b/d"];

#[derive(Clone, Debug)]
enum Op {
    Write(usize, usize),
    DeleteFile(usize),
    DeleteDir(usize),
    Opaque(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..FILES.len(), 1..400usize).prop_map(|(f, n)| Op::Write(f, n)),
        2 => (0..FILES.len()).prop_map(Op::DeleteFile),
        1 => (0..DIRS.len()).prop_map(Op::DeleteDir),
        1 => (0..DIRS.len()).prop_map(Op::Opaque),
    ]
}

fn under(path: &str, dir: &str) -> bool {
    path.len() > dir.len() && path.starts_with(dir) && path.as_bytes()[dir.len()] == b'/'
}

/// The naive model: a map from file path to (size, layer that shipped it); plus shipped totals.
fn model(layers: &[Vec<Op>]) -> (BTreeMap<String, u64>, u64, Vec<u64>) {
    let mut fs: BTreeMap<String, (u64, usize)> = BTreeMap::new();
    let mut shipped = 0;
    let mut shipped_hidden = vec![0u64; layers.len()];
    let hide = |fs: &mut BTreeMap<String, (u64, usize)>, keep: &dyn Fn(&str) -> bool, sh: &mut Vec<u64>| {
        let gone: Vec<String> = fs.keys().filter(|k| !keep(k)).cloned().collect();
        for k in gone {
            let (size, layer) = fs.remove(&k).unwrap();
            sh[layer] += size;
        }
    };
    for (l, ops) in layers.iter().enumerate() {
        for op in ops {
            match op {
                Op::DeleteFile(f) => hide(&mut fs, &|k| k != FILES[*f], &mut shipped_hidden),
                Op::DeleteDir(d) => hide(&mut fs, &|k| !under(k, DIRS[*d]), &mut shipped_hidden),
                Op::Opaque(d) => hide(&mut fs, &|k| !under(k, DIRS[*d]), &mut shipped_hidden),
                Op::Write(..) => {}
            }
        }
        for op in ops {
            if let Op::Write(f, n) = op {
                shipped += *n as u64;
                if let Some((old, layer)) = fs.insert(FILES[*f].to_string(), (*n as u64, l)) {
                    shipped_hidden[layer] += old;
                }
            }
        }
    }
    (fs.into_iter().map(|(k, (s, _))| (k, s)).collect(), shipped, shipped_hidden)
}

fn build(ops: &[Op], salt: usize) -> Vec<u8> {
    let mut layer = Layer::new();
    for (i, op) in ops.iter().enumerate() {
        layer = match op {
            Op::Write(f, n) => layer.file(FILES[*f], &vec![(i + salt) as u8; *n]),
            Op::DeleteFile(f) => layer.whiteout(FILES[*f]),
            Op::DeleteDir(d) => layer.whiteout(DIRS[*d]),
            Op::Opaque(d) => layer.opaque(DIRS[*d]),
        };
    }
    layer.build()
}

fn files_of(r: &ImageReport) -> BTreeMap<String, u64> {
    let nodes = &r.filesystem.nodes;
    let mut out = BTreeMap::new();
    for n in nodes {
        if n.kind == layerlens_core::image::NodeKind::File {
            let mut parts = vec![n.name.clone()];
            let mut cur = n.parent as usize;
            while cur != 0 {
                parts.push(nodes[cur].name.clone());
                cur = nodes[cur].parent as usize;
            }
            parts.reverse();
            out.insert(parts.join("/"), n.size);
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn merged_tree_and_hidden_bytes_match_the_naive_model(
        layers in prop::collection::vec(prop::collection::vec(op(), 1..8), 1..6)
    ) {
        let tars: Vec<Vec<u8>> = layers.iter().enumerate().map(|(i, ops)| build(ops, i * 16)).collect();
        let r = run(&archive(&[Image::new("fx/p:1", tars)], Layout::OciArchive, Comp::None).tar());
        let (want, shipped, shipped_hidden) = model(&layers);
        prop_assert_eq!(files_of(&r), want.clone());
        let visible: u64 = want.values().sum();
        prop_assert_eq!(r.waste.shipped_bytes, shipped);
        prop_assert_eq!(r.waste.visible_bytes, visible);
        prop_assert_eq!(r.waste.hidden_bytes, shipped - visible);
        let per_layer: Vec<u64> = r.layers.iter().map(|l| l.shipped_hidden_bytes).collect();
        prop_assert_eq!(per_layer, shipped_hidden);
        let hides: u64 = r.layers.iter().map(|l| l.hides_bytes).sum();
        prop_assert_eq!(hides, r.waste.hidden_bytes);
        let dir_total = r.filesystem.nodes[0].size;
        prop_assert_eq!(dir_total, visible);
    }
}
