//! The Dockerfile's size estimate rendered natively (Yew SSR): the final base with its catalog row and sizes, the
//! parts the Dockerfile cannot tell, each rewrite's base as a bar in one measure and in the table, the trade-offs
//! the core gives with the catalog's facts, and plain words for a base the catalog lacks.

#![cfg(not(target_arch = "wasm32"))]

mod support;

use layerlens_core::recommend::Catalog;
use layerlens_web::components::{EstimateProps, EstimateView};
use layerlens_web::format;
use layerlens_web::report::dockerfile_report;
use std::rc::Rc;
use yew::LocalServerRenderer;

const PYTHON: &str = "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n\
    COPY . .\nCMD [\"python\", \"app.py\"]\n";

async fn render(text: &str) -> String {
    let props = EstimateProps { report: Rc::new(dockerfile_report(text)) };
    LocalServerRenderer::<EstimateView>::with_props(props).hydratable(false).render().await
}

fn compressed(image: &str) -> u64 {
    Catalog::builtin().unwrap().get(image).and_then(|row| row.compressed_bytes).unwrap()
}

/// The rows of the estimate's chart: image, drawn width (none when no bar) and the size label.
fn bars(html: &str) -> Vec<(String, Option<f64>, String)> {
    assert!(html.contains(r#"class="alt-chart estimate-chart">"#), "{html}");
    support::chart_rows(html)
}

#[tokio::test(flavor = "current_thread")]
async fn a_python_dockerfile_shows_its_base_the_unknown_parts_and_each_rewrites_base() {
    let html = render(PYTHON).await;
    let (full, slim, alpine) =
        (compressed("python:3.12"), compressed("python:3.12-slim"), compressed("python:3.12-alpine"));
    assert_eq!(format::bytes(full), "411 MB");
    // The headline: the final base, its one catalogued size named as compressed, and the catalog row's facts.
    assert!(
        html.contains("Your base <code>python:3.12</code> is 411 MB compressed (on-disk size not catalogued).</p>"),
        "{html}"
    );
    assert!(html.contains(&format!(r#"data-compressed="{full}""#)), "{html}");
    assert!(!html.contains("data-on-disk="), "no on-disk size is catalogued: {html}");
    assert!(
        html.contains(
            "Catalog row <code>python:3.12</code> — debian 13 (trixie); C library: glibc; shell: yes; package manager: apt"
        ),
        "{html}"
    );
    // The core's unknown parts, one item per instruction, shown as code; what the catalog lacks about the base is
    // said once, in the headline above, not again in this list.
    let unknown = html.split(r#"<ul class="estimate-unknown">"#).nth(1).unwrap().split("</ul>").next().unwrap();
    assert_eq!(unknown.matches("<li>").count(), 3, "{unknown}");
    assert!(!unknown.contains("catalog"), "{unknown}");
    assert!(unknown.contains("<li>line 4: <code>RUN pip install -r requirements.txt</code> — its output depends"));
    // The chart: one compressed measure for every bar (no base here has an on-disk size), widths to scale, the
    // distroless base without a bar because the catalog gives it no size.
    assert!(html.contains(r#"data-measure="compressed""#), "{html}");
    let rows = bars(&html);
    let distroless = "gcr.io/distroless/python3-debian13:latest";
    let expected = [
        ("python:3.12", Some(200.0), "411 MB compressed"),
        ("python:3.12-slim", Some(200.0 * slim as f64 / full as f64), "43 MB compressed"),
        (distroless, None, "size not catalogued"),
        ("python:3.12-alpine", Some(200.0 * alpine as f64 / full as f64), "18 MB compressed"),
    ];
    assert_eq!(rows.len(), expected.len(), "{rows:?}");
    for ((image, width, label), (want_image, want_width, want_label)) in rows.iter().zip(expected) {
        assert_eq!((image.as_str(), label.as_str()), (want_image, want_label));
        match (width, want_width) {
            (Some(w), Some(want)) => assert!((w - want).abs() < 1e-6, "{image}: {w} vs {want}"),
            (None, None) => {}
            _ => panic!("{image}: bar {width:?}, expected {want_width:?}"),
        }
    }
    assert!(html.contains(r#"<g data-image="python:3.12" data-bytes="410908459" class="alt-bar current">"#), "{html}");
    assert!(html.contains(r#"class="alt-name">python:3.12 (yours)</text>"#), "{html}");
    // A name too long for the narrow chart keeps its end; the tooltip keeps the whole name.
    assert!(html.contains(r#"class="alt-name">…/python3-debian13:latest</text>"#), "{html}");
    assert!(html.contains("<title>gcr.io/distroless/python3-debian13:latest (distroless final stage"), "{html}");
    // The table: both sizes per base, the catalog's facts and the core's trade-offs.
    let table = html.split(r#"<table class="estimate-table">"#).nth(1).unwrap();
    let row = |id: &str| {
        let at = table.find(&format!(r#"data-rewrite="{id}">"#)).unwrap_or_else(|| panic!("{id} in {table}"));
        table[at..].split("</tbody>").next().unwrap().to_string()
    };
    let multi = row("multi-stage");
    assert!(multi.contains("<td>not catalogued</td><td>43 MB</td>"), "{multi}");
    assert!(
        multi.contains("Catalog: debian 13 (trixie); C library: glibc; shell: yes; package manager: apt."),
        "{multi}"
    );
    let dl = row("distroless");
    assert!(dl.contains("<td>not catalogued</td><td>not catalogued</td>"), "{dl}");
    assert!(dl.contains("distroless has no shell and no package manager: <code>docker exec … sh</code>"), "{dl}");
    assert!(dl.contains("Catalog: debian 13; C library: glibc; shell: no; package manager: none."), "{dl}");
    assert!(row("alpine").contains("alpine uses musl"), "{html}");
    assert!(!html.contains('`'), "{html}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_base_outside_the_catalog_is_named_as_unknown() {
    let html = render("FROM python:3.12-custom\nRUN pip install flask\n").await;
    assert!(
        html.contains("<code>python:3.12-custom</code> is not in the base-image catalog, so its size is unknown.</p>"),
        "{html}"
    );
    assert!(!html.contains("Catalog row"), "{html}");
    // The rewrites take the official variants of its version line, which the catalog knows: their bars are drawn,
    // and the unknown base gets a row in the table saying so.
    assert!(html.contains("<svg"), "{html}");
    let table = html.split("</thead>").nth(1).unwrap();
    let row =
        |base: &str| table.split(&format!("data-base=\"{base}\"")).nth(1).unwrap().split("</tbody>").next().unwrap();
    assert!(row("python:3.12-custom").contains("<td>not catalogued</td><td>not catalogued</td>"), "{table}");
    assert!(row("python:3.12-custom").contains("Not in the base-image catalog."), "{table}");
    assert!(row("python:3.12-slim").contains("<td>not catalogued</td><td>43 MB</td>"), "{table}");
    assert!(row("python:3.12-alpine").contains("<td>not catalogued</td><td>18 MB</td>"), "{table}");
    assert!(!table.contains("3.12-custom-"), "no variant is derived from the unknown tag: {table}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_rewrite_base_spelled_with_an_arg_gets_its_catalog_facts() {
    // The core keeps the user's `${PY}` in the rewrite's base; its catalog row is found with the ARG's default.
    let html = render("ARG PY=3.12\nFROM python:${PY}\nRUN pip install flask\n").await;
    assert!(html.contains("Your base <code>python:3.12</code> is 411 MB compressed"), "{html}");
    let table = html.split("</thead>").nth(1).unwrap();
    let at = table.find(r#"data-rewrite="multi-stage">"#).unwrap();
    let multi = table[at..].split("</tbody>").next().unwrap();
    assert!(multi.contains("<code>python:${PY}-slim</code>"), "{multi}");
    assert!(multi.contains(r#"<td>43 MB</td></tr><tr class="estimate-tradeoffs"><td colspan="3"><div>Catalog: debian 13 (trixie); C library: glibc;"#), "{multi}");
    assert!(!multi.contains("Not in the base-image catalog"), "{multi}");
}

#[tokio::test(flavor = "current_thread")]
async fn the_sample_on_scratch_has_no_base_bytes_and_no_rewrite() {
    let html = render(include_str!("../www/samples/Dockerfile")).await;
    assert!(html.contains("Your base <code>scratch</code> is 0 B on disk, 0 B compressed.</p>"), "{html}");
    assert!(html.contains("<li>line 3: <code>ADD rootfs.tar /</code> — it copies files from the build context"));
    assert!(!html.contains("<svg"), "no rewrite, no comparison: {html}");
    assert!(html.contains("The ecosystem (Node.js, Python, Go, Java) could not be recognised"), "{html}");
}

#[tokio::test(flavor = "current_thread")]
async fn without_a_from_the_panel_says_why_and_before_the_first_lint_it_is_empty() {
    let html = render("# nothing yet\n").await;
    assert!(html.contains("The Dockerfile has no FROM instruction, so no base image is known."), "{html}");
    assert!(!html.contains("estimate-base"), "{html}");
    let props = EstimateProps { report: Rc::default() };
    let empty = LocalServerRenderer::<EstimateView>::with_props(props).hydratable(false).render().await;
    assert_eq!(empty, "");
}
