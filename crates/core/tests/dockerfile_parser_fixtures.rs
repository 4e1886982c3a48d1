//! BuildKit's own parser test data: every `result` reproduced byte for byte by `dump`, every
//! negative case refused with a message and a line.

use layerlens_core::dockerfile::{dump, parse, Severity};
use std::path::{Path, PathBuf};

fn fixtures(kind: &str) -> Option<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/dockerfiles/buildkit").join(kind);
    if !dir.is_dir() {
        eprintln!("skipping: {} is absent", dir.display());
        return None;
    }
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    cases.sort();
    Some(cases)
}

#[test]
fn every_result_is_reproduced_byte_for_byte() {
    let Some(cases) = fixtures("parser") else { return };
    assert!(cases.len() >= 20, "expected BuildKit's parser cases, found {}", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let text = std::fs::read_to_string(case.join("Dockerfile")).unwrap();
        let expected = std::fs::read_to_string(case.join("result")).unwrap();
        let parsed = parse(&text);
        let errors: Vec<_> = parsed.problems.iter().filter(|p| p.severity == Severity::Error).collect();
        if !errors.is_empty() {
            failures.push(format!("{}: unexpected errors {errors:?}", case.display()));
            continue;
        }
        let got = dump(&parsed.syntax);
        if got != expected {
            failures.push(format!("{}:\n--- got\n{got}--- expected\n{expected}", case.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_negative_case_is_refused_with_a_line() {
    let Some(cases) = fixtures("parser-negative") else { return };
    assert!(!cases.is_empty());
    for case in &cases {
        let text = std::fs::read_to_string(case.join("Dockerfile")).unwrap();
        let parsed = parse(&text);
        let error = parsed.problems.iter().find(|p| p.severity == Severity::Error);
        let error = error.unwrap_or_else(|| panic!("{} was accepted", case.display()));
        assert!(error.line >= 1, "{}: no line in {error:?}", case.display());
        assert_eq!(error.message, "file with no instructions", "{}", case.display());
    }
}
