//! The image report: everything the engine found, as plain serde data that crosses the worker boundary.
//!
//! Field names are stable; `docs/report-schema.md` documents each one. Bump [`SCHEMA_VERSION`] on any
//! change that renames or removes a field or changes a field's meaning.

use serde::{Deserialize, Serialize};

/// The version of the report schema this engine writes.
pub const SCHEMA_VERSION: u32 = 1;

/// The full analysis of one image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageReport {
    /// The report schema version, [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// What the archive is and how it was read.
    pub archive: ArchiveInfo,
    /// Which image of the archive this report describes.
    pub image: ImageInfo,
    /// Every image and platform the archive holds, for a chooser.
    pub choices: Vec<ImageChoice>,
    /// Plain-language notices about choices the engine made (which image or platform it picked).
    pub notices: Vec<String>,
    /// Problems met in the input that did not stop the analysis.
    pub warnings: Vec<Warning>,
    /// The image config's runtime settings (`None` in reports written before they were recorded).
    #[serde(default)]
    pub config: Option<RuntimeConfig>,
    /// The build history from the image config, oldest first, including steps that made no layer.
    pub history: Vec<HistoryStep>,
    /// The layers, base first.
    pub layers: Vec<LayerReport>,
    /// The merged final filesystem as a flat arena of nodes.
    pub filesystem: FileTree,
    /// Metrics computed exactly as dive 0.13.1 does.
    pub dive: DiveMetrics,
    /// Bytes shipped in layers but not visible in the final filesystem.
    pub waste: TrueWaste,
    /// Identical content stored at different paths of the final filesystem.
    pub duplicates: Duplicates,
    /// Where dive's figures differ from the true ones for this image, in plain sentences.
    pub dive_differences: Vec<String>,
    /// Contents of small well-known files captured while streaming (see `CaptureOptions`).
    pub captured: Vec<CapturedFile>,
    /// The heads (up to 4 KiB) of ELF files visible in the final filesystem: executables and native libraries.
    pub executables: Vec<ExecutableHeader>,
    /// Every path that ever existed and what each layer added, modified or removed, for the file explorer's
    /// view at a layer (see [`super::layer_view`]); empty in reports written before it existed.
    #[serde(default)]
    pub timeline: Timeline,
    /// Digests, sizes and tar ends checked, and which failed (absent in reports written before it existed).
    #[serde(default)]
    pub integrity: super::Integrity,
}

/// What the outer archive is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveInfo {
    /// The layout that was recognised.
    pub format: ArchiveFormat,
    /// Compression of the archive as a whole.
    pub compression: Compression,
    /// Size of the archive in bytes.
    pub bytes: u64,
}

/// The archive layouts layerlens recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArchiveFormat {
    /// `manifest.json` plus `<id>/layer.tar` (classic `docker save`).
    DockerLegacy,
    /// `manifest.json` whose layers live in `blobs/` next to an OCI `index.json` (Docker 25+ `docker save`).
    DockerOci,
    /// `manifest.json` with layers at the top level, as skopeo, podman or kaniko write.
    DockerArchive,
    /// An OCI image layout (`index.json`, `blobs/`) without `manifest.json`.
    OciLayout,
}

/// A compression format, detected from magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Compression {
    /// Not compressed.
    None,
    /// gzip (including estargz).
    Gzip,
    /// Zstandard.
    Zstd,
}

/// The image this report describes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageInfo {
    /// Index of the image among the archive's images (0-based), see [`ImageChoice::image`].
    pub index: usize,
    /// The image's tags.
    pub tags: Vec<String>,
    /// The platform, from the index or the config.
    pub platform: Option<String>,
    /// The image manifest's digest, when the archive has one.
    pub manifest_digest: Option<String>,
    /// The config's digest or archive path.
    pub config: String,
    /// When the image was created, as the config states.
    pub created: Option<String>,
}

/// One image (and platform) of an archive, as offered to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageChoice {
    /// Index of the image in the archive (0-based); platforms of one image share it.
    pub image: usize,
    /// The image's tags or reference names.
    pub tags: Vec<String>,
    /// `os/architecture[/variant]`, when known.
    pub platform: Option<String>,
    /// The image manifest's digest, when the archive has one.
    pub manifest_digest: Option<String>,
    /// Whether the archive holds this image's manifest, config and layers.
    pub available: bool,
}

/// A problem that did not stop the analysis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// The layer where it was met, when it concerns one.
    pub layer: Option<usize>,
    /// What was wrong, in one sentence.
    pub message: String,
}

