//! Whole image archives: every layout layerlens reads, multi-platform indexes, and quick docker-archives.

use crate::compress::{compress, gzip, Comp};

/// Hex SHA-256 of `data`.
pub fn sha(data: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(data).iter().map(|b| format!("{b:02x}")).collect()
}

/// An image to write: its layers (uncompressed tars), history and tags.
#[derive(Clone)]
pub struct Image {
    /// The layer tars, uncompressed, base first.
    pub layers: Vec<Vec<u8>>,
    /// (created_by, empty_layer) in build order.
    pub history: Vec<(String, bool)>,
    /// The tag (`name:tag`).
    pub tag: String,
    /// The platform's operating system.
    pub os: String,
    /// The platform's architecture.
    pub arch: String,
}

impl Image {
    /// An image with one history step per layer, `RUN step N`.
    pub fn new(tag: &str, layers: Vec<Vec<u8>>) -> Self {
        let history = (0..layers.len()).map(|i| (format!("/bin/sh -c step {i}"), false)).collect();
        Image { layers, history, tag: tag.into(), os: "linux".into(), arch: "amd64".into() }
    }

    /// The same image for another platform.
    pub fn platform(mut self, os: &str, arch: &str) -> Self {
        self.os = os.into();
        self.arch = arch.into();
        self
    }

    /// The image config: platform, the layers' diff IDs and the history.
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
    /// Adds a file (a path already present keeps its first content).
    pub fn add(&mut self, path: &str, data: Vec<u8>) {
        if !self.entries.iter().any(|(p, _)| p == path) {
            self.entries.push((path.to_string(), data));
        }
    }

    /// Adds a symbolic link, written after every file.
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

    /// The archive's tar bytes.
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
    /// `docker save` before Docker 25: `<id>/layer.tar`, `<config>.json`, `manifest.json`.
    DockerLegacy,
    /// `docker save` from Docker 25: an OCI layout plus `manifest.json`.
    DockerOci,
    /// An OCI image layout (`index.json`, `blobs/sha256/`), no `manifest.json`.
    OciArchive,
    /// skopeo/podman docker-archive: `<diff id>.tar` layers.
    DockerArchive,
    /// kaniko's tarball: `<digest>.tar.gz` layers and a `sha256:` config name.
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

/// A config with one history step per layer and the layers' diff IDs.
pub fn config_for(layers: &[Vec<u8>]) -> Vec<u8> {
    let diff_ids: Vec<String> = layers.iter().map(|l| format!("sha256:{}", sha(l))).collect();
    let history: Vec<serde_json::Value> =
        (0..layers.len()).map(|i| serde_json::json!({"created_by": format!("/bin/sh -c step {i}")})).collect();
    serde_json::to_vec(&serde_json::json!({
        "architecture": "amd64",
        "os": "linux",
        "config": {},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": history,
    }))
    .unwrap()
}

/// An outer tar of `(path, bytes)` entries in order.
pub fn outer(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (p, d) in entries {
        let mut h = tar::Header::new_gnu();
        h.set_size(d.len() as u64);
        h.set_mode(0o644);
        h.set_mtime(0);
        b.append_data(&mut h, p, *d).unwrap();
    }
    b.into_inner().unwrap()
}

/// A docker-archive (skopeo/podman layout): `l<i>.tar` blobs as given, `config.json`, then `manifest.json`.
pub fn docker_archive(blobs: &[Vec<u8>], config: &[u8]) -> Vec<u8> {
    let names: Vec<String> = (0..blobs.len()).map(|i| format!("l{i}.tar")).collect();
    let manifest = serde_json::to_vec(
        &serde_json::json!([{"Config": "config.json", "RepoTags": ["hostile:test"], "Layers": names}]),
    )
    .unwrap();
    let mut entries: Vec<(&str, &[u8])> = names.iter().map(|n| n.as_str()).zip(blobs.iter().map(|b| &b[..])).collect();
    entries.push(("config.json", config));
    entries.push(("manifest.json", &manifest));
    outer(&entries)
}

/// A docker-archive of uncompressed `layers` with a matching config.
pub fn image_of(layers: &[Vec<u8>]) -> Vec<u8> {
    docker_archive(layers, &config_for(layers))
}

/// A classic `docker save` archive of one image: `(created_by, empty_layer)` history and the layer tars.
pub fn docker_save(tag: &str, history: &[(&str, bool)], layers: &[Vec<u8>], config: serde_json::Value) -> Vec<u8> {
    let diff_ids: Vec<String> = layers.iter().map(|l| format!("sha256:{}", sha(l))).collect();
    let history: Vec<serde_json::Value> =
        history.iter().map(|(c, empty)| serde_json::json!({"created_by": c, "empty_layer": empty})).collect();
    let config = serde_json::to_vec(&serde_json::json!({
        "architecture": "amd64",
        "os": "linux",
        "config": config,
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": history,
    }))
    .unwrap();
    let config_name = format!("{}.json", sha(&config));
    let mut outer = tar::Builder::new(Vec::new());
    let mut add = |path: &str, data: &[u8]| {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        outer.append_data(&mut h, path, data).unwrap();
    };
    let mut paths = Vec::new();
    for (i, layer) in layers.iter().enumerate() {
        let id = sha(format!("{i}{}", sha(layer)).as_bytes());
        add(&format!("{id}/layer.tar"), layer);
        paths.push(format!("{id}/layer.tar"));
    }
    add(&config_name, &config);
    let manifest = serde_json::json!([{"Config": config_name, "RepoTags": [tag], "Layers": paths}]);
    add("manifest.json", &serde_json::to_vec(&manifest).unwrap());
    outer.into_inner().unwrap()
}
