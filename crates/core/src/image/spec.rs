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
    /// The runtime settings (`Env`, `User`, `Cmd`, …), kept as JSON so odd types never fail the analysis.
    #[serde(default)]
    pub config: Option<serde_json::Value>,
    /// The runtime settings of the build container, which old configs carry instead of `config`.
    #[serde(default)]
    pub container_config: Option<serde_json::Value>,
}

impl ImageConfig {
    /// The runtime settings as the report gives them: `config`, or `container_config` when that is absent.
    /// Values of unexpected types are left out rather than failing the analysis.
    pub fn runtime(&self) -> super::RuntimeConfig {
        let Some(c) = self.config.as_ref().filter(|c| c.is_object()).or(self.container_config.as_ref()) else {
            return super::RuntimeConfig::default();
        };
        let strings = |key: &str| -> Vec<String> {
            c.get(key)
                .and_then(|v| v.as_array())
                .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
                .unwrap_or_default()
        };
        let string = |key: &str| c.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_string();
        let keys = |key: &str| -> Vec<String> {
            c.get(key).and_then(|v| v.as_object()).map(|o| o.keys().cloned().collect()).unwrap_or_default()
        };
        let labels = c
            .get("Labels")
            .and_then(|v| v.as_object())
            .map(|o| o.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string()))).collect())
            .unwrap_or_default();
        super::RuntimeConfig {
            env: strings("Env"),
            user: string("User"),
            entrypoint: strings("Entrypoint"),
            cmd: strings("Cmd"),
            working_dir: string("WorkingDir"),
            exposed_ports: keys("ExposedPorts"),
            labels,
        }
    }
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
