//! Progress reporting and cancellation for long analyses.

use serde::{Deserialize, Serialize};
use std::ops::ControlFlow;

/// How far an analysis has read through its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Bytes of the outer input consumed so far.
    pub bytes_done: u64,
    /// Total bytes of the outer input.
    pub bytes_total: u64,
}

/// Receives progress; returning `ControlFlow::Break(())` cancels the analysis with
/// [`ErrorKind::Cancelled`](crate::ErrorKind::Cancelled).
pub trait Observer {
    /// Called every few megabytes of input.
    fn progress(&mut self, progress: Progress) -> ControlFlow<()>;
}

impl<F: FnMut(Progress) -> ControlFlow<()>> Observer for F {
    fn progress(&mut self, progress: Progress) -> ControlFlow<()> {
        self(progress)
    }
}

/// An observer that ignores progress and never cancels.
pub struct Silent;

impl Observer for Silent {
    fn progress(&mut self, _: Progress) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }
}
