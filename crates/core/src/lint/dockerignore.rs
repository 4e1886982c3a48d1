//! `.dockerignore` patterns as BuildKit reads them (moby's `ignorefile` and `patternmatcher`): one
//! pattern a line, `#` comments, `!` exclusions, paths cleaned and relative to the context root, `*`
//! and `?` within one path segment, `**` across any number of segments.

use super::paths::glob_match;

/// The patterns of a `.dockerignore`, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Patterns {
    patterns: Vec<Pattern>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Pattern {
    /// The cleaned pattern split on `/`.
    segments: Vec<String>,
    /// Whether it re-includes what earlier patterns excluded (`!pattern`).
    exclusion: bool,
}

impl Patterns {
    /// Reads the text of a `.dockerignore`.
    pub fn parse(text: &str) -> Patterns {
        let mut patterns = Vec::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (exclusion, body) = match line.strip_prefix('!') {
                Some(rest) => (true, rest.trim()),
                None => (false, line),
            };
            let segments = clean(body);
            if segments.is_empty() {
                continue;
            }
            patterns.push(Pattern { segments, exclusion });
        }
        Patterns { patterns }
    }

    /// Whether any pattern is an exclusion (`!…`): BuildKit then skips its CopyIgnoredFile check, because
    /// an excluded directory may hold re-included files.
    pub fn has_exclusions(&self) -> bool {
        self.patterns.iter().any(|p| p.exclusion)
    }

    /// Whether `path` (relative to the context root) or one of its parent directories is ignored:
    /// the last pattern that matches decides.
    pub fn matches_or_parent_matches(&self, path: &str) -> bool {
        let segments = clean(path);
        let mut ignored = false;
        for pattern in &self.patterns {
            let hit = (1..=segments.len())
                .any(|n| segments.get(..n).is_some_and(|prefix| matches(&pattern.segments, prefix)));
            if hit {
                ignored = !pattern.exclusion;
            }
        }
        ignored
    }
}

/// Splits a path on `/` after cleaning it as Go's `filepath.Clean` does (dropping `.`, resolving `..`)
/// and removing the leading `/`.
fn clean(path: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            p => out.push(p.to_string()),
        }
    }
    out
}

/// Whether pattern segments match path segments; `**` matches any number of segments (none included).
fn matches(pattern: &[String], path: &[String]) -> bool {
    // Dynamic programming over (pattern index, path index), so repeated `**` cannot blow up.
    let mut reach = vec![false; path.len() + 1];
    if let Some(first) = reach.first_mut() {
        *first = true;
    }
    for segment in pattern {
        let mut next = vec![false; path.len() + 1];
        for (i, _) in reach.iter().enumerate().filter(|(_, r)| **r) {
            if segment == "**" {
                for slot in next.iter_mut().skip(i) {
                    *slot = true;
                }
            } else if let (Some(part), Some(slot)) = (path.get(i), next.get_mut(i + 1)) {
                if glob_match(segment, part) {
                    *slot = true;
                }
            }
        }
        reach = next;
    }
    reach.last().copied().unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::Patterns;

    #[test]
    fn patterns_match_paths_and_their_parents() {
        let p = Patterns::parse("# build output\n/dist\n*.log\n**/node_modules\nsecrets/*.pem\n\n");
        assert!(p.matches_or_parent_matches("dist"));
        assert!(p.matches_or_parent_matches("./dist/app.js"));
        assert!(p.matches_or_parent_matches("error.log"));
        assert!(!p.matches_or_parent_matches("logs/error.log"));
        assert!(p.matches_or_parent_matches("web/app/node_modules/x"));
        assert!(p.matches_or_parent_matches("node_modules"));
        assert!(p.matches_or_parent_matches("secrets/key.pem"));
        assert!(!p.matches_or_parent_matches("secrets/readme"));
        assert!(!p.matches_or_parent_matches("src"));
        assert!(!p.has_exclusions());
    }

    #[test]
    fn the_last_matching_pattern_decides() {
        let p = Patterns::parse("docs\n!docs/README.md\n");
        assert!(p.has_exclusions());
        assert!(p.matches_or_parent_matches("docs/guide.md"));
        assert!(!p.matches_or_parent_matches("docs/README.md"));
    }
}
