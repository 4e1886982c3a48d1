//! Installed packages from the package databases: dpkg (`/var/lib/dpkg/status` and distroless's
//! `status.d/`), apk (`/lib/apk/db/installed`). The rpm database is detected but not read: current rpm
//! stores it as SQLite (`rpmdb.sqlite`) and older ones as Berkeley DB (`Packages`), and reading either would
//! need a database engine in the wasm build, so layerlens only says that it is there.

use super::super::rootfs::{clean_path, ImageView, NodeKind};
use serde::{Deserialize, Serialize};

/// One installed package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    /// Package name.
    pub name: String,
    /// Version string.
    pub version: String,
    /// Installed size in bytes as the database states it (dpkg gives KiB, converted here).
    pub installed_bytes: u64,
    /// The layer that installed it (the layer that last wrote its file list), when known.
    pub layer: Option<usize>,
}

/// The package database found in an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageDb {
    /// `dpkg`, `dpkg-status.d`, `apk`, `rpm` or `none`.
    pub manager: String,
    /// The database file or folder read.
    pub path: String,
    /// Installed packages, largest first.
    pub packages: Vec<Package>,
    /// Why the list is empty or partial, when it is.
    pub note: Option<String>,
}

/// Parses a dpkg status file (or one status.d entry) into its installed packages.
///
/// Paragraphs are separated by blank lines; a package counts when its `Status` ends in `installed`, or when
/// it has no `Status` field (distroless status.d entries have none).
pub fn parse_dpkg_status(bytes: &[u8]) -> Vec<Package> {
    let text = String::from_utf8_lossy(bytes);
    let mut out = Vec::new();
    for paragraph in text.split("\n\n") {
        let mut name = None;
        let mut version = String::new();
        let mut kib = 0u64;
        let mut status: Option<String> = None;
        for line in paragraph.lines() {
            if line.starts_with([' ', '\t']) {
                continue;
            }
            let Some((key, value)) = line.split_once(':') else { continue };
            let value = value.trim();
            match key {
                "Package" => name = Some(value.to_string()),
                "Version" => version = value.to_string(),
                "Installed-Size" => kib = value.parse().unwrap_or(0),
                "Status" => status = Some(value.to_string()),
                _ => {}
            }
        }
        let installed = status.as_deref().is_none_or(|s| s.ends_with(" installed"));
        if let (Some(name), true) = (name, installed) {
            out.push(Package { name, version, installed_bytes: kib.saturating_mul(1024), layer: None });
        }
    }
    out
}

/// Parses an apk installed database (`P:` name, `V:` version, `I:` installed size in bytes).
pub fn parse_apk_installed(bytes: &[u8]) -> Vec<Package> {
    apk_records(bytes).into_iter().map(|r| r.package).collect()
}

struct ApkRecord {
    package: Package,
    first_file: Option<String>,
}

fn apk_records(bytes: &[u8]) -> Vec<ApkRecord> {
    let text = String::from_utf8_lossy(bytes);
    let mut out = Vec::new();
    for record in text.split("\n\n") {
        let mut name = None;
        let mut version = String::new();
        let mut size = 0u64;
        let mut folder = String::new();
        let mut first_file = None;
        for line in record.lines() {
            let Some((key, value)) = line.split_once(':') else { continue };
            match key {
                "P" => name = Some(value.to_string()),
                "V" => version = value.to_string(),
                "I" => size = value.trim().parse().unwrap_or(0),
                "F" => folder = value.to_string(),
                "R" if first_file.is_none() => first_file = Some(clean_path(&format!("{folder}/{value}"))),
                _ => {}
            }
        }
        if let Some(name) = name {
            out.push(ApkRecord { package: Package { name, version, installed_bytes: size, layer: None }, first_file });
        }
    }
    out
}

