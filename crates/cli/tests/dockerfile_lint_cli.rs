//! `layerlens dockerfile FILE`: findings in text, JSON and SARIF, build arguments, fail levels and exit codes.

use std::path::PathBuf;
use std::process::{Command, Output};

/// Writes `text` as a Dockerfile in a fresh directory (with a .dockerignore when asked) and returns its path.
fn dockerfile(test: &str, text: &str, dockerignore: bool) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("layerlens-lint-cli-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("Dockerfile");
    std::fs::write(&path, text).unwrap();
    if dockerignore {
        std::fs::write(dir.join(".dockerignore"), ".git\n").unwrap();
    } else {
        let _ = std::fs::remove_file(dir.join(".dockerignore"));
    }
    path
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_layerlens")).args(args).output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

const WASTEFUL: &str = "FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl\nCOPY . /app\n";

#[test]
fn text_output_names_file_line_column_rule_and_severity() {
    let path = dockerfile("text", WASTEFUL, false);
    let out = run(&["dockerfile", path.to_str().unwrap()]);
    let text = stdout(&out);
    let name = path.display().to_string();
    assert!(text.contains(&format!("{name}:2:5: warning LL1001 (apt-lists-left): ")), "{text}");
    assert!(text.contains(&format!("{name}:2:31: info LL1002 (apt-install-recommends): ")), "{text}");
    assert!(
        text.contains(
            "LL1014 (copy-whole-context): `COPY .` copies the whole build context and there is no .dockerignore"
        ),
        "{text}"
    );
    // No finding is an error, so the default fail level (error) passes.
    assert_eq!(out.status.code(), Some(0), "{text}");
}

#[test]
fn dockerignore_next_to_the_file_silences_the_context_rule() {
    let path = dockerfile("ignore", WASTEFUL, true);
    let text = stdout(&run(&["dockerfile", path.to_str().unwrap()]));
    assert!(!text.contains("LL1014"), "{text}");
}

#[test]
fn fail_level_decides_the_exit_code() {
    let path = dockerfile("fail", WASTEFUL, false);
    let file = path.to_str().unwrap();
    assert_eq!(run(&["dockerfile", file, "--fail-level", "warning"]).status.code(), Some(1));
    assert_eq!(run(&["dockerfile", file, "--fail-level", "info"]).status.code(), Some(1));
    assert_eq!(run(&["dockerfile", file, "--fail-level", "none"]).status.code(), Some(0));
    let broken = dockerfile("fail-error", "FROM alpine:3.22 AS a\nFROM alpine:3.22 AS a\n", false);
    assert_eq!(run(&["dockerfile", broken.to_str().unwrap()]).status.code(), Some(1));
}

#[test]
fn unreadable_input_exits_2() {
    let out = run(&["dockerfile", "/nonexistent/layerlens/Dockerfile"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/layerlens/Dockerfile"));
}

#[test]
fn json_output_lists_findings_with_fix_and_docs() {
    let path = dockerfile("json", WASTEFUL, false);
    let out = run(&["dockerfile", path.to_str().unwrap(), "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    let lists = findings.iter().find(|f| f["rule"] == "LL1001").unwrap();
    assert_eq!(lists["line"], 2);
    assert_eq!(lists["severity"], "warning");
    assert_eq!(lists["docs"], "docs/rules.md#ll1001");
    assert!(lists["fix"].as_str().unwrap().contains("rm -rf /var/lib/apt/lists/*"));
}

#[test]
fn sarif_output_has_rules_and_results() {
    let path = dockerfile("sarif", WASTEFUL, false);
    let out = run(&["dockerfile", path.to_str().unwrap(), "--format", "sarif"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["version"], "2.1.0");
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["id"] == "LL1001" && r["name"] == "apt-lists-left"));
    let result = run["results"].as_array().unwrap().iter().find(|r| r["ruleId"] == "LL1002").unwrap();
    assert_eq!(result["level"], "note");
    assert_eq!(result["locations"][0]["physicalLocation"]["region"]["startLine"], 2);
}

#[test]
fn build_args_resolve_the_base_image() {
    let text = "ARG BASE=python:3.12\nFROM ${BASE}\n";
    let path = dockerfile("build-arg", text, true);
    let file = path.to_str().unwrap();
    let default = stdout(&run(&["dockerfile", file]));
    assert!(default.contains("LL1015"), "{default}");
    let overridden = stdout(&run(&["dockerfile", file, "--build-arg", "BASE=python:latest"]));
    assert!(overridden.contains("LL1017"), "{overridden}");
    assert!(!overridden.contains("LL1015"), "{overridden}");
}
