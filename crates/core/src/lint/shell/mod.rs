//! The shell-word model the lint rules use to read `RUN` commands: simple commands with their
//! program, arguments and options, and recognisers for package managers and file operations.

pub mod args;
pub mod lex;
pub mod pkg;

pub use args::{OptSpec, Parsed};
pub use lex::{Joiner, LexOptions, SimpleCommand, Word};

use std::ops::Range;

/// How deep `sh -c '…'` scripts are followed.
const MAX_NESTING: usize = 4;

/// Reserved words and wrappers that can precede the program of a simple command.
const RESERVED: &[&str] =
    &["if", "then", "else", "elif", "do", "while", "until", "!", "{", "}", "fi", "done", "esac", "time"];

/// A lexed shell script: every simple command in order, including those inside `sh -c` strings.
#[derive(Debug, Clone, Default)]
pub struct Script {
    /// The commands in source order.
    pub commands: Vec<Command>,
}

/// A simple command with its program located.
#[derive(Debug, Clone)]
pub struct Command {
    /// All words of the command.
    pub words: Vec<Word>,
    /// Index in `words` of the program (after assignments, reserved words and wrappers).
    pub program_index: usize,
    /// Files the command writes through `>` or `>>`.
    pub redirect_targets: Vec<Word>,
    /// How this command is joined to the next.
    pub joiner: Joiner,
    /// Byte range of the command in the script text.
    pub range: Range<usize>,
    /// The `sudo` word when the program runs through sudo.
    pub sudo: Option<Range<usize>>,
    /// Leading `NAME=value` assignments (for this command only).
    pub assignments: Vec<(String, String)>,
}

impl Command {
    /// The program and its arguments.
    pub fn argv(&self) -> &[Word] {
        self.words.get(self.program_index..).unwrap_or(&[])
    }

    /// The arguments after the program.
    pub fn args(&self) -> &[Word] {
        self.words.get(self.program_index + 1..).unwrap_or(&[])
    }

    /// The program's base name (`/usr/bin/apt-get` gives `apt-get`), if there is a program.
    pub fn program(&self) -> Option<&str> {
        let word = self.words.get(self.program_index)?;
        Some(word.text.rsplit('/').next().unwrap_or(&word.text))
    }

    /// Byte range of the program word.
    pub fn program_range(&self) -> Range<usize> {
        self.words.get(self.program_index).map_or(self.range.clone(), |w| w.range.clone())
    }

    /// Whether the program is `name`.
    pub fn is(&self, name: &str) -> bool {
        self.program() == Some(name)
    }

    /// Parses the arguments after the program with `spec`.
    pub fn parse_args(&self, spec: OptSpec) -> Parsed<'_> {
        args::parse(self.args(), spec)
    }

    /// The first operand (sub-command) and the arguments after it, for tools like `apt-get install`.
    pub fn subcommand(&self, spec: OptSpec) -> Option<(&Word, &[Word])> {
        let parsed = self.parse_args(spec);
        let sub = *parsed.operands.first()?;
        let index = self.words.iter().position(|w| std::ptr::eq(w, sub))?;
        Some((sub, self.words.get(index + 1..).unwrap_or(&[])))
    }
}

impl Script {
    /// Lexes `text` (the shell form of a `RUN`, or a here-document body) into commands.
    pub fn parse(text: &str, options: LexOptions) -> Script {
        Script::parse_at(text, 0, options)
    }

    /// Like [`Script::parse`] for `text` found at byte `offset` of a larger text: every range is
    /// shifted by `offset`.
    pub fn parse_at(text: &str, offset: usize, options: LexOptions) -> Script {
        let mut script = Script::default();
        script.push_all(lex::lex(text, options), offset, 0);
        script
    }

    /// One command from already separated words (the exec form `RUN ["prog", "arg"]`).
    pub fn from_argv(words: Vec<Word>) -> Script {
        let mut script = Script::default();
        let range = match (words.first(), words.last()) {
            (Some(first), Some(last)) => first.range.start..last.range.end,
            _ => return script,
        };
        let simple = SimpleCommand { words, redirect_targets: Vec::new(), joiner: Joiner::Sequence, range };
        script.push_all(vec![simple], 0, 0);
        script
    }

