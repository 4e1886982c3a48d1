//! BuildKit's per-instruction argument parsers (`line_parsers.go`, `split_command.go`), working on
//! the logical line and reporting the byte range each piece came from.

use super::json::{parse_array, JsonArray};
use super::quote::go_quote;

/// A piece of the logical line: its value and its byte range in that line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Piece {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

impl Piece {
    fn new(text: impl Into<String>, start: usize, end: usize) -> Piece {
        Piece { text: text.into(), start, end }
    }
}

/// The arguments as parsed, with ranges relative to the string given to the parser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RawArgs {
    Empty,
    Json(Vec<Piece>),
    Text(Piece),
    List(Vec<Piece>),
    Pairs(Vec<(Piece, Piece, bool)>),
    Healthcheck(Piece, Box<RawArgs>),
}

/// The whitespace of Go's `reWhitespace` / `tokenWhitespace`: `[\t\v\f\r ]`.
fn is_token_ws(c: char) -> bool {
    matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ')
}

/// The ASCII part of Go's `unicode.IsSpace` applied to single bytes.
fn is_byte_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ')
}

/// Splits a trimmed line into command word, flags and the rest, as `splitCommand` does.
/// Returns the command range, the flags and the (trimmed) argument range, all relative to `line`.
pub(crate) fn split_command(line: &str) -> (Piece, Vec<Piece>, (usize, usize)) {
    let trimmed = line.trim();
    let t0 = line.len() - line.trim_start().len();
    let cmd_len = trimmed.find(is_token_ws).unwrap_or(trimmed.len());
    let cmd = Piece::new(&trimmed[..cmd_len], t0, t0 + cmd_len);
    if cmd_len == trimmed.len() {
        let end = t0 + cmd_len;
        return (cmd, Vec::new(), (end, end));
    }
    let ws = trimmed[cmd_len..].len() - trimmed[cmd_len..].trim_start_matches(is_token_ws).len();
    let rest_start = cmd_len + ws;
    let rest = &trimmed[rest_start..];
    let (args_at, mut flags) = extract_builder_flags(rest);
    let base = t0 + rest_start;
    for f in &mut flags {
        f.start += base;
        f.end += base;
    }
    let args = &rest[args_at..];
    let a0 = base + args_at + (args.len() - args.trim_start().len());
    (cmd, flags, (a0, a0 + args.trim().len()))
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Phase {
    Spaces,
    Word,
    Quote,
}

/// Reads the leading `--flags` (byte by byte, as BuildKit does) and returns where the arguments start.
fn extract_builder_flags(line: &str) -> (usize, Vec<Piece>) {
    let b = line.as_bytes();
    let len = b.len();
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut quote = 0u8;
    let mut blank_ok = false;
    let mut start = 0;
    let mut pos = 0;
    while pos <= len {
        let mut ch = b.get(pos).copied().unwrap_or(0);
        if phase == Phase::Spaces {
            if pos == len {
                break;
            }
            if is_byte_space(ch) {
                pos += 1;
                continue;
            }
            if ch != b'-' || pos + 1 == len || b.get(pos + 1) != Some(&b'-') {
                return (pos, words);
            }
            phase = Phase::Word;
            start = pos;
        }
        if pos == len {
            if word != "--" && (blank_ok || !word.is_empty()) {
                words.push(Piece::new(word, start, len));
            }
            break;
        }
        if phase == Phase::Word {
            if is_byte_space(ch) {
                phase = Phase::Spaces;
                if word == "--" {
                    return (pos, words);
                }
                if blank_ok || !word.is_empty() {
                    words.push(Piece::new(std::mem::take(&mut word), start, pos));
                }
                word.clear();
                blank_ok = false;
                pos += 1;
                continue;
            }
            if ch == b'\'' || ch == b'"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
                pos += 1;
                continue;
            }
            if ch == b'\\' {
                if pos + 1 == len {
                    pos += 1;
                    continue;
                }
                pos += 1;
                ch = b[pos];
            }
            word.push(char::from(ch));
            pos += 1;
            continue;
        }
        // Inside quotes.
        if ch == quote {
            phase = Phase::Word;
            pos += 1;
            continue;
        }
        if ch == b'\\' {
            if pos + 1 == len {
                phase = Phase::Word;
                pos += 1;
                continue;
            }
            pos += 1;
            ch = b[pos];
        }
        word.push(char::from(ch));
        pos += 1;
    }
    (len, words)
}

