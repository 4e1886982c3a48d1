//! The page's side of the image analysis: sending files to a worker, turning its replies into state
//! actions, and cancelling by replacing the worker (a busy worker cannot read messages).

use super::worker_link::{SharedLink, WorkerLink};
use crate::protocol::{Reply, Request};
use crate::report::{page_options, SharedReport};
use crate::state::{Action, AppState};
use layerlens_core::image::AnalyzeOptions;
use layerlens_core::Error;
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::Blob;
use yew::prelude::*;

/// What views use to drive the analysis.
#[derive(Clone, PartialEq)]
pub struct Analysis {
    /// Analyses a file (or any `Blob`) under the given name, with the engine's default image choice.
    pub start: Callback<(String, Blob)>,
    /// Analyses the last file again with another image (by index) and platform.
    pub choose: Callback<(usize, Option<String>)>,
    /// Stops the running analysis.
    pub cancel: Callback<()>,
}

/// Whether the worker is busy, and the last file (for choosing another image of it).
#[derive(Default)]
struct Run {
    busy: bool,
    last: Option<(String, Blob)>,
}

/// The page clock in milliseconds.
pub fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or_default()
}

fn spawn(link: &SharedLink, run: &Rc<RefCell<Run>>, dispatch: &UseReducerDispatcher<AppState>) {
    run.borrow_mut().busy = false;
    let on_reply = {
        let run = Rc::clone(run);
        let dispatch = dispatch.clone();
        Callback::from(move |reply: Reply| match reply {
            Reply::Progress(p) => {
                dispatch.dispatch(Action::Progress { done: p.bytes_done, total: p.bytes_total, now_ms: now() })
            }
            Reply::Done(report) => {
                run.borrow_mut().busy = false;
                dispatch.dispatch(Action::Finished { report: SharedReport::new(*report), now_ms: now() })
            }
            Reply::Failed(error) => {
                run.borrow_mut().busy = false;
                dispatch.dispatch(Action::Failed(error))
            }
            Reply::Ready | Reply::Linted { .. } => {}
        })
    };
    let on_error = {
        let run = Rc::clone(run);
        let dispatch = dispatch.clone();
        Callback::from(move |error: Error| {
            run.borrow_mut().busy = false;
            dispatch.dispatch(Action::Failed(error))
        })
    };
    WorkerLink::spawn(link, on_reply, on_error);
}

/// Starts the analysis worker with the component and returns the callbacks that drive it.
#[hook]
pub fn use_analysis(dispatch: UseReducerDispatcher<AppState>) -> Analysis {
    let link = use_mut_ref(WorkerLink::default);
    let run = use_mut_ref(Run::default);
    {
        let (link, run, dispatch) = (Rc::clone(&link), Rc::clone(&run), dispatch.clone());
        use_effect_with((), move |_| {
            spawn(&link, &run, &dispatch);
            move || link.borrow_mut().terminate()
        });
    }
    let analyse = {
        let (link, run, dispatch) = (Rc::clone(&link), Rc::clone(&run), dispatch.clone());
        Callback::from(move |(name, blob, options): (String, Blob, AnalyzeOptions)| {
            if run.borrow().busy {
                // A new file while another is being read: replace the worker so the old run stops.
                spawn(&link, &run, &dispatch);
            }
            dispatch.dispatch(Action::Start { name: name.clone(), total: blob.size() as u64, now_ms: now() });
            *run.borrow_mut() = Run { busy: true, last: Some((name.clone(), blob.clone())) };
            if let Err(error) = WorkerLink::post(&link, &Request::Analyze { name, blob, options }) {
                run.borrow_mut().busy = false;
                dispatch.dispatch(Action::Failed(error));
            }
        })
    };
    let start = analyse.reform(|(name, blob): (String, Blob)| (name, blob, page_options(None, None)));
    let choose = {
        let (run, analyse) = (Rc::clone(&run), analyse.clone());
        Callback::from(move |(image, platform): (usize, Option<String>)| {
            let last = run.borrow().last.clone();
            if let Some((name, blob)) = last {
                analyse.emit((name, blob, page_options(Some(image), platform)));
            }
        })
    };
    let cancel = Callback::from(move |()| {
        spawn(&link, &run, &dispatch);
        dispatch.dispatch(Action::Cancel);
    });
    Analysis { start, choose, cancel }
}
