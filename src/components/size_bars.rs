//! A horizontal bar chart of sizes, drawn as SVG in `html!`: one row per image with its name, a bar scaled to the
//! largest size and the size in words, or that the size is not catalogued. The recommendations' base-image
//! comparison and the Dockerfile's size estimate both draw with it.

use crate::format;
use yew::prelude::*;

/// Width left after the longest bar for its size in words, in SVG units.
const SIZE_ROOM: f64 = 160.0;
/// Width of one character of a name at the chart's 12px font, a little over the average so names fit.
const CHAR_WIDTH: f64 = 6.8;
/// Height of one bar row.
const ROW_HEIGHT: f64 = 26.0;

/// One row of a size chart.
#[derive(Debug, Clone, PartialEq)]
pub struct SizeBar {
    /// The image the row is for (the row's `data-image`).
    pub image: String,
    /// The name shown left of the bar.
    pub label: String,
    /// The size in the chart's one measure; `None` draws no bar and says the size is not catalogued.
    pub bytes: Option<u64>,
    /// Whether the row is the user's own image or base, drawn marked.
    pub current: bool,
    /// The tooltip: every size known for the row.
    pub title: String,
}

/// How a size chart is drawn: its class, its proportions, the word after every size, and its accessible name.
#[derive(Debug, Clone, Copy)]
pub struct SizeChart<'a> {
    /// Width given to the names left of the bars, in SVG units; longer names lose their start.
    pub label_width: f64,
    /// Width of the longest bar, in SVG units.
    pub bar_width: f64,
    /// The `class` of the `<svg>`.
    pub class: &'static str,
    /// The word after every size (`on disk`, `compressed`); all bars share one measure.
    pub unit: &'a str,
    /// The chart's accessible name, saying what the bars measure.
    pub caption: &'a str,
}

/// Draws `rows` as an SVG bar chart, every bar scaled to the largest size.
pub fn size_bars(chart: SizeChart<'_>, rows: &[SizeBar]) -> Html {
    let scale = rows.iter().filter_map(|r| r.bytes).max().unwrap_or(0).max(1) as f64;
    let height = ROW_HEIGHT * rows.len() as f64 + 4.0;
    let (label_width, chart_width) = (chart.label_width, chart.label_width + chart.bar_width + SIZE_ROOM);
    let label_chars = (label_width / CHAR_WIDTH) as usize;
    let rows = rows.iter().enumerate().map(|(i, row)| {
        let y = ROW_HEIGHT * i as f64;
        let class = if row.current { "alt-bar current" } else { "alt-bar" };
        let text_y = (y + ROW_HEIGHT / 2.0 + 4.0).to_string();
        let (bar, label) = match row.bytes {
            Some(bytes) => {
                let width = chart.bar_width * bytes as f64 / scale;
                let rect = html! { <rect x={label_width.to_string()} y={(y + 4.0).to_string()}
                width={width.to_string()} height={(ROW_HEIGHT - 8.0).to_string()} rx="3" /> };
                (
                    rect,
                    html! { <text class="alt-size" x={(label_width + width + 6.0).to_string()} y={text_y.clone()}>
                    { format!("{} {}", format::bytes(bytes), chart.unit) }</text> },
                )
            }
            None => (
                html! {},
                html! { <text class="alt-size muted" x={(label_width + 6.0).to_string()} y={text_y.clone()}>
                { "size not catalogued" }</text> },
            ),
        };
        html! {
            <g class={class} data-image={row.image.clone()} data-bytes={row.bytes.map(|b| b.to_string())}>
                <title>{ row.title.clone() }</title>
                <text class="alt-name" x={(label_width - 8.0).to_string()} y={text_y} text-anchor="end">
                    { fit_label(&row.label, label_chars) }
                </text>
                { bar }
                { label }
            </g>
        }
    });
    html! {
        <svg class={chart.class} role="img" aria-label={chart.caption.to_string()}
            viewBox={format!("0 0 {chart_width} {height}")} width="100%" preserveAspectRatio="xMinYMin meet">
            { for rows }
        </svg>
    }
}

/// `label` cut from its start to at most `max` characters, at a `/` when the kept end has one, and marked with `…`,
/// so a long registry path never runs off the chart's left edge; the row's tooltip keeps the whole name.
fn fit_label(label: &str, max: usize) -> String {
    let count = label.chars().count();
    if count <= max {
        return label.to_string();
    }
    let tail: String = label.chars().skip(count + 1 - max.max(1)).collect();
    let tail = tail.find('/').map_or(tail.as_str(), |at| &tail[at..]);
    format!("…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_keep_their_end() {
        assert_eq!(fit_label("python:3.12 (your base)", 44), "python:3.12 (your base)");
        let long = "gcr.io/distroless/python3-debian13:latest (distroless)";
        assert_eq!(fit_label(long, 44), "…/python3-debian13:latest (distroless)");
        let no_slash = "a-very-long-image-name-without-any-slash-in-it:latest";
        assert_eq!(fit_label(no_slash, 44).chars().count(), 44);
        assert!(fit_label(no_slash, 44).ends_with("in-it:latest"));
        assert_eq!(fit_label("gcr.io/distroless/python3-debian13:latest", 25), "…/python3-debian13:latest");
    }
}
