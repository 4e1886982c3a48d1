//! What the rules look at: the syntax tree cut into stages, global `ARG`s, base images with their
//! `ARG`s expanded, which stages end up in the final image, and every `RUN` read as shell commands.

use super::shell::{self, Script};
use super::Config;
use crate::dockerfile::shell::{expand, Env, LexOptions as ExpandOptions};
use crate::dockerfile::{Args, Dockerfile, Instruction, Keyword, Word};

/// The platform arguments BuildKit defines for every build, with their values on a linux/amd64 builder.
pub(crate) const PLATFORM_ARGS: &[(&str, &str)] = &[
    ("TARGETPLATFORM", "linux/amd64"),
    ("TARGETOS", "linux"),
    ("TARGETARCH", "amd64"),
    ("TARGETVARIANT", ""),
    ("BUILDPLATFORM", "linux/amd64"),
    ("BUILDOS", "linux"),
    ("BUILDARCH", "amd64"),
    ("BUILDVARIANT", ""),
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

/// Variables held in a borrowed slice (later entries win), for expansion without copying.
struct SliceEnv<'a>(&'a [(String, String)]);

impl Env for SliceEnv<'_> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.0.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// A global `ARG` (declared before the first `FROM`).
#[derive(Debug, Clone)]
pub(crate) struct GlobalArg {
    /// The name.
    pub name: String,
    /// The default as written (unexpanded), if any.
    pub default: Option<String>,
    /// The value in force: a `--build-arg` override, else the expanded default.
    pub value: Option<String>,
}

/// A `RUN --mount=…` flag.
#[derive(Debug, Clone, Default)]
pub(crate) struct Mount {
    /// `type=` (BuildKit's default is `bind`).
    pub kind: String,
    /// `target=` / `dst=` / `destination=`.
    pub target: String,
}

/// One build stage: its `FROM` and the instructions up to the next `FROM`.
#[derive(Debug)]
pub(crate) struct Stage<'a> {
    /// Position among the stages.
    pub index: usize,
    /// The `FROM` instruction.
    pub from: &'a Instruction,
    /// The image word of `FROM`, as written.
    pub image: Option<&'a Word>,
    /// The `AS` keyword, when written.
    pub as_word: Option<&'a Word>,
    /// The stage name after `AS`, as written.
    pub name_word: Option<&'a Word>,
    /// The base image with global `ARG`s expanded; `None` when expansion failed.
    pub base: Option<String>,
    /// The earlier stage this one is built on, when the base names one.
    pub base_stage: Option<usize>,
    /// The instructions after `FROM`.
    pub body: &'a [Instruction],
    /// Whether this stage's layers are part of the final image (the final stage and its bases).
    pub in_final: bool,
    /// Whether `RUN` uses a POSIX shell (false after `SHELL ["powershell", …]` or on Windows bases).
    pub posix_shell: bool,
}

impl Stage<'_> {
    /// The stage name in lower case (BuildKit compares names case-insensitively).
    pub fn name(&self) -> Option<String> {
        self.name_word.map(|w| w.text.to_ascii_lowercase())
    }
}

/// A `RUN` instruction read as shell commands.
#[derive(Debug)]
pub(crate) struct Run<'a> {
    /// The stage it belongs to.
    pub stage: usize,
    /// Its position among all instructions.
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
            .filter_map(|m| super::paths::normalize(&m.target, "/"))
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
    /// The global `ARG`s in order.
    pub global_args: Vec<GlobalArg>,
    /// The stages in order.
    pub stages: Vec<Stage<'a>>,
    /// The stage that is built (the `--target`, else the last one).
    pub final_stage: Option<usize>,
    /// Every `RUN`, in order.
    pub runs: Vec<Run<'a>>,
}

