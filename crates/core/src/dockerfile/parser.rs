//! The line scanner of BuildKit's `parser.go`: parser directives, comments, line continuations,
//! heredoc bodies; each logical line handed to the argument parsers. Errors are collected and the
//! scan goes on.

use super::line_parsers::{
    parse_health_config, parse_maybe_json, parse_maybe_json_to_list, parse_name_val, parse_whitespace_delimited,
    parse_words, split_command, Piece, RawArgs,
};
use super::shell::{expand, LexOptions, NoEnv};
use super::span::{LineIndex, Span};
use super::syntax::{
    Args, Comment, Directive, Dockerfile, Flag, Heredoc, Instruction, KeyValue, Keyword, ParseResult, Problem,
    Severity, Word,
};

/// `ONBUILD ONBUILD ...` deeper than this is refused instead of parsed (BuildKit refuses any chaining).
const MAX_ONBUILD_NESTING: usize = 8;

/// BuildKit reads lines with Go's `bufio.Scanner`, which refuses a line (newline included) longer than this.
const MAX_LINE: usize = 64 * 1024;

/// One physical line: where it starts, where its text ends (before `\r`/`\n`) and where the next starts.
#[derive(Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
    next: usize,
}

struct Lines<'a> {
    text: &'a str,
    pos: usize,
    /// Start offsets of lines longer than [`MAX_LINE`].
    too_long: Vec<usize>,
}

impl Iterator for Lines<'_> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.pos;
        let next = self.text[start..].find('\n').map_or(self.text.len(), |i| start + i + 1);
        let end = start + self.text[start..next].trim_end_matches(['\r', '\n']).len();
        if next - start > MAX_LINE {
            self.too_long.push(start);
        }
        self.pos = next;
        Some(Line { start, end, next })
    }
}

/// A logical line: continuation pieces joined, with the source offset of each piece.
struct Logical {
    text: String,
    /// (offset in `text`, offset in the source) of each piece, in order.
    segments: Vec<(usize, usize)>,
}

impl Logical {
    fn push(&mut self, piece: &str, source: usize) {
        self.segments.push((self.text.len(), source));
        self.text.push_str(piece);
    }

    /// The source offset of logical offset `pos` taken as the start of a range.
    fn start(&self, pos: usize) -> usize {
        let i = self.segments.partition_point(|&(l, _)| l <= pos).saturating_sub(1);
        self.segments.get(i).map_or(pos, |&(l, s)| s + (pos - l))
    }

    /// The source offset of logical offset `pos` taken as the end of a range.
    fn end(&self, pos: usize) -> usize {
        let i = self.segments.partition_point(|&(l, _)| l < pos).saturating_sub(1);
        self.segments.get(i).map_or(pos, |&(l, s)| s + pos.saturating_sub(l))
    }

    fn span(&self, start: usize, end: usize) -> Span {
        let s = self.start(start);
        Span::new(s, self.end(end).max(s))
    }

    fn word(&self, base: usize, p: Piece) -> Word {
        Word { span: self.span(base + p.start, base + p.end), text: p.text }
    }
}

/// Parses `text` the way BuildKit's `parser.Parse` does, collecting every problem instead of stopping.
pub fn parse(text: &str) -> ParseResult {
    let mut p = Parser {
        text,
        escape: '\\',
        directives_done: false,
        directives: Vec::new(),
        comments: Vec::new(),
        instructions: Vec::new(),
        problems: Vec::new(),
    };
    p.run();
    let Parser { escape, directives, comments, instructions, problems, .. } = p;
    ParseResult {
        syntax: Dockerfile { directives, escape, instructions, comments, lines: LineIndex::new(text) },
        problems,
    }
}

struct Parser<'a> {
    text: &'a str,
    escape: char,
    directives_done: bool,
    directives: Vec<Directive>,
    comments: Vec<Comment>,
    instructions: Vec<Instruction>,
    problems: Vec<Problem>,
}

fn trim_leading_ws(s: &str) -> &str {
    s.trim_start()
}

fn is_comment(s: &str) -> bool {
    trim_leading_ws(s).starts_with('#')
}

/// Go's regexp `\s`: ASCII space, tab, newline, form feed, carriage return.
fn is_re_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{c}' | '\r')
}

