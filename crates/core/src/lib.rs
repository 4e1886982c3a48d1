//! layerlens-core: the pure analysis engine behind the layerlens page and CLI.
//!
//! It knows nothing about browsers, files or terminals: input arrives through [`Source`], results
//! are plain data. Invariants: no panics on any input, no network, memory bounded by the number of
//! files rather than their bytes.

pub mod archive;
pub mod compare;
pub mod dockerfile;
pub mod error;
pub mod image;
pub mod lint;
pub mod markdown;
pub mod progress;
pub mod recommend;
pub mod share;
pub mod source;
mod tar_guard;

pub use error::{Error, ErrorKind, Result};
pub use progress::{Observer, Progress, Silent};
pub use source::{MemSource, Source, SourceReader};