impl<'a> Context<'a> {
    /// Builds the context for `syntax` parsed from `text`.
    pub fn new(text: &'a str, syntax: &'a Dockerfile, config: &'a Config) -> Context<'a> {
        let instructions = syntax.instructions.as_slice();
        let first_from = instructions.iter().position(|i| i.keyword == Keyword::From).unwrap_or(instructions.len());
        let preamble = instructions.get(..first_from).unwrap_or(&[]);
        let global_args = global_args(preamble, config, syntax.escape);
        let mut cx =
            Context { text, syntax, config, global_args, stages: Vec::new(), final_stage: None, runs: Vec::new() };
        cx.stages = cx.cut_stages(first_from);
        cx.final_stage = cx.pick_final();
        cx.mark_final();
        cx.runs = cx.read_runs();
        cx
    }

    /// The variables a `FROM` line can use: the global `ARG`s with values, and the platform arguments.
    pub fn env_for_from(&self) -> Vec<(String, String)> {
        let mut env: Vec<(String, String)> =
            PLATFORM_ARGS.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        env.extend(self.global_args.iter().filter_map(|a| a.value.clone().map(|v| (a.name.clone(), v))));
        env
    }

    /// Expands `word` against `env` with the file's escape character; `None` when BuildKit would fail.
    pub fn expand(&self, word: &str, env: &[(String, String)]) -> Option<crate::dockerfile::shell::Expansion> {
        expand(word, &SliceEnv(env), ExpandOptions::with_escape(self.syntax.escape)).ok()
    }

    /// The value of a word without variables, quotes removed as BuildKit does; `None` when it uses a variable.
    pub fn literal(&self, word: &str) -> Option<String> {
        if word.contains('$') {
            return None;
        }
        self.expand(word, &[]).map(|e| e.result)
    }

    /// The stage called `name` (case-insensitive) defined before stage `before`.
    pub fn stage_named(&self, name: &str, before: usize) -> Option<usize> {
        let name = name.to_ascii_lowercase();
        self.stages.iter().take(before).rev().find(|s| s.name().as_deref() == Some(name.as_str())).map(|s| s.index)
    }

    /// The stage chain from the first stage built on an image down to `stage` (bases first).
    pub fn lineage(&self, stage: usize) -> Vec<usize> {
        // A `seen` table instead of searching the chain keeps this linear in the chain's length.
        let mut seen = vec![false; self.stages.len()];
        if let Some(s) = seen.get_mut(stage) {
            *s = true;
        }
        let mut chain = vec![stage];
        let mut current = stage;
        while let Some(base) = self.stages.get(current).and_then(|s| s.base_stage) {
            match seen.get_mut(base) {
                Some(s) if !*s => *s = true,
                Some(_) => break,
                None => {
                    chain.push(base);
                    break;
                }
            }
            chain.push(base);
            current = base;
        }
        chain.reverse();
        chain
    }

    fn cut_stages(&self, first_from: usize) -> Vec<Stage<'a>> {
        let instructions = self.syntax.instructions.as_slice();
        let starts: Vec<usize> = instructions
            .iter()
            .enumerate()
            .skip(first_from)
            .filter(|(_, i)| i.keyword == Keyword::From)
            .map(|(n, _)| n)
            .collect();
        let env = self.env_for_from();
        let mut stages: Vec<Stage<'a>> = Vec::with_capacity(starts.len());
        for (index, &start) in starts.iter().enumerate() {
            let end = starts.get(index + 1).copied().unwrap_or(instructions.len());
            let Some(from) = instructions.get(start) else { continue };
            let words: &[Word] = match &from.args {
                Args::List(words) => words,
                _ => &[],
            };
            let image = words.first();
            let (as_word, name_word) = match words {
                [_, as_word, name] if as_word.text.eq_ignore_ascii_case("as") => (Some(as_word), Some(name)),
                _ => (None, None),
            };
            let base = image.and_then(|w| self.expand(&w.text, &env)).map(|e| e.result);
            let base_stage = base.as_deref().and_then(|b| {
                let b = b.to_ascii_lowercase();
                stages.iter().rev().find(|s| s.name().as_deref() == Some(b.as_str())).map(|s| s.index)
            });
            let inherited_posix = base_stage.and_then(|b| stages.get(b)).map(|s| s.posix_shell);
            let windows = base.as_deref().is_some_and(is_windows_image);
            let body = instructions.get(start + 1..end).unwrap_or(&[]);
            let posix_shell = posix_after(body, inherited_posix.unwrap_or(!windows));
            stages.push(Stage {
                index,
                from,
                image,
                as_word,
                name_word,
                base,
                base_stage,
                body,
                in_final: false,
                posix_shell,
            });
        }
        stages
    }

