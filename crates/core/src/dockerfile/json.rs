//! Decoding of the JSON (exec) form, with the semantics of Go's `json.Unmarshal` into `[]any` (as
//! current BuildKit does): the whole text must be one JSON array (whitespace around it allowed); a
//! valid array with a non-string element is an error, anything else invalid means "not JSON"
//! (BuildKit then falls back to the shell form).

/// What the text after an instruction's flags is, read as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum JsonArray {
    /// A valid array of strings: each decoded string with its byte range (quotes included).
    Strings(Vec<(String, usize, usize)>),
    /// A valid JSON array with an element that is not a string (BuildKit refuses this).
    NotStrings,
    /// Not a valid JSON array.
    Invalid,
}

/// Reads `s` (which must start with `[`) as a JSON array of strings and nothing else.
pub(crate) fn parse_array(s: &str) -> JsonArray {
    let b = s.as_bytes();
    if b.first() != Some(&b'[') {
        return JsonArray::Invalid;
    }
    let mut pos = skip_ws(b, 1);
    let mut items = Vec::new();
    let mut all_strings = true;
    if b.get(pos) == Some(&b']') {
        return if skip_ws(b, pos + 1) == b.len() { JsonArray::Strings(items) } else { JsonArray::Invalid };
    }
    loop {
        pos = skip_ws(b, pos);
        if b.get(pos) == Some(&b'"') {
            match parse_string(b, pos) {
                Some((text, end)) => {
                    items.push((text, pos, end));
                    pos = end;
                }
                None => return JsonArray::Invalid,
            }
        } else {
            match skip_value(b, pos) {
                Some(end) => {
                    all_strings = false;
                    pos = end;
                }
                None => return JsonArray::Invalid,
            }
        }
        pos = skip_ws(b, pos);
        match b.get(pos) {
            Some(b',') => pos += 1,
            Some(b']') => break,
            _ => return JsonArray::Invalid,
        }
    }
    if skip_ws(b, pos + 1) != b.len() {
        return JsonArray::Invalid;
    }
    if all_strings {
        JsonArray::Strings(items)
    } else {
        JsonArray::NotStrings
    }
}

