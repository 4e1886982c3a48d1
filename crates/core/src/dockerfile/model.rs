//! The semantic model: build stages with their base images resolved the way BuildKit's
//! `dockerfile2llb` resolves them (global `ARG`s, `--build-arg` overrides, automatic platform
//! arguments), each stage's `ENV`/`ARG` scope, the values BuildKit expands per instruction, the
//! `FROM`/`COPY --from`/`RUN --mount=from=` edges, and which stages the target needs.

use super::shell::{expand, Env, Expansion, LexOptions};
use super::span::Span;
use super::syntax::{Args, Dockerfile, Flag, Instruction, Keyword, ParseResult, Problem, Severity, Word};
use serde::Serialize;
use std::collections::BTreeSet;

/// Build-time inputs: `--build-arg` values, `--target` and the target platform.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BuildArgs {
    /// `--build-arg NAME=VALUE` overrides, in order (a later one wins).
    pub values: Vec<(String, String)>,
    /// The stage to build (`--target`); the last stage when `None`.
    pub target: Option<String>,
    /// The target platform (`os/arch[/variant]`); `linux/amd64` when `None`. Also used as build platform.
    pub platform: Option<String>,
}

impl BuildArgs {
    /// Adds a `NAME=VALUE` override as written on the command line (`NAME` alone sets an empty value).
    pub fn push_kv(&mut self, kv: &str) {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        self.values.push((k.to_string(), v.to_string()));
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.values.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// Whether a variable came from `ENV` or `ARG`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum VarKind {
    /// Set by `ENV` (in this stage or inherited from the stage it is built on).
    Env,
    /// Declared by `ARG`.
    Arg,
}

/// One variable definition in a stage's scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VarDef {
    /// The variable name (after expansion).
    pub name: String,
    /// The value; `None` for an `ARG` declared without default and without a build argument.
    pub value: Option<String>,
    /// `ENV` or `ARG`.
    pub kind: VarKind,
    /// The defining instruction (index into `syntax.instructions`).
    pub instruction: usize,
}

/// A view of a scope (a prefix of a stage's definitions) for the shell lexer: `ENV` wins over `ARG`.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    /// The definitions in force, oldest first.
    pub vars: &'a [VarDef],
}

impl Env for Scope<'_> {
    fn lookup(&self, name: &str) -> Option<&str> {
        let find = |kind| self.vars.iter().rev().find(|v| v.kind == kind && v.name == name);
        match find(VarKind::Env).or_else(|| find(VarKind::Arg)) {
            Some(v) => v.value.as_deref(),
            None => None,
        }
    }
}

/// Arguments after the expansion BuildKit applies to this kind of instruction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "form", content = "value", rename_all = "snake_case")]
pub enum Expanded {
    /// BuildKit does not expand this instruction's arguments (`RUN`, `CMD`, `ENTRYPOINT`, `SHELL`,
    /// `HEALTHCHECK`, `ONBUILD`, `MAINTAINER`): the shell does it at run time, or nothing does.
    NotExpanded,
    /// `WORKDIR`, `USER`, `STOPSIGNAL`, `VOLUME`, `EXPOSE` (split into words), `COPY`/`ADD`
    /// (sources then destination; heredoc sources left out).
    Words(Vec<String>),
    /// `ENV` and `LABEL`.
    Pairs(Vec<(String, String)>),
    /// `ARG`: names and optional defaults.
    Args(Vec<(String, Option<String>)>),
}

/// One instruction of a stage, with what the model knows about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Command {
    /// Index into `syntax.instructions`.
    pub instruction: usize,
    /// The expanded arguments.
    pub expanded: Expanded,
    /// Expanded values of the flags BuildKit expands (`--from`, `--chown`, `--chmod`, `--checksum`, `--mount`).
    pub flags: Vec<(String, String)>,
    /// Variables referenced by the expanded arguments and flags that were not set (BuildKit's UndefinedVar input).
    pub unmatched: BTreeSet<String>,
    /// For `COPY`/`ADD`, the files their heredocs create, as BuildKit writes them: leading tabs
    /// removed for `<<-`, variables expanded unless the delimiter was quoted. Empty otherwise.
    pub heredoc_files: Vec<HeredocFile>,
    /// How many of the stage's `vars` were in force before this instruction.
    pub scope_len: usize,
}