    /// Replaces unquoted `$name` / `${name}` arguments by the words of a value assigned earlier in the
    /// same script (`deps='gcc make' && apt-get install $deps`), as the shell's field splitting would.
    pub fn substitute_simple_variables(&mut self) {
        let mut vars: Vec<(String, String)> = Vec::new();
        for command in &mut self.commands {
            let keeps = command.program_index >= command.words.len()
                || matches!(command.program(), Some("set" | "export" | "readonly" | ":"));
            if keeps {
                vars.extend(command.assignments.iter().cloned());
                if command.is("export") {
                    vars.extend(
                        command
                            .args()
                            .iter()
                            .filter_map(|w| assignment(&w.text).map(|(k, v)| (k.to_string(), v.to_string()))),
                    );
                }
                continue;
            }
            let mut words = Vec::with_capacity(command.words.len());
            for (index, word) in std::mem::take(&mut command.words).into_iter().enumerate() {
                let name = word
                    .text
                    .strip_prefix("${")
                    .and_then(|n| n.strip_suffix('}'))
                    .or_else(|| word.text.strip_prefix('$'));
                let value = name
                    .filter(|n| {
                        index > command.program_index
                            && !word.quoted
                            && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    })
                    .and_then(|n| vars.iter().rev().find(|(k, _)| k == n).map(|(_, v)| v.clone()));
                match value {
                    Some(value) => words.extend(value.split_whitespace().map(|part| Word {
                        text: part.to_string(),
                        range: word.range.clone(),
                        quoted: false,
                        expands: false,
                    })),
                    None => words.push(word),
                }
            }
            command.words = words;
        }
    }

    fn push_all(&mut self, commands: Vec<SimpleCommand>, offset: usize, depth: usize) {
        for simple in commands {
            let command = locate(simple, offset);
            let nested = nested_script(&command);
            let word_range = nested.as_ref().map(|(w, _)| w.clone());
            let substitutions: Vec<(Range<usize>, String)> = command
                .words
                .iter()
                .chain(command.redirect_targets.iter())
                .flat_map(|w| substitutions(&w.text).into_iter().map(move |s| (w.range.clone(), s)))
                .collect();
            self.commands.push(command);
            if depth < MAX_NESTING {
                // Commands inside `$(…)` and backticks run too; they point at the word that holds them.
                for (range, text) in substitutions {
                    let inner = lex::lex(&text, LexOptions { dockerfile_escape: None });
                    let inner = inner.into_iter().map(|c| squash(c, range.clone())).collect();
                    self.push_all(inner, 0, depth + 1);
                }
            }
            if let (Some((_, text)), Some(range)) = (nested, word_range) {
                if depth < MAX_NESTING {
                    // Commands inside a quoted `sh -c` string point at the string as a whole.
                    let inner = lex::lex(&text, LexOptions { dockerfile_escape: None });
                    let inner = inner.into_iter().map(|c| squash(c, range.clone())).collect();
                    self.push_all(inner, 0, depth + 1);
                }
            }
        }
    }
}

