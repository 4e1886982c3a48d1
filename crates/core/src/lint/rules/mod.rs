//! The rule families. Each module lists its rules' metadata and checks them.

use super::context::Context;
use super::rule::RuleMeta;
use super::Emitter;

mod buildkit;
mod practice;
mod size;

/// The metadata of every family.
pub(crate) const FAMILIES: &[&[&RuleMeta]] = &[size::RULES, buildkit::RULES, practice::RULES];

/// Runs every rule.
pub(crate) fn check_all(cx: &Context<'_>, out: &mut Emitter) {
    size::check(cx, out);
    buildkit::check(cx, out);
    practice::check(cx, out);
}
