//! `layerlens compare`: analyse two image tarballs and print how they differ (layers, shared layers, and the
//! paths added, removed and changed), as text or JSON.

use crate::image::fmt::human;
use crate::image::{fail, FileSource};
use clap::{Args, ValueEnum};
use layerlens_core::compare::{compare, Aspect, Change, CompareOptions, ComparedLayer, Comparison, FileChange};
use layerlens_core::image::{analyze, AnalyzeOptions, ImageReport, NodeKind};
use layerlens_core::Silent;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `layerlens compare`.
#[derive(Args, Debug)]
#[command(after_help = "Exit codes: 0 success; 2 a file could not be read or analysed.")]
pub struct CompareArgs {
    /// The first image tarball (the "before").
    pub first: PathBuf,
    /// The second image tarball (the "after").
    pub second: PathBuf,
    /// The platform to analyse in multi-platform archives, as OS/ARCH[/VARIANT].
    #[arg(long, value_name = "OS/ARCH")]
    pub platform: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// How to print the comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A readable summary listing every differing path.
    Text,
    /// The comparison as JSON (see docs/report-schema.md, "Comparison").
    Json,
}

fn load(path: &Path, platform: Option<&str>) -> Result<ImageReport, ExitCode> {
    let source = FileSource::open(path).map_err(|e| fail(path, &format!("cannot read the file: {e}")))?;
    let options = AnalyzeOptions { platform: platform.map(str::to_string), ..AnalyzeOptions::default() };
    analyze(&source, &options, &mut Silent).map_err(|e| fail(path, &e.message))
}

/// Runs `layerlens compare`.
pub fn run(args: CompareArgs) -> ExitCode {
    let first = match load(&args.first, args.platform.as_deref()) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let second = match load(&args.second, args.platform.as_deref()) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let comparison = compare(&first, &second, &CompareOptions::default());
    let mut out = io::BufWriter::new(io::stdout().lock());
    let written = match args.format {
        Format::Json => serde_json::to_writer_pretty(&mut out, &comparison).map_err(io::Error::from),
        Format::Text => out.write_all(render_text(&comparison, &args.first, &args.second).as_bytes()),
    };
    match written.and_then(|()| out.write_all(b"\n")).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) is not an analysis failure.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fail(&args.second, &format!("cannot write the comparison: {e}")),
    }
}

fn layer_cell(layer: Option<&ComparedLayer>) -> String {
    match layer {
        Some(l) => {
            let mark = if l.shared_with.is_some() { "=" } else { " " };
            format!("{:>9} {mark}", human(l.content_bytes))
        }
        None => format!("{:>9}  ", "—"),
    }
}

fn aspect(a: Aspect) -> &'static str {
    match a {
        Aspect::Kind => "kind",
        Aspect::Size => "size",
        Aspect::Mode => "mode",
        Aspect::Link => "link",
        Aspect::Content => "content",
    }
}

fn entry_line(e: &FileChange) -> String {
    let dir = if e.kind() == NodeKind::Dir { "/" } else { "" };
    let size = |s: &Option<layerlens_core::compare::PathState>| s.as_ref().map_or(0, |s| s.size);
    match e.change {
        Change::Added => format!("  + {:>9}  /{}{dir}", human(size(&e.right)), e.path),
        Change::Removed => format!("  - {:>9}  /{}{dir}", human(size(&e.left)), e.path),
        Change::Changed => {
            let what: Vec<&str> = e.aspects.iter().map(|&a| aspect(a)).collect();
            let mut detail = what.join(", ");
            if let (Some(l), Some(r)) = (&e.left, &e.right) {
                if e.aspects.contains(&Aspect::Size) {
                    let _ = write!(detail, " {} -> {}", human(l.size), human(r.size));
                }
                if e.aspects.contains(&Aspect::Mode) {
                    let _ = write!(detail, " {:o} -> {:o}", l.mode & 0o7777, r.mode & 0o7777);
                }
                if e.aspects.contains(&Aspect::Link) {
                    let link = |s: &Option<String>| s.clone().unwrap_or_else(|| "(none)".into());
                    let _ = write!(detail, " {} -> {}", link(&l.link), link(&r.link));
                }
            }
            format!("  ~ {:>9}  /{}{dir}  ({detail})", human(size(&e.right)), e.path)
        }
    }
}

/// Renders the comparison for a terminal.
pub fn render_text(c: &Comparison, first: &Path, second: &Path) -> String {
    let mut o = String::new();
    let name = |s: &layerlens_core::compare::ImageSide, p: &Path| {
        let platform = s.platform.as_deref().map(|p| format!(", {p}")).unwrap_or_default();
        format!("{} ({}{platform})", s.name, p.display())
    };
    let _ = writeln!(o, "First:  {}\nSecond: {}\n", name(&c.left, first), name(&c.right, second));
    let _ = writeln!(o, "  {:<16} {:>10} {:>10}", "", "first", "second");
    let rows = [
        ("layers", c.left.layers.to_string(), c.right.layers.to_string()),
        ("content", human(c.left.content_bytes), human(c.right.content_bytes)),
        ("stored", human(c.left.stored_bytes), human(c.right.stored_bytes)),
        ("visible", human(c.left.visible_bytes), human(c.right.visible_bytes)),
        ("files", c.left.files.to_string(), c.right.files.to_string()),
    ];
    for (label, a, b) in rows {
        let _ = writeln!(o, "  {label:<16} {a:>10} {b:>10}");
    }
    let _ = writeln!(
        o,
        "\nShared layers: {} of the second image's {} ({} content, {} stored); the first {} layer(s) are the same in both.",
        c.shared.layers,
        c.right.layers,
        human(c.shared.content_bytes),
        human(c.shared.stored_bytes),
        c.common_base_layers
    );
    let _ = writeln!(
        o,
        "\nLayers (= shared):\n  {:>3}  {:>11}  {:>11}  command (second, else first)",
        "#", "first", "second"
    );
    for row in &c.layers {
        let command =
            row.right.as_ref().or(row.left.as_ref()).map(|l| l.command.replace('\n', " ")).unwrap_or_default();
        let command: String =
            if command.chars().count() > 60 { command.chars().take(59).collect::<String>() + "…" } else { command };
        let _ = writeln!(
            o,
            "  {:>3}  {}  {}  {command}",
            row.index,
            layer_cell(row.left.as_ref()),
            layer_cell(row.right.as_ref())
        );
    }
    let f = &c.files;
    let _ = writeln!(
        o,
        "\nFiles: {} added (+{}), {} removed (-{}), {} changed ({} -> {})",
        f.added.paths,
        human(f.added.right_bytes),
        f.removed.paths,
        human(f.removed.left_bytes),
        f.changed.paths,
        human(f.changed.left_bytes),
        human(f.changed.right_bytes)
    );
    if f.unhashed > 0 {
        let _ = writeln!(o, "  note: {} path(s) in both images could not be compared by content.", f.unhashed);
    }
    if (f.entries.len() as u64) < f.entry_count {
        let _ = writeln!(o, "  listing the {} largest of {} differing paths", f.entries.len(), f.entry_count);
    }
    for e in &f.entries {
        let _ = writeln!(o, "{}", entry_line(e));
    }
    o
}