fn skip_ws(b: &[u8], mut pos: usize) -> usize {
    while matches!(b.get(pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        pos += 1;
    }
    pos
}

/// Go's decoder refuses values nested deeper than this.
const MAX_DEPTH: usize = 10_000;

/// Validates one JSON value starting at `pos` and returns where it ends.
fn skip_value(b: &[u8], mut pos: usize) -> Option<usize> {
    let mut stack: Vec<u8> = Vec::new();
    loop {
        // Expect a value.
        pos = skip_ws(b, pos);
        match *b.get(pos)? {
            b'"' => pos = parse_string(b, pos)?.1,
            b'-' | b'0'..=b'9' => pos = skip_number(b, pos)?,
            b't' => pos = skip_literal(b, pos, b"true")?,
            b'f' => pos = skip_literal(b, pos, b"false")?,
            b'n' => pos = skip_literal(b, pos, b"null")?,
            open @ (b'[' | b'{') => {
                let close = if open == b'[' { b']' } else { b'}' };
                let inner = skip_ws(b, pos + 1);
                if b.get(inner) == Some(&close) {
                    pos = inner + 1;
                } else {
                    if stack.len() >= MAX_DEPTH {
                        return None;
                    }
                    stack.push(open);
                    pos = inner;
                    if open == b'{' {
                        pos = skip_key(b, pos)?;
                    }
                    continue;
                }
            }
            _ => return None,
        }
        // After a value: close containers or move to the next element.
        loop {
            let Some(&top) = stack.last() else { return Some(pos) };
            pos = skip_ws(b, pos);
            match (*b.get(pos)?, top) {
                (b',', _) => {
                    pos += 1;
                    if top == b'{' {
                        pos = skip_key(b, pos)?;
                    }
                    break;
                }
                (b']', b'[') | (b'}', b'{') => {
                    stack.pop();
                    pos += 1;
                }
                _ => return None,
            }
        }
    }
}

/// Skips `"key" :` and returns the position after the colon.
fn skip_key(b: &[u8], pos: usize) -> Option<usize> {
    let pos = skip_ws(b, pos);
    if b.get(pos) != Some(&b'"') {
        return None;
    }
    let pos = skip_ws(b, parse_string(b, pos)?.1);
    (b.get(pos) == Some(&b':')).then_some(pos + 1)
}

fn skip_literal(b: &[u8], pos: usize, lit: &[u8]) -> Option<usize> {
    b.get(pos..pos + lit.len()).filter(|s| *s == lit).map(|_| pos + lit.len())
}

fn skip_number(b: &[u8], mut pos: usize) -> Option<usize> {
    let digits = |b: &[u8], mut p: usize| {
        let s = p;
        while b.get(p).is_some_and(u8::is_ascii_digit) {
            p += 1;
        }
        (p > s).then_some(p)
    };
    if b.get(pos) == Some(&b'-') {
        pos += 1;
    }
    match b.get(pos)? {
        b'0' => pos += 1,
        b'1'..=b'9' => pos = digits(b, pos)?,
        _ => return None,
    }
    if b.get(pos) == Some(&b'.') {
        pos = digits(b, pos + 1)?;
    }
    if matches!(b.get(pos), Some(b'e' | b'E')) {
        pos += 1;
        if matches!(b.get(pos), Some(b'+' | b'-')) {
            pos += 1;
        }
        pos = digits(b, pos)?;
    }
    Some(pos)
}

fn hex4(b: &[u8], pos: usize) -> Option<u32> {
    let s = std::str::from_utf8(b.get(pos..pos + 4)?).ok()?;
    if !s.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(s, 16).ok()
}

/// Decodes the JSON string starting at `pos` (a `"`); returns the text and the position after it.
fn parse_string(b: &[u8], pos: usize) -> Option<(String, usize)> {
    let mut out: Vec<u8> = Vec::new();
    let mut p = pos + 1;
    loop {
        let c = *b.get(p)?;
        match c {
            b'"' => return Some((String::from_utf8(out).ok()?, p + 1)),
            0..=0x1f => return None,
            b'\\' => {
                let e = *b.get(p + 1)?;
                p += 2;
                let simple = match e {
                    b'"' => Some(b'"'),
                    b'\\' => Some(b'\\'),
                    b'/' => Some(b'/'),
                    b'b' => Some(8),
                    b'f' => Some(12),
                    b'n' => Some(b'\n'),
                    b'r' => Some(b'\r'),
                    b't' => Some(b'\t'),
                    b'u' => None,
                    _ => return None,
                };
                if let Some(s) = simple {
                    out.push(s);
                    continue;
                }
                let mut r = hex4(b, p)?;
                p += 4;
                if (0xd800..0xe000).contains(&r) {
                    let low = (b.get(p) == Some(&b'\\') && b.get(p + 1) == Some(&b'u'))
                        .then(|| hex4(b, p + 2))
                        .flatten()
                        .filter(|l| (0xdc00..0xe000).contains(l) && r < 0xdc00);
                    match low {
                        Some(l) => {
                            r = 0x10000 + ((r - 0xd800) << 10) + (l - 0xdc00);
                            p += 6;
                        }
                        None => r = 0xfffd,
                    }
                }
                let ch = char::from_u32(r).unwrap_or('\u{FFFD}');
                let mut buf = [0u8; 4];
                out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
            }
            _ => {
                out.push(c);
                p += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Option<Vec<String>> {
        match parse_array(s) {
            JsonArray::Strings(v) => Some(v.into_iter().map(|(t, _, _)| t).collect()),
            _ => None,
        }
    }

    #[test]
    fn decodes_strings_and_escapes() {
        assert_eq!(texts(r#"["a", "b"]"#).unwrap(), ["a", "b"]);
        assert_eq!(texts(r#"["\u0041\ud83d\ude00\ud800"]"#).unwrap(), ["A😀\u{fffd}"]);
        assert_eq!(texts("[]").unwrap(), Vec::<String>::new());
        assert_eq!(texts("[\"a\"] \t"), Some(vec!["a".to_string()]));
        assert_eq!(texts(r#"["a"] trailing"#), None);
    }

    #[test]
    fn distinguishes_invalid_from_non_strings() {
        assert_eq!(parse_array(r#"["a", 1]"#), JsonArray::NotStrings);
        assert_eq!(parse_array(r#"[{"a": [1, {}]}]"#), JsonArray::NotStrings);
        assert_eq!(parse_array(r#"['a']"#), JsonArray::Invalid);
        assert_eq!(parse_array(r#"["a", ]"#), JsonArray::Invalid);
        assert_eq!(parse_array(r#"["a"#), JsonArray::Invalid);
        assert_eq!(parse_array("[01]"), JsonArray::Invalid);
    }
}