/// Reads whichever package database the image has.
pub fn read_packages(view: &ImageView) -> PackageDb {
    if let Some(bytes) = view.read("var/lib/dpkg/status") {
        let mut packages = parse_dpkg_status(bytes);
        for p in &mut packages {
            p.layer = dpkg_layer(view, &p.name);
        }
        return finish("dpkg", "/var/lib/dpkg/status", packages, None);
    }
    let status_d: Vec<(&String, _)> = view
        .children("var/lib/dpkg/status.d")
        .filter(|(k, n)| n.kind == NodeKind::File && !k.ends_with(".md5sums"))
        .collect();
    if !status_d.is_empty() {
        let mut packages = Vec::new();
        let mut unread = 0;
        for (_, node) in status_d {
            match &node.content {
                Some(bytes) => {
                    for mut p in parse_dpkg_status(bytes) {
                        p.layer = Some(node.layer);
                        packages.push(p);
                    }
                }
                None => unread += 1,
            }
        }
        let note = (unread > 0).then(|| format!("{unread} status.d entries were not captured and are not listed"));
        return finish("dpkg-status.d", "/var/lib/dpkg/status.d/", packages, note);
    }
    if let Some(bytes) = view.read("lib/apk/db/installed") {
        let packages = apk_records(bytes)
            .into_iter()
            .map(|r| {
                let layer = r.first_file.as_deref().and_then(|f| view.node(f)).map(|n| n.layer);
                Package { layer, ..r.package }
            })
            .collect();
        return finish("apk", "/lib/apk/db/installed", packages, None);
    }
    for path in ["var/lib/rpm/rpmdb.sqlite", "usr/lib/sysimage/rpm/rpmdb.sqlite", "var/lib/rpm/Packages"] {
        if view.exists(path) {
            let note =
                "the rpm database (SQLite or Berkeley DB) is not read by layerlens, so rpm packages are not listed";
            return finish("rpm", &format!("/{path}"), Vec::new(), Some(note.to_string()));
        }
    }
    let present = ["var/lib/dpkg/status", "lib/apk/db/installed"].iter().find(|p| view.exists(p));
    let note = present.map(|p| format!("/{p} exists but its bytes were not captured"));
    finish("none", "", Vec::new(), note)
}

fn dpkg_layer(view: &ImageView, name: &str) -> Option<usize> {
    let plain = format!("var/lib/dpkg/info/{name}.list");
    view.node(&plain).map(|n| n.layer).or_else(|| {
        view.children("var/lib/dpkg/info")
            .find(|(k, _)| {
                k.ends_with(".list") && k.rsplit('/').next().is_some_and(|f| f.starts_with(&format!("{name}:")))
            })
            .map(|(_, n)| n.layer)
    })
}

fn finish(manager: &str, path: &str, mut packages: Vec<Package>, note: Option<String>) -> PackageDb {
    packages.sort_by(|a, b| b.installed_bytes.cmp(&a.installed_bytes).then(a.name.cmp(&b.name)));
    PackageDb { manager: manager.to_string(), path: path.to_string(), packages, note }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dpkg_status_keeps_only_installed_packages_and_converts_kib() {
        let status = b"Package: libc6\nStatus: install ok installed\nInstalled-Size: 12000\nVersion: 2.36-9\n\
Description: GNU C Library\n continued: line\n\nPackage: gone\nStatus: deinstall ok config-files\n\
Installed-Size: 5\n\nPackage: tzdata\nStatus: install ok installed\nVersion: 2024a\n";
        let pkgs = parse_dpkg_status(status);
        assert_eq!(pkgs.len(), 2);
        assert_eq!(pkgs[0].name, "libc6");
        assert_eq!(pkgs[0].installed_bytes, 12_000 * 1024);
        assert_eq!(pkgs[0].version, "2.36-9");
        assert_eq!(pkgs[1].installed_bytes, 0);
    }

    #[test]
    fn apk_installed_reads_name_version_and_bytes() {
        let db = b"C:Q1abc=\nP:musl\nV:1.2.5-r0\nI:407552\nF:lib\nR:ld-musl-x86_64.so.1\n\nP:busybox\nV:1.36\nI:oops\n";
        let pkgs = parse_apk_installed(db);
        assert_eq!(pkgs.len(), 2);
        assert_eq!((pkgs[0].name.as_str(), pkgs[0].installed_bytes), ("musl", 407_552));
        assert_eq!(pkgs[1].installed_bytes, 0);
    }
}
