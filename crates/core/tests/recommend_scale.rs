//! Recommendations stay fast on large images: 200,000 files, 2,000 of them package.json files.

mod recommend_support;

use layerlens_core::recommend::recommend_image;
use recommend_support::debian_like;

#[test]
fn two_hundred_thousand_files() {
    let mut fs = debian_like();
    for i in 0..2_000 {
        fs = fs.text(&format!("srv/app{i}/package.json"), br#"{"devDependencies":{"a":"1","b":"2"}}"#, 2);
        for j in 0..99 {
            fs = fs.sized(&format!("srv/app{i}/node_modules/a/f{j}.js"), 100, 2);
        }
    }
    let view = fs.build();
    assert!(view.files.len() > 200_000);
    let started = std::time::Instant::now();
    let recs = recommend_image(&view).unwrap();
    let elapsed = started.elapsed();
    eprintln!("recommend_image on {} files: {elapsed:?}", view.files.len());
    let dev: u64 = recs.findings.iter().filter(|f| f.id == "node-dev-dependencies").map(|f| f.bytes).sum();
    assert_eq!(dev, 2_000 * 99 * 100);
    assert!(elapsed.as_secs() < 60, "took {elapsed:?}");
}
