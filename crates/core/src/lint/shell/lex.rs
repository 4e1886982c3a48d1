//! A small POSIX-shell lexer for `RUN` commands: it splits a script into simple commands and their
//! words, removes quotes and keeps the byte range of every word.
//!
//! It is not a shell: expansions (`$x`, `$(…)`, backticks) are kept as literal text inside the word,
//! and control structures are flattened (the commands inside `if`, `for`, `{ … }` and `( … )` are
//! listed like any other). That is what the lint rules need: which programs run with which arguments.

use std::ops::Range;

/// One shell word after quote removal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The text with quotes and backslash escapes removed; expansions are kept verbatim.
    pub text: String,
    /// Byte range of the word in the lexed text (including its quotes).
    pub range: Range<usize>,
    /// Whether any part of the word was quoted.
    pub quoted: bool,
    /// Whether the word contains an unquoted or double-quoted `$` or backtick expansion.
    pub expands: bool,
}

/// How a simple command is joined to the one after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joiner {
    /// `&&`: the next command runs only if this one succeeded.
    And,
    /// `||`: the next command runs only if this one failed.
    Or,
    /// `|` or `|&`: this command's output is piped into the next one.
    Pipe,
    /// `;`, `&`, a newline, or the end of the script.
    Sequence,
}

/// A simple command: the words between two operators, without redirections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleCommand {
    /// Every word of the command, including leading `VAR=value` assignments and reserved words.
    pub words: Vec<Word>,
    /// Targets of output redirections (`> file`, `>> file`), which the command creates.
    pub redirect_targets: Vec<Word>,
    /// How this command is joined to the next one.
    pub joiner: Joiner,
    /// Byte range from the first to the last word of the command.
    pub range: Range<usize>,
}

/// Options for [`lex`].
#[derive(Debug, Clone, Copy)]
pub struct LexOptions {
    /// The Dockerfile escape character; with `\n` right after it (trailing blanks allowed) it
    /// continues the instruction, and whole comment or empty lines inside a continuation are skipped.
    pub dockerfile_escape: Option<char>,
}

impl Default for LexOptions {
    fn default() -> Self {
        LexOptions { dockerfile_escape: Some('\\') }
    }
}

/// Splits `text` into simple commands. Never fails: unterminated quotes end at the end of the text.
pub fn lex(text: &str, options: LexOptions) -> Vec<SimpleCommand> {
    Lexer {
        text,
        pos: 0,
        options,
        commands: Vec::new(),
        current: Pending::default(),
        heredocs: Vec::new(),
        case_depth: 0,
        in_pattern: false,
    }
    .run()
}

#[derive(Default)]
struct Pending {
    words: Vec<Word>,
    redirects: Vec<Word>,
    /// Set after a redirection operator: `Some(true)` when the next word is a file the command
    /// writes, `Some(false)` when it is an input the command reads.
    expect_target: Option<bool>,
    /// Set after `<<` or `<<-`: the next word is a here-document delimiter.
    expect_heredoc: Option<bool>,
}

