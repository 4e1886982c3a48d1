//! The image engine: reads any container image archive (docker save, Docker 25+ OCI save, OCI
//! layout, skopeo/podman docker-archive, kaniko; plain, gzip- or zstd-compressed) and reports its
//! layers, final filesystem, dive-compatible metrics and the true waste.
//!
//! Entry points: [`list_images`] to offer a choice, [`analyze`] for the [`ImageReport`].

mod capture;
mod compress;
mod differences;
mod dive;
mod gosort;
mod merge;
mod report;
mod resolve;
mod scan;
mod spec;
mod store;
mod timeline;
mod verify;

pub use capture::{CaptureOptions, ELF_HEAD_BUDGET, ELF_HEAD_BYTES};
pub use report::*;
pub use timeline::{layer_view, LayerView, PathStatus, PathView, Paths, ViewMode};
pub use verify::{CheckKind, Integrity, IntegrityCheck};

use crate::progress::{Observer, Progress};
use crate::source::Source;
use crate::{Error, ErrorKind, Result};
use resolve::Candidate;
use scan::Scanner;
use serde::{Deserialize, Serialize};
use std::cell::Cell;
use std::ops::ControlFlow;
use std::rc::Rc;
use store::Store;

/// Which image of an archive to analyse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImageSelector {
    /// The image at this 0-based position (see [`ImageChoice::image`]).
    Index(usize),
    /// The image with this tag or reference name (`name:tag`, or `name` meaning `name:latest`).
    Tag(String),
}

/// What to analyse, what to capture and what to verify.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalyzeOptions {
    /// The image; by default the first, with a notice when there are several.
    pub image: Option<ImageSelector>,
    /// The platform as `os/arch[/variant]`; by default the only one, else linux/amd64, else the first.
    pub platform: Option<String>,
    /// Files to capture for the recommendation engine.
    pub capture: CaptureOptions,
    /// Whether to compute the SHA-256 of every blob and uncompressed layer and compare them with the digests
    /// and diff IDs the archive names (on by default). It costs one SHA-256 pass over the input, and one more
    /// over the uncompressed data of compressed layers; the result is in [`ImageReport::integrity`]. Sizes,
    /// tar end markers and zstd checksums are checked either way.
    #[serde(default = "on")]
    pub verify_digests: bool,
}

fn on() -> bool {
    true
}

impl Default for AnalyzeOptions {
    fn default() -> Self {
        AnalyzeOptions { image: None, platform: None, capture: CaptureOptions::default(), verify_digests: true }
    }
}

/// Counts input bytes and reports progress to an [`Observer`] every few megabytes.
pub struct Progressor<'o> {
    observer: &'o mut dyn Observer,
    counter: Rc<Cell<u64>>,
    total: u64,
    last: u64,
}

impl<'o> Progressor<'o> {
    const STEP: u64 = 4 << 20;

    fn new(observer: &'o mut dyn Observer, total: u64) -> Self {
        Progressor { observer, counter: Rc::new(Cell::new(0)), total, last: 0 }
    }

    /// The shared counter that readers of the outer input add to.
    pub fn counter(&self) -> Rc<Cell<u64>> {
        self.counter.clone()
    }

    /// Reports progress when a step was passed; fails with `Cancelled` when the observer asks to stop.
    pub fn tick(&mut self) -> Result<()> {
        let done = self.counter.get().min(self.total);
        if done >= self.last + Self::STEP {
            self.last = done;
            if let ControlFlow::Break(()) =
                self.observer.progress(Progress { bytes_done: done, bytes_total: self.total })
            {
                return Err(Error::new(ErrorKind::Cancelled, "the analysis was cancelled"));
            }
        }
        Ok(())
    }

    /// Reports that all input was read.
    pub fn finish(&mut self) {
        let _ = self.observer.progress(Progress { bytes_done: self.total, bytes_total: self.total });
    }
}

fn outer_compression(source: &dyn Source) -> Result<report::Compression> {
    let mut head = [0u8; compress::MAGIC_LEN];
    let n = source.read_at(0, &mut head).map_err(|e| Error::from_io(&e, "reading the start of the file"))?;
    Ok(compress::detect(&head[..n]))
}