/// A file created by a `COPY`/`ADD` heredoc source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeredocFile {
    /// The file name (the heredoc delimiter).
    pub name: String,
    /// The file content.
    pub content: String,
}

/// What a `FROM`, `COPY --from` or `RUN --mount=from=` refers to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Source {
    /// An earlier stage, by index.
    Stage(usize),
    /// An image reference (or build context name) that is not a stage.
    Image(String),
    /// `scratch`: the empty image.
    Scratch,
    /// The reference could not be resolved (expansion failed or came out empty).
    Unresolved,
}

/// The kind of dependency an [`Edge`] records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    /// `FROM <stage>`.
    Base,
    /// `COPY --from=<stage>`.
    CopyFrom,
    /// `RUN --mount=...,from=<stage>`.
    MountFrom,
}

/// A dependency of a stage on a stage or image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edge {
    /// What kind of reference.
    pub kind: EdgeKind,
    /// What it refers to.
    pub source: Source,
    /// The instruction holding the reference.
    pub instruction: usize,
    /// The reference text (the flag value or the base name) in the source.
    pub span: Span,
}

/// The base image of a stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BaseImage {
    /// The reference as written, e.g. `python:${PY}-slim`.
    pub raw: Word,
    /// The reference after expanding global `ARG`s, or `None` when expansion failed.
    pub expanded: Option<String>,
    /// Variables referenced but not set in the global scope (BuildKit's UndefinedArgInFrom input).
    pub unmatched: BTreeSet<String>,
    /// What it resolves to.
    pub source: Source,
}

/// The `--platform` of a `FROM`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlatformRef {
    /// The flag value as written.
    pub raw: String,
    /// The value after expanding global `ARG`s and automatic platform arguments.
    pub expanded: Option<String>,
    /// Variables referenced but not set in the global scope.
    pub unmatched: BTreeSet<String>,
    /// The flag in the source.
    pub span: Span,
}

/// A build stage: a `FROM` and the instructions up to the next `FROM`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stage {
    /// Position among the stages (what `COPY --from=0` refers to).
    pub index: usize,
    /// The `AS` name, lower-cased as BuildKit stores it.
    pub name: Option<String>,
    /// The `AS` name as written.
    pub name_word: Option<Word>,
    /// The `FROM` instruction (index into `syntax.instructions`).
    pub from: usize,
    /// The base image.
    pub base: BaseImage,
    /// The `--platform`, if given.
    pub platform: Option<PlatformRef>,
    /// The instructions after `FROM`, in order.
    pub commands: Vec<Command>,
    /// Scope definitions in order: inherited `ENV` first (when built on another stage), then this stage's.
    pub vars: Vec<VarDef>,
    /// Dependencies: base stage, `COPY --from`, `RUN --mount=from=`.
    pub edges: Vec<Edge>,
    /// Whether building the target needs this stage.
    pub reachable: bool,
}

impl Stage {
    /// The scope in force just before `command` (an index into `commands`).
    pub fn scope_before(&self, command: usize) -> Scope<'_> {
        let len = self.commands.get(command).map_or(self.vars.len(), |c| c.scope_len);
        Scope { vars: self.vars.get(..len).unwrap_or(&self.vars) }
    }

    /// The scope at the end of the stage.
    pub fn final_scope(&self) -> Scope<'_> {
        Scope { vars: &self.vars }
    }
}

/// The semantic model of a Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Model {
    /// The `ARG`s before the first `FROM` (with build-argument overrides applied), plus the automatic
    /// platform arguments first.
    pub global_args: Vec<VarDef>,
    /// The stages, in order.
    pub stages: Vec<Stage>,
    /// The stage being built: `--target`, or the last one.
    pub target: Option<usize>,
    /// Problems BuildKit reports when it turns the syntax tree into stages (unknown instructions,
    /// wrong argument counts, unknown flags, bad stage names, unknown `--target`), in source order.
    pub problems: Vec<Problem>,
}

impl Model {
    /// The stage containing instruction `instruction` (its `FROM` included), if any.
    pub fn stage_of(&self, instruction: usize) -> Option<&Stage> {
        self.stages
            .iter()
            .take_while(|s| s.from <= instruction)
            .last()
            .filter(|s| s.from == instruction || s.commands.iter().any(|c| c.instruction == instruction))
    }

