//! The report the worker produces and the page shows, the one call into the engine that makes it, and the
//! per-layer figures the views share.

use layerlens_core::image::{self, AnalyzeOptions, ImageReport};
use layerlens_core::recommend::{self, Catalog, DockerfileAdvice, Libc, Recommendations};
use layerlens_core::{Error, Observer, Result, Source};
use serde::{Deserialize, Serialize};
use std::rc::Rc;

/// What the page shows for one image: the engine's analysis and the recommendations made from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The engine's analysis of the image.
    pub analysis: ImageReport,
    /// What to change, or why no recommendations could be made (the analysis is still shown then).
    pub recommendations: std::result::Result<Recommendations, Error>,
}

/// The options the page analyses with: the chosen image and platform, and the few small files the
/// recommendations read (OS and package databases, `package.json`, ELF headers).
pub fn page_options(image: Option<usize>, platform: Option<String>) -> AnalyzeOptions {
    AnalyzeOptions {
        image: image.map(image::ImageSelector::Index),
        platform,
        capture: recommend::capture_options(),
        // SHA-256 runs at 30-50 MB/s in wasm, several times the cost of the whole analysis (BENCHMARKS.md), so the
        // page does not verify digests and says so; sizes and tar ends are checked either way.
        verify_digests: false,
    }
}

/// Runs the engine over `source`, reporting progress to `observer`, then makes the recommendations. The
/// captured file contents and ELF heads are dropped once the recommendations are made: the page shows none of them.
pub fn analyze(source: &dyn Source, options: &AnalyzeOptions, observer: &mut dyn Observer) -> Result<Report> {
    let mut analysis = image::analyze(source, options, observer)?;
    let recommendations = recommend::recommend_image(&recommend::ImageView::from_report(&analysis));
    recommend::release_capture(&mut analysis);
    Ok(Report { analysis, recommendations })
}

/// What the page shows for the Dockerfile in the editor: the core's advice (the size estimate, the rewrites and
/// why some advice could not be given) and the catalog facts of every base the advice names.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DockerfileReport {
    /// The core's advice; `None` only before the first lint reply or when the core could not advise (`error`).
    pub advice: Option<DockerfileAdvice>,
    /// Why the core could not advise, when it could not.
    pub error: Option<Error>,
    /// The catalog row of the final stage's base and of each rewrite's base, in that order, without repeats;
    /// bases the catalog lacks are left out.
    pub bases: Vec<BaseFacts>,
}

/// What the base-image catalog states about one base: the facts behind a smaller base's trade-offs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaseFacts {
    /// The base as the advice names it (`python:3.12`, or `python:${PY}-slim` in a rewrite).
    pub reference: String,
    /// The catalog row it matched (`python:3.12-slim`, with ARG defaults expanded and `docker.io/library/` dropped).
    pub row: String,
    /// OS and version of the root filesystem.
    pub os_version: String,
    /// The C library, when the catalog states one.
    pub libc: Option<Libc>,
    /// Whether `/bin/sh` exists, as the catalog states it.
    pub has_shell: String,
    /// The package manager, as the catalog states it (`apt`, `apk`, `none`).
    pub pkg_manager: String,
}

impl DockerfileReport {
    /// The catalog facts for `reference`, when the catalog has it.
    pub fn facts(&self, reference: &str) -> Option<&BaseFacts> {
        self.bases.iter().find(|b| b.reference == reference)
    }
}

/// The core's advice for the Dockerfile `text` with the catalog facts of the bases it names, made once in the
/// lint worker.
pub fn dockerfile_report(text: &str) -> DockerfileReport {
    let advice = match recommend::recommend_dockerfile(text) {
        Ok(recs) => recs.dockerfile,
        Err(error) => return DockerfileReport { advice: None, error: Some(error), bases: Vec::new() },
    };
    let bases = match (&advice, Catalog::builtin()) {
        (Some(advice), Ok(catalog)) => base_facts(catalog, advice),
        _ => Vec::new(),
    };
    DockerfileReport { advice, error: None, bases }
}

fn base_facts(catalog: &Catalog, advice: &DockerfileAdvice) -> Vec<BaseFacts> {
    let references = std::iter::once(&advice.estimate.base).chain(advice.rewrites.iter().map(|r| &r.final_base));
    let mut bases: Vec<BaseFacts> = Vec::new();
    for reference in references {
        if bases.iter().any(|b| &b.reference == reference) {
            continue;
        }
        if let Some(row) = catalog.get(&resolved(advice, reference)) {
            bases.push(BaseFacts {
                reference: reference.clone(),
                row: row.image.clone(),
                os_version: row.os_version.clone(),
                libc: row.libc,
                has_shell: row.has_shell.clone(),
                pkg_manager: row.pkg_manager.clone(),
            });
        }
    }
    bases
}

