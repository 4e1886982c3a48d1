//! BuildKit's shell lexer (`frontend/dockerfile/shell/lex.go`): quote removal, escapes, word
//! splitting and `$var` / `${var...}` expansion, reproduced rule for rule.

mod pattern;

use std::collections::BTreeSet;

/// Where the lexer looks variables up.
pub trait Env {
    /// The value of `name`, or `None` when it is unset (names are case-sensitive, as on Unix).
    fn lookup(&self, name: &str) -> Option<&str>;
}

impl Env for [(String, String)] {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

impl Env for Vec<(String, String)> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.as_slice().lookup(name)
    }
}

impl Env for std::collections::HashMap<String, String> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

impl Env for std::collections::BTreeMap<String, String> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

/// An environment with no variables.
pub struct NoEnv;

impl Env for NoEnv {
    fn lookup(&self, _: &str) -> Option<&str> {
        None
    }
}

/// Lexer switches, as BuildKit's `Lex` fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LexOptions {
    /// The escape character (`\` or `` ` ``).
    pub escape: char,
    /// Keep quote characters in the result.
    pub raw_quotes: bool,
    /// Keep escape characters in the result.
    pub raw_escapes: bool,
    /// Treat quotes as ordinary characters.
    pub skip_process_quotes: bool,
    /// Leave references to unset variables as written instead of expanding them to "".
    pub skip_unset_env: bool,
}

impl Default for LexOptions {
    fn default() -> Self {
        LexOptions {
            escape: '\\',
            raw_quotes: false,
            raw_escapes: false,
            skip_process_quotes: false,
            skip_unset_env: false,
        }
    }
}

impl LexOptions {
    /// The default options with escape character `escape`.
    pub fn with_escape(escape: char) -> Self {
        LexOptions { escape, ..LexOptions::default() }
    }
}

/// The outcome of expanding one word.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Expansion {
    /// The expanded text with quotes removed (BuildKit's `ProcessWord`).
    pub result: String,
    /// The text split into words after expansion (BuildKit's `ProcessWords`).
    pub words: Vec<String>,
    /// Variables that were referenced and set.
    pub matched: BTreeSet<String>,
    /// Variables that were referenced but unset.
    pub unmatched: BTreeSet<String>,
}

/// Expands `word` against `env` (BuildKit's `ProcessWordWithMatches`). The error is one sentence.
pub fn expand(word: &str, env: &dyn Env, options: LexOptions) -> Result<Expansion, String> {
    let text = word.strip_prefix('\u{FEFF}').unwrap_or(word);
    if !text.contains(['$', '\'', '"', options.escape]) {
        // Nothing to expand, unquote or unescape: the lexer would only split on whitespace.
        let words = text.split(char::is_whitespace).filter(|w| !w.is_empty()).map(str::to_string).collect();
        return Ok(Expansion { result: text.to_string(), words, ..Expansion::default() });
    }
    let mut lexer = Lexer {
        chars: text.chars().collect(),
        pos: 0,
        env,
        opts: options,
        raw_escapes: options.raw_escapes,
        matched: BTreeSet::new(),
        unmatched: BTreeSet::new(),
        depth: 0,
        produced: 0,
    };
    match lexer.process_stop_on(None, options.raw_escapes) {
        Ok((result, words)) => Ok(Expansion { result, words, matched: lexer.matched, unmatched: lexer.unmatched }),
        Err(e) => Err(format!("failed to process {}: {e}", super::quote::go_quote(word))),
    }
}

/// Expands `word` and returns only the expanded text (BuildKit's `ProcessWord`).
pub fn expand_word(word: &str, env: &dyn Env, escape: char) -> Result<String, String> {
    expand(word, env, LexOptions::with_escape(escape)).map(|e| e.result)
}

/// Expands `word` and splits it into words (BuildKit's `ProcessWords`).
pub fn expand_words(word: &str, env: &dyn Env, escape: char) -> Result<Vec<String>, String> {
    expand(word, env, LexOptions::with_escape(escape)).map(|e| e.words)
}

/// Nesting of `${...}` deeper than this is refused, to bound recursion.
const MAX_DEPTH: usize = 256;

/// The most bytes the variable references of one word may expand to in total. `${v//}` with an empty
/// pattern puts the replacement between every character, so nested replacements grow geometrically; BuildKit
/// has no bound, a real Dockerfile never comes near this one.
pub const MAX_WORD_EXPANSION: usize = 1 << 20;

/// The error for a word whose variable references expand past [`MAX_WORD_EXPANSION`].
fn too_large() -> String {
    format!("variable references expand to more than {} MiB", MAX_WORD_EXPANSION >> 20)
}

