//! Test fixture generator: layer tarballs and whole image archives in every layout layerlens reads,
//! built in memory with the tar, flate2 and ruzstd crates.
#![allow(dead_code)]

use sha2::{Digest, Sha256};
use std::io::Write;

#[allow(unused_imports)]
pub use layerlens_core::image::{analyze, list_images, AnalyzeOptions, ImageReport, ImageSelector};
pub use layerlens_core::{MemSource, Silent};

/// Hex SHA-256 of `data`.
pub fn sha(data: &[u8]) -> String {
    Sha256::digest(data).iter().map(|b| format!("{b:02x}")).collect()
}

/// Builds one layer tar.
pub struct Layer {
    b: tar::Builder<Vec<u8>>,
}

impl Default for Layer {
    fn default() -> Self {
        Self::new()
    }
}

impl Layer {
    pub fn new() -> Self {
        let mut b = tar::Builder::new(Vec::new());
        b.mode(tar::HeaderMode::Deterministic);
        Layer { b }
    }

    fn header(kind: tar::EntryType, size: u64, mode: u32) -> tar::Header {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(kind);
        h.set_size(size);
        h.set_mode(mode);
        h.set_mtime(0);
        h
    }

    pub fn file(self, path: &str, data: &[u8]) -> Self {
        self.file_mode(path, data, 0o644)
    }

    pub fn file_mode(mut self, path: &str, data: &[u8], mode: u32) -> Self {
        let mut h = Self::header(tar::EntryType::Regular, data.len() as u64, mode);
        self.b.append_data(&mut h, path, data).unwrap();
        self
    }

    pub fn dir(mut self, path: &str) -> Self {
        let mut h = Self::header(tar::EntryType::Directory, 0, 0o755);
        self.b.append_data(&mut h, path, &[][..]).unwrap();
        self
    }

    pub fn symlink(mut self, path: &str, target: &str) -> Self {
        let mut h = Self::header(tar::EntryType::Symlink, 0, 0o777);
        self.b.append_link(&mut h, path, target).unwrap();
        self
    }

    pub fn hardlink(mut self, path: &str, target: &str) -> Self {
        let mut h = Self::header(tar::EntryType::Link, 0, 0o644);
        self.b.append_link(&mut h, path, target).unwrap();
        self
    }

    /// A whiteout for `path` (`dir/.wh.name`).
    pub fn whiteout(self, path: &str) -> Self {
        let (dir, name) = path.rsplit_once('/').map(|(d, n)| (format!("{d}/"), n)).unwrap_or((String::new(), path));
        self.file(&format!("{dir}.wh.{name}"), b"")
    }

    /// An opaque whiteout in `dir`.
    pub fn opaque(self, dir: &str) -> Self {
        self.file(&format!("{dir}/.wh..wh..opq"), b"")
    }

    /// An entry whose name bytes are written verbatim into the header (for `..`, absolute and non-UTF-8 names).
    pub fn raw_name(self, name: &[u8], data: &[u8]) -> Self {
        self.raw_entry(name, b'0', data)
    }

    /// Like `raw_name` with an explicit type flag byte (e.g. `0` for old-style regular files).
    pub fn raw_entry(mut self, name: &[u8], typeflag: u8, data: &[u8]) -> Self {
        let mut h = Self::header(tar::EntryType::Regular, data.len() as u64, 0o644);
        let old = h.as_old_mut();
        old.name.fill(0);
        old.name[..name.len()].copy_from_slice(name);
        old.linkflag = [typeflag];
        h.set_cksum();
        self.b.append(&h, data).unwrap();
        self
    }

