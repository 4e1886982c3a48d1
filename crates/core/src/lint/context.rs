//! What the rules look at: the semantic model ([`crate::dockerfile::model_of`]) with the syntax it came
//! from, plus the facts only lint needs (working directory, shell, pipefail, apt configuration), each
//! computed once per instruction in one pass over the stages, so every rule runs in time linear in the file.

use super::paths::normalize;
use super::shell::{self, Script};
use super::Config;
use crate::dockerfile::shell::{expand, Env, Expansion, LexOptions as ExpandOptions, NoEnv};
use crate::dockerfile::{
    model_of, Args, BuildArgs, Dockerfile, Expanded, Instruction, Keyword, Model, Scope, Source, Word,
};
use std::collections::HashMap;

/// The platform arguments BuildKit defines for every build.
pub(crate) const PLATFORM_ARGS: &[&str] = &[
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
];

/// Build arguments BuildKit accepts without an `ARG` declaration.
pub(crate) const PREDEFINED_ARGS: &[&str] = &[
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// Environment variables that move or disable a package manager's cache, tracked per `RUN`.
pub(crate) const CACHE_ENV: &[&str] = &["PIP_NO_CACHE_DIR", "npm_config_cache", "YARN_CACHE_FOLDER", "GEM_SPEC_CACHE"];

/// A `RUN --mount=…` flag.
#[derive(Debug, Clone, Default)]
pub(crate) struct Mount {
    /// `type=` (BuildKit's default is `bind`).
    pub kind: String,
    /// `target=` / `dst=` / `destination=`.
    pub target: String,
}

/// One build stage of the model, with the syntax it was read from and what lint derives from it.
#[derive(Debug)]
pub(crate) struct Stage<'a> {
    /// Position among the stages.
    pub index: usize,
    /// The model's stage.
    pub model: &'a crate::dockerfile::Stage,
    /// The `FROM` instruction.
    pub from: &'a Instruction,
    /// The image word of `FROM`, as written.
    pub image: Option<&'a Word>,
    /// The `AS` keyword, when written.
    pub as_word: Option<&'a Word>,
    /// The stage name after `AS`, as written.
    pub name_word: Option<&'a Word>,
    /// The base image with global `ARG`s expanded; `None` when expansion failed.
    pub base: Option<&'a str>,
    /// The earlier stage this one is built on, when the base names one.
    pub base_stage: Option<usize>,
    /// The instructions after `FROM`.
    pub body: &'a [Instruction],
    /// The index in `syntax.instructions` of the first instruction of `body`.
    pub body_start: usize,
    /// Whether this stage's layers are part of the final image (the final stage and its bases).
    pub in_final: bool,
    /// Whether a stage this one is built on has a `SHELL` instruction.
    pub inherits_shell: bool,
    /// Whether everything in the stage's environment is known (its chain of bases starts at `scratch`).
    pub env_known: bool,
}

impl Stage<'_> {
    /// The stage name in lower case (BuildKit compares names case-insensitively).
    pub fn name(&self) -> Option<&str> {
        self.model.name.as_deref()
    }

    /// The scope of variables in force before body instruction `offset` (an index into `body`).
    pub fn scope_before(&self, offset: usize) -> Scope<'_> {
        self.model.scope_before(offset)
    }
}

/// What holds just before an instruction of a stage, computed in one pass per stage.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Facts {
    /// The working directory (an index into [`Context::workdirs`]).
    pub workdir: usize,
    /// Whether the `SHELL` in force sets `-o pipefail`.
    pub pipefail: bool,
    /// Whether an earlier `RUN` of the stage lineage (or this one) wrote `APT::Install-Recommends` into apt's configuration.
    pub recommends_off: bool,
    /// Which of [`CACHE_ENV`] are set (bit `i` for entry `i`) by `ENV` or `ARG` in the scope.
    pub cache_env: u8,
}

/// A `RUN` instruction read as shell commands.
#[derive(Debug)]
pub(crate) struct Run<'a> {
    /// The stage it belongs to.
    pub stage: usize,
    /// Its index in `syntax.instructions`.
    pub position: usize,
    /// The instruction.
    pub instruction: &'a Instruction,
    /// The commands (empty for non-POSIX shells).
    pub script: Script,
    /// Its `--mount` flags.
    pub mounts: Vec<Mount>,
}

