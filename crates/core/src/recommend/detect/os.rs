//! Which OS an image's root filesystem is: os-release and the distribution marker files, distroless,
//! busybox and scratch.

use super::super::rootfs::{ImageView, NodeKind};
use serde::{Deserialize, Serialize};

/// The fields of an os-release file that layerlens uses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OsRelease {
    /// `ID` (debian, alpine, ubuntu, fedora, wolfi, …).
    pub id: String,
    /// `ID_LIKE`, split on spaces.
    pub id_like: Vec<String>,
    /// `NAME`.
    pub name: String,
    /// `VERSION_ID`.
    pub version_id: String,
    /// `VERSION_CODENAME`.
    pub version_codename: String,
    /// `PRETTY_NAME`.
    pub pretty_name: String,
}

/// Parses os-release text (`KEY=value` lines, values optionally quoted with shell-style escapes).
pub fn parse_os_release(bytes: &[u8]) -> OsRelease {
    let text = String::from_utf8_lossy(bytes);
    let mut out = OsRelease::default();
    for line in text.lines().take(1_000) {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        let Some((key, raw)) = line.split_once('=') else { continue };
        let value = unquote(raw.trim());
        match key.trim() {
            "ID" => out.id = value,
            "ID_LIKE" => out.id_like = value.split_whitespace().map(str::to_string).collect(),
            "NAME" => out.name = value,
            "VERSION_ID" => out.version_id = value,
            "VERSION_CODENAME" => out.version_codename = value,
            "PRETTY_NAME" => out.pretty_name = value,
            _ => {}
        }
    }
    out
}

fn unquote(raw: &str) -> String {
    let quote = match raw.chars().next() {
        Some(q @ ('"' | '\'')) => q,
        _ => return raw.to_string(),
    };
    let mut out = String::new();
    let mut chars = raw.chars().skip(1);
    while let Some(c) = chars.next() {
        match c {
            c if c == quote => break,
            '\\' if quote == '"' => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// The kind of root filesystem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OsKind {
    /// Debian or a derivative using dpkg (Ubuntu included) with a shell and apt.
    Debian,
    /// Ubuntu.
    Ubuntu,
    /// Alpine Linux.
    Alpine,
    /// Red Hat family (RHEL, UBI, Fedora, CentOS, Rocky, Alma, Amazon Linux).
    RedHat,
    /// Wolfi / Chainguard.
    Wolfi,
    /// Google distroless (Debian packages without shell or package manager).
    Distroless,
    /// A busybox-only image.
    Busybox,
    /// Another OS named by os-release.
    Other,
    /// No OS files at all: a scratch image.
    Scratch,
}

/// What the OS detection found and from which file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OsInfo {
    /// The kind of root filesystem.
    pub kind: OsKind,
    /// The distribution id (os-release `ID`, or the family name).
    pub id: String,
    /// The version, as precise as the files give it (`12.7`, `3.24.2`, `24.04`).
    pub version: String,
    /// A human-readable name (`PRETTY_NAME` when present).
    pub pretty: String,
    /// The files the answer came from.
    pub evidence: Vec<String>,
}

/// Detects the OS of the final filesystem.
pub fn detect_os(view: &ImageView) -> OsInfo {
    let mut evidence = Vec::new();
    let mut release = None;
    for path in ["etc/os-release", "usr/lib/os-release"] {
        if let Some((real, node)) = view.resolve(path) {
            if let Some(bytes) = &node.content {
                evidence.push(if real == path { format!("/{path}") } else { format!("/{path} -> /{real}") });
                release = Some(parse_os_release(bytes));
                break;
            }
        }
    }
    let alpine_release = text_of(view, "etc/alpine-release");
    let debian_version = text_of(view, "etc/debian_version");
    let redhat_release = text_of(view, "etc/redhat-release");
    let has_status_d = view.children("var/lib/dpkg/status.d").next().is_some();
    let has_dpkg_status = view.exists("var/lib/dpkg/status");

    if let Some(rel) = release {
        let pretty = if rel.pretty_name.is_empty() { rel.name.clone() } else { rel.pretty_name.clone() };
        let distroless = rel.pretty_name.contains("Distroless") || (has_status_d && !has_dpkg_status);
        let kind = if distroless {
            if has_status_d {
                evidence.push("/var/lib/dpkg/status.d/".into());
            }
            OsKind::Distroless
        } else {
            kind_of(&rel.id, &rel.id_like)
        };
        let mut version = rel.version_id.clone();
        if let (OsKind::Alpine, Some(v)) = (kind, &alpine_release) {
            evidence.push("/etc/alpine-release".into());
            version = v.clone();
        }
        if let (OsKind::Debian | OsKind::Distroless, Some(v)) = (kind, &debian_version) {
            evidence.push("/etc/debian_version".into());
            if v.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                version = v.clone();
            }
        }
        return OsInfo { kind, id: rel.id, version, pretty, evidence };
    }
    if let Some(v) = alpine_release {
        return OsInfo {
            kind: OsKind::Alpine,
            id: "alpine".into(),
            pretty: format!("Alpine Linux {v}"),
            version: v,
            evidence: vec!["/etc/alpine-release".into()],
        };
    }
    if let Some(v) = debian_version {
        let kind = if has_status_d && !has_dpkg_status { OsKind::Distroless } else { OsKind::Debian };
        return OsInfo {
            kind,
            id: "debian".into(),
            pretty: format!("Debian {v}"),
            version: v,
            evidence: vec!["/etc/debian_version".into()],
        };
    }
    if let Some(text) = redhat_release {
        let version = text.split_whitespace().find(|w| w.starts_with(|c: char| c.is_ascii_digit())).unwrap_or("");
        return OsInfo {
            kind: OsKind::RedHat,
            id: "rhel".into(),
            version: version.to_string(),
            pretty: text.clone(),
            evidence: vec!["/etc/redhat-release".into()],
        };
    }
    if has_status_d {
        return OsInfo {
            kind: OsKind::Distroless,
            id: "distroless".into(),
            version: String::new(),
            pretty: "Distroless".into(),
            evidence: vec!["/var/lib/dpkg/status.d/".into()],
        };
    }
    if view.resolve("bin/busybox").is_some_and(|(_, n)| n.kind == NodeKind::File) {
        return OsInfo {
            kind: OsKind::Busybox,
            id: "busybox".into(),
            version: String::new(),
            pretty: "BusyBox".into(),
            evidence: vec!["/bin/busybox".into()],
        };
    }
    let system_dirs = ["bin", "sbin", "lib", "usr/bin", "usr/lib", "etc/passwd"];
    let has_system = system_dirs.iter().any(|d| view.node(d).is_some() || view.under(d).next().is_some());
    if has_system {
        return OsInfo {
            kind: OsKind::Other,
            id: String::new(),
            version: String::new(),
            pretty: "unknown Linux (no os-release)".into(),
            evidence: Vec::new(),
        };
    }
    OsInfo {
        kind: OsKind::Scratch,
        id: "scratch".into(),
        version: String::new(),
        pretty: "scratch (no OS files)".into(),
        evidence: vec!["no /etc/os-release, /bin, /lib or /usr".into()],
    }
}