    /// A PAX global header, as `git archive` writes first.
    pub fn pax_global(mut self) -> Self {
        let record = b"52 comment=0123456789abcdef0123456789abcdef01234567\n";
        let mut h = tar::Header::new_ustar();
        h.set_entry_type(tar::EntryType::XGlobalHeader);
        h.set_path("pax_global_header").unwrap();
        h.set_size(record.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        self.b.append(&h, &record[..]).unwrap();
        self
    }

    /// A GNU sparse file of logical size `real` whose data regions are `chunks` (offset, bytes).
    pub fn sparse(mut self, path: &str, real: u64, chunks: &[(u64, &[u8])]) -> Self {
        let stored: u64 = chunks.iter().map(|c| c.1.len() as u64).sum();
        let mut h = Self::header(tar::EntryType::GNUSparse, stored, 0o644);
        h.set_path(path).unwrap();
        {
            let gnu = h.as_gnu_mut().unwrap();
            gnu.set_real_size(real);
            for (i, (off, data)) in chunks.iter().enumerate() {
                gnu.sparse[i].set_offset(*off);
                gnu.sparse[i].set_length(data.len() as u64);
            }
        }
        h.set_cksum();
        let data: Vec<u8> = chunks.iter().flat_map(|c| c.1.to_vec()).collect();
        self.b.append(&h, &data[..]).unwrap();
        self
    }

    pub fn build(self) -> Vec<u8> {
        self.b.into_inner().unwrap()
    }
}

/// How a layer blob is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comp {
    None,
    Gzip,
    Zstd,
    /// gzip members per entry with a stargz.index.json entry and a footer, like estargz.
    Estargz,
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

pub fn zstd(data: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(data, ruzstd::encoding::CompressionLevel::Fastest)
}

/// Re-packs a layer tar as estargz-like gzip: one member per 512-byte-aligned entry, then the TOC
/// entry, the tar end and an empty footer member.
fn estargz(tar_bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut archive = tar::Archive::new(std::io::Cursor::new(tar_bytes));
    let mut pos = 0usize;
    let mut cuts = Vec::new();
    for e in archive.entries_with_seek().unwrap() {
        let e = e.unwrap();
        let end = e.raw_file_position() as usize + (e.size() as usize).div_ceil(512) * 512;
        cuts.push(end);
    }
    for end in cuts {
        out.extend(gzip(&tar_bytes[pos..end]));
        pos = end;
    }
    let toc = br#"{"version":1,"entries":[]}"#;
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_ustar();
    h.set_size(toc.len() as u64);
    h.set_mode(0o644);
    b.append_data(&mut h, "stargz.index.json", &toc[..]).unwrap();
    let toc_tar = b.into_inner().unwrap();
    out.extend(gzip(&toc_tar));
    out.extend(gzip(&[]));
    out
}

pub fn compress(data: &[u8], c: Comp) -> Vec<u8> {
    match c {
        Comp::None => data.to_vec(),
        Comp::Gzip => gzip(data),
        Comp::Zstd => zstd(data),
        Comp::Estargz => estargz(data),
    }
}

/// An image to write: its layers (uncompressed tars), history and tags.
#[derive(Clone)]
pub struct Image {
    pub layers: Vec<Vec<u8>>,
    /// (created_by, empty_layer) in build order.
    pub history: Vec<(String, bool)>,
    pub tag: String,
    pub os: String,
    pub arch: String,
}

impl Image {
    /// An image with one history step per layer, `RUN step N`.
    pub fn new(tag: &str, layers: Vec<Vec<u8>>) -> Self {
        let history = (0..layers.len()).map(|i| (format!("/bin/sh -c step {i}"), false)).collect();
        Image { layers, history, tag: tag.into(), os: "linux".into(), arch: "amd64".into() }
    }

    pub fn platform(mut self, os: &str, arch: &str) -> Self {
        self.os = os.into();
        self.arch = arch.into();
        self
    }

    pub fn config(&self) -> Vec<u8> {
        let diff_ids: Vec<String> = self.layers.iter().map(|l| format!("sha256:{}", sha(l))).collect();
        let history: Vec<serde_json::Value> = self
            .history
            .iter()
            .map(|(c, e)| {
                if *e {
                    serde_json::json!({"created_by": c, "empty_layer": true})
                } else {
                    serde_json::json!({"created_by": c})
                }
            })
            .collect();
        serde_json::to_vec(&serde_json::json!({
            "architecture": self.arch,
            "os": self.os,
            "config": {},
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "history": history,
        }))
        .unwrap()
    }
}

/// The outer archive: entries in the order added.
#[derive(Default)]
pub struct Outer {
    entries: Vec<(String, Vec<u8>)>,
    links: Vec<(String, String)>,
}

impl Outer {
    pub fn add(&mut self, path: &str, data: Vec<u8>) {
        if !self.entries.iter().any(|(p, _)| p == path) {
            self.entries.push((path.to_string(), data));
        }
    }