impl<'a> Parser<'a> {
    fn error(&mut self, message: String, span: Span, line: usize) {
        self.problems.push(Problem { severity: Severity::Error, message, span, line });
    }

    fn line_text(&self, l: Line) -> &'a str {
        let text: &'a str = self.text;
        text.get(l.start..l.end).unwrap_or("")
    }

    fn run(&mut self) {
        let bom = if self.text.starts_with('\u{FEFF}') { 3 } else { 0 };
        let mut lines = Lines { text: self.text, pos: bom, too_long: Vec::new() };
        let mut current_line = 0usize;
        let mut prev_comments: Vec<Comment> = Vec::new();
        while let Some(line) = lines.next() {
            let raw = self.line_text(line);
            current_line += 1;
            if is_comment(raw) {
                let comment = self.comment(line, current_line);
                if comment.text.is_empty() {
                    prev_comments.clear();
                } else {
                    prev_comments.push(comment.clone());
                }
                self.comments.push(comment);
            }
            let token = trim_leading_ws(raw);
            let token_start = line.end - token.len();
            self.possible_directive(token, token_start, line, current_line);
            if token.starts_with('#') {
                continue;
            }
            let start_line = current_line;
            let (first, mut end_of_line) = self.trim_continuation(token);
            if end_of_line && first.is_empty() {
                continue;
            }
            let mut logical = Logical { text: String::with_capacity(token.len()), segments: Vec::new() };
            logical.push(first, token_start);
            let mut last_end = line.end;
            let mut empty_lines = Vec::new();
            while !end_of_line {
                let Some(next) = lines.next() else { break };
                let raw = self.line_text(next);
                current_line += 1;
                self.possible_directive(raw, next.start, next, current_line);
                if is_comment(raw) {
                    let comment = self.comment(next, current_line);
                    self.comments.push(comment);
                    continue;
                }
                if trim_leading_ws(raw).is_empty() {
                    empty_lines.push(current_line);
                    continue;
                }
                let (piece, eol) = self.trim_continuation(raw);
                end_of_line = eol;
                logical.push(piece, next.start);
                last_end = next.end;
            }
            if !empty_lines.is_empty() {
                let line_no = current_line;
                self.problems.push(Problem {
                    severity: Severity::Warning,
                    message: format!("Empty continuation line found in: {}", logical.text),
                    span: Span::new(token_start, last_end),
                    line: line_no,
                });
            }
            let mut ins = self.node_from_line(&logical, 0, &logical.text, start_line, current_line, 0);
            ins.comments = std::mem::take(&mut prev_comments);
            ins.empty_continuation_lines = empty_lines;
            if can_contain_heredoc(&ins) && logical.text.contains("<<") {
                match heredocs_from_line(&logical.text) {
                    Ok(docs) => {
                        let mut search_from = 0;
                        for (raw_words, mut doc) in docs {
                            doc.marker_span = Span::new(ins.span.start, ins.span.start);
                            let mut marker: Option<(usize, usize)> = None;
                            for raw in &raw_words {
                                let Some(i) = logical.text.get(search_from..).and_then(|s| s.find(raw.as_str())) else {
                                    break;
                                };
                                let at = search_from + i;
                                marker = Some((marker.map_or(at, |m| m.0), at + raw.len()));
                                search_from = at + raw.len();
                            }
                            if let Some((a, b)) = marker {
                                doc.marker_span = logical.span(a, b);
                            }
                            let mut terminated = false;
                            let body_start = lines.pos;
                            let mut body_end = body_start;
                            for body_line in lines.by_ref() {
                                current_line += 1;
                                let content = self.line_text(body_line);
                                let candidate = if doc.chomp { content.trim_start_matches('\t') } else { content };
                                if candidate == doc.name {
                                    terminated = true;
                                    doc.terminator_span = Span::new(body_line.start, body_line.end);
                                    last_end = body_line.end;
                                    break;
                                }
                                doc.content.push_str(self.text.get(body_line.start..body_line.next).unwrap_or(""));
                                body_end = body_line.next;
                                last_end = body_line.end;
                            }
                            doc.body_span = Span::new(body_start.min(body_end), body_end);
                            if !terminated {
                                let span = Span::new(ins.span.start, self.text.len());
                                self.error("unterminated heredoc".into(), span, start_line);
                                ins.heredocs.push(doc);
                                break;
                            }
                            ins.heredocs.push(doc);
                        }
                    }
                    Err(message) => {
                        let span = ins.span;
                        self.error(message, span, start_line);
                    }
                }
            }
            ins.end_line = current_line;
            ins.span.end = last_end.max(ins.span.start);
            if let Args::Onbuild(inner) = &mut ins.args {
                inner.end_line = current_line;
                inner.span.end = ins.span.end;
            }
            self.instructions.push(ins);
        }
        if !lines.too_long.is_empty() {
            let index = LineIndex::new(self.text);
            for start in std::mem::take(&mut lines.too_long) {
                let message = format!("dockerfile line greater than max allowed size of {}", MAX_LINE - 1);
                self.error(message, Span::new(start, start), index.line_of(start));
            }
            self.problems.sort_by_key(|p| p.line);
        }
        if self.instructions.is_empty() {
            let end = self.text.len();
            self.error("file with no instructions".into(), Span::new(end, end), current_line.max(1));
        }
    }

    fn comment(&self, line: Line, line_no: usize) -> Comment {
        let raw = self.line_text(line);
        let body = trim_leading_ws(raw);
        let start = line.end - body.len();
        Comment { text: body[1..].trim().to_string(), span: Span::new(start, line.end), line: line_no }
    }

    /// BuildKit's directive scan: only `#` lines at the very top count; the first other line ends it.
    fn possible_directive(&mut self, token: &str, token_start: usize, line: Line, line_no: usize) {
        if self.directives_done {
            return;
        }
        let Some(after_hash) = token.strip_prefix('#') else {
            self.directives_done = true;
            return;
        };
        let body = after_hash.trim_start();
        let name_len = body
            .char_indices()
            .find(|&(i, c)| !(c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit())))
            .map_or(body.len(), |(i, _)| i);
        let after_name = body[name_len..].trim_start_matches(is_re_space);
        let value_part = after_name.strip_prefix('=').map(|v| v.trim_start_matches(is_re_space));
        let (Some(mut value), true) = (value_part, name_len > 0) else {
            self.directives_done = true;
            return;
        };
        if value.is_empty() {
            // `(.+?)` needs one character: the regexp backtracks into the spaces after `=`.
            let raw_value = after_name.get(1..).unwrap_or("");
            match raw_value.char_indices().last() {
                Some((i, _)) => value = &raw_value[i..],
                None => {
                    self.directives_done = true;
                    return;
                }
            }
        } else {
            value = value.trim_end_matches(is_re_space);
        }
        let name = body[..name_len].to_ascii_lowercase();
        if !matches!(name.as_str(), "syntax" | "escape" | "check") {
            self.directives_done = true;
            return;
        }
        let value_start = token_start + (value.as_ptr() as usize - token.as_ptr() as usize);
        let span = Span::new(token_start, line.end);
        if self.directives.iter().any(|d| d.name == name) {
            self.error(format!("only one {name} parser directive can be used"), span, line_no);
            return;
        }
        if name == "escape" {
            match value {
                "\\" => self.escape = '\\',
                "`" => self.escape = '`',
                _ => {
                    self.error(format!("invalid escape token '{value}' does not match ` or \\"), span, line_no);
                }
            }
        }
        self.directives.push(Directive {
            name,
            value: value.to_string(),
            span,
            value_span: Span::new(value_start, value_start + value.len()),
            line: line_no,
        });
    }

    /// BuildKit's `lineContinuationRegex`: the escape character last on the line (trailing spaces
    /// and tabs allowed) and not itself escaped. Returns the line without it and whether the
    /// instruction ends here.
    fn trim_continuation<'s>(&self, line: &'s str) -> (&'s str, bool) {
        let trimmed = line.trim_end_matches([' ', '\t']);
        let Some(before) = trimmed.strip_suffix(self.escape) else {
            return (line, true);
        };
        if before.ends_with(self.escape) {
            return (line, true);
        }
        (before, false)
    }

    /// BuildKit's `newNodeFromLine` for `line`, which sits at `base` in the logical line.
    fn node_from_line(
        &mut self,
        logical: &Logical,
        base: usize,
        line: &str,
        start_line: usize,
        end_line: usize,
        depth: usize,
    ) -> Instruction {
        let (cmd, flags, (a0, a1)) = split_command(line);
        let keyword = Keyword::from_word(&cmd.text);
        let rest = &line[a0..a1];
        let keyword_word = logical.word(base, cmd);
        let flags: Vec<Flag> = flags.into_iter().map(|f| make_flag(logical, base, f, self.text)).collect();
        let parsed: Result<(RawArgs, bool), String> = match keyword {
            Keyword::Add | Keyword::Copy | Keyword::Volume => parse_maybe_json_to_list(rest),
            Keyword::Arg => Ok((list_or_empty(parse_words(rest, self.escape)), false)),
            Keyword::Cmd | Keyword::Entrypoint | Keyword::Run | Keyword::Shell => parse_maybe_json(rest),
            Keyword::Env => parse_name_val(rest, "ENV", self.escape).map(|a| (a, false)),
            Keyword::Label => parse_name_val(rest, "LABEL", self.escape).map(|a| (a, false)),
            Keyword::Expose | Keyword::From => Ok((parse_whitespace_delimited(rest), false)),
            Keyword::Healthcheck => parse_health_config(rest),
            Keyword::Maintainer | Keyword::Stopsignal | Keyword::User | Keyword::Workdir | Keyword::Unknown => {
                Ok((text_or_empty(rest), false))
            }
            Keyword::Onbuild => Ok((RawArgs::Empty, false)),
        };
        let span_start = keyword_word.span.start;
        let mut ins = Instruction {
            keyword,
            keyword_word,
            span: Span::new(span_start, logical.end(base + line.len()).max(span_start)),
            start_line,
            end_line,
            original: line.to_string(),
            flags,
            args: Args::Empty,
            json: false,
            heredocs: Vec::new(),
            comments: Vec::new(),
            empty_continuation_lines: Vec::new(),
        };
        if keyword == Keyword::Onbuild {
            if depth >= MAX_ONBUILD_NESTING {
                let span = ins.span;
                self.error(format!("ONBUILD nested more than {MAX_ONBUILD_NESTING} deep"), span, start_line);
            } else if !rest.is_empty() {
                let inner = self.node_from_line(logical, base + a0, rest, start_line, end_line, depth + 1);
                ins.args = Args::Onbuild(Box::new(inner));
            }
            return ins;
        }
        match parsed {
            Ok((raw, json)) => {
                ins.args = convert(logical, base + a0, raw);
                ins.json = json;
            }
            Err(message) => {
                let span = ins.span;
                self.error(message, span, start_line);
            }
        }
        ins
    }
}