/// Opens the archive; `capture` is `None` when only the list of images is wanted (a compressed
/// archive's layers are then not read).
fn open<'a>(
    source: &'a dyn Source,
    options: Option<&AnalyzeOptions>,
    progress: &mut Progressor<'_>,
) -> Result<(Store<'a>, report::Compression)> {
    if source.is_empty() {
        return Err(Error::new(ErrorKind::NotAnImage, "the file is empty"));
    }
    let compression = outer_compression(source)?;
    let store = if compression == report::Compression::None {
        Store::random(source)?
    } else {
        let mut scanner = options.map(Scanner::new);
        Store::streamed(source, compression, scanner.as_mut(), progress)?
    };
    Ok((store, compression))
}

/// Lists the images and platforms the archive holds, so a user can choose one.
///
/// For a compressed archive this reads the whole input once.
pub fn list_images(source: &dyn Source, observer: &mut dyn Observer) -> Result<Vec<ImageChoice>> {
    list_inner(source, observer).map_err(tidy)
}

fn list_inner(source: &dyn Source, observer: &mut dyn Observer) -> Result<Vec<ImageChoice>> {
    let mut progress = Progressor::new(observer, source.len());
    let (store, _) = open(source, None, &mut progress)?;
    Ok(resolve::candidates(&store)?.into_iter().map(|c| c.choice).collect())
}

/// Analyses one image of the archive in `source`.
///
/// Progress goes to `observer` every few megabytes with the bytes of the input consumed; returning
/// `Break` from it cancels with [`ErrorKind::Cancelled`].
pub fn analyze(source: &dyn Source, options: &AnalyzeOptions, observer: &mut dyn Observer) -> Result<ImageReport> {
    analyze_inner(source, options, observer).map_err(tidy)
}

/// Keeps an error message to one printable line of bounded length (input names can hold anything).
fn tidy(mut e: Error) -> Error {
    const MAX: usize = 400;
    let mut out = String::with_capacity(e.message.len().min(MAX + 4));
    for (i, c) in e.message.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        out.push(if c.is_control() { ' ' } else { c });
    }
    e.message = out;
    e
}

fn analyze_inner(source: &dyn Source, options: &AnalyzeOptions, observer: &mut dyn Observer) -> Result<ImageReport> {
    let mut progress = Progressor::new(observer, source.len());
    let (mut store, compression) = open(source, Some(options), &mut progress)?;
    let candidates = resolve::candidates(&store)?;
    let mut notices = Vec::new();
    let chosen = choose(&candidates, options, &mut notices)?;
    let Some(plan) = chosen.plan.clone() else {
        return Err(Error::new(ErrorKind::Corrupt, "the chosen image's manifest is missing from the archive"));
    };
    let config_bytes = store.read_small(&plan.config_path)?.ok_or_else(|| {
        Error::new(ErrorKind::Corrupt, format!("the image config {} is missing from the archive", plan.config_path))
    })?;
    let config: spec::ImageConfig = serde_json::from_slice(&config_bytes).map_err(|e| {
        Error::new(ErrorKind::Corrupt, format!("the image config {} is not valid JSON: {e}", plan.config_path))
    })?;
    let mut scanner = Scanner::new(options);
    let mut scans = Vec::with_capacity(plan.layers.len());
    for layer in &plan.layers {
        scans.push(store.scan_layer(&layer.path, &mut scanner, &mut progress)?);
    }
    progress.finish();
    let mut warnings = Vec::new();
    for (i, s) in scans.iter().enumerate() {
        warnings.extend(s.warnings.iter().map(|m| Warning { layer: Some(i), message: m.clone() }));
    }
    if let Some(diff_ids) = config.rootfs.as_ref().map(|r| &r.diff_ids) {
        if diff_ids.len() != scans.len() {
            warnings.push(Warning {
                layer: None,
                message: format!(
                    "the config lists {} layer diff IDs but the manifest lists {} layers",
                    diff_ids.len(),
                    scans.len()
                ),
            });
        }
    }
    let manifest_bytes = match &plan.manifest_digest {
        Some(digest) => store.read_small(&resolve::blob_path(digest))?,
        None => None,
    };
    let no_diff_ids = Vec::new();
    let (integrity, failures) = verify::check(&verify::Evidence {
        plan: &plan,
        manifest: manifest_bytes.as_deref(),
        config: &config_bytes,
        diff_ids: config.rootfs.as_ref().map(|r| &r.diff_ids).unwrap_or(&no_diff_ids),
        scans: &scans,
        verify_digests: options.verify_digests,
    });
    warnings.extend(failures);
    let merged = merge::merge(&scans);
    let dive = dive::metrics(&scans);
    warnings.extend(merged.warnings.iter().cloned());
    let history = history_steps(&config, scans.len());
    let layers = layer_reports(&plan, &config, &scans, &merged, &history);
    let differences = differences::explain(&dive, &merged, &scans);
    Ok(ImageReport {
        schema_version: SCHEMA_VERSION,
        archive: ArchiveInfo { format: plan.format, compression, bytes: source.len() },
        image: ImageInfo {
            index: chosen.choice.image,
            tags: chosen.choice.tags.clone(),
            platform: chosen.choice.platform.clone(),
            manifest_digest: plan.manifest_digest.clone(),
            config: plan.config_name.clone(),
            created: config.created.clone(),
        },
        choices: candidates.iter().map(|c| c.choice.clone()).collect(),
        notices,
        warnings,
        config: Some(config.runtime()),
        history,
        layers,
        filesystem: merged.filesystem,
        dive,
        waste: merged.waste,
        duplicates: merged.duplicates,
        dive_differences: differences,
        captured: merged.captured,
        executables: merged.executables,
        timeline: merged.timeline,
        integrity,
    })
}

