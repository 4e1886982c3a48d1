//! The one error type the core returns: what was wrong and where, in words a user can act on.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What class of problem an [`Error`] is, for exit codes and for the page's advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The bytes could not be read (an I/O failure of the source).
    Io,
    /// The input is readable but is not a container image archive.
    NotAnImage,
    /// The input ends before its structure says it should.
    Truncated,
    /// The input is damaged: a bad checksum, invalid compression or malformed JSON.
    Corrupt,
    /// The input is valid but uses something layerlens does not handle.
    Unsupported,
    /// A documented resource limit was reached.
    Limit,
    /// The caller asked the analysis to stop.
    Cancelled,
}

/// A failure with a plain-language message that names what was wrong and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Error {
    /// The class of problem.
    pub kind: ErrorKind,
    /// One sentence for the user, naming the place in the input (entry path, layer, offset).
    pub message: String,
}

impl Error {
    /// Builds an error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into() }
    }

    /// Turns an I/O error met while reading `what` into a core error, keeping truncation distinct.
    pub fn from_io(err: &std::io::Error, what: &str) -> Self {
        let kind = match err.kind() {
            std::io::ErrorKind::UnexpectedEof => ErrorKind::Truncated,
            std::io::ErrorKind::InvalidData | std::io::ErrorKind::InvalidInput => ErrorKind::Corrupt,
            _ => ErrorKind::Io,
        };
        let detail = match kind {
            ErrorKind::Truncated => format!("the data ends too early ({err})"),
            _ => err.to_string(),
        };
        Error::new(kind, format!("{what}: {detail}"))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
