//! `layerlens image`: analyse an image tarball and print a summary, the JSON report, or CI verdicts.

use clap::{Args, ValueEnum};
use layerlens_core::image::{analyze, list_images, AnalyzeOptions, ImageReport, ImageSelector};
use layerlens_core::recommend;
use layerlens_core::{Silent, Source};
use std::fs::File;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `layerlens image`.
#[derive(Args, Debug)]
#[command(after_help = "Exit codes: 0 success; 1 a --ci rule failed; 2 the file could not be read or analysed.")]
pub struct ImageArgs {
    /// The image tarball (docker save, podman/skopeo docker-archive, OCI archive; may be gzip- or zstd-compressed).
    pub file: PathBuf,
    /// The platform to analyse in a multi-platform archive, as OS/ARCH[/VARIANT].
    #[arg(long, value_name = "OS/ARCH")]
    pub platform: Option<String>,
    /// The image to analyse when the archive holds several: its number (from 1, as --list shows) or a tag.
    #[arg(long, value_name = "N|TAG")]
    pub image: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The Dockerfile that built the image: adds rewritten Dockerfiles and the bytes each instruction cost
    /// to the recommendations.
    #[arg(long, value_name = "PATH")]
    pub dockerfile: Option<PathBuf>,
    /// List the images and platforms the archive holds, then exit.
    #[arg(long)]
    pub list: bool,
    /// Skip the SHA-256 check of every blob against its digest and of every layer against its diff ID (faster;
    /// sizes, tar end markers and compression checksums are still checked). Failed checks are warnings.
    #[arg(long)]
    pub no_verify: bool,
    /// Evaluate CI rules (dive's, plus --highest-hidden-bytes and integrity); exit 1 when one fails.
    #[arg(long)]
    pub ci: bool,
    /// CI: fail when dive's efficiency score is below this fraction (0..1).
    #[arg(long, value_name = "RATIO", default_value = "0.9", value_parser = parse_fraction)]
    pub lowest_efficiency: Threshold,
    /// CI: fail when dive's wasted bytes exceed this size (e.g. 20MB), or "disabled".
    #[arg(long, value_name = "SIZE", default_value = "disabled", value_parser = parse_size)]
    pub highest_wasted_bytes: Threshold,
    /// CI: fail when dive's wasted bytes over the user layers' bytes exceed this fraction (0..1).
    #[arg(long, value_name = "RATIO", default_value = "0.1", value_parser = parse_fraction)]
    pub highest_user_wasted_percent: Threshold,
    /// CI: fail when the bytes hidden in layers (invisible in the final filesystem) exceed this size, or "disabled".
    #[arg(long, value_name = "SIZE", default_value = "disabled", value_parser = parse_size)]
    pub highest_hidden_bytes: Threshold,
    /// CI: do not fail when an integrity check fails (a digest, size or tar end that does not match the archive).
    #[arg(long)]
    pub allow_integrity_failures: bool,
}

/// How to print the result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A readable summary.
    Text,
    /// The full report as JSON (see docs/report-schema.md), with the recommendations under "recommendations".
    Json,
    /// The recommendations, figures, layers and hidden files as Markdown, for a pull-request comment.
    Markdown,
}

/// A CI threshold: a number, or disabled.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Threshold {
    /// The rule is skipped.
    Disabled,
    /// The rule's limit.
    Value(f64),
}

fn parse_fraction(s: &str) -> Result<Threshold, String> {
    if s == "disabled" {
        return Ok(Threshold::Disabled);
    }
    let v: f64 = s.trim().parse().map_err(|e| format!("not a number: {e}"))?;
    if !(0.0..=1.0).contains(&v) {
        return Err(format!("must be between 0 and 1, got {s}"));
    }
    Ok(Threshold::Value(v))
}

fn parse_size(s: &str) -> Result<Threshold, String> {
    if s == "disabled" {
        return Ok(Threshold::Disabled);
    }
    crate::image::parse_bytes(s).map(|b| Threshold::Value(b as f64))
}

/// Parses a size as go-humanize's `ParseBytes` does: a number with an optional SI or IEC unit.
pub fn parse_bytes(s: &str) -> Result<u64, String> {
    let t = s.trim().replace(',', "");
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num.parse().map_err(|_| format!("not a size: {s:?}"))?;
    let mult: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "ki" | "kib" => 1024.0,
        "m" | "mb" => 1e6,
        "mi" | "mib" => 1024f64.powi(2),
        "g" | "gb" => 1e9,
        "gi" | "gib" => 1024f64.powi(3),
        "t" | "tb" => 1e12,
        "ti" | "tib" => 1024f64.powi(4),
        "p" | "pb" => 1e15,
        "pi" | "pib" => 1024f64.powi(5),
        other => return Err(format!("unknown size unit {other:?} in {s:?}")),
    };
    let v = n * mult;
    if !(0.0..1.8e19).contains(&v) {
        return Err(format!("size out of range: {s:?}"));
    }
    Ok(v as u64)
}