fn char_at(s: &str, pos: usize) -> (char, usize) {
    s.get(pos..).and_then(|r| r.chars().next()).map_or(('\0', 0), |c| (c, c.len_utf8()))
}

/// BuildKit's `parseWords`: splits on whitespace, keeping quotes and escapes in the words.
pub(crate) fn parse_words(rest: &str, escape: char) -> Vec<Piece> {
    let len = rest.len();
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut word = String::new();
    let mut start = 0;
    let mut pos = 0;
    let mut ch = '\0';
    let mut w = 0;
    while pos <= len {
        if pos != len {
            (ch, w) = char_at(rest, pos);
        }
        if phase == Phase::Spaces {
            if pos == len {
                break;
            }
            if ch.is_whitespace() {
                pos += w;
                continue;
            }
            phase = Phase::Word;
            start = pos;
        }
        if pos == len {
            if blank_ok || !word.is_empty() {
                words.push(Piece::new(std::mem::take(&mut word), start, len));
            }
            break;
        }
        if phase == Phase::Word {
            if ch.is_whitespace() {
                phase = Phase::Spaces;
                if blank_ok || !word.is_empty() {
                    words.push(Piece::new(std::mem::take(&mut word), start, pos));
                }
                word.clear();
                blank_ok = false;
                pos += w;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
            }
            if ch == escape {
                if pos + w == len {
                    pos += w;
                    continue;
                }
                word.push(ch);
                pos += w;
                (ch, w) = char_at(rest, pos);
            }
            word.push(ch);
            pos += w;
            continue;
        }
        // Inside quotes.
        if ch == quote {
            phase = Phase::Word;
        }
        if ch == escape && quote != '\'' {
            if pos + w == len {
                phase = Phase::Word;
                pos += w;
                continue;
            }
            pos += w;
            word.push(ch);
            (ch, w) = char_at(rest, pos);
        }
        word.push(ch);
        pos += w;
    }
    words
}

/// Splits `rest` on runs of `[\t\v\f\r ]` (BuildKit's `parseStringsWhitespaceDelimited`).
pub(crate) fn parse_whitespace_delimited(rest: &str) -> RawArgs {
    if rest.is_empty() {
        return RawArgs::Empty;
    }
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_ws = false;
    for (i, c) in rest.char_indices() {
        if is_token_ws(c) {
            if !in_ws {
                out.push(Piece::new(&rest[start..i], start, i));
                in_ws = true;
            }
        } else if in_ws {
            start = i;
            in_ws = false;
        }
    }
    if in_ws {
        out.push(Piece::new("", rest.len(), rest.len()));
    } else {
        out.push(Piece::new(&rest[start..], start, rest.len()));
    }
    RawArgs::List(out)
}

/// BuildKit's `parseNameVal` for `ENV` and `LABEL`; `key` is the instruction name for messages.
pub(crate) fn parse_name_val(rest: &str, key: &str, escape: char) -> Result<RawArgs, String> {
    let words = parse_words(rest, escape);
    let Some(first) = words.first() else {
        return Ok(RawArgs::Empty);
    };
    if !first.text.contains('=') {
        let Some(i) = rest.find(is_token_ws) else {
            return Err(format!("{key} must have two arguments"));
        };
        let j = i + (rest[i..].len() - rest[i..].trim_start_matches(is_token_ws).len());
        let k = Piece::new(&rest[..i], 0, i);
        let v = Piece::new(&rest[j..], j, rest.len());
        return Ok(RawArgs::Pairs(vec![(k, v, true)]));
    }
    let mut pairs = Vec::with_capacity(words.len());
    for word in words {
        let Some(eq) = word.text.find('=') else {
            return Err(format!(
                "Syntax error - can't find = in {}. Must be of the form: name=value",
                go_quote(&word.text)
            ));
        };
        let key_end = word.start + eq.min(word.end - word.start);
        let k = Piece::new(&word.text[..eq], word.start, key_end);
        let v = Piece::new(&word.text[eq + 1..], (key_end + 1).min(word.end), word.end);
        pairs.push((k, v, false));
    }
    Ok(RawArgs::Pairs(pairs))
}