impl Run<'_> {
    /// Whether a mount covers `path`: nothing written under a mount (cache, tmpfs, or a bind mount,
    /// whose writes are discarded) stays in the layer.
    pub fn mount_covers(&self, path: &str) -> bool {
        self.mounts
            .iter()
            .filter(|m| matches!(m.kind.as_str(), "cache" | "tmpfs" | "bind"))
            .filter_map(|m| normalize(&m.target, "/"))
            .any(|target| path_within(path, &target))
    }
}

/// Everything the rules look at.
pub(crate) struct Context<'a> {
    /// The Dockerfile text.
    pub text: &'a str,
    /// The syntax tree.
    pub syntax: &'a Dockerfile,
    /// The caller's configuration.
    pub config: &'a Config,
    /// The semantic model.
    pub model: &'a Model,
    /// The stages in order.
    pub stages: Vec<Stage<'a>>,
    /// The stage that is built (the `--target`, else the last one).
    pub final_stage: Option<usize>,
    /// Every `RUN`, in order.
    pub runs: Vec<Run<'a>>,
    /// Per instruction (same index as `syntax.instructions`): what holds just before it.
    pub facts: Vec<Facts>,
    /// The working directories [`Facts::workdir`] points into.
    pub workdirs: Vec<String>,
    /// The instructions of the final image in build order (indices into `syntax.instructions`).
    pub timeline: Vec<usize>,
    /// Per instruction: the index in `runs` of its `RUN`.
    run_index: Vec<Option<usize>>,
    /// Stage indices by lower-case name, in order.
    by_name: HashMap<&'a str, Vec<usize>>,
}

/// The state carried from a stage to the stages built on it.
#[derive(Clone, Copy)]
struct Carry {
    workdir: usize,
    posix: bool,
    pipefail: bool,
    recommends_off: bool,
    has_shell: bool,
}

