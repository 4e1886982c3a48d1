//! The analysis result: a summary and the archive's entries.

use crate::format;
use crate::report::Report;
use layerlens_core::archive::EntryKind;
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`Results`].
#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    /// The analysed file's name.
    pub name: AttrValue,
    /// The engine's report.
    pub report: Rc<Report>,
    /// How long the analysis took in milliseconds.
    pub elapsed_ms: f64,
}

/// The summary and the entry table of an analysed archive.
#[function_component]
pub fn Results(props: &ResultsProps) -> Html {
    let report = &props.report;
    let files = report.entries.iter().filter(|e| e.kind == EntryKind::File).count();
    let rows = report.entries.iter().map(|entry| {
        let kind = match entry.kind {
            EntryKind::File => "file",
            EntryKind::Directory => "directory",
            EntryKind::Symlink => "symlink",
            EntryKind::Hardlink => "hard link",
            EntryKind::Other => "other",
        };
        html! {
            <tr>
                <td class="path">{ entry.path.clone() }</td>
                <td>{ kind }</td>
                <td class="num" title={format::exact_bytes(entry.size)}>{ format::bytes(entry.size) }</td>
            </tr>
        }
    });
    html! {
        <section class="results" aria-label="Analysis result">
            <h2>{ props.name.clone() }</h2>
            <dl class="summary">
                <div><dt>{ "Archive size" }</dt><dd title={format::exact_bytes(report.total_bytes)}>{ format::bytes(report.total_bytes) }</dd></div>
                <div><dt>{ "Entries" }</dt><dd>{ format::grouped(report.entries.len() as u64) }</dd></div>
                <div><dt>{ "Files" }</dt><dd>{ format::grouped(files as u64) }</dd></div>
                <div><dt>{ "Read in" }</dt><dd>{ format!("{:.0} ms", props.elapsed_ms) }</dd></div>
            </dl>
            <table class="entries">
                <caption>{ "Entries of the archive, in archive order" }</caption>
                <thead><tr><th scope="col">{ "Path" }</th><th scope="col">{ "Kind" }</th><th scope="col" class="num">{ "Size" }</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        </section>
    }
}
