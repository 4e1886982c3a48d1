//! Suppression comments: ours (`# layerlens ignore=ID,…`), hadolint's (`# hadolint ignore=DL3009`)
//! on the lines just above an instruction, their `global ignore=` forms for the whole file, and
//! BuildKit's `# check=skip=…;error=true` directive (or the `BUILDKIT_DOCKERFILE_CHECK` build argument).

use super::rule::RuleMeta;
use crate::dockerfile::syntax::{Comment, Dockerfile};

/// Which tool a suppression comment was written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tool {
    Layerlens,
    Hadolint,
}

/// One `ignore=` comment.
#[derive(Debug, Clone)]
struct Ignore {
    tool: Tool,
    global: bool,
    line: usize,
    names: Vec<String>,
}

/// BuildKit's check configuration, from the `check` directive or the build argument.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckConfig {
    /// `skip=all`: every BuildKit check is off.
    pub skip_all: bool,
    /// The BuildKit check names (or our rule ids) listed in `skip=`.
    pub skip: Vec<String>,
    /// `error=true`: findings of BuildKit checks become errors.
    pub error: bool,
}

impl CheckConfig {
    /// Parses a `check` value exactly as BuildKit does (`skip=A,B;error=true`); `None` when invalid.
    pub fn parse(value: &str) -> Option<CheckConfig> {
        let value = value.trim();
        let mut config = CheckConfig::default();
        if value.is_empty() {
            return Some(config);
        }
        for part in value.splitn(2, ';') {
            let (key, val) = part.split_once('=')?;
            match key.trim() {
                "skip" => {
                    let val = val.trim();
                    if val == "all" {
                        config.skip_all = true;
                    } else {
                        config.skip = val.split(',').map(|s| s.trim().to_string()).collect();
                    }
                }
                "error" => {
                    config.error = parse_go_bool(val.trim())?;
                }
                _ => return None,
            }
        }
        Some(config)
    }
}

/// Go's `strconv.ParseBool`.
fn parse_go_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// All suppressions that apply to one Dockerfile.
#[derive(Debug, Clone, Default)]
pub struct Suppressions {
    ignores: Vec<Ignore>,
    /// The BuildKit check configuration in force.
    pub check: CheckConfig,
    /// Comment lines, for walking up from an instruction.
    comment_lines: Vec<usize>,
}

impl Suppressions {
    /// Collects the suppression comments of `syntax`; `check_override` is the value of a
    /// `BUILDKIT_DOCKERFILE_CHECK` build argument, which BuildKit lets replace the directive.
    pub fn collect(syntax: &Dockerfile, check_override: Option<&str>) -> Suppressions {
        let ignores = syntax.comments.iter().filter_map(parse_ignore).collect();
        let directive = syntax.directive("check").map(|d| d.value.as_str());
        let check = check_override.or(directive).and_then(CheckConfig::parse).unwrap_or_default();
        let comment_lines = syntax.comments.iter().map(|c| c.line).collect();
        Suppressions { ignores, check, comment_lines }
    }

    /// Whether a finding of `rule` for the instruction starting on `instruction_line` is suppressed.
    pub fn is_suppressed(&self, rule: &RuleMeta, instruction_line: usize) -> bool {
        if let Some(check) = rule.buildkit() {
            if self.check.skip_all || self.check.skip.iter().any(|s| s == check || rule.answers_to(s)) {
                return true;
            }
        } else if self.check.skip.iter().any(|s| rule.answers_to(s)) {
            return true;
        }
        // The comment block directly above the instruction (no blank line between) applies to it.
        let mut block_start = instruction_line;
        while block_start > 1 && self.comment_lines.binary_search(&(block_start - 1)).is_ok() {
            block_start -= 1;
        }
        self.ignores.iter().any(|ignore| {
            let applies = ignore.global || (ignore.line >= block_start && ignore.line < instruction_line);
            applies
                && ignore.names.iter().any(|name| match ignore.tool {
                    Tool::Layerlens => rule.answers_to(name),
                    Tool::Hadolint => rule.hadolint().any(|h| h.eq_ignore_ascii_case(name)),
                })
        })
    }

    /// Whether BuildKit's `error=true` raises the findings of `rule` to errors.
    pub fn raises_to_error(&self, rule: &RuleMeta) -> bool {
        self.check.error && rule.buildkit().is_some()
    }
}

/// Reads `layerlens ignore=…`, `hadolint ignore=…` and their `global ignore=…` forms.
fn parse_ignore(comment: &Comment) -> Option<Ignore> {
    let text = comment.text.trim();
    let (tool, rest) = if let Some(rest) = text.strip_prefix("layerlens") {
        (Tool::Layerlens, rest)
    } else if let Some(rest) = text.strip_prefix("hadolint") {
        (Tool::Hadolint, rest)
    } else {
        return None;
    };
    let rest = rest.trim_start();
    let (global, rest) = match rest.strip_prefix("global") {
        Some(r) => (true, r.trim_start()),
        None => (false, rest),
    };
    let list = rest.strip_prefix("ignore")?.trim_start().strip_prefix('=')?;
    // The list ends at the first blank; anything after it is a free-text reason.
    let list = list.split_whitespace().next().unwrap_or("");
    let names = list.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect::<Vec<_>>();
    (!names.is_empty()).then_some(Ignore { tool, global, line: comment.line, names })
}