fn describe(c: &ImageChoice) -> String {
    let name = c.tags.first().cloned().unwrap_or_else(|| format!("image {}", c.image + 1));
    match &c.platform {
        Some(p) => format!("{name} ({p})"),
        None => name,
    }
}

/// Joins the first few items with commas and says how many more there are.
fn short_list(items: impl Iterator<Item = String>) -> String {
    let all: Vec<String> = items.collect();
    let mut s = all.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
    if all.len() > 5 {
        s.push_str(&format!(" and {} more", all.len() - 5));
    }
    s
}

fn tag_matches(tags: &[String], want: &str) -> bool {
    let with_latest = if want.contains(':') { want.to_string() } else { format!("{want}:latest") };
    tags.iter().any(|t| t == want || *t == with_latest || t.strip_prefix("docker.io/library/") == Some(want))
}

fn platform_matches(have: &str, want: &str) -> bool {
    have == want || have.strip_suffix("/v8") == Some(want) || want.strip_suffix("/v8") == Some(have)
}

fn choose<'c>(
    candidates: &'c [Candidate],
    options: &AnalyzeOptions,
    notices: &mut Vec<String>,
) -> Result<&'c Candidate> {
    let images: Vec<usize> = {
        let mut v: Vec<usize> = candidates.iter().map(|c| c.choice.image).collect();
        v.dedup();
        v
    };
    if images.is_empty() {
        return Err(Error::new(ErrorKind::NotAnImage, "the archive's index lists no image manifests"));
    }
    let list = || short_list(candidates.iter().map(|c| describe(&c.choice)));
    let image = match &options.image {
        Some(ImageSelector::Index(i)) => {
            if !images.contains(i) {
                return Err(Error::new(
                    ErrorKind::NotAnImage,
                    format!("the archive has no image number {} (it holds {}: {})", i + 1, images.len(), list()),
                ));
            }
            *i
        }
        Some(ImageSelector::Tag(t)) => match candidates.iter().find(|c| tag_matches(&c.choice.tags, t)) {
            Some(c) => c.choice.image,
            None => {
                return Err(Error::new(
                    ErrorKind::NotAnImage,
                    format!("the archive has no image tagged {t} (it holds {})", list()),
                ))
            }
        },
        None => {
            if images.len() > 1 {
                let first = candidates.iter().find(|c| c.choice.image == images[0]).map(|c| describe(&c.choice));
                notices.push(format!(
                    "The archive holds {} images ({}); analysing the first, {}. Choose another by number or tag.",
                    images.len(),
                    list(),
                    first.unwrap_or_default()
                ));
            }
            images[0]
        }
    };
    let of_image: Vec<&Candidate> = candidates.iter().filter(|c| c.choice.image == image).collect();
    if let Some(want) = &options.platform {
        return match of_image.iter().find(|c| c.choice.platform.as_deref().is_some_and(|p| platform_matches(p, want))) {
            Some(c) if c.plan.is_some() => Ok(c),
            Some(_) => Err(Error::new(
                ErrorKind::Corrupt,
                format!("the archive lists platform {want} but does not hold its manifest, config or layers"),
            )),
            None => Err(Error::new(
                ErrorKind::NotAnImage,
                format!(
                    "the image has no platform {want} (it has: {})",
                    short_list(of_image.iter().filter_map(|c| c.choice.platform.clone()))
                ),
            )),
        };
    }
    let available: Vec<&&Candidate> = of_image.iter().filter(|c| c.plan.is_some()).collect();
    let platforms =
        || short_list(of_image.iter().map(|c| c.choice.platform.clone().unwrap_or_else(|| "unknown".into())));
    match available.len() {
        0 => Err(Error::new(
            ErrorKind::Corrupt,
            format!("the archive lists {} but holds the manifest, config and layers of none of them", platforms()),
        )),
        1 => {
            if of_image.len() > 1 {
                notices.push(format!(
                    "The image lists {} platforms ({}); only {} is in the archive, so it is analysed.",
                    of_image.len(),
                    platforms(),
                    available[0].choice.platform.clone().unwrap_or_default()
                ));
            }
            Ok(available[0])
        }
        _ => {
            let pick =
                available.iter().find(|c| c.choice.platform.as_deref() == Some("linux/amd64")).unwrap_or(&available[0]);
            notices.push(format!(
                "The image holds {} platforms ({}); analysing {}. Choose another with a platform option.",
                available.len(),
                platforms(),
                pick.choice.platform.clone().unwrap_or_default()
            ));
            Ok(pick)
        }
    }
}

