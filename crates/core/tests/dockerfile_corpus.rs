//! Every real-world Dockerfile of the corpus parses without error and models without error, and
//! every instruction's span covers its keyword.

use layerlens_core::dockerfile::{model, parse, BuildArgs, Severity};
use std::path::Path;

#[test]
fn every_corpus_file_parses_and_models_cleanly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/dockerfiles/corpus/files");
    if !dir.is_dir() {
        eprintln!("skipping: {} is absent", dir.display());
        return;
    }
    let mut count = 0;
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let parsed = parse(&text);
        let m = model(&parsed, &BuildArgs::default());
        let errors: Vec<String> = parsed
            .problems
            .iter()
            .chain(&m.problems)
            .filter(|p| p.severity == Severity::Error)
            .map(|p| format!("line {}: {}", p.line, p.message))
            .collect();
        if !errors.is_empty() {
            failures.push(format!("{}: {errors:?}", path.display()));
        }
        for ins in &parsed.syntax.instructions {
            let keyword = ins.keyword_word.span.slice(&text);
            assert!(keyword.eq_ignore_ascii_case(ins.keyword.as_str()), "{}: {keyword:?}", path.display());
            assert!(ins.span.start <= ins.keyword_word.span.start && ins.span.end <= text.len());
        }
        assert!(m.target.is_some(), "{}: no target stage", path.display());
        count += 1;
    }
    assert!(count >= 200, "only {count} corpus files");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
