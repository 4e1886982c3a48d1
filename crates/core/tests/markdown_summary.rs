//! The Markdown image summary on a generated image: figures, the layers table and the hidden files.

mod image_support;
use image_support::*;
use layerlens_core::markdown::render_image_markdown;

#[test]
fn the_summary_lists_layers_and_hidden_files() {
    let layers = vec![
        Layer::new().file("etc/os-release", b"ID=test\n").file("tmp/cache.bin", &[1u8; 4000]).build(),
        Layer::new().whiteout("tmp/cache.bin").file("app|x", b"pipe in the name").build(),
    ];
    let report = run(&archive(&[Image::new("md:1", layers)], Layout::DockerOci, Comp::None).tar());
    let md = render_image_markdown(&report, None);
    assert!(md.starts_with("## layerlens: md:1\n"), "{md}");
    for want in [
        "| Layers | 2 |",
        "| Hidden (shipped, not visible) | 4.0 kB |",
        "| 0 | 4.0 kB |",
        "| 1 | 16 B |",
        "step 1 |",
        "| 4.0 kB | /tmp/cache.bin | 0 | 1 | deleted |",
    ] {
        assert!(md.contains(want), "missing {want:?} in\n{md}");
    }
    // Every table row has the same number of cells as its header: nothing in a name breaks a table.
    for table in md.split("\n\n").filter(|b| b.starts_with("| ")) {
        let cells: Vec<usize> = table.lines().map(|l| l.replace("\\|", "").matches('|').count()).collect();
        assert!(cells.iter().all(|&c| c == cells[0]), "{table}");
    }
}
