//! The analysis worker: receives a `Blob`, reads it through [`BlobSource`] and runs the engine,
//! posting progress and then the report or one error.

use crate::blob_source::BlobSource;
use crate::protocol::{Reply, Request};
use crate::report;
use layerlens_core::{Error, Progress};
use std::ops::ControlFlow;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// Installs the message handler and tells the page the worker is ready.
pub fn start() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_scope = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let reply = match Request::from_js(event.data()) {
            Ok(request) => handle(request, &reply_scope),
            Err(err) => Reply::Failed(err),
        };
        post(&reply_scope, &reply);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker does.
    on_message.forget();
    post(&scope, &Reply::Ready);
}

fn handle(request: Request, scope: &DedicatedWorkerGlobalScope) -> Reply {
    match request {
        Request::Analyze { name, blob, options } => {
            let source = match BlobSource::new(blob) {
                Ok(source) => source,
                Err(e) => return Reply::Failed(Error::from_io(&e, &format!("opening {name}"))),
            };
            let mut observer = |progress: Progress| {
                post(scope, &Reply::Progress(progress));
                ControlFlow::Continue(())
            };
            match report::analyze(&source, &options, &mut observer) {
                Ok(report) => Reply::Done(Box::new(report)),
                Err(err) => Reply::Failed(err),
            }
        }
        Request::Lint { revision, text } => Reply::Linted {
            revision,
            findings: crate::lint::lint_dockerfile(&text),
            advice: Box::new(report::dockerfile_report(&text)),
            graph: crate::stage_graph::stage_graph(&text),
        },
    }
}

fn post(scope: &DedicatedWorkerGlobalScope, reply: &Reply) {
    // Posting a string cannot fail; a closed page simply drops the message.
    let _ = scope.post_message(&reply.to_js());
}
