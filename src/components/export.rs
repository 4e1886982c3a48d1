//! Export: the JSON report, the Markdown summary (rendered by the core), and each chart as a standalone SVG.
//! Files are handed to the browser as Blob URLs: nothing leaves the page, and the page's CSP allows it.

use crate::report::{image_name, Report, SharedReport};
use layerlens_core::markdown::render_image_markdown;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, Element, HtmlAnchorElement, Url, Window, XmlSerializer};
use yew::prelude::*;

/// The JSON report as the CLI writes it: the image report's fields, with the recommendations beside them.
pub fn report_json(report: &Report) -> Result<String, serde_json::Error> {
    let mut value = serde_json::to_value(&report.analysis)?;
    if let (Some(object), Ok(recs)) = (value.as_object_mut(), &report.recommendations) {
        object.insert("recommendations".into(), serde_json::to_value(recs)?);
    }
    serde_json::to_string_pretty(&value)
}

/// A file name stem from the image's name: letters, digits, dots and dashes only.
pub fn file_stem(name: &str) -> String {
    let stem: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '-' }).collect();
    let stem = stem.trim_matches(|c| c == '-' || c == '.');
    if stem.is_empty() {
        "image".to_string()
    } else {
        stem.chars().take(80).collect()
    }
}

/// The charts that can be exported: a label, the CSS selector of the rendered `<svg>`, and a file suffix.
pub const CHARTS: [(&str, &str, &str); 3] = [
    ("Layer chart", "#layer-chart", "layers"),
    ("Treemap", "#treemap-svg", "treemap"),
    ("Base-image chart", "svg.alt-chart", "base-images"),
];

/// The presentation properties copied from the computed style onto each element of an exported SVG, so
/// class rules and CSS variables become concrete values.
const STYLE_PROPERTIES: [&str; 18] = [
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-dasharray",
    "stroke-linejoin",
    "stroke-linecap",
    "paint-order",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
    "dominant-baseline",
    "visibility",
    "display",
];

fn inline_style(window: &Window, from: &Element, to: &Element) -> Result<(), JsValue> {
    let Some(style) = window.get_computed_style(from)? else { return Ok(()) };
    let mut css = String::new();
    for property in STYLE_PROPERTIES {
        let value = style.get_property_value(property)?;
        if !value.is_empty() {
            css.push_str(&format!("{property}:{value};"));
        }
    }
    to.set_attribute("style", &css)?;
    to.remove_attribute("class")?;
    Ok(())
}

/// Serialises the rendered `svg` as a standalone file: every element's computed colours and fonts written
/// inline, a background in the page's colour, and the SVG namespace.
pub fn standalone_svg(window: &Window, svg: &Element) -> Result<String, JsValue> {
    let copy: Element = svg.clone_node_with_deep(true)?.dyn_into()?;
    inline_style(window, svg, &copy)?;
    let (originals, copies) = (svg.query_selector_all("*")?, copy.query_selector_all("*")?);
    for i in 0..originals.length().min(copies.length()) {
        let (Some(from), Some(to)) = (originals.item(i), copies.item(i)) else { continue };
        if let (Ok(from), Ok(to)) = (from.dyn_into::<Element>(), to.dyn_into::<Element>()) {
            inline_style(window, &from, &to)?;
        }
    }
    let rect = svg.get_bounding_client_rect();
    copy.set_attribute("xmlns", "http://www.w3.org/2000/svg")?;
    copy.set_attribute("width", &format!("{:.0}", rect.width()))?;
    copy.set_attribute("height", &format!("{:.0}", rect.height()))?;
    let document = window.document().ok_or("no document")?;
    let background = window
        .get_computed_style(&document.body().ok_or("no body")?.into())?
        .map(|s| s.get_property_value("background-color"))
        .transpose()?
        .unwrap_or_default();
    if !background.is_empty() {
        let fill = document.create_element_ns(Some("http://www.w3.org/2000/svg"), "rect")?;
        for (name, value) in
            [("x", "0"), ("y", "0"), ("width", "100%"), ("height", "100%"), ("fill", background.as_str())]
        {
            fill.set_attribute(name, value)?;
        }
        copy.insert_before(&fill, copy.first_child().as_ref())?;
    }
    XmlSerializer::new()?.serialize_to_string(&copy)
}

