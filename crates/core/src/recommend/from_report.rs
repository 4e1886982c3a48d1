//! Building the recommendation engine's [`ImageView`] from the image engine's [`ImageReport`].
//!
//! Data flows one way: the view is made from the report alone, never by reading the archive again. The
//! config's `Env`, `User`, `Entrypoint` and `Cmd` come from the report's `config`; a report without it (written
//! by an older engine) marks the config unknown, and the findings that need it are skipped rather than guessed.
//! ELF files are classified
//! from the header bytes the report captured; when those end before the program headers, static/dynamic
//! and libc stay unknown.

use super::rootfs::{
    clean_path, ConfigView, DuplicateSet, HiddenFile, HiddenGroup, ImageView, LayerView, Node, NodeKind,
};
use crate::image::{self, CaptureOptions, HideReason, ImageReport};
use std::collections::BTreeMap;

/// Capture options for [`crate::image::analyze`] that give the recommendations what they read: the
/// well-known OS and package files, ELF headers, and `package.json` files up to three folders deep (for
/// devDependencies).
pub fn capture_options() -> CaptureOptions {
    let mut options = CaptureOptions::default();
    for pattern in [
        "package.json",
        "*/package.json",
        "*/*/package.json",
        "*/*/*/package.json",
        "usr/local/go/VERSION",
        "opt/java/openjdk/release",
        "usr/lib/jvm/*/release",
    ] {
        options.patterns.push(pattern.to_string());
    }
    options
}

/// Empties what only the recommendations read, the captured file contents and the ELF heads, once they are
/// made: a written or exported report then carries the findings, not megabytes of raw file bytes.
pub fn release_capture(report: &mut ImageReport) {
    report.captured = Vec::new();
    report.executables = Vec::new();
}

fn decode_hex(hex: &str) -> Vec<u8> {
    let digits: Vec<u8> = hex.bytes().filter_map(|b| (b as char).to_digit(16).map(|d| d as u8)).collect();
    digits.chunks_exact(2).map(|pair| pair[0] << 4 | pair[1]).collect()
}

impl ImageView {
    /// Builds the view from an image report.
    pub fn from_report(report: &ImageReport) -> ImageView {
        let nodes = &report.filesystem.nodes;
        let mut paths: Vec<String> = Vec::with_capacity(nodes.len());
        let mut files = BTreeMap::new();
        for (index, node) in nodes.iter().enumerate() {
            let parent = node.parent as usize;
            let path = if index == 0 {
                String::new()
            } else {
                match paths.get(parent).filter(|_| parent < index) {
                    Some(p) if p.is_empty() => node.name.clone(),
                    Some(p) => format!("{p}/{}", node.name),
                    None => node.name.clone(),
                }
            };
            if index > 0 {
                let kind = match node.kind {
                    image::NodeKind::Dir => NodeKind::Dir,
                    image::NodeKind::File => NodeKind::File,
                    image::NodeKind::Hardlink => NodeKind::Hardlink,
                    image::NodeKind::Symlink => NodeKind::Symlink,
                    image::NodeKind::Other => NodeKind::Other,
                };
                let size = if kind == NodeKind::File { node.size } else { 0 };
                files.insert(
                    path.clone(),
                    Node {
                        kind,
                        size,
                        mode: node.mode & 0o7777,
                        uid: 0,
                        layer: node.layer as usize,
                        link: node.link.clone(),
                        content: None,
                    },
                );
            }
            paths.push(path);
        }
        for captured in &report.captured {
            if let Some(node) = files.get_mut(&clean_path(&captured.path)) {
                node.content = Some(captured.text.clone().into_bytes());
            }
        }
        for exe in &report.executables {
            if let Some(node) = files.get_mut(&clean_path(&exe.path)) {
                node.content = Some(decode_hex(&exe.header_hex));
            }
        }
        let layers = report
            .layers
            .iter()
            .map(|l| {
                let compressed = l.compression != image::Compression::None;
                LayerView {
                    created_by: l.command.clone(),
                    size: l.content_bytes,
                    compressed_size: compressed.then_some(l.stored_bytes),
                    digest: Some(l.digest.clone()).filter(|d| compressed && d.starts_with("sha256:")),
                }
            })
            .collect();
        let hidden = report
            .waste
            .by_layers
            .iter()
            .map(|g| HiddenGroup {
                shipped_in: g.shipped_in,
                hidden_by: g.hidden_by,
                metadata_only: g.reason == HideReason::MetadataOnly,
                bytes: g.bytes,
                files: g.files,
            })
            .collect();
        let hidden_files = report
            .waste
            .items
            .iter()
            .map(|f| HiddenFile {
                path: f.path.clone(),
                size: f.bytes,
                shipped_in: f.shipped_in,
                hidden_by: f.hidden_by,
                metadata_only: f.reason == HideReason::MetadataOnly,
            })
            .collect();
        let duplicates = report
            .duplicates
            .groups
            .iter()
            .map(|g| DuplicateSet { size: g.size, paths: g.paths.iter().map(|p| clean_path(p)).collect() })
            .collect();
        let history: Vec<String> = report.history.iter().map(|h| h.created_by.clone()).collect();
        let history_layer = report.history.iter().map(|h| h.layer).collect();
        ImageView {
            name: report.image.tags.first().cloned().unwrap_or_else(|| report.image.config.clone()),
            files,
            layers,
            config: match &report.config {
                Some(c) => ConfigView {
                    known: true,
                    env: c.env.clone(),
                    user: c.user.clone(),
                    command: c.entrypoint.iter().chain(&c.cmd).cloned().collect(),
                    history,
                    history_layer,
                },
                None => ConfigView {
                    known: false,
                    env: Vec::new(),
                    user: String::new(),
                    command: Vec::new(),
                    history,
                    history_layer,
                },
            },
            hidden,
            hidden_files,
            duplicates,
            duplicate_saving_bytes: Some(report.duplicates.saving_bytes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_decodes_pairs() {
        assert_eq!(decode_hex("7f454c46"), b"\x7fELF");
        assert_eq!(decode_hex("7f4"), [0x7f]);
    }
}