    fn pick_final(&self) -> Option<usize> {
        match &self.config.target {
            Some(target) => self.stage_named(target, self.stages.len()),
            None => self.stages.len().checked_sub(1),
        }
    }

    fn mark_final(&mut self) {
        let Some(last) = self.final_stage else { return };
        for index in self.lineage(last) {
            if let Some(stage) = self.stages.get_mut(index) {
                stage.in_final = true;
            }
        }
    }

    fn read_runs(&self) -> Vec<Run<'a>> {
        let mut runs = Vec::new();
        let all = self.syntax.instructions.as_slice();
        for stage in &self.stages {
            let mut posix = stage
                .base_stage
                .and_then(|b| self.stages.get(b))
                .map_or_else(|| !stage.base.as_deref().is_some_and(is_windows_image), |b| b.posix_shell);
            for instruction in stage.body {
                if instruction.keyword == Keyword::Shell {
                    posix = shell_is_posix(instruction);
                }
                if instruction.keyword != Keyword::Run {
                    continue;
                }
                let position = all.iter().position(|i| std::ptr::eq(i, instruction)).unwrap_or(0);
                let mut script = if posix { self.read_script(instruction) } else { Script::default() };
                script.substitute_simple_variables();
                let mounts =
                    instruction.flags_named("mount").filter_map(|f| f.value.as_deref()).map(parse_mount).collect();
                runs.push(Run { stage: stage.index, position, instruction, script, mounts });
            }
        }
        runs
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
                        let (body, offset) = if body.is_empty() {
                            (heredoc.content.as_str(), heredoc.body_span.start)
                        } else {
                            (body, heredoc.body_span.start)
                        };
                        let inner = Script::parse_at(body, offset, shell::LexOptions { dockerfile_escape: None });
                        script.commands.extend(inner.commands);
                    }
                }
                script
            }
            _ => Script::default(),
        }
    }
}

fn global_args(preamble: &[Instruction], config: &Config, escape: char) -> Vec<GlobalArg> {
    let mut args: Vec<GlobalArg> = Vec::new();
    for instruction in preamble.iter().filter(|i| i.keyword == Keyword::Arg) {
        let Args::List(words) = &instruction.args else { continue };
        for word in words {
            let (name, default) = match word.text.split_once('=') {
                Some((n, d)) => (n.to_string(), Some(d.to_string())),
                None => (word.text.clone(), None),
            };
            let env: Vec<(String, String)> = PLATFORM_ARGS
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .chain(args.iter().filter_map(|a| a.value.clone().map(|v| (a.name.clone(), v))))
                .collect();
            let expanded = default
                .as_deref()
                .and_then(|d| expand(d, &env, ExpandOptions::with_escape(escape)).ok())
                .map(|e| e.result);
            let value = config.build_arg(&name).map(str::to_string).or(expanded);
            args.push(GlobalArg { name, default, value });
        }
    }
    args
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

/// Whether `RUN` is a POSIX shell after the `SHELL` instructions of `body`, starting from `initial`.
fn posix_after(body: &[Instruction], initial: bool) -> bool {
    body.iter().filter(|i| i.keyword == Keyword::Shell).fold(initial, |_, i| shell_is_posix(i))
}
