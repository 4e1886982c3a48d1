//! Language runtimes and their versions, from the config's environment and from well-known files.

use super::super::rootfs::ImageView;
use serde::{Deserialize, Serialize};

/// The environment variables the official images set for their runtime, with the runtime they name.
pub const RUNTIME_VARS: [&str; 8] = [
    "NODE_VERSION",
    "PYTHON_VERSION",
    "JAVA_VERSION",
    "GOLANG_VERSION",
    "RUBY_VERSION",
    "PHP_VERSION",
    "DOTNET_VERSION",
    "RUST_VERSION",
];

/// A language runtime found in the image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Runtime {
    /// `node`, `python`, `java`, `go`, `ruby`, `php`, `dotnet` or `rust`.
    pub name: String,
    /// The version, when something states it.
    pub version: Option<String>,
    /// Where it was found: `ENV NODE_VERSION` or a path.
    pub evidence: String,
}

impl Runtime {
    /// The major version (`22` of `22.23.2`, `3.12` of `3.12.4` for python, `21` of `jdk-21.0.12+8`).
    pub fn major(&self) -> Option<String> {
        let version = self.version.as_deref()?.trim_start_matches("jdk-").trim_start_matches("go");
        let mut parts = version.split(['.', '+', '-', '_']);
        let first = parts.next().filter(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))?;
        if self.name == "python" || self.name == "ruby" || self.name == "php" || self.name == "go" {
            let second = parts.next().filter(|p| p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty());
            return Some(match second {
                Some(s) => format!("{first}.{s}"),
                None => first.to_string(),
            });
        }
        Some(first.to_string())
    }
}

fn runtime_of_var(var: &str) -> &'static str {
    match var {
        "NODE_VERSION" => "node",
        "PYTHON_VERSION" => "python",
        "JAVA_VERSION" => "java",
        "GOLANG_VERSION" => "go",
        "RUBY_VERSION" => "ruby",
        "PHP_VERSION" => "php",
        "DOTNET_VERSION" => "dotnet",
        _ => "rust",
    }
}

/// Finds the runtimes: first from the environment, then from files for runtimes the environment does not name.
pub fn detect_runtimes(view: &ImageView) -> Vec<Runtime> {
    let mut out: Vec<Runtime> = Vec::new();
    for var in RUNTIME_VARS {
        if let Some(value) = view.env(var) {
            out.push(Runtime {
                name: runtime_of_var(var).into(),
                version: Some(value.to_string()),
                evidence: format!("ENV {var}"),
            });
        }
    }
    let add = |out: &mut Vec<Runtime>, name: &str, version: Option<String>, evidence: String| {
        if !out.iter().any(|r| r.name == name) {
            out.push(Runtime { name: name.into(), version, evidence });
        }
    };
    for path in ["usr/local/bin/node", "usr/bin/node", "usr/bin/nodejs", "nodejs/bin/node"] {
        if view.exists(path) {
            add(&mut out, "node", None, format!("/{path}"));
        }
    }
    for dir in ["usr/local/bin", "usr/bin"] {
        let mut best: Option<(u32, String)> = None;
        for (key, _) in view.children(dir) {
            let Some(file) = key.rsplit('/').next() else { continue };
            let Some(rest) = file.strip_prefix("python3.") else { continue };
            if let Ok(minor) = rest.parse::<u32>() {
                if best.as_ref().is_none_or(|(m, _)| minor > *m) {
                    best = Some((minor, key.clone()));
                }
            }
        }
        if let Some((minor, key)) = best {
            add(&mut out, "python", Some(format!("3.{minor}")), format!("/{key}"));
        }
    }
    if let Some(bytes) = view.read("usr/local/go/VERSION") {
        let text = String::from_utf8_lossy(bytes);
        let version = text.lines().next().map(|l| l.trim().trim_start_matches("go").to_string());
        add(&mut out, "go", version, "/usr/local/go/VERSION".into());
    }
    let java_homes: Vec<String> = ["opt/java/openjdk/release".to_string()]
        .into_iter()
        .chain(view.children("usr/lib/jvm").map(|(k, _)| format!("{k}/release")))
        .collect();
    for release in java_homes {
        if let Some(bytes) = view.read(&release) {
            let text = String::from_utf8_lossy(bytes);
            let version = text
                .lines()
                .find_map(|l| l.strip_prefix("JAVA_VERSION="))
                .map(|v| v.trim().trim_matches('"').to_string());
            add(&mut out, "java", version, format!("/{release}"));
        } else if view.exists(&release) {
            add(&mut out, "java", None, format!("/{release}"));
        }
    }
    for (name, paths) in [
        ("java", &["usr/bin/java", "opt/java/openjdk/bin/java"][..]),
        ("ruby", &["usr/local/bin/ruby", "usr/bin/ruby"][..]),
        ("php", &["usr/local/bin/php", "usr/bin/php"][..]),
        ("dotnet", &["usr/share/dotnet/dotnet", "usr/bin/dotnet", "usr/lib/dotnet/dotnet"][..]),
        ("go", &["usr/local/go/bin/go"][..]),
    ] {
        if let Some(path) = paths.iter().find(|p| view.exists(p)) {
            add(&mut out, name, None, format!("/{path}"));
        }
    }
    out
}
