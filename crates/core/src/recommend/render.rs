//! Text and Markdown renderings of [`Recommendations`]: pure functions returning a `String`, shared by
//! the CLI (`--format text|markdown`) and the page.

use super::alternatives::Alternative;
use super::dockerfile::SizeEstimate;
use super::findings::Category;
use super::report::Recommendations;
use std::fmt::Write;

/// Formats bytes in decimal units as registries and `docker images` do (`69.7 MB`).
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64;
    let mut unit = "B";
    for u in UNITS {
        if value < 1000.0 {
            break;
        }
        value /= 1000.0;
        unit = u;
    }
    format!("{value:.1} {unit}")
}

fn signed(bytes: i64) -> String {
    if bytes < 0 {
        format!("-{}", human_bytes(bytes.unsigned_abs()))
    } else {
        human_bytes(bytes as u64)
    }
}

fn opt(bytes: Option<u64>) -> String {
    bytes.map_or_else(|| "unknown".to_string(), human_bytes)
}

fn alt_size(a: &Alternative) -> String {
    sizes(a.uncompressed_bytes, a.compressed_bytes)
}

/// An on-disk and a compressed size, each labelled, as far as they are known.
fn sizes(uncompressed: Option<u64>, compressed: Option<u64>) -> String {
    match (uncompressed, compressed) {
        (Some(u), Some(c)) => format!("{} ({} compressed)", human_bytes(u), human_bytes(c)),
        (Some(u), None) => human_bytes(u),
        (None, Some(c)) => format!("{} compressed", human_bytes(c)),
        (None, None) => "unknown".into(),
    }
}

/// The final base's catalog sizes in words, or why the catalog gives none.
fn base_words(e: &SizeEstimate) -> String {
    if e.base == "scratch" {
        return "empty (scratch)".into();
    }
    if e.catalog_row.is_none() {
        return "not in the base-image catalog, so its size is unknown".into();
    }
    format!("{} on disk, {} compressed", opt(e.base_uncompressed_bytes), opt(e.base_compressed_bytes))
}

fn alt_saving(a: &Alternative) -> String {
    if a.current {
        return "current".into();
    }
    match (a.saving_bytes, a.compressed_saving_bytes) {
        (Some(s), _) => signed(s),
        (None, Some(c)) => format!("{} compressed", signed(c)),
        (None, None) => "unknown".into(),
    }
}

