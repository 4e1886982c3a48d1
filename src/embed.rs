//! The compact embed view: a Dockerfile with its findings beside the lines, or the summary of a tarball, without
//! the app's chrome. `embed.html` renders [`EmbedApp`] from the URL fragment; the `<layerlens-view>` custom element
//! (layerlens-embed.js) renders a [`DockerfileView`] into its shadow root through `mount_view`, an export of the app
//! binary (src/bin/app/element.rs).

use crate::components::{ErrorPanel, LayerChart, ProgressPanel, Summary};
use crate::hooks::use_analysis;
use crate::state::{Action, AppState, Job};
use layerlens_core::dockerfile::{self, BuildArgs, Severity as ProblemSeverity};
use layerlens_core::lint;
use layerlens_core::share::{self, SharedState};
use layerlens_core::{Error, ErrorKind};
use yew::prelude::*;

/// The embed view's stylesheet, rendered inside the view so it also applies in a shadow root.
const STYLE: &str = include_str!("embed.css");

/// One finding as the embed shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The 1-based line the finding starts on.
    pub line: usize,
    /// `error`, `warning` or `info`.
    pub severity: &'static str,
    /// The rule id, or `buildkit` for a parse problem.
    pub rule: &'static str,
    /// What is wrong.
    pub message: String,
}

/// Parses and lints `text` as the CLI does (BuildKit's parse problems first, then the lint rules), by line.
pub fn findings(text: &str) -> Vec<Item> {
    let parsed = dockerfile::parse(text);
    let model = dockerfile::model(&parsed, &BuildArgs::default());
    let mut items: Vec<Item> = parsed
        .problems
        .iter()
        // Empty continuation lines are reported by the lint rule LL2017 (BuildKit's NoEmptyContinuation).
        .filter(|p| !p.message.starts_with("Empty continuation line"))
        .chain(model.problems.iter())
        .map(|p| Item {
            line: p.line.max(parsed.syntax.position(text, p.span.start).line),
            severity: match p.severity {
                ProblemSeverity::Error => "error",
                ProblemSeverity::Warning => "warning",
            },
            rule: "buildkit",
            message: p.message.clone(),
        })
        .collect();
    items.extend(lint::lint(text, &parsed.syntax, &lint::Config::default()).into_iter().map(|f| Item {
        line: f.start.line,
        severity: f.severity.as_str(),
        rule: f.rule,
        message: f.message,
    }));
    items.sort_by_key(|i| i.line);
    items
}

/// Properties of [`DockerfileView`].
#[derive(Properties, PartialEq, Clone)]
pub struct DockerfileViewProps {
    /// The Dockerfile text.
    pub text: AttrValue,
    /// The full app's URL (without fragment) for the "open in layerlens" link; no link when `None`.
    #[prop_or_default]
    pub app_url: Option<AttrValue>,
}

/// A Dockerfile with numbered lines and each finding under the line it points at.
#[function_component]
pub fn DockerfileView(props: &DockerfileViewProps) -> Html {
    let items = use_memo(props.text.clone(), |text| findings(text));
    let lines: Vec<&str> = props.text.lines().collect();
    let count = items.len();
    let link = props.app_url.as_ref().map(|url| {
        let state = SharedState { dockerfile: Some(props.text.to_string()), ..SharedState::default() };
        format!("{url}#{}", share::encode_fragment(&state))
    });
    html! {
        <div class="ll-embed ll-dockerfile" data-findings={count.to_string()}>
            <style>{ STYLE }</style>
            <div class="ll-head">
                <p class="ll-title">{ "Dockerfile" }</p>
                <span class="ll-count">{ match count { 0 => "no findings".to_string(), 1 => "1 finding".to_string(), n => format!("{n} findings") } }</span>
            </div>
            <ol class="ll-lines">
                { for lines.iter().enumerate().map(|(i, line)| {
                    let number = i + 1;
                    let here: Vec<&Item> = items.iter().filter(|f| f.line == number).collect();
                    html! {
                        <li class={classes!("ll-line", (!here.is_empty()).then_some("flagged"))} data-line={number.to_string()}>
                            <span class="ll-no">{ number }</span>
                            <span class="ll-code">{ *line }</span>
                            { for here.into_iter().map(|f| html! {
                                <div class={classes!("ll-finding", f.severity)} data-rule={f.rule}>
                                    <span class="ll-sev">{ f.severity }</span>
                                    <span class="ll-rule">{ f.rule }</span>
                                    { f.message.clone() }
                                </div>
                            }) }
                        </li>
                    }
                }) }
            </ol>
            <p class="ll-foot">
                { "Analysed in your browser by layerlens. " }
                if let Some(href) = link {
                    <a class="ll-open" {href} target="_blank" rel="noopener">{ "Open in layerlens" }</a>
                }
            </p>
        </div>
    }
}

