//! The root component: one state, the worker hook, and the page layout.

use crate::components::{ComparePanel, DockerfileEditor, DropZone, ErrorPanel, Header, ProgressPanel, Results};
use crate::components::{EstimateView, RewriteView};
use crate::hooks::{use_analysis, use_compare, use_lint, use_theme};
use crate::state::{Action, AppState, Job};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, DragEvent, Response};
use yew::prelude::*;

/// The built-in sample, fetched from the page's own origin.
pub const SAMPLE_URL: &str = "./samples/sample.tar";
/// The Dockerfile the sample image was built from, shown in the editor at start.
pub const SAMPLE_DOCKERFILE: &str = include_str!("../www/samples/Dockerfile");
/// The name the sample is shown under.
pub const SAMPLE_NAME: &str = "sample.tar (built-in sample)";

/// The layerlens page.
#[function_component]
pub fn App() -> Html {
    let state = use_reducer(|| AppState::with_dockerfile(SAMPLE_DOCKERFILE));
    let analysis = use_analysis(state.dispatcher());
    let comparing = use_compare(state.dispatcher());
    // A file dropped while an image is shown: the user chooses between opening it and comparing with it.
    let dropped = use_state(|| None::<(String, Blob)>);
    use_theme(state.theme, state.dispatcher());
    use_lint(state.dockerfile_revision, state.dockerfile.clone(), state.dispatcher());
    let dragging = use_state(|| false);

    let load_sample = {
        let start = analysis.start.clone();
        let dispatch = state.dispatcher();
        Callback::from(move |()| {
            let start = start.clone();
            let dispatch = dispatch.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match fetch_blob(&crate::host::sample_url()).await {
                    Ok(blob) => start.emit((SAMPLE_NAME.to_string(), blob)),
                    Err(message) => dispatch.dispatch(Action::Failed(layerlens_core::Error::new(
                        layerlens_core::ErrorKind::Io,
                        format!("the built-in sample could not be loaded: {message}"),
                    ))),
                }
            });
        })
    };
    {
        let load_sample = load_sample.clone();
        use_effect_with((), move |_| load_sample.emit(()));
    }
    {
        // A share link (`#df1=…`) opens the app with its Dockerfile.
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            if let Ok(layerlens_core::share::SharedState { dockerfile: Some(text), .. }) =
                layerlens_core::share::decode_fragment(&crate::host::fragment())
            {
                dispatch.dispatch(Action::SetDockerfile(text));
            }
        });
    }

    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            if !*dragging {
                dragging.set(true);
            }
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |event: DragEvent| {
            // Leaving for a child element fires dragleave too; only leaving the window (no related target) counts.
            if event.related_target().is_none() {
                dragging.set(false);
            }
        })
    };
    let ondrop = {
        let dragging = dragging.clone();
        let dropped = dropped.clone();
        let showing = matches!(state.job, Job::Ready { .. });
        let start = analysis.start.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            dragging.set(false);
            let file = event.data_transfer().and_then(|dt| dt.files()).and_then(|files| files.get(0));
            if let Some(file) = file {
                if showing {
                    dropped.set(Some((file.name(), file.into())));
                } else {
                    start.emit((file.name(), file.into()));
                }
            }
        })
    };

    let toggle_theme = {
        let dispatch = state.dispatcher();
        let theme = state.theme;
        Callback::from(move |()| dispatch.dispatch(Action::SetTheme(theme.next())))
    };
    let set_dockerfile = {
        let dispatch = state.dispatcher();
        Callback::from(move |text: String| dispatch.dispatch(Action::SetDockerfile(text)))
    };

    let select_layer = {
        let dispatch = state.dispatcher();
        Callback::from(move |index: usize| dispatch.dispatch(Action::SelectLayer(index)))
    };

    let body = match &state.job {
        Job::Idle => html! { <p class="muted">{ "Loading the built-in sample…" }</p> },
        Job::Reading { name, done, total, .. } => html! {
            <ProgressPanel name={name.clone()} done={*done} total={*total} rate_mb_s={state.job.rate_mb_s()}
                on_cancel={analysis.cancel.clone()} />
        },
        Job::Ready { name, report, elapsed_ms } => {
            let first_name = crate::report::image_name(report, name).to_string();
            html! {
                <>
                    { drop_offer(&dropped, &analysis.start, &comparing.start, &first_name) }
                    <Results name={name.clone()} report={report.clone()} elapsed_ms={*elapsed_ms}
                        selected={state.selected_layer} on_select={select_layer} on_choose={analysis.choose.clone()}>
                        <ComparePanel job={state.compare.clone()} first_name={first_name}
                            on_file={comparing.start.clone()} on_close={comparing.close.clone()} />
                    </Results>
                </>
            }
        }
        Job::Failed { name, error } => html! { <ErrorPanel name={name.clone()} error={error.clone()} /> },
        Job::Cancelled { name } => html! {
            <section class="notice" role="status">
                <p>{ format!("The analysis of {name} was cancelled. Choose a file to start again.") }</p>
            </section>
        },
    };

    html! {
        <div class="app" {ondragover} {ondragleave} {ondrop}>
            <Header theme={state.theme} on_toggle_theme={toggle_theme} />
            <main>
                <DropZone on_file={analysis.start.clone()} on_sample={load_sample} dragging={*dragging} />
                <div class="output" id="results">{ body }</div>
                <div class="dockerfile-view" id="dockerfile-view">
                    <DockerfileEditor text={state.dockerfile.clone()} findings={state.findings.clone()} graph={state.stage_graph.clone()} on_change={set_dockerfile} />
                    <EstimateView report={state.dockerfile_advice.clone()} />
                    <RewriteView report={state.dockerfile_advice.clone()} />
                </div>
            </main>
            <footer class="foot">
                <p>{ "layerlens analyses everything locally with WebAssembly. It makes no network request beyond this page's own files." }</p>
            </footer>
        </div>
    }
}

