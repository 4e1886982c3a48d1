//! The Dockerfile editor: a text area with line numbers, markers beside lines that have findings, the
//! findings listed below, and the stage graph.

use super::code_text::code_text;
use super::StageGraphView;
use crate::lint::{DockerfileFinding, Level};
use crate::stage_graph::StageGraph;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// Properties of [`DockerfileEditor`].
#[derive(Properties, PartialEq)]
pub struct DockerfileEditorProps {
    /// The current text.
    pub text: AttrValue,
    /// The findings for that text, in source order.
    pub findings: Rc<Vec<DockerfileFinding>>,
    /// The stage graph of that text.
    #[prop_or_default]
    pub graph: Rc<StageGraph>,
    /// Called with the new text on every edit.
    pub on_change: Callback<String>,
}

fn level_words(level: Level) -> (&'static str, &'static str) {
    match level {
        Level::Error => ("error", "✖"),
        Level::Warning => ("warning", "▲"),
        Level::Info => ("info", "●"),
    }
}

/// A text area for pasting or typing a Dockerfile, linted as the user types.
#[function_component]
pub fn DockerfileEditor(props: &DockerfileEditorProps) -> Html {
    let on_change = props.on_change.clone();
    let oninput = Callback::from(move |event: InputEvent| {
        if let Some(area) = event.target().and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok()) {
            on_change.emit(area.value());
        }
    });
    let lines = props.text.split('\n').count().max(1);
    let gutter = (1..=lines).map(|line| {
        let here: Vec<&DockerfileFinding> = props.findings.iter().filter(|f| f.line == line).collect();
        let worst = here.iter().map(|f| f.level).max_by_key(|l| *l as u8);
        match worst {
            Some(level) => {
                let (word, mark) = level_words(level);
                let title = here.iter().map(|f| format!("{} {}: {}", f.rule, f.name, f.message)).collect::<Vec<_>>().join("\n");
                html! { <li class={classes!("marked", word)} {title}><span class="mark" aria-hidden="true">{ mark }</span>{ line }</li> }
            }
            None => html! { <li>{ line }</li> },
        }
    });
    let list = props.findings.iter().map(|f| {
        let (word, mark) = level_words(f.level);
        html! {
            <li class={word}>
                <span class="where">{ format!("line {}", f.line) }</span>
                <span class="level"><span aria-hidden="true">{ mark }</span>{ format!(" {word}") }</span>
                <code class="rule" title={f.name.clone()}>{ f.rule.clone() }</code>
                <span class="message">{ code_text(&f.message) }</span>
            </li>
        }
    });
    html! {
        <section class="dockerfile" aria-label="Dockerfile">
            <h2><label for="dockerfile-text">{ "Dockerfile" }</label></h2>
            <div class="editor">
                <ol class="gutter" aria-hidden="true">{ for gutter }</ol>
                <textarea id="dockerfile-text" spellcheck="false" wrap="off" rows={(lines + 1).to_string()}
                    value={props.text.clone()} {oninput} placeholder="Paste a Dockerfile here" />
            </div>
            <p class="muted" id="findings-count">
                { match props.findings.len() { 0 => "No findings.".to_string(), 1 => "1 finding".to_string(), n => format!("{n} findings") } }
            </p>
            <ul class="findings" id="findings">{ for list }</ul>
            <StageGraphView graph={props.graph.clone()} />
        </section>
    }
}
