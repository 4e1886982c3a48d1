//! Rule metadata: what every lint rule says about itself, kept next to the rule's code.

use serde::Serialize;

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A suggestion: the image would be smaller or tidier.
    Info,
    /// Likely a mistake, a large waste of bytes, or a reproducibility risk.
    Warning,
    /// The build fails, behaves wrongly, or leaks a secret.
    Error,
}

impl Severity {
    /// The lower-case name (`info`, `warning`, `error`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses `info`, `warning` (or `warn`) and `error`, in any letter case.
    pub fn parse(text: &str) -> Option<Severity> {
        match text.to_ascii_lowercase().as_str() {
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// What a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Bytes in the final image that need not be there.
    Size,
    /// Mistakes that make the build fail or behave differently than written.
    Correctness,
    /// Secrets, privileges and supply-chain risks.
    Security,
    /// Reproducibility and readability.
    Maintainability,
}

impl Category {
    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Size => "size",
            Category::Correctness => "correctness",
            Category::Security => "security",
            Category::Maintainability => "maintainability",
        }
    }
}

/// A rule of another linter that checks the same thing as one of ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "tool", content = "id", rename_all = "lowercase")]
pub enum Equivalent {
    /// A hadolint rule, e.g. `DL3009`.
    Hadolint(&'static str),
    /// A BuildKit build check, e.g. `StageNameCasing`.
    Buildkit(&'static str),
}

impl Equivalent {
    /// The upstream documentation of the equivalent rule (hadolint's wiki page, BuildKit's check reference).
    pub fn url(&self) -> String {
        match self {
            Equivalent::Hadolint(id) => format!("https://github.com/hadolint/hadolint/wiki/{id}"),
            Equivalent::Buildkit(name) => format!("https://docs.docker.com/go/dockerfile/rule/{}/", kebab(name)),
        }
    }
}

/// `StageNameCasing` → `stage-name-casing`, keeping acronyms together (`JSONArgsRecommended` → `json-args-recommended`).
fn kebab(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        let prev_lower = i > 0 && chars.get(i - 1).is_some_and(|p| p.is_ascii_lowercase());
        let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
        let prev_upper = i > 0 && chars.get(i - 1).is_some_and(|p| p.is_ascii_uppercase());
        if c.is_ascii_uppercase() && i > 0 && (prev_lower || (prev_upper && next_lower)) {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Everything a rule says about itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RuleMeta {
    /// The stable id, e.g. `LL1001`. Never reused or renumbered.
    pub id: &'static str,
    /// A short kebab-case name, e.g. `apt-lists-left`.
    pub name: &'static str,
    /// The default severity.
    pub severity: Severity,
    /// What the rule is about.
    pub category: Category,
    /// One line: what is wrong.
    pub summary: &'static str,
    /// One paragraph: why it matters.
    pub explanation: &'static str,
    /// How to fix it.
    pub fix: &'static str,
    /// Rules of hadolint and BuildKit that check the same thing (their suppressions apply to this rule).
    pub same_as: &'static [Equivalent],
}

impl RuleMeta {
    /// The rule's entry in the rule reference, relative to the repository root (`docs/rules.md#ll1001`).
    pub fn docs_path(&self) -> String {
        format!("docs/rules.md#{}", self.id.to_ascii_lowercase())
    }

    /// The BuildKit check this rule mirrors, if any.
    pub fn buildkit(&self) -> Option<&'static str> {
        self.same_as.iter().find_map(|e| match e {
            Equivalent::Buildkit(name) => Some(*name),
            Equivalent::Hadolint(_) => None,
        })
    }

    /// The hadolint rules this rule mirrors.
    pub fn hadolint(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.same_as.iter().filter_map(|e| match e {
            Equivalent::Hadolint(id) => Some(*id),
            Equivalent::Buildkit(_) => None,
        })
    }

    /// Whether `name` (a rule id, our name, or an equivalent hadolint/BuildKit id; any case) names this rule.
    pub fn answers_to(&self, name: &str) -> bool {
        let name = name.trim();
        self.id.eq_ignore_ascii_case(name)
            || self.name.eq_ignore_ascii_case(name)
            || self.same_as.iter().any(|e| match e {
                Equivalent::Hadolint(id) | Equivalent::Buildkit(id) => id.eq_ignore_ascii_case(name),
            })
    }
}
