//! Hand-written serde types for the parts of the Docker and OCI JSON documents the engine reads:
//! `manifest.json`, `index.json`, image manifests and image configs.

use serde::Deserialize;
use std::collections::BTreeMap;

/// One entry of a Docker `manifest.json` (`docker save`, skopeo/podman docker-archive, kaniko).
#[derive(Debug, Clone, Deserialize)]
pub struct DockerManifestEntry {
    /// Path of the image config inside the archive.
    #[serde(rename = "Config")]
    pub config: String,
    /// The image's tags, e.g. `busybox:latest`.
    #[serde(rename = "RepoTags", default)]
    pub repo_tags: Option<Vec<String>>,
    /// Paths of the layer tarballs inside the archive, base layer first.
    #[serde(rename = "Layers", default)]
    pub layers: Vec<String>,
}

/// An OCI content descriptor.
#[derive(Debug, Clone, Deserialize)]
pub struct Descriptor {
    /// The media type of the referenced content.
    #[serde(rename = "mediaType", default)]
    pub media_type: String,
    /// The content's digest, `algorithm:hex`.
    pub digest: String,
    /// The content's size in bytes, as written (a JSON number; anything but a non-negative integer is ignored).
    #[serde(default)]
    pub size: Option<serde_json::Number>,
    /// The platform the content is for (only in indexes).
    #[serde(default)]
    pub platform: Option<Platform>,
    /// Free-form annotations, e.g. `org.opencontainers.image.ref.name`.
    #[serde(default)]
    pub annotations: Option<BTreeMap<String, String>>,
}

impl Descriptor {
    /// The descriptor's size, when it is a non-negative integer.
    pub fn size(&self) -> Option<u64> {
        self.size.as_ref().and_then(serde_json::Number::as_u64)
    }
}

/// A platform as it appears in an index descriptor.
#[derive(Debug, Clone, Deserialize)]
pub struct Platform {
    /// CPU architecture, e.g. `amd64`.
    #[serde(default)]
    pub architecture: String,
    /// Operating system, e.g. `linux`.
    #[serde(default)]
    pub os: String,
    /// CPU variant, e.g. `v8`.
    #[serde(default)]
    pub variant: Option<String>,
}

/// An OCI image index (`index.json` or a nested index blob) or Docker manifest list.
#[derive(Debug, Clone, Deserialize)]
pub struct Index {
    /// The referenced manifests or nested indexes.
    #[serde(default)]
    pub manifests: Vec<Descriptor>,
}

/// A generic JSON document that may be an index or a manifest, distinguished by its fields.
#[derive(Debug, Clone, Deserialize)]
pub struct IndexOrManifest {
    /// Present in manifests.
    #[serde(default)]
    pub config: Option<Descriptor>,
    /// Present in manifests.
    #[serde(default)]
    pub layers: Option<Vec<Descriptor>>,
    /// Present in indexes.
    #[serde(default)]
    pub manifests: Option<Vec<Descriptor>>,
}

/// The parts of an image config the engine uses.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ImageConfig {
    /// CPU architecture.
    #[serde(default)]
    pub architecture: Option<String>,
    /// Operating system.
    #[serde(default)]
    pub os: Option<String>,
    /// CPU variant.
    #[serde(default)]
    pub variant: Option<String>,
    /// Creation time as written by the builder.
    #[serde(default)]
    pub created: Option<String>,
    /// Build history, oldest first, including steps that made no layer.
    #[serde(default)]
    pub history: Vec<HistoryItem>,
    /// The layer diff IDs.
    #[serde(default)]
    pub rootfs: Option<RootFs>,
}

/// One build step of an image config's history.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct HistoryItem {
    /// When the step ran.
    #[serde(default)]
    pub created: Option<String>,
    /// The command that made the step.
    #[serde(default)]
    pub created_by: Option<String>,
    /// A free-form comment.
    #[serde(default)]
    pub comment: Option<String>,
    /// True when the step made no layer.
    #[serde(default)]
    pub empty_layer: bool,
}

/// The `rootfs` object of an image config.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RootFs {
    /// Digests of the uncompressed layer tarballs, base layer first.
    #[serde(default)]
    pub diff_ids: Vec<String>,
}
