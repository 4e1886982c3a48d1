//! The shell wildcard patterns of `${v#p}`, `${v%p}` and `${v/p/r}`, matched with the leftmost-first
//! semantics of the Go regular expressions BuildKit compiles them to (`*` → `.*` or `.*?`, `?` → `.`,
//! neither matching a newline).

/// Patterns longer than this many elements are refused rather than matched, to bound the work.
const MAX_PATTERN: usize = 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Elem {
    Lit(char),
    Any,
    Star,
}

/// A compiled wildcard pattern.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    elems: Vec<Elem>,
    greedy: bool,
    anchored: bool,
}

impl Pattern {
    /// Compiles `pattern` like BuildKit's `convertShellPatternToRegex`.
    pub(crate) fn compile(pattern: &str, greedy: bool, anchored: bool) -> Result<Pattern, String> {
        let mut chars = pattern.chars().peekable();
        let mut elems = Vec::new();
        while let Some(c) = chars.next() {
            match c {
                '*' => elems.push(Elem::Star),
                '?' => elems.push(Elem::Any),
                '\\' => {
                    if matches!(chars.peek(), Some('}') | Some('/')) {
                        continue;
                    }
                    match chars.next() {
                        Some(t @ ('*' | '?' | '\\')) => elems.push(Elem::Lit(t)),
                        Some(t) => return Err(format!("invalid escape '\\{t}'")),
                        None => return Err("invalid escape '\\\u{FFFD}'".to_string()),
                    }
                }
                c => elems.push(Elem::Lit(c)),
            }
            if elems.len() > MAX_PATTERN {
                return Err(format!("pattern longer than {MAX_PATTERN} characters"));
            }
        }
        Ok(Pattern { elems, greedy, anchored })
    }

    /// The first match in `text` at or after `from`, as a char-index range, with the leftmost-first
    /// semantics of Go's regexp. A Pike VM: time proportional to pattern length × text length.
    pub(crate) fn find(&self, text: &[char], from: usize) -> Option<(usize, usize)> {
        let nodes = self.nodes();
        let mut clist = Threads::new(nodes.len());
        let mut nlist = Threads::new(nodes.len());
        let mut matched = None;
        let mut pos = from;
        loop {
            if matched.is_none() && (!self.anchored || pos == from) {
                clist.add(&nodes, 0, pos);
            }
            if clist.list.is_empty() {
                break;
            }
            let ch = text.get(pos).copied();
            nlist.clear();
            for &(node, start) in &clist.list {
                match nodes.get(node) {
                    Some(Node::Match) => {
                        matched = Some((start, pos));
                        break;
                    }
                    Some(&Node::Char(c, next)) if ch == Some(c) => nlist.add(&nodes, next, start),
                    Some(&Node::Any(next)) if ch.is_some_and(|c| c != '\n') => nlist.add(&nodes, next, start),
                    _ => {}
                }
            }
            if ch.is_none() {
                break;
            }
            std::mem::swap(&mut clist, &mut nlist);
            pos += 1;
        }
        matched
    }

    /// The NFA: node 0 is the start, the last node is the match; a star is a split that prefers
    /// (greedy) or avoids (lazy) consuming one more character.
    fn nodes(&self) -> Vec<Node> {
        let mut nodes = Vec::with_capacity(self.elems.len() * 2 + 1);
        for elem in &self.elems {
            let here = nodes.len();
            match elem {
                Elem::Lit(c) => nodes.push(Node::Char(*c, here + 1)),
                Elem::Any => nodes.push(Node::Any(here + 1)),
                Elem::Star => {
                    let (first, second) = if self.greedy { (here + 1, here + 2) } else { (here + 2, here + 1) };
                    nodes.push(Node::Split(first, second));
                    nodes.push(Node::Any(here));
                }
            }
        }
        nodes.push(Node::Match);
        nodes
    }
}

#[derive(Debug, Clone, Copy)]
enum Node {
    Char(char, usize),
    Any(usize),
    Split(usize, usize),
    Match,
}

/// The threads of one step in priority order, each node at most once.
struct Threads {
    list: Vec<(usize, usize)>,
    seen: Vec<bool>,
    stack: Vec<usize>,
}

impl Threads {
    fn new(n: usize) -> Threads {
        Threads { list: Vec::new(), seen: vec![false; n], stack: Vec::new() }
    }

    fn clear(&mut self) {
        self.list.clear();
        self.seen.iter_mut().for_each(|s| *s = false);
    }

    /// Adds `node` and its epsilon closure, higher-priority branches first.
    fn add(&mut self, nodes: &[Node], node: usize, start: usize) {
        self.stack.push(node);
        while let Some(n) = self.stack.pop() {
            match self.seen.get_mut(n) {
                Some(seen) if !*seen => *seen = true,
                _ => continue,
            }
            match nodes.get(n) {
                Some(Node::Split(a, b)) => {
                    self.stack.push(*b);
                    self.stack.push(*a);
                }
                Some(_) => self.list.push((n, start)),
                None => {}
            }
        }
    }
}

/// `${v#p}` / `${v##p}`: removes the shortest (or longest, when `greedy`) prefix matching `pattern`.
pub(crate) fn trim_prefix(pattern: &str, value: &str, greedy: bool) -> Result<String, String> {
    let re = Pattern::compile(pattern, greedy, true)
        .map_err(|e| format!("invalid pattern ({pattern}) in substitution: {e}"))?;
    let chars: Vec<char> = value.chars().collect();
    Ok(match re.find(&chars, 0) {
        Some((_, end)) => chars[end..].iter().collect(),
        None => value.to_string(),
    })
}

