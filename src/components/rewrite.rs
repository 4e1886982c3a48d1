//! The rewritten Dockerfile: one tab per rewrite the core made (multi-stage, distroless, alpine), each shown
//! as a diff against the user's text with a button that copies the whole rewritten file.

use crate::format;
use crate::report::DockerfileReport;
use layerlens_core::recommend::Rewrite;
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`RewriteView`].
#[derive(Properties, PartialEq)]
pub struct RewriteProps {
    /// The core's advice for the current Dockerfile text; its rewrites are shown in the order the core proposes them.
    pub report: Rc<DockerfileReport>,
}

/// How one line of a unified diff changes the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffKind {
    /// A line only the rewritten file has.
    Added,
    /// A line only the original has.
    Removed,
    /// A line both have.
    Kept,
    /// A hunk header (`@@ … @@`).
    Hunk,
}

impl DiffKind {
    /// The class, the visible mark and the word a screen reader says, so a change is never told by colour alone.
    fn words(self) -> (&'static str, &'static str, &'static str) {
        match self {
            DiffKind::Added => ("added", "+", "added: "),
            DiffKind::Removed => ("removed", "−", "removed: "),
            DiffKind::Kept => ("kept", " ", ""),
            DiffKind::Hunk => ("hunk", " ", ""),
        }
    }
}

/// The lines of a unified diff without its `---`/`+++` file header, each with how it changes the file.
pub fn diff_lines(diff: &str) -> Vec<(DiffKind, &str)> {
    diff.lines()
        .filter(|l| !l.starts_with("--- ") && !l.starts_with("+++ ") && !l.starts_with("\\ "))
        .map(|line| match line.as_bytes().first() {
            Some(b'+') => (DiffKind::Added, &line[1..]),
            Some(b'-') => (DiffKind::Removed, &line[1..]),
            Some(b'@') => (DiffKind::Hunk, line),
            Some(b' ') => (DiffKind::Kept, &line[1..]),
            _ => (DiffKind::Kept, line),
        })
        .collect()
}

/// What the copy button last did.
#[derive(Debug, Clone, PartialEq)]
enum CopyState {
    Idle,
    Copied(String),
    Failed(String),
}

/// The rewritten Dockerfiles as diffs with a copy button; a short note when no rewrite applies.
#[function_component]
pub fn RewriteView(props: &RewriteProps) -> Html {
    let chosen = use_state(|| 0usize);
    let copy = use_state(|| CopyState::Idle);
    let rewrites = props.report.advice.as_ref().map_or(&[][..], |a| a.rewrites.as_slice());
    let body = if rewrites.is_empty() {
        html! {
            <p class="muted">
                { "No rewrite applies to this Dockerfile: it has no final stage on a known runtime base, or it is already built that way." }
            </p>
        }
    } else {
        let index = (*chosen).min(rewrites.len() - 1);
        let tabs = rewrites.iter().enumerate().map(|(i, rw)| {
            let onclick = {
                let (chosen, copy) = (chosen.clone(), copy.clone());
                Callback::from(move |_: MouseEvent| {
                    chosen.set(i);
                    copy.set(CopyState::Idle);
                })
            };
            html! {
                <button type="button" role="tab" class="rewrite-tab" id={format!("rewrite-tab-{}", rw.id)}
                    aria-selected={(i == index).to_string()} aria-controls="rewrite-panel" {onclick}>
                    { rw.title.clone() }
                </button>
            }
        });
        let rw = &rewrites[index];
        html! {
            <>
                <div class="rewrite-tabs" role="tablist" aria-label="Rewrites">{ for tabs }</div>
                <div class="rewrite-panel" id="rewrite-panel" role="tabpanel" data-rewrite={rw.id.clone()}
                    aria-labelledby={format!("rewrite-tab-{}", rw.id)}>
                    { panel(rw, &copy) }
                </div>
            </>
        }
    };
    html! {
        <section class="panel rewrite" id="rewrite" aria-labelledby="rewrite-title">
            <h2 id="rewrite-title">{ "Rewritten Dockerfile" }</h2>
            { body }
        </section>
    }
}

