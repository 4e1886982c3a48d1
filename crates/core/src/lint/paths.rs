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

/// Paths that earlier instructions added, each with what added it, indexed so that finding what a
/// removal (or a chmod) covers costs a few map look-ups instead of a scan of every earlier path.
pub(crate) struct PathIndex<T> {
    /// The first entry added at each path, with its insertion number.
    by_path: std::collections::BTreeMap<String, (usize, T)>,
    /// How many entries were added.
    added: usize,
}

impl<T> Default for PathIndex<T> {
    fn default() -> Self {
        PathIndex { by_path: std::collections::BTreeMap::new(), added: 0 }
    }
}

impl<T> PathIndex<T> {
    /// Records `value` at `path` (a normalised path); the first entry at a path is kept.
    pub(crate) fn insert(&mut self, path: String, value: T) {
        let seq = self.added;
        self.added += 1;
        self.by_path.entry(path).or_insert((seq, value));
    }

    /// The entry `pattern` touches: the deepest added path the pattern lies within (itself or an ancestor
    /// directory, so `/app/x` inside both `COPY … /app/` and `ADD … /` names the COPY), else the earliest entry
    /// the pattern removes (the path or something inside it: [`removal_covers`]).
    pub(crate) fn covered_by(&self, pattern: &str) -> Option<(&str, &T)> {
        let mut best: Option<(&str, &(usize, T))> = None;
        // The pattern lies within an added path: look the pattern and each of its ancestors up, deepest first.
        let mut ancestor = pattern;
        loop {
            if let Some((path, entry)) = self.by_path.get_key_value(ancestor) {
                return Some((path.as_str(), &entry.1));
            }
            match ancestor.rfind('/') {
                Some(0) if ancestor != "/" => ancestor = "/",
                Some(i) if i > 0 => ancestor = ancestor.get(..i).unwrap_or("/"),
                _ => break,
            }
        }
        // The pattern removes added paths: those at or under its directory part.
        let literal =
            if has_glob(pattern) { pattern.strip_suffix("/*").filter(|d| !has_glob(d)) } else { Some(pattern) };
        match literal {
            Some(dir) => {
                let lower = format!("{}/", dir.trim_end_matches('/'));
                let upper = format!("{}0", dir.trim_end_matches('/'));
                for entry in self.by_path.range(lower..upper) {
                    keep_earliest(Some(entry), &mut best);
                }
            }
            None => {
                for entry in self.by_path.iter().filter(|(path, _)| removal_covers(pattern, path)) {
                    keep_earliest(Some(entry), &mut best);
                }
            }
        }
        best.map(|(path, (_, value))| (path, value))
    }
}

/// Keeps in `best` whichever of it and `candidate` was added first.
fn keep_earliest<'m, T>(candidate: Option<(&'m String, &'m (usize, T))>, best: &mut Option<(&'m str, &'m (usize, T))>) {
    if let Some((path, entry)) = candidate {
        if best.is_none_or(|(_, b)| entry.0 < b.0) {
            *best = Some((path.as_str(), entry));
        }
    }
}
