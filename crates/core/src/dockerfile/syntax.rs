//! The lossless syntax model of a Dockerfile: every instruction, keyword, flag, argument, comment,
//! directive and heredoc body with its byte span, exactly as BuildKit's parser splits them.

use super::span::{LineIndex, Position, Span};
use serde::Serialize;

/// The instruction keywords BuildKit knows, plus `Unknown` for anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Keyword {
    /// `ADD`.
    Add,
    /// `ARG`.
    Arg,
    /// `CMD`.
    Cmd,
    /// `COPY`.
    Copy,
    /// `ENTRYPOINT`.
    Entrypoint,
    /// `ENV`.
    Env,
    /// `EXPOSE`.
    Expose,
    /// `FROM`.
    From,
    /// `HEALTHCHECK`.
    Healthcheck,
    /// `LABEL`.
    Label,
    /// `MAINTAINER` (deprecated).
    Maintainer,
    /// `ONBUILD`.
    Onbuild,
    /// `RUN`.
    Run,
    /// `SHELL`.
    Shell,
    /// `STOPSIGNAL`.
    Stopsignal,
    /// `USER`.
    User,
    /// `VOLUME`.
    Volume,
    /// `WORKDIR`.
    Workdir,
    /// A word BuildKit does not know as an instruction (its parser keeps it; the build refuses it).
    Unknown,
}

impl Keyword {
    /// All known keywords, in alphabetical order.
    pub const ALL: [Keyword; 18] = [
        Keyword::Add,
        Keyword::Arg,
        Keyword::Cmd,
        Keyword::Copy,
        Keyword::Entrypoint,
        Keyword::Env,
        Keyword::Expose,
        Keyword::From,
        Keyword::Healthcheck,
        Keyword::Label,
        Keyword::Maintainer,
        Keyword::Onbuild,
        Keyword::Run,
        Keyword::Shell,
        Keyword::Stopsignal,
        Keyword::User,
        Keyword::Volume,
        Keyword::Workdir,
    ];

    /// The keyword for `word` in any letter case, or `Unknown`. Case folding is Unicode lower-casing,
    /// as Go's `strings.ToLower` (so `HEALTHCHEC\u{212A}` with a Kelvin sign is `HEALTHCHECK`).
    pub fn from_word(word: &str) -> Keyword {
        let found = if word.is_ascii() {
            Keyword::ALL.into_iter().find(|k| k.as_str().eq_ignore_ascii_case(word))
        } else {
            let lower = word.to_lowercase();
            Keyword::ALL.into_iter().find(|k| k.as_str().eq_ignore_ascii_case(&lower))
        };
        found.unwrap_or(Keyword::Unknown)
    }

    /// The canonical upper-case spelling (`"UNKNOWN"` for unknown instructions).
    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Add => "ADD",
            Keyword::Arg => "ARG",
            Keyword::Cmd => "CMD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Env => "ENV",
            Keyword::Expose => "EXPOSE",
            Keyword::From => "FROM",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::User => "USER",
            Keyword::Volume => "VOLUME",
            Keyword::Workdir => "WORKDIR",
            Keyword::Unknown => "UNKNOWN",
        }
    }
}

/// A piece of text from the Dockerfile: its value as BuildKit's parser produces it and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Word {
    /// The value (quotes and escapes as BuildKit's parser leaves them; JSON strings decoded).
    pub text: String,
    /// The source text it was taken from.
    pub span: Span,
}

/// A `--name=value` flag before an instruction's arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flag {
    /// The flag as BuildKit records it, e.g. `--mount=type=cache,target=/root/.cache`.
    pub raw: String,
    /// The name without the leading dashes, e.g. `mount`.
    pub name: String,
    /// The value after the first `=`, or `None` for a bare `--link`.
    pub value: Option<String>,
    /// The whole flag in the source.
    pub span: Span,
    /// The name (after the dashes) in the source.
    pub name_span: Span,
    /// The value in the source, when there is one.
    pub value_span: Option<Span>,
}

/// One `key=value` (or legacy `key value`) pair of `ENV` or `LABEL`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyValue {
    /// The key, unexpanded, quotes kept.
    pub key: Word,
    /// The value, unexpanded, quotes kept (BuildKit removes quotes when it expands the value).
    pub value: Word,
    /// True for the legacy whitespace form `ENV key value`.
    pub legacy: bool,
}