struct Lexer<'a> {
    text: &'a str,
    pos: usize,
    options: LexOptions,
    commands: Vec<SimpleCommand>,
    current: Pending,
    /// Here-document delimiters (and whether tabs are stripped) whose bodies start at the next newline.
    heredocs: Vec<(String, bool)>,
    /// How many `case … esac` blocks are open.
    case_depth: usize,
    /// Whether the lexer is reading a `case` pattern (where `|` separates alternatives and `)` ends it).
    in_pattern: bool,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.text.get(self.pos..).and_then(|s| s.chars().next())
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.text.get(self.pos + offset..).and_then(|s| s.chars().next())
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// Length of a Dockerfile line continuation starting at the cursor (escape, blanks, newline,
    /// then any comment or empty lines), or 0 when there is none.
    fn continuation_len(&self) -> usize {
        let Some(escape) = self.options.dockerfile_escape else { return 0 };
        let rest = self.text.get(self.pos..).unwrap_or("");
        let Some(after) = rest.strip_prefix(escape) else { return 0 };
        let trimmed = after.trim_start_matches([' ', '\t', '\r']);
        let Some(mut tail) = trimmed.strip_prefix('\n') else { return 0 };
        // Comment and empty lines inside a continuation belong to the Dockerfile, not to the shell.
        loop {
            let line_end = tail.find('\n').map_or(tail.len(), |i| i + 1);
            let line = tail.get(..line_end).unwrap_or("");
            let content = line.trim_start_matches([' ', '\t']);
            let is_skipped = content.starts_with('#') || content.trim().is_empty();
            if !is_skipped || line_end == 0 || !line.ends_with('\n') {
                break;
            }
            tail = tail.get(line_end..).unwrap_or("");
        }
        rest.len() - tail.len()
    }

    fn run(mut self) -> Vec<SimpleCommand> {
        while let Some(c) = self.peek() {
            let cont = self.continuation_len();
            if cont > 0 {
                self.pos += cont;
                continue;
            }
            match c {
                ' ' | '\t' | '\r' => {
                    self.bump();
                }
                // A shell line continuation between words joins the lines.
                '\\' if self.peek_at(1) == Some('\n') => {
                    self.pos += 2;
                }
                '\n' => {
                    self.bump();
                    self.finish(Joiner::Sequence);
                    self.skip_heredoc_bodies();
                }
                '#' => self.skip_comment(),
                ';' => {
                    self.bump();
                    if self.peek() == Some(';') {
                        self.bump();
                        // `;;` ends a case branch: a pattern follows.
                        self.in_pattern = self.case_depth > 0;
                    }
                    self.finish(Joiner::Sequence);
                }
                '&' => {
                    self.bump();
                    if self.peek() == Some('&') {
                        self.bump();
                        self.finish(Joiner::And);
                    } else if self.peek() == Some('>') {
                        // `&>file` redirects both streams.
                        self.bump();
                        if self.peek() == Some('>') {
                            self.bump();
                        }
                        self.current.expect_target = Some(true);
                    } else {
                        self.finish(Joiner::Sequence);
                    }
                }
                '|' if self.in_pattern => {
                    self.bump();
                }
                '|' => {
                    self.bump();
                    if self.peek() == Some('|') {
                        self.bump();
                        self.finish(Joiner::Or);
                    } else {
                        if self.peek() == Some('&') {
                            self.bump();
                        }
                        self.finish(Joiner::Pipe);
                    }
                }
                ')' if self.in_pattern => {
                    // The words before `)` are the pattern, not a command.
                    self.bump();
                    self.in_pattern = false;
                    self.current = Pending::default();
                }
                '(' if self.in_pattern => {
                    self.bump();
                }
                '(' | ')' => {
                    self.bump();
                    self.finish(Joiner::Sequence);
                }
                '<' | '>' => self.redirect(),
                _ => self.word(),
            }
        }
        self.finish(Joiner::Sequence);
        self.commands
    }

    /// Skips the bodies of here-documents opened on the line that just ended.
    fn skip_heredoc_bodies(&mut self) {
        for (delimiter, strip_tabs) in std::mem::take(&mut self.heredocs) {
            while self.pos < self.text.len() {
                let rest = self.text.get(self.pos..).unwrap_or("");
                let line_len = rest.find('\n').map_or(rest.len(), |i| i + 1);
                let line = rest.get(..line_len).unwrap_or("").trim_end_matches(['\n', '\r']);
                let line = if strip_tabs { line.trim_start_matches('\t') } else { line };
                self.pos += line_len.max(1);
                if line == delimiter {
                    break;
                }
            }
        }
    }

    fn skip_comment(&mut self) {
        while let Some(c) = self.peek() {
            if c == '\n' {
                break;
            }
            self.bump();
        }
    }

    fn redirect(&mut self) {
        let first = self.bump();
        let is_output = first == Some('>');
        let rest = self.text.get(self.pos..).unwrap_or("");
        if first == Some('<') && rest.starts_with('<') && !rest.starts_with("<<") {
            self.bump();
            let strip_tabs = self.peek() == Some('-');
            if strip_tabs {
                self.bump();
            }
            self.current.expect_heredoc = Some(strip_tabs);
            return;
        }
        while matches!(self.peek(), Some('<' | '>' | '&' | '|' | '-')) {
            // Consumes `>>`, `>&`, `<<`, `<<-`, `>|` and `<&-` style operators.
            if self.peek() == Some('-') && self.peek_at(1).is_some_and(|c| !c.is_whitespace()) {
                break;
            }
            self.bump();
        }
        // `>&2` and `2>&1` duplicate a descriptor: the digits that follow are not a file.
        let rest = self.text.get(self.pos..).unwrap_or("");
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        let after_digits = rest.get(digits..).and_then(|s| s.chars().next());
        let prev = self.text.get(..self.pos).and_then(|s| s.chars().last());
        if prev == Some('&') && digits > 0 && after_digits.is_none_or(|c| c.is_whitespace() || ";|&)".contains(c)) {
            self.pos += digits;
            return;
        }
        self.current.expect_target = Some(is_output);
    }

    fn word(&mut self) {
        let start = self.pos;
        let mut text = String::new();
        let mut quoted = false;
        let mut expands = false;
        while let Some(c) = self.peek() {
            let cont = self.continuation_len();
            if cont > 0 {
                // A continuation inside a word joins the two halves, as the Dockerfile parser does.
                self.pos += cont;
                continue;
            }
            match c {
                ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>' => break,
                '\'' => {
                    quoted = true;
                    self.bump();
                    while let Some(q) = self.bump() {
                        if q == '\'' {
                            break;
                        }
                        text.push(q);
                    }
                }
                '"' => {
                    quoted = true;
                    self.bump();
                    while let Some(q) = self.peek() {
                        match q {
                            '"' => {
                                self.bump();
                                break;
                            }
                            '\\' => {
                                self.bump();
                                match self.bump() {
                                    Some('\n') => {}
                                    Some(e @ ('$' | '`' | '"' | '\\')) => text.push(e),
                                    Some(e) => {
                                        text.push('\\');
                                        text.push(e);
                                    }
                                    None => text.push('\\'),
                                }
                            }
                            '$' | '`' => {
                                expands |= self.expansion(&mut text);
                            }
                            _ => {
                                self.bump();
                                text.push(q);
                            }
                        }
                    }
                }
                '\\' => {
                    self.bump();
                    match self.bump() {
                        Some('\n') | None => {}
                        Some(e) => text.push(e),
                    }
                }
                '$' | '`' => expands |= self.expansion(&mut text),
                _ => {
                    self.bump();
                    text.push(c);
                }
            }
        }
        if self.pos == start {
            // Defensive: never loop without progress.
            self.bump();
            return;
        }
        // A word made only of digits right before a redirection is a file descriptor number.
        if !quoted
            && !text.is_empty()
            && text.chars().all(|c| c.is_ascii_digit())
            && matches!(self.peek(), Some('<' | '>'))
        {
            return;
        }
        let word = Word { text, range: start..self.pos, quoted, expands };
        if let Some(strip_tabs) = self.current.expect_heredoc.take() {
            self.heredocs.push((word.text, strip_tabs));
            return;
        }
        match self.current.expect_target.take() {
            Some(true) => self.current.redirects.push(word),
            // Input redirections and here-strings consume a word that is not an argument.
            Some(false) => {}
            None => {
                self.track_case(&word);
                self.current.words.push(word);
            }
        }
    }

    /// Follows `case WORD in` and `esac` so that patterns are not read as commands.
    fn track_case(&mut self, word: &Word) {
        if word.quoted {
            return;
        }
        let first = self.current.words.first().map(|w| w.text.as_str());
        match word.text.as_str() {
            "case" if self.current.words.is_empty() => self.case_depth += 1,
            "in" if first == Some("case") && self.current.words.len() == 2 => self.in_pattern = true,
            "esac" if self.current.words.is_empty() => {
                self.case_depth = self.case_depth.saturating_sub(1);
                self.in_pattern = false;
            }
            _ => {}
        }
    }

    /// Copies a `$…`, `${…}`, `$(…)`, `$((…))` or backtick expansion verbatim into `text`.
    /// Returns whether it was an expansion (a lone `$` is literal).
    fn expansion(&mut self, text: &mut String) -> bool {
        let start = self.pos;
        let Some(first) = self.bump() else { return false };
        if first == '`' {
            while let Some(c) = self.bump() {
                if c == '\\' {
                    self.bump();
                } else if c == '`' {
                    break;
                }
            }
        } else {
            match self.peek() {
                Some('{') => self.balanced('{', '}'),
                Some('(') => self.balanced('(', ')'),
                Some(c) if c.is_ascii_alphanumeric() || c == '_' => {
                    while self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                        self.bump();
                    }
                }
                Some('@' | '*' | '#' | '?' | '-' | '$' | '!') => {
                    self.bump();
                }
                _ => {
                    text.push('$');
                    return false;
                }
            }
        }
        text.push_str(self.text.get(start..self.pos).unwrap_or(""));
        true
    }

    /// Consumes a balanced `open … close` group, honouring quotes inside it.
    fn balanced(&mut self, open: char, close: char) {
        let mut depth = 0usize;
        while let Some(c) = self.bump() {
            match c {
                '\\' => {
                    self.bump();
                }
                '\'' if open == '(' => {
                    while let Some(q) = self.bump() {
                        if q == '\'' {
                            break;
                        }
                    }
                }
                '"' => {
                    while let Some(q) = self.bump() {
                        if q == '\\' {
                            self.bump();
                        } else if q == '"' {
                            break;
                        }
                    }
                }
                c if c == open => depth += 1,
                c if c == close => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
    }

    fn finish(&mut self, joiner: Joiner) {
        let pending = std::mem::take(&mut self.current);
        if pending.words.is_empty() {
            // An operator after nothing (e.g. `( cmd )`) still decides how the previous command joins.
            if joiner != Joiner::Sequence {
                if let Some(last) = self.commands.last_mut() {
                    last.joiner = joiner;
                }
            }
            return;
        }
        let start = pending.words.first().map_or(0, |w| w.range.start);
        let end = pending.words.last().map_or(0, |w| w.range.end);
        self.commands.push(SimpleCommand {
            words: pending.words,
            redirect_targets: pending.redirects,
            joiner,
            range: start..end,
        });
    }
}
