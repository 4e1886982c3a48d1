//! The page's side of comparing a second image with the shown one: the second file is analysed in a worker of
//! its own (so the shown image stays on screen), and its replies become compare actions.

use super::worker_link::{SharedLink, WorkerLink};
use crate::protocol::{Reply, Request};
use crate::report::{page_options, SharedReport};
use crate::state::{Action, AppState};
use std::rc::Rc;
use web_sys::Blob;
use yew::prelude::*;

/// What views use to drive a comparison.
#[derive(Clone, PartialEq)]
pub struct Comparing {
    /// Analyses a second file (name and contents) to compare with the shown image.
    pub start: Callback<(String, Blob)>,
    /// Stops the second analysis, or closes the comparison.
    pub close: Callback<()>,
}

fn spawn(link: &SharedLink, dispatch: &UseReducerDispatcher<AppState>) {
    let on_reply = {
        let dispatch = dispatch.clone();
        Callback::from(move |reply: Reply| match reply {
            Reply::Progress(p) => {
                dispatch.dispatch(Action::CompareProgress { done: p.bytes_done, total: p.bytes_total })
            }
            Reply::Done(report) => dispatch.dispatch(Action::CompareFinished(SharedReport::new(*report))),
            Reply::Failed(error) => dispatch.dispatch(Action::CompareFailed(error)),
            _ => {}
        })
    };
    let on_error = {
        let dispatch = dispatch.clone();
        Callback::from(move |error| dispatch.dispatch(Action::CompareFailed(error)))
    };
    WorkerLink::spawn(link, on_reply, on_error);
}

/// Returns the callbacks that start and close a comparison; the worker starts with the first comparison.
#[hook]
pub fn use_compare(dispatch: UseReducerDispatcher<AppState>) -> Comparing {
    let link = use_mut_ref(WorkerLink::default);
    {
        let link = Rc::clone(&link);
        use_effect_with((), move |_| move || link.borrow_mut().terminate());
    }
    let start = {
        let (link, dispatch) = (Rc::clone(&link), dispatch.clone());
        Callback::from(move |(name, blob): (String, Blob)| {
            // A fresh worker for every comparison: an earlier one still reading stops.
            spawn(&link, &dispatch);
            dispatch.dispatch(Action::CompareStart { name: name.clone(), total: blob.size() as u64 });
            let request = Request::Analyze { name, blob, options: page_options(None, None) };
            if let Err(error) = WorkerLink::post(&link, &request) {
                dispatch.dispatch(Action::CompareFailed(error));
            }
        })
    };
    let close = Callback::from(move |()| {
        link.borrow_mut().terminate();
        dispatch.dispatch(Action::CloseCompare);
    });
    Comparing { start, close }
}