impl<'a> Context<'a> {
    /// Builds the context for `syntax` parsed from `text`, with its model.
    pub fn new(text: &'a str, syntax: &'a Dockerfile, model: &'a Model, config: &'a Config) -> Context<'a> {
        let mut cx = Context {
            text,
            syntax,
            config,
            model,
            stages: Vec::with_capacity(model.stages.len()),
            final_stage: model.target,
            runs: Vec::new(),
            facts: vec![Facts::default(); syntax.instructions.len()],
            workdirs: vec!["/".to_string()],
            timeline: Vec::new(),
            run_index: vec![None; syntax.instructions.len()],
            by_name: HashMap::new(),
        };
        cx.read_stages();
        cx.mark_final();
        cx
    }

    /// The model's global scope: automatic platform arguments and global `ARG`s with their values.
    pub fn global_scope(&self) -> Scope<'a> {
        Scope { vars: &self.model.global_args }
    }

    /// Expands `word` against `env` with the file's escape character; `None` when BuildKit would fail.
    pub fn expand(&self, word: &str, env: &dyn Env) -> Option<Expansion> {
        expand(word, env, ExpandOptions::with_escape(self.syntax.escape)).ok()
    }

    /// The value of a word without variables, quotes removed as BuildKit does; `None` when it uses a variable.
    pub fn literal(&self, word: &str) -> Option<String> {
        if word.contains('$') {
            return None;
        }
        self.expand(word, &NoEnv).map(|e| e.result)
    }

    /// The stage called `name` (case-insensitive) defined before stage `before`, the latest of them.
    pub fn stage_named(&self, name: &str, before: usize) -> Option<usize> {
        let name = name.to_ascii_lowercase();
        self.by_name.get(name.as_str())?.iter().rev().find(|i| **i < before).copied()
    }

    /// The `RUN` at instruction index `position`.
    pub fn run_at(&self, position: usize) -> Option<&Run<'a>> {
        self.run_index.get(position).copied().flatten().and_then(|i| self.runs.get(i))
    }

    /// What holds just before instruction `position`.
    pub fn facts(&self, position: usize) -> Facts {
        self.facts.get(position).copied().unwrap_or_default()
    }

    /// The working directory just before instruction `position`.
    pub fn workdir(&self, position: usize) -> &str {
        self.workdirs.get(self.facts(position).workdir).map_or("/", String::as_str)
    }

    /// The instruction at index `position`.
    pub fn instruction(&self, position: usize) -> Option<&'a Instruction> {
        self.syntax.instructions.get(position)
    }

    fn read_stages(&mut self) {
        let instructions = self.syntax.instructions.as_slice();
        let mut carried: Vec<Carry> = Vec::with_capacity(self.model.stages.len());
        for (index, model_stage) in self.model.stages.iter().enumerate() {
            let Some(from) = instructions.get(model_stage.from) else { continue };
            let end = self.model.stages.get(index + 1).map_or(instructions.len(), |s| s.from);
            let body_start = model_stage.from + 1;
            let body = instructions.get(body_start..end.max(body_start)).unwrap_or(&[]);
            let words: &[Word] = match &from.args {
                Args::List(words) => words,
                _ => &[],
            };
            let (as_word, name_word) = match words {
                [_, as_word, name] if as_word.text.eq_ignore_ascii_case("as") => (Some(as_word), Some(name)),
                _ => (None, None),
            };
            let base = model_stage.base.expanded.as_deref();
            let base_stage = match model_stage.base.source {
                Source::Stage(j) if j < index => Some(j),
                _ => None,
            };
            let parent = base_stage.and_then(|j| carried.get(j).copied());
            let parent_stage = base_stage.and_then(|j| self.stages.get(j));
            let env_known = match (&model_stage.base.source, parent_stage) {
                (Source::Scratch, _) => true,
                (Source::Stage(_), Some(p)) => p.env_known,
                _ => false,
            };
            let windows = base.is_some_and(is_windows_image);
            let mut carry = parent.unwrap_or(Carry {
                workdir: 0,
                posix: !windows,
                pipefail: false,
                recommends_off: false,
                has_shell: false,
            });
            let inherits_shell = parent.is_some_and(|p| p.has_shell);
            self.facts_for_stage(index, model_stage, body, body_start, &mut carry);
            carried.push(carry);
            if let Some(name) = model_stage.name.as_deref() {
                self.by_name.entry(name).or_default().push(index);
            }
            self.stages.push(Stage {
                index,
                model: model_stage,
                from,
                image: words.first(),
                as_word,
                name_word,
                base,
                base_stage,
                body,
                body_start,
                in_final: false,
                inherits_shell,
                env_known,
            });
        }
    }

    /// Walks one stage's body once, recording [`Facts`] per instruction and reading every `RUN`.
    fn facts_for_stage(
        &mut self,
        index: usize,
        model_stage: &'a crate::dockerfile::Stage,
        body: &'a [Instruction],
        body_start: usize,
        carry: &mut Carry,
    ) {
        let mut cache_env = 0u8;
        let mut scanned = 0usize;
        if let Some(f) = self.facts.get_mut(model_stage.from) {
            *f = Facts { workdir: carry.workdir, ..Facts::default() };
        }
        for (offset, instruction) in body.iter().enumerate() {
            let position = body_start + offset;
            let command = model_stage.commands.get(offset).filter(|c| c.instruction == position);
            let scope_len = command.map_or(scanned, |c| c.scope_len);
            for var in model_stage.vars.get(scanned..scope_len).unwrap_or(&[]) {
                if let Some(bit) = CACHE_ENV.iter().position(|n| *n == var.name) {
                    if var.value.is_some() {
                        cache_env |= 1 << bit;
                    }
                }
            }
            scanned = scanned.max(scope_len);
            let mut facts = Facts {
                workdir: carry.workdir,
                pipefail: carry.pipefail,
                recommends_off: carry.recommends_off,
                cache_env,
            };
            match instruction.keyword {
                Keyword::Shell => {
                    carry.posix = shell_is_posix(instruction);
                    carry.pipefail = shell_sets_pipefail(instruction);
                    carry.has_shell = true;
                }
                Keyword::Workdir => {
                    let written = command.and_then(|c| match &c.expanded {
                        Expanded::Words(words) => words.first().cloned(),
                        _ => None,
                    });
                    let current = self.workdirs.get(carry.workdir).map_or("/", String::as_str);
                    if let Some(path) = written.and_then(|w| normalize(&w, current)) {
                        self.workdirs.push(path);
                        carry.workdir = self.workdirs.len() - 1;
                    }
                }
                Keyword::Run => {
                    let mut script = if carry.posix { self.read_script(instruction) } else { Script::default() };
                    script.substitute_simple_variables();
                    let writes_recommends = script.commands.iter().any(|c| {
                        c.redirect_targets.iter().any(|t| t.text.starts_with("/etc/apt/apt.conf.d/"))
                            && c.words.iter().any(|w| w.text.contains("Install-Recommends"))
                    });
                    carry.recommends_off |= writes_recommends;
                    facts.recommends_off = carry.recommends_off;
                    let mounts =
                        instruction.flags_named("mount").filter_map(|f| f.value.as_deref()).map(parse_mount).collect();
                    if let Some(slot) = self.run_index.get_mut(position) {
                        *slot = Some(self.runs.len());
                    }
                    self.runs.push(Run { stage: index, position, instruction, script, mounts });
                }
                _ => {}
            }
            if let Some(f) = self.facts.get_mut(position) {
                *f = facts;
            }
        }
    }

    /// Marks the final stage and the stages it is built on, and lists the final image's instructions.
    fn mark_final(&mut self) {
        let mut chain = Vec::new();
        let mut current = self.final_stage;
        while let Some(i) = current {
            chain.push(i);
            // Bases are always earlier stages, so the chain ends.
            current = self.stages.get(i).and_then(|s| s.base_stage).filter(|b| *b < i);
        }
        chain.reverse();
        for &i in &chain {
            if let Some(stage) = self.stages.get_mut(i) {
                stage.in_final = true;
                self.timeline.extend(stage.body_start..stage.body_start + stage.body.len());
            }
        }
    }

    fn read_script(&self, instruction: &Instruction) -> Script {
        match &instruction.args {
            Args::Json(words) => Script::from_argv(
                words
                    .iter()
                    .map(|w| shell::Word {
                        text: w.text.clone(),
                        range: w.span.start..w.span.end,
                        quoted: true,
                        expands: false,
                    })
                    .collect(),
            ),
            Args::Text(word) => {
                let options = shell::LexOptions { dockerfile_escape: Some(self.syntax.escape) };
                let raw = word.span.slice(self.text);
                let mut script = if raw.is_empty() {
                    Script::parse_at(&word.text, word.span.start, shell::LexOptions { dockerfile_escape: None })
                } else {
                    Script::parse_at(raw, word.span.start, options)
                };
                let body_is_shell = script.commands.iter().all(|c| {
                    c.program().is_none_or(|p| matches!(p, "sh" | "bash" | "ash" | "dash" | "zsh"))
                        && !c.args().iter().any(|a| a.text == "-c")
                });
                if body_is_shell {
                    for heredoc in &instruction.heredocs {
                        let body = heredoc.body_span.slice(self.text);
                        let body = if body.is_empty() { heredoc.content.as_str() } else { body };
                        let inner = Script::parse_at(
                            body,
                            heredoc.body_span.start,
                            shell::LexOptions { dockerfile_escape: None },
                        );
                        script.commands.extend(inner.commands);
                    }
                }
                script
            }
            _ => Script::default(),
        }
    }
}

