//! The page's side of the analysis worker: starting it, sending it files, turning its replies into
//! state actions, and cancelling by replacing it.

use crate::protocol::{Reply, Request};
use crate::report::page_options;
use crate::state::{Action, AppState};
use layerlens_core::image::AnalyzeOptions;
use layerlens_core::{Error, ErrorKind};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, MessageEvent, Worker};
use yew::prelude::*;

/// The script Trunk builds for the worker binary, relative to the page.
const WORKER_SCRIPT: &str = "./worker_loader.js";

/// What views use to drive the worker.
#[derive(Clone, PartialEq)]
pub struct Analysis {
    /// Analyses a file (or any `Blob`) under the given name, with the engine's default image choice.
    pub start: Callback<(String, Blob)>,
    /// Analyses the last file again with another image (by index) and platform.
    pub choose: Callback<(usize, Option<String>)>,
    /// Stops the running analysis.
    pub cancel: Callback<()>,
}

/// One live worker and the request waiting for it to load.
#[derive(Default)]
struct Slot {
    worker: Option<Worker>,
    ready: bool,
    busy: bool,
    last: Option<(String, Blob)>,
    pending: Option<Request>,
    handlers: Option<(Closure<dyn FnMut(MessageEvent)>, Closure<dyn FnMut(web_sys::ErrorEvent)>)>,
}

impl Slot {
    fn spawn(slot: &Rc<RefCell<Slot>>, dispatch: &UseReducerDispatcher<AppState>) {
        let mut this = slot.borrow_mut();
        if let Some(old) = this.worker.take() {
            old.terminate();
        }
        this.ready = false;
        this.busy = false;
        let worker = match Worker::new(WORKER_SCRIPT) {
            Ok(worker) => worker,
            Err(_) => {
                this.handlers = None;
                drop(this);
                dispatch.dispatch(Action::Failed(Error::new(
                    ErrorKind::Unsupported,
                    "this browser could not start the analysis worker",
                )));
                return;
            }
        };
        let on_message = {
            let slot = Rc::clone(slot);
            let dispatch = dispatch.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| match Reply::from_js(&event.data()) {
                Ok(Reply::Ready) => {
                    let mut this = slot.borrow_mut();
                    this.ready = true;
                    if let Some(request) = this.pending.take() {
                        send(&this, &request, &dispatch);
                    }
                }
                Ok(Reply::Progress(p)) => {
                    dispatch.dispatch(Action::Progress { done: p.bytes_done, total: p.bytes_total, now_ms: now() })
                }
                Ok(Reply::Done(report)) => {
                    slot.borrow_mut().busy = false;
                    dispatch.dispatch(Action::Finished { report: Rc::new(*report), now_ms: now() })
                }
                Ok(Reply::Failed(error)) | Err(error) => {
                    slot.borrow_mut().busy = false;
                    dispatch.dispatch(Action::Failed(error))
                }
            })
        };
        let on_error = {
            let dispatch = dispatch.clone();
            Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |event: web_sys::ErrorEvent| {
                // A worker that crashes (for example out of memory) is reported instead of leaving a spinner.
                dispatch.dispatch(Action::Failed(Error::new(
                    ErrorKind::Io,
                    format!("the analysis worker stopped unexpectedly ({})", event.message()),
                )));
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        this.worker = Some(worker);
        this.handlers = Some((on_message, on_error));
    }
}

fn send(slot: &Slot, request: &Request, dispatch: &UseReducerDispatcher<AppState>) {
    let Some(worker) = &slot.worker else { return };
    let posted = request.to_js().and_then(|value| {
        worker
            .post_message(&value)
            .map_err(|_| Error::new(ErrorKind::Io, "the file could not be handed to the analysis worker"))
    });
    if let Err(error) = posted {
        dispatch.dispatch(Action::Failed(error));
    }
}

/// The page clock in milliseconds.
pub fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or_default()
}

/// Starts the analysis worker with the component and returns the callbacks that drive it.
#[hook]
pub fn use_analysis(dispatch: UseReducerDispatcher<AppState>) -> Analysis {
    let slot = use_mut_ref(Slot::default);
    {
        let slot = Rc::clone(&slot);
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            Slot::spawn(&slot, &dispatch);
            move || {
                if let Some(worker) = slot.borrow_mut().worker.take() {
                    worker.terminate();
                }
            }
        });
    }
    let run = {
        let slot = Rc::clone(&slot);
        let dispatch = dispatch.clone();
        Callback::from(move |(name, blob, options): (String, Blob, AnalyzeOptions)| {
            let busy = slot.borrow().busy;
            if busy {
                // A new file while another is being read: replace the worker so the old run stops.
                Slot::spawn(&slot, &dispatch);
            }
            dispatch.dispatch(Action::Start { name: name.clone(), total: blob.size() as u64, now_ms: now() });
            let mut this = slot.borrow_mut();
            this.last = Some((name.clone(), blob.clone()));
            this.busy = true;
            let request = Request::Analyze { name, blob, options };
            if this.ready {
                send(&this, &request, &dispatch);
            } else {
                this.pending = Some(request);
            }
        })
    };
    let start = run.reform(|(name, blob): (String, Blob)| (name, blob, page_options(None, None)));
    let choose = {
        let slot = Rc::clone(&slot);
        let run = run.clone();
        Callback::from(move |(image, platform): (usize, Option<String>)| {
            let last = slot.borrow().last.clone();
            if let Some((name, blob)) = last {
                run.emit((name, blob, page_options(Some(image), platform)));
            }
        })
    };
    let cancel = {
        let slot = Rc::clone(&slot);
        let dispatch = dispatch.clone();
        Callback::from(move |()| {
            // A busy worker cannot read messages, so cancelling means replacing it.
            slot.borrow_mut().pending = None;
            Slot::spawn(&slot, &dispatch);
            dispatch.dispatch(Action::Cancel);
        })
    };
    Analysis { start, choose, cancel }
}