/// Plain text for a terminal.
pub fn render_text(r: &Recommendations) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Recommendations for {}", r.subject);
    if let Some(bytes) = r.size.image_bytes {
        let label = if r.size.estimated { "estimated size" } else { "size" };
        let _ = writeln!(
            out,
            "  {label}: {} (base {} in {} layer(s), your layers {})",
            human_bytes(bytes),
            opt(r.size.base_bytes),
            r.size.base_layers,
            opt(r.size.own_bytes)
        );
    }
    if let Some(base) = &r.base {
        let _ = writeln!(
            out,
            "  base: {} ({:?} match on {})",
            base.image.as_deref().unwrap_or("unknown"),
            base.strength,
            base.evidence
        );
    }
    if let Some(f) = &r.facts {
        let _ = writeln!(out, "  os: {}; libc: {}", f.os.pretty, f.libc.map_or("unknown", |l| l.name()));
        let shells = if f.shells.is_empty() { "none".to_string() } else { f.shells.join(", ") };
        let pms = if f.package_managers.is_empty() { "none".to_string() } else { f.package_managers.join(", ") };
        let _ = writeln!(out, "  shell: {shells}; package manager: {pms}");
        let _ = writeln!(out, "  packages: {} from {}", f.packages.packages.len(), f.packages.manager);
        for p in f.packages.packages.iter().take(5) {
            let layer = p.layer.map_or_else(|| "layer ?".to_string(), |l| format!("layer {l}"));
            let _ = writeln!(out, "    {:>10}  {} {} ({layer})", human_bytes(p.installed_bytes), p.name, p.version);
        }
        for rt in &f.runtimes {
            let _ = writeln!(out, "  runtime: {} {} ({})", rt.name, rt.version.as_deref().unwrap_or("?"), rt.evidence);
        }
    }
    if !r.actions.is_empty() {
        let _ = writeln!(out, "\nWhat to change (measured savings first, largest first):");
        for (i, a) in r.actions.iter().enumerate() {
            let saved = a.bytes_saved.map_or_else(|| "unknown".into(), human_bytes);
            let unit = if a.compressed { " compressed" } else { "" };
            let _ = writeln!(out, "  {}. {} — saves {saved}{unit}", i + 1, a.title);
            let _ = writeln!(out, "     why: {}", a.why);
            let _ = writeln!(out, "     how: {}", a.how);
        }
    }
    let avoidable: Vec<_> = r.findings.iter().filter(|f| f.category == Category::Avoidable).collect();
    if !avoidable.is_empty() {
        let _ = writeln!(out, "\nAvoidable bytes:");
        for f in avoidable {
            let _ = writeln!(
                out,
                "  {:>10}  {} ({} files, {} in your layers)",
                human_bytes(f.bytes),
                f.title,
                f.files,
                human_bytes(f.own_bytes)
            );
            for e in &f.examples {
                let _ = writeln!(out, "              {e}");
            }
        }
    }
    let security: Vec<_> = r.findings.iter().filter(|f| f.category == Category::Security).collect();
    if !security.is_empty() {
        let _ = writeln!(out, "\nSecurity:");
        for f in security {
            let _ = writeln!(out, "  [{:?}] {}", f.severity, f.title);
            for e in &f.examples {
                let _ = writeln!(out, "        {e}");
            }
            let _ = writeln!(out, "        how: {}", f.how);
        }
    }
    if !r.alternatives.is_empty() {
        let _ = writeln!(out, "\nBase images:");
        for a in &r.alternatives {
            let estimated = a.estimated_image_bytes.map_or_else(|| "unknown".into(), human_bytes);
            let _ = writeln!(
                out,
                "  {}{}  base {}, image ≈ {estimated}, saving {}",
                if a.current { "* " } else { "  " },
                a.image,
                alt_size(a),
                alt_saving(a)
            );
            for b in &a.blockers {
                let _ = writeln!(out, "        blocker: {b}");
            }
            for t in &a.tradeoffs {
                let _ = writeln!(out, "        {t}");
            }
        }
    }
    if let Some(d) = &r.dockerfile {
        let _ = writeln!(out, "\nDockerfile:");
        let e = &d.estimate;
        let _ = writeln!(out, "  final base {}: {}", e.base, base_words(e));
        for u in &e.unknown {
            let _ = writeln!(out, "  unknown: {u}");
        }
        for c in &d.instruction_costs {
            let _ = writeln!(
                out,
                "  line {:>3} {:>10}  {}{}",
                c.line,
                human_bytes(c.bytes),
                c.instruction,
                if c.hides_bytes > 0 {
                    format!(" (hides {} of earlier layers)", human_bytes(c.hides_bytes))
                } else {
                    String::new()
                }
            );
            for h in &c.hides {
                let _ = writeln!(out, "                       {h}");
            }
        }
        for rw in &d.rewrites {
            let _ = writeln!(
                out,
                "\n  Rewrite: {} (final base {})",
                rw.title,
                sizes(rw.final_base_uncompressed_bytes, rw.final_base_compressed_bytes)
            );
            for n in &rw.notes {
                let _ = writeln!(out, "    note: {n}");
            }
            for line in rw.diff.lines() {
                let _ = writeln!(out, "    {line}");
            }
        }
        for p in &d.problems {
            let _ = writeln!(out, "  {p}");
        }
    }
    for u in &r.unknowns {
        let _ = writeln!(out, "\nNote: {u}");
    }
    out
}

/// A code fence longer than any backtick run in `text`, so the text cannot close it early.
fn fence_for(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    "`".repeat(longest.max(2) + 1)
}