fn panel(rw: &Rewrite, copy: &UseStateHandle<CopyState>) -> Html {
    let onclick = {
        let (copy, text) = (copy.clone(), rw.dockerfile.clone());
        Callback::from(move |_: MouseEvent| copy_text(text.clone(), copy.clone()))
    };
    let base_size = match (rw.final_base_compressed_bytes, rw.final_base_uncompressed_bytes) {
        (Some(c), Some(u)) => format!("{} compressed, {} on disk", format::bytes(c), format::bytes(u)),
        (Some(c), None) => format!("{} compressed", format::bytes(c)),
        (None, Some(u)) => format!("{} on disk", format::bytes(u)),
        (None, None) => "size not catalogued".to_string(),
    };
    let lines = diff_lines(&rw.diff).into_iter().map(|(kind, text)| {
        let (class, mark, said) = kind.words();
        html! {
            <span class={classes!("diff-line", class)}>
                <span class="diff-mark" aria-hidden="true">{ mark }</span>
                if !said.is_empty() { <span class="visually-hidden">{ said }</span> }
                { text.to_string() }{ "\n" }
            </span>
        }
    });
    let (added, removed) = diff_lines(&rw.diff).iter().fold((0, 0), |(a, r), (kind, _)| match kind {
        DiffKind::Added => (a + 1, r),
        DiffKind::Removed => (a, r + 1),
        _ => (a, r),
    });
    let status = match &*(*copy) {
        CopyState::Idle => html! {},
        CopyState::Copied(m) => html! { <span class="copy-status ok">{ m.clone() }</span> },
        CopyState::Failed(m) => html! { <span class="copy-status warning">{ m.clone() }</span> },
    };
    html! {
        <>
            <p class="rewrite-base">
                { "Final stage on " }<code>{ rw.final_base.clone() }</code>{ format!(" ({base_size})") }
            </p>
            if !rw.notes.is_empty() {
                <ul class="rewrite-notes">{ for rw.notes.iter().map(|n| html! { <li>{ n.clone() }</li> }) }</ul>
            }
            <div class="rewrite-actions">
                <button type="button" class="copy-rewrite" {onclick}>{ "Copy rewritten Dockerfile" }</button>
                <span class="muted diff-count">
                    { format!("{} added, {} removed", format::count(added, "line", "lines"), format::count(removed, "line", "lines")) }
                </span>
                <span role="status" aria-live="polite">{ status }</span>
            </div>
            <pre class="diff" aria-label={format!("Changes from your Dockerfile to the {} rewrite", rw.id)}>
                { for lines }
            </pre>
        </>
    }
}

/// Copies `text` with `navigator.clipboard.writeText` and reports the outcome in `copy`.
fn copy_text(text: String, copy: UseStateHandle<CopyState>) {
    let lines = text.lines().count() as u64;
    match clipboard_write(&text) {
        Ok(promise) => wasm_bindgen_futures::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(_) => copy.set(CopyState::Copied(format!(
                    "Copied the rewritten Dockerfile ({}).",
                    format::count(lines, "line", "lines")
                ))),
                Err(_) => copy.set(CopyState::Failed(
                    "The browser refused the clipboard; select the text in the diff and copy it by hand.".into(),
                )),
            }
        }),
        Err(reason) => copy.set(CopyState::Failed(reason.to_string())),
    }
}

/// Starts `navigator.clipboard.writeText(text)`, or says why the clipboard is not available.
fn clipboard_write(text: &str) -> Result<js_sys::Promise, &'static str> {
    const UNAVAILABLE: &str = "The clipboard is not available on this page (browsers allow it only on https or \
        localhost pages); select the text in the diff and copy it by hand.";
    let clipboard = web_sys::window().ok_or(UNAVAILABLE)?.navigator().clipboard();
    // Outside a secure context the browser leaves `navigator.clipboard` undefined.
    if clipboard.is_undefined() || clipboard.is_null() {
        return Err(UNAVAILABLE);
    }
    Ok(clipboard.write_text(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_lines_drop_the_file_header_and_mark_each_change() {
        let diff = "--- Dockerfile\n+++ Dockerfile (multi-stage)\n@@ -1,2 +1,3 @@\n-FROM node:8\n+FROM node:8 AS build\n WORKDIR /app\n+FROM gcr.io/distroless/nodejs22\n";
        assert_eq!(
            diff_lines(diff),
            [
                (DiffKind::Hunk, "@@ -1,2 +1,3 @@"),
                (DiffKind::Removed, "FROM node:8"),
                (DiffKind::Added, "FROM node:8 AS build"),
                (DiffKind::Kept, "WORKDIR /app"),
                (DiffKind::Added, "FROM gcr.io/distroless/nodejs22"),
            ]
        );
    }
}
