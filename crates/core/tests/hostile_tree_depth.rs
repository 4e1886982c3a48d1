//! Paths 10,000 and 100,000 directories deep: answered in bounded time on a 1 MiB stack, or refused at a
//! documented limit.

mod hostile_common;

use hostile_common::{analyse, assert_clear, image_of, Layer};

#[test]
fn paths_ten_thousand_levels_deep() {
    let deep = "d/".repeat(10_000);
    let lower = Layer::new().file(&format!("{deep}file"), b"deep").file("top", b"t").build();
    let upper = Layer::new()
        .file(&format!("{deep}other"), b"second")
        .whiteout(&format!("{deep}file"))
        .file(&format!("{}/.wh..wh..opq", &deep[..deep.len() / 2 - 1]), b"")
        .build();
    let r = analyse(30, "10,000-level paths", image_of(&[lower, upper])).unwrap();
    let nodes = &r.filesystem.nodes;
    let depth = |mut i: usize| {
        let mut d = 0;
        while i != 0 {
            i = nodes[i].parent as usize;
            d += 1;
        }
        d
    };
    let deepest = (0..nodes.len()).map(depth).max().unwrap();
    assert_eq!(deepest, 10_001, "10,000 directories and the upper layer's file");
    assert_eq!(r.filesystem.files, 2, "`top` and the upper `other` survive: {:?}", r.filesystem.files);
    assert_eq!(r.waste.hidden_bytes, 4, "the lower deep file is hidden: {:?}", r.waste);
}

#[test]
fn paths_a_hundred_thousand_levels_deep() {
    let deep = "d/".repeat(100_000);
    let layer = Layer::new().pax_file(format!("{deep}file").as_bytes(), b"deep").file("top", b"t").build();
    match analyse(30, "100,000-level path", image_of(&[layer])) {
        Ok(r) => assert!(r.filesystem.files >= 1),
        Err(e) => {
            assert_clear(&e, "100,000-level path");
            assert_eq!(e.kind, layerlens_core::ErrorKind::Limit, "{}", e.message);
        }
    }
}