/// Makes text safe inside a Markdown table cell: pipes escaped, line breaks flattened, and HTML angle
/// brackets written as entities so file names or commands cannot inject markup into a PR comment.
fn md_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// Markdown suitable for a pull-request comment.
pub fn render_markdown(r: &Recommendations) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## layerlens: {}\n", md_escape(&r.subject));
    if let Some(bytes) = r.size.image_bytes {
        let label = if r.size.estimated { "Estimated size" } else { "Size" };
        let _ = writeln!(
            out,
            "**{label}:** {} — base {} ({} layer(s)), your layers {}\n",
            human_bytes(bytes),
            opt(r.size.base_bytes),
            r.size.base_layers,
            opt(r.size.own_bytes)
        );
    }
    if let Some(base) = &r.base {
        let _ = writeln!(
            out,
            "**Base:** `{}` ({:?} match on {})\n",
            base.image.as_deref().unwrap_or("unknown"),
            base.strength,
            md_escape(&base.evidence)
        );
    }
    if let Some(f) = &r.facts {
        let _ = writeln!(
            out,
            "**OS:** {} · **libc:** {} · **shell:** {} · **package manager:** {}\n",
            md_escape(&f.os.pretty),
            f.libc.map_or("unknown", |l| l.name()),
            if f.shells.is_empty() { "none".into() } else { f.shells.join(", ") },
            if f.package_managers.is_empty() { "none".into() } else { f.package_managers.join(", ") }
        );
    }
    if let Some(f) = r.facts.as_ref().filter(|f| !f.packages.packages.is_empty()) {
        let _ = writeln!(
            out,
            "<details><summary>{} packages ({})</summary>\n\n| Package | Version | Installed | Layer |\n|---|---|---:|---:|",
            f.packages.packages.len(),
            f.packages.manager
        );
        for p in f.packages.packages.iter().take(20) {
            let layer = p.layer.map_or_else(|| "?".to_string(), |l| l.to_string());
            let _ = writeln!(
                out,
                "| {} | {} | {} | {layer} |",
                md_escape(&p.name),
                md_escape(&p.version),
                human_bytes(p.installed_bytes)
            );
        }
        let _ = writeln!(out, "\n</details>\n");
    }
    if !r.actions.is_empty() {
        let _ = writeln!(out, "### What to change\n\n| # | Change | Saves | How |\n|---|---|---:|---|");
        for (i, a) in r.actions.iter().enumerate() {
            let saved = a.bytes_saved.map_or_else(|| "unknown".into(), human_bytes);
            let unit = if a.compressed { " (compressed)" } else { "" };
            let _ = writeln!(out, "| {} | {} | {saved}{unit} | {} |", i + 1, md_escape(&a.title), md_escape(&a.how));
        }
        out.push('\n');
    }
    let avoidable: Vec<_> = r.findings.iter().filter(|f| f.category == Category::Avoidable).collect();
    if !avoidable.is_empty() {
        let _ = writeln!(out, "### Avoidable bytes\n\n| Bytes | In your layers | Files | What |\n|---:|---:|---:|---|");
        for f in avoidable {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                human_bytes(f.bytes),
                human_bytes(f.own_bytes),
                f.files,
                md_escape(&f.title)
            );
        }
        out.push('\n');
    }
    let security: Vec<_> = r.findings.iter().filter(|f| f.category == Category::Security).collect();
    if !security.is_empty() {
        let _ = writeln!(out, "### Security\n");
        for f in security {
            let _ = writeln!(out, "- **{:?}** {} — {}", f.severity, md_escape(&f.title), md_escape(&f.how));
        }
        out.push('\n');
    }
    if !r.alternatives.is_empty() {
        let _ = writeln!(
            out,
            "### Base images\n\n| Image | Base size | Estimated image | Saving | Trade-offs |\n|---|---:|---:|---:|---|"
        );
        for a in &r.alternatives {
            let name = if a.current { format!("**{}** (current)", a.image) } else { format!("`{}`", a.image) };
            let mut notes: Vec<String> = a.blockers.iter().map(|b| format!("⚠ {b}")).collect();
            notes.extend(a.tradeoffs.iter().cloned());
            let _ = writeln!(
                out,
                "| {name} | {} | {} | {} | {} |",
                alt_size(a),
                a.estimated_image_bytes.map_or_else(|| "unknown".into(), human_bytes),
                alt_saving(a),
                md_escape(&notes.join(" "))
            );
        }
        out.push('\n');
    }
    if let Some(d) = &r.dockerfile {
        if !d.instruction_costs.is_empty() {
            let _ = writeln!(
                out,
                "### Bytes per instruction\n\n| Line | Bytes | Hidden later | Instruction |\n|---:|---:|---:|---|"
            );
            for c in &d.instruction_costs {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    c.line,
                    human_bytes(c.bytes),
                    human_bytes(c.shipped_hidden_bytes),
                    md_escape(&c.instruction).replace('`', "\\`")
                );
            }
            out.push('\n');
        }
        for rw in &d.rewrites {
            let _ = writeln!(
                out,
                "<details><summary>Rewrite: {} — final base {}</summary>\n",
                md_escape(&rw.title),
                sizes(rw.final_base_uncompressed_bytes, rw.final_base_compressed_bytes)
            );
            for n in &rw.notes {
                let _ = writeln!(out, "- {}", md_escape(n));
            }
            let fence = fence_for(&rw.diff);
            let _ = writeln!(out, "\n{fence}diff\n{}{fence}\n\n</details>\n", rw.diff);
        }
        let e = &d.estimate;
        let _ = writeln!(out, "**Final base:** {}: {}\n", md_escape(&e.base), base_words(e));
        if !d.estimate.unknown.is_empty() {
            let _ = writeln!(out, "**Not known from the Dockerfile alone:**\n");
            for u in &d.estimate.unknown {
                let _ = writeln!(out, "- {}", md_escape(u));
            }
            out.push('\n');
        }
    }
    for u in &r.unknowns {
        let _ = writeln!(out, "> {}", md_escape(u));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_outgrow_the_content() {
        assert_eq!(fence_for("a"), "```");
        assert_eq!(fence_for("RUN echo ````x"), "`````");
    }

    #[test]
    fn table_cells_cannot_inject_markup() {
        assert_eq!(md_escape("a|b\n<script>&"), "a\\|b &lt;script&gt;&amp;");
    }

    #[test]
    fn bytes_are_decimal() {
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(69_700_000), "69.7 MB");
        assert_eq!(human_bytes(681_000_000), "681.0 MB");
        assert_eq!(human_bytes(1_200_000_000), "1.2 GB");
    }
}
