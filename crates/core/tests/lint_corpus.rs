//! The corpus check: wherever a layerlens rule maps to a hadolint rule, every disagreement with
//! hadolint's recorded output must be a reviewed case where layerlens is right.

mod support;

use std::path::Path;
use support::hadolint::{compare_corpus, Reason};

const CORPUS: &str = "../../../shared/fixtures/dockerfiles/corpus";

#[test]
fn every_disagreement_with_hadolint_is_explained() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join(CORPUS);
    if !corpus.exists() {
        eprintln!("skipping: {} is absent", corpus.display());
        return;
    }
    let report = compare_corpus(&corpus).unwrap();
    assert_eq!(report.files, 215);
    for d in &report.disagreements {
        eprintln!("{}:{} {} ({}) {:?}: {}", d.file, d.line, d.hadolint, d.rule, d.side, d.reason.text());
    }
    let unexplained: Vec<String> = report
        .disagreements
        .iter()
        .filter(|d| d.reason == Reason::Unexplained)
        .map(|d| format!("{}:{} {} {} {:?}", d.file, d.line, d.hadolint, d.rule, d.side))
        .collect();
    assert!(unexplained.is_empty(), "unexplained disagreements:\n{}", unexplained.join("\n"));
    // docs/rules.md quotes these figures; keep it truthful.
    let figures = format!("{} findings agree and {} differ", report.agreements, report.disagreements.len());
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md")).unwrap();
    assert!(docs.replace('\n', " ").contains(&figures), "docs/rules.md should say: {figures}");
    // Agreement is the norm: the mapped rules find what hadolint finds.
    assert!(
        report.agreements > 5 * report.disagreements.len(),
        "{} agreements, {} disagreements",
        report.agreements,
        report.disagreements.len()
    );
}

#[test]
fn every_corpus_file_lints_without_panicking_and_points_inside_the_text() {
    let files = Path::new(env!("CARGO_MANIFEST_DIR")).join(CORPUS).join("files");
    let Ok(entries) = std::fs::read_dir(&files) else {
        eprintln!("skipping: {} is absent", files.display());
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let parsed = layerlens_core::dockerfile::parse(&text);
        for finding in layerlens_core::lint::lint(&text, &parsed.syntax, &layerlens_core::lint::Config::default()) {
            assert!(
                finding.span.end <= text.len() && finding.span.start <= finding.span.end,
                "{}: {finding:?}",
                path.display()
            );
            assert!(finding.meta().is_some());
        }
    }
}