/// One step of the build history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryStep {
    /// The command with shell noise (`/bin/sh -c #(nop) `) removed.
    pub command: String,
    /// The command as the config states it.
    pub created_by: String,
    /// When the step ran.
    pub created: Option<String>,
    /// The config's comment for the step.
    pub comment: Option<String>,
    /// True when the step made no layer (ENV, CMD, ...).
    pub empty_layer: bool,
    /// The layer the step made, when it made one.
    pub layer: Option<usize>,
}

/// One layer and what it changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerReport {
    /// Position in the image, 0 = base.
    pub index: usize,
    /// The blob digest (from the manifest) or archive path of the layer.
    pub digest: String,
    /// The diff ID from the config (digest of the uncompressed tar).
    pub diff_id: Option<String>,
    /// The layer's path inside the archive.
    pub archive_path: String,
    /// The layer's compression, from its magic bytes.
    pub compression: Compression,
    /// Bytes the archive stores for the layer.
    pub stored_bytes: u64,
    /// Bytes of the uncompressed layer tar.
    pub tar_bytes: u64,
    /// Sum of the sizes of regular files shipped (hardlinks count 0).
    pub content_bytes: u64,
    /// The layer size as dive reports it: the sum of every entry's header size.
    pub dive_size: u64,
    /// Number of entries in the layer tar (directories, files, links, whiteouts).
    pub entries: u64,
    /// Number of regular files and hardlinks shipped.
    pub files: u64,
    /// The history step that made this layer.
    pub history: Option<usize>,
    /// The cleaned command of that step, or `(missing)`.
    pub command: String,
    /// What the layer changed against the filesystem below it.
    pub changes: ChangeSet,
    /// Bytes this layer shipped that a later layer (or this one) hid.
    pub shipped_hidden_bytes: u64,
    /// Bytes of lower layers (or this one) that this layer hid.
    pub hides_bytes: u64,
    /// Visible bytes this layer wrote that repeat content visible at another path: of each duplicated content,
    /// the copy in the lowest layer is kept and every other copy counts against its layer (0 in older reports).
    #[serde(default)]
    pub duplicate_bytes: u64,
}

/// A layer's changes against the filesystem below it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeSet {
    /// Paths that did not exist below.
    pub added: u64,
    /// Paths that existed below and were replaced.
    pub modified: u64,
    /// Paths removed by whiteouts (every removed file and directory counts).
    pub removed: u64,
    /// Content bytes of added files.
    pub added_bytes: u64,
    /// Content bytes of modified files (the new version).
    pub modified_bytes: u64,
    /// Content bytes of removed files.
    pub removed_bytes: u64,
}

/// The merged final filesystem: nodes in a flat arena; node 0 is the root.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileTree {
    /// The nodes; a node's parent always has a smaller index.
    pub nodes: Vec<TreeNode>,
    /// Visible bytes: regular file sizes, each hardlinked file counted once.
    pub total_bytes: u64,
    /// Number of regular files and hardlinks.
    pub files: u64,
    /// Number of directories (without the root).
    pub directories: u64,
}

/// One path of the final filesystem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TreeNode {
    /// Index of the parent node (the root is its own parent).
    pub parent: u32,
    /// The path component, lossily decoded when not UTF-8.
    pub name: String,
    /// What the node is.
    pub kind: NodeKind,
    /// For files their size; for directories the bytes of everything below them (hardlinks count 0).
    pub size: u64,
    /// Permission bits and file type bits as in the tar header.
    pub mode: u32,
    /// The layer that last wrote this path (for implied directories, the layer that implied them).
    pub layer: u32,
    /// Link target of symlinks and hardlinks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// True when the name is not valid UTF-8 (it is shown with U+FFFD but kept distinct).
    #[serde(default, skip_serializing_if = "is_false")]
    pub non_utf8: bool,
    /// For regular files and hardlinks to them, the low 64 bits of the content's XXH3-128 hash, so two images'
    /// files can be compared by content; written as 16 hex digits.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "hex64")]
    pub hash: Option<u64>,
}

/// Writes an optional `u64` as 16 lowercase hex digits (JSON numbers lose precision above 2^53 in JavaScript).
mod hex64 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Option<u64>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.serialize_str(&format!("{v:016x}")),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        match Option::<String>::deserialize(d)? {
            Some(text) => u64::from_str_radix(&text, 16)
                .map(Some)
                .map_err(|_| serde::de::Error::custom(format!("not a 64-bit hex hash: {text:?}"))),
            None => Ok(None),
        }
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// What a tree node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// A directory.
    Dir,
    /// A regular file.
    File,
    /// A hard link to another file (its bytes are counted at the target).
    Hardlink,
    /// A symbolic link.
    Symlink,
    /// A device, FIFO or other special file.
    Other,
}

