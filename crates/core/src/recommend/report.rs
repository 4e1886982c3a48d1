//! The recommendations report for an analysed image: base, facts, findings, alternatives and ranked actions.

use super::alternatives::{alternatives, Alternative, AlternativeQuery};
use super::base_match::{match_base, BaseEvidence, BaseMatch, MatchStrength};
use super::catalog::Catalog;
use super::detect::{detect, ImageFacts, OsKind};
use super::dockerfile::DockerfileAdvice;
use super::findings::{find, Category, Finding};
use super::rootfs::ImageView;
use crate::Result;
use serde::{Deserialize, Serialize};

/// The version of the recommendations schema; bumped when a field is renamed, removed or changes meaning.
pub const SCHEMA_VERSION: u32 = 1;

/// Sizes of the image being advised on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SizeSummary {
    /// Uncompressed bytes the layers ship (measured), or the estimate for a Dockerfile.
    pub image_bytes: Option<u64>,
    /// Bytes of the layers that belong to the base image.
    pub base_bytes: Option<u64>,
    /// Bytes of the image's own layers (after the base).
    pub own_bytes: Option<u64>,
    /// Compressed (stored) bytes of all layers, when the archive holds every layer compressed.
    #[serde(default)]
    pub image_compressed_bytes: Option<u64>,
    /// Compressed (stored) bytes of the image's own layers, when the archive holds them compressed.
    #[serde(default)]
    pub own_compressed_bytes: Option<u64>,
    /// Number of leading layers attributed to the base.
    pub base_layers: usize,
    /// True when the figures are estimates (a Dockerfile without an image).
    pub estimated: bool,
}

/// One thing to change, ranked by the bytes it saves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    /// Stable identifier (`multi-stage`, `switch-base`, a finding id, …).
    pub id: String,
    /// What to do, in a few words.
    pub title: String,
    /// Bytes saved (uncompressed unless `compressed` is set); `None` when it cannot be measured.
    pub bytes_saved: Option<u64>,
    /// True when `bytes_saved` compares compressed (registry) sizes from the catalog.
    pub compressed: bool,
    /// Why it helps.
    pub why: String,
    /// How to do it.
    pub how: String,
}

/// Everything layerlens recommends for one image or Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recommendations {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The image name or `Dockerfile`.
    pub subject: String,
    /// Sizes.
    pub size: SizeSummary,
    /// The base image found in the catalog.
    pub base: Option<BaseMatch>,
    /// What the image is (absent for a Dockerfile alone).
    pub facts: Option<ImageFacts>,
    /// Avoidable bytes (largest first) and security findings.
    pub findings: Vec<Finding>,
    /// Base-image alternatives, the current base first, then smallest first.
    pub alternatives: Vec<Alternative>,
    /// What to change: measured savings first (largest first), then compressed catalog comparisons, then
    /// changes whose saving cannot be measured.
    pub actions: Vec<Action>,
    /// Dockerfile estimate, rewrites and per-instruction costs, when a Dockerfile was given.
    pub dockerfile: Option<DockerfileAdvice>,
    /// What could not be determined, said plainly.
    pub unknowns: Vec<String>,
}

/// Builds the recommendations for an analysed image using the built-in catalog.
pub fn recommend_image(view: &ImageView) -> Result<Recommendations> {
    recommend_image_with(Catalog::builtin()?, view)
}

