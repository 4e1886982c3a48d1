//! BuildKit's shell-lexer test data (`envVarTest`, `wordsTest`) run against our lexer.
//!
//! `envVarTest` lines marked `A` (all platforms) and `U` (Unix) are checked; `W` (Windows-only)
//! lines are skipped because layerlens expands as BuildKit does on Linux (case-sensitive names).

use layerlens_core::dockerfile::shell::{expand, LexOptions};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> Option<PathBuf> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/dockerfiles/buildkit/shell").join(name);
    if path.is_file() {
        Some(path)
    } else {
        eprintln!("skipping: {} is absent", path.display());
        None
    }
}

#[test]
fn env_var_test_cases_pass() {
    let Some(path) = fixture("envVarTest") else { return };
    let env: Vec<(String, String)> = [("PWD", "/home"), ("SHELL", "bash"), ("KOREAN", "한국어"), ("NULL", "")]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let text = std::fs::read_to_string(path).unwrap();
    let mut checked = 0;
    let mut failures = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.trim().split('|').collect();
        assert_eq!(parts.len(), 3, "line {}", n + 1);
        let (platform, source, expected) = (parts[0].trim(), parts[1].trim(), parts[2].trim());
        if platform == "W" {
            continue;
        }
        checked += 1;
        let got = expand(source, &env, LexOptions::default());
        let ok = match &got {
            Ok(e) => expected != "error" && e.result == expected,
            Err(_) => expected == "error",
        };
        if !ok {
            failures.push(format!("line {}: {source:?} expected {expected:?}, got {got:?}", n + 1));
        }
    }
    assert!(checked > 150, "only {checked} cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn words_test_cases_pass() {
    let Some(path) = fixture("wordsTest") else { return };
    let text = std::fs::read_to_string(path).unwrap();
    let mut env: Vec<(String, String)> = Vec::new();
    let mut checked = 0;
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("ENV ") {
            let rest = rest.trim_start_matches(' ');
            let (k, v) = rest.split_once('=').unwrap_or((rest, ""));
            env.push((k.to_string(), v.to_string()));
            continue;
        }
        let (input, expected) = line.split_once('|').unwrap_or_else(|| panic!("line {}", n + 1));
        let expected: Vec<&str> = expected.trim_start_matches(' ').split(',').collect();
        let got = match expand(input.trim(), &env, LexOptions::default()) {
            Ok(e) => e.words,
            Err(_) => vec!["error".to_string()],
        };
        assert_eq!(got, expected, "line {}: {input:?}", n + 1);
        checked += 1;
    }
    assert!(checked >= 14, "only {checked} cases");
}
