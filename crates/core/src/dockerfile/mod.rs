//! The Dockerfile engine's front half: a BuildKit-faithful parser with byte spans for everything,
//! BuildKit's shell lexer for variable expansion, and the semantic model (stages, scopes, edges).
//!
//! Entry points: [`parse`] turns text into a [`ParseResult`] (syntax tree plus problems; it never
//! stops at the first error), [`dump`] prints the tree in BuildKit's `Node.Dump()` format, and
//! [`model`] resolves stages, base images, scopes and dependencies for a set of [`BuildArgs`].
//!
//! Known differences from BuildKit, all outside its test data and the corpus:
//! - BuildKit stops at the first error; this parser records it and goes on.
//! - Flag words and the HEALTHCHECK type word are split on ASCII whitespace only (BuildKit's byte-wise `unicode.IsSpace` also
//!   splits on the bytes 0x85 and 0xA0, which can cut a UTF-8 character in two).
//! - Variable names use Rust's `is_alphanumeric`/`is_numeric` where Go uses `unicode.IsLetter`/
//!   `IsDigit` (they differ on a few non-Latin marks and numerals).
//! - `Node.Dump()` quotes unprintable characters with an approximation of Go's `strconv.IsPrint`
//!   (no Unicode category tables).

mod dump;
mod json;
mod line_parsers;
mod model;
mod parser;
mod quote;
pub mod shell;
pub mod span;
pub mod syntax;

pub use dump::{dump, dump_instruction};
pub use model::{
    model, model_of, BaseImage, BuildArgs, Command, Edge, EdgeKind, Expanded, HeredocFile, Model, PlatformRef, Scope,
    Source, Stage, VarDef, VarKind,
};
pub use parser::{parse, parse_heredoc};
pub use quote::go_quote;
pub use span::{LineIndex, Position, Span};
pub use syntax::{
    Args, CheckDirective, Comment, Directive, Dockerfile, Flag, Heredoc, Instruction, KeyValue, Keyword, ParseResult,
    Problem, Severity, Word,
};