fn list_or_empty(words: Vec<Piece>) -> RawArgs {
    if words.is_empty() {
        RawArgs::Empty
    } else {
        RawArgs::List(words)
    }
}

fn text_or_empty(rest: &str) -> RawArgs {
    if rest.is_empty() {
        RawArgs::Empty
    } else {
        RawArgs::Text(Piece { text: rest.to_string(), start: 0, end: rest.len() })
    }
}

fn make_flag(logical: &Logical, base: usize, f: Piece, text: &str) -> Flag {
    let span = logical.span(base + f.start, base + f.end);
    let body = f.text.strip_prefix("--").unwrap_or(&f.text);
    let (name, value) = match body.split_once('=') {
        Some((n, v)) => (n.to_string(), Some(v.to_string())),
        None => (body.to_string(), None),
    };
    let source = span.slice(text);
    let name_start = (span.start + 2).min(span.end);
    let (name_span, value_span) = match source.find('=') {
        Some(eq) if value.is_some() => {
            (Span::new(name_start, span.start + eq), Some(Span::new(span.start + eq + 1, span.end)))
        }
        _ => (Span::new(name_start, span.end), None),
    };
    Flag { raw: f.text, name, value, span, name_span, value_span }
}

fn convert(logical: &Logical, base: usize, raw: RawArgs) -> Args {
    let words = |v: Vec<Piece>| v.into_iter().map(|p| logical.word(base, p)).collect();
    match raw {
        RawArgs::Empty => Args::Empty,
        RawArgs::Json(v) => Args::Json(words(v)),
        RawArgs::List(v) => Args::List(words(v)),
        RawArgs::Text(p) => Args::Text(logical.word(base, p)),
        RawArgs::Pairs(v) => Args::Pairs(
            v.into_iter()
                .map(|(k, val, legacy)| KeyValue { key: logical.word(base, k), value: logical.word(base, val), legacy })
                .collect(),
        ),
        RawArgs::Healthcheck(kind, cmd) => {
            Args::Healthcheck { kind: logical.word(base, kind), command: Box::new(convert(logical, base, *cmd)) }
        }
    }
}

