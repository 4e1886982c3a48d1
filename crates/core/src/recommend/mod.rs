//! Recommendations: know the base, find what is avoidable, and say in bytes how to make an image smaller.
//!
//! The pieces are small and pure: [`catalog`] holds the sourced base-image facts, [`base_match`] finds an
//! image's base in it, [`detect`] reads what an image is from its files, and the report types render to
//! text and Markdown.

pub mod base_match;
pub mod catalog;
pub mod detect;
pub mod rootfs;

pub use base_match::{match_base, BaseEvidence, BaseMatch, MatchStrength};
pub use catalog::{BaseImage, Catalog, Libc};
pub use rootfs::{ImageView, Node, NodeKind};
