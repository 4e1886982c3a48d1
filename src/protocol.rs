//! The messages between the page and the analysis worker, and how they cross the worker boundary.
//!
//! This is the only module that knows how messages are turned into JavaScript values: a request is a plain
//! object holding the `Blob` itself (so the worker can read it in slices), every reply is one JSON string.

use crate::lint::DockerfileFinding;
use crate::report::{DockerfileReport, Report};
use crate::stage_graph::StageGraph;
use layerlens_core::image::AnalyzeOptions;
use layerlens_core::{Error, ErrorKind, Progress};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use web_sys::Blob;

/// What the page asks of the worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Request {
    /// Analyse the image archive held by `blob`, shown to the user as `name`.
    Analyze {
        /// The file name the user sees.
        name: String,
        /// The archive bytes; a `File` is a `Blob`.
        #[serde(with = "serde_wasm_bindgen::preserve")]
        blob: Blob,
        /// Which image and platform to analyse.
        options: AnalyzeOptions,
    },
    /// Lint this Dockerfile text; `revision` comes back with the findings so stale ones can be dropped.
    Lint {
        /// Increases with every edit.
        revision: u64,
        /// The Dockerfile.
        text: String,
    },
}

/// What the worker tells the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// The worker has loaded and listens for requests.
    Ready,
    /// How far the analysis has read.
    Progress(Progress),
    /// The analysis finished.
    Done(Box<Report>),
    /// The analysis failed; the error names what was wrong.
    Failed(Error),
    /// The findings for the Dockerfile text of `revision`.
    Linted {
        /// The revision of the request.
        revision: u64,
        /// The findings, in source order.
        findings: Vec<DockerfileFinding>,
        /// The core's advice for that text: the size estimate and the rewritten Dockerfiles, with the catalog
        /// facts of their bases.
        #[serde(default)]
        advice: Box<DockerfileReport>,
        /// The stage graph of that text, for the diagram beside the editor.
        #[serde(default)]
        graph: StageGraph,
    },
}

impl Request {
    /// Turns the request into the value given to `Worker.postMessage`.
    pub fn to_js(&self) -> Result<JsValue, Error> {
        serde_wasm_bindgen::to_value(self).map_err(|e| protocol_error("encoding a request", &e.to_string()))
    }

    /// Reads a request from the data of a `message` event.
    pub fn from_js(value: JsValue) -> Result<Request, Error> {
        serde_wasm_bindgen::from_value(value).map_err(|e| protocol_error("decoding a request", &e.to_string()))
    }
}

impl Reply {
    /// Turns the reply into the value given to `postMessage`: one JSON string.
    pub fn to_js(&self) -> JsValue {
        match serde_json::to_string(self) {
            Ok(json) => JsValue::from_str(&json),
            // A report always serialises; should that ever change, the page still gets a clear error.
            Err(e) => {
                let failed = Reply::Failed(protocol_error("encoding the result", &e.to_string()));
                JsValue::from_str(&serde_json::to_string(&failed).unwrap_or_default())
            }
        }
    }

    /// Reads a reply from the data of a `message` event.
    pub fn from_js(value: &JsValue) -> Result<Reply, Error> {
        let json = value.as_string().ok_or_else(|| protocol_error("decoding a reply", "it is not a string"))?;
        Reply::from_json(&json)
    }

    /// Reads a reply from its JSON text.
    pub fn from_json(json: &str) -> Result<Reply, Error> {
        serde_json::from_str(json).map_err(|e| protocol_error("decoding a reply", &e.to_string()))
    }
}

fn protocol_error(what: &str, detail: &str) -> Error {
    Error::new(ErrorKind::Io, format!("the page and its worker could not talk ({what}: {detail})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dockerfile_advice_crosses_the_boundary_whole() {
        let text = "FROM python:3.12\nRUN pip install flask\n";
        let reply = Reply::Linted {
            revision: 7,
            findings: crate::lint::lint_dockerfile(text),
            advice: Box::new(crate::report::dockerfile_report(text)),
            graph: crate::stage_graph::stage_graph(text),
        };
        let json = serde_json::to_string(&reply).unwrap();
        assert_eq!(Reply::from_json(&json).unwrap(), reply);
        let Reply::Linted { advice, .. } = reply else { unreachable!() };
        let estimate = &advice.advice.as_ref().unwrap().estimate;
        assert_eq!((estimate.base.as_str(), estimate.catalog_row.as_deref()), ("python:3.12", Some("python:3.12")));
        assert_eq!(advice.facts("python:3.12").map(|f| f.os_version.as_str()), Some("debian 13 (trixie)"));
    }
}