/// A file read at random offsets.
pub(crate) struct FileSource {
    file: File,
    len: u64,
}

impl FileSource {
    /// Opens `path` for reading.
    pub(crate) fn open(path: &std::path::Path) -> io::Result<FileSource> {
        let file = File::open(path)?;
        let len = file.metadata()?.len();
        Ok(FileSource { file, len })
    }
}

impl Source for FileSource {
    fn len(&self) -> u64 {
        self.len
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        #[cfg(unix)]
        {
            std::os::unix::fs::FileExt::read_at(&self.file, buf, offset)
        }
        #[cfg(windows)]
        {
            std::os::windows::fs::FileExt::seek_read(&self.file, buf, offset)
        }
    }
}

/// The recommendations for the analysed image, with the Dockerfile's rewrites when one is given. An error
/// names the file it concerns.
fn recommendations(
    report: &ImageReport,
    dockerfile: Option<&std::path::Path>,
) -> Result<recommend::Recommendations, (Option<PathBuf>, String)> {
    let view = recommend::ImageView::from_report(report);
    match dockerfile {
        None => recommend::recommend_image(&view).map_err(|e| (None, e.message)),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| (Some(path.to_path_buf()), format!("cannot read the Dockerfile: {e}")))?;
            recommend::recommend_both(&view, &text).map_err(|e| (Some(path.to_path_buf()), e.message))
        }
    }
}

/// The JSON output: the report's fields with the recommendations beside them.
#[derive(serde::Serialize)]
struct JsonOutput<'a> {
    #[serde(flatten)]
    report: &'a ImageReport,
    recommendations: &'a recommend::Recommendations,
}

/// Writes the JSON report straight to a buffered stdout, so no copy of the (possibly very large) document is
/// built in memory.
fn write_json(report: &ImageReport, recs: &recommend::Recommendations) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, &JsonOutput { report, recommendations: recs })?;
    out.write_all(b"\n")?;
    out.flush()
}

/// Prints one line naming `file` and what is wrong with it, and gives exit code 2.
pub(crate) fn fail(file: &std::path::Path, message: &str) -> ExitCode {
    eprintln!("layerlens: {}: {message}", file.display());
    ExitCode::from(2)
}

