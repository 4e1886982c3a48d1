//! Building the recommendation engine's [`ImageView`] from the image engine's [`ImageReport`].
//!
//! The report does not (yet) carry the image config's `Env`, `User` and `Cmd`: [`view_with_config`] reads
//! them from the archive itself; [`ImageView::from_report`] alone marks the config unknown, and the findings
//! that need it are skipped rather than guessed. ELF files are classified
//! from the header bytes the report captured; when those end before the program headers, static/dynamic
//! and libc stay unknown.

use super::rootfs::{
    clean_path, ConfigView, DuplicateSet, HiddenFile, HiddenGroup, ImageView, LayerView, Node, NodeKind,
};
use crate::archive::ArchiveIndex;
use crate::image::{self, CaptureOptions, HideReason, ImageReport};
use crate::{Error, ErrorKind, Result, Silent, Source, SourceReader};
use std::collections::BTreeMap;
use std::io::Read;

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
            config: ConfigView {
                known: false,
                env: Vec::new(),
                user: String::new(),
                command: Vec::new(),
                history,
                history_layer,
            },
            hidden,
            hidden_files,
            duplicates,
            duplicate_saving_bytes: Some(report.duplicates.saving_bytes),
        }
    }
}

/// The most bytes read for an image config; real configs are a few kilobytes, 10,000-step histories a few MB.
const MAX_CONFIG_BYTES: u64 = 16 << 20;

/// Reads `Env`, `User`, `Entrypoint` and `Cmd` from the image config inside an uncompressed archive, for
/// the findings that need them (root user, runtime versions, secrets in ENV, shell-form commands).
///
/// Returns `Ok(None)` when the archive as a whole is compressed or the config cannot be located; the view's
/// config then stays unknown and those findings are skipped, as the report's unknowns say.
pub fn read_config(source: &dyn Source, report: &ImageReport) -> Result<Option<ConfigView>> {
    if report.archive.compression != image::Compression::None {
        return Ok(None);
    }
    let index = ArchiveIndex::build(source, &mut Silent)?;
    let name = report.image.config.as_str();
    let hex = name.strip_prefix("sha256:").unwrap_or(name);
    let candidates = [name.to_string(), format!("blobs/sha256/{hex}"), format!("{hex}.json"), format!("sha256:{hex}")];
    let Some(entry) = candidates.iter().find_map(|c| index.find(c)) else { return Ok(None) };
    if entry.size > MAX_CONFIG_BYTES {
        return Err(Error::new(
            ErrorKind::Limit,
            format!(
                "the image config {} is {} bytes, more than the {MAX_CONFIG_BYTES}-byte limit",
                entry.path, entry.size
            ),
        ));
    }
    let mut bytes = Vec::new();
    SourceReader::with_range(source, entry.offset, entry.offset.saturating_add(entry.size), 64 * 1024)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::from_io(&e, &format!("reading the image config {}", entry.path)))?;
    let json: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
        Error::new(ErrorKind::Corrupt, format!("the image config {} is not valid JSON: {e}", entry.path))
    })?;
    let config = json.get("config").or_else(|| json.get("container_config"));
    let strings = |key: &str| -> Vec<String> {
        config
            .and_then(|c| c.get(key))
            .and_then(|v| v.as_array())
            .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
            .unwrap_or_default()
    };
    let mut command = strings("Entrypoint");
    command.extend(strings("Cmd"));
    Ok(Some(ConfigView {
        known: true,
        env: strings("Env"),
        user: config.and_then(|c| c.get("User")).and_then(|u| u.as_str()).unwrap_or_default().to_string(),
        command,
        history: report.history.iter().map(|h| h.created_by.clone()).collect(),
        history_layer: report.history.iter().map(|h| h.layer).collect(),
    }))
}

/// Builds the view from an image report and the archive it came from, reading the image config too.
pub fn view_with_config(source: &dyn Source, report: &ImageReport) -> Result<ImageView> {
    let mut view = ImageView::from_report(report);
    if let Some(config) = read_config(source, report)? {
        view.config = config;
    }
    Ok(view)
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