struct Lexer<'a> {
    chars: Vec<char>,
    pos: usize,
    env: &'a dyn Env,
    opts: LexOptions,
    raw_escapes: bool,
    matched: BTreeSet<String>,
    unmatched: BTreeSet<String>,
    depth: usize,
    /// Bytes produced by the variable references expanded so far (bounded by [`MAX_WORD_EXPANSION`]).
    produced: usize,
}

#[derive(Default)]
struct Words {
    word: String,
    words: Vec<String>,
    in_word: bool,
}

impl Words {
    fn add_char(&mut self, ch: char) {
        if ch.is_whitespace() {
            if self.in_word && !self.word.is_empty() {
                self.words.push(std::mem::take(&mut self.word));
                self.in_word = false;
            }
        } else {
            self.add_raw_char(ch);
        }
    }

    fn add_raw_char(&mut self, ch: char) {
        self.word.push(ch);
        self.in_word = true;
    }

    fn add_string(&mut self, s: &str) {
        s.chars().for_each(|c| self.add_char(c));
    }

    fn add_raw_string(&mut self, s: &str) {
        self.word.push_str(s);
        self.in_word = true;
    }

    fn finish(mut self) -> Vec<String> {
        if !self.word.is_empty() {
            self.words.push(std::mem::take(&mut self.word));
        }
        self.words
    }
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn process_stop_on(&mut self, stop: Option<char>, raw_escapes: bool) -> Result<(String, Vec<String>), String> {
        let saved = self.raw_escapes;
        self.raw_escapes = raw_escapes;
        let out = self.process_stop_on_inner(stop);
        self.raw_escapes = saved;
        out
    }

    fn process_stop_on_inner(&mut self, stop: Option<char>) -> Result<(String, Vec<String>), String> {
        let mut result = String::new();
        let mut words = Words::default();
        let quotes = !self.opts.skip_process_quotes;
        while let Some(ch) = self.peek() {
            if stop == Some(ch) {
                self.pos += 1;
                return Ok((result, words.finish()));
            }
            if ch == '$' {
                let tmp = self.process_dollar()?;
                result.push_str(&tmp);
                words.add_string(&tmp);
            } else if quotes && (ch == '\'' || ch == '"') {
                let tmp = if ch == '\'' { self.process_single_quote()? } else { self.process_double_quote()? };
                result.push_str(&tmp);
                words.add_raw_string(&tmp);
            } else {
                self.pos += 1;
                let mut ch = ch;
                if ch == self.opts.escape {
                    if self.raw_escapes {
                        words.add_raw_char(ch);
                        result.push(ch);
                    }
                    match self.next() {
                        Some(c) => ch = c,
                        None => break,
                    }
                    words.add_raw_char(ch);
                } else {
                    words.add_char(ch);
                }
                result.push(ch);
            }
        }
        match stop {
            Some(c) => Err(format!("unexpected end of statement while looking for matching {c}")),
            None => Ok((result, words.finish())),
        }
    }

    fn process_single_quote(&mut self) -> Result<String, String> {
        let mut result = String::new();
        let open = self.next();
        if self.opts.raw_quotes {
            result.extend(open);
        }
        loop {
            match self.next() {
                None => return Err("unexpected end of statement while looking for matching single-quote".into()),
                Some('\'') => {
                    if self.opts.raw_quotes {
                        result.push('\'');
                    }
                    return Ok(result);
                }
                Some(c) => result.push(c),
            }
        }
    }

    fn process_double_quote(&mut self) -> Result<String, String> {
        let mut result = String::new();
        let open = self.next();
        if self.opts.raw_quotes {
            result.extend(open);
        }
        loop {
            match self.peek() {
                None => return Err("unexpected end of statement while looking for matching double-quote".into()),
                Some('"') => {
                    self.pos += 1;
                    if self.opts.raw_quotes {
                        result.push('"');
                    }
                    return Ok(result);
                }
                Some('$') => {
                    let value = self.process_dollar()?;
                    result.push_str(&value);
                }
                Some(mut ch) => {
                    self.pos += 1;
                    if ch == self.opts.escape {
                        if self.raw_escapes {
                            result.push(ch);
                        }
                        match self.peek() {
                            None => continue,
                            Some(c) if c == '"' || c == '$' || c == self.opts.escape => {
                                self.pos += 1;
                                ch = c;
                            }
                            Some(_) => {}
                        }
                    }
                    result.push(ch);
                }
            }
        }
    }

    fn process_dollar(&mut self) -> Result<String, String> {
        self.depth += 1;
        let out = if self.depth > MAX_DEPTH {
            Err(format!("variable references nested more than {MAX_DEPTH} deep"))
        } else {
            self.process_dollar_inner()
        };
        self.depth -= 1;
        let out = out?;
        self.produced = self.produced.saturating_add(out.len());
        if self.produced > MAX_WORD_EXPANSION {
            return Err(too_large());
        }
        Ok(out)
    }