/// BuildKit's `canContainHeredoc`: `RUN`, `COPY`, `ADD` (also as ONBUILD triggers) in shell form.
fn can_contain_heredoc(ins: &Instruction) -> bool {
    let target = match &ins.args {
        Args::Onbuild(inner) if ins.keyword == Keyword::Onbuild => inner.as_ref(),
        _ => ins,
    };
    matches!(target.keyword, Keyword::Run | Keyword::Copy | Keyword::Add) && !target.json
}

/// BuildKit's `heredocsFromLine`: every word of the line (lexed with raw quotes and escapes) that
/// looks like `[n]<<[-]WORD` (or `<<` followed by a separate word). Returns each heredoc with the
/// raw marker words, for locating them.
fn heredocs_from_line(line: &str) -> Result<Vec<(Vec<String>, Heredoc)>, String> {
    let raw_opts =
        LexOptions { raw_quotes: true, raw_escapes: true, skip_unset_env: true, ..LexOptions::with_escape('\\') };
    let words = expand(line, &NoEnv, raw_opts).map(|e| e.words).unwrap_or_default();
    let mut docs = Vec::new();
    let mut i = 0;
    while let Some(word) = words.get(i) {
        i += 1;
        if let Some(doc) = parse_heredoc(word)? {
            docs.push((vec![word.clone()], doc));
            continue;
        }
        // `<< EOF` and `<<- EOF`: the delimiter may follow the operator after spaces.
        let digits = word.bytes().take_while(u8::is_ascii_digit).count();
        let operator = matches!(&word[digits..], "<<" | "<<-");
        if let (true, Some(next)) = (operator, words.get(i)) {
            if let Some(doc) = parse_heredoc(&format!("{word} {next}"))? {
                docs.push((vec![word.clone(), next.clone()], doc));
                i += 1;
            }
        }
    }
    Ok(docs)
}