    /// The target stage.
    pub fn target_stage(&self) -> Option<&Stage> {
        self.target.and_then(|i| self.stages.get(i))
    }
}

/// Automatic platform arguments BuildKit defines in the global scope.
fn platform_args(platform: &str, instruction: usize) -> Vec<VarDef> {
    let mut parts = platform.splitn(3, '/');
    let os = parts.next().unwrap_or("linux").to_string();
    let arch = parts.next().unwrap_or("amd64").to_string();
    let variant = parts.next().unwrap_or("").to_string();
    let mut out = Vec::with_capacity(8);
    for prefix in ["BUILD", "TARGET"] {
        for (suffix, value) in [
            ("PLATFORM", platform.to_string()),
            ("OS", os.clone()),
            ("ARCH", arch.clone()),
            ("VARIANT", variant.clone()),
        ] {
            out.push(VarDef { name: format!("{prefix}{suffix}"), value: Some(value), kind: VarKind::Arg, instruction });
        }
    }
    out
}

/// The flags each instruction accepts (BuildKit's `BFlags` declarations) and whether they are boolean.
fn allowed_flags(keyword: Keyword) -> &'static [(&'static str, bool)] {
    match keyword {
        Keyword::Add => &[
            ("chown", false),
            ("chmod", false),
            ("link", true),
            ("keep-git-dir", true),
            ("checksum", false),
            ("exclude", false),
            ("unpack", true),
        ],
        Keyword::Copy => &[
            ("from", false),
            ("chown", false),
            ("chmod", false),
            ("link", true),
            ("parents", true),
            ("exclude", false),
        ],
        Keyword::From => &[("platform", false)],
        Keyword::Run => &[("mount", false), ("network", false), ("security", false), ("device", false)],
        Keyword::Healthcheck => &[
            ("interval", false),
            ("timeout", false),
            ("start-period", false),
            ("start-interval", false),
            ("retries", false),
        ],
        _ => &[],
    }
}

/// Flags that may be given more than once.
fn repeatable(name: &str) -> bool {
    matches!(name, "mount" | "exclude" | "device")
}

/// The most bytes all expansions in one Dockerfile may produce together. Each word is bounded by
/// [`super::shell::MAX_WORD_EXPANSION`], but a chain like `ENV x=$x$x` repeated would still copy a large value
/// into every later definition; past this budget the remaining words are left unexpanded, with one problem.
pub const MAX_MODEL_EXPANSION: usize = 64 << 20;

struct Builder<'p> {
    build: &'p BuildArgs,
    escape: char,
    problems: Vec<Problem>,
    /// Bytes produced by expansions so far, bounded by [`MAX_MODEL_EXPANSION`].
    expanded: usize,
    /// Whether the budget was exceeded (and said so, once).
    over_budget: bool,
}

/// Builds the semantic model of `parsed` for the build inputs `build`.
pub fn model(parsed: &ParseResult, build: &BuildArgs) -> Model {
    model_of(&parsed.syntax, build)
}

/// Builds the semantic model of a syntax tree for the build inputs `build`.
pub fn model_of(syntax: &Dockerfile, build: &BuildArgs) -> Model {
    let mut b = Builder { build, escape: syntax.escape, problems: Vec::new(), expanded: 0, over_budget: false };
    let platform = build.platform.clone().unwrap_or_else(|| "linux/amd64".to_string());
    let mut global_args = platform_args(&platform, 0);
    let automatic = global_args.len();
    let mut stages: Vec<Stage> = Vec::new();
    for (i, ins) in syntax.instructions.iter().enumerate() {
        b.check_instruction(ins);
        match ins.keyword {
            Keyword::From => {
                let stage = b.stage(i, ins, &global_args, &stages);
                stages.push(stage);
            }
            Keyword::Arg if stages.is_empty() => {
                let scope = Scope { vars: &global_args };
                let (defs, _) = b.arg_defs(ins, i, scope, &global_args[..0]);
                global_args.extend(defs);
            }
            _ => match stages.last_mut() {
                Some(stage) => b.command(stage, i, ins, &global_args[automatic..]),
                None => b.problem(ins.span, ins.start_line, "no build stage in current context".into()),
            },
        }
    }
    let target = match &build.target {
        Some(name) => {
            let wanted = name.to_lowercase();
            let found = stages.iter().position(|s| s.name.as_deref() == Some(wanted.as_str()));
            if found.is_none() {
                let end = syntax.lines.line_count();
                b.problem(Span::default(), end, format!("target stage {} could not be found", super::go_quote(name)));
            }
            found
        }
        None => stages.len().checked_sub(1),
    };
    let mut problems = b.problems;
    resolve_edges(&mut stages, &mut problems, &syntax.lines);
    mark_reachable(&mut stages, target);
    problems.sort_by_key(|p| (p.line, p.span.start));
    Model { global_args, stages, target, problems }
}

