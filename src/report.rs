//! The report the worker produces and the page shows, and the one call into the engine that makes it.

use layerlens_core::{Observer, Result, Source};

pub use layerlens_core::archive::ArchiveIndex as Report;

/// Runs the engine over `source`, reporting progress to `observer`.
pub fn analyze(source: &dyn Source, observer: &mut dyn Observer) -> Result<Report> {
    Report::build(source, observer)
}
