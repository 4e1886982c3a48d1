//! `layerlens dockerfile`: parse a Dockerfile exactly as BuildKit does, dump its syntax tree, or
//! report findings.

use clap::{Args, ValueEnum};
use layerlens_core::dockerfile::{self, BuildArgs, ParseResult, Severity};
use layerlens_core::lint;
use layerlens_core::recommend;
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
    /// The recommendations (estimated size, rewritten Dockerfiles as diffs) as Markdown, for a pull-request comment.
    Markdown,
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
    /// Build this stage instead of the last one (only its stages count for the size rules).
    #[arg(long, value_name = "STAGE")]
    pub target: Option<String>,
    /// The build context's .dockerignore (default: `<FILE>.dockerignore` or `.dockerignore` beside the Dockerfile).
    #[arg(long, value_name = "FILE")]
    pub dockerignore: Option<PathBuf>,
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

/// One line of output: a lint finding, or a problem BuildKit reports while reading the file.
struct Item {
    rule: &'static str,
    name: &'static str,
    severity: lint::Severity,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: String,
}

/// Lints the parsed Dockerfile and prints the findings in the chosen format; exits 1 when one is at
/// or above the fail level.
fn report(name: &str, text: &str, parsed: &ParseResult, args: &DockerfileArgs) -> ExitCode {
    let dockerignore = match read_dockerignore(args) {
        Ok(d) => d,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let config = lint::Config {
        build_args: args
            .build_args
            .iter()
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        target: args.target.clone(),
        dockerignore,
    };
    let mut build = BuildArgs::default();
    for kv in &args.build_args {
        build.push_kv(kv);
    }
    build.target = args.target.clone();
    let model = dockerfile::model(parsed, &build);
    let mut items: Vec<Item> = parsed
        .problems
        .iter()
        // Empty continuation lines are reported by the lint rule LL2017 (BuildKit's NoEmptyContinuation).
        .filter(|p| !p.message.starts_with("Empty continuation line"))
        .chain(model.problems.iter())
        .map(|p| {
            let start = parsed.syntax.position(text, p.span.start);
            let end = parsed.syntax.position(text, p.span.end);
            let severity = match p.severity {
                Severity::Error => lint::Severity::Error,
                Severity::Warning => lint::Severity::Warning,
            };
            Item {
                rule: "buildkit",
                name: "buildkit-parse",
                severity,
                line: p.line.max(start.line),
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                message: p.message.clone(),
            }
        })
        .collect();
    items.extend(lint::lint(text, &parsed.syntax, &config).into_iter().map(|f| Item {
        rule: f.rule,
        name: f.name,
        severity: f.severity,
        line: f.start.line,
        column: f.start.column,
        end_line: f.end.line,
        end_column: f.end.column,
        message: f.message,
    }));
    items.sort_by_key(|i| (i.line, i.column));
    let build_args: Vec<(String, String)> = args
        .build_args
        .iter()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let recs = match recommend::recommend_dockerfile_with(text, &build_args) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{name}: {}", e.message);
            return ExitCode::from(2);
        }
    };
    match args.format {
        Format::Text => {
            for i in &items {
                println!(
                    "{name}:{}:{}: {} {} ({}): {}",
                    i.line,
                    i.column,
                    i.severity.as_str(),
                    i.rule,
                    i.name,
                    i.message
                );
            }
            print!("\n{}", recommend::render_text(&recs));
        }
        Format::Json => {
            let mut doc = json_report(name, &items);
            if let (Some(object), Ok(value)) = (doc.as_object_mut(), serde_json::to_value(&recs)) {
                object.insert("recommendations".into(), value);
            }
            println!("{doc}");
        }
        Format::Sarif => println!("{}", sarif_report(name, &items)),
        Format::Markdown => print!("{}", recommend::render_markdown(&recs)),
    }
    let threshold = match args.fail_level {
        FailLevel::Error => Some(lint::Severity::Error),
        FailLevel::Warning => Some(lint::Severity::Warning),
        FailLevel::Info => Some(lint::Severity::Info),
        FailLevel::None => None,
    };
    if threshold.is_some_and(|t| items.iter().any(|i| i.severity >= t)) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The `.dockerignore` of the build context: `--dockerignore FILE`, else `<FILE>.dockerignore` or `.dockerignore`
/// beside the Dockerfile (BuildKit prefers the Dockerfile's own); an error names a file that cannot be read.
fn read_dockerignore(args: &DockerfileArgs) -> Result<lint::Dockerignore, String> {
    let read = |path: &std::path::Path| {
        std::fs::read(path)
            .map(|bytes| lint::Dockerignore::Text(String::from_utf8_lossy(&bytes).into_owned()))
            .map_err(|e| format!("{}: cannot read the .dockerignore: {e}", path.display()))
    };
    if let Some(path) = &args.dockerignore {
        return read(path);
    }
    let file = &args.file;
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    let own = file.file_name().map(|n| dir.join(format!("{}.dockerignore", n.to_string_lossy())));
    match own.into_iter().chain([dir.join(".dockerignore")]).find(|p| p.is_file()) {
        Some(path) => read(&path),
        None => Ok(lint::Dockerignore::Absent),
    }
}

fn json_report(name: &str, items: &[Item]) -> serde_json::Value {
    let findings: Vec<_> = items
        .iter()
        .map(|i| {
            let meta = lint::rule_by_id(i.rule);
            serde_json::json!({
                "file": name,
                "line": i.line,
                "column": i.column,
                "end_line": i.end_line,
                "end_column": i.end_column,
                "rule": i.rule,
                "name": i.name,
                "severity": i.severity.as_str(),
                "message": i.message,
                "fix": meta.map(|m| m.fix),
                "docs": meta.map(|m| m.docs_path()),
            })
        })
        .collect();
    serde_json::json!({ "file": name, "findings": findings })
}

fn sarif_report(name: &str, items: &[Item]) -> serde_json::Value {
    let mut used: Vec<&'static str> = items.iter().map(|i| i.rule).collect();
    used.sort_unstable();
    used.dedup();
    let rules: Vec<_> = used
        .iter()
        .map(|id| match lint::rule_by_id(id) {
            Some(m) => {
                let mut rule = serde_json::json!({
                "id": m.id,
                "name": m.name,
                "shortDescription": {"text": m.summary},
                "fullDescription": {"text": m.explanation},
                "help": {"text": m.fix},
                "properties": {"category": m.category.as_str()},
                });
                // The upstream page of an equivalent hadolint rule or BuildKit check, when there is one.
                if let Some(equivalent) = m.same_as.first() {
                    rule["helpUri"] = serde_json::json!(equivalent.url());
                }
                rule
            }
            None => serde_json::json!({
                "id": id,
                "name": "buildkit-parse",
                "shortDescription": {"text": "BuildKit cannot read this part of the Dockerfile"},
            }),
        })
        .collect();
    let results: Vec<_> = items
        .iter()
        .map(|i| {
            let level = match i.severity {
                lint::Severity::Error => "error",
                lint::Severity::Warning => "warning",
                lint::Severity::Info => "note",
            };
            serde_json::json!({
                "ruleId": i.rule,
                "level": level,
                "message": {"text": i.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": name},
                    "region": {"startLine": i.line, "startColumn": i.column, "endLine": i.end_line, "endColumn": i.end_column}
                }}]
            })
        })
        .collect();
    serde_json::json!({
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{"tool": {"driver": {"name": "layerlens", "rules": rules}}, "results": results}]
    })
}
