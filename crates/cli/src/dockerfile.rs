//! `layerlens dockerfile`: parse a Dockerfile exactly as BuildKit does, dump its syntax tree, or
//! report findings.

use clap::{Args, ValueEnum};
use layerlens_core::dockerfile::{self, ParseResult, Severity};
use std::path::PathBuf;
use std::process::ExitCode;

/// Output format for findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One finding per line: file:line:col: severity rule: message.
    Text,
    /// A JSON document.
    Json,
    /// SARIF 2.1.0 for code-scanning services.
    Sarif,
}

/// Lowest severity that makes the command exit with status 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailLevel {
    /// Fail on errors only.
    Error,
    /// Fail on warnings and errors.
    Warning,
    /// Fail on any finding, informational ones included.
    Info,
    /// Never fail because of findings.
    None,
}

/// Arguments of `layerlens dockerfile`.
#[derive(Debug, Args)]
pub struct DockerfileArgs {
    /// The Dockerfile to analyse.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Print the syntax tree in BuildKit's Node.Dump() format instead of findings.
    #[arg(long)]
    pub dump: bool,
    /// Override a build argument, as `docker build --build-arg K=V` (repeatable).
    #[arg(long = "build-arg", value_name = "K=V")]
    pub build_args: Vec<String>,
    /// Output format for findings.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit with status 1 when a finding is at or above this severity.
    #[arg(long, value_enum, default_value_t = FailLevel::Error)]
    pub fail_level: FailLevel,
}

/// Runs the command: exit 0 when all is well, 1 when findings reach the fail level, 2 when the
/// file cannot be read or parsed.
pub fn run(args: DockerfileArgs) -> ExitCode {
    let name = args.file.display().to_string();
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{name}: cannot read the file: {e}");
            return ExitCode::from(2);
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{name}: the file is not UTF-8 text (invalid byte at offset {})", e.utf8_error().valid_up_to());
            return ExitCode::from(2);
        }
    };
    let parsed = dockerfile::parse(&text);
    if report_parse_errors(&name, &parsed) {
        return ExitCode::from(2);
    }
    if args.dump {
        print!("{}", dockerfile::dump(&parsed.syntax));
        return ExitCode::SUCCESS;
    }
    report(&name, &text, &parsed, &args)
}

/// Prints every parse error as `file:line: message` on stderr; returns whether there was one.
fn report_parse_errors(name: &str, parsed: &ParseResult) -> bool {
    let mut any = false;
    for p in parsed.problems.iter().filter(|p| p.severity == Severity::Error) {
        eprintln!("{name}:{}: {}", p.line, p.message);
        any = true;
    }
    any
}

/// The findings seam: receives the parsed Dockerfile and prints the results in the chosen format.
/// Until the lint rules are wired in, the findings are the parser's warnings.
fn report(name: &str, text: &str, parsed: &ParseResult, args: &DockerfileArgs) -> ExitCode {
    let findings: Vec<(usize, usize, &str)> = parsed
        .problems
        .iter()
        .map(|p| {
            let pos = parsed.syntax.position(text, p.span.start);
            (pos.line, pos.column, p.message.as_str())
        })
        .collect();
    match args.format {
        Format::Text => {
            for (line, col, message) in &findings {
                println!("{name}:{line}:{col}: warning: {message}");
            }
        }
        Format::Json => {
            let items: Vec<_> = findings
                .iter()
                .map(|(line, col, message)| {
                    serde_json::json!({"file": name, "line": line, "column": col, "severity": "warning", "message": message})
                })
                .collect();
            println!("{}", serde_json::json!({ "findings": items }));
        }
        Format::Sarif => {
            let results: Vec<_> = findings
                .iter()
                .map(|(line, col, message)| {
                    serde_json::json!({
                        "level": "warning",
                        "message": {"text": message},
                        "locations": [{"physicalLocation": {
                            "artifactLocation": {"uri": name},
                            "region": {"startLine": line, "startColumn": col}
                        }}]
                    })
                })
                .collect();
            let doc = serde_json::json!({
                "version": "2.1.0",
                "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
                "runs": [{"tool": {"driver": {"name": "layerlens"}}, "results": results}]
            });
            println!("{doc}");
        }
    }
    let fails = matches!(args.fail_level, FailLevel::Warning | FailLevel::Info);
    if fails && !findings.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