/// Runs `layerlens image`.
pub fn run(args: ImageArgs) -> ExitCode {
    let source = match File::open(&args.file).and_then(|f| {
        let len = f.metadata()?.len();
        Ok(FileSource { file: f, len })
    }) {
        Ok(s) => s,
        Err(e) => return fail(&args.file, &format!("cannot read the file: {e}")),
    };
    if args.list {
        return match list_images(&source, &mut Silent) {
            Ok(choices) => {
                for c in choices {
                    let tags = if c.tags.is_empty() { "(untagged)".to_string() } else { c.tags.join(", ") };
                    let platform = c.platform.unwrap_or_else(|| "unknown platform".into());
                    let note = if c.available { "" } else { "  [not in the archive]" };
                    println!("{}  {tags}  {platform}{note}", c.image + 1);
                }
                ExitCode::SUCCESS
            }
            Err(e) => fail(&args.file, &e.message),
        };
    }
    let image = args.image.as_ref().map(|s| match s.parse::<usize>() {
        Ok(n) if n >= 1 => ImageSelector::Index(n - 1),
        _ => ImageSelector::Tag(s.clone()),
    });
    let options = AnalyzeOptions {
        image,
        platform: args.platform.clone(),
        capture: recommend::capture_options(),
        verify_digests: !args.no_verify,
    };
    let mut report = match analyze(&source, &options, &mut Silent) {
        Ok(r) => r,
        Err(e) => return fail(&args.file, &e.message),
    };
    let recs = match recommendations(&report, args.dockerfile.as_deref()) {
        Ok(r) => r,
        Err((path, message)) => return fail(path.as_deref().unwrap_or(&args.file), &message),
    };
    recommend::release_capture(&mut report);
    match args.format {
        Format::Json => {
            if let Err(e) = write_json(&report, &recs) {
                return fail(&args.file, &format!("cannot write the report: {e}"));
            }
        }
        Format::Text => {
            print!("{}", crate::image::text::summary(&report));
            print!("\n{}", recommend::render_text(&recs));
        }
        Format::Markdown => print!("{}", layerlens_core::markdown::render_image_markdown(&report, Some(&recs))),
    }
    if args.ci {
        let (text, pass) = ci::evaluate(&report, &args);
        print!("{text}");
        if !pass {
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}

/// Number formatting shared by the summary and the CI report.
pub mod fmt {
    /// Formats bytes as go-humanize's `Bytes` does (SI units, e.g. `32 kB`, `6.4 kB`, `0 B`).
    pub fn human(bytes: u64) -> String {
        const SIZES: [&str; 7] = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
        if bytes < 10 {
            return format!("{bytes} B");
        }
        let s = bytes as f64;
        let e = (s.ln() / 1000f64.ln()).floor();
        let suffix = SIZES[(e as usize).min(SIZES.len() - 1)];
        let val = (s / 1000f64.powf(e) * 10.0 + 0.5).floor() / 10.0;
        if val < 10.0 {
            format!("{val:.1} {suffix}")
        } else {
            format!("{val:.0} {suffix}")
        }
    }

    /// Formats a float as Go's `%v` does.
    pub fn go_float(v: f64) -> String {
        if v.is_nan() {
            return "NaN".into();
        }
        if v.is_infinite() {
            return if v > 0.0 { "+Inf".into() } else { "-Inf".into() };
        }
        let a = v.abs();
        if a != 0.0 && !(1e-4..1e21).contains(&a) {
            let s = format!("{v:e}");
            if let Some((m, e)) = s.split_once('e') {
                let (sign, digits) = match e.strip_prefix('-') {
                    Some(d) => ('-', d),
                    None => ('+', e),
                };
                return format!("{m}e{sign}{digits:0>2}");
            }
            return s;
        }
        format!("{v}")
    }

    /// Formats a ratio as a percentage with four decimals, as dive prints it (`NaN %`, `+Inf %`).
    pub fn percent(v: f64) -> String {
        let p = v * 100.0;
        if p.is_nan() {
            "NaN".into()
        } else if p.is_infinite() {
            if p > 0.0 {
                "+Inf".into()
            } else {
                "-Inf".into()
            }
        } else {
            format!("{p:.4}")
        }
    }
}

/// The readable summary.
pub mod text {
    use super::fmt::{human, percent};
    use layerlens_core::image::{ArchiveFormat, CheckKind, Compression, HideReason, ImageReport, Integrity};
    use std::fmt::Write;

    fn reason(r: HideReason) -> &'static str {
        match r {
            HideReason::Deleted => "deleted",
            HideReason::DirectoryDeleted => "directory deleted",
            HideReason::OpaqueHidden => "hidden by an opaque whiteout",
            HideReason::Overwritten => "overwritten",
            HideReason::MetadataOnly => "re-shipped unchanged (permission/owner/time change)",
        }
    }

    fn format_name(f: ArchiveFormat) -> &'static str {
        match f {
            ArchiveFormat::DockerLegacy => "docker save (legacy layout)",
            ArchiveFormat::DockerOci => "docker save (Docker 25+, OCI layout)",
            ArchiveFormat::DockerArchive => "docker-archive (skopeo/podman/kaniko)",
            ArchiveFormat::OciLayout => "OCI image layout",
        }
    }

    fn compression_name(c: Compression) -> &'static str {
        match c {
            Compression::None => "uncompressed",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }

    /// One line on the integrity checks: how many passed, whether digests were among them, how many failed.
    fn integrity(i: &Integrity) -> String {
        let digests = i
            .checks
            .iter()
            .filter(|c| {
                matches!(
                    c.check,
                    CheckKind::ManifestDigest | CheckKind::ConfigDigest | CheckKind::BlobDigest | CheckKind::DiffId
                )
            })
            .count();
        let what = if i.digests_verified {
            format!("{digests} of them SHA-256 digests")
        } else {
            "digests not verified (--no-verify)".to_string()
        };
        if i.failed == 0 {
            format!("{} check(s) passed, {what}", i.checks.len())
        } else {
            format!("{} of {} check(s) FAILED (see the warnings), {what}", i.failed, i.checks.len())
        }
    }

    /// Renders the report as a terminal summary.
    pub fn summary(r: &ImageReport) -> String {
        let mut o = String::new();
        let name = r.image.tags.first().cloned().unwrap_or_else(|| "(untagged image)".into());
        let platform = r.image.platform.as_deref().map(|p| format!(" ({p})")).unwrap_or_default();
        let _ = writeln!(o, "Image: {name}{platform}");
        let _ = writeln!(
            o,
            "  {} layer(s), {} visible in {} file(s); archive {}, {}, {}",
            r.layers.len(),
            human(r.filesystem.total_bytes),
            r.filesystem.files,
            human(r.archive.bytes),
            format_name(r.archive.format),
            compression_name(r.archive.compression)
        );
        for n in &r.notices {
            let _ = writeln!(o, "  note: {n}");
        }
        let _ = writeln!(o, "  integrity: {}", integrity(&r.integrity));
        let _ = writeln!(o, "\nLayers:");
        let _ = writeln!(
            o,
            "  {:>3}  {:>9}  {:>9}  {:>7}  {:>17}  command",
            "#", "content", "stored", "files", "+add ~mod -del"
        );
        for l in &r.layers {
            let changes = format!("+{} ~{} -{}", l.changes.added, l.changes.modified, l.changes.removed);
            let mut cmd = l.command.replace('\n', " ");
            if cmd.chars().count() > 70 {
                cmd = cmd.chars().take(69).collect::<String>() + "…";
            }
            let _ = writeln!(
                o,
                "  {:>3}  {:>9}  {:>9}  {:>7}  {:>17}  {cmd}",
                l.index,
                human(l.content_bytes),
                human(l.stored_bytes),
                l.files,
                changes
            );
        }
        let w = &r.waste;
        let _ = writeln!(o, "\nTrue waste:");
        let _ = writeln!(
            o,
            "  shipped {} ({} B), visible {} ({} B), hidden {} ({} B)",
            human(w.shipped_bytes),
            w.shipped_bytes,
            human(w.visible_bytes),
            w.visible_bytes,
            human(w.hidden_bytes),
            w.hidden_bytes
        );
        for g in w.by_layers.iter().take(10) {
            let _ = writeln!(
                o,
                "  {:>9}  {} file(s) shipped in layer {}, hidden by layer {}: {}",
                human(g.bytes),
                g.files,
                g.shipped_in,
                g.hidden_by,
                reason(g.reason)
            );
        }
        if !w.items.is_empty() {
            let _ = writeln!(o, "  largest hidden files:");
            for f in w.items.iter().take(10) {
                let _ = writeln!(
                    o,
                    "  {:>9}  /{}  (layer {} -> {}, {})",
                    human(f.bytes),
                    f.path,
                    f.shipped_in,
                    f.hidden_by,
                    reason(f.reason)
                );
            }
        }
        let d = &r.duplicates;
        if d.saving_bytes > 0 {
            let _ = writeln!(
                o,
                "\nDuplicate content: {} group(s), dedupe would save {}",
                d.group_count,
                human(d.saving_bytes)
            );
            for g in d.groups.iter().take(5) {
                let _ = writeln!(
                    o,
                    "  {:>9}  {}",
                    human(g.saving_bytes),
                    g.paths.iter().map(|p| format!("/{p}")).collect::<Vec<_>>().join("  ")
                );
            }
        }
        let m = &r.dive;
        let _ = writeln!(o, "\ndive-compatible metrics:");
        let _ = writeln!(o, "  efficiency: {} %", percent(m.efficiency));
        let _ = writeln!(o, "  wastedBytes: {} bytes ({})", m.wasted_bytes, human(m.wasted_bytes));
        let _ = writeln!(o, "  userWastedPercent: {} %", percent(m.user_wasted_percent.0));
        let _ = writeln!(o, "  image size: {} bytes", m.image_size_bytes);
        if !m.inefficient_files.is_empty() {
            let _ = writeln!(o, "  {:>5}  {:>12}  File Path", "Count", "Wasted Space");
            for f in m.inefficient_files.iter().take(10) {
                let _ = writeln!(o, "  {:>5}  {:>12}  {}", f.count, human(f.wasted_bytes), f.path);
            }
            if m.inefficient_files.len() > 10 {
                let _ = writeln!(o, "  … {} more", m.inefficient_files.len() - 10);
            }
        }
        if !r.dive_differences.is_empty() {
            let _ = writeln!(o, "\nWhere dive differs:");
            for d in &r.dive_differences {
                let _ = writeln!(o, "  - {d}");
            }
        }
        if !r.warnings.is_empty() {
            let _ = writeln!(o, "\nWarnings:");
            for w in r.warnings.iter().take(20) {
                let at = w.layer.map(|l| format!("layer {l}: ")).unwrap_or_default();
                let _ = writeln!(o, "  {at}{}", w.message);
            }
            if r.warnings.len() > 20 {
                let _ = writeln!(o, "  … {} more", r.warnings.len() - 20);
            }
        }
        o
    }
}