    fn process_dollar_inner(&mut self) -> Result<String, String> {
        self.pos += 1;
        if self.peek() != Some('{') {
            let name = self.process_name();
            if name.is_empty() {
                return Ok("$".into());
            }
            return Ok(match self.get_env(&name) {
                Some(v) => v,
                None if self.opts.skip_unset_env => format!("${name}"),
                None => String::new(),
            });
        }
        self.pos += 1;
        match self.peek() {
            None => return Err("syntax error: missing '}'".into()),
            Some('{' | '}' | ':') => return Err("syntax error: bad substitution".into()),
            Some(_) => {}
        }
        let name = self.process_name();
        let first = self.next();
        let mut chs = String::from(first.unwrap_or('\u{FFFD}'));
        match first {
            Some('}') => Ok(match self.get_env(&name) {
                Some(v) => v,
                None if self.opts.skip_unset_env => format!("${{{name}}}"),
                None => String::new(),
            }),
            Some(':' | '+' | '-' | '?' | '#' | '%') => {
                let mut modifier = first;
                let null_is_unset = first == Some(':');
                if null_is_unset {
                    modifier = self.next();
                    chs.push(modifier.unwrap_or('\u{FFFD}'));
                }
                self.process_modifier(&name, modifier, &chs, null_is_unset)
            }
            Some('/') => self.process_replace(&name),
            _ => Err(format!("unsupported modifier ({chs}) in substitution")),
        }
    }

    fn process_modifier(
        &mut self,
        name: &str,
        modifier: Option<char>,
        chs: &str,
        null_is_unset: bool,
    ) -> Result<String, String> {
        let raw = matches!(modifier, Some('#' | '%'));
        let mut word = match self.process_stop_on(Some('}'), raw) {
            Ok((w, _)) => w,
            Err(_) if self.peek().is_none() => return Err("syntax error: missing '}'".into()),
            Err(e) => return Err(e),
        };
        let value = self.get_env(name);
        if value.is_none() && self.opts.skip_unset_env {
            return Ok(format!("${{{name}{chs}{word}}}"));
        }
        let empty = value.as_deref().is_none_or(|v| null_is_unset && v.is_empty());
        match modifier {
            Some('-') => Ok(if empty { word } else { value.unwrap_or_default() }),
            Some('+') => Ok(if empty { String::new() } else { word }),
            Some('?') => match value {
                None => Err(format!("{name}: {}", if word.is_empty() { "is not allowed to be unset" } else { &word })),
                Some(v) if null_is_unset && v.is_empty() => {
                    Err(format!("{name}: {}", if word.is_empty() { "is not allowed to be empty" } else { &word }))
                }
                Some(v) => Ok(v),
            },
            Some(m @ ('#' | '%')) => {
                let greedy = word.starts_with(m);
                if greedy {
                    word.remove(0);
                }
                let value = value.unwrap_or_default();
                if m == '%' {
                    pattern::trim_suffix(&word, &value, greedy)
                } else {
                    pattern::trim_prefix(&word, &value, greedy)
                }
            }
            _ => Err(format!("unsupported modifier ({chs}) in substitution")),
        }
    }

    fn process_replace(&mut self, name: &str) -> Result<String, String> {
        let all = self.peek() == Some('/');
        if all {
            self.pos += 1;
        }
        let pattern = match self.process_stop_on(Some('/'), true) {
            Ok((p, _)) => p,
            Err(_) if self.peek().is_none() => return Err("syntax error: missing '/' in ${}".into()),
            Err(e) => return Err(e),
        };
        let replacement = match self.process_stop_on(Some('}'), true) {
            Ok((r, _)) => r,
            Err(_) if self.peek().is_none() => return Err("syntax error: missing '}'".into()),
            Err(e) => return Err(e),
        };
        let value = match self.get_env(name) {
            Some(v) => v,
            None if self.opts.skip_unset_env => return Ok(format!("${{{name}/{pattern}/{replacement}}}")),
            None => String::new(),
        };
        pattern::replace(&pattern, &value, &replacement, all, MAX_WORD_EXPANSION)?.ok_or_else(too_large)
    }

    fn process_name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.peek() {
            if name.is_empty() && ch.is_numeric() {
                while let Some(d) = self.peek().filter(|c| c.is_numeric()) {
                    self.pos += 1;
                    name.push(d);
                }
                return name;
            }
            if name.is_empty() && matches!(ch, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
                self.pos += 1;
                return ch.to_string();
            }
            if !ch.is_alphanumeric() && ch != '_' {
                break;
            }
            self.pos += 1;
            name.push(ch);
        }
        name
    }

    fn get_env(&mut self, name: &str) -> Option<String> {
        match self.env.lookup(name) {
            Some(v) => {
                self.matched.insert(name.to_string());
                Some(v.to_string())
            }
            None => {
                self.unmatched.insert(name.to_string());
                None
            }
        }
    }
}
