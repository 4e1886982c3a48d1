//! Dockerfile lint: rules with stable ids that explain why an image is bigger, slower to build or
//! riskier than it needs to be, each with its fix.

pub mod rule;
pub mod shell;