    pub fn symlink(&mut self, path: &str, target: &str) {
        self.links.push((path.into(), target.into()));
    }

    /// Moves `path` to the end (e.g. manifest.json last).
    pub fn move_last(&mut self, path: &str) {
        if let Some(i) = self.entries.iter().position(|(p, _)| p == path) {
            let e = self.entries.remove(i);
            self.entries.push(e);
        }
    }

    pub fn tar(&self) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (p, d) in &self.entries {
            let mut h = tar::Header::new_gnu();
            h.set_size(d.len() as u64);
            h.set_mode(0o644);
            b.append_data(&mut h, p, &d[..]).unwrap();
        }
        for (p, t) in &self.links {
            let mut h = tar::Header::new_gnu();
            h.set_entry_type(tar::EntryType::Symlink);
            h.set_size(0);
            b.append_link(&mut h, p, t).unwrap();
        }
        b.into_inner().unwrap()
    }
}

/// The archive layouts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    DockerLegacy,
    DockerOci,
    OciArchive,
    DockerArchive,
    Kaniko,
}

/// Writes `images` (each one platform) in `layout`, layers stored with `comp`.
pub fn archive(images: &[Image], layout: Layout, comp: Comp) -> Outer {
    let mut o = Outer::default();
    let mut manifest = Vec::new();
    let mut index = Vec::new();
    for img in images {
        let config = img.config();
        let config_hex = sha(&config);
        let mut layer_paths = Vec::new();
        let mut descs = Vec::new();
        for (i, l) in img.layers.iter().enumerate() {
            let stored = compress(l, comp);
            let hex = sha(&stored);
            let diff = sha(l);
            let path = match layout {
                Layout::DockerLegacy => {
                    let id = sha(format!("{i}{diff}").as_bytes());
                    o.add(&format!("{id}/json"), b"{}".to_vec());
                    o.add(&format!("{id}/VERSION"), b"1.0".to_vec());
                    format!("{id}/layer.tar")
                }
                Layout::DockerOci | Layout::OciArchive => format!("blobs/sha256/{hex}"),
                Layout::DockerArchive => format!("{diff}.tar"),
                Layout::Kaniko => format!("{hex}.tar.gz"),
            };
            let media = match comp {
                Comp::None => "application/vnd.oci.image.layer.v1.tar",
                Comp::Gzip | Comp::Estargz => "application/vnd.oci.image.layer.v1.tar+gzip",
                Comp::Zstd => "application/vnd.oci.image.layer.v1.tar+zstd",
            };
            descs
                .push(serde_json::json!({"mediaType": media, "digest": format!("sha256:{hex}"), "size": stored.len()}));
            o.add(&path, stored);
            layer_paths.push(path);
        }
        let config_path = match layout {
            Layout::DockerLegacy | Layout::DockerArchive => format!("{config_hex}.json"),
            Layout::DockerOci | Layout::OciArchive => format!("blobs/sha256/{config_hex}"),
            Layout::Kaniko => format!("sha256:{config_hex}"),
        };
        o.add(&config_path, config.clone());
        manifest.push(serde_json::json!({"Config": config_path, "RepoTags": [img.tag], "Layers": layer_paths}));
        if matches!(layout, Layout::DockerOci | Layout::OciArchive) {
            let m = serde_json::to_vec(&serde_json::json!({
                "schemaVersion": 2,
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": format!("sha256:{config_hex}"), "size": config.len()},
                "layers": descs,
            }))
            .unwrap();
            let mhex = sha(&m);
            o.add(&format!("blobs/sha256/{mhex}"), m.clone());
            index.push(serde_json::json!({
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "digest": format!("sha256:{mhex}"),
                "size": m.len(),
                "annotations": {"io.containerd.image.name": img.tag, "org.opencontainers.image.ref.name": img.tag.rsplit(':').next().unwrap()},
            }));
        }
    }
    if matches!(layout, Layout::DockerOci | Layout::OciArchive) {
        o.add("oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec());
        o.add("index.json", serde_json::to_vec(&serde_json::json!({"schemaVersion": 2, "manifests": index})).unwrap());
    }
    if layout != Layout::OciArchive {
        o.add("manifest.json", serde_json::to_vec(&manifest).unwrap());
    }
    o
}

/// A multi-platform OCI archive: one image index listing `platforms`; those with `None` are listed but
/// their blobs are left out (as Docker 25+ saves only the local platform). With `nested`, the
/// index.json points to an index blob that lists the platforms.
pub fn multi_platform(platforms: &[(&str, &str, Option<Image>)], nested: bool, tag: &str) -> Outer {
    let mut o = Outer::default();
    let mut descs = Vec::new();
    for (os, arch, img) in platforms {
        let (digest, size) = match img {
            Some(img) => {
                let config = img.config();
                let config_hex = sha(&config);
                o.add(&format!("blobs/sha256/{config_hex}"), config.clone());
                let mut layers = Vec::new();
                for l in &img.layers {
                    let stored = gzip(l);
                    let hex = sha(&stored);
                    layers.push(serde_json::json!({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": format!("sha256:{hex}"), "size": stored.len()}));
                    o.add(&format!("blobs/sha256/{hex}"), stored);
                }
                let m = serde_json::to_vec(&serde_json::json!({
                    "schemaVersion": 2,
                    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": format!("sha256:{config_hex}"), "size": config.len()},
                    "layers": layers,
                }))
                .unwrap();
                let mhex = sha(&m);
                o.add(&format!("blobs/sha256/{mhex}"), m.clone());
                (format!("sha256:{mhex}"), m.len())
            }
            None => (format!("sha256:{}", sha(format!("absent {os}/{arch}").as_bytes())), 500),
        };
        descs.push(serde_json::json!({
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": digest,
            "size": size,
            "platform": {"os": os, "architecture": arch},
        }));
    }
    descs.push(serde_json::json!({
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": format!("sha256:{}", sha(b"attestation")),
        "size": 100,
        "platform": {"os": "unknown", "architecture": "unknown"},
        "annotations": {"vnd.docker.reference.type": "attestation-manifest"},
    }));
    let list = serde_json::json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": descs});
    let top = if nested {
        let blob = serde_json::to_vec(&list).unwrap();
        let hex = sha(&blob);
        o.add(&format!("blobs/sha256/{hex}"), blob.clone());
        serde_json::json!({"schemaVersion": 2, "manifests": [{
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "digest": format!("sha256:{hex}"),
            "size": blob.len(),
            "annotations": {"io.containerd.image.name": tag},
        }]})
    } else {
        let mut l = list;
        for d in l["manifests"].as_array_mut().unwrap() {
            d["annotations"]["io.containerd.image.name"] = serde_json::json!(tag);
        }
        l
    };
    o.add("oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec());
    o.add("index.json", serde_json::to_vec(&top).unwrap());
    o
}

/// Analyses `bytes` with default options.
pub fn run(bytes: &[u8]) -> ImageReport {
    analyze(&MemSource::new(bytes.to_vec()), &AnalyzeOptions::default(), &mut Silent).unwrap()
}

/// Analyses `bytes` with `options`.
pub fn run_with(bytes: &[u8], options: &AnalyzeOptions) -> layerlens_core::Result<ImageReport> {
    analyze(&MemSource::new(bytes.to_vec()), options, &mut Silent)
}

/// The size of the visible node at `path`, if any.
pub fn visible(r: &ImageReport, path: &str) -> Option<u64> {
    let nodes = &r.filesystem.nodes;
    let mut cur = 0usize;
    for part in path.split('/') {
        cur = (1..nodes.len()).find(|&i| nodes[i].parent as usize == cur && nodes[i].name == part)?;
    }
    Some(nodes[cur].size)
}

/// The shared fixtures folder, or `None` (with a printed notice) when it is absent.
pub fn shared(name: &str) -> Option<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/images");
    if !dir.is_dir() {
        eprintln!("skipping: {} is absent", dir.display());
        return None;
    }
    Some(dir.join(name))
}