/// The choice offered for a file dropped while an image is shown: open it instead, or compare with it.
fn drop_offer(
    dropped: &UseStateHandle<Option<(String, Blob)>>,
    open: &Callback<(String, Blob)>,
    compare: &Callback<(String, Blob)>,
    shown: &str,
) -> Html {
    let Some((name, blob)) = (**dropped).clone() else { return Html::default() };
    let act = |target: &Callback<(String, Blob)>| {
        let (dropped, target, file) = (dropped.clone(), target.clone(), (name.clone(), blob.clone()));
        Callback::from(move |_: MouseEvent| {
            dropped.set(None);
            target.emit(file.clone());
        })
    };
    let dismiss = {
        let dropped = dropped.clone();
        Callback::from(move |_: MouseEvent| dropped.set(None))
    };
    html! {
        <section class="panel drop-offer" role="alertdialog" aria-label="A file was dropped">
            <p>{ format!("You dropped {name}. Open it in place of {shown}, or compare the two?") }</p>
            <div class="drop-actions">
                <button type="button" class="button primary" id="offer-compare" onclick={act(compare)}>{ format!("Compare with {shown}") }</button>
                <button type="button" class="button" id="offer-open" onclick={act(open)}>{ "Open it instead" }</button>
                <button type="button" class="button" onclick={dismiss}>{ "Dismiss" }</button>
            </div>
        </section>
    }
}

/// Fetches `url` (on the page's own site) as a `Blob`, or says why it could not.
pub async fn fetch_blob(url: &str) -> Result<Blob, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response =
        JsFuture::from(window.fetch_with_str(url)).await.map_err(|_| format!("{url} could not be fetched"))?;
    let response: Response = response.dyn_into().map_err(|_| "the fetch gave no response".to_string())?;
    if !response.ok() {
        return Err(format!("{url} answered with HTTP status {}", response.status()));
    }
    let blob = response.blob().map_err(|_| "the response has no body".to_string())?;
    let blob = JsFuture::from(blob).await.map_err(|_| "the response body could not be read".to_string())?;
    blob.dyn_into().map_err(|_| "the response body is not a blob".to_string())
}