/// dive 0.13.1's figures, reproduced with its exact semantics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiveMetrics {
    /// dive's efficiency score (0..1).
    pub efficiency: f64,
    /// dive's wasted bytes.
    pub wasted_bytes: u64,
    /// dive's wasted bytes divided by the bytes of all layers but the first; `NaN` when there are none.
    pub user_wasted_percent: Ratio,
    /// dive's image size: the sum of every entry's header size in every layer.
    pub image_size_bytes: u64,
    /// The same sum without the first layer.
    pub user_size_bytes: u64,
    /// dive's inefficient-files list, largest first, in dive's order.
    pub inefficient_files: Vec<InefficientFile>,
}

/// A ratio that may be `NaN` or infinite (dive divides by zero); written as a number or as the
/// string `"NaN"`, `"+Inf"` or `"-Inf"`. Two NaN ratios compare equal.
#[derive(Debug, Clone, Copy)]
pub struct Ratio(pub f64);

impl PartialEq for Ratio {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0 || (self.0.is_nan() && other.0.is_nan())
    }
}

impl Serialize for Ratio {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.is_nan() {
            s.serialize_str("NaN")
        } else if self.0.is_infinite() {
            s.serialize_str(if self.0 > 0.0 { "+Inf" } else { "-Inf" })
        } else {
            s.serialize_f64(self.0)
        }
    }
}

impl<'de> Deserialize<'de> for Ratio {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            Num(f64),
            Text(String),
        }
        match Repr::deserialize(d)? {
            Repr::Num(n) => Ok(Ratio(n)),
            Repr::Text(t) => match t.as_str() {
                "NaN" => Ok(Ratio(f64::NAN)),
                "+Inf" => Ok(Ratio(f64::INFINITY)),
                "-Inf" => Ok(Ratio(f64::NEG_INFINITY)),
                other => Err(serde::de::Error::custom(format!("not a ratio: {other:?}"))),
            },
        }
    }
}

/// One row of dive's inefficient-files list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InefficientFile {
    /// The path as dive prints it (with a leading `/`).
    pub path: String,
    /// How many layers touched the path.
    pub count: u64,
    /// dive's cumulative size of the path over those layers.
    pub wasted_bytes: u64,
}

/// Bytes shipped in layers but invisible in the final filesystem.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrueWaste {
    /// Content bytes of every regular file shipped by every layer.
    pub shipped_bytes: u64,
    /// Content bytes visible in the final filesystem.
    pub visible_bytes: u64,
    /// Shipped bytes not visible in the final filesystem (`shipped_bytes - visible_bytes`).
    pub hidden_bytes: u64,
    /// Hidden bytes grouped by the layer that shipped them, the layer that hid them and why.
    pub by_layers: Vec<HiddenGroup>,
    /// The largest hidden files, largest first (at most [`TrueWaste::ITEM_LIMIT`]).
    pub items: Vec<HiddenFile>,
    /// How many hidden files there are in all (`items` may be cut).
    pub item_count: u64,
}

impl TrueWaste {
    /// The most hidden files listed in `items`.
    pub const ITEM_LIMIT: usize = 500;
}

/// Why shipped bytes are not visible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HideReason {
    /// A whiteout deleted the file.
    Deleted,
    /// A whiteout deleted a directory holding the file.
    DirectoryDeleted,
    /// An opaque whiteout hid the directory's lower contents.
    OpaqueHidden,
    /// A later entry at the same path replaced the file with different content.
    Overwritten,
    /// A later entry re-shipped identical content (a permission, owner or time change).
    MetadataOnly,
}

/// Hidden bytes for one (shipped in, hidden by, reason) triple.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HiddenGroup {
    /// The layer that shipped the bytes.
    pub shipped_in: usize,
    /// The layer that hid them.
    pub hidden_by: usize,
    /// Why they are hidden.
    pub reason: HideReason,
    /// Hidden bytes.
    pub bytes: u64,
    /// Hidden files.
    pub files: u64,
}

/// One hidden file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HiddenFile {
    /// The path (no leading `/`).
    pub path: String,
    /// Its size.
    pub bytes: u64,
    /// The layer that shipped it.
    pub shipped_in: usize,
    /// The layer that hid it.
    pub hidden_by: usize,
    /// Why it is hidden.
    pub reason: HideReason,
}

