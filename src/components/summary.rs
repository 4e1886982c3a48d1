//! The summary bar of an analysed image.

use crate::format;
use crate::report::{image_name, SharedReport};
use layerlens_core::image::ImageReport;
use yew::prelude::*;

/// Properties of [`Summary`].
#[derive(Properties, PartialEq)]
pub struct SummaryProps {
    /// The analysed file's name.
    pub name: AttrValue,
    /// The engine's report.
    pub report: SharedReport,
    /// How long the analysis took in milliseconds.
    pub elapsed_ms: f64,
}

/// Headline figures: size, layers, dive's efficiency and our hidden bytes, and the three largest changes.
#[function_component]
pub fn Summary(props: &SummaryProps) -> Html {
    let report = &props.report;
    let r = &report.analysis;
    let empty_steps = r.history.iter().filter(|h| h.empty_layer).count();
    let platform = r.image.platform.clone().unwrap_or_else(|| "unknown platform".into());
    let stat = |label: &str, value: String, exact: Option<u64>, note: Option<String>| {
        html! {
            <div class="stat">
                <dt>{ label.to_string() }</dt>
                <dd title={exact.map(format::exact_bytes)} data-bytes={exact.map(|b| b.to_string())}>
                    { value }
                    if let Some(note) = note { <span class="note">{ note }</span> }
                </dd>
            </div>
        }
    };
    html! {
        <section class="summary-panel" aria-label="Summary">
            <div class="image-title">
                <h2 id="image-name">{ image_name(report, &props.name) }</h2>
                <p class="muted">
                    { format!("{} · {} · read from {} in {:.0} ms", platform, format_label(r), props.name, props.elapsed_ms) }
                </p>
                <p class="muted" id="integrity-note">{ integrity_note(&r.integrity) }</p>
                { runs(r) }
            </div>
            <dl class="summary" id="summary">
                { stat("Image size", format::bytes(r.waste.shipped_bytes), Some(r.waste.shipped_bytes),
                    Some(format!("{} archive file", format::bytes(r.archive.bytes)))) }
                { stat("Layers", r.layers.len().to_string(), None,
                    Some(format!("{} made no layer", format::count(empty_steps as u64, "build step", "build steps")))) }
                { stat("Efficiency", format::percent(r.dive.efficiency), None,
                    Some("dive's definition".to_string())) }
                { stat("Hidden bytes", format::bytes(r.waste.hidden_bytes), Some(r.waste.hidden_bytes),
                    Some(format!("{} of the image; dive counts {}", share(r.waste.hidden_bytes, r.waste.shipped_bytes),
                        format::bytes(r.dive.wasted_bytes)))) }
                { stat("Duplicates", format::bytes(r.duplicates.saving_bytes), Some(r.duplicates.saving_bytes),
                    Some(format!("{} of identical files", format::count(r.duplicates.group_count, "group", "groups")))) }
                { stat("Files", format::grouped(r.filesystem.files), None,
                    Some(format!("{} visible", format::bytes(r.filesystem.total_bytes)))) }
            </dl>
            if let Ok(recs) = &report.recommendations {
                if !recs.actions.is_empty() {
                    <div class="top-actions">
                        <a href="#recommendations">{ "Top changes:" }</a>
                        <ol>
                            { for recs.actions.iter().take(3).map(|a| html! {
                                <li>{ a.title.clone() }<span class="note">{ super::saving_words(a) }</span></li>
                            }) }
                        </ol>
                    </div>
                }
            }
            if !r.notices.is_empty() || !r.warnings.is_empty() {
                <ul class="notices">
                    { for r.notices.iter().map(|n| html! { <li>{ n.clone() }</li> }) }
                    { for r.warnings.iter().map(|w| html! { <li class="warning">{ w.message.clone() }</li> }) }
                </ul>
            }
            if !r.dive_differences.is_empty() {
                <details class="dive-differences">
                    <summary>{ "Where dive's figures differ from the truth" }</summary>
                    <ul>{ for r.dive_differences.iter().map(|d| html! { <li>{ d.clone() }</li> }) }</ul>
                </details>
            }
        </section>
    }
}

/// What a container of the image runs and as whom, from the config; nothing when the config is unknown.
fn runs(r: &ImageReport) -> Html {
    let Some(c) = &r.config else { return html! {} };
    let command: Vec<&str> = c.entrypoint.iter().chain(&c.cmd).map(String::as_str).collect();
    let user = match c.user.as_str() {
        "" => "root (no USER set)".to_string(),
        u if u == "0" || u.starts_with("0:") || u == "root" || u.starts_with("root:") => format!("root (USER {u})"),
        u => u.to_string(),
    };
    let mut extra = Vec::new();
    if !c.working_dir.is_empty() {
        extra.push(format!("in {}", c.working_dir));
    }
    if !c.exposed_ports.is_empty() {
        extra.push(format!("exposes {}", c.exposed_ports.join(", ")));
    }
    let extra = if extra.is_empty() { String::new() } else { format!(" · {}", extra.join(" · ")) };
    html! {
        <p class="muted runs" id="image-runs">
            if command.is_empty() { { "Runs no command" } } else { { "Runs " }<code>{ command.join(" ") }</code> }
            { format!(" as {user}{extra}") }
        </p>
    }
}

fn share(part: u64, whole: u64) -> String {
    if whole == 0 {
        "0 %".into()
    } else {
        format::percent(part as f64 / whole as f64)
    }
}

fn format_label(r: &ImageReport) -> String {
    use layerlens_core::image::{ArchiveFormat, Compression};
    let layout = match r.archive.format {
        ArchiveFormat::DockerLegacy => "docker save archive",
        ArchiveFormat::DockerOci => "docker save archive (OCI layout)",
        ArchiveFormat::DockerArchive => "docker-archive",
        ArchiveFormat::OciLayout => "OCI archive",
    };
    match r.archive.compression {
        Compression::None => layout.to_string(),
        Compression::Gzip => format!("{layout}, gzip-compressed"),
        Compression::Zstd => format!("{layout}, zstd-compressed"),
    }
}

/// Says whether the layer digests were verified; the page skips it because SHA-256 in wasm is slow (BENCHMARKS.md).
fn integrity_note(integrity: &layerlens_core::image::Integrity) -> String {
    if integrity.digests_verified {
        format!("Digests verified: {} of {} checks failed.", integrity.failed, integrity.checks.len())
    } else {
        "Layer digests not verified here (SHA-256 in the browser would take several times the analysis); sizes and \
         tar ends were checked. The layerlens CLI verifies them."
            .to_string()
    }
}