/// Builds the recommendations for an analysed image against `catalog`.
pub fn recommend_image_with(catalog: &Catalog, view: &ImageView) -> Result<Recommendations> {
    let first = view.layers.first();
    let evidence = BaseEvidence {
        history: &view.config.history,
        first_layer_digest: first.and_then(|l| l.digest.as_deref()),
        first_layer_compressed: first.and_then(|l| l.compressed_size),
        first_layer_uncompressed: first.map(|l| l.size),
        layer_count: view.layers.len(),
        env: &view.config.env,
    };
    let base = match_base(catalog, &evidence);
    let mut unknowns = Vec::new();
    let base_layers = match &base {
        Some(m) if m.strength != MatchStrength::Family => m.base_layers.map_or(1, |n| n as usize),
        Some(_) => 1,
        None => 1,
    };
    let mut base_layers = base_layers.min(view.layers.len());
    let mut facts = detect(view, base_layers);
    if base.is_none() && facts.os.kind == OsKind::Scratch {
        base_layers = 0;
        facts = detect(view, 0);
        unknowns.push(
            "No OS files were found: the image is taken to be built FROM scratch, so every layer is yours.".into(),
        );
    } else if base.is_none() {
        unknowns.push("The base image is not in the catalog; layer 0 is taken as the base.".into());
    }
    if !view.config.known {
        unknowns.push(
            "The image config (Env, User, Cmd) was not available, so runtime versions from ENV, the root-user check and secrets in ENV are not reported.".into(),
        );
    }
    let image_bytes = view.total_layer_bytes();
    let base_bytes: u64 = view.layers.iter().take(base_layers).map(|l| l.size).sum();
    let own_bytes = image_bytes.saturating_sub(base_bytes);
    let mut findings = find(view, &facts, base_layers);
    findings.sort_by(|a, b| a.category.cmp(&b.category).then(b.bytes.cmp(&a.bytes)).then(b.severity.cmp(&a.severity)));

    let current = base.as_ref().and_then(|m| m.image.as_deref()).and_then(|i| catalog.get(i));
    if base.as_ref().is_some_and(|m| m.strength == MatchStrength::Family) {
        unknowns.push(
            "The exact base build is not catalogued; the closest catalog row of the same OS version stands in for it."
                .into(),
        );
    }
    let runtime = facts.runtime().map(|r| (r.name.as_str(), r.major()));
    let os_family = match facts.os.kind {
        OsKind::Debian | OsKind::Distroless => Some("debian"),
        OsKind::Ubuntu => Some("ubuntu"),
        OsKind::Alpine => Some("alpine"),
        OsKind::Busybox => Some("busybox"),
        _ => None,
    };
    let own_compressed_bytes = compressed_sum(view.layers.iter().skip(base_layers));
    let image_compressed_bytes = compressed_sum(view.layers.iter());
    let needs_shell = view.config.command.first().is_some_and(|c| c == "/bin/sh" || c == "sh");
    let query = AlternativeQuery {
        current,
        current_reference: None,
        runtime,
        os_family,
        facts: Some(&facts),
        own_bytes: Some(own_bytes),
        image_bytes: Some(image_bytes),
        own_compressed_bytes,
        image_compressed_bytes,
        needs_shell,
    };
    let alts = alternatives(catalog, &query);
    if alts.iter().any(|a| !a.current && a.uncompressed_bytes.is_none() && a.compressed_bytes.is_some()) {
        unknowns.push(
            "Some alternatives have only a compressed (registry) size in the catalog, so their new image size is not estimated; their saving is given in compressed bytes against the current base's catalog row.".into(),
        );
    }
    if facts.packages.note.is_some() {
        unknowns.extend(facts.packages.note.clone());
    }
    let actions = image_actions(view, &findings, &alts);
    Ok(Recommendations {
        schema_version: SCHEMA_VERSION,
        subject: if view.name.is_empty() { "image".into() } else { view.name.clone() },
        size: SizeSummary {
            image_bytes: Some(image_bytes),
            base_bytes: Some(base_bytes),
            own_bytes: Some(own_bytes),
            image_compressed_bytes,
            own_compressed_bytes,
            base_layers,
            estimated: false,
        },
        base,
        facts: Some(facts),
        findings,
        alternatives: alts,
        actions,
        dockerfile: None,
        unknowns,
    })
}