/// dive's CI rules plus `highestHiddenBytes` and `integrity`.
mod ci {
    use super::fmt::{go_float, human, percent};
    use super::{ImageArgs, Threshold};
    use layerlens_core::image::ImageReport;
    use std::fmt::Write;

    enum Status {
        Pass,
        Fail(String),
        Skip,
    }

    /// Evaluates the rules; returns the printed report and whether every rule passed.
    pub fn evaluate(r: &ImageReport, args: &ImageArgs) -> (String, bool) {
        let m = &r.dive;
        let mut results: Vec<(&str, Status)> = Vec::new();
        results.push((
            "highestHiddenBytes",
            match args.highest_hidden_bytes {
                Threshold::Disabled => Status::Skip,
                Threshold::Value(v) if r.waste.hidden_bytes as f64 > v => Status::Fail(format!(
                    "too many bytes hidden in layers (hidden-bytes={} > threshold={})",
                    r.waste.hidden_bytes, v as u64
                )),
                Threshold::Value(_) => Status::Pass,
            },
        ));
        results.push((
            "highestUserWastedPercent",
            match args.highest_user_wasted_percent {
                Threshold::Disabled => Status::Skip,
                Threshold::Value(v) if v < m.user_wasted_percent.0 => Status::Fail(format!(
                    "too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes={} > threshold={})",
                    go_float(m.user_wasted_percent.0),
                    go_float(v)
                )),
                Threshold::Value(_) => Status::Pass,
            },
        ));
        results.push((
            "highestWastedBytes",
            match args.highest_wasted_bytes {
                Threshold::Disabled => Status::Skip,
                Threshold::Value(v) if m.wasted_bytes as f64 > v => Status::Fail(format!(
                    "too many bytes wasted (wasted-bytes={} > threshold={})",
                    m.wasted_bytes, v as u64
                )),
                Threshold::Value(_) => Status::Pass,
            },
        ));
        results.push((
            "lowestEfficiency",
            match args.lowest_efficiency {
                Threshold::Disabled => Status::Skip,
                Threshold::Value(v) if v > m.efficiency => Status::Fail(format!(
                    "image efficiency is too low (efficiency={} < threshold={})",
                    go_float(m.efficiency),
                    go_float(v)
                )),
                Threshold::Value(_) => Status::Pass,
            },
        ));
        results.push((
            "integrity",
            if args.allow_integrity_failures {
                Status::Skip
            } else if r.integrity.failed > 0 {
                Status::Fail(format!(
                    "the archive does not match its own digests or sizes ({} of {} integrity check(s) failed; see the warnings)",
                    r.integrity.failed,
                    r.integrity.checks.len()
                ))
            } else {
                Status::Pass
            },
        ));
        let mut o = String::new();
        let _ = writeln!(o, "CI:");
        let _ = writeln!(o, "  efficiency: {} %", percent(m.efficiency));
        let _ = writeln!(o, "  wastedBytes: {} bytes ({})", m.wasted_bytes, human(m.wasted_bytes));
        let _ = writeln!(o, "  userWastedPercent: {} %", percent(m.user_wasted_percent.0));
        let _ = writeln!(o, "  hiddenBytes: {} bytes ({})", r.waste.hidden_bytes, human(r.waste.hidden_bytes));
        let _ = writeln!(o, "Results:");
        let (mut pass, mut fail, mut skip) = (0, 0, 0);
        for (name, status) in &results {
            match status {
                Status::Pass => {
                    pass += 1;
                    let _ = writeln!(o, "  PASS: {name}");
                }
                Status::Fail(msg) => {
                    fail += 1;
                    let _ = writeln!(o, "  FAIL: {name}: {msg}");
                }
                Status::Skip => {
                    skip += 1;
                    let _ = writeln!(o, "  SKIP: {name}: rule disabled");
                }
            }
        }
        let verdict = if fail > 0 { "FAIL" } else { "PASS" };
        let _ = writeln!(
            o,
            "Result:{verdict} [Total:{}] [Passed:{pass}] [Failed:{fail}] [Warn:0] [Skipped:{skip}]",
            results.len()
        );
        (o, fail == 0)
    }
}