/// Removes the shell noise builders put around commands.
pub fn clean_command(created_by: &str) -> String {
    let s = created_by.trim();
    let s = s.strip_suffix("# buildkit").map(str::trim_end).unwrap_or(s);
    if let Some(rest) = s.strip_prefix("/bin/sh -c #(nop)") {
        return rest.trim().to_string();
    }
    if let Some(rest) = s.strip_prefix("/bin/sh -c ").or_else(|| s.strip_prefix("RUN /bin/sh -c ")) {
        return format!("RUN {}", rest.trim());
    }
    if let Some(rest) = s.strip_prefix("|") {
        // BuildKit writes RUN steps with build args as `|N ARG=v ... /bin/sh -c cmd`.
        if let Some(pos) = rest.find("/bin/sh -c ") {
            return format!("RUN {}", rest[pos + "/bin/sh -c ".len()..].trim());
        }
    }
    s.to_string()
}

fn history_steps(config: &spec::ImageConfig, layer_count: usize) -> Vec<HistoryStep> {
    let mut next_layer = 0;
    config
        .history
        .iter()
        .map(|h| {
            let created_by = h.created_by.clone().unwrap_or_default();
            let layer = if h.empty_layer || next_layer >= layer_count {
                None
            } else {
                next_layer += 1;
                Some(next_layer - 1)
            };
            HistoryStep {
                command: clean_command(&created_by),
                created_by,
                created: h.created.clone(),
                comment: h.comment.clone(),
                empty_layer: h.empty_layer,
                layer,
            }
        })
        .collect()
}

fn layer_reports(
    plan: &resolve::Plan,
    config: &spec::ImageConfig,
    scans: &[scan::LayerScan],
    merged: &merge::Merged,
    history: &[HistoryStep],
) -> Vec<LayerReport> {
    let diff_ids = config.rootfs.as_ref().map(|r| r.diff_ids.as_slice()).unwrap_or(&[]);
    scans
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let step = history.iter().position(|h| h.layer == Some(i));
            let diff_id = diff_ids.get(i).cloned();
            let planned = &plan.layers[i];
            let digest = planned
                .digest
                .clone()
                .filter(|_| plan.format != ArchiveFormat::DockerLegacy)
                .or_else(|| if s.compression == Compression::None { diff_id.clone() } else { None })
                .unwrap_or_else(|| planned.path.clone());
            LayerReport {
                index: i,
                digest,
                diff_id,
                archive_path: planned.path.clone(),
                compression: s.compression,
                stored_bytes: s.stored_bytes,
                tar_bytes: s.tar_bytes,
                content_bytes: merged.content_bytes[i],
                dive_size: dive::layer_size(s),
                entries: s.entries.len() as u64,
                files: merged.files[i],
                history: step,
                command: step.map(|h| history[h].command.clone()).unwrap_or_else(|| "(missing)".into()),
                changes: merged.changes[i].clone(),
                shipped_hidden_bytes: merged.shipped_hidden[i],
                hides_bytes: merged.hides[i],
                duplicate_bytes: merged.duplicate_bytes[i],
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_commands() {
        assert_eq!(clean_command("/bin/sh -c #(nop)  CMD [\"sh\"]"), "CMD [\"sh\"]");
        assert_eq!(clean_command("/bin/sh -c apk add x"), "RUN apk add x");
        assert_eq!(clean_command("RUN /bin/sh -c make # buildkit"), "RUN make");
        assert_eq!(clean_command("|1 V=2 /bin/sh -c make"), "RUN make");
        assert_eq!(clean_command("COPY a /b # buildkit"), "COPY a /b");
    }
}
