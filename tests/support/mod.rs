//! Reading the SSR output of the size-bar charts (`components/size_bars.rs`), shared by the recommendations and
//! estimate tests.

/// The rows of the first SVG chart in `html`: each row's image, its bar's width (`None` when it has no bar) and the
/// size label after the bar.
pub fn chart_rows(html: &str) -> Vec<(String, Option<f64>, String)> {
    let svg = html.split("<svg ").nth(1).expect(html).split("</svg>").next().unwrap();
    svg.split("<g ")
        .skip(1)
        .map(|g| {
            let image = g.split(r#"data-image=""#).nth(1).unwrap();
            let image = image[..image.find('"').unwrap()].to_string();
            let width = g.split("<rect").nth(1).map(|r| {
                let w = r.split(r#"width=""#).nth(1).unwrap();
                w[..w.find('"').unwrap()].parse().unwrap()
            });
            let label = g.split("class=\"alt-size").nth(1).unwrap();
            let label = label[label.find('>').unwrap() + 1..label.find("</text>").unwrap()].to_string();
            (image, width, label)
        })
        .collect()
}