/// BuildKit's `ParseHeredoc`: matches `^(\d*)<<(-?)([^<]*)$` and reads the delimiter word.
/// `Ok(None)` when `src` is not a heredoc marker; `Err` when its delimiter cannot be lexed.
pub fn parse_heredoc(src: &str) -> Result<Option<Heredoc>, String> {
    let digits = src.bytes().take_while(u8::is_ascii_digit).count();
    let Some(after) = src[digits..].strip_prefix("<<") else {
        return Ok(None);
    };
    let (chomp, rest) = match after.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, after),
    };
    if rest.contains('<') || rest.is_empty() {
        return Ok(None);
    }
    let fd = src[..digits].parse::<u32>().unwrap_or(0);
    let opts = LexOptions { skip_unset_env: true, ..LexOptions::with_escape('\\') };
    let words = expand(rest, &NoEnv, opts)?.words;
    if words.len() != 1 {
        return Ok(None);
    }
    let raw = expand(rest, &NoEnv, LexOptions { raw_quotes: true, ..opts })?.words;
    if raw.len() != words.len() {
        return Err(format!("internal lexing of heredoc produced inconsistent results: {rest}"));
    }
    let quotes = |s: &str| s.chars().filter(|&c| c == '\'' || c == '"').count();
    let name = words.into_iter().next().unwrap_or_default();
    let expand_body = raw.first().is_some_and(|r| quotes(r) == quotes(&name));
    Ok(Some(Heredoc {
        name,
        fd,
        expand: expand_body,
        chomp,
        content: String::new(),
        marker_span: Span::default(),
        body_span: Span::default(),
        terminator_span: Span::default(),
    }))
}
