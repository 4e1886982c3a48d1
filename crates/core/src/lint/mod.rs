//! Dockerfile lint: rules with stable ids that explain why an image is bigger, slower to build or
//! riskier than it needs to be, each with its fix.
//!
//! Every rule's metadata ([`RuleMeta`]) lives next to its code in `rules/`. Findings carry the
//! exact span they point at. Suppression follows ours (`# layerlens ignore=ID`), hadolint's
//! (`# hadolint ignore=DL3009`, mapped through the metadata) and BuildKit's `# check=skip=…`.

mod context;
pub mod dockerignore;
mod docs;
mod paths;
pub mod rule;
mod rules;
pub mod shell;
pub mod suppress;

pub use rule::{Category, Equivalent, RuleMeta, Severity};

use crate::dockerfile::{Dockerfile, Instruction, Position, Span};
use context::Context;
use serde::Serialize;
use suppress::Suppressions;

/// What the caller knows beyond the Dockerfile text.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// `--build-arg NAME=VALUE` overrides, in order (later ones win).
    pub build_args: Vec<(String, String)>,
    /// The stage to build (`--target`); the last stage when `None`.
    pub target: Option<String>,
    /// What is known about the build context's `.dockerignore`.
    pub dockerignore: Dockerignore,
}

/// What the caller knows about the `.dockerignore` of the build context.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Dockerignore {
    /// Not known (as in the browser, which sees only the Dockerfile).
    #[default]
    Unknown,
    /// The build context has no `.dockerignore`.
    Absent,
    /// The text of the build context's `.dockerignore`.
    Text(String),
}

impl Config {
    /// The value of build argument `name`, if one was given.
    pub fn build_arg(&self, name: &str) -> Option<&str> {
        self.build_args.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// One finding: a rule, where it points, and what it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule's stable id, e.g. `LL1001`.
    pub rule: &'static str,
    /// The rule's kebab-case name.
    pub name: &'static str,
    /// The severity (the rule's, raised to error by BuildKit's `check=error=true` for its checks).
    pub severity: Severity,
    /// What is wrong here, in one or two sentences.
    pub message: String,
    /// The exact text the finding points at.
    pub span: Span,
    /// Line and column where the span starts.
    pub start: Position,
    /// Line and column where the span ends.
    pub end: Position,
}

impl Finding {
    /// The metadata of the finding's rule.
    pub fn meta(&self) -> Option<&'static RuleMeta> {
        rule_by_id(self.rule)
    }
}

/// Every rule, ordered by id.
pub fn all_rules() -> Vec<&'static RuleMeta> {
    let mut all: Vec<&'static RuleMeta> = rules::FAMILIES.iter().flat_map(|f| f.iter().copied()).collect();
    all.sort_by_key(|r| r.id);
    all
}

/// The rule reference (`docs/rules.md`) generated from every rule's metadata.
pub fn reference_markdown() -> String {
    docs::reference_markdown(&all_rules())
}

/// The rule with id (or name) `id`.
pub fn rule_by_id(id: &str) -> Option<&'static RuleMeta> {
    rules::FAMILIES.iter().flat_map(|f| f.iter().copied()).find(|r| r.id == id || r.name == id)
}

/// Lints `syntax` (parsed from `text`) and returns the findings that are not suppressed, in source order.
pub fn lint(text: &str, syntax: &Dockerfile, config: &Config) -> Vec<Finding> {
    let model = context::lint_model(syntax, config);
    let cx = Context::new(text, syntax, &model, config);
    let mut emitter = Emitter::default();
    rules::check_all(&cx, &mut emitter);
    let suppressions = Suppressions::collect(syntax, config.build_arg("BUILDKIT_DOCKERFILE_CHECK"));
    let mut findings: Vec<Finding> = emitter
        .raw
        .into_iter()
        .filter(|raw| !suppressions.is_suppressed(raw.meta, raw.anchor_line))
        .map(|raw| {
            let severity = if suppressions.raises_to_error(raw.meta) { Severity::Error } else { raw.meta.severity };
            Finding {
                rule: raw.meta.id,
                name: raw.meta.name,
                severity,
                message: raw.message,
                span: raw.span,
                start: syntax.position(text, raw.span.start),
                end: syntax.position(text, raw.span.end),
            }
        })
        .collect();
    findings.sort_by(|a, b| (a.span.start, a.rule).cmp(&(b.span.start, b.rule)));
    findings.dedup_by(|a, b| a.rule == b.rule && a.span == b.span && a.message == b.message);
    findings
}

/// A finding before suppression and positioning.
struct RawFinding {
    meta: &'static RuleMeta,
    span: Span,
    anchor_line: usize,
    message: String,
}

/// Collects what the rules report.
#[derive(Default)]
pub(crate) struct Emitter {
    raw: Vec<RawFinding>,
}

impl Emitter {
    /// Reports `message` for `meta` at `span` inside `instruction` (whose comments can suppress it).
    pub(crate) fn emit(&mut self, meta: &'static RuleMeta, instruction: &Instruction, span: Span, message: String) {
        self.raw.push(RawFinding { meta, span, anchor_line: instruction.start_line, message });
    }
}
