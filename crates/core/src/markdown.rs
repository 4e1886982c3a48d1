//! The Markdown summary of an analysed image, shared by `layerlens image --format markdown` and the page's
//! export: the recommendations (as `recommend::render_markdown` writes them), then the figures, the layers and
//! the largest hidden files.

use crate::image::{HideReason, ImageReport};
use crate::recommend::{human_bytes, render_markdown, Recommendations};
use std::fmt::Write;

/// The most layers and hidden files listed.
const ROW_LIMIT: usize = 50;

/// Escapes text for a Markdown table cell: no HTML, no pipes, one line, at most 100 characters.
fn cell(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let short: String = if one_line.chars().count() > 100 {
        one_line.chars().take(99).chain(std::iter::once('…')).collect()
    } else {
        one_line
    };
    let mut out = String::with_capacity(short.len());
    for c in short.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '#' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn reason(r: HideReason) -> &'static str {
    match r {
        HideReason::Deleted => "deleted",
        HideReason::DirectoryDeleted => "directory deleted",
        HideReason::OpaqueHidden => "opaque whiteout",
        HideReason::Overwritten => "overwritten",
        HideReason::MetadataOnly => "re-shipped unchanged",
    }
}

/// Renders the image summary as Markdown; `recommendations` come first when they could be made.
pub fn render_image_markdown(report: &ImageReport, recommendations: Option<&Recommendations>) -> String {
    let mut out = String::new();
    match recommendations {
        Some(r) => out.push_str(&render_markdown(r)),
        None => {
            let name = report.image.tags.first().map_or("(untagged image)", String::as_str);
            let _ = writeln!(out, "## layerlens: {}\n", cell(name));
        }
    }
    let w = &report.waste;
    let _ = writeln!(out, "### Image\n\n| Figure | Value |\n|---|---:|");
    let platform = report.image.platform.as_deref().unwrap_or("unknown");
    let rows = [
        ("Platform", cell(platform)),
        ("Layers", report.layers.len().to_string()),
        ("Stored in the archive", human_bytes(report.layers.iter().map(|l| l.stored_bytes).sum())),
        ("Shipped by the layers", human_bytes(w.shipped_bytes)),
        ("Visible in the final filesystem", human_bytes(w.visible_bytes)),
        ("Hidden (shipped, not visible)", human_bytes(w.hidden_bytes)),
        ("Duplicate content (saving)", human_bytes(report.duplicates.saving_bytes)),
        ("Files", report.filesystem.files.to_string()),
        ("Efficiency (dive's definition)", format!("{:.2} %", report.dive.efficiency * 100.0)),
    ];
    for (label, value) in rows {
        let _ = writeln!(out, "| {label} | {value} |");
    }
    let _ = writeln!(
        out,
        "\n### Layers\n\n| # | Content | Stored | Hidden later | Files | Command |\n|---:|---:|---:|---:|---:|---|"
    );
    for l in report.layers.iter().take(ROW_LIMIT) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            l.index,
            human_bytes(l.content_bytes),
            human_bytes(l.stored_bytes),
            human_bytes(l.shipped_hidden_bytes),
            l.files,
            cell(&l.command)
        );
    }
    if report.layers.len() > ROW_LIMIT {
        let _ = writeln!(out, "\n{} more layers are not listed.", report.layers.len() - ROW_LIMIT);
    }
    if !w.items.is_empty() {
        let _ = writeln!(
            out,
            "\n### Largest hidden files\n\n| Bytes | Path | Shipped in | Hidden by | Why |\n|---:|---|---:|---:|---|"
        );
        for f in w.items.iter().take(ROW_LIMIT.min(10)) {
            let _ = writeln!(
                out,
                "| {} | /{} | {} | {} | {} |",
                human_bytes(f.bytes),
                cell(&f.path),
                f.shipped_in,
                f.hidden_by,
                reason(f.reason)
            );
        }
        if w.item_count > 10 {
            let _ = writeln!(out, "\n{} hidden files in all.", w.item_count);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_cannot_break_the_table_or_carry_html() {
        assert_eq!(cell("a | b\n<script>"), "a \\| b &lt;script&gt;");
        assert_eq!(cell("apt-get install -y *"), "apt-get install -y \\*");
        assert_eq!(cell(&"x".repeat(150)).chars().count(), 100);
    }
}
