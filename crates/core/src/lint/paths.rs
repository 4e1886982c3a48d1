//! Path helpers for the rules: normalising paths written in Dockerfiles and shell commands, and
//! deciding whether a removal covers a path.

/// Normalises `path` as a shell in `workdir` would see it: `~` and `$HOME` become `/root`, relative
/// paths are joined to `workdir`, `.` and empty segments and trailing slashes are dropped.
/// Returns `None` when the path depends on a variable other than `HOME` (it cannot be known).
pub(crate) fn normalize(path: &str, workdir: &str) -> Option<String> {
    let path = path.trim();
    if path.is_empty() {
        return None;
    }
    let path = if let Some(rest) = path.strip_prefix("~") {
        format!("/root{rest}")
    } else if let Some(rest) = path.strip_prefix("${HOME}").or_else(|| path.strip_prefix("$HOME")) {
        format!("/root{rest}")
    } else {
        path.to_string()
    };
    if path.contains('$') || path.contains('`') {
        return None;
    }
    let joined = if path.starts_with('/') { path } else { format!("{}/{}", workdir.trim_end_matches('/'), path) };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    Some(format!("/{}", parts.join("/")))
}

/// Whether `path` is `dir` or lies inside it (both normalised).
pub(crate) fn within(path: &str, dir: &str) -> bool {
    if dir == "/" {
        return true;
    }
    path == dir || path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'))
}

/// Whether removing `pattern` (a normalised path that may hold `*`, `?` and `[…]` globs) removes
/// `path` or everything inside it.
pub(crate) fn removal_covers(pattern: &str, path: &str) -> bool {
    if !has_glob(pattern) {
        return within(path, pattern);
    }
    // `dir/*` removes the contents of `dir`: that covers `dir` as a place where bytes were left.
    if let Some(dir) = pattern.strip_suffix("/*") {
        if !has_glob(dir) && within(path, dir) {
            return true;
        }
    }
    // A glob covers `path` when it matches `path` or one of its ancestors.
    let mut candidate = path;
    loop {
        if glob_match(pattern, candidate) {
            return true;
        }
        match candidate.rfind('/') {
            Some(0) | None => return false,
            Some(i) => candidate = candidate.get(..i).unwrap_or(""),
        }
    }
}

/// Whether `text` holds a glob character.
pub(crate) fn has_glob(text: &str) -> bool {
    text.contains(['*', '?', '['])
}

/// Matches `text` against a shell glob where `*` and `?` do not cross `/` (bounded, no backtracking blow-up).
pub(crate) fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Dynamic programming over (pattern index, text index): O(len(p) * len(t)).
    let mut reach = vec![false; t.len() + 1];
    reach[0] = true;
    let mut pi = 0;
    while pi < p.len() {
        let mut next = vec![false; t.len() + 1];
        let c = p[pi];
        let mut class_end = pi;
        if c == '[' {
            class_end = p.iter().skip(pi + 1).position(|&x| x == ']').map_or(pi, |e| pi + 1 + e);
        }
        for ti in 0..=t.len() {
            if !reach[ti] {
                continue;
            }
            match c {
                '*' => {
                    next[ti] = true;
                    let mut k = ti;
                    while k < t.len() && t[k] != '/' {
                        k += 1;
                        next[k] = true;
                    }
                }
                '?' => {
                    if ti < t.len() && t[ti] != '/' {
                        next[ti + 1] = true;
                    }
                }
                '[' if class_end > pi => {
                    if ti < t.len() {
                        let class = &p[pi + 1..class_end];
                        let (negate, class) = match class.first() {
                            Some('!' | '^') => (true, &class[1..]),
                            _ => (false, class),
                        };
                        let mut hit = false;
                        let mut i = 0;
                        while i < class.len() {
                            if i + 2 < class.len() && class[i + 1] == '-' {
                                hit |= class[i] <= t[ti] && t[ti] <= class[i + 2];
                                i += 3;
                            } else {
                                hit |= class[i] == t[ti];
                                i += 1;
                            }
                        }
                        if hit != negate && t[ti] != '/' {
                            next[ti + 1] = true;
                        }
                    }
                }
                _ => {
                    if ti < t.len() && t[ti] == c {
                        next[ti + 1] = true;
                    }
                }
            }
        }
        reach = next;
        pi = if c == '[' && class_end > pi { class_end + 1 } else { pi + 1 };
    }
    reach[t.len()]
}

/// The last path segment of `path` (after trailing slashes are dropped).
pub(crate) fn basename(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}
