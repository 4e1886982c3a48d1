//! Lints the Dockerfile in its own worker on every edit, so typing never waits for an image analysis.

use super::worker_link::WorkerLink;
use crate::protocol::{Reply, Request};
use crate::state::{Action, AppState};
use std::rc::Rc;
use yew::prelude::*;

/// Sends each new revision of the Dockerfile text to a lint worker and dispatches its findings, the core's advice
/// (size estimate and rewrites) and the stage graph.
#[hook]
pub fn use_lint(revision: u64, text: String, dispatch: UseReducerDispatcher<AppState>) {
    let link = use_mut_ref(WorkerLink::default);
    {
        let link = Rc::clone(&link);
        use_effect_with((), move |_| {
            let on_reply = {
                let dispatch = dispatch.clone();
                Callback::from(move |reply: Reply| {
                    if let Reply::Linted { revision, findings, advice, graph } = reply {
                        let (findings, advice, graph) = (Rc::new(findings), Rc::from(advice), Rc::new(graph));
                        dispatch.dispatch(Action::Linted { revision, findings, advice, graph });
                    }
                })
            };
            // Lint failures are not analysis failures: the editor simply keeps its last findings.
            WorkerLink::spawn(&link, on_reply, Callback::noop());
            move || link.borrow_mut().terminate()
        });
    }
    use_effect_with(revision, move |revision| {
        let _ = WorkerLink::post(&link, &Request::Lint { revision: *revision, text });
    });
}