/// The arguments of an instruction, in the form BuildKit's parser gives them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "form", content = "value", rename_all = "snake_case")]
pub enum Args {
    /// No arguments at all.
    Empty,
    /// Exec form: the decoded strings of a JSON array (`RUN`, `CMD`, `ENTRYPOINT`, `SHELL`, `COPY`, `ADD`, `VOLUME`).
    Json(Vec<Word>),
    /// One string: shell form of `RUN`/`CMD`/`ENTRYPOINT`/`SHELL`, or the value of `USER`, `WORKDIR`,
    /// `MAINTAINER`, `STOPSIGNAL`.
    Text(Word),
    /// Whitespace-separated words: `FROM`, `EXPOSE`, `COPY`/`ADD`/`VOLUME` in shell form, `ARG`.
    List(Vec<Word>),
    /// `ENV` and `LABEL` pairs.
    Pairs(Vec<KeyValue>),
    /// `HEALTHCHECK TYPE ...`: the type word (`CMD`, `NONE`) and the command in shell or exec form.
    Healthcheck {
        /// The type word as written.
        kind: Word,
        /// The command after the type.
        command: Box<Args>,
    },
    /// `ONBUILD`: the trigger instruction.
    Onbuild(Box<Instruction>),
}

/// A here-document attached to `RUN`, `COPY` or `ADD`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heredoc {
    /// The delimiter word with quotes removed, e.g. `EOF`.
    pub name: String,
    /// The file descriptor before `<<` (`0` when none was written).
    pub fd: u32,
    /// Whether variables in the body are expanded (false when any part of the delimiter was quoted).
    pub expand: bool,
    /// `<<-`: leading tabs are stripped from the body and the terminator.
    pub chomp: bool,
    /// The body exactly as written, each line with its newline, without the terminator line.
    pub content: String,
    /// The `<<EOF` word on the instruction line.
    pub marker_span: Span,
    /// The body lines in the source (empty span at the terminator for an empty body).
    pub body_span: Span,
    /// The terminator line (without its newline).
    pub terminator_span: Span,
}

/// A comment line (`# ...`), outside heredoc bodies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    /// The text after `#`, trimmed.
    pub text: String,
    /// The whole comment in the source, from `#` to the end of the line.
    pub span: Span,
    /// The 1-based line.
    pub line: usize,
}

/// A parser directive at the top of the file: `# syntax=...`, `# escape=...`, `# check=...`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Directive {
    /// The directive name, lower-cased.
    pub name: String,
    /// The value, trimmed.
    pub value: String,
    /// The whole directive line.
    pub span: Span,
    /// The value in the source.
    pub value_span: Span,
    /// The 1-based line.
    pub line: usize,
}

/// One instruction: keyword, flags, arguments, heredocs and the comments just above it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Instruction {
    /// Which instruction this is.
    pub keyword: Keyword,
    /// The keyword as written (any letter case) and where.
    pub keyword_word: Word,
    /// From the keyword to the end of the last line the instruction uses (heredoc terminators included).
    pub span: Span,
    /// The 1-based first line.
    pub start_line: usize,
    /// The 1-based last line (heredoc terminators included), as BuildKit's `EndLine`.
    pub end_line: usize,
    /// The logical line: continuations joined, comment lines inside them dropped (BuildKit's `Original`).
    pub original: String,
    /// The `--flags` before the arguments, in order.
    pub flags: Vec<Flag>,
    /// The arguments.
    pub args: Args,
    /// Whether the arguments are in JSON (exec) form.
    pub json: bool,
    /// The here-documents, in the order of their markers.
    pub heredocs: Vec<Heredoc>,
    /// The comment lines directly preceding the instruction since the previous one (BuildKit's
    /// `PrevComment`; an empty `#` line clears them). Blank lines between do not clear them: check
    /// `Comment::line` against `start_line` for adjacency.
    pub comments: Vec<Comment>,
    /// Lines inside the continuation that were empty (BuildKit warns: NoEmptyContinuation).
    pub empty_continuation_lines: Vec<usize>,
}

impl Instruction {
    /// The first flag called `name` (without dashes), if any.
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }

    /// All flags called `name` (without dashes), e.g. every `--mount`.
    pub fn flags_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Flag> + 'a {
        self.flags.iter().filter(move |f| f.name == name)
    }

    /// The argument values in BuildKit's node order (as `Node.Dump()` lists them, without ONBUILD nesting).
    pub fn arg_values(&self) -> Vec<&str> {
        let mut out = Vec::new();
        push_arg_values(&self.args, &mut out);
        out
    }
}

