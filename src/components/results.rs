//! The analysis result: summary, image chooser, recommendations, layer chart, history table and waste.

use super::{ExportBar, FileExplorer, LayerChart, LayerTable, RecommendationsView, Summary, TreemapView, WasteView};
use crate::report::SharedReport;
use yew::prelude::*;

/// Properties of [`Results`].
#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    /// The analysed file's name.
    pub name: AttrValue,
    /// The engine's report.
    pub report: SharedReport,
    /// How long the analysis took in milliseconds.
    pub elapsed_ms: f64,
    /// The selected layer.
    pub selected: Option<usize>,
    /// Called when the user selects a layer.
    pub on_select: Callback<usize>,
    /// Called when the user picks another image or platform of the archive.
    pub on_choose: Callback<(usize, Option<String>)>,
    /// Shown under the summary, before the charts: the comparison with a second image.
    #[prop_or_default]
    pub children: Html,
}

/// Everything shown for an analysed image.
#[function_component]
pub fn Results(props: &ResultsProps) -> Html {
    let r = &props.report;
    let chooser = (r.analysis.choices.len() > 1).then(|| {
        let image = &r.analysis.image;
        let current = r.analysis.choices.iter().position(|c| c.image == image.index && c.platform == image.platform);
        let options = r.analysis.choices.iter().enumerate().map(|(i, c)| {
            let tags = if c.tags.is_empty() { format!("image {}", c.image + 1) } else { c.tags.join(", ") };
            let platform = c.platform.clone().map(|p| format!(" ({p})")).unwrap_or_default();
            let missing = if c.available { "" } else { " — not in this archive" };
            html! {
                <option value={i.to_string()} selected={current == Some(i)} disabled={!c.available}>
                    { format!("{tags}{platform}{missing}") }
                </option>
            }
        });
        let choices = r.analysis.choices.clone();
        let on_choose = props.on_choose.clone();
        let onchange = Callback::from(move |event: Event| {
            let value =
                event.target_dyn_into::<web_sys::HtmlSelectElement>().and_then(|s| s.value().parse::<usize>().ok());
            if let Some(choice) = value.and_then(|i| choices.get(i)) {
                on_choose.emit((choice.image, choice.platform.clone()));
            }
        });
        html! {
            <div class="chooser panel">
                <label for="image-choice">{ "This archive holds several images or platforms. Showing: " }</label>
                <select id="image-choice" {onchange}>{ for options }</select>
            </div>
        }
    });
    html! {
        <section class="results" aria-label="Analysis result">
            <Summary name={props.name.clone()} report={r.clone()} elapsed_ms={props.elapsed_ms} />
            { for chooser }
            { props.children.clone() }
            <LayerChart report={r.clone()} selected={props.selected} on_select={props.on_select.clone()} />
            <RecommendationsView report={r.clone()} />
            <LayerTable report={r.clone()} selected={props.selected} on_select={props.on_select.clone()} />
            <FileExplorer report={r.clone()} selected={props.selected} on_select={props.on_select.clone()} />
            <TreemapView report={r.clone()} />
            <WasteView report={r.clone()} on_select={props.on_select.clone()} />
            <ExportBar name={props.name.clone()} report={r.clone()} />
        </section>
    }
}
