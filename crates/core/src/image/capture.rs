//! Which files to capture while streaming: path patterns with a byte cap, for the recommendation engine.

use serde::{Deserialize, Serialize};

/// Which small files to keep the contents of, and how much of each.
///
/// A pattern is a path without a leading `/`; `*` matches any run of characters within one path
/// component, `?` one character. The captured version is the one visible in the final filesystem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptureOptions {
    /// Path patterns, e.g. `etc/os-release` or `var/lib/dpkg/status.d/*`.
    pub patterns: Vec<String>,
    /// Most bytes kept per file; longer files are cut and marked truncated.
    pub max_bytes: usize,
    /// Keep the first [`ELF_HEAD_BYTES`] of ELF files: executable regular files and native libraries (`.so`,
    /// `.so.N`, `.node`, which are often not executable), up to [`ELF_HEAD_BUDGET`] bytes for the whole image.
    pub elf_headers: bool,
}

/// Bytes kept from the head of each ELF file: the file header, the program headers and the `PT_INTERP` loader
/// path, which linkers place in the first page, so static/dynamic and musl/glibc can be told reliably.
pub const ELF_HEAD_BYTES: usize = 4096;

/// The most ELF head bytes kept while reading one image, over all its layers (4,096 heads of 4 KiB). ELF files
/// met after the budget is spent are not captured; their libc then stays unknown.
pub const ELF_HEAD_BUDGET: usize = 16 << 20;

/// Whether a regular file may be an ELF object worth capturing: executable, or named like a native library
/// (`libx.so`, `libx.so.1.2`, `addon.node`) whatever its mode.
pub fn elf_candidate(path: &[u8], mode: u32) -> bool {
    if mode & 0o111 != 0 {
        return true;
    }
    let name = path.rsplit(|&b| b == b'/').next().unwrap_or(path);
    name.ends_with(b".node") || name.ends_with(b".so") || name.windows(4).any(|w| w == b".so.")
}

impl CaptureOptions {
    /// Patterns for OS identification and package databases.
    pub const WELL_KNOWN: &'static [&'static str] = &[
        "etc/os-release",
        "usr/lib/os-release",
        "etc/alpine-release",
        "etc/debian_version",
        "etc/redhat-release",
        "var/lib/dpkg/status",
        "var/lib/dpkg/status.d/*",
        "lib/apk/db/installed",
    ];

    /// Captures nothing.
    pub fn none() -> Self {
        CaptureOptions { patterns: Vec::new(), max_bytes: 0, elf_headers: false }
    }

    /// Whether `path` (cleaned, no leading `/`) matches one of the patterns.
    pub fn matches(&self, path: &[u8]) -> bool {
        self.patterns.iter().any(|p| glob(p.as_bytes(), path))
    }
}

impl Default for CaptureOptions {
    /// The well-known files, up to 4 MiB each, and ELF heads.
    fn default() -> Self {
        CaptureOptions {
            patterns: Self::WELL_KNOWN.iter().map(|s| s.to_string()).collect(),
            max_bytes: 4 << 20,
            elf_headers: true,
        }
    }
}

/// Matches `text` against `pattern` where `*` spans anything but `/` and `?` one non-`/` byte.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    // Iterative matcher with one backtrack point, linear in practice and bounded by len(p) * len(t).
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if (c == b'?' && text[t] != b'/') || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) if text[st] != b'/' => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                _ => return false,
            },
        }
    }
    pattern[p.min(pattern.len())..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_stay_within_a_component() {
        assert!(glob(b"etc/os-release", b"etc/os-release"));
        assert!(glob(b"var/lib/dpkg/status.d/*", b"var/lib/dpkg/status.d/libc6"));
        assert!(!glob(b"var/lib/dpkg/status.d/*", b"var/lib/dpkg/status.d/a/b"));
        assert!(glob(b"a/*.txt", b"a/x.txt"));
        assert!(!glob(b"a/*.txt", b"a/x.txt.gz"));
        assert!(glob(b"a/?", b"a/b"));
        assert!(!glob(b"etc/os-release", b"usr/etc/os-release"));
        assert!(glob(b"*", b""));
    }

    #[test]
    fn native_libraries_are_elf_candidates_without_the_executable_bit() {
        assert!(elf_candidate(b"usr/bin/node", 0o755));
        assert!(elf_candidate(b"app/node_modules/bcrypt/build/Release/bcrypt_lib.node", 0o644));
        assert!(elf_candidate(b"usr/lib/x86_64-linux-gnu/libssl.so.3", 0o644));
        assert!(elf_candidate(b"usr/lib/libz.so", 0o644));
        assert!(!elf_candidate(b"etc/os-release", 0o644));
        assert!(!elf_candidate(b"app/so.txt", 0o644));
        assert!(!elf_candidate(b"app/notes.sourcemap", 0o644));
    }
}