fn push_arg_values<'a>(args: &'a Args, out: &mut Vec<&'a str>) {
    match args {
        Args::Empty => {}
        Args::Json(words) | Args::List(words) => out.extend(words.iter().map(|w| w.text.as_str())),
        Args::Text(word) => out.push(&word.text),
        Args::Pairs(pairs) => {
            for p in pairs {
                out.push(&p.key.text);
                out.push(&p.value.text);
                out.push(if p.legacy { "" } else { "=" });
            }
        }
        Args::Healthcheck { kind, command } => {
            out.push(&kind.text);
            push_arg_values(command, out);
        }
        Args::Onbuild(inner) => {
            out.push(inner.keyword_word.text.as_str());
            push_arg_values(&inner.args, out);
        }
    }
}

/// How bad a [`Problem`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// BuildKit would still build, but warns.
    Warning,
    /// BuildKit would refuse the Dockerfile.
    Error,
}

/// Something wrong in the Dockerfile, found while parsing or modelling; the analysis goes on past it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Whether BuildKit refuses the file or only warns.
    pub severity: Severity,
    /// One sentence naming what is wrong.
    pub message: String,
    /// Where (may be empty at end of file).
    pub span: Span,
    /// The 1-based line BuildKit would report.
    pub line: usize,
}

/// The parsed `# check=` directive: which BuildKit checks to skip and whether warnings fail the build.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct CheckDirective {
    /// `skip=all`.
    pub skip_all: bool,
    /// The check names listed in `skip=A,B`.
    pub skip: Vec<String>,
    /// `error=true`.
    pub error: bool,
}

/// The whole syntax tree of one Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dockerfile {
    /// The parser directives at the top of the file.
    pub directives: Vec<Directive>,
    /// The escape character in force (`\` or `` ` ``).
    pub escape: char,
    /// The instructions, in order.
    pub instructions: Vec<Instruction>,
    /// Every comment line of the file (directives included), in order.
    pub comments: Vec<Comment>,
    /// Line starts, for [`Dockerfile::position`].
    pub lines: LineIndex,
}

impl Dockerfile {
    /// The directive called `name` (lower-case), if present.
    pub fn directive(&self, name: &str) -> Option<&Directive> {
        self.directives.iter().find(|d| d.name == name)
    }

    /// The `# check=` directive parsed as BuildKit's `ParseLintOptions` does (`skip=A,B;error=true`),
    /// or `None` when the file has none. The error names the option that is not understood.
    pub fn check(&self) -> Option<Result<CheckDirective, String>> {
        self.directive("check").map(|d| parse_check(&d.value))
    }

    /// The 1-based line and column of byte `offset` in `text` (the text that was parsed).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        self.lines.position(text, offset)
    }
}

/// The result of [`parse`](super::parse): the syntax tree (always present) and the problems found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParseResult {
    /// The syntax tree, as complete as the text allows.
    pub syntax: Dockerfile,
    /// Parse errors and warnings, in source order.
    pub problems: Vec<Problem>,
}

impl ParseResult {
    /// Whether any problem is an error (BuildKit would refuse to parse the file).
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }
}

fn parse_check(value: &str) -> Result<CheckDirective, String> {
    let mut out = CheckDirective::default();
    let value = value.trim();
    if value.is_empty() {
        return Ok(out);
    }
    for part in value.splitn(2, ';') {
        let Some((k, v)) = part.split_once('=') else {
            return Err(format!("invalid check option {}", super::go_quote(part)));
        };
        match k.trim() {
            "skip" => {
                let v = v.trim();
                if v == "all" {
                    out.skip_all = true;
                } else {
                    out.skip = v.split(',').map(|r| r.trim().to_string()).collect();
                }
            }
            "error" => {
                out.error = match v.trim() {
                    "1" | "t" | "T" | "true" | "TRUE" | "True" => true,
                    "0" | "f" | "F" | "false" | "FALSE" | "False" => false,
                    other => {
                        return Err(format!(
                            "failed to parse check option {}: invalid value {other:?}",
                            super::go_quote(part)
                        ))
                    }
                }
            }
            other => return Err(format!("invalid check option {}", super::go_quote(other))),
        }
    }
    Ok(out)
}