/// Identical file content at several paths of the final filesystem.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duplicates {
    /// Bytes a deduplication would save: for each content, its size times (copies - 1).
    pub saving_bytes: u64,
    /// Groups of identical content, largest saving first (at most [`Duplicates::GROUP_LIMIT`]).
    pub groups: Vec<DuplicateGroup>,
    /// How many groups there are in all.
    pub group_count: u64,
}

impl Duplicates {
    /// The most groups listed in `groups`.
    pub const GROUP_LIMIT: usize = 200;
}

/// One content stored at several paths.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuplicateGroup {
    /// Hash of the content, `xxh3-128:` and 32 hex digits (a fast non-cryptographic hash: it finds
    /// accidental duplicates, it does not prove identity against crafted collisions).
    pub content_hash: String,
    /// Size of one copy.
    pub size: u64,
    /// The paths holding it (hardlinks to one file count as one copy and are not listed twice).
    pub paths: Vec<String>,
    /// `size * (paths.len() - 1)`.
    pub saving_bytes: u64,
}

/// The image config's runtime settings: what a container of the image runs, as whom, where and with what.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuntimeConfig {
    /// `Env`: `KEY=value` strings.
    pub env: Vec<String>,
    /// `User`: a name or uid, optionally `:group`; empty means root.
    pub user: String,
    /// `Entrypoint`, empty when unset.
    pub entrypoint: Vec<String>,
    /// `Cmd`, empty when unset.
    pub cmd: Vec<String>,
    /// `WorkingDir`, empty when unset.
    pub working_dir: String,
    /// `ExposedPorts` keys (`8080/tcp`), sorted.
    pub exposed_ports: Vec<String>,
    /// `Labels` with string values, sorted by key.
    pub labels: std::collections::BTreeMap<String, String>,
}

/// A small file captured while streaming, in its final visible version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapturedFile {
    /// The path (no leading `/`).
    pub path: String,
    /// The layer that wrote the visible version.
    pub layer: usize,
    /// The file's full size.
    pub size: u64,
    /// The first bytes of the file (up to the cap), lossily decoded as UTF-8.
    pub text: String,
    /// True when the file was longer than the cap.
    pub truncated: bool,
}

/// The head of an ELF file (an executable or a native library) in the final filesystem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecutableHeader {
    /// The path (no leading `/`).
    pub path: String,
    /// The layer that wrote the visible version.
    pub layer: usize,
    /// The file's size.
    pub size: u64,
    /// Up to the first 4,096 bytes (`capture::ELF_HEAD_BYTES`), lowercase hex.
    pub header_hex: String,
}

/// How the filesystem changed layer by layer, compactly: one id per path that ever existed and, per layer,
/// one event per path it changed. Memory grows with the number of paths and changes, not with bytes.
///
/// Path ids below `filesystem.nodes.len()` are the final filesystem's nodes; the ids after them are
/// [`Timeline::removed_paths`], in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timeline {
    /// Paths that existed in some layer but not in the final filesystem; a parent always has a smaller id.
    pub removed_paths: Vec<PathNode>,
    /// Per layer, base first: the paths it added, modified or removed, ordered by path id.
    pub layers: Vec<Vec<PathChange>>,
}

/// A path that is not in the final filesystem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathNode {
    /// The parent's path id.
    pub parent: u32,
    /// The path component, lossily decoded when not UTF-8.
    pub name: String,
    /// True when the name is not valid UTF-8.
    #[serde(default, skip_serializing_if = "is_false")]
    pub non_utf8: bool,
}

/// One path's change in one layer, against the filesystem below the layer. Written as the array
/// `[node, change, kind, size]` to keep reports of large images small.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathChange {
    /// The path id (see [`Timeline`]).
    pub node: u32,
    /// Whether the layer added, replaced or removed the path.
    pub change: PathChangeKind,
    /// What the path is after the layer (for removals, what it was).
    pub kind: NodeKind,
    /// The content size of a regular file (0 for everything else), after the layer or, for removals, before it.
    pub size: u64,
}

impl Serialize for PathChange {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (self.node, self.change, self.kind, self.size).serialize(s)
    }
}

impl<'de> Deserialize<'de> for PathChange {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (node, change, kind, size) = <(u32, PathChangeKind, NodeKind, u64)>::deserialize(d)?;
        Ok(PathChange { node, change, kind, size })
    }
}

/// How a layer changed a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PathChangeKind {
    /// The path did not exist below the layer (implied parent directories included).
    Added,
    /// The path existed below and the layer wrote it again (a directory re-shipped as a directory is not a change).
    Modified,
    /// The path existed below and the layer removed it (a whiteout, an opaque directory, or a replaced directory's contents).
    Removed,
}
