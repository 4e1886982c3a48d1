//! One analysis worker seen from the page: started from the script Trunk builds (or the one the host names), fed requests once it says
//! it is ready, and replaced (terminated and started afresh) when its work must stop.

use crate::protocol::{Reply, Request};
use layerlens_core::{Error, ErrorKind};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker};
use yew::Callback;

type Handlers = (Closure<dyn FnMut(MessageEvent)>, Closure<dyn FnMut(ErrorEvent)>);

/// A worker, whether it has loaded, and the request waiting for it to load.
#[derive(Default)]
pub struct WorkerLink {
    worker: Option<Worker>,
    ready: bool,
    pending: Option<Request>,
    handlers: Option<Handlers>,
}

/// A shared handle on a [`WorkerLink`], as hooks keep it.
pub type SharedLink = Rc<RefCell<WorkerLink>>;

impl WorkerLink {
    /// Starts a fresh worker (terminating any previous one); replies other than `Ready` go to `on_reply`,
    /// and a failure to start or a crash goes to `on_error`.
    pub fn spawn(link: &SharedLink, on_reply: Callback<Reply>, on_error: Callback<Error>) {
        let mut this = link.borrow_mut();
        this.terminate();
        let worker = match Worker::new(&crate::host::worker_script()) {
            Ok(worker) => worker,
            Err(_) => {
                drop(this);
                on_error.emit(Error::new(ErrorKind::Unsupported, "this browser could not start the analysis worker"));
                return;
            }
        };
        let on_message = {
            let link = Rc::clone(link);
            let on_error = on_error.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| match Reply::from_js(&event.data()) {
                Ok(Reply::Ready) => {
                    let pending = {
                        let mut this = link.borrow_mut();
                        this.ready = true;
                        this.pending.take()
                    };
                    if let Some(request) = pending {
                        if let Err(error) = WorkerLink::post(&link, &request) {
                            on_error.emit(error);
                        }
                    }
                }
                Ok(reply) => on_reply.emit(reply),
                Err(error) => on_error.emit(error),
            })
        };
        let on_crash = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            // A worker that dies (for example out of memory) is reported instead of leaving a spinner.
            on_error.emit(Error::new(
                ErrorKind::Io,
                format!("the analysis worker stopped unexpectedly ({})", event.message()),
            ));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_crash.as_ref().unchecked_ref()));
        this.worker = Some(worker);
        this.handlers = Some((on_message, on_crash));
    }

    /// Sends `request` now, or when the worker has loaded (a later request replaces a waiting one).
    pub fn post(link: &SharedLink, request: &Request) -> Result<(), Error> {
        let mut this = link.borrow_mut();
        if !this.ready {
            this.pending = Some(request.clone());
            return Ok(());
        }
        let Some(worker) = &this.worker else { return Ok(()) };
        let value = request.to_js()?;
        worker
            .post_message(&value)
            .map_err(|_| Error::new(ErrorKind::Io, "the file could not be handed to the analysis worker"))
    }

    /// Stops the worker at once, whatever it is doing.
    pub fn terminate(&mut self) {
        if let Some(worker) = self.worker.take() {
            worker.terminate();
        }
        self.ready = false;
        self.pending = None;
        self.handlers = None;
    }
}
