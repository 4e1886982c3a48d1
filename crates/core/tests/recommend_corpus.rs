//! Rewrites of the real Dockerfiles in ../shared/fixtures/dockerfiles/corpus (skipped with a notice when
//! absent): every rewrite parses without errors and keeps every original instruction it does not say it
//! changes.

use layerlens_core::dockerfile::{parse, Keyword};
use layerlens_core::recommend::dockerfile::advise;
use layerlens_core::recommend::Catalog;
use std::path::PathBuf;

#[test]
fn corpus_rewrites_round_trip() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/dockerfiles/corpus/files");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipping: {} is absent", dir.display());
        return;
    };
    let catalog = Catalog::builtin().unwrap();
    let (mut files, mut rewrites) = (0, 0);
    for entry in entries {
        let path = entry.unwrap().path();
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        files += 1;
        let before = parse(&text);
        let advice = advise(catalog, &text, None);
        for rw in &advice.rewrites {
            rewrites += 1;
            let after = parse(&rw.dockerfile);
            assert!(!after.has_errors(), "{}: {} rewrite does not parse: {:?}", path.display(), rw.id, after.problems);
            let mut texts = after.syntax.instructions.iter().map(|i| i.original.clone());
            for ins in &before.syntax.instructions {
                if matches!(ins.keyword, Keyword::From | Keyword::Cmd | Keyword::Entrypoint | Keyword::User) {
                    continue;
                }
                assert!(texts.any(|t| t == ins.original), "{}: {} lost `{}`", path.display(), rw.id, ins.original);
            }
        }
    }
    eprintln!("{files} corpus Dockerfiles, {rewrites} rewrites checked");
    assert!(files > 0);
}