/// The catalog name of a base the advice names. The core keeps the user's spelling in a rewrite's base
/// (`python:${PY}-slim`), so a stage's written base at its start is swapped for that stage's resolved one.
fn resolved(advice: &DockerfileAdvice, reference: &str) -> String {
    advice
        .stages
        .iter()
        .filter(|stage| stage.base != stage.base_resolved)
        .find_map(|stage| {
            reference.strip_prefix(stage.base.as_str()).map(|rest| format!("{}{rest}", stage.base_resolved))
        })
        .unwrap_or_else(|| reference.to_string())
}

/// A report shared by the state and every view. Two handles are equal when they point at the same report, so
/// re-rendering never compares a large report field by field.
#[derive(Debug, Clone)]
pub struct SharedReport(Rc<Report>);

impl SharedReport {
    /// Shares `report`.
    pub fn new(report: Report) -> SharedReport {
        SharedReport(Rc::new(report))
    }

    /// An identity for memoisation: the same report always gives the same key.
    pub fn key(&self) -> usize {
        Rc::as_ptr(&self.0) as usize
    }
}

impl PartialEq for SharedReport {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for SharedReport {
    type Target = Report;

    fn deref(&self) -> &Report {
        &self.0
    }
}

/// One layer's sizes as the layer chart and table show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerFigures {
    /// The layer's position, 0 = base.
    pub index: usize,
    /// The cleaned command that made it.
    pub command: String,
    /// Content bytes the layer ships.
    pub shipped: u64,
    /// Of those, bytes still visible in the final filesystem.
    pub visible: u64,
    /// Of those, bytes a later layer (or this one) hid.
    pub hidden: u64,
    /// Of the visible bytes, copies of content kept at another path (the core's per-layer duplicate bytes).
    pub duplicate: u64,
    /// Of the visible bytes, caches and toolchains (the recommendations' findings of that kind in this layer;
    /// bytes that are also duplicates count as duplicates).
    pub cache: u64,
    /// The visible bytes that are neither: `visible - duplicate - cache`.
    pub kept: u64,
    /// Content bytes shipped by this layer and all below it.
    pub running_total: u64,
}

/// The figures of every layer, base first.
pub fn layer_figures(report: &Report) -> Vec<LayerFigures> {
    let mut running_total = 0u64;
    let mut cache_by_layer = vec![0u64; report.analysis.layers.len()];
    if let Ok(recs) = &report.recommendations {
        for finding in recs.findings.iter().filter(|f| f.is_cache_or_toolchain()) {
            for &(layer, bytes) in &finding.layer_bytes {
                if let Some(c) = cache_by_layer.get_mut(layer) {
                    *c = c.saturating_add(bytes);
                }
            }
        }
    }
    report
        .analysis
        .layers
        .iter()
        .map(|layer| {
            running_total = running_total.saturating_add(layer.content_bytes);
            let hidden = layer.shipped_hidden_bytes.min(layer.content_bytes);
            let visible = layer.content_bytes - hidden;
            let duplicate = layer.duplicate_bytes.min(visible);
            let cache = cache_by_layer.get(layer.index).copied().unwrap_or(0).min(visible - duplicate);
            LayerFigures {
                index: layer.index,
                command: layer.command.clone(),
                shipped: layer.content_bytes,
                visible,
                hidden,
                duplicate,
                cache,
                kept: visible - duplicate - cache,
                running_total,
            }
        })
        .collect()
}

/// The image's display name: its first tag, or the file name when it has none.
pub fn image_name<'a>(report: &'a Report, file_name: &'a str) -> &'a str {
    report.analysis.image.tags.first().map(String::as_str).unwrap_or(file_name)
}

/// The built-in sample's report, for tests.
#[cfg(test)]
pub(crate) fn sample_report() -> Report {
    let bytes = include_bytes!("../www/samples/sample.tar");
    let source = layerlens_core::MemSource::new(&bytes[..]);
    analyze(&source, &page_options(None, None), &mut layerlens_core::Silent).expect("the sample analyses")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layer_figures_split_shipped_bytes_and_add_up() {
        let report = sample_report();
        let figures = layer_figures(&report);
        assert_eq!(figures.len(), 6);
        for f in &figures {
            assert_eq!(f.visible + f.hidden, f.shipped, "layer {}", f.index);
            assert_eq!(f.kept + f.duplicate + f.cache, f.visible, "layer {}", f.index);
        }
        // The sample's duplicate content (app/backup repeats app/data) is counted once, at the copy's layer.
        let duplicate: u64 = figures.iter().map(|f| f.duplicate).sum();
        assert_eq!(duplicate, report.analysis.duplicates.saving_bytes);
        let shipped: u64 = figures.iter().map(|f| f.shipped).sum();
        assert_eq!(figures.last().unwrap().running_total, shipped);
        assert_eq!(shipped, report.analysis.waste.shipped_bytes);
        // The package index shipped by layer 1 is deleted by layer 5.
        assert!(figures[1].hidden > 20_000, "{:?}", figures[1]);
        assert_eq!(image_name(&report, "file.tar"), "layerlens/sample:1.0");
    }
}