fn text_of(view: &ImageView, path: &str) -> Option<String> {
    let bytes = view.read(path)?;
    let text = String::from_utf8_lossy(bytes).trim().to_string();
    Some(text).filter(|t| !t.is_empty())
}

fn kind_of(id: &str, like: &[String]) -> OsKind {
    let is = |name: &str| id == name || like.iter().any(|l| l == name);
    match id {
        "ubuntu" => OsKind::Ubuntu,
        "debian" => OsKind::Debian,
        "alpine" => OsKind::Alpine,
        "wolfi" | "chainguard" => OsKind::Wolfi,
        _ if is("rhel") || is("fedora") || is("centos") || id == "amzn" => OsKind::RedHat,
        _ if is("debian") || is("ubuntu") => OsKind::Debian,
        _ if is("alpine") => OsKind::Alpine,
        _ => OsKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_release_values_are_unquoted() {
        let rel = parse_os_release(
            b"PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME='Debian GNU/Linux'\nVERSION_ID=\"12\"\nID=debian\n\
              ID_LIKE=\"rhel fedora\"\n# comment\nVERSION_CODENAME=bookworm\nX=\"a \\\"b\\\"\"\n",
        );
        assert_eq!(rel.pretty_name, "Debian GNU/Linux 12 (bookworm)");
        assert_eq!(rel.name, "Debian GNU/Linux");
        assert_eq!(rel.version_id, "12");
        assert_eq!(rel.id, "debian");
        assert_eq!(rel.id_like, ["rhel", "fedora"]);
        assert_eq!(rel.version_codename, "bookworm");
    }
}
