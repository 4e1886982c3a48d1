//! What the SSR tests share: rendering a component to HTML, the built-in sample's report, and reading the output of
//! the size-bar charts (`components/size_bars.rs`). Each test binary uses a part, so the rest is unused there.
#![allow(dead_code)]

use layerlens_web::report::Report;
use yew::LocalServerRenderer;

/// Renders component `C` with `props` to HTML, as the server renderer writes it (no hydration markers).
pub async fn render<C: yew::BaseComponent>(props: C::Properties) -> String {
    LocalServerRenderer::<C>::with_props(props).hydratable(false).render().await
}

/// The page's report of the built-in sample image, made with the page's options.
pub fn sample_report() -> Report {
    let bytes = include_bytes!("../../www/samples/sample.tar");
    let source = layerlens_core::MemSource::new(&bytes[..]);
    let options = layerlens_web::report::page_options(None, None);
    layerlens_web::report::analyze(&source, &options, &mut layerlens_core::Silent).unwrap()
}

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
