//! Hooks that connect the page to the browser.

mod use_analysis;
mod use_theme;

pub use use_analysis::{use_analysis, Analysis};
pub use use_theme::use_theme;