/// The `embed.html` view: what the URL fragment asks for, without header, inputs or footer.
#[function_component]
pub fn EmbedApp() -> Html {
    let shared = use_memo((), |_| share::decode_fragment(&crate::host::fragment()));
    match &*shared {
        Err(error) => html! {
            <div class="ll-embed"><ErrorPanel name="the embed link" error={error.clone()} /></div>
        },
        Ok(SharedState { dockerfile: Some(text), .. }) => {
            html! { <DockerfileView text={text.clone()} app_url={Some(AttrValue::from("./index.html"))} /> }
        }
        Ok(SharedState { tarball: Some(url), .. }) => html! { <TarballView url={url.clone()} /> },
        Ok(_) => html! {
            <div class="ll-embed">
                <p class="ll-error">{ "This embed link names neither a Dockerfile (df1=…) nor a tarball (tar=…)." }</p>
            </div>
        },
    }
}

/// Properties of [`TarballView`].
#[derive(Properties, PartialEq)]
pub struct TarballViewProps {
    /// The tarball's URL, relative to the page.
    pub url: AttrValue,
}

/// Fetches a tarball from the page's own site, analyses it in the worker and shows the summary and layer chart.
#[function_component]
pub fn TarballView(props: &TarballViewProps) -> Html {
    let state = use_reducer(AppState::default);
    let analysis = use_analysis(state.dispatcher());
    {
        let start = analysis.start.clone();
        let dispatch = state.dispatcher();
        use_effect_with(props.url.clone(), move |url| {
            let url = url.to_string();
            wasm_bindgen_futures::spawn_local(async move {
                match crate::app::fetch_blob(&url).await {
                    Ok(blob) => start.emit((url.rsplit('/').next().unwrap_or(&url).to_string(), blob)),
                    Err(message) => dispatch.dispatch(Action::Failed(Error::new(
                        ErrorKind::Io,
                        format!("the embedded tarball could not be loaded: {message}"),
                    ))),
                }
            });
        });
    }
    let select = {
        let dispatch = state.dispatcher();
        Callback::from(move |index: usize| dispatch.dispatch(Action::SelectLayer(index)))
    };
    let body = match &state.job {
        Job::Idle => html! { <p class="muted">{ format!("Loading {}…", props.url) }</p> },
        Job::Reading { name, done, total, .. } => html! {
            <ProgressPanel name={name.clone()} done={*done} total={*total} rate_mb_s={state.job.rate_mb_s()}
                on_cancel={analysis.cancel.clone()} />
        },
        Job::Ready { name, report, elapsed_ms } => html! {
            <>
                <Summary name={name.clone()} report={report.clone()} elapsed_ms={*elapsed_ms} />
                <LayerChart report={report.clone()} selected={state.selected_layer} on_select={select} />
            </>
        },
        Job::Failed { name, error } => html! { <ErrorPanel name={name.clone()} error={error.clone()} /> },
        Job::Cancelled { name } => html! { <p class="muted">{ format!("The analysis of {name} was cancelled.") }</p> },
    };
    html! {
        <div class="ll-embed ll-tarball">
            <style>{ STYLE }</style>
            { body }
            <p class="ll-foot">{ "Analysed in your browser by layerlens; the tarball never leaves this page." }</p>
        </div>
    }
}
