//! Recommendations: know the base, find what is avoidable, and say in bytes how to make an image smaller.
//!
//! The pieces are small and pure: [`catalog`] holds the sourced base-image facts, [`base_match`] finds an
//! image's base in it, [`detect`] reads what an image is from its files, [`findings`] measures avoidable
//! bytes and security issues, [`alternatives`] compares bases, [`dockerfile`] estimates and rewrites
//! Dockerfiles, and [`render`] turns the [`Recommendations`] report into text or Markdown.
//!
//! Entry points: [`recommend_image`] for an analysed image (an [`ImageView`]), [`recommend_dockerfile`]
//! for a Dockerfile alone, [`recommend_both`] when both are given.

pub mod alternatives;
pub mod base_match;
pub mod catalog;
pub mod detect;
pub mod dockerfile;
pub mod findings;
pub mod from_report;
pub mod render;
pub mod report;
pub mod rootfs;

pub use alternatives::{Alternative, AlternativeQuery};
pub use base_match::{match_base, BaseEvidence, BaseMatch, MatchStrength};
pub use catalog::{BaseImage, Catalog, Libc};
pub use dockerfile::{DockerfileAdvice, InstructionCost, Rewrite, SizeEstimate, StageInfo};
pub use findings::{Category, Finding, Severity};
pub use from_report::{capture_options, release_capture};
pub use render::{human_bytes, render_markdown, render_text};
pub use report::{recommend_image, recommend_image_with, Action, Recommendations, SizeSummary, SCHEMA_VERSION};
pub use rootfs::{ImageView, Node, NodeKind};

use crate::Result;

/// Builds the recommendations for a Dockerfile alone: estimate, base alternatives and rewrites.
pub fn recommend_dockerfile(text: &str) -> Result<Recommendations> {
    recommend_dockerfile_with(text, &[])
}

/// [`recommend_dockerfile`] with build arguments (`K`, `V` pairs) overriding ARG defaults before FROM.
pub fn recommend_dockerfile_with(text: &str, build_args: &[(String, String)]) -> Result<Recommendations> {
    let catalog = Catalog::builtin()?;
    let advice = dockerfile::advise_with(catalog, text, None, build_args);
    let base = advice.estimate.catalog_row.as_deref().and_then(|i| catalog.get(i));
    let size = SizeSummary {
        image_bytes: advice.estimate.base_uncompressed_bytes,
        base_bytes: advice.estimate.base_uncompressed_bytes,
        own_bytes: None,
        image_compressed_bytes: None,
        own_compressed_bytes: None,
        base_layers: base.and_then(|b| b.layer_count).map_or(0, |n| n as usize),
        estimated: true,
    };
    let alts = dockerfile_alternatives(catalog, &advice, None, &size);
    let mut actions = Vec::new();
    for rw in &advice.rewrites {
        let saved = match (advice.estimate.base_uncompressed_bytes, rw.final_base_uncompressed_bytes) {
            (Some(now), Some(new)) if now > new => Some((now - new, false)),
            _ => match (advice.estimate.base_compressed_bytes, rw.final_base_compressed_bytes) {
                (Some(now), Some(new)) if now > new => Some((now - new, true)),
                _ => None,
            },
        };
        actions.push(Action {
            id: format!("rewrite-{}", rw.id),
            title: rw.title.clone(),
            bytes_saved: saved.map(|(b, _)| b),
            compressed: saved.is_some_and(|(_, c)| c),
            why: "The final image then holds a smaller base and no build tools or caches.".into(),
            how: "Apply the rewritten Dockerfile shown below.".into(),
        });
    }
    actions.extend(dockerfile::build_actions(text));
    report::rank_actions(&mut actions);
    let mut unknowns =
        vec!["From a Dockerfile alone only the base image's size is known; what RUN and COPY add is not.".to_string()];
    unknowns.extend(advice.problems.iter().cloned());
    Ok(Recommendations {
        schema_version: SCHEMA_VERSION,
        subject: "Dockerfile".into(),
        size,
        base: None,
        facts: None,
        findings: Vec::new(),
        alternatives: alts,
        actions,
        dockerfile: Some(advice),
        unknowns,
    })
}

/// The base alternatives for the Dockerfile's final base (and the image's facts and sizes, when known).
fn dockerfile_alternatives(
    catalog: &Catalog,
    advice: &DockerfileAdvice,
    facts: Option<&detect::ImageFacts>,
    size: &SizeSummary,
) -> Vec<Alternative> {
    let base = advice.estimate.catalog_row.as_deref().and_then(|i| catalog.get(i));
    let line =
        Some(alternatives::tag_line(&advice.estimate.base)).filter(|l| l.starts_with(|c: char| c.is_ascii_digit()));
    let runtime = advice.ecosystem.as_deref().map(|eco| (eco, line.clone()));
    let query = AlternativeQuery {
        current: base,
        current_reference: Some(advice.estimate.base.as_str()),
        runtime,
        os_family: base.map(|b| b.family.as_str()),
        facts,
        own_bytes: size.own_bytes,
        image_bytes: size.image_bytes,
        own_compressed_bytes: size.own_compressed_bytes,
        image_compressed_bytes: size.image_compressed_bytes,
        needs_shell: false,
    };
    alternatives::alternatives(catalog, &query)
}

/// Builds the recommendations for an image and the Dockerfile that built it: the image's report plus the
/// Dockerfile's rewrites and the bytes each instruction cost. The Dockerfile's final `FROM` names the direct
/// base, so it decides the base alternatives when the image's layers matched another row (or none).
pub fn recommend_both(view: &ImageView, text: &str) -> Result<Recommendations> {
    let catalog = Catalog::builtin()?;
    let mut report = recommend_image_with(catalog, view)?;
    let advice = dockerfile::advise(catalog, text, Some(view));
    let matched = report.base.as_ref().and_then(|b| b.image.as_deref());
    if !advice.estimate.base.is_empty() && matched != advice.estimate.catalog_row.as_deref() {
        report.alternatives = dockerfile_alternatives(catalog, &advice, report.facts.as_ref(), &report.size);
        report.unknowns.push(format!(
            "The base alternatives follow the Dockerfile's final base, {}, which the image's layers alone do not identify.",
            advice.estimate.base
        ));
        report.actions.retain(|a| a.id != "switch-base");
        report.actions.extend(report::switch_base_action(&report.alternatives));
        report::rank_actions(&mut report.actions);
    }
    for action in dockerfile::build_actions(text) {
        if !report.actions.iter().any(|a| a.id == action.id) {
            report.actions.push(action);
        }
    }
    report::rank_actions(&mut report.actions);
    report.dockerfile = Some(advice);
    Ok(report)
}
