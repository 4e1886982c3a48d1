//! The Dockerfile engine's front half: a BuildKit-faithful parser with byte spans for everything,
//! BuildKit's shell lexer for variable expansion, and the semantic model (stages, scopes, edges).
//!
//! Entry points: [`parse`] turns text into a [`ParseResult`] (syntax tree plus problems; it never
//! stops at the first error), [`dump`] prints the tree in BuildKit's `Node.Dump()` format.

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
    model, BaseImage, BuildArgs, Command, Edge, EdgeKind, Expanded, Model, PlatformRef, Scope, Source, Stage, VarDef,
    VarKind,
};
pub use parser::{parse, parse_heredoc};
pub use quote::go_quote;
pub use span::{LineIndex, Position, Span};
pub use syntax::{
    Args, CheckDirective, Comment, Directive, Dockerfile, Flag, Heredoc, Instruction, KeyValue, Keyword, ParseResult,
    Problem, Severity, Word,
};