/// The compressed bytes of `layers` together, when every one of them is stored compressed.
fn compressed_sum<'a>(layers: impl Iterator<Item = &'a super::rootfs::LayerView>) -> Option<u64> {
    layers.map(|l| l.compressed_size).try_fold(0u64, |sum, size| size.map(|s| sum.saturating_add(s)))
}

const BUILD_ONLY: [&str; 9] = [
    "toolchain",
    "apt-lists",
    "apt-archives",
    "apk-cache",
    "npm-cache",
    "pip-cache",
    "go-cache",
    "jvm-build-cache",
    "node-dev-dependencies",
];

fn image_actions(view: &ImageView, findings: &[Finding], alts: &[Alternative]) -> Vec<Action> {
    let mut actions = Vec::new();
    for f in findings.iter().filter(|f| f.category == Category::Avoidable && f.own_bytes > 0) {
        actions.push(Action {
            id: f.id.clone(),
            title: f.title.clone(),
            bytes_saved: Some(f.own_bytes),
            compressed: false,
            why: f.why.clone(),
            how: f.how.clone(),
        });
    }
    let build_only: u64 = findings.iter().filter(|f| BUILD_ONLY.contains(&f.id.as_str())).map(|f| f.own_bytes).sum();
    if build_only > 0 {
        actions.push(Action {
            id: "multi-stage".into(),
            title: "use a multi-stage build with a clean final stage".into(),
            bytes_saved: Some(build_only),
            compressed: false,
            why: "Build tools, caches and dev dependencies in your layers are needed to build, not to run.".into(),
            how: "Build in `FROM … AS build`, then start the final stage from a runtime base and `COPY --from=build` only the application.".into(),
        });
    }
    actions.extend(switch_base_action(alts));
    let apt_without_flag =
        view.config.history.iter().any(|h| h.contains("apt-get install") && !h.contains("--no-install-recommends"));
    if apt_without_flag {
        actions.push(Action {
            id: "no-install-recommends".into(),
            title: "install apt packages with --no-install-recommends".into(),
            bytes_saved: None,
            compressed: false,
            why: "apt installs recommended packages by default, often doubling what an install adds.".into(),
            how: "`apt-get install -y --no-install-recommends …` (the saving is known only after a rebuild).".into(),
        });
    }
    rank_actions(&mut actions);
    actions
}

/// Orders actions: bytes measured from this image first (largest first), then savings that compare
/// compressed catalog sizes (a different unit, so not mixed into the first list), then unmeasurable ones.
pub fn rank_actions(actions: &mut [Action]) {
    actions.sort_by(|a, b| {
        let key = |x: &Action| (x.bytes_saved.is_some(), !x.compressed, x.bytes_saved.unwrap_or(0));
        key(b).cmp(&key(a)).then(a.id.cmp(&b.id))
    });
}

/// The "switch the base" action for the alternative that saves most without a known blocker.
pub(crate) fn switch_base_action(alts: &[Alternative]) -> Option<Action> {
    let (saving, compressed, alt) = alts
        .iter()
        .filter(|a| !a.current && a.blockers.is_empty())
        .filter_map(|a| a.saving_bytes.map(|s| (s, false, a)).or(a.compressed_saving_bytes.map(|s| (s, true, a))))
        .filter(|(s, _, _)| *s > 0)
        .max_by_key(|(s, compressed, _)| (!compressed, *s))?;
    let unit = if compressed { " (compressed registry size, base only)" } else { "" };
    Some(Action {
        id: "switch-base".into(),
        title: format!("switch the base to {}{unit}", alt.image),
        bytes_saved: Some(saving.unsigned_abs()),
        compressed,
        why: "A smaller base ships fewer packages you do not use.".into(),
        how: if alt.tradeoffs.is_empty() {
            format!("`FROM {}`.", alt.image)
        } else {
            format!("`FROM {}`. Trade-offs: {}", alt.image, alt.tradeoffs.join(" "))
        },
    })
}