fn mark_reachable(stages: &mut [Stage], target: Option<usize>) {
    let mut todo: Vec<usize> = target.into_iter().collect();
    while let Some(i) = todo.pop() {
        let Some(stage) = stages.get_mut(i) else { continue };
        if stage.reachable {
            continue;
        }
        stage.reachable = true;
        todo.extend(stage.edges.iter().filter_map(|e| match e.source {
            Source::Stage(j) => Some(j),
            _ => None,
        }));
    }
}

/// The value of `key` in a `--mount` option list (`type=cache,from=builder`).
fn mount_option<'a>(value: &'a str, key: &str) -> Option<&'a str> {
    value
        .split(',')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

impl Builder<'_> {
    fn problem(&mut self, span: Span, line: usize, message: String) {
        self.problems.push(Problem { severity: Severity::Error, message, span, line });
    }

    fn lex(&self) -> LexOptions {
        LexOptions::with_escape(self.escape)
    }

    /// Expands `word` within the document's expansion budget ([`MAX_MODEL_EXPANSION`]).
    fn expand(&mut self, word: &str, scope: &dyn Env, options: LexOptions) -> Result<Expansion, String> {
        if self.expanded > MAX_MODEL_EXPANSION {
            if self.over_budget {
                let words = word.split_whitespace().map(str::to_string).collect();
                return Ok(Expansion { result: word.to_string(), words, ..Expansion::default() });
            }
            self.over_budget = true;
            return Err(format!(
                "not expanded: variable references in this Dockerfile already expanded to more than {} MiB, so \
                 this and later words are kept as written",
                MAX_MODEL_EXPANSION >> 20
            ));
        }
        let e = expand(word, scope, options)?;
        self.expanded = self.expanded.saturating_add(e.result.len());
        Ok(e)
    }

    /// Expands `word` in `scope`; records unmatched names; a failure becomes a problem and `None`.
    fn expand_one(
        &mut self,
        word: &str,
        scope: &dyn Env,
        span: Span,
        line: usize,
        unmatched: &mut BTreeSet<String>,
    ) -> Option<String> {
        match self.expand(word, scope, self.lex()) {
            Ok(e) => {
                unmatched.extend(e.unmatched);
                Some(e.result)
            }
            Err(message) => {
                self.problem(span, line, message);
                None
            }
        }
    }

    /// The errors BuildKit's `instructions.Parse` reports for an instruction on its own.
    fn check_instruction(&mut self, ins: &Instruction) {
        let line = ins.start_line;
        let name = ins.keyword.as_str();
        let count = ins.arg_values().len();
        let message = match (ins.keyword, &ins.args) {
            (Keyword::Unknown, _) => Some(format!("unknown instruction: {}", ins.keyword_word.text.to_uppercase())),
            (Keyword::From, Args::List(words)) => match words.as_slice() {
                [_] => None,
                [_, as_word, stage] if as_word.text.eq_ignore_ascii_case("as") => {
                    let lower = stage.text.to_lowercase();
                    let valid = lower.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                        && lower.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c));
                    (!valid).then(|| {
                        format!(
                            "invalid name for build stage: {}, name can't start with a number or contain symbols",
                            super::go_quote(&stage.text)
                        )
                    })
                }
                _ => Some("FROM requires either one or three arguments".to_string()),
            },
            (Keyword::From, _) => Some("FROM requires either one or three arguments".to_string()),
            (Keyword::Add | Keyword::Copy, _) if count < 2 => Some(format!(
                "{name} requires at least two arguments, but only one was provided. Destination could not be determined."
            )),
            (Keyword::Env | Keyword::Label | Keyword::Expose | Keyword::Volume | Keyword::Arg, Args::Empty)
            | (Keyword::Onbuild | Keyword::Healthcheck, Args::Empty) => {
                Some(format!("{name} requires at least one argument"))
            }
            (Keyword::Workdir | Keyword::User | Keyword::Maintainer | Keyword::Stopsignal, Args::Empty) => {
                Some(format!("{name} requires exactly one argument"))
            }
            (Keyword::Shell, _) if !ins.json => Some("SHELL requires the arguments to be in JSON form".to_string()),
            (Keyword::Shell, Args::Json(v)) if v.is_empty() => Some("SHELL requires at least one argument".to_string()),
            (Keyword::Onbuild, Args::Onbuild(inner)) => match inner.keyword {
                Keyword::Onbuild => Some("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed".to_string()),
                Keyword::Maintainer | Keyword::From => {
                    Some(format!("{} isn't allowed as an ONBUILD trigger", inner.keyword.as_str()))
                }
                _ => None,
            },
            (Keyword::Healthcheck, Args::Healthcheck { kind, command }) => {
                match kind.text.to_uppercase().as_str() {
                    "NONE" if !matches!(**command, Args::Empty) => {
                        Some("HEALTHCHECK NONE takes no arguments".to_string())
                    }
                    "NONE" => None,
                    "CMD" if matches!(**command, Args::Empty) || matches!(&**command, Args::Json(v) if v.is_empty()) => {
                        Some("Missing command after HEALTHCHECK CMD".to_string())
                    }
                    "CMD" => None,
                    other => Some(format!("Unknown type {} in HEALTHCHECK (try CMD)", super::go_quote(other))),
                }
            }
            _ => None,
        };
        if let Some(message) = message {
            self.problem(ins.span, line, message);
        }
        self.check_flags(ins);
        if let Args::Onbuild(inner) = &ins.args {
            self.check_flags(inner);
        }
    }

    fn check_flags(&mut self, ins: &Instruction) {
        let allowed = allowed_flags(ins.keyword);
        // BuildKit never parses the flags of STOPSIGNAL and HEALTHCHECK NONE, so any flag passes there.
        let unparsed = ins.keyword == Keyword::Stopsignal
            || matches!(&ins.args, Args::Healthcheck { kind, .. } if kind.text.eq_ignore_ascii_case("none"));
        if unparsed {
            return;
        }
        let mut seen: Vec<&str> = Vec::new();
        for flag in &ins.flags {
            if flag.raw == "--" {
                continue;
            }
            let Some(&(_, boolean)) = allowed.iter().find(|(n, _)| *n == flag.name) else {
                self.problem(flag.span, ins.start_line, format!("unknown flag: {}", flag.name));
                continue;
            };
            if seen.contains(&flag.name.as_str()) && !repeatable(&flag.name) {
                self.problem(flag.span, ins.start_line, format!("Duplicate flag specified: {}", flag.name));
            }
            seen.push(&flag.name);
            match (&flag.value, boolean) {
                (Some(v), true) if !matches!(v.to_lowercase().as_str(), "true" | "false" | "") => {
                    self.problem(
                        flag.span,
                        ins.start_line,
                        format!("expecting boolean value for flag {}, not: {v}", flag.name),
                    );
                }
                (None, false) => {
                    self.problem(flag.span, ins.start_line, format!("missing a value on flag: {}", flag.name));
                }
                _ => {}
            }
        }
    }

    fn stage(&mut self, index: usize, ins: &Instruction, global: &[VarDef], stages: &[Stage]) -> Stage {
        let scope = Scope { vars: global };
        let words: &[Word] = match &ins.args {
            Args::List(w) => w,
            _ => &[],
        };
        let raw = words.first().cloned().unwrap_or(Word { text: String::new(), span: ins.keyword_word.span });
        let name_word = match words {
            [_, as_word, name] if as_word.text.eq_ignore_ascii_case("as") => Some(name.clone()),
            _ => None,
        };
        let mut unmatched = BTreeSet::new();
        let expanded = if raw.text.is_empty() {
            None
        } else {
            self.expand_one(&raw.text, &scope, raw.span, ins.start_line, &mut unmatched)
        };
        let source = match expanded.as_deref() {
            None => Source::Unresolved,
            Some("") => {
                self.problem(raw.span, ins.start_line, format!("base name ({}) should not be blank", raw.text));
                Source::Unresolved
            }
            Some(e) if e.eq_ignore_ascii_case("scratch") => Source::Scratch,
            Some(e) => {
                let lower = e.to_lowercase();
                match stages.iter().position(|s| s.name.as_deref() == Some(lower.as_str())) {
                    Some(j) => Source::Stage(j),
                    None => Source::Image(e.to_string()),
                }
            }
        };
        let platform = ins.flag("platform").map(|f| {
            let raw = f.value.clone().unwrap_or_default();
            let mut unmatched = BTreeSet::new();
            let expanded = self.expand_one(&raw, &scope, f.span, ins.start_line, &mut unmatched);
            PlatformRef { raw, expanded, unmatched, span: f.span }
        });
        let mut edges = Vec::new();
        let mut vars = Vec::new();
        if let Source::Stage(j) = source {
            edges.push(Edge { kind: EdgeKind::Base, source: Source::Stage(j), instruction: index, span: raw.span });
            if let Some(parent) = stages.get(j) {
                vars.extend(parent.vars.iter().filter(|v| v.kind == VarKind::Env).cloned());
            }
        }
        let name = name_word.as_ref().map(|w| w.text.to_lowercase());
        if let Some(n) = name.as_ref().filter(|n| stages.iter().any(|s| s.name.as_ref() == Some(*n))) {
            let span = name_word.as_ref().map_or(ins.span, |w| w.span);
            self.problem(span, ins.start_line, format!("duplicate name {}", super::go_quote(n)));
        }
        Stage {
            index: stages.len(),
            name,
            name_word,
            from: index,
            base: BaseImage { raw, expanded, unmatched, source },
            platform,
            commands: Vec::new(),
            vars,
            edges,
            reachable: false,
        }
    }

    /// The definitions of an `ARG` instruction: `(name, value)` with build-argument overrides, and
    /// the expanded `(name, default)` pairs. `inherited` are the global args a bare `ARG x` picks up.
    fn arg_defs(
        &mut self,
        ins: &Instruction,
        index: usize,
        scope: Scope<'_>,
        inherited: &[VarDef],
    ) -> (Vec<VarDef>, Vec<(String, Option<String>)>) {
        let Args::List(words) = &ins.args else { return (Vec::new(), Vec::new()) };
        let mut unmatched = BTreeSet::new();
        let mut defs = Vec::with_capacity(words.len());
        let mut pairs = Vec::with_capacity(words.len());
        for w in words {
            let (k, v) = match w.text.split_once('=') {
                Some((k, v)) => (k, Some(v)),
                None => (w.text.as_str(), None),
            };
            if k.is_empty() {
                self.problem(w.span, ins.start_line, "ARG names can not be blank".into());
                continue;
            }
            let key = self.expand_one(k, &scope, w.span, ins.start_line, &mut unmatched).unwrap_or_default();
            let default =
                v.map(|v| self.expand_one(v, &scope, w.span, ins.start_line, &mut unmatched).unwrap_or_default());
            let value = match (self.build.get(&key), &default) {
                (Some(over), _) => Some(over.to_string()),
                (None, Some(d)) => Some(d.clone()),
                (None, None) => inherited
                    .iter()
                    .rev()
                    .find(|g| g.name == key)
                    .and_then(|g| g.value.clone())
                    .or_else(|| automatic_value(&key, self.build)),
            };
            defs.push(VarDef { name: key.clone(), value, kind: VarKind::Arg, instruction: index });
            pairs.push((key, default));
        }
        (defs, pairs)
    }

    fn command(&mut self, stage: &mut Stage, index: usize, ins: &Instruction, global: &[VarDef]) {
        let scope_len = stage.vars.len();
        let mut unmatched = BTreeSet::new();
        let mut flags = Vec::new();
        let line = ins.start_line;
        let expanded = {
            let scope = Scope { vars: &stage.vars };
            let words = |b: &mut Self, list: &[&Word], unmatched: &mut BTreeSet<String>| {
                list.iter()
                    .map(|w| b.expand_one(&w.text, &scope, w.span, line, unmatched).unwrap_or_default())
                    .collect::<Vec<_>>()
            };
            match (ins.keyword, &ins.args) {
                (Keyword::Env | Keyword::Label, Args::Pairs(pairs)) => {
                    let mut out = Vec::with_capacity(pairs.len());
                    for p in pairs {
                        let k = self.expand_one(&p.key.text, &scope, p.key.span, line, &mut unmatched);
                        let v = self.expand_one(&p.value.text, &scope, p.value.span, line, &mut unmatched);
                        out.push((k.unwrap_or_default(), v.unwrap_or_default()));
                    }
                    Expanded::Pairs(out)
                }
                (Keyword::Workdir | Keyword::User | Keyword::Stopsignal, Args::Text(w)) => {
                    Expanded::Words(words(self, &[w], &mut unmatched))
                }
                (Keyword::Volume, Args::List(v) | Args::Json(v)) => {
                    Expanded::Words(words(self, &v.iter().collect::<Vec<_>>(), &mut unmatched))
                }
                (Keyword::Expose, Args::List(v)) => {
                    let mut out = Vec::new();
                    for w in v {
                        match self.expand(&w.text, &scope, self.lex()) {
                            Ok(e) => {
                                unmatched.extend(e.unmatched);
                                out.extend(e.words);
                            }
                            Err(message) => self.problem(w.span, line, message),
                        }
                    }
                    Expanded::Words(out)
                }
                (Keyword::Copy | Keyword::Add, Args::List(v) | Args::Json(v)) => {
                    let heredoc_names: Vec<&str> = ins.heredocs.iter().map(|h| h.name.as_str()).collect();
                    let last = v.len().saturating_sub(1);
                    let list: Vec<&Word> = v
                        .iter()
                        .enumerate()
                        .filter(|(i, w)| {
                            *i == last
                                || ins.json
                                || !super::parser::parse_heredoc(&w.text)
                                    .ok()
                                    .flatten()
                                    .is_some_and(|h| heredoc_names.contains(&h.name.as_str()))
                        })
                        .map(|(_, w)| w)
                        .collect();
                    Expanded::Words(words(self, &list, &mut unmatched))
                }
                _ => Expanded::NotExpanded,
            }
        };
        for flag in &ins.flags {
            let expands = match ins.keyword {
                Keyword::Copy => matches!(flag.name.as_str(), "from" | "chown" | "chmod"),
                Keyword::Add => matches!(flag.name.as_str(), "chown" | "chmod" | "checksum"),
                Keyword::Run => flag.name == "mount",
                _ => false,
            };
            let Some(value) = flag.value.as_deref().filter(|_| expands) else { continue };
            let scope = Scope { vars: &stage.vars };
            let expanded = if ins.keyword == Keyword::Run {
                self.expand_mount(value, &scope, flag, line, &mut unmatched)
            } else {
                self.expand_one(value, &scope, flag.span, line, &mut unmatched).unwrap_or_default()
            };
            self.edge_for_flag(stage, index, ins.keyword, flag, &expanded);
            flags.push((flag.name.clone(), expanded));
        }
        let expanded = if ins.keyword == Keyword::Arg {
            let (defs, pairs) = self.arg_defs(ins, index, Scope { vars: &stage.vars }, global);
            stage.vars.extend(defs);
            Expanded::Args(pairs)
        } else {
            expanded
        };
        if let Expanded::Pairs(pairs) = &expanded {
            if ins.keyword == Keyword::Env {
                stage.vars.extend(pairs.iter().map(|(k, v)| VarDef {
                    name: k.clone(),
                    value: Some(v.clone()),
                    kind: VarKind::Env,
                    instruction: index,
                }));
            }
        }
        let heredoc_files = match ins.keyword {
            Keyword::Copy | Keyword::Add => self.heredoc_files(
                ins,
                Scope { vars: stage.vars.get(..scope_len).unwrap_or(&stage.vars) },
                &mut unmatched,
            ),
            _ => Vec::new(),
        };
        stage.commands.push(Command { instruction: index, expanded, flags, unmatched, heredoc_files, scope_len });
    }

    /// BuildKit's `SourceContent`s: chomped when `<<-`, then expanded with quotes left alone.
    fn heredoc_files(
        &mut self,
        ins: &Instruction,
        scope: Scope<'_>,
        unmatched: &mut BTreeSet<String>,
    ) -> Vec<HeredocFile> {
        let mut files = Vec::with_capacity(ins.heredocs.len());
        for doc in &ins.heredocs {
            let mut content = if doc.chomp {
                doc.content.split_inclusive('\n').map(|l| l.trim_start_matches('\t')).collect()
            } else {
                doc.content.clone()
            };
            if doc.expand {
                let opts = LexOptions { skip_process_quotes: true, ..LexOptions::with_escape('\\') };
                match self.expand(&content, &scope, opts) {
                    Ok(e) => {
                        unmatched.extend(e.unmatched);
                        content = e.result;
                    }
                    Err(message) => self.problem(doc.body_span, ins.start_line, message),
                }
            }
            files.push(HeredocFile { name: doc.name.clone(), content });
        }
        files
    }

    /// Expands each `key=value` option of a `--mount` separately, as BuildKit does.
    fn expand_mount(
        &mut self,
        value: &str,
        scope: &Scope<'_>,
        flag: &Flag,
        line: usize,
        unmatched: &mut BTreeSet<String>,
    ) -> String {
        let mut out = Vec::new();
        for part in value.split(',') {
            match part.split_once('=') {
                Some((k, v)) => {
                    let v = self.expand_one(v, scope, flag.span, line, unmatched).unwrap_or_default();
                    out.push(format!("{k}={v}"));
                }
                None => out.push(part.to_string()),
            }
        }
        out.join(",")
    }

    fn edge_for_flag(&mut self, stage: &mut Stage, index: usize, keyword: Keyword, flag: &Flag, expanded: &str) {
        let (kind, reference) = match (keyword, flag.name.as_str()) {
            (Keyword::Copy, "from") => (EdgeKind::CopyFrom, Some(expanded)),
            (Keyword::Run, "mount") => (EdgeKind::MountFrom, mount_option(expanded, "from")),
            _ => return,
        };
        let Some(reference) = reference else { return };
        let source = if reference.is_empty() { Source::Unresolved } else { Source::Image(reference.to_string()) };
        stage.edges.push(Edge { kind, source, instruction: index, span: flag.value_span.unwrap_or(flag.span) });
    }
}