/// The JSON attempt shared by the "maybe JSON" parsers: `Ok(Some)` for an array of strings,
/// `Ok(None)` for "not JSON", `Err` for a JSON array with non-string elements.
fn parse_json(rest: &str) -> Result<Option<Vec<Piece>>, String> {
    let lead = rest.len() - rest.trim_start().len();
    let body = &rest[lead..];
    if !body.starts_with('[') {
        return Ok(None);
    }
    match parse_array(body) {
        JsonArray::Strings(items) => {
            Ok(Some(items.into_iter().map(|(t, s, e)| Piece::new(t, lead + s, lead + e)).collect()))
        }
        JsonArray::NotStrings => Err("when using JSON array syntax, arrays must be comprised of strings only".into()),
        JsonArray::Invalid => Ok(None),
    }
}

/// BuildKit's `parseMaybeJSON` (`RUN`, `CMD`, `ENTRYPOINT`, `SHELL`); the bool is the JSON attribute.
pub(crate) fn parse_maybe_json(rest: &str) -> Result<(RawArgs, bool), String> {
    if rest.is_empty() {
        return Ok((RawArgs::Empty, false));
    }
    Ok(match parse_json(rest)? {
        Some(items) => (RawArgs::Json(items), true),
        None => (RawArgs::Text(Piece::new(rest, 0, rest.len())), false),
    })
}

/// BuildKit's `parseMaybeJSONToList` (`ADD`, `COPY`, `VOLUME`).
pub(crate) fn parse_maybe_json_to_list(rest: &str) -> Result<(RawArgs, bool), String> {
    Ok(match parse_json(rest)? {
        Some(items) => (RawArgs::Json(items), true),
        None => (parse_whitespace_delimited(rest), false),
    })
}

/// BuildKit's `parseHealthConfig`: the type word, then the command as in `parseMaybeJSON`.
pub(crate) fn parse_health_config(rest: &str) -> Result<(RawArgs, bool), String> {
    let sep = rest.bytes().position(is_byte_space).unwrap_or(rest.len());
    if sep == 0 {
        return Ok((RawArgs::Empty, false));
    }
    let next = sep + rest.as_bytes()[sep..].iter().take_while(|&&b| is_byte_space(b)).count();
    let kind = Piece::new(&rest[..sep], 0, sep);
    let (cmd, json) = parse_maybe_json(&rest[next..])?;
    Ok((RawArgs::Healthcheck(kind, Box::new(shift(cmd, next))), json))
}

/// Moves every range in `args` right by `by` bytes.
pub(crate) fn shift(args: RawArgs, by: usize) -> RawArgs {
    let mv = |p: Piece| Piece { start: p.start + by, end: p.end + by, ..p };
    match args {
        RawArgs::Empty => RawArgs::Empty,
        RawArgs::Json(v) => RawArgs::Json(v.into_iter().map(mv).collect()),
        RawArgs::List(v) => RawArgs::List(v.into_iter().map(mv).collect()),
        RawArgs::Text(p) => RawArgs::Text(mv(p)),
        RawArgs::Pairs(v) => RawArgs::Pairs(v.into_iter().map(|(k, v, l)| (mv(k), mv(v), l)).collect()),
        RawArgs::Healthcheck(k, c) => RawArgs::Healthcheck(mv(k), Box::new(shift(*c, by))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(p: &[Piece]) -> Vec<&str> {
        p.iter().map(|p| p.text.as_str()).collect()
    }

    #[test]
    fn flags_are_split_like_buildkit() {
        let (cmd, flags, (a, b)) = split_command("COPY --link --from=build /a /b");
        assert_eq!(cmd.text, "COPY");
        assert_eq!(texts(&flags), ["--link", "--from=build"]);
        assert_eq!(&"COPY --link --from=build /a /b"[a..b], "/a /b");
        let (_, flags, _) = split_command("RUN --mount=type=cache,target=\"/a b\" -- --x");
        assert_eq!(texts(&flags), ["--mount=type=cache,target=/a b"]);
    }

    #[test]
    fn words_keep_quotes_and_escapes() {
        let w = parse_words(r#"abc="123 456" def \"x"#, '\\');
        assert_eq!(texts(&w), [r#"abc="123 456""#, "def", r#"\"x"#]);
        assert_eq!((w[1].start, w[1].end), (14, 17));
    }
}
