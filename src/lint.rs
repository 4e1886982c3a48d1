//! Dockerfile findings for the editor: BuildKit's parse problems and the lint rules, as owned data that can
//! cross the worker boundary.

use layerlens_core::dockerfile::{self, BuildArgs};
use layerlens_core::lint;
use serde::{Deserialize, Serialize};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// A suggestion.
    Info,
    /// Likely a mistake or a waste of bytes.
    Warning,
    /// The build fails or behaves wrongly.
    Error,
}

/// One finding at a place in the Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DockerfileFinding {
    /// The rule id (`LL1001`), or `buildkit` for a parse problem.
    pub rule: String,
    /// The rule's kebab-case name.
    pub name: String,
    /// How serious it is.
    pub level: Level,
    /// The 1-based line where it starts.
    pub line: usize,
    /// The 1-based column where it starts.
    pub column: usize,
    /// What is wrong, in one or two sentences.
    pub message: String,
}

/// Parses and lints `text` as the CLI does, without a build context (the browser has none).
pub fn lint_dockerfile(text: &str) -> Vec<DockerfileFinding> {
    let parsed = dockerfile::parse(text);
    let model = dockerfile::model(&parsed, &BuildArgs::default());
    let mut out: Vec<DockerfileFinding> = parsed
        .problems
        .iter()
        // Empty continuation lines are reported by a lint rule (BuildKit's NoEmptyContinuation) instead.
        .filter(|p| !p.message.starts_with("Empty continuation line"))
        .chain(model.problems.iter())
        .map(|p| {
            let start = parsed.syntax.position(text, p.span.start);
            DockerfileFinding {
                rule: "buildkit".into(),
                name: "buildkit-parse".into(),
                level: match p.severity {
                    dockerfile::Severity::Error => Level::Error,
                    dockerfile::Severity::Warning => Level::Warning,
                },
                line: p.line.max(start.line),
                column: start.column,
                message: p.message.clone(),
            }
        })
        .collect();
    out.extend(lint::lint(text, &parsed.syntax, &lint::Config::default()).into_iter().map(|f| DockerfileFinding {
        rule: f.rule.into(),
        name: f.name.into(),
        level: match f.severity {
            lint::Severity::Info => Level::Info,
            lint::Severity::Warning => Level::Warning,
            lint::Severity::Error => Level::Error,
        },
        line: f.start.line,
        column: f.start.column,
        message: f.message,
    }));
    out.sort_by_key(|f| (f.line, f.column));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_dockerfile_has_findings_on_its_mistakes() {
        let findings = lint_dockerfile(include_str!("../www/samples/Dockerfile"));
        let got: Vec<(usize, &str)> = findings.iter().map(|f| (f.line, f.rule.as_str())).collect();
        // The package lists left by apt-get (line 4), deleted too late (line 9), the chmod (line 10) in a RUN of its
        // own after another single-command RUN, and a USER named instead of numbered (line 12).
        assert_eq!(
            got,
            [(4, "LL1001"), (4, "LL3003"), (9, "LL1010"), (10, "LL3018"), (10, "LL1011"), (12, "LL3019")],
            "{findings:#?}"
        );
        assert_eq!(findings[0].level, Level::Warning);
    }

    #[test]
    fn a_broken_dockerfile_reports_a_parse_problem_not_a_panic() {
        let findings = lint_dockerfile("FROM\nRUN \\\n");
        assert!(findings.iter().any(|f| f.level == Level::Error), "{findings:#?}");
    }
}