/// Resolves `COPY --from` / `RUN --mount=from=` references to stages by name or index, once all
/// stages are known (BuildKit allows naming a later stage; a stage cannot use itself).
fn resolve_edges(stages: &mut [Stage], problems: &mut Vec<Problem>, lines: &super::span::LineIndex) {
    let names: Vec<Option<String>> = stages.iter().map(|s| s.name.clone()).collect();
    for (i, stage) in stages.iter_mut().enumerate() {
        for edge in stage.edges.iter_mut().filter(|e| e.kind != EdgeKind::Base) {
            let Source::Image(reference) = &edge.source else { continue };
            let lower = reference.to_lowercase();
            let found = match lower.parse::<usize>() {
                Ok(n) if n < names.len() => Some(n),
                Ok(_) => None,
                Err(_) if stage.name.as_deref() == Some(lower.as_str()) => Some(i),
                Err(_) => names.iter().position(|n| n.as_deref() == Some(lower.as_str())),
            };
            let Some(j) = found else { continue };
            if j == i {
                problems.push(Problem {
                    severity: Severity::Error,
                    message: format!("stage {} refers to itself", super::go_quote(reference)),
                    span: edge.span,
                    line: lines.line_of(edge.span.start),
                });
                edge.source = Source::Unresolved;
            } else {
                edge.source = Source::Stage(j);
            }
        }
    }
}

/// The automatic platform argument `name` may take in a stage (`ARG TARGETARCH` with no value).
fn automatic_value(name: &str, build: &BuildArgs) -> Option<String> {
    let platform = build.platform.clone().unwrap_or_else(|| "linux/amd64".to_string());
    platform_args(&platform, 0).into_iter().find(|d| d.name == name).and_then(|d| d.value)
}
