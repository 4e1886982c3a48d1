//! Helpers shared by the lint tests.

#[path = "hadolint_impl.rs"]
pub mod hadolint;