/// `${v%p}` / `${v%%p}`: removes the shortest (or longest) suffix matching `pattern`, by reversing
/// both pattern and value as BuildKit does.
pub(crate) fn trim_suffix(pattern: &str, value: &str, greedy: bool) -> Result<String, String> {
    let reversed_value: String = value.chars().rev().collect();
    let trimmed = trim_prefix(&reverse_pattern(pattern), &reversed_value, greedy)?;
    Ok(trimmed.chars().rev().collect())
}

/// Reverses a pattern but keeps each `\x` escape pair in order (`a\*c` → `c\*a`).
fn reverse_pattern(pattern: &str) -> String {
    let runes: Vec<char> = pattern.chars().collect();
    let mut out = vec!['\0'; runes.len()];
    let last = runes.len().saturating_sub(1);
    let mut i = 0;
    while i < runes.len() {
        let out_idx = last - i;
        if runes[i] == '\\' && i != last && out_idx >= 1 {
            out[out_idx - 1] = '\\';
            out[out_idx] = runes[i + 1];
            i += 2;
        } else {
            out[out_idx] = runes[i];
            i += 1;
        }
    }
    out.into_iter().collect()
}

/// `${v/p/r}` and `${v//p/r}`: replaces the first (or every) match of `pattern` in `value`; `None` when
/// the result would be longer than `limit` bytes.
pub(crate) fn replace(
    pattern: &str,
    value: &str,
    replacement: &str,
    all: bool,
    limit: usize,
) -> Result<Option<String>, String> {
    let re = Pattern::compile(pattern, true, false)
        .map_err(|e| format!("invalid pattern ({pattern}) in substitution: {e}"))?;
    let chars: Vec<char> = value.chars().collect();
    if !all {
        let out = match re.find(&chars, 0) {
            Some((a, b)) => {
                let mut out: String = chars[..a].iter().collect();
                out.push_str(replacement);
                out.extend(&chars[b..]);
                out
            }
            None => value.to_string(),
        };
        return Ok(Some(out).filter(|o| o.len() <= limit));
    }
    // Go's Regexp.ReplaceAllString: an empty match right after a match is not replaced, the search
    // always advances, and the replacement is a template (`$0` is the match, other groups are empty).
    let mut out = String::new();
    let mut last_end = 0;
    let mut search = 0;
    while search <= chars.len() {
        let Some((a, b)) = re.find(&chars, search) else { break };
        out.extend(&chars[last_end..a]);
        if b > last_end || a == 0 {
            expand_template(replacement, &chars[a..b], &mut out);
        }
        last_end = b;
        search = if search + 1 > b { search + 1 } else { b };
        if out.len() > limit {
            return Ok(None);
        }
    }
    out.extend(&chars[last_end.min(chars.len())..]);
    Ok(Some(out).filter(|o| o.len() <= limit))
}

/// Expands a Go regexp replacement template for a pattern without capture groups.
fn expand_template(template: &str, matched: &[char], out: &mut String) {
    let mut rest = template;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(r) = rest.strip_prefix('$') {
            out.push('$');
            rest = r;
            continue;
        }
        let (name, after) = if let Some(r) = rest.strip_prefix('{') {
            match r.find('}') {
                Some(j) if j > 0 && r[..j].chars().all(is_template_name_char) => (&r[..j], &r[j + 1..]),
                _ => {
                    out.push('$');
                    continue;
                }
            }
        } else {
            let n = rest.chars().take_while(|&c| is_template_name_char(c)).map(char::len_utf8).sum();
            if n == 0 {
                out.push('$');
                continue;
            }
            (&rest[..n], &rest[n..])
        };
        if name.parse::<usize>() == Ok(0) {
            out.extend(matched);
        }
        rest = after;
    }
    out.push_str(rest);
}

fn is_template_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reverse_pattern_keeps_escapes() {
        assert_eq!(reverse_pattern("a\\*c"), "c\\*a");
        assert_eq!(reverse_pattern("\\\\\\ab"), "b\\a\\\\");
        assert_eq!(reverse_pattern("ab\\"), "\\ba");
        assert_eq!(reverse_pattern("\\\\b"), "b\\\\");
    }

    #[test]
    fn invalid_escapes_are_refused() {
        for p in ["\\", "\\x", "\\\\\\"] {
            assert!(Pattern::compile(p, true, true).is_err(), "{p}");
        }
    }

    #[test]
    fn prefix_and_suffix() {
        assert_eq!(trim_prefix("*x*y", "xxyy", false).unwrap(), "y");
        assert_eq!(trim_prefix("*", "xxyy", false).unwrap(), "xxyy");
        assert_eq!(trim_prefix("*x", "xxyy", true).unwrap(), "yy");
        assert_eq!(trim_prefix("?\\?", "???y", false).unwrap(), "?y");
        assert_eq!(trim_suffix("\\**", "xx**", true).unwrap(), "xx");
        assert_eq!(trim_suffix("\\**\\*", "a***yy*", true).unwrap(), "a");
        assert_eq!(trim_suffix("x", "xxyy", false).unwrap(), "xxyy");
    }

    #[test]
    fn replacements() {
        let replace = |p, v, r, all| replace(p, v, r, all, usize::MAX).unwrap().unwrap();
        assert_eq!(replace("\\*/", "/foo*/*/*.txt", ".", false), "/foo.*/*.txt");
        assert_eq!(replace("\\*/", "/foo*/*/*.txt", ".", true), "/foo..*.txt");
        assert_eq!(replace("/?/", "/a/foo/b/c.txt", "/", true), "/foo/c.txt");
        assert_eq!(replace("", "xxyy", "ww", false), "wwxxyy");
        assert_eq!(replace("", "ab", "-", true), "-a-b-");
    }
}