/// The `BuildArgs` of the model lint reads: the configuration's build arguments and target.
pub(crate) fn build_args(config: &Config) -> BuildArgs {
    BuildArgs { values: config.build_args.clone(), target: config.target.clone(), platform: None }
}

/// Builds the model lint reads for `syntax`.
pub(crate) fn lint_model(syntax: &Dockerfile, config: &Config) -> Model {
    model_of(syntax, &build_args(config))
}

/// Parses the CSV value of a `--mount` flag.
pub(crate) fn parse_mount(value: &str) -> Mount {
    let mut mount = Mount { kind: "bind".to_string(), target: String::new() };
    for field in value.split(',') {
        let (key, val) = field.split_once('=').unwrap_or((field, ""));
        match key.trim().to_ascii_lowercase().as_str() {
            "type" => mount.kind = val.trim().to_ascii_lowercase(),
            "target" | "dst" | "destination" => mount.target = val.trim().to_string(),
            _ => {}
        }
    }
    mount
}

/// Whether `path` is `dir` or inside it (both absolute, without trailing slashes).
pub(crate) fn path_within(path: &str, dir: &str) -> bool {
    let path = path.trim_end_matches('/');
    if dir.is_empty() {
        return path.starts_with('/');
    }
    path == dir || path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'))
}

fn is_windows_image(image: &str) -> bool {
    let lower = image.to_ascii_lowercase();
    ["windows", "nanoserver", "servercore", "ltsc20"].iter().any(|w| lower.contains(w))
}

fn shell_is_posix(instruction: &Instruction) -> bool {
    let first = match &instruction.args {
        Args::Json(words) => words.first().map(|w| w.text.as_str()),
        Args::Text(word) => word.text.split_whitespace().next(),
        _ => None,
    };
    first.is_some_and(|p| {
        let base = p.rsplit(['/', '\\']).next().unwrap_or(p);
        matches!(base, "sh" | "bash" | "ash" | "dash" | "zsh" | "busybox")
    })
}

fn shell_sets_pipefail(instruction: &Instruction) -> bool {
    match &instruction.args {
        Args::Json(words) => words.iter().any(|w| w.text.contains("pipefail")),
        _ => false,
    }
}