/// Offers `text` as a download named `file_name`, through a Blob URL that is revoked once the download started.
pub fn download(file_name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let anchor: HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.set_class_name("visually-hidden");
    let body = document.body().ok_or("no body")?;
    body.append_child(&anchor)?;
    anchor.click();
    anchor.remove();
    // The download has its own reference to the blob; the URL is released after this task.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url);
    });
    window.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 1000)?;
    Ok(())
}

/// Properties of [`ExportBar`].
#[derive(Properties, PartialEq)]
pub struct ExportProps {
    /// The analysed file's name.
    pub name: AttrValue,
    /// The report to export.
    pub report: SharedReport,
}

/// Buttons that download the report, the summary and the charts.
#[function_component]
pub fn ExportBar(props: &ExportProps) -> Html {
    let message = use_state(String::new);
    let stem = file_stem(image_name(&props.report, &props.name));
    let done = |result: Result<(), JsValue>, what: &str, message: &UseStateHandle<String>| match result {
        Ok(()) => message.set(format!("{what} downloaded.")),
        Err(_) => message.set(format!("The {what} could not be exported by this browser.")),
    };
    let json = {
        let (report, stem, message) = (props.report.clone(), stem.clone(), message.clone());
        Callback::from(move |_: MouseEvent| {
            let result = report_json(&report)
                .map_err(|e| JsValue::from_str(&e.to_string()))
                .and_then(|text| download(&format!("{stem}.layerlens.json"), "application/json", &text));
            done(result, "JSON report", &message);
        })
    };
    let markdown = {
        let (report, stem, message) = (props.report.clone(), stem.clone(), message.clone());
        Callback::from(move |_: MouseEvent| {
            let text = render_image_markdown(&report.analysis, report.recommendations.as_ref().ok());
            done(download(&format!("{stem}.layerlens.md"), "text/markdown", &text), "Markdown summary", &message);
        })
    };
    let charts = CHARTS.iter().map(|&(label, selector, suffix)| {
        let (stem, message) = (stem.clone(), message.clone());
        let onclick = Callback::from(move |_: MouseEvent| {
            let Some(window) = web_sys::window() else { return };
            let svg = window.document().and_then(|d| d.query_selector(selector).ok().flatten());
            let Some(svg) = svg else {
                message.set(format!("The {} is not shown for this image, so there is nothing to export.", label.to_lowercase()));
                return;
            };
            let result = standalone_svg(&window, &svg)
                .and_then(|text| download(&format!("{stem}.{suffix}.svg"), "image/svg+xml", &text));
            done(result, &format!("{label} SVG"), &message);
        });
        html! { <button type="button" class="button" data-export={suffix} {onclick}>{ format!("{label} (SVG)") }</button> }
    });
    html! {
        <section class="panel export" aria-label="Export">
            <h2>{ "Export" }</h2>
            <div class="drop-actions">
                <button type="button" class="button" id="export-json" onclick={json}>{ "JSON report" }</button>
                <button type="button" class="button" id="export-markdown" onclick={markdown}>{ "Markdown summary" }</button>
                { for charts }
            </div>
            <p class="muted export-status" role="status">{ (*message).clone() }</p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_export_is_the_report_with_its_recommendations() {
        let report = crate::report::sample_report();
        let value: serde_json::Value = serde_json::from_str(&report_json(&report).unwrap()).unwrap();
        assert_eq!(value["schema_version"], layerlens_core::image::SCHEMA_VERSION);
        assert_eq!(value["layers"].as_array().unwrap().len(), report.analysis.layers.len());
        assert!(value["recommendations"].is_object());
        // The file tree carries a content hash per file, so an exported report can be compared later.
        assert!(value["filesystem"]["nodes"].as_array().unwrap().iter().any(|n| n["hash"].is_string()));
    }

    #[test]
    fn file_stems_are_safe_names() {
        assert_eq!(file_stem("layerlens/sample:1.0"), "layerlens-sample-1.0");
        assert_eq!(file_stem("../../<x>"), "x");
        assert_eq!(file_stem("///"), "image");
    }
}