/// Shifts every range of `simple` by `offset` and finds its program.
fn locate(mut simple: SimpleCommand, offset: usize) -> Command {
    for word in simple.words.iter_mut().chain(simple.redirect_targets.iter_mut()) {
        word.range = word.range.start + offset..word.range.end + offset;
    }
    let mut index = 0;
    let mut sudo = None;
    let mut assignments = Vec::new();
    while let Some(word) = simple.words.get(index) {
        let text = word.text.as_str();
        if RESERVED.contains(&text) && !word.quoted {
            index += 1;
        } else if let Some((name, value)) = assignment(text) {
            assignments.push((name.to_string(), value.to_string()));
            index += 1;
        } else if matches!(text, "sudo" | "doas" | "gosu" | "su-exec") {
            sudo = Some(word.range.clone());
            index += 1;
            // Skip sudo's own options; `gosu USER cmd` and `su-exec USER cmd` take a user first.
            while simple.words.get(index).is_some_and(|w| w.text.starts_with('-')) {
                let takes_value = matches!(simple.words.get(index).map(|w| w.text.as_str()), Some("-u" | "-g" | "-C"));
                index += if takes_value { 2 } else { 1 };
            }
            if matches!(text, "gosu" | "su-exec") {
                index += 1;
            }
        } else if matches!(text, "env" | "command" | "exec" | "nohup" | "builtin") {
            index += 1;
            while simple.words.get(index).is_some_and(|w| w.text.starts_with('-')) {
                index += 1;
            }
        } else if text == "xargs" {
            // `… | xargs cmd args`: the program is the command xargs runs.
            index += 1;
            while let Some(option) = simple.words.get(index).map(|w| w.text.as_str()).filter(|t| t.starts_with('-')) {
                let takes_value = matches!(option, "-n" | "-I" | "-L" | "-P" | "-d" | "-s" | "-E" | "-a");
                index += if takes_value { 2 } else { 1 };
            }
        } else if text == "nice" {
            index += 1;
            if simple.words.get(index).is_some_and(|w| w.text == "-n") {
                index += 2;
            }
        } else {
            break;
        }
    }
    let range = simple.range.start + offset..simple.range.end + offset;
    Command {
        words: simple.words,
        program_index: index,
        redirect_targets: simple.redirect_targets,
        joiner: simple.joiner,
        range,
        sudo,
        assignments,
    }
}

/// Splits `NAME=value` when `NAME` is a valid shell variable name.
fn assignment(text: &str) -> Option<(&str, &str)> {
    let (name, value) = text.split_once('=')?;
    let mut chars = name.chars();
    let first = chars.next()?;
    let valid = (first.is_ascii_alphabetic() || first == '_') && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    valid.then_some((name, value))
}

/// The script of `sh -c 'script'` (and bash, ash, dash, zsh), with the range of its word.
fn nested_script(command: &Command) -> Option<(Range<usize>, String)> {
    let program = command.program()?;
    if !matches!(program, "sh" | "bash" | "ash" | "dash" | "zsh" | "busybox") {
        return None;
    }
    let args = command.args();
    let args = if program == "busybox" && args.first().is_some_and(|w| w.text == "sh") { args.get(1..)? } else { args };
    let mut iter = args.iter();
    while let Some(word) = iter.next() {
        let text = word.text.as_str();
        if matches!(text, "-o" | "+o") {
            iter.next();
            continue;
        }
        if !text.starts_with('-') {
            return None;
        }
        if text.len() > 1 && text.starts_with('-') && !text.starts_with("--") && text.contains('c') {
            let script = iter.next()?;
            return Some((script.range.clone(), script.text.clone()));
        }
    }
    None
}

/// The scripts of the `$(…)` and backtick command substitutions in `text` (outermost only).
fn substitutions(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let is_command = chars.get(i) == Some(&'$') && chars.get(i + 1) == Some(&'(') && chars.get(i + 2) != Some(&'(');
        if is_command {
            let mut depth = 0usize;
            let mut j = i + 1;
            let mut quote: Option<char> = None;
            while j < chars.len() {
                let c = chars.get(j).copied().unwrap_or(' ');
                match (quote, c) {
                    (Some(q), c) if c == q => quote = None,
                    (Some(_), _) => {}
                    (None, '\'' | '"') => quote = Some(c),
                    (None, '(') => depth += 1,
                    (None, ')') => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            found.push(chars.get(i + 2..j.min(chars.len())).unwrap_or(&[]).iter().collect());
            i = j + 1;
        } else if chars.get(i) == Some(&'`') {
            let end = chars.iter().skip(i + 1).position(|&c| c == '`').map_or(chars.len(), |p| i + 1 + p);
            found.push(chars.get(i + 1..end).unwrap_or(&[]).iter().collect());
            i = end + 1;
        } else {
            i += 1;
        }
    }
    found
}

/// Points every range of `simple` at `range` (the quoted string it came from).
fn squash(mut simple: SimpleCommand, range: Range<usize>) -> SimpleCommand {
    for word in simple.words.iter_mut().chain(simple.redirect_targets.iter_mut()) {
        word.range = range.clone();
    }
    simple.range = range;
    simple
}
